"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): every call in JSON and XML.

Reading is open to anyone; posting a melding needs an API key. Extensions to the spec, all
documented in the README: `page_size` and `after` (keyset paging, with a Link header to the
next page) on GET requests, the file `media` on POST requests, and `tracking_url` (the
resident's tracking page) in the answer to a POST.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request, url_for

from participatie import audit, mail, media
from participatie.api import bp
from participatie.api.diensten import (
    actieve_categorie,
    actieve_categorieen,
    definitie,
    dienst,
    gesorteerd,
)
from participatie.api.formaat import Open311Fout, antwoord, formaat_van_pad, fout_antwoord
from participatie.api.melden import nieuwe_melding
from participatie.api.sleutels import geldige_sleutel, tel_gebruik
from participatie.api.verzoeken import (
    cursor,
    een,
    lees_vraag,
    service_notice,
    w3c,
    zoek,
)
from participatie.extensions import csrf, db, limiter
from participatie.meldingen.services import absolute_url
from participatie.web import heel_getal

PREFIX = "/open311/v2"
FORMAAT = "<any(json, xml):formaat>"
SPECIFICATIE = "http://wiki.open311.org/GeoReport_v2"
# When this API (its calls, fields or services) last changed: clients may re-read then.
CHANGESET = "2026-11-24T00:00:00+01:00"
CACHE_SECONDEN = 60


def _lees_limiet() -> str:
    return current_app.config["RATELIMIT_OPEN311_LEZEN"]


def _client_limiet() -> str:
    return current_app.config["RATELIMIT_OPEN311_CLIENT"]


def _sleutel_limiet() -> str:
    return current_app.config["RATELIMIT_OPEN311_SLEUTEL"]


def _per_sleutel() -> str:
    """The limiter's bucket for the key a POST carries: a hash, never the key itself."""
    waarde = (request.form.get("api_key") or "")[:100].encode()
    return "open311-sleutel:" + hashlib.sha256(waarde).hexdigest()[:24]


@bp.errorhandler(Open311Fout)
def _open311_fout(fout: Open311Fout):
    return fout_antwoord(fout.status, fout.beschrijving, formaat_van_pad(request.path),
                         code=fout.code)


@bp.before_request
def _jurisdictie() -> None:
    """jurisdiction_id is optional (we serve one gemeente); a different one is a 404."""
    if not request.path.startswith(PREFIX):  # the beheer pages share this blueprint
        return
    waarde = (request.values.get("jurisdiction_id") or "").strip()
    eigen = current_app.config["OPEN311_JURISDICTION"]
    if waarde and waarde.lower().removeprefix("www.") != eigen:
        raise Open311Fout(404, f"jurisdiction_id '{waarde[:60]}' kennen wij niet. Dit is "
                               f"{eigen}; u kunt jurisdiction_id ook weglaten.")


def _publiek(response, seconden: int = CACHE_SECONDEN):
    response.cache_control.public = True
    response.cache_control.max_age = seconden
    return response


@bp.get(f"{PREFIX}/discovery.{FORMAAT}")
@limiter.limit(_lees_limiet)
def discovery(formaat: str):
    config = current_app.config
    gemeente = config["GEMEENTE_NAAM"]
    contact = config["OPEN311_CONTACT"] or f"Gemeente {gemeente}, telefoon 14 074."
    return _publiek(antwoord("discovery", {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": f"Lezen kan zonder sleutel. Om meldingen te versturen vraagt u een "
                       f"API-sleutel aan bij de gemeente {gemeente}: {contact}",
        "endpoints": [{
            "specification": SPECIFICATIE,
            "url": config["PUBLIC_URL"] + PREFIX,
            "changeset": CHANGESET,
            "type": "production" if config["ENV_NAME"] == "production" else "test",
            "formats": ["text/xml", "application/json"],
        }],
    }, formaat), 3600)


@bp.get(f"{PREFIX}/services.{FORMAAT}")
@limiter.limit(_lees_limiet)
def services(formaat: str):
    diensten = [dienst(c) for c in gesorteerd(actieve_categorieen())]
    return _publiek(antwoord("services", diensten, formaat), 3600)


@bp.get(f"{PREFIX}/services/<service_code>.{FORMAAT}")
@limiter.limit(_lees_limiet)
def service_definition(service_code: str, formaat: str):
    categorie = actieve_categorie(service_code)
    if categorie is None:
        raise Open311Fout(404, f"service_code '{service_code[:60]}' bestaat niet. Zie "
                               "services.json voor de codes.")
    return _publiek(antwoord("service_definition", definitie(categorie), formaat), 3600)


@bp.get(f"{PREFIX}/requests.{FORMAAT}")
@limiter.limit(_lees_limiet)
def requests(formaat: str):
    vraag = lees_vraag(request.args)
    verzoeken, volgende = zoek(vraag)
    headers = {}
    if volgende is not None:
        args = {naam: request.args[naam] for naam in ("service_code", "status", "page_size",
                                                      "jurisdiction_id") if request.args.get(naam)}
        link = url_for("api.requests", formaat=formaat, **args, start_date=w3c(vraag.van),
                       end_date=w3c(vraag.tot), after=cursor(volgende))
        headers["Link"] = f'<{link}>; rel="next"'
    return _publiek(antwoord("service_requests", verzoeken, formaat, headers=headers))


@bp.get(f"{PREFIX}/requests/<service_request_id>.{FORMAAT}")
@limiter.limit(_lees_limiet)
def request_een(service_request_id: str, formaat: str):
    melding_id = heel_getal(service_request_id.upper().removeprefix("M-"))
    verzoek = een(melding_id) if melding_id is not None else None
    if verzoek is None:
        raise Open311Fout(404, f"Service request '{service_request_id[:40]}' bestaat niet of "
                               "is niet openbaar.")
    return _publiek(antwoord("service_requests", [verzoek], formaat))


# Apps post with an API key, not from a page of ours: no session, so nothing to forge.
@csrf.exempt
@bp.post(f"{PREFIX}/requests.{FORMAAT}")
@limiter.limit(_client_limiet)
@limiter.limit(_sleutel_limiet, key_func=_per_sleutel)
def nieuw(formaat: str):
    """POST Service Request: a melding from an app, made as /melden makes one."""
    sleutel = geldige_sleutel(request.form.get("api_key"))
    if sleutel is None:
        raise Open311Fout(403, "api_key ontbreekt, is onbekend of is ingetrokken. Vraag een "
                               "sleutel aan bij de gemeente (zie discovery.json).")
    naam, sleutel_id = sleutel.naam, sleutel.id
    tel_gebruik(sleutel)  # a refused request counts too
    db.session.commit()
    nieuwe_fotos: list[media.VerwerkteFoto] = []
    try:
        melding = nieuwe_melding(sleutel, request.form, request.files, nieuwe_fotos)
        db.session.commit()
    except BaseException as fout:
        media.verwijder(current_app.config["MEDIA_DIR"],
                        *[n for f in nieuwe_fotos for n in (f.bestand, f.thumbnail)])
        if isinstance(fout, Open311Fout):
            db.session.rollback()
            audit.log("open311.geweigerd", door=None, object_type="api_sleutel",
                      object_id=sleutel_id, na={"app": naam, "status": fout.status,
                                                "fout": fout.beschrijving[:300]})
            db.session.commit()
        raise
    # Read before the mail goes out: the melding is stored, whatever happens next.
    melding_id, token = melding.id, melding.token
    termijn = melding.categorie.afhandeltermijn_werkdagen
    mail.deliver_pending()
    return antwoord("service_requests", [{
        "service_request_id": melding_id,
        "service_notice": service_notice(termijn),
        "account_id": None,
        "tracking_url": absolute_url("meldingen.volglink", token=token),
    }], formaat)


@csrf.exempt
@bp.route(f"{PREFIX}/", defaults={"rest": ""}, methods=["GET", "POST"])
@bp.route(f"{PREFIX}/<path:rest>", methods=["GET", "POST"])
def onbekend(rest: str):
    raise Open311Fout(404, "Deze URL bestaat niet in Open311 GeoReport v2. Begin bij "
                           f"{PREFIX}/discovery.json.")
