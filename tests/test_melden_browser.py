"""A resident reports on a real phone-sized Chromium: GPS, no JavaScript, support, keyboard."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from participatie.extensions import db
from participatie.meldingen.models import Contact, Melding
from tests.factories import DE_NOORK, jpeg, melding

pytestmark = pytest.mark.browser


def grote_foto() -> bytes:
    """A 12 MP (4000×3000) photo with detail in every part: a few megabytes as JPEG."""
    kanalen = [Image.effect_noise((300, 225), 60) for _ in range(3)]
    beeld = Image.merge("RGB", kanalen).resize((4000, 3000), Image.Resampling.BICUBIC)
    uit = BytesIO()
    beeld.save(uit, "JPEG", quality=95)
    return uit.getvalue()


def met_gps(page, live_server) -> None:
    page.context.grant_permissions(["geolocation"], origin=live_server)
    page.context.set_geolocation({"latitude": DE_NOORK[0], "longitude": DE_NOORK[1]})


def meldingen(app) -> list[Melding]:
    with app.app_context():
        lijst = list(db.session.scalars(select(Melding).order_by(Melding.id)))
        for m in lijst:
            _ = (m.fotos, m.contacten)
        db.session.remove()
        return lijst


def volg_via_link(page, live_server) -> None:
    """Open the secret link that the tracking page offers to keep, folded away under "Toon de
    link" (PUBLIC_URL is a test host, so swap it); the address bar shows no secret."""
    volgpagina = page.url
    expect(page.locator("#volglink")).to_be_hidden()
    page.get_by_text("Toon de link").click()
    link = page.locator("#volglink").inner_text().strip()
    assert link.startswith("http://participatie.test/meldingen/")
    token = link.rsplit("/", 1)[1]
    assert token not in volgpagina and "/meldingen/volgen/" in volgpagina
    page.goto(link.replace("http://participatie.test", live_server))
    assert page.url == volgpagina


def test_inwoner_meldt_afvaldump_met_foto_via_gps(phone, live_server, app, mailbox):
    met_gps(phone, live_server)
    foto = grote_foto()
    assert len(foto) > 2 * 1024 * 1024
    phone.goto("/melden")
    phone.get_by_label("Waar gaat het over?").select_option(label="Afvaldump")
    phone.get_by_label("Wat is er aan de hand?").fill("Matras en vuilniszakken bij het hek")
    phone.get_by_label("Kies een foto").set_input_files(
        files=[{"name": "dump.jpg", "mimeType": "image/jpeg", "buffer": foto}])
    expect(phone.locator("#foto-voorbeelden img")).to_have_count(1)
    phone.get_by_role("button", name="Gebruik mijn locatie").click()
    expect(phone.locator("#plek-status")).to_contain_text("Gevonden")
    expect(phone.locator("#latitude")).to_have_value(str(DE_NOORK[0]))
    phone.get_by_label("Uw e-mailadres").fill("inwoner@example.nl")

    with phone.expect_request(lambda r: r.method == "POST" and r.url.endswith("/melden")) as req:
        phone.get_by_role("button", name="Verstuur melding").click()
    # The phone made the photo smaller before sending it.
    assert int(req.value.header_value("content-length")) < 1024 * 1024

    expect(phone.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw melding M-")
    [m] = meldingen(app)
    assert (m.buurt_code, m.wijk_code) == ("BU01640202", "WK016402")
    assert len(m.fotos) == 1 and max(m.fotos[0].breedte, m.fotos[0].hoogte) <= 2048
    assert mailbox.to("inwoner@example.nl")

    volg_via_link(phone, live_server)
    expect(phone.get_by_role("heading", name=f"Melding {m.nummer}")).to_be_visible()
    expect(phone.get_by_text("Afvaldump").first).to_be_visible()
    expect(phone.locator(".fotos img")).to_have_count(1)


def test_zonder_javascript_met_adres_en_buurt(phone_zonder_js, live_server, app):
    page = phone_zonder_js
    page.goto("/melden")
    expect(page.get_by_role("button", name="Gebruik mijn locatie")).to_be_hidden()
    page.get_by_label("Waar gaat het over?").select_option(label="Afvaldump")
    page.get_by_label("Wat is er aan de hand?").fill("Twee bankstellen op de stoep")
    page.get_by_label("Kies een foto").set_input_files(
        files=[{"name": "bank.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.get_by_label("Adres of omschrijving van de plek").fill("Bij de ingang van het park")
    page.get_by_label("Buurt").select_option(value="BU01640202")
    page.get_by_role("button", name="Verstuur melding").click()

    expect(page.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw melding M-")
    [m] = meldingen(app)
    assert m.locatie is None and m.locatie_tekst == "Bij de ingang van het park"
    assert (m.buurt_code, m.wijk_code) == ("BU01640202", "WK016402")
    assert len(m.fotos) == 1
    volg_via_link(page, live_server)
    expect(page.get_by_text("Bij de ingang van het park")).to_be_visible()


def test_melding_in_de_buurt_wordt_voorgesteld_en_gesteund(phone, live_server, app):
    with app.app_context():
        bestaand = melding(omschrijving="Niet voor het publiek")
        nummer, bestaand_id = bestaand.nummer, bestaand.id
        db.session.commit()
        db.session.remove()
    met_gps(phone, live_server)
    phone.goto("/melden")
    phone.get_by_label("Waar gaat het over?").select_option(label="Afvaldump")
    phone.get_by_label("Uw e-mailadres").fill("buur@example.nl")
    phone.get_by_role("button", name="Gebruik mijn locatie").click()

    voorstel = phone.locator("#vergelijkbaar")
    expect(voorstel).to_contain_text("Is dit al gemeld?")
    expect(voorstel).not_to_contain_text("Niet voor het publiek")
    voorstel.get_by_role("button", name=re.compile("Dit is mijn melding ook")).click()

    expect(phone.get_by_role("heading", name=f"Bedankt, u steunt melding {nummer}")).to_be_visible()
    [m] = meldingen(app)
    assert m.id == bestaand_id
    assert [(c.soort, c.email) for c in m.contacten] == [(Contact.STEUN, "buur@example.nl")]


def tab_naar(page, element_id: str, max_stappen: int = 60) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(max_stappen):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is met Tab niet te bereiken")


def test_hele_formulier_met_alleen_het_toetsenbord(phone, live_server, app):
    phone.goto("/melden")
    kb = phone.keyboard
    tab_naar(phone, "categorie")
    kb.type("Afvaldump")
    expect(phone.locator("#categorie option:checked")).to_have_text("Afvaldump")
    tab_naar(phone, "omschrijving")
    kb.type("Vuilniszakken naast de container")
    # The map (and Leaflet) only comes when asked for.
    tab_naar(phone, "kaart-knop")
    kb.press("Enter")
    expect(phone.locator("#melden-kaart.kaart--actief")).to_be_focused()
    tab_naar(phone, "speld-midden")
    kb.press("Enter")
    expect(phone.locator("#plek-status")).to_contain_text("midden van de kaart")
    tab_naar(phone, "locatie_tekst")
    kb.type("Bij het stadhuis")
    tab_naar(phone, "email")
    kb.type("toetsenbord@example.nl")
    tab_naar(phone, "verstuur")
    kb.press("Enter")

    expect(phone.locator(".melding-balk--succes")).to_contain_text("Bedankt! Uw melding M-")
    [m] = meldingen(app)
    assert m.locatie is not None and m.locatie_tekst == "Bij het stadhuis"
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 1
        db.session.remove()


def test_alleen_gps_laadt_de_kaartbibliotheek_niet(phone, live_server, app):
    """A resident who uses GPS never pays for Leaflet; asking for the map loads it then."""
    met_gps(phone, live_server)
    geladen = []
    phone.on("request", lambda r: geladen.append(r.url))
    phone.goto("/melden")
    phone.get_by_role("button", name="Gebruik mijn locatie").click()
    expect(phone.locator("#plek-status")).to_contain_text("Gevonden")
    expect(phone.locator("#latitude")).to_have_value(str(DE_NOORK[0]))
    assert not [url for url in geladen if "leaflet" in url]
    assert phone.locator("#melden-kaart").is_hidden()

    phone.get_by_role("button", name="Kies de plek op de kaart").click()
    expect(phone.locator("#melden-kaart.kaart--actief")).to_be_visible()
    assert [url for url in geladen if "leaflet" in url]
    expect(phone.locator("#plek-status")).to_contain_text("De speld staat op de plek")
    assert phone.locator(".leaflet-marker-icon").count() == 1
