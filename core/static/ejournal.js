// A table wider than the screen scrolls inside its box: the box that actually scrolls is made
// reachable by the keyboard (Tab, then the arrow keys) and named by the table's caption or the
// heading before it, so a keyboard or screen-reader user can read the hidden columns (WCAG 2.1.1).
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    for (var node = box.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) { return node.textContent.trim(); }
    }
    var heading = document.querySelector("main h1, h1");
    return heading ? heading.textContent.trim() : document.title;
  }
  function reachable() {
    document.querySelectorAll(".table-responsive, .usage-table-wrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")
          || box.querySelector(FOCUSABLE)) { return; }  // its links and inputs take the focus
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", nameOf(box)); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reachable);
  } else {
    reachable();
  }
  window.addEventListener("resize", reachable);
})();

// A button marked data-print prints the page (the credential slips): no inline script (CSP).
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});

// A button marked data-check-all="NAME" ticks every enabled box of that name in its form (the
// logins to issue start unticked: issuing a few means ticking a few).
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest && event.target.closest("[data-check-all]");
  if (!button || !button.form) { return; }
  var name = button.getAttribute("data-check-all");
  button.form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
    if (box.name === name && !box.disabled) { box.checked = true; }
  });
});
