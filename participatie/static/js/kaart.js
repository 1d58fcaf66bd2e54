// The public map: the place of one melding, or all meldingen in view with clusters.
(function () {
  "use strict";
  var P = window.Participatie || {};

  function puntKaart(element) {
    var kaart = P.maakKaart(element);
    var centrum = element.dataset.centrum.split(",").map(Number);
    L.circleMarker(centrum, {
      radius: 10, color: "#ffffff", weight: 3, fillColor: "#00477f", fillOpacity: 1,
    }).addTo(kaart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !P.maakKaart) { return; }
    document.querySelectorAll(".kaart--punt").forEach(puntKaart);
  });
})();
