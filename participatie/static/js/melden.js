// The resident's forms with a place and photos (/melden, and a buurtbudget idea), enhanced:
// GPS and a map pin fill latitude/longitude (Leaflet is loaded only when the resident asks
// for the map), the "is dit al gemeld?" check (melding only) runs as soon as category and
// place are known, and photos are made smaller on the phone before they are sent. The forms work without any of this (plain POST).
(function () {
  "use strict";
  var P = window.Participatie || {};
  var MAX_PX = 2048;
  var KWALITEIT = 0.85;
  var TERUGVAL = "Kies de plek op de kaart of typ het adres.";

  function afgerond(getal) {
    return (Math.round(getal * 1e6) / 1e6).toString();
  }

  function punt(lat, lng) {
    return window.L ? L.latLng(lat, lng) : { lat: lat, lng: lng };
  }

  // --- Place: GPS button, map pin, "pin in the middle" ----------------------------------

  function plek(form, controleer) {
    var lat = form.querySelector("#latitude");
    var lon = form.querySelector("#longitude");
    var deel = document.getElementById("plek-kaartdeel");
    var status = document.getElementById("plek-status");
    var gps = document.getElementById("gps-knop");
    var midden = document.getElementById("speld-midden");
    var kaartElement = document.getElementById("melden-kaart");
    if (!deel || !lat || !lon) { return; }

    var kaart = null;
    var speld = null;

    function meld(tekst) { status.textContent = tekst; }

    function heeftPunt() {
      return lat.value && lon.value && !isNaN(Number(lat.value)) && !isNaN(Number(lon.value));
    }

    function vul(latlng) {
      lat.value = afgerond(latlng.lat);
      lon.value = afgerond(latlng.lng);
      // With a point, the address and buurt are no longer needed.
      ["locatie_tekst", "buurt"].forEach(function (id) {
        var veld = document.getElementById(id);
        if (veld) { veld.required = false; }
      });
      controleer();
    }

    function zetSpeld(latlng, centreer) {
      if (kaart) {
        if (!speld) {
          var wat = form.dataset.speld || "het probleem";
          speld = L.marker(latlng, { draggable: true, keyboard: true, title: "Plek van " + wat,
                                     alt: "Speld op de plek van " + wat }).addTo(kaart);
          speld.on("dragend", function () {
            vul(speld.getLatLng());
            meld("De speld staat op de nieuwe plek.");
          });
        } else {
          speld.setLatLng(latlng);
        }
        if (centreer) { kaart.setView(latlng, Math.max(kaart.getZoom(), 17)); }
      }
      vul(latlng);
    }

    var kaartKnop = document.getElementById("kaart-knop");
    var vak = document.getElementById("kaart-vak");

    // Leaflet is loaded only now: a resident who uses GPS or types an address never needs it.
    function openKaart() {
      if (kaart || !P.laadLeaflet || !kaartElement) { return; }
      vak.hidden = false;  // the map's box has its size before Leaflet arrives: no shift
      kaartKnop.setAttribute("aria-expanded", "true");
      kaartKnop.disabled = true;
      meld("De kaart wordt geladen…");
      P.laadLeaflet(kaartElement).then(function () {
        kaart = P.maakKaart(kaartElement);
        kaart.on("click", function (e) {
          zetSpeld(e.latlng, false);
          meld("De speld staat op de plek waar u tikte. U kunt hem verslepen.");
        });
        kaartKnop.hidden = true;
        if (heeftPunt()) {
          zetSpeld(L.latLng(Number(lat.value), Number(lon.value)), true);
          meld("De speld staat op de plek die u koos. U kunt hem verslepen.");
        } else {
          meld("Tik op de kaart op de plek, of verschuif de kaart en zet de speld in het midden.");
        }
        kaartElement.focus();
      }).catch(function () {
        vak.hidden = true;
        kaartKnop.disabled = false;
        kaartKnop.setAttribute("aria-expanded", "false");
        meld("De kaart kon niet worden geladen. Gebruik uw locatie of typ het adres.");
      });
    }

    if (kaartKnop && vak) { kaartKnop.addEventListener("click", openKaart); }
    if (heeftPunt()) {
      meld("U heeft de plek al gekozen. Wilt u hem zien of verplaatsen? Kies de plek op de kaart.");
    }

    if (midden) {
      midden.addEventListener("click", function () {
        if (!kaart) { return; }
        zetSpeld(kaart.getCenter(), false);
        meld("De speld staat in het midden van de kaart. Verschuif de kaart met de pijltjestoetsen en " +
             "kies deze knop opnieuw om de speld te verplaatsen.");
      });
    }

    gps.addEventListener("click", function () {
      if (!navigator.geolocation) {
        meld("Uw apparaat kan uw locatie niet doorgeven. " + TERUGVAL);
        return;
      }
      gps.disabled = true;
      meld("Bezig met zoeken naar uw locatie…");
      navigator.geolocation.getCurrentPosition(
        function (positie) {
          gps.disabled = false;
          zetSpeld(punt(positie.coords.latitude, positie.coords.longitude), true);
          meld(kaart ? "Gevonden! De speld staat op uw plek. Klopt het niet helemaal? Versleep de speld."
               : "Gevonden! Wij gebruiken uw plek. Wilt u hem controleren? Kies de plek op de kaart.");
        },
        function (fout) {
          gps.disabled = false;
          if (fout.code === 1) {
            meld("U gaf geen toestemming om uw locatie te gebruiken. " + TERUGVAL);
          } else {
            meld("Uw locatie is niet gevonden. " + TERUGVAL);
          }
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  // --- "Is dit al gemeld?" ------------------------------------------------------------------

  function vergelijkbaar(form) {
    var doel = document.getElementById("vergelijkbaar");
    var knop = document.getElementById("verstuur");
    var categorie = form.querySelector("#categorie");
    var email = form.querySelector("#email");
    var steunForm = document.getElementById("steun-form");
    var laatste = "";

    if (steunForm && email) {
      // The supporter's e-mail is whatever they typed in the melding form.
      steunForm.addEventListener("submit", function () {
        var veld = doel.querySelector("[data-steun-email]");
        if (veld) { veld.value = email.value; }
      });
    }

    function controleer() {
      var lat = form.querySelector("#latitude").value;
      var lon = form.querySelector("#longitude").value;
      if (!categorie.value || !lat || !lon || !form.dataset.vergelijkbaarUrl) { return; }
      var query = new URLSearchParams({ categorie: categorie.value, latitude: lat, longitude: lon });
      if (query.toString() === laatste) { return; }
      laatste = query.toString();
      fetch(form.dataset.vergelijkbaarUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null || query.toString() !== laatste) { return; }
          doel.innerHTML = html;
          var gevonden = doel.querySelector("[name=steun_melding]") !== null;
          knop.textContent = gevonden ? "Nee, het is een nieuwe melding: verstuur" : "Verstuur melding";
        })
        .catch(function () { /* the server checks again when the form is sent */ });
    }

    categorie.addEventListener("change", controleer);
    return controleer;
  }

  // --- Photos: smaller before sending, with previews ---------------------------------------

  function verklein(bestand) {
    if (!/^image\/(jpeg|png|webp)$/.test(bestand.type) || !window.createImageBitmap) {
      return Promise.resolve(bestand);  // HEIC and the rest go as they are
    }
    return createImageBitmap(bestand, { imageOrientation: "from-image" })
      .then(function (beeld) {
        var schaal = Math.min(1, MAX_PX / Math.max(beeld.width, beeld.height));
        if (schaal === 1 && bestand.size < 1024 * 1024) {
          beeld.close();
          return bestand;
        }
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(beeld.width * schaal));
        canvas.height = Math.max(1, Math.round(beeld.height * schaal));
        canvas.getContext("2d").drawImage(beeld, 0, 0, canvas.width, canvas.height);
        beeld.close();
        return new Promise(function (klaar) {
          canvas.toBlob(function (blob) {
            if (!blob || blob.size >= bestand.size) { klaar(bestand); return; }
            var naam = bestand.name.replace(/\.[^.]*$/, "") + ".jpg";
            klaar(new File([blob], naam, { type: "image/jpeg", lastModified: Date.now() }));
          }, "image/jpeg", KWALITEIT);
        });
      })
      .catch(function () { return bestand; });
  }

  function fotos(form) {
    var inputs = [form.querySelector("#foto_camera"), form.querySelector("#foto_kies")];
    var voorbeelden = document.getElementById("foto-voorbeelden");
    var knop = document.getElementById("verstuur");
    var bezig = 0;
    var knopTekst = "";

    function toonVoorbeelden() {
      if (!voorbeelden) { return; }
      voorbeelden.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
      voorbeelden.textContent = "";
      var nummer = 0;
      inputs.forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (bestand) {
          nummer += 1;
          if (!/^image\/(jpeg|png|webp)$/.test(bestand.type)) { return; }
          var img = document.createElement("img");
          img.src = URL.createObjectURL(bestand);
          img.alt = "Gekozen foto " + nummer;
          voorbeelden.appendChild(img);
        });
      });
    }

    inputs.forEach(function (input) {
      if (!input) { return; }
      input.addEventListener("change", function () {
        var gekozen = Array.prototype.slice.call(input.files || []);
        if (!gekozen.length || !window.DataTransfer) { toonVoorbeelden(); return; }
        if (bezig === 0) { knopTekst = knop.textContent; }
        bezig += 1;
        knop.disabled = true;
        knop.textContent = "Foto wordt klaargemaakt…";
        Promise.all(gekozen.map(verklein)).then(function (klaar) {
          var lijst = new DataTransfer();
          klaar.forEach(function (bestand) { lijst.items.add(bestand); });
          input.files = lijst.files;
        }).catch(function () { /* keep the original files */ }).then(function () {
          bezig -= 1;
          if (bezig === 0) {
            knop.disabled = false;
            knop.textContent = knopTekst;
          }
          toonVoorbeelden();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("melding-form") || document.getElementById("idee-form");
    if (!form) { return; }
    var controleer = form.id === "melding-form" ? vergelijkbaar(form) : function () {};
    plek(form, controleer);
    fotos(form);
  });
})();
