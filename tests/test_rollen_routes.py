"""Every /beheer route, every HTTP method, every role: who gets in and who gets a 403.

How a feature declares who may use a staff route
-------------------------------------------------
Decorate the view with ``@staff_route(Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, ...)`` from
``participatie.accounts.permissions`` (no roles = every staff role). The decorator keeps the
roles on the view as ``view.rollen``. This test discovers the routes from ``app.url_map`` when
it runs, so a new route is checked without being listed here, and a /beheer view without
``rollen`` fails the test. Object checks (is this melding in one of my wijken?) belong in the
feature's ``permissions.py``; test those in the feature's own tests.

URL arguments are filled by name in ``WAARDEN`` (then by converter). A feature whose route
takes an argument that is not there yet adds one line to ``WAARDEN``; an unknown ``int``
argument falls back to the melding in wijk Noord. The world has one melding in Noord
with a photo, a leefbaarheidsvraag with that melding as its source, a second user, and a
budgetronde in Noord with one idea (with a photo) in it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from flask import g
from PIL import Image
from werkzeug.routing import IntegerConverter

from participatie import media
from participatie.accounts.models import Rol
from participatie.accounts.services import organisatie_by_naam
from participatie.meldingen.models import Foto
from tests.factories import (
    DE_NOORK,
    budgetronde,
    csrf_token,
    gebruiker,
    idee,
    leefbaarheidsvraag,
    login,
    melding,
)

NOORD = "WK016402"
METHODES = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class Wereld:
    melding_id: int
    foto_id: int
    ander_id: int
    token: str
    vraag_id: int
    bron_id: int
    ronde: str
    idee_id: int


WAARDEN = {
    "id": lambda w: w.melding_id,
    "melding_id": lambda w: w.melding_id,
    "foto_id": lambda w: w.foto_id,
    "user_id": lambda w: w.ander_id,
    "gebruiker_id": lambda w: w.ander_id,
    "vraag_id": lambda w: w.vraag_id,
    "bron_id": lambda w: w.bron_id,
    "wijkcode": lambda w: NOORD,
    "wijk_code": lambda w: NOORD,
    "code": lambda w: NOORD,
    "token": lambda w: w.token,
    "ronde": lambda w: w.ronde,
    "idee_id": lambda w: w.idee_id,
}


def _staff_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.rule.startswith("/beheer")),
        key=lambda r: r.rule,
    )


def _url(rule, wereld: Wereld) -> str:
    waarden = {}
    for naam, converter in rule._converters.items():
        if naam in WAARDEN:
            waarden[naam] = WAARDEN[naam](wereld)
        elif hasattr(converter, "items"):  # <any(a, b):naam>
            waarden[naam] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            waarden[naam] = wereld.melding_id
        else:
            waarden[naam] = "onbekend"
    return rule.build(waarden)[1]


@pytest.fixture
def wereld(app, db_session, media_dir) -> Wereld:
    m = melding(plek=DE_NOORK, email="melder@example.nl")
    assert m.wijk_code == NOORD
    # Assigned to Gildebor, so a Gildebor partner has real work on it.
    m.organisatie = organisatie_by_naam("Gildebor")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(png, "PNG")
    verwerkt = media.verwerk(png.getvalue(), media_dir, max_bytes=10**6, max_pixels=10**6)
    foto = Foto(melding=m, bestand=verwerkt.bestand, thumbnail=verwerkt.thumbnail,
                breedte=verwerkt.breedte, hoogte=verwerkt.hoogte)
    db_session.add(foto)
    ander = gebruiker("wijkraadlid", email="ander@hengelo.nl")
    vraag = leefbaarheidsvraag(m)
    ronde = budgetronde()
    idee_foto = media.verwerk(png.getvalue(), media_dir, max_bytes=10**6, max_pixels=10**6)
    plan = idee(ronde, email="indiener@example.nl", foto=idee_foto)
    db_session.flush()
    w = Wereld(melding_id=m.id, foto_id=foto.id, ander_id=ander.id, token=m.token,
               vraag_id=vraag.id, bron_id=vraag.bronnen[0].id, ronde=ronde.slug,
               idee_id=plan.id)
    # Released into the test's outer transaction, so a view's rollback cannot undo it.
    db_session.commit()
    yield w
    media.verwijder(media_dir, verwerkt.bestand, verwerkt.thumbnail, idee_foto.bestand,
                    idee_foto.thumbnail)


def test_elke_beheer_route_declareert_rollen(app):
    rules = _staff_rules(app)
    assert rules, "geen /beheer routes gevonden"
    zonder = [r.rule for r in rules if not hasattr(app.view_functions[r.endpoint], "rollen")]
    assert not zonder, f"/beheer routes zonder @staff_route: {zonder}"


def test_anoniem_gaat_naar_inloggen_en_htmx_krijgt_401(app, client, wereld):
    token = csrf_token(client, "/login")
    fouten = []
    for rule in _staff_rules(app):
        url = _url(rule, wereld)
        for methode in sorted(set(METHODES) & rule.methods):
            data = {"csrf_token": token} if methode != "GET" else None
            response = client.open(url, method=methode, data=data)
            if response.status_code != 302 or "/login" not in response.headers["Location"]:
                fouten.append(f"{methode} {url}: {response.status_code}")
            htmx = client.open(url, method=methode, data=data, headers={"HX-Request": "true"})
            if htmx.status_code != 401 or "/login" not in htmx.headers.get("HX-Redirect", ""):
                fouten.append(f"htmx {methode} {url}: {htmx.status_code}")
    assert not fouten, "\n".join(fouten)


@pytest.mark.parametrize("rol", list(Rol))
def test_rol_krijgt_precies_de_routes_die_hij_mag(app, client, db_session, wereld, rol):
    user = gebruiker(rol.value, wijken=(NOORD,),
                     organisatie="Gildebor" if rol == Rol.PARTNER else None)
    db_session.commit()
    login(client, user)
    token = csrf_token(client, "/")
    fouten = []
    # All GETs first: a POST that works (e.g. closing the melding) must not change what a
    # later GET of the same role sees.
    verzoeken = [(methode, rule) for methode in METHODES for rule in _staff_rules(app)
                 if methode in rule.methods]
    for methode, rule in verzoeken:
        url = _url(rule, wereld)
        view = app.view_functions[rule.endpoint]
        mag = rol in getattr(view, "rollen", ())
        g.pop("_login_user", None)  # each real request loads the user afresh
        try:
            response = client.open(url, method=methode,
                                   data={"csrf_token": token} if methode != "GET" else None)
        except Exception as error:  # noqa: BLE001 (TESTING propagates errors: report them all)
            fouten.append(f"{methode} {url}: fout {type(error).__name__}: {error}")
            continue
        status = response.status_code
        if response.status_code == 302 and "/login" in response.headers["Location"]:
            fouten.append(f"{methode} {url}: {rol} werd uitgelogd")
        elif mag and methode == "GET" and status not in (200, 302, 303):
            fouten.append(f"{methode} {url}: {rol} mag dit, kreeg {status}")
        elif (mag and status in (403, 404, 405)) or status >= 500:
            # A POST with only a token may be refused for its empty fields (400/422), never
            # for who is asking.
            fouten.append(f"{methode} {url}: {rol} mag dit, kreeg {status}")
        elif not mag and status != 403:
            fouten.append(f"{methode} {url}: {rol} mag dit niet, kreeg {status}")
    assert not fouten, "\n".join(fouten)


@pytest.mark.parametrize("wie", ["regisseur van een andere wijk", "partner van een ander"])
def test_wie_er_niet_over_gaat_krijgt_geen_enkel_object(app, client, db_session, wereld, wie):
    """Every route about one object refuses staff of another wijk or organisation."""
    if wie.startswith("regisseur"):
        user = gebruiker("stadsdeelregisseur", wijken=("WK016400",))
    else:
        user = gebruiker("partner", organisatie="Welbions")
    db_session.commit()
    login(client, user)
    token = csrf_token(client, "/")
    fouten = []
    object_routes = [r for r in _staff_rules(app) if r.arguments]
    assert object_routes
    for rule in object_routes:
        url = _url(rule, wereld)
        for methode in sorted(set(METHODES) & rule.methods):
            g.pop("_login_user", None)
            status = client.open(url, method=methode, data={"csrf_token": token}
                                 if methode != "GET" else None).status_code
            if status not in (403, 404):
                fouten.append(f"{methode} {url}: {wie} kreeg {status}")
    assert not fouten, "\n".join(fouten)
