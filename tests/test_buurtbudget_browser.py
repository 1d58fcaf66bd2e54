"""A resident in De Noork votes on a phone: with JavaScript and without."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participatie import codes
from participatie.buurtbudget.models import Stem
from participatie.buurtbudget.stemmen import maak_stemcodes
from participatie.extensions import db
from tests.factories import budgetronde
from tests.test_buurtbudget_stemmen import _idee

pytestmark = pytest.mark.browser


def _ronde(app):
    with app.app_context():
        ronde = budgetronde(fase="stemmen", budget=10_000)
        ideeen = [_idee(ronde, "Bankjes bij de vijver", 4_000),
                  _idee(ronde, "Moestuin", 5_000),
                  _idee(ronde, "Speeltoestel", 7_000)]
        [code] = maak_stemcodes(ronde, 1, buurt=ronde.buurten[0], door=None)
        db.session.commit()
        return ronde.slug, [i.id for i in ideeen], code


def _met_tikfout(code: str) -> str:
    normaal = codes.normaliseer(code)
    laatste = "3" if normaal[-1] != "3" else "4"
    return normaal[:-1] + laatste


def _keuzes(app) -> list[list[int]]:
    with app.app_context():
        stemmen = db.session.scalars(select(Stem)).all()
        uit = [[k.idee_id for k in s.keuzes] for s in stemmen]
        db.session.remove()
        return uit


def test_stemmen_op_de_telefoon_binnen_het_budget(app, phone):
    slug, (bank, tuin, speel), code = _ronde(app)
    page = phone
    page.goto(f"/buurtbudget/{slug}/stemmen")
    page.check(f"input[value='{speel}']")
    assert page.inner_text("[data-over]") == "3.000"
    # 7,000 + 4,000 or + 5,000 would pass the budget: those ideas cannot be ticked now.
    assert page.is_disabled(f"input[value='{bank}']")
    assert page.is_disabled(f"input[value='{tuin}']")
    page.uncheck(f"input[value='{speel}']")
    page.check(f"input[value='{bank}']")
    page.check(f"input[value='{tuin}']")
    assert page.is_disabled(f"input[value='{speel}']")
    page.fill("input[name=stemcode]", _met_tikfout(code))
    page.click("button[type=submit]")
    page.wait_for_selector("text=tikfout")
    assert page.is_checked(f"input[value='{bank}']") and page.is_checked(f"input[value='{tuin}']")
    page.fill("input[name=stemcode]", code.lower())
    page.click("button[type=submit]")
    page.wait_for_selector("text=Uw stem is opgeslagen")
    assert _keuzes(app) == [[bank, tuin]]

    page.goto(f"/buurtbudget/{slug}/stemmen")
    page.check(f"input[value='{speel}']")
    page.fill("input[name=stemcode]", code)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Uw eerdere stem met deze code telt niet meer")
    assert _keuzes(app) == [[speel]]


def test_stemmen_zonder_javascript_met_het_toetsenbord(app, phone_zonder_js):
    slug, (bank, tuin, speel), code = _ronde(app)
    page = phone_zonder_js
    page.goto(f"/buurtbudget/{slug}/stemmen")
    page.check(f"input[value='{speel}']")
    page.check(f"input[value='{tuin}']")  # no JS: nothing stops it, the server does
    page.fill("input[name=stemcode]", code)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=meer dan het budget")
    assert page.is_checked(f"input[value='{speel}']")
    page.uncheck(f"input[value='{tuin}']")
    page.fill("input[name=stemcode]", code)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Uw stem is opgeslagen")
    assert _keuzes(app) == [[speel]]
