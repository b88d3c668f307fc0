// Search suggestions as progressive enhancement: without JavaScript the form still works.
// ARIA 1.2 combobox pattern: the input owns a listbox of links; arrows move, Enter opens.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input, index) {
    var list = document.createElement("ul");
    var listId = "search-suggestions-" + index;
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === position ? "true" : "false"); });
      active = position;
      if (position >= 0) { input.setAttribute("aria-activedescendant", items[position].id); }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        var link = document.createElement("a");
        var type = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        link.href = suggestion.url;
        link.textContent = suggestion.title;
        link.tabIndex = -1;
        type.className = "suggestions__type";
        type.textContent = " · " + suggestion.type_label;
        option.appendChild(link);
        option.appendChild(type);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = suggestion.url; });
        list.appendChild(option);
        return option;
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var request = ++latest;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) { if (request === latest) { show(data.suggestions || []); } })
          .catch(close);
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].querySelector("a").href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();
