// The public map: the place of one melding, or all meldingen in view with clusters.
// The page works without this file (a list and a filter form); this only adds the map.
(function () {
  "use strict";
  var P = window.Participatie || {};

  function puntKaart(element) {
    var kaart = P.maakKaart(element);
    var centrum = element.dataset.centrum.split(",").map(Number);
    // Only shows the place (the page says it in words): not a target, nothing to press.
    L.marker(centrum, {
      icon: L.divIcon({ className: "kaart-punt kaart-punt--groot", iconSize: [22, 22] }),
      keyboard: false,
      interactive: false,
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

  // "24 november 2026", as the list says it and a Dutch screen reader reads it.
  var DATUM = { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Amsterdam" };
  function datum(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleDateString("nl-NL", DATUM);
  }

  function popup(p) {
    var div = document.createElement("div");
    div.appendChild(tekst("strong", p.categorie));
    div.appendChild(tekst("p", p.status_label + " · gemeld op " + datum(p.datum), "popup__regel"));
    var link = tekst("a", "Bekijk de melding");
    link.href = p.url;
    div.appendChild(link);
    return div;
  }

  // Every marker is a touch target of DOEL × DOEL px (WCAG 2.5.8 asks 24, thumbs want 44),
  // however small the dot in it, and its name is read out. Markers that would overlap on
  // screen are drawn as one group, so no target hides another.
  var DOEL = 44;

  function icoon(klasse, inhoud, naam, maat) {
    var html = document.createElement("span");
    html.appendChild(tekst("span", inhoud, klasse)).setAttribute("aria-hidden", "true");
    html.appendChild(tekst("span", naam, "visually-hidden"));
    return L.divIcon({ className: "kaart-doel", html: html, iconSize: [maat, maat] });
  }

  function naamVan(p) {
    return p.categorie + ", " + p.status_label.toLowerCase() + ", gemeld op " + datum(p.datum);
  }

  function groepMarker(kaart, groep) {
    var n = groep.aantal;
    var marker = L.marker(groep.latlng, {
      icon: icoon("cluster-icoon", String(n), n + " meldingen hier. Zoom in om ze te zien.", DOEL),
      keyboard: true,
    });
    var alleenPunten = groep.features.every(function (f) { return !f.properties.cluster; });
    if (alleenPunten && kaart.getZoom() >= kaart.getMaxZoom()) {
      // As close as the map goes: list them instead of zooming.
      var lijst = document.createElement("ul");
      lijst.className = "popup__lijst";
      groep.features.forEach(function (f) {
        var li = document.createElement("li");
        li.appendChild(popup(f.properties));
        lijst.appendChild(li);
      });
      marker.bindPopup(lijst);
    } else {
      marker.on("click", function () {
        kaart.fitBounds(groep.grenzen.pad(0.2), { maxZoom: kaart.getZoom() + 2 });
      });
    }
    return marker;
  }

  function meldingMarker(feature, latlng) {
    var p = feature.properties;
    var open = ["afgehandeld", "geannuleerd"].indexOf(p.status) === -1;
    var marker = L.marker(latlng, {
      icon: icoon("kaart-punt" + (open ? "" : " kaart-punt--gesloten"), "", naamVan(p), DOEL),
      keyboard: true,
    });
    marker.bindPopup(popup(p));
    return marker;
  }

  // Greedy grouping in screen pixels: a feature joins the first group whose square target it
  // would overlap, so the squares of the groups that remain never overlap.
  function groepeer(kaart, features) {
    var groepen = [];
    features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      var px = kaart.latLngToLayerPoint(latlng);
      var aantal = f.properties.cluster ? f.properties.aantal : 1;
      var groep = null;
      for (var i = 0; i < groepen.length && !groep; i++) {
        var d = groepen[i].px.subtract(px);
        if (Math.max(Math.abs(d.x), Math.abs(d.y)) < DOEL) { groep = groepen[i]; }
      }
      if (!groep) {
        groepen.push({ px: px, latlng: latlng, aantal: aantal, features: [f],
                       grenzen: L.latLngBounds(latlng, latlng) });
      } else {
        groep.aantal += aantal;
        groep.features.push(f);
        groep.grenzen.extend(latlng);
      }
    });
    return groepen;
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
          groepeer(kaart, geojson.features || []).forEach(function (groep) {
            totaal += groep.aantal;
            var enkel = groep.features.length === 1 && !groep.features[0].properties.cluster;
            laag.addLayer(enkel ? meldingMarker(groep.features[0], groep.latlng)
                                : groepMarker(kaart, groep));
          });
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
