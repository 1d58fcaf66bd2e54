"""A resident on a 360 px phone without JavaScript answers "niet opgelost" by keyboard."""

import re

from playwright.sync_api import expect

from participatie.extensions import db
from participatie.meldingen.models import Melding
from participatie.meldingen.workflow import Status
from tests.factories import melding


def _afgehandelde_melding(app) -> str:
    with app.app_context():
        m = melding(email="melder@example.nl")
        m.wijzig_status(Status.AFGEHANDELD, door=None, bericht="Het afval is opgehaald.")
        db.session.commit()
        token = m.token
        db.session.remove()
    return token


def test_inwoner_zegt_met_toetsenbord_dat_het_niet_is_opgelost(phone_zonder_js, app):
    page = phone_zonder_js
    page.set_viewport_size({"width": 360, "height": 740})
    token = _afgehandelde_melding(app)

    page.goto(f"/meldingen/{token}/opgelost")  # the link in the closing e-mail
    assert token not in page.url and "/meldingen/volgen/" in page.url
    expect(page.get_by_role("heading", name="Is het opgelost?")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Wat is er nog niet goed?").focus()
    page.keyboard.type("Er liggen nog steeds zakken bij de container.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Nee, het is niet opgelost")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("De gemeente bekijkt uw melding opnieuw")
    assert token not in page.url
    assert re.search(r"/meldingen/volgen/\d+$", page.url.split("#")[0])
    with app.app_context():
        m = db.session.scalar(db.select(Melding).where(Melding.token == token))
        assert m.heropen_verzoek is True
        assert m.gebeurtenissen[-1].tekst == "Er liggen nog steeds zakken bij de container."
        db.session.remove()
