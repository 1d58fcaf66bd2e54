"""Nothing a user can send produces a 500: odd path segments, query strings and form fields,
on every route, for every role.

The field test finds what a route reads in two ways: the forms on every page (their fields
and what a browser sends by default), and the names the code itself asks `request.args` and
`request.form` for while it answers a normal request. A new route or field is covered without
being listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import g, request, request_started
from sqlalchemy import func, select
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from participatie.extensions import db
from tests.factories import DE_NOORK, categorie, csrf_token, gebruiker, login, melding
from tests.wereld import NOORD, url_voor

# --- Path segments, and one odd query string, on every GET route ----------------------------

RARE_WAARDEN = ["0", "-1", "99999999999999999999", "abc", "%00", "' OR 1=1 --", "é" * 300]
RARE_QUERY = (
    "?pagina=-5&na=x,y,z&voor=%00&bbox=1,2,3&zoom=99&categorie=<script>&wijk=WK999"
    "&status=bestaat_niet&buurt=1&q=%27%22%3C&van=31-31-2026&tot=gisteren&sort=@"
    "&latitude=NaN&longitude=inf&organisatie=abc&te_laat=ja&met_foto=misschien"
)


def _paden(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments:
            yield rule.rule
            continue
        for waarde in RARE_WAARDEN:
            pad = rule.rule
            for argument in rule.arguments:
                pad = re.sub(rf"<(?:[^:<>]+:)?{argument}>", waarde, pad)
            yield pad


@pytest.mark.parametrize("rol", [None, "beheerder"])
def test_geen_enkele_get_route_geeft_een_500(app, client, db_session, rol):
    melding(email="bewoner@voorbeeld.nl")
    if rol:
        login(client, gebruiker(rol))
    fouten = []
    for pad in _paden(app):
        for url in (pad, pad + RARE_QUERY):
            try:
                status = client.get(url).status_code
            except Exception as error:  # TESTING lets exceptions through: that is a 500
                status = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
            if not isinstance(status, int) or status >= 500:
                fouten.append(f"{url} → {status}")
    assert not fouten, "\n".join(fouten)


def test_nul_teken_in_een_formulier_geeft_een_nette_400(client, db_session):
    response = client.post("/melden", data={"csrf_token": csrf_token(client, "/melden"),
                                            "omschrijving": "kapot\x00"})
    assert response.status_code == 400
    assert "teken dat wij niet kunnen lezen" in response.get_data(as_text=True)


# --- Every query-string and form field of every route, for every role --------------------

VELD_WAARDEN = (
    "99999999999", "461168601842738792", "-1", "9999-12-31", "0001-01-01", "abc", "\x00",
    "a" * 5000, "1e309", "NaN", "%", "melding:99999999999", "1,99999999999999999999,melding,1",
    "2,99999999999999999,melding,1", "/\r\nLocation: //evil.example",
)
# Read by some route from its query string; sent to every route in the all-at-once requests.
BEKENDE_ARGS = (
    "pagina", "na", "voor", "zoek", "status", "soort", "wijk", "buurt", "categorie",
    "organisatie", "te_laat", "met_foto", "sortering", "bbox", "zoom", "ids", "ouder_dan", "van",
    "tot", "object_type", "next", "lijst",
)
# What a field needs to get past a form's first check, so that an odd value in another field
# reaches the code behind it (e.g. a point in Hengelo for "dit is mijn melding ook").
GOEDE_WAARDEN = {
    "latitude": str(DE_NOORK[0]), "longitude": str(DE_NOORK[1]),
    "omschrijving": "Vuilniszakken naast de container", "tekst": "Een bericht voor de test.",
    "bericht": "Een bericht voor de test.", "antwoord": "Het ligt er nog steeds.",
    "reden": "Het ligt er nog steeds.", "titel": "Afval bij de containers",
}
ROLLEN = (None, "beheerder", "stadsdeelregisseur", "partner", "wijkraadlid")
# These end the session: walked last, so every other route is walked logged in.
UITLOGGEN = ("accounts.logout", "accounts.logout_overal")


@dataclass
class Formulier:
    action: str
    methode: str
    velden: dict[str, list[str]] = field(default_factory=dict)  # what a browser sends


class _Formulieren(HTMLParser):
    """The forms of the pages fed to it, with the fields that belong to them.

    A field with form="…" may sit in a fragment while its form is on the page that includes
    the fragment (the "dit is mijn melding ook" buttons): `klaar()` joins them up.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pagina = ""
        self.formulieren: list[tuple[str, Formulier]] = []  # (page, form)
        self._per_id: dict[str, Formulier] = {}
        self._buiten: list[tuple[str, str, str | None]] = []
        self._huidig: Formulier | None = None
        self._select: list | None = None  # [doel, naam, gekozen, eerste]

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self._huidig = Formulier(a.get("action") or self.pagina,
                                     (a.get("method") or "get").upper())
            self.formulieren.append((self.pagina, self._huidig))
            if a.get("id"):
                self._per_id.setdefault(a["id"], self._huidig)
        elif tag == "option" and self._select is not None:
            waarde = a.get("value") or ""
            if "selected" in a:
                self._select[2] = waarde
            if waarde and self._select[3] is None:
                self._select[3] = waarde
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            doel = a.get("form") or self._huidig
            if tag == "select":
                self._select = [doel, a["name"], None, None]
                return
            soort = a.get("type", "submit" if tag == "button" else "text")
            if soort in ("checkbox", "radio"):
                waarde = (a.get("value") or "on") if "checked" in a else None
            elif soort == "file":
                waarde = None
            else:
                waarde = "" if tag == "textarea" else a.get("value") or ""
            self._voeg_toe(doel, a["name"], waarde, knop=soort in ("submit", "image"))

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._huidig = None
        elif tag == "select" and self._select is not None:
            doel, naam, gekozen, eerste = self._select
            self._voeg_toe(doel, naam, gekozen or eerste or "")
            self._select = None

    def _voeg_toe(self, doel, naam: str, waarde: str | None, knop: bool = False) -> None:
        if isinstance(doel, str):
            self._buiten.append((doel, naam, waarde))
            return
        if doel is None:
            return
        waarden = doel.velden.setdefault(naam, [])
        if waarde is not None and not (knop and waarden):  # the first button is the one sent
            waarden.append(waarde)

    def lees(self, pagina: str, html: str) -> None:
        self.pagina, self._huidig = pagina, None
        self.feed(html)

    def klaar(self) -> list[Formulier]:
        for doel, naam, waarde in self._buiten:
            self._voeg_toe(self._per_id.get(doel), naam, waarde)
        return [formulier for _, formulier in self.formulieren]


class _Lezer(ImmutableMultiDict):
    """`request.args` or `request.form` that notes every name the code asks for."""

    def __init__(self, bron, gelezen: set[str]) -> None:
        super().__init__(bron)
        self.gelezen = gelezen

    def __getitem__(self, key):
        self.gelezen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.gelezen.add(key)
        return super().__contains__(key)

    def get(self, key, default=None, type=None):
        self.gelezen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self.gelezen.add(key)
        return super().getlist(key, type)


@contextmanager
def _noteer_wat_gelezen_wordt(app) -> Iterator[dict[str, set[str]]]:
    gelezen: dict[str, set[str]] = {"args": set(), "form": set()}

    def noteer(sender, **extra) -> None:
        echt = request._get_current_object()
        echt.__dict__["args"] = _Lezer(echt.args, gelezen["args"])
        echt.__dict__["form"] = _Lezer(echt.form, gelezen["form"])

    with request_started.connected_to(noteer, app):
        yield gelezen


@dataclass
class Route:
    endpoint: str
    methode: str
    pad: str
    args: MultiDict  # what a normal request sends
    form: MultiDict
    velden: set[tuple[str, str]] = field(default_factory=set)  # ("args"|"form", naam)


def _stuur(client, route: Route, args: MultiDict, form: MultiDict, htmx: bool = False):
    """What went wrong (an exception or a 5xx), or None."""
    g.pop("_login_user", None)  # each real request loads the user afresh
    if route.endpoint in UITLOGGEN and route.methode == "POST":
        form = form.copy()  # the previous request ended the session and its token
        form["csrf_token"] = csrf_token(client, "/melden")
    try:
        response = client.open(route.pad, method=route.methode, query_string=args,
                               data=form if route.methode == "POST" else None,
                               headers={"HX-Request": "true"} if htmx else None)
    except Exception as error:  # noqa: BLE001 (TESTING lets errors through: that is a 500)
        db.session.rollback()  # what the end of a real request does, so the walk goes on
        return f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
    if response.status_code >= 500:
        return str(response.status_code)
    if response.status_code == 400 and b"kwam niet van deze website" in response.data:
        # The session (and its CSRF token) got lost: the odd value never reached the view.
        return "CSRF-token geweigerd: deze test verloor zijn sessie"
    return None


def _formulieren_per_route(app, client, wereld) -> dict[tuple[str, str], Formulier]:
    """Every form on every page this user can open, by the (endpoint, method) it posts to."""
    adapter = app.url_map.bind("localhost")
    paginas = [url_voor(r, wereld) for r in app.url_map.iter_rules()
               if "GET" in r.methods and r.endpoint != "static"]
    # The "dit is mijn melding ook" form appears only beside a nearby melding.
    paginas.append(f"/melden/vergelijkbaar?categorie={categorie().id}"
                   f"&latitude={DE_NOORK[0]}&longitude={DE_NOORK[1]}")
    parser = _Formulieren()
    for pagina in paginas:
        g.pop("_login_user", None)
        response = client.get(pagina)
        if response.status_code == 200 and response.mimetype == "text/html":
            parser.lees(pagina, response.get_data(as_text=True))
    gevonden: dict[tuple[str, str], Formulier] = {}
    for formulier in parser.klaar():
        try:
            endpoint, _ = adapter.match(urlsplit(formulier.action).path,
                                        method=formulier.methode)
        except (HTTPException, RequestRedirect):
            continue
        gevonden.setdefault((endpoint, formulier.methode), formulier)
    return gevonden


def _routes(app, client, wereld) -> Iterator[Route]:
    """Every route and method, with what a browser sends there and the fields it reads."""
    formulieren = _formulieren_per_route(app, client, wereld)
    token = csrf_token(client, "/melden")
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: (r.endpoint in UITLOGGEN, r.rule))
    for rule in rules:
        for methode in ("GET", "POST"):
            if methode not in rule.methods:
                continue
            formulier = formulieren.get((rule.endpoint, methode))
            doel = urlsplit(formulier.action if formulier else url_voor(rule, wereld))
            route = Route(rule.endpoint, methode, doel.path, MultiDict(parse_qsl(doel.query)),
                          MultiDict())
            plek = "form" if methode == "POST" else "args"
            for naam, waarden in (formulier.velden if formulier else {}).items():
                if naam == "csrf_token":
                    continue
                route.velden.add((plek, naam))
                if methode == "POST" and waarden:
                    route.form.setlist(naam, [GOEDE_WAARDEN.get(naam, w) for w in waarden])
            if methode == "POST":
                route.form["csrf_token"] = token
            yield route


def test_geen_enkel_veld_van_een_route_geeft_een_500(app, client, wereld, db_session):
    """Each field a route reads gets each odd value in turn, the others as a browser sends
    them; then every field and every known query argument gets the same odd value at once.

    To keep it quick, the field-by-field part runs once per route and set of fields read:
    a role that reads the same fields of a route as a role before it (a public page, a
    regisseur after the beheerder) gets only the all-at-once requests.
    """
    fouten = []
    gedaan = set()
    for rol in ROLLEN:
        if rol:
            user = gebruiker(rol, wijken=(NOORD,),
                             organisatie="Gildebor" if rol == "partner" else None)
            db_session.commit()
            login(client, user)
        with _noteer_wat_gelezen_wordt(app) as gelezen:
            for route in _routes(app, client, wereld):
                # A normal request shows which names the code asks for.
                gelezen["args"].clear()
                gelezen["form"].clear()
                fout = _stuur(client, route, route.args, route.form)
                if fout:
                    fouten.append(f"{rol} {route.methode} {route.pad} → {fout}")
                route.velden |= {(plek, naam) for plek in ("args", "form")
                                 for naam in gelezen[plek] if naam != "csrf_token"}
                soort = (route.endpoint, route.methode, frozenset(route.velden))
                fouten += _stuur_rare_waarden(client, route, rol, per_veld=soort not in gedaan)
                gedaan.add(soort)
    assert not fouten, "\n".join(fouten)


def _stuur_rare_waarden(client, route: Route, rol: str | None, per_veld: bool) -> list[str]:
    fouten = []
    for n, (plek, naam) in enumerate(sorted(route.velden) if per_veld else []):
        for waarde in VELD_WAARDEN:
            if waarde == "\x00":  # refused before any view (see the test above)
                continue
            args, form = route.args.copy(), route.form.copy()
            (args if plek == "args" else form)[naam] = waarde
            if fout := _stuur(client, route, args, form, htmx=n % 2 == 1):
                fouten.append(f"{rol} {route.methode} {route.pad} {plek}.{naam}="
                              f"{waarde[:40]!r} → {fout}")
    for waarde in VELD_WAARDEN:
        args, form = route.args.copy(), route.form.copy()
        for naam in BEKENDE_ARGS:
            args[naam] = waarde
        for plek, naam in route.velden:
            (args if plek == "args" else form)[naam] = waarde
        if fout := _stuur(client, route, args, form):
            fouten.append(f"{rol} {route.methode} {route.pad} alles={waarde[:40]!r} → {fout}")
    return fouten

# --- The odd input that a security probe reported (issue 7, item 5) ----------------------


def test_kaart_met_een_reusachtig_paginanummer_toont_de_laatste_pagina(client, db_session):
    gemeld = melding()

    response = client.get("/kaart?pagina=461168601842738792")

    assert response.status_code == 200
    assert f'href="/kaart/meldingen/{gemeld.id}"' in response.get_data(as_text=True)


def test_steun_voor_een_reusachtig_meldingnummer_vraagt_het_opnieuw_te_proberen(
        client, db_session):
    from participatie.meldingen.models import Contact

    bestaand = melding()
    response = client.post("/melden/steun", data={
        "csrf_token": csrf_token(client, "/melden"), "steun_melding": "99999999999",
        "categorie": str(categorie("afvaldump").id), "latitude": str(DE_NOORK[0]),
        "longitude": str(DE_NOORK[1]), "email": "buur@example.nl"})

    assert response.status_code == 422
    assert "Wij weten niet goed welke melding" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Contact.id))) == 0
    assert bestaand.steun_aantal == 0


@pytest.mark.parametrize("query", [
    "categorie=99999999999", "organisatie=99999999999",
    "na=1,99999999999999999999,melding,1", "voor=2,99999999999999999,melding,1",
    "na=0,0,melding,1",
])
def test_inbox_negeert_een_filter_of_cursor_die_niet_kan_bestaan(client, db_session, query):
    gemeld = melding()
    login(client, gebruiker("beheerder"))

    response = client.get(f"/beheer/?{query}")

    assert response.status_code == 200
    assert gemeld.nummer in response.get_data(as_text=True)


def test_wijkagenda_met_een_reusachtig_id_zegt_wat_er_mis_is(client, db_session):
    login(client, gebruiker("beheerder"))

    response = client.get("/beheer/wijkagenda/nieuw?ids=melding:99999999999")

    assert "Kies minstens één melding of ander item." in response.get_data(as_text=True)


def test_logboek_met_een_reusachtig_ouder_dan_begint_bij_het_nieuwste(client, db_session):
    from participatie.audit import log

    login(client, gebruiker("beheerder"))
    regel = log("test.regel", door=None, object_type="test", object_id=1)

    for ouder_dan in ("99999999999", "99999999999999999999", "-1", "a" * 5000):
        html = client.get(f"/beheer/audit?ouder_dan={ouder_dan}").get_data(as_text=True)
        assert f'id="audit-{regel.id}"' in html, ouder_dan


@pytest.mark.parametrize("veld", ["van", "tot"])
@pytest.mark.parametrize("datum", ["9999-12-31", "0001-01-01"])
def test_logboek_met_een_datum_buiten_bereik_zegt_welke_datums_kunnen(client, db_session,
                                                                      veld, datum):
    login(client, gebruiker("beheerder"))

    response = client.get(f"/beheer/audit?{veld}={datum}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 2000 en 31 december 2199." in html
    assert f'value="{datum}"' in html


@pytest.mark.parametrize("volgende", ["/beheer/%0d%0aSet-Cookie:%20x=y", "/%0a/evil.example"])
def test_inloggen_met_een_regeleinde_in_next_gaat_naar_de_inbox(client, db_session, volgende):
    from tests.factories import WACHTWOORD

    user = gebruiker("beheerder")
    response = client.post(f"/login?next={volgende}", data={
        "email": user.email, "password": WACHTWOORD, "csrf_token": csrf_token(client, "/login")})

    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"
    assert "Set-Cookie: x" not in str(response.headers)
    assert client.get(f"/login?next={volgende}").headers["Location"] == "/beheer/"
