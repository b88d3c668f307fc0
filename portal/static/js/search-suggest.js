// Search suggestions as progressive enhancement: without JavaScript the form still works.
// The ARIA 1.2 combobox pattern (list autocomplete): focus stays in the input, which owns
// a listbox of plain options (no links inside them); the arrow keys move the active option
// (aria-activedescendant), Enter opens it, Escape closes the list (a second Escape lets the
// search field clear itself). A polite live region says how many suggestions there are, in
// the visitor's language (the server sends the sentence, with its plural form).
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input, index) {
    var list = document.createElement("ul");
    var status = document.createElement("span");
    var listId = "search-suggestions-" + index;
    var suggestions = [];
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || (input.labels && input.labels[0] ? input.labels[0].textContent : ""));
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function isOpen() { return !list.hidden; }

    function open() {
      if (!items.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function highlight(position) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === position ? "true" : "false"); });
      active = position;
      if (position >= 0) {
        input.setAttribute("aria-activedescendant", items[position].id);
        items[position].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(position) {
      var url = suggestions[position] && suggestions[position].url;
      if (url) { close(); window.location.assign(url); }
    }

    function show(data) {
      suggestions = data.suggestions || [];
      list.textContent = "";
      items = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        var title = document.createElement("span");
        var type = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        if (suggestion.label) { option.setAttribute("aria-label", suggestion.label); }
        title.className = "suggestions__title";
        title.textContent = suggestion.title;
        type.className = "suggestions__type";
        type.textContent = " · " + suggestion.type_label;
        option.appendChild(title);
        option.appendChild(type);
        // mousedown, not click: the input keeps focus (no blur closes the list first).
        option.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
        option.addEventListener("mousemove", function () { if (active !== i) { highlight(i); } });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = data.status || "";
      if (items.length) { open(); } else { close(); }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) {
        latest++;
        suggestions = [];
        items = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      timer = setTimeout(function () {
        var request = ++latest;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) { if (request === latest) { show(data); } })
          .catch(close);
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) { return; }
        event.preventDefault();
        if (!isOpen()) { open(); }
        if (event.altKey) { return; }  // Alt+Down opens the list without choosing
        var last = items.length - 1;
        if (event.key === "ArrowDown") { highlight(active >= last ? 0 : active + 1); }
        else { highlight(active <= 0 ? last : active - 1); }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          // Only close the list: the typed text stays (Chromium clears a search field).
          event.preventDefault();
          close();
        }
      } else if (event.key === "Enter") {
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
