"""In a real browser: a wijkraadlid of Noord reacts to a vraag on a 360 px phone without
JavaScript, after reading the wijkbeeld, and makes the reaction public; residents read it on
Noord's agenda and on its own page (/wijk/noord); the
regisseur answers; a wijkraadlid of another wijk cannot react in Noord."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from participatie.extensions import db
from participatie.wijkraad.models import Reactie
from tests.factories import WACHTWOORD, gebruiker, leefbaarheidsvraag, melding

pytestmark = pytest.mark.browser

NOORD = "WK016402"


def _maak(app) -> int:
    with app.app_context():
        vraag = leefbaarheidsvraag(melding(email="melder@example.nl"),
                                   titel="Afval bij de containers")
        gebruiker("stadsdeelregisseur", email="regisseur@hengelo.nl")
        gebruiker("wijkraadlid", email="lid.noord@hengelo.nl")
        gebruiker("wijkraadlid", email="lid.elders@hengelo.nl", wijken=("WK016400",))
        db.session.commit()
        return vraag.id


def _pagina(browser, live_server, *, breedte: int = 360, js: bool = True) -> Page:
    context = browser.new_context(base_url=live_server, locale="nl-NL",
                                  viewport={"width": breedte, "height": 740},
                                  java_script_enabled=js)
    return context.new_page()


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", WACHTWOORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/beheer/**")


def _past_op_het_scherm(page: Page) -> None:
    breedte = page.evaluate("document.documentElement.scrollWidth")
    assert breedte <= page.viewport_size["width"], f"{page.url}: {breedte} px breed"


def _aantal_reacties(app) -> int:
    with app.app_context():
        aantal = db.session.scalar(select(func.count(Reactie.id)))
        db.session.remove()
        return aantal


def test_wijkraad_reageert_maakt_openbaar_en_de_regisseur_antwoordt(app, browser, live_server,
                                                                    schoon):
    vraag_id = _maak(app)

    # The wijkraadlid of Noord, on a phone without JavaScript.
    lid = _pagina(browser, live_server, js=False)
    _login(lid, "lid.noord@hengelo.nl")
    lid.get_by_role("link", name="Wijkagenda", exact=True).click()
    lid.wait_for_url(f"**/wijken/{NOORD}/agenda")
    # First the wijkbeeld: the figures of the wijk, with the melding behind the vraag counted.
    lid.get_by_role("link", name=re.compile(r"^Wijkbeeld van Noord")).click()
    lid.wait_for_url(f"**/wijken/{NOORD}/wijkbeeld")
    expect(lid.get_by_role("heading", level=1)).to_have_text("Wijkbeeld Noord")
    per_jaar = lid.get_by_role("table", name=re.compile("^Meldingen per jaar"))
    expect(per_jaar.locator("tbody tr").last).to_contain_text(" 1 ")
    _past_op_het_scherm(lid)
    lid.go_back()
    lid.get_by_role("link", name=re.compile(r"^Reageren als wijkraad\W+Afval bij de")).click()
    lid.wait_for_url(f"**/beheer/wijkraad/vragen/{vraag_id}")
    lid.get_by_role("button", name="Reactie versturen").click()  # empty: an error, nothing lost
    expect(lid.locator("#foutsamenvatting")).to_contain_text("Schrijf uw reactie.")
    lid.get_by_label("Advies", exact=True).check()
    lid.get_by_label("Uw reactie").fill("Zet er een tweede container bij.")
    _past_op_het_scherm(lid)
    lid.get_by_role("button", name="Reactie versturen").click()
    expect(lid.locator(".melding-balk--succes")).to_contain_text("Uw reactie is verstuurd")
    expect(lid.locator("#reacties")).to_contain_text("Zet er een tweede container bij.")
    lid.get_by_role("button", name=re.compile("^Openbaar maken")).click()
    expect(lid.locator(".melding-balk--succes")).to_contain_text(
        "op de openbare pagina van de wijk")
    expect(lid.locator("#reacties .label").first).to_have_text("Openbaar")
    _past_op_het_scherm(lid)

    # A resident reads it on the public page of Noord's agenda.
    bewoner = _pagina(browser, live_server)
    bewoner.goto(f"/wijken/{NOORD}/agenda")
    openbaar = bewoner.locator(".wijkraad-openbaar")
    expect(openbaar).to_contain_text(
        "De wijkraad geeft advies over de leefbaarheidsvraag ‘Afval bij de containers’")
    expect(openbaar).to_contain_text("Zet er een tweede container bij.")
    assert "lid.noord" not in bewoner.content() and "melder@example.nl" not in bewoner.content()
    _past_op_het_scherm(bewoner)
    # And on Noord's own page, "jullie zeiden, wij deden", through its short address.
    wijkpagina = _pagina(browser, live_server, js=False)
    wijkpagina.goto("/wijk/noord")
    wijkpagina.wait_for_url(f"**/wijken/{NOORD}")
    expect(wijkpagina.locator(".wijkraad-openbaar")).to_contain_text(
        "Zet er een tweede container bij.")

    # The regisseur answers from the agenda, on a laptop.
    regisseur = _pagina(browser, live_server, breedte=1366)
    _login(regisseur, "regisseur@hengelo.nl")
    regisseur.goto(f"/wijken/{NOORD}/agenda")
    regisseur.get_by_label("Uw antwoord aan de wijkraad").fill("Komt er volgende week.")
    regisseur.get_by_role("button", name=re.compile("^Antwoord versturen")).click()
    regisseur.wait_for_url(f"**/beheer/wijkraad/vragen/{vraag_id}#reactie-*")
    gesprek = regisseur.locator("#reacties")
    expect(gesprek).to_contain_text("Komt er volgende week.")

    # The answer comes with the public reaction; the wijkraadlid reads it too.
    bewoner.reload()
    expect(openbaar).to_contain_text("Antwoord van de gemeente")
    expect(openbaar).to_contain_text("Komt er volgende week.")
    lid.reload()
    expect(lid.locator("#reacties")).to_contain_text("Komt er volgende week.")

    # A wijkraadlid of another wijk reads only the public part and cannot react in Noord.
    elders = _pagina(browser, live_server)
    _login(elders, "lid.elders@hengelo.nl")
    elders.goto(f"/wijken/{NOORD}/agenda")
    expect(elders.locator(".wijkraad-openbaar")).to_contain_text("Zet er een tweede container")
    assert elders.get_by_role("link", name=re.compile("Reageren als wijkraad")).count() == 0
    assert elders.locator("textarea").count() == 0
    assert elders.goto(f"/beheer/wijkraad/vragen/{vraag_id}").status == 403
    elders.goto(f"/wijken/{NOORD}/agenda")
    token = elders.get_attribute("meta[name=csrf-token]", "content")
    poging = elders.request.post(f"/beheer/wijkraad/vragen/{vraag_id}/reacties", form={
        "soort": "advies", "tekst": "Van buiten de wijk", "csrf_token": token})
    assert poging.status == 403
    assert _aantal_reacties(app) == 1
    for page in (lid, bewoner, regisseur, elders):
        page.context.close()
