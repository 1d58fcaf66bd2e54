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
  document.addEventListener("htmx:afterSettle", focusErrors);
})();
