// The ballot: a running total, and ideas that no longer fit the budget (or the maximum
// number) cannot be ticked. The server checks the same rules; this only helps.
(function () {
  "use strict";
  var formulier = document.querySelector(".stembiljet");
  if (!formulier) { return; }
  var budget = parseInt(formulier.dataset.budget || "0", 10);
  var max = parseInt(formulier.dataset.max || "0", 10);
  var vakjes = Array.prototype.slice.call(formulier.querySelectorAll("input[name=idee]"));
  var euro = new Intl.NumberFormat("nl-NL");

  function bijwerken() {
    var totaal = 0, aantal = 0;
    vakjes.forEach(function (v) { if (v.checked) { totaal += +v.dataset.kosten; aantal += 1; } });
    vakjes.forEach(function (v) {
      var past = (!budget || v.checked || totaal + +v.dataset.kosten <= budget) &&
                 (!max || v.checked || aantal < max);
      v.disabled = !past;
      v.closest("li").classList.toggle("stembiljet__idee--past-niet", !past);
    });
    var t = formulier.querySelector("[data-totaal]"), o = formulier.querySelector("[data-over]");
    if (t) { t.textContent = euro.format(totaal); }
    if (o) { o.textContent = euro.format(budget - totaal); }
  }
  vakjes.forEach(function (v) { v.addEventListener("change", bijwerken); });
  bijwerken();
})();
