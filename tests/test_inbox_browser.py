"""A stadsdeelregisseur triages in the browser without page reloads; a wijkraadlid only reads."""

from __future__ import annotations

import pytest

from participatie.extensions import db
from tests.factories import WACHTWOORD, gebruiker, melding

pytestmark = pytest.mark.browser


@pytest.fixture
def laptop(browser, live_server, schoon):
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900},
                                  locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def _maak(app, **kwargs):
    with app.app_context():
        m = melding(email="bewoner@example.nl", locatie_tekst="Bij de speeltuin", **kwargs)
        regisseur = gebruiker("stadsdeelregisseur", email="regisseur@hengelo.nl")
        lid = gebruiker("wijkraadlid", email="wijkraad@hengelo.nl")
        db.session.commit()
        return m.id, m.nummer, m.token, regisseur.email, lid.email


def _login(page, email):
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", WACHTWOORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/beheer/**")


def test_regisseur_zet_melding_in_behandeling_zonder_herladen(app, laptop, mailbox):
    melding_id, nummer, token, email, _ = _maak(app)
    page = laptop
    _login(page, email)
    page.evaluate("window.__zelfdePagina = true")
    page.select_option("#f-buurt", label="De Noork")
    page.click("text=Filteren")
    page.wait_for_url("**buurt=BU01640202**")
    page.click(f"#rij-melding-{melding_id} a")
    page.wait_for_selector(f"#paneel .item[data-soort='melding'][data-id='{melding_id}']")
    page.select_option(f"#status-{melding_id}", "in_behandeling")
    page.fill(f"#bericht-{melding_id}", "We komen morgen kijken.")
    page.click("text=Status opslaan")
    page.wait_for_selector("#paneel >> text=staat nu op 'In behandeling'")
    assert page.inner_text(f"#rij-melding-{melding_id}").count("In behandeling") == 1
    assert page.evaluate("window.__zelfdePagina") is True  # htmx swapped; no reload
    page.goto(f"/meldingen/{token}")
    assert "We komen morgen kijken." in page.content()
    berichten = mailbox.to("bewoner@example.nl")
    assert berichten and "We komen morgen kijken." in mailbox.body(berichten[-1])


def test_wijkraadlid_ziet_geen_knoppen_en_post_wordt_geweigerd(app, laptop):
    melding_id, nummer, _, _, lid = _maak(app)
    page = laptop
    _login(page, lid)
    page.click(f"#rij-melding-{melding_id} a")
    page.wait_for_selector(f"#paneel .item[data-soort='melding'][data-id='{melding_id}']")
    assert page.locator("#paneel button").count() == 0
    token = page.get_attribute("meta[name=csrf-token]", "content")
    response = page.request.post(f"/beheer/meldingen/{melding_id}/status",
                                 form={"status": "in_behandeling", "csrf_token": token})
    assert response.status == 403
