"""A resident submits a buurtbudget idea on a real phone-sized Chromium: by keyboard only,
and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participatie.buurtbudget.models import Idee
from participatie.extensions import db
from tests.factories import budgetronde, jpeg
from tests.test_melden_browser import tab_naar

pytestmark = pytest.mark.browser


def ronde_in_de_noork(app) -> str:
    with app.app_context():
        slug = budgetronde(naam="Buurtbudget De Noork 2027").slug
        db.session.commit()
        db.session.remove()
    return slug


def ideeen(app) -> list[Idee]:
    with app.app_context():
        lijst = list(db.session.scalars(select(Idee).order_by(Idee.id)))
        for i in lijst:
            _ = i.volgers
        db.session.remove()
        return lijst


def test_inwoner_dient_een_idee_in_met_alleen_het_toetsenbord(phone, live_server, app, mailbox):
    slug = ronde_in_de_noork(app)
    phone.goto(f"/buurtbudget/{slug}")
    kb = phone.keyboard
    tab_naar(phone, "idee-indienen")
    kb.press("Enter")
    expect(phone.get_by_role("heading", name="Dien een idee in")).to_be_visible()
    tab_naar(phone, "titel")
    kb.type("Bankjes bij de speeltuin")
    tab_naar(phone, "omschrijving")
    kb.type("Twee bankjes, zodat ouders erbij kunnen zitten.")
    tab_naar(phone, "kosten_schatting")
    kb.type("2500")
    # The map (and Leaflet) only comes when asked for.
    tab_naar(phone, "kaart-knop")
    kb.press("Enter")
    expect(phone.locator("#melden-kaart.kaart--actief")).to_be_focused()
    tab_naar(phone, "speld-midden")
    kb.press("Enter")
    expect(phone.locator("#plek-status")).to_contain_text("midden van de kaart")
    tab_naar(phone, "email")
    kb.type("bewoner@example.nl")
    # Nothing sticks out sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    tab_naar(phone, "verstuur")
    kb.press("Enter")

    expect(phone.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw idee I-")
    expect(phone.get_by_role("heading", name="Uw idee: Bankjes bij de speeltuin")).to_be_visible()
    [plan] = ideeen(app)
    assert plan.locatie is not None and plan.buurt_code == "BU01640202"
    assert [(v.email, v.indiener) for v in plan.volgers] == [("bewoner@example.nl", True)]
    assert mailbox.to("bewoner@example.nl")


def test_zonder_javascript_met_adres_en_foto_na_een_fout(phone_zonder_js, live_server, app):
    page = phone_zonder_js
    slug = ronde_in_de_noork(app)
    page.goto(f"/buurtbudget/{slug}/idee")
    expect(page.get_by_role("button", name="Gebruik mijn locatie")).to_be_hidden()
    page.get_by_label("Titel van uw idee").fill("Een moestuin")
    page.get_by_label("Kies een foto").set_input_files(
        files=[{"name": "tuin.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.get_by_label("Adres of omschrijving van de plek").fill("Grasveld bij de school")
    page.get_by_role("button", name="Verstuur idee").click()

    # The description and the cost were missing: everything else, the photo too, is kept.
    expect(page.locator("#foutsamenvatting")).to_contain_text("Beschrijf uw idee.")
    expect(page.get_by_label("Titel van uw idee")).to_have_value("Een moestuin")
    expect(page.get_by_text("Deze foto hebben wij al.")).to_be_visible()
    page.get_by_label("Wat is uw idee?").fill("Een moestuin voor de buurt en de school.")
    page.get_by_label("Wat kost het ongeveer, in euro's?").fill("1800")
    page.get_by_role("button", name="Verstuur idee").click()

    expect(page.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw idee I-")
    [plan] = ideeen(app)
    assert plan.locatie is None and plan.locatie_tekst == "Grasveld bij de school"
    assert plan.buurt_code == "BU01640202" and plan.foto_bestand is not None
