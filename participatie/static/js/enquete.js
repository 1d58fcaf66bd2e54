// A place question: a tap on the map puts the pin and fills the hidden fields. Without
// JavaScript the map stays hidden and the description field is the answer.
(function () {
  "use strict";
  function start() {
    var P = window.Participatie;
    if (!P || !window.L) { return; }
    document.querySelectorAll("[data-enquete-plek]").forEach(function (element) {
      var naam = element.dataset.enquetePlek;
      var lat = document.querySelector('input[name="' + naam + '_lat"]');
      var lon = document.querySelector('input[name="' + naam + '_lon"]');
      var kaart = P.maakKaart(element);
      var speld = null;
      function zet(punt) {
        if (speld) { speld.setLatLng(punt); } else { speld = L.marker(punt).addTo(kaart); }
        lat.value = punt.lat.toFixed(6);
        lon.value = punt.lng.toFixed(6);
      }
      if (lat.value && lon.value) {
        zet(L.latLng(Number(lat.value), Number(lon.value)));
        kaart.setView(speld.getLatLng(), 16);
      }
      kaart.on("click", function (e) { zet(e.latlng); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
