"""A wijkraadlid of Noord reads the wijkbeeld on a phone, with JavaScript and without:
from the wijkagenda to the figures, one buurt, and no axe-core violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from participatie.extensions import db
from tests.factories import WACHTWOORD, enquete, gebruiker, respons
from tests.test_toegankelijkheid import TELEFOON, axe_overtredingen
from tests.wijkbeeld_hulp import melding_in_kwartaal

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("met_js", [True, False], ids=["met-js", "zonder-js"])
def test_wijkraadlid_leest_het_wijkbeeld_op_de_telefoon(app, browser, live_server, schoon,
                                                        met_js):
    with app.app_context():
        for dag, na in enumerate((1, 2, 9)):
            melding_in_kwartaal(dag, gesloten_na=na, email=f"inwoner{dag}@example.nl")
        e = enquete()
        for cijfer in (3, 4, 4, 2, 5):
            respons(e, {0: cijfer})
        gebruiker("wijkraadlid", email="wijkraad@hengelo.nl")
        db.session.commit()
        db.session.remove()
    context = browser.new_context(base_url=live_server, viewport=TELEFOON, has_touch=True,
                                  is_mobile=True, locale="nl-NL", java_script_enabled=met_js)
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=email]", "wijkraad@hengelo.nl")
        page.fill("input[name=password]", WACHTWOORD)
        page.click("button[type=submit]")
        page.goto("/wijken/WK016402/agenda")
        page.get_by_role("link", name="Wijkbeeld van Noord: alle cijfers van de wijk").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Wijkbeeld Noord")
        tabel = page.get_by_role("table", name="Meldingen per kwartaal")
        expect(tabel.locator("tbody tr").last.locator("td").first).to_have_text("3")
        expect(page.get_by_role("img", name="Afgehandeld binnen de termijn per kwartaal")) \
            .to_be_visible()
        indicator = page.get_by_role("table", name="Wijkindicatoren uit enquêtes")
        expect(indicator).to_contain_text("3,6")
        fouten = axe_overtredingen(page, met_js=met_js)
        assert not fouten, "\n".join(fouten)

        page.select_option("#buurt", label="Buurt De Noork")
        page.get_by_role("button", name="Toon").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Wijkbeeld De Noork")
        expect(page.get_by_role("table", name="Buurtbudget: rondes en opkomst")).to_be_visible()
        assert not axe_overtredingen(page, met_js=met_js)
    finally:
        context.close()
