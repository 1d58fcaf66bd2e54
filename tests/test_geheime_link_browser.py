"""The secret link from the e-mail, end to end in Chromium: it opens the private page on another
device at an address without the secret, which no other browser can open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participatie import mail
from participatie.buurtbudget import beoordeling
from participatie.buurtbudget.models import Idee
from participatie.extensions import db
from participatie.meldingen.models import Melding
from participatie.meldingen.workflow import Status
from tests.factories import gebruiker, idee

pytestmark = pytest.mark.browser

TELEFOON = {"width": 360, "height": 740}


def _telefoon(browser, live_server):
    """Another phone: a browser of its own, without this site's cookies."""
    return browser.new_context(base_url=live_server, viewport=TELEFOON, has_touch=True,
                               is_mobile=True, locale="nl-NL")


def _link_uit_de_mail(mailbox, adres: str, live_server: str) -> str:
    """The link in the newest mail to `adres` (PUBLIC_URL is a test host, so swap it)."""
    tekst = mailbox.body(mailbox.to(adres)[-1])
    link = re.search(r"http://participatie\.test/\S+", tekst).group(0)
    return link.replace("http://participatie.test", live_server)


def _open_de_link(page, link: str):
    """Open the e-mailed link, noting the Referer of everything the page asks for after it."""
    referers = []
    page.on("request", lambda r: referers.append(r.headers.get("referer", "")))
    response = page.goto(link)
    doorverwijzing = response.request.redirected_from.response()
    return response, doorverwijzing, referers


def test_melder_volgt_de_link_uit_de_mail_op_een_andere_telefoon(
        phone_zonder_js, browser, live_server, app, mailbox):
    # Reported on one phone, without JavaScript, with an e-mail address.
    page = phone_zonder_js
    page.goto("/melden")
    page.get_by_label("Waar gaat het over?").select_option(label="Afvaldump")
    page.get_by_label("Wat is er aan de hand?").fill("Matras bij de achterdeur van de flat")
    page.get_by_label("Adres of omschrijving van de plek").fill("Achter de Noorderflat")
    page.get_by_label("Buurt").select_option(value="BU01640202")
    page.get_by_label("Uw e-mailadres").fill("melder@example.nl")
    page.get_by_role("button", name="Verstuur melding").click()
    expect(page.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw melding M-")
    with app.app_context():
        m = db.session.scalar(select(Melding))
        ident, nummer, token = m.id, m.nummer, m.token
        db.session.remove()
    assert page.url.endswith(f"/meldingen/volgen/{ident}")

    link = _link_uit_de_mail(mailbox, "melder@example.nl", live_server)
    assert link.endswith(f"/meldingen/{token}")
    telefoon, vreemde = _telefoon(browser, live_server), _telefoon(browser, live_server)
    try:
        page = telefoon.new_page()
        response, doorverwijzing, referers = _open_de_link(page, link)
        assert doorverwijzing.status == 303
        assert doorverwijzing.headers["x-robots-tag"] == "noindex"
        assert doorverwijzing.headers["referrer-policy"] == "no-referrer"
        assert page.url == f"{live_server}/meldingen/volgen/{ident}"
        assert response.status == 200 and "x-robots-tag" not in response.headers
        expect(page.get_by_role("heading", name=f"Melding {nummer}")).to_be_visible()
        expect(page.get_by_text("Matras bij de achterdeur van de flat")).to_be_visible()
        expect(page.locator('meta[name="robots"]')).to_have_count(0)
        expect(page.locator("#volglink")).to_be_hidden()  # not in a screenshot of the page
        page.wait_for_load_state("networkidle")
        assert referers and not [r for r in referers if token in r]
        [cookie] = telefoon.cookies()
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and token not in cookie["value"]

        # Someone else, with the address but not the link, sees nothing of it.
        ander = vreemde.new_page()
        response = ander.goto(f"/meldingen/volgen/{ident}")
        assert response.status == 403
        expect(ander.get_by_role("heading", name="Open de link uit uw e-mail")).to_be_visible()
        expect(ander.get_by_text("Open de link uit uw e-mail opnieuw om uw melding te volgen."))\
            .to_be_visible()
        assert "Matras" not in ander.content()

        # The gemeente asks a question; the melder answers on the page, in the same browser.
        with app.app_context():
            m = db.session.get(Melding, ident)
            m.wijzig_status(Status.REACTIE_GEVRAAGD, door=None, bericht="Ligt het matras op de "
                            "stoep of in het gras?")
            db.session.commit()
            db.session.remove()
        page.reload()
        page.get_by_label("Uw antwoord").fill("In het gras, naast het fietsenhok.")
        page.get_by_role("button", name="Verstuur antwoord").click()
        expect(page.get_by_role("status")).to_contain_text("Bedankt voor uw antwoord.")
        assert page.url.split("#")[0] == f"{live_server}/meldingen/volgen/{ident}"
        with app.app_context():
            m = db.session.get(Melding, ident)
            assert m.status == Status.REACTIE_ONTVANGEN
            assert [g.tekst for g in m.gebeurtenissen if g.soort == "antwoord"] == [
                "In het gras, naast het fietsenhok."]
            db.session.remove()
    finally:
        telefoon.close()
        vreemde.close()


def test_indiener_antwoordt_via_de_link_uit_de_mail(browser, live_server, app, mailbox, schoon):
    with app.app_context():
        plan = idee(email="indiener@example.nl", titel="Moestuin achter de school")
        beoordeling.vragen(gebruiker("stadsdeelregisseur"), plan,
                           "Wie gaat de moestuin bijhouden?")
        db.session.commit()
        ident, token = plan.id, plan.token
        mail.deliver_pending()
        db.session.remove()
    link = _link_uit_de_mail(mailbox, "indiener@example.nl", live_server)
    assert link.endswith(f"/buurtbudget/ideeen/{token}")
    telefoon = _telefoon(browser, live_server)
    try:
        page = telefoon.new_page()
        response, doorverwijzing, referers = _open_de_link(page, link)
        assert doorverwijzing.status == 303
        assert doorverwijzing.headers["x-robots-tag"] == "noindex"
        assert page.url == f"{live_server}/buurtbudget/ideeen/mijn/{ident}"
        expect(page.get_by_role("heading", name="Uw idee: Moestuin achter de school"))\
            .to_be_visible()
        page.get_by_label("Uw antwoord").fill("De buren samen, om de beurt.")
        page.get_by_role("button", name="Verstuur antwoord").click()
        expect(page.get_by_role("status")).to_contain_text("Bedankt voor uw antwoord.")
        assert page.url.split("#")[0] == f"{live_server}/buurtbudget/ideeen/mijn/{ident}"
        assert not [r for r in referers if token in r]
        with app.app_context():
            plan = db.session.get(Idee, ident)
            assert plan.status == "ingediend" and plan.antwoord_ontvangen
            db.session.remove()
    finally:
        telefoon.close()
