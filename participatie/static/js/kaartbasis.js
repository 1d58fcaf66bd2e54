// One way to start a Leaflet map on any page: window.Participatie.maakKaart(element).
// The element carries its settings as data attributes (see templates/_kaart.html), so no
// inline script is needed. Without tiles (offline, blocked) the wijk outlines still show.
// P.laadLeaflet(element) loads Leaflet itself when a page wants it only on request (/melden).
(function () {
  "use strict";
  var P = (window.Participatie = window.Participatie || {});
  var leaflet = null;

  function laad(maak) {
    return new Promise(function (klaar, mislukt) {
      var el = maak();
      el.onload = klaar;
      el.onerror = mislukt;
      document.head.appendChild(el);
    });
  }

  P.laadLeaflet = function (element) {
    if (window.L) { return Promise.resolve(); }
    if (!leaflet) {
      var d = element.dataset;
      leaflet = Promise.all([
        laad(function () {
          var css = document.createElement("link");
          css.rel = "stylesheet";
          css.href = d.leafletCss;
          return css;
        }),
        laad(function () {
          var js = document.createElement("script");
          js.src = d.leafletJs;
          return js;
        }),
      ]).catch(function (fout) { leaflet = null; throw fout; });
    }
    return leaflet;
  };

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
      zoomControl: false,
    });
    // Leaflet's own texts are English; a Dutch screen reader should read Dutch.
    L.control.zoom({ zoomInTitle: "Inzoomen", zoomOutTitle: "Uitzoomen" }).addTo(kaart);
    kaart.on("popupopen", function (e) {
      var sluit = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (sluit) { sluit.setAttribute("aria-label", "Sluiten"); sluit.title = "Sluiten"; }
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
