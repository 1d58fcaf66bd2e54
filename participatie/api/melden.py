"""POST requests: a melding from an app, made the way /melden makes one (`maak_melding`).

The same rules as the form: a point inside the gemeente (its buurt from PostGIS), a
description of 5 to 1000 characters, an optional e-mail address that gets the confirmation,
photos through the photo pipeline. What the form does not store, neither does this:
first_name, last_name, phone, device_id and account_id are read by no code.

Decisions an app builder needs to know (also in the README):
- a point (`lat` + `long`) is the normal way. We cannot turn an address into a point, so a
  report with only an `address_string` must also name its buurt (`attribute[buurt]`, a CBS
  code from the service definition), as the form asks a resident without a map; such a melding
  is followed through its tracking link (the public map and GET requests show only meldingen
  with a point). `address_string` is kept as the description of the place either way.
- `media_url` is never fetched: no request from our server to an address a client chose
  (privacy, SSRF). An http(s) link is kept as text in the description for staff; a photo
  itself comes as the file `media` (multipart/form-data), at most MAX_FOTOS.
- nearby open meldingen of the same category are never a reason to refuse: the new melding
  gets an internal note naming them, so staff can merge them (samenvoegen).
"""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import FileStorage, MultiDict

from participatie import audit, media
from participatie.api.diensten import BUURT, actieve_categorie, lees_kenmerken
from participatie.api.formaat import Open311Fout, schoon
from participatie.api.models import ApiSleutel
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.gebieden.services import buurt_voor_punt
from participatie.meldingen.forms import MAX_FOTOS, lees_coordinaten
from participatie.meldingen.models import BRON_OPEN311, Gebeurtenis, Melding
from participatie.meldingen.services import (
    afstand_meters,
    maak_melding,
    vergelijkbare_meldingen,
)

MAX_OMSCHRIJVING = 1000
MAX_ADRES = 300
MAX_MEDIA_URL = 1000


def nieuwe_melding(sleutel: ApiSleutel, form: MultiDict, bestanden: MultiDict,
                   nieuwe_fotos: list[media.VerwerkteFoto]) -> Melding:
    """Check a POST and make its melding (flushes, logs). Open311Fout when it cannot be made.

    Photos are processed last, after every cheaper check; each lands in `nieuwe_fotos` as soon
    as its files exist, so the caller can remove them when the commit does not happen.
    """
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Fout(400, "service_code ontbreekt. Zie services.json voor de codes.")
    categorie = actieve_categorie(code)
    if categorie is None:
        raise Open311Fout(404, f"service_code '{schoon(code, 60)}' bestaat niet. Zie "
                               "services.json voor de codes.")
    plek = _plek(form)
    buurt = buurt_voor_punt(*plek) if plek else _buurt(form)
    if buurt is None:
        gemeente = current_app.config["GEMEENTE_NAAM"]
        raise Open311Fout(400, f"Deze plek (lat, long) ligt buiten de gemeente {gemeente}. "
                               f"Wij nemen alleen meldingen in {gemeente} aan.")
    omschrijving = (form.get("description") or "").strip()
    if not 5 <= len(omschrijving) <= MAX_OMSCHRIJVING:
        raise Open311Fout(400, "description is verplicht: beschrijf in 5 tot en met "
                               f"{MAX_OMSCHRIJVING} tekens wat er aan de hand is.")
    adres = (form.get("address_string") or "").strip()
    if len(adres) > MAX_ADRES:
        raise Open311Fout(400, f"address_string is hoogstens {MAX_ADRES} tekens.")
    email = _email(form.get("email"))
    regels = lees_kenmerken(categorie, form) + _media_url(form.get("media_url"))
    uploads = [f for f in bestanden.getlist("media") if f and f.filename]
    if len(uploads) > MAX_FOTOS:
        raise Open311Fout(400, f"Stuur hoogstens {MAX_FOTOS} foto's (media) mee.")
    fotos = [_foto(upload, nieuwe_fotos) for upload in uploads]

    dubbel = [(m.nummer, round(afstand_meters(m, *plek)))
              for m in vergelijkbare_meldingen(categorie.id, *plek)] if plek else []
    melding = maak_melding(
        categorie=categorie, omschrijving="\n\n".join([omschrijving, "\n".join(regels)])
        if regels else omschrijving, buurt=buurt, plek=plek, locatie_tekst=adres,
        email=email, fotos=fotos, bron=BRON_OPEN311 + sleutel.naam,
    )
    if dubbel:
        lijst = ", ".join(f"{nummer} ({meters} m)" for nummer, meters in dubbel)
        melding.gebeurtenissen.append(Gebeurtenis(
            soort=Gebeurtenis.NOTITIE, publiek=False,
            tekst=f"Via {sleutel.naam} gemeld. Misschien hetzelfde als {lijst}. Gaat het om "
                  "hetzelfde? Voeg ze dan samen."))
        db.session.flush()
    audit.log("melding.open311", door=None, object_type="melding", object_id=melding.id,
              na={"app": sleutel.naam, "service_code": categorie.slug, "fotos": len(fotos),
                  "misschien_dubbel": [nummer for nummer, _ in dubbel]})
    return melding


def _plek(form: MultiDict) -> tuple[float, float] | None:
    """The point; None for a report with only an address (its buurt comes from `_buurt`)."""
    lat, lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    if not lat and not lon:
        if (form.get("address_string") or "").strip():
            return None
        raise Open311Fout(400, "lat en long ontbreken: geef de plek in WGS84, bijvoorbeeld "
                               "lat=52.2658&long=6.7931, of een address_string met "
                               "attribute[buurt].")
    try:
        plek = lees_coordinaten(lat, lon) if lat and lon else None
    except ValueError:
        plek = None
    if plek is None:
        raise Open311Fout(400, "lat en long moeten allebei een getal zijn (WGS84, graden): lat "
                               "van -90 tot 90, long van -180 tot 180.")
    return plek


def _buurt(form: MultiDict) -> Buurt:
    """The buurt an address-only report names in attribute[buurt]; Open311Fout else."""
    code = (form.get(f"attribute[{BUURT}]") or "").strip().upper()
    buurt = db.session.get(Buurt, code) if code and len(code) <= 10 else None
    if buurt is None:
        raise Open311Fout(400, "Bij alleen een adres (address_string, zonder lat en long) "
                               f"hoort de buurt: attribute[{BUURT}] met een buurtcode uit de "
                               "dienstdefinitie (services/<service_code>.json). Wij kunnen "
                               "een adres niet omzetten naar een plek op de kaart.")
    return buurt


def _email(waarde: str | None) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    waarde = (waarde or "").strip()
    if not waarde:
        return None
    try:
        if len(waarde) > 254:
            raise EmailNotValidError("te lang")
        return validate_email(waarde, check_deliverability=False).normalized
    except EmailNotValidError:
        raise Open311Fout(400, "email is geen geldig e-mailadres. Bijvoorbeeld: "
                               "naam@voorbeeld.nl") from None


def _media_url(waarde: str | None) -> list[str]:
    """A link to a photo elsewhere, as a line of text for staff: never fetched by us."""
    waarde = (waarde or "").strip()
    if not waarde:
        return []
    if (len(waarde) > MAX_MEDIA_URL or not waarde.isprintable() or " " in waarde
            or not waarde.lower().startswith(("https://", "http://"))):
        raise Open311Fout(400, f"media_url is een http- of https-adres van hoogstens "
                               f"{MAX_MEDIA_URL} tekens. Een foto kunt u ook als bestand "
                               "meesturen in het veld media.")
    return [f"Foto-link van de app (niet door ons geopend of gecontroleerd): {waarde}"]


def _foto(upload: FileStorage, nieuwe_fotos: list[media.VerwerkteFoto]) -> media.VerwerkteFoto:
    config = current_app.config
    try:
        foto = media.verwerk(upload.stream, config["MEDIA_DIR"],
                             max_bytes=config["MAX_PHOTO_BYTES"],
                             max_pixels=config["MAX_PHOTO_PIXELS"])
    except media.FotoFout as fout:
        raise Open311Fout(400, f"media: {fout}") from None
    nieuwe_fotos.append(foto)
    return foto
