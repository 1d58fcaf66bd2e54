// Inbox: keyboard shortcuts (j/k/Enter) and the small map in the detail panel.
// Everything here is an extra; the inbox works with plain links and forms without it.
(function () {
  "use strict";

  function rijen() {
    return Array.prototype.slice.call(document.querySelectorAll(".inbox-rij__link"));
  }

  function typtInVeld(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function verplaats(stap) {
    var links = rijen();
    if (!links.length) { return; }
    var huidig = links.indexOf(document.activeElement);
    if (huidig === -1) {
      var actief = document.querySelector(".inbox-rij--actief .inbox-rij__link");
      huidig = actief ? links.indexOf(actief) : (stap > 0 ? -1 : links.length);
    }
    var volgende = Math.max(0, Math.min(links.length - 1, huidig + stap));
    links[volgende].focus();
    links[volgende].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typtInVeld(event)) { return; }
    if (event.key === "j") { verplaats(1); event.preventDefault(); }
    if (event.key === "k") { verplaats(-1); event.preventDefault(); }
  });

  function markeerActief(soort, id) {
    document.querySelectorAll(".inbox-rij--actief").forEach(function (rij) {
      rij.classList.remove("inbox-rij--actief");
    });
    var rij = document.getElementById("rij-" + soort + "-" + id);
    if (rij) { rij.classList.add("inbox-rij--actief"); }
  }

  function startKaarten(root) {
    if (!window.L || !window.Participatie || !window.Participatie.maakKaart) { return; }
    root.querySelectorAll(".kaart[data-punt]").forEach(function (element) {
      if (element.classList.contains("kaart--actief")) { return; }
      var kaart = window.Participatie.maakKaart(element);
      L.marker(element.dataset.punt.split(",").map(Number), { keyboard: false }).addTo(kaart);
    });
  }

  function naPaneel() {
    var item = document.querySelector("#paneel .item");
    if (item) { markeerActief(item.dataset.soort, item.dataset.id); }
    startKaarten(document);
  }

  document.addEventListener("DOMContentLoaded", naPaneel);
  document.addEventListener("htmx:afterSettle", function (event) {
    naPaneel();
    if (event.detail.target && event.detail.target.id === "paneel") {
      var fout = document.getElementById("actie-fout");
      (fout || event.detail.target).focus({ preventScroll: !fout });
    }
  });
})();
