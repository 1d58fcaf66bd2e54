// One way to start a Leaflet map on any page: window.Participatie.maakKaart(element).
// The element carries its settings as data attributes (see templates/_kaart.html), so no
// inline script is needed. Without tiles (offline, blocked) the wijk outlines still show.
(function () {
  "use strict";
  var P = (window.Participatie = window.Participatie || {});

  P.maakKaart = function (element, options) {
    options = options || {};
    var d = element.dataset;
    element.hidden = false;
    var bron = document.querySelector('[data-kaart-bron="' + element.id + '"]');
    if (bron) { bron.hidden = false; }
    var centrum = (d.centrum || "52.2658,6.7931").split(",").map(Number);
    var kaart = L.map(element, {
      center: centrum,
      zoom: Number(d.zoom || 13),
      minZoom: 10,
      maxZoom: 19,
      keyboard: true,
      tap: true,
      attributionControl: true,
    });
    kaart.attributionControl.setPrefix(false);
    kaart.attributionControl.addAttribution("Bron: CBS / Kadaster");
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, {
        maxZoom: 19,
        maxNativeZoom: 19,
        attribution: d.tileAttribution || "",
        crossOrigin: false,
      }).addTo(kaart);
    }
    if (d.grenzen) {
      fetch(d.grenzen, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (geojson) {
          if (!geojson) { return; }
          L.geoJSON(geojson, {
            interactive: false,
            style: { color: "#00477f", weight: 1.5, opacity: 0.7, fill: false },
          }).addTo(kaart);
        })
        .catch(function () { /* outlines are a nicety; the map works without them */ });
    }
    element.classList.add("kaart--actief");
    return kaart;
  };
})();
