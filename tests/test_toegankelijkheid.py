"""Every resident page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules on a 360 px phone,
with JavaScript and without.

axe-core comes from npm (package.json; scripts/bootstrap.sh installs it into node_modules) and
is injected from that file: nothing is fetched from a CDN while the tests run.

A new resident page is one entry in PAGINAS: a name, a function that makes its data (inside an
app context, with the factories) and returns its path, and optionally what the resident does
before the check (send the form empty to see the page after an error). `bench/bench_paginas.py`
weighs the same pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from participatie.buurtbudget.services import wijzig_fase
from participatie.buurtbudget.stemmen import Keuze, breng_uit, maak_stemcodes, zoek_stemcode
from participatie.buurtbudget.workflow import Fase
from participatie.extensions import db
from participatie.meldingen.workflow import Status
from tests.factories import (
    BINNENSTAD,
    DE_NOORK,
    budgetronde,
    enquete,
    gebruiker,
    idee,
    leefbaarheidsvraag,
    melding,
    noord_met_verhaal,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TELEFOON = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Pagina:
    naam: str
    maak: Callable[[], str]
    """Makes the page's data (in an app context, before the commit) and returns its path."""
    doe: Callable[[Page], None] | None = None
    """What the resident does before the check, e.g. send the form empty."""
    alleen_met_js: bool = False
    status: int = 200
    """The page's HTTP status (after the redirect of a secret link)."""


def _verstuur_leeg(page: Page) -> None:
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("#foutsamenvatting")


def _toon_kaart(page: Page) -> None:
    page.get_by_role("button", name="Kies de plek op de kaart").click()
    page.wait_for_selector("#melden-kaart.kaart--actief")


def _wacht_op_kaart(page: Page) -> None:
    page.wait_for_selector("#meldingenkaart[data-geladen]")


def _melding():
    """A dozen meldingen in De Noork, one closed in the centre; returns one with contact."""
    for i in range(12):
        melding(plek=(DE_NOORK[0] + i * 0.0004, DE_NOORK[1]), dagen_geleden=i)
    melding(plek=BINNENSTAD, status=Status.AFGEHANDELD)
    return melding(email="inwoner@example.nl", locatie_tekst="Bij het hek")


def _met_meldingen(pad: str) -> Callable[[], str]:
    def maak() -> str:
        _melding()
        return pad
    return maak


def _stemronde():
    ronde = budgetronde(fase="stemmen", budget=10_000)
    for titel, kosten in [("Bankjes bij de vijver", 4_000), ("Moestuin", 5_000)]:
        i = idee(ronde, titel=titel, kosten_schatting=kosten, status="haalbaar")
        i.kosten = kosten
    db.session.flush()
    return ronde


def _uitslag() -> str:
    ronde = _stemronde()
    db.session.refresh(ronde)
    for code in maak_stemcodes(ronde, 3, buurt=ronde.buurten[0], door=None):
        breng_uit(ronde, zoek_stemcode(ronde, code), Keuze(ronde.ideeen[:1]))
    wijzig_fase(ronde, Fase.UITSLAG, door=None)
    return f"/buurtbudget/{ronde.slug}/uitslag"


def _afgehandelde_melding():
    m = _melding()
    m.wijzig_status(Status.AFGEHANDELD, door=None, bericht="Het afval is opgehaald.")
    return m


def _gepubliceerd_idee():
    return idee(budgetronde(), status="gepubliceerd")


def _idee_publiek() -> str:
    i = _gepubliceerd_idee()
    return f"/buurtbudget/{i.ronde.slug}/ideeen/{i.id}"


def _wijkraad_openbaar() -> str:
    """The public agenda of Noord with what the wijkraad made public and the answer."""
    from participatie.wijkraad import onderwerpen, services
    from participatie.wijkraad.models import ReactieSoort

    vraag = leefbaarheidsvraag(_melding())
    lid = gebruiker("wijkraadlid")
    reactie = services.reageer(onderwerpen.van(vraag), soort=ReactieSoort.ADVIES,
                               tekst="Zet er een tweede container bij.", door=lid)
    services.beantwoord(reactie, "Dat doen we.", door=gebruiker("stadsdeelregisseur"))
    services.zet_openbaar(reactie, True, door=lid)
    return f"/wijken/{vraag.wijk_code}/agenda"


def _wijkraad_afmelden() -> str:
    from participatie.wijkraad.services import overzichtmail_van

    lid = gebruiker("wijkraadlid")
    return f"/wijkraad/afmelden/{overzichtmail_van(lid).afmeld_token}"


def _rondes() -> str:
    _gepubliceerd_idee()
    return "/buurtbudget"


PAGINAS = [
    Pagina("home", lambda: "/"),
    Pagina("melden", lambda: "/melden"),
    Pagina("melden na een fout", lambda: "/melden", _verstuur_leeg),
    Pagina("melden met de kaart", lambda: "/melden", _toon_kaart, alleen_met_js=True),
    # The secret link from the e-mail: the browser ends on /meldingen/volgen/<id>.
    Pagina("volgen", lambda: f"/meldingen/{_melding().token}"),
    Pagina("is het opgelost", lambda: f"/meldingen/{_afgehandelde_melding().token}/opgelost"),
    # Another browser, without the link: "open de link uit uw e-mail opnieuw".
    Pagina("volgen zonder link", lambda: f"/meldingen/volgen/{_melding().id}", status=403),
    Pagina("melding publiek", lambda: f"/kaart/meldingen/{_melding().id}"),
    Pagina("kaart", _met_meldingen("/kaart")),
    Pagina("kaart met markers", _met_meldingen("/kaart"), _wacht_op_kaart, alleen_met_js=True),
    Pagina("wijk", _met_meldingen("/wijken/WK016402")),
    # Through its short URL, with every part of the story: figures, photos, the wijkraad.
    Pagina("wijk met verhaal", lambda: noord_met_verhaal() and "/wijk/noord"),
    Pagina("wijkagenda met de wijkraad", _wijkraad_openbaar),
    Pagina("weekoverzicht afmelden", _wijkraad_afmelden),
    Pagina("privacy", lambda: "/privacy"),
    Pagina("buurtbudget", _rondes),
    Pagina("ronde", lambda: f"/buurtbudget/{_gepubliceerd_idee().ronde.slug}"),
    Pagina("idee indienen", lambda: f"/buurtbudget/{budgetronde().slug}/idee"),
    Pagina("idee na een fout", lambda: f"/buurtbudget/{budgetronde().slug}/idee",
           _verstuur_leeg),
    Pagina("idee publiek", _idee_publiek),
    Pagina("mijn idee", lambda: f"/buurtbudget/ideeen/{_gepubliceerd_idee().token}"),
    Pagina("mijn idee zonder link", lambda: f"/buurtbudget/ideeen/mijn/{_gepubliceerd_idee().id}",
           status=403),
    Pagina("stemmen", lambda: f"/buurtbudget/{_stemronde().slug}/stemmen"),
    Pagina("stemmen na een fout", lambda: f"/buurtbudget/{_stemronde().slug}/stemmen",
           _verstuur_leeg),
    Pagina("uitslag", _uitslag),
    Pagina("enquetes", lambda: f"/enquetes?wijk={enquete().wijk_code}"),
    Pagina("enquete invullen", lambda: f"/enquetes/{enquete().id}"),
    Pagina("enquete na een fout", lambda: f"/enquetes/{enquete().id}", _verstuur_leeg),
]

# axe's queue waits on setTimeout, which a page without JavaScript never fires.
_TIMERS_ZONDER_JS = """() => {
  window.setTimeout = (f, ms, ...args) => {
    Promise.resolve().then(() => { if (typeof f === "function") { f(...args); } });
    return 0;
  };
  window.clearTimeout = () => {};
}"""


def axe_overtredingen(page: Page, *, met_js: bool) -> list[str]:
    """axe-core's violations of the WCAG A and AA rules on the page as it is now."""
    # Evaluated rather than added as a <script> tag: the page's Content-Security-Policy
    # (script-src 'self') stays in force, and without JavaScript a tag would not run at all.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    if not met_js:
        page.evaluate(_TIMERS_ZONDER_JS)
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))",
        WCAG,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in violations]


# Every page with JavaScript, and without it unless the page only exists with it.
GEVALLEN = [pytest.param(p, met_js, id=f"{p.naam.replace(' ', '-')}-"
                         f"{'met-js' if met_js else 'zonder-js'}")
            for p in PAGINAS for met_js in (True, False) if met_js or not p.alleen_met_js]


@pytest.mark.parametrize(("pagina", "met_js"), GEVALLEN)
def test_bewonerspagina_heeft_geen_axe_overtredingen(app, browser, live_server, schoon,
                                                     pagina: Pagina, met_js: bool):
    assert AXE.exists(), "axe-core ontbreekt: scripts/bootstrap.sh installeert het (npm ci)"
    with app.app_context():
        pad = pagina.maak()
        db.session.commit()
        db.session.remove()
    context = browser.new_context(base_url=live_server, viewport=TELEFOON, has_touch=True,
                                  is_mobile=True, locale="nl-NL", java_script_enabled=met_js)
    try:
        page = context.new_page()
        response = page.goto(pad)
        assert response is not None and response.status == pagina.status, pad
        if pagina.doe:
            pagina.doe(page)
        if met_js:
            page.wait_for_load_state("networkidle")
        fouten = axe_overtredingen(page, met_js=met_js)
        assert not fouten, f"{pagina.naam} ({pad}):\n" + "\n".join(fouten)
    finally:
        context.close()


def _telefoon(browser, live_server):
    return browser.new_context(base_url=live_server, viewport=TELEFOON, has_touch=True,
                               is_mobile=True, locale="nl-NL")


def test_kaart_markers_zijn_grote_doelen_met_een_naam(app, browser, live_server, schoon):
    with app.app_context():
        _melding()
        db.session.commit()
        db.session.remove()
    context = _telefoon(browser, live_server)
    try:
        page = context.new_page()
        page.goto("/kaart")
        _wacht_op_kaart(page)
        doelen = page.eval_on_selector_all(
            "#meldingenkaart [role=button].leaflet-marker-icon",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [r.left, r.top, r.width, r.height, e.textContent.trim()]; })")
        assert doelen and int(page.get_attribute("#meldingenkaart", "data-geladen")) == 14
        assert all(w >= 44 and h >= 44 and naam for _x, _y, w, h, naam in doelen), doelen
        # No target lies over another, so each can be tapped.
        for i, (x1, y1, w1, h1, _) in enumerate(doelen):
            for x2, y2, w2, h2, _ in doelen[i + 1:]:
                assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1, doelen
        # Leaflet's controls speak Dutch too.
        kaart = page.locator("#meldingenkaart")
        expect(kaart.get_by_role("button", name="Inzoomen")).to_be_visible()
        kaart.get_by_role("button", name=re.compile(r", afgehandeld, gemeld op ")).click()
        expect(kaart.get_by_role("link", name="Bekijk de melding")).to_be_visible()
        expect(kaart.get_by_role("button", name="Sluiten")).to_be_visible()
        # Leaflet fades the popup in; axe measures contrast once it is there.
        expect(kaart.locator(".leaflet-popup")).to_have_css("opacity", "1")
        assert not axe_overtredingen(page, met_js=True)
    finally:
        context.close()


@pytest.mark.parametrize("pad", ["/kaart", "/melden"])
def test_de_pagina_verschuift_niet_terwijl_de_kaart_laadt(app, browser, live_server, schoon, pad):
    with app.app_context():
        _melding()
        db.session.commit()
        db.session.remove()
    context = _telefoon(browser, live_server)
    try:
        page = context.new_page()
        page.goto(pad)
        page.wait_for_load_state("networkidle")
        # Cumulative layout shift so far; no entries at all means no shift.
        verschuiving = page.evaluate("""() => new Promise(klaar => {
            let som = 0;
            new PerformanceObserver(lijst => lijst.getEntries().forEach(e => {
                if (!e.hadRecentInput) { som += e.value; }
            })).observe({type: "layout-shift", buffered: true});
            setTimeout(() => klaar(som), 500);
        })""")
        assert verschuiving < 0.01
    finally:
        context.close()


@pytest.mark.parametrize("pad", ["/melden", "idee", "stemmen"])
def test_foutsamenvatting_bovenaan_brengt_naar_het_veld(app, browser, live_server, schoon, pad):
    with app.app_context():
        if pad == "idee":
            pad = f"/buurtbudget/{budgetronde().slug}/idee"
        elif pad == "stemmen":
            pad = f"/buurtbudget/{_stemronde().slug}/stemmen"
        db.session.commit()
        db.session.remove()
    context = _telefoon(browser, live_server)
    try:
        page = context.new_page()
        page.goto(pad)
        _verstuur_leeg(page)
        samenvatting = page.locator("#foutsamenvatting")
        expect(samenvatting).to_be_focused()
        # It comes before the form, and every error in it is a link to a field on the page.
        assert page.evaluate("document.querySelector('#foutsamenvatting').compareDocumentPosition("
                             "document.querySelector('form[method=post]')) & 4")
        links = samenvatting.locator("a")
        assert links.count() >= 1
        for i in range(links.count()):
            assert page.locator(links.nth(i).get_attribute("href")).count() == 1
        links.last.click()
        assert page.evaluate("document.activeElement.matches('input, select, textarea')")
    finally:
        context.close()
