// Shared progressive enhancement. Every page works without this file.
(function () {
  "use strict";

  // htmx sends the CSRF token as a header (Flask-WTF reads X-CSRFToken).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });

  // After a failed submit, move focus to the error summary so screen readers hear it.
  function focusErrors() {
    var summary = document.getElementById("foutsamenvatting");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", focusErrors);

  // A link in the error summary puts the cursor in the field, also when it points at a
  // group of fields (the place, the photos): the first field in it that can take it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".foutsamenvatting a[href^='#']");
    var doel = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!doel) { return; }
    var veld = doel.matches("input, select, textarea") ? doel
      : doel.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
    if (!veld || veld.offsetParent === null) { return; }
    event.preventDefault();
    doel.scrollIntoView({ block: "start" });
    veld.focus({ preventScroll: true });
  });
  document.addEventListener("htmx:afterSettle", focusErrors);
})();
