// Keyboard and screen-reader enhancements; every page works without them.
(function () {
  "use strict";

  // Glossary tooltips (glossary/linker.py) show on hover and focus through CSS alone.
  // Escape hides the one showing without moving focus or the pointer (WCAG 1.4.13
  // "dismissible"); it comes back on the next hover or focus.
  function shownTipLinks() {
    var links = [];
    var focused = document.activeElement;
    if (focused && focused.classList && focused.classList.contains("glossary-link")) { links.push(focused); }
    document.querySelectorAll(".glossary-link:hover").forEach(function (link) { links.push(link); });
    document.querySelectorAll(".glossary-tip:hover").forEach(function (tip) {
      if (tip.previousElementSibling) { links.push(tip.previousElementSibling); }
    });
    return links.filter(function (link) {
      var tip = link.nextElementSibling;
      return tip && tip.classList.contains("glossary-tip") && !link.classList.contains("is-dismissed") && tip.getBoundingClientRect().width > 1;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var links = shownTipLinks();
    links.forEach(function (link) { link.classList.add("is-dismissed"); });
    if (links.length) { event.preventDefault(); }
  });
  document.querySelectorAll(".glossary-link").forEach(function (link) {
    function reset() { link.classList.remove("is-dismissed"); }
    link.addEventListener("blur", reset);
    link.addEventListener("mouseenter", reset);
  });

  // After a redirect to "#quiz-errors" or "#quiz-result" (and other fragments that name a
  // container made focusable for this, tabindex="-1"), focus goes there, so a screen reader
  // reads it and the next Tab continues from it.
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.getAttribute("tabindex") === "-1" && document.activeElement !== target) {
      target.focus();
    }
  }
  focusTarget();

  // The error summary's links lead to the first answer of each question: focus it and
  // show its question (the legend) too.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input) { return; }
      event.preventDefault();
      var fieldset = input.closest("fieldset");
      (fieldset || input).scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  });
})();
