// A "Print" button where the page asks for one (data-print-button); without JavaScript
// the browser's own print command does the same.
document.querySelectorAll("[data-print-button]").forEach(function (holder) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary";
  button.textContent = holder.getAttribute("data-label");
  button.addEventListener("click", function () { window.print(); });
  holder.appendChild(button);
});
