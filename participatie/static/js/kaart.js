// The public map: the place of one melding, or all meldingen in view with clusters.
// The page works without this file (a list and a filter form); this only adds the map.
(function () {
  "use strict";
  var P = window.Participatie || {};

  function puntKaart(element) {
    var kaart = P.maakKaart(element);
    var centrum = element.dataset.centrum.split(",").map(Number);
    L.marker(centrum, {
      icon: L.divIcon({ className: "kaart-punt kaart-punt--groot", iconSize: [22, 22] }),
      keyboard: false,
      title: "Plek van de melding",
    }).addTo(kaart);
  }

  function gekozenCategorieen(form) {
    if (!form) { return []; }
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="categorie"]:checked'),
      function (input) { return input.value; }
    );
  }

  function tekst(tag, inhoud, klasse) {
    var el = document.createElement(tag);
    el.textContent = inhoud;
    if (klasse) { el.className = klasse; }
    return el;
  }

  function popup(p) {
    var div = document.createElement("div");
    div.appendChild(tekst("strong", p.categorie));
    div.appendChild(tekst("p", p.status_label + " · gemeld op " + p.datum, "popup__regel"));
    var link = tekst("a", "Bekijk de melding");
    link.href = p.url;
    div.appendChild(link);
    return div;
  }

  function clusterMarker(kaart, feature, latlng) {
    var n = feature.properties.aantal;
    var maat = n < 10 ? 32 : n < 100 ? 38 : n < 1000 ? 46 : 54;
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "cluster-icoon",
        html: "<span>" + String(n) + "</span>",
        iconSize: [maat, maat],
      }),
      title: n + " meldingen hier. Zoom in om ze te zien.",
      keyboard: true,
    });
    marker.on("click", function () {
      kaart.setView(latlng, Math.min(kaart.getZoom() + 2, kaart.getMaxZoom()));
    });
    return marker;
  }

  function meldingMarker(feature, latlng) {
    var p = feature.properties;
    var open = ["afgehandeld", "geannuleerd"].indexOf(p.status) === -1;
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "kaart-punt" + (open ? "" : " kaart-punt--gesloten"),
        iconSize: [18, 18],
      }),
      title: p.categorie + ", " + p.status_label,
      keyboard: true,
    });
    marker.bindPopup(popup(p));
    return marker;
  }

  function meldingenKaart(element) {
    var kaart = P.maakKaart(element);
    var form = document.getElementById("kaartfilter");
    var status = document.getElementById("kaartstatus");
    var laag = L.layerGroup().addTo(kaart);
    var bezig = null;

    function laad() {
      var b = kaart.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (g) { return g.toFixed(5); }).join(",");
      var params = new URLSearchParams({ bbox: bbox, zoom: String(kaart.getZoom()) });
      gekozenCategorieen(form).forEach(function (slug) { params.append("categorie", slug); });
      if (bezig) { bezig.abort(); }
      bezig = new AbortController();
      fetch(element.dataset.geojson + "?" + params.toString(), {
        credentials: "same-origin", signal: bezig.signal,
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
        .then(function (geojson) {
          laag.clearLayers();
          var totaal = 0;
          L.geoJSON(geojson, {
            pointToLayer: function (feature, latlng) {
              if (feature.properties.cluster) {
                totaal += feature.properties.aantal;
                return clusterMarker(kaart, feature, latlng);
              }
              totaal += 1;
              return meldingMarker(feature, latlng);
            },
          }).addTo(laag);
          element.dataset.geladen = String(totaal);
          if (status) {
            status.textContent = totaal === 1 ? "1 melding op de kaart."
              : totaal + " meldingen op de kaart.";
          }
        })
        .catch(function (fout) {
          if (fout && fout.name === "AbortError") { return; }
          if (status) { status.textContent = "De meldingen konden niet worden geladen. De lijst hieronder werkt wel."; }
        });
    }

    kaart.on("moveend", laad);
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name === "categorie") { laad(); }
      });
    }
    laad();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !P.maakKaart) { return; }
    document.querySelectorAll(".kaart--punt").forEach(puntKaart);
    var kaart = document.getElementById("meldingenkaart");
    if (kaart && kaart.dataset.geojson) { meldingenKaart(kaart); }
  });
})();
