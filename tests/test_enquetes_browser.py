"""A resident answers a survey with a conditional question on a phone, reloads halfway and
continues where they were, and sends it; the same without JavaScript, by keyboard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participatie.enquetes.models import Respons
from participatie.enquetes.services import VraagGegevens, voeg_vraag_toe
from participatie.enquetes.workflow import VraagType
from participatie.extensions import db
from tests.factories import enquete

pytestmark = pytest.mark.browser


def _enquete(app):
    with app.app_context():
        e = enquete(titel="Veilig in De Noork", vragen=[
            VraagGegevens(VraagType.SCHAAL, "Hoe veilig voelt u zich in uw buurt?",
                          verplicht=True, indicator="veiligheidsbeleving"),
            VraagGegevens(VraagType.JA_NEE, "Bent u actief in uw buurt?", pagina=1),
            VraagGegevens(VraagType.MEER_KEUZES, "Waar ergert u zich aan?", pagina=3,
                          opties=["Afval", "Hard rijden", "Hondenpoep"], max_keuzes=2),
        ])
        actief = e.vragen[1]
        voeg_vraag_toe(e, VraagGegevens(VraagType.OPEN, "Wat doet u in de buurt?", pagina=2,
                                        toon_als=(actief.id, 1)), door=None)
        db.session.commit()
        return e.id


def _verstuurd(app) -> list[Respons]:
    with app.app_context():
        uit = db.session.scalars(select(Respons).where(Respons.verzonden_op.is_not(None))).all()
        db.session.remove()
        return uit


def _invullen(page, enquete_id: int, *, klik) -> None:
    page.goto(f"/enquetes/{enquete_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("select[name=buurt]", label="De Noork")
    page.check("text=4")
    page.check("text=Ja")
    klik("Volgende")
    page.wait_for_selector("text=Wat doet u in de buurt?")  # the condition was met
    page.fill("textarea", "Ik help bij de moestuin.")
    klik("Volgende")
    page.wait_for_selector("text=Waar ergert u zich aan?")
    page.reload()  # halfway: the draft is on the server
    assert page.inner_text("#voortgang") == "Pagina 3 van 3"
    page.goto(f"/enquetes/{enquete_id}?pagina=2")
    assert page.input_value("textarea") == "Ik help bij de moestuin."
    page.goto(f"/enquetes/{enquete_id}")
    for optie in ("Afval", "Hard rijden", "Hondenpoep"):
        page.check(f"text={optie}")
    klik("Naar versturen")
    page.wait_for_selector("text=Kies hoogstens 2 antwoorden")
    page.uncheck("text=Hondenpoep")
    klik("Naar versturen")
    page.wait_for_selector("text=Klaar om te versturen")
    klik("Versturen")
    page.wait_for_selector("text=Bedankt voor het invullen")
    page.goto(f"/enquetes/{enquete_id}")
    page.wait_for_selector("text=U heeft deze enquête al ingevuld")


def test_enquete_op_de_telefoon_met_herladen(app, phone):
    enquete_id = _enquete(app)

    _invullen(phone, enquete_id, klik=lambda naam: phone.get_by_role(
        "button", name=naam).click())

    [r] = _verstuurd(app)
    assert r.buurt_code == "BU01640202"


def test_enquete_zonder_javascript_met_het_toetsenbord(app, phone_zonder_js):
    enquete_id = _enquete(app)
    page = phone_zonder_js

    def klik(naam):
        page.get_by_role("button", name=naam).focus()
        page.keyboard.press("Enter")

    _invullen(page, enquete_id, klik=klik)

    assert len(_verstuurd(app)) == 1
