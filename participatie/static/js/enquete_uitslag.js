// The places of a "plek" question as pins on a map; the SVG beside it stays for pages
// without JavaScript (it is hidden once the map is there).
(function () {
  "use strict";
  function start() {
    var P = window.Participatie;
    if (!P || !window.L) { return; }
    document.querySelectorAll("[data-punten]").forEach(function (element) {
      var punten = JSON.parse(element.dataset.punten || "[]");
      var kaart = P.maakKaart(element);
      var laag = L.featureGroup(punten.map(function (p) {
        return L.circleMarker(p, { radius: 5, color: "#c8102e", weight: 1, fillOpacity: 0.7 });
      })).addTo(kaart);
      if (punten.length) { kaart.fitBounds(laag.getBounds(), { padding: [20, 20], maxZoom: 16 }); }
      var svg = element.parentNode.querySelector(".enquete-plekken");
      if (svg) { svg.hidden = true; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
