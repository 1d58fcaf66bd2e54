"""The public wijk page: a resident reads what the wijk raised and what was done with it."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from geoalchemy2 import WKTElement

from participatie.extensions import db
from participatie.gebieden.models import Gemeente, Wijk
from tests.factories import gebruiker, login, noord_met_verhaal

NOORD = "WK016402"


def _rijen(html: str, caption: str) -> list[tuple[str, ...]]:
    """The body rows of the table with this caption, as the text of their cells."""
    tabel = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert tabel, f"geen tabel '{caption}'"
    tbody = tabel.group(1).split("<tbody>", 1)[1]
    return [tuple(" ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", cel)).split())
                  for cel in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S))
            for rij in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]


def _tekst(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _meta(html: str, naam: str) -> str:
    match = re.search(rf'<meta (?:name|property)="{naam}" content="([^"]*)">', html)
    assert match, f"geen meta {naam}"
    return htmllib.unescape(match.group(1))


def test_bewoner_leest_wat_de_wijk_meldde_en_wat_de_gemeente_deed(client, db_session):
    d = noord_met_verhaal()

    response = client.get(f"/wijken/{NOORD}")
    html = response.get_data(as_text=True)
    tekst = _tekst(html)

    assert response.status_code == 200
    assert "<h1>Wijk Noord</h1>" in html
    sinds = re.search(r"Van (\d+ \w+ \d{4}) tot en met vandaag deden bewoners 6 meldingen",
                      tekst)
    assert sinds, tekst[:2000]
    assert _rijen(html, f"Meldingen per thema sinds {sinds.group(1)}") == [
        ("Schoon Afvaldump (3)", "3"), ("Heel Lantaarnpaal kapot (2)", "2"),
        ("Veilig Overlast van groepen (1)", "1")]
    assert "zijn 2 meldingen afgehandeld, 50% daarvan binnen de termijn" in tekst
    assert "2 melders zeiden of het probleem echt was opgelost: 50% zei ja." in tekst
    assert "1 melder zei dat het nog niet goed was." in tekst
    assert _rijen(html, f"Afgehandelde meldingen per thema sinds {sinds.group(1)}") == [
        ("Schoon", "2", "50%")]

    assert "Buurtbudget De Noork (De Noork): 4 ideeën ingediend, 2 gekozen." in tekst
    bankjes = re.search(rf'<li class="uitgevoerd__idee" id="idee-{d["bankjes"].id}">(.*?)</li>',
                        html, re.S).group(1)
    assert "Klaar" in bankjes and "Klaar! De bankjes staan er." in bankjes
    [foto] = re.findall(r'<img src="([^"]+)"', bankjes)
    assert client.get(foto).mimetype == "image/jpeg"
    moestuin = re.search(rf'id="idee-{d["moestuin"].id}">(.*?)</li>', html, re.S).group(1)
    assert "De uitvoering is nog niet begonnen." in moestuin and "<img" not in moestuin

    assert "Bewoners voelen zich veiliger." in tekst
    jaar_eerder, jaar_later = d["eerder"].sluit_op.year, d["later"].sluit_op.year
    assert f"Van 2,6 in {jaar_eerder} naar 3,6 in {jaar_later} (gemiddeld op 1–5)." in tekst

    agenda = tekst[tekst.index("Nu op de agenda"):]
    assert "Afval bij de containers Schoon Nieuw 2 meldingen" in agenda
    gedaan = tekst[tekst.index("Onderwerpen afgerond"):tekst.index("Nu op de agenda")]
    assert "Donkere plekken op straat Veilig Afgerond" in gedaan
    assert "Een plan dat niet doorging" not in html

    wijkraad_deel = tekst[tekst.index("Wat de wijkraad zegt"):]
    assert "De wijkraad geeft advies over de leefbaarheidsvraag ‘Afval bij de containers’" \
        in wijkraad_deel
    assert "Zet er een extra container bij." in wijkraad_deel
    assert "Antwoord van de gemeente" in wijkraad_deel
    assert "We plaatsen in maart een extra container." in wijkraad_deel


def test_de_links_om_mee_te_doen_staan_er_alleen_als_het_kan(client, db_session):
    d = noord_met_verhaal()

    html = client.get(f"/wijken/{NOORD}").get_data(as_text=True)
    assert 'href="/melden"' in html
    assert f'href="/buurtbudget/{d["stemronde"].slug}/stemmen"' in html
    assert f'href="/enquetes/{d["open_enquete"].id}"' in html

    d["stemronde"].fase = "uitslag"
    d["open_enquete"].status = "gesloten"
    db.session.flush()
    html = client.get(f"/wijken/{NOORD}").get_data(as_text=True)
    assert 'href="/melden"' in html
    assert "/stemmen" not in html and "Stem mee" not in html
    assert f'href="/enquetes/{d["open_enquete"].id}"' not in html
    assert "Vul de enquête in" not in html


def test_geen_persoonsgegevens_en_niets_wat_nog_niet_openbaar_is(client, db_session):
    d = noord_met_verhaal()

    html = client.get(f"/wijken/{NOORD}").get_data(as_text=True)

    assert "@" not in _tekst(html) and "example.nl" not in html
    assert "Geheime omschrijving" not in html and d["geheim"].nummer not in html
    assert d["geheim"].token not in html
    assert "Er ligt nog steeds afval" not in html  # a melder's own words
    assert "Interne uitleg voor de wijkraad" not in html
    assert "Geheim plan van de buurman" not in html
    assert "Nog niet besproken uitkomst" not in html
    assert "Een vraag die de wijkraad voor zich houdt." not in html
    assert "lid.noord" not in html and "Wijkraadlid" not in html  # no names either


def test_een_wijk_zonder_verhaal_zegt_dat_eerlijk(client, db_session):
    html = client.get("/wijken/WK016401").get_data(as_text=True)
    tekst = _tekst(html)

    assert "<h1>Wijk Hengelose Es</h1>" in html
    assert "zijn er in Hengelose Es geen meldingen gedaan" in tekst
    assert "In Hengelose Es is nog geen buurtbudget geweest." in tekst
    assert "Er zijn nog geen uitkomsten van enquêtes in Hengelose Es gepubliceerd." in tekst
    assert "Er staan nu geen open onderwerpen op de wijkagenda van Hengelose Es." in tekst
    assert 'href="/melden"' in html and "/stemmen" not in html and 'href="/enquetes/' not in html


def test_korte_url_per_wijk_stuurt_door_naar_de_pagina(client, db_session):
    for pad, code in (("/wijk/noord", "WK016402"), ("/wijk/Noord", "WK016402"),
                      ("/wijk/hengelose-es", "WK016401"), ("/wijk/t-rot", None),
                      ("/wijk/binnenstad", "WK016400")):
        response = client.get(pad)
        if code is None:
            assert response.status_code == 404, pad
            continue
        assert response.status_code == 301, pad
        assert response.headers["Location"] == f"/wijken/{code}"
    assert client.get("/wijk/" + "x" * 300).status_code == 404
    html = client.get("/wijken/WK016402").get_data(as_text=True)
    assert 'Deel deze pagina: <a href="http://participatie.test/wijk/noord">' in html


def test_twee_wijken_met_dezelfde_naam_krijgen_elk_een_eigen_korte_url(client, db_session):
    vierkant = "MULTIPOLYGON(((6 52,6.01 52,6.01 52.01,6 52.01,6 52)))"
    db.session.add(Gemeente(code="GM9999", naam="Elders", geom=WKTElement(vierkant, srid=4326)))
    db.session.add(Wijk(code="WK999902", naam="Wijk 02 Noord", gemeente_code="GM9999",
                        geom=WKTElement(vierkant, srid=4326)))
    db.session.flush()

    assert client.get("/wijk/noord").status_code == 404
    assert client.get("/wijk/noord-wk016402").headers["Location"] == "/wijken/WK016402"
    assert client.get("/wijk/noord-wk999902").headers["Location"] == "/wijken/WK999902"
    assert "/wijk/noord-wk999902" in client.get("/wijken/WK999902").get_data(as_text=True)


def test_titel_beschrijving_en_deelgegevens_noemen_de_wijk_en_de_cijfers(client, db_session):
    d = noord_met_verhaal()

    html = client.get("/wijken/wk016402").get_data(as_text=True)

    assert "<title>Wijk Noord: jullie zeiden, wij deden · Participatie Hengelo</title>" in html
    beschrijving = _meta(html, "description")
    assert beschrijving.startswith("Wijk Noord in Hengelo (O.): 6 meldingen sinds ")
    assert "2 afgehandeld (50% binnen de termijn)" in beschrijving
    assert "2 ideeën uit het buurtbudget gekozen, 1 klaar" in beschrijving
    assert "1 onderwerp op de wijkagenda" in beschrijving
    assert _meta(html, "og:description") == beschrijving
    assert _meta(html, "og:title") == "Wijk Noord: jullie zeiden, wij deden"
    canonical = "http://participatie.test/wijken/WK016402"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert _meta(html, "og:url") == canonical
    foto = _meta(html, "og:image")
    assert foto.startswith("http://participatie.test/buurtbudget/") and foto.endswith("/groot")
    assert f"/ideeen/{d['bankjes'].id}/voortgang/" in foto
    # Other pages keep the general description.
    assert _meta(client.get("/").get_data(as_text=True), "description").startswith(
        "Meld een probleem")


def test_publiek_mag_de_pagina_even_bewaren_ingelogd_niet(client, db_session):
    response = client.get(f"/wijken/{NOORD}")
    assert response.cache_control.public and response.cache_control.max_age == 60
    assert "Cookie" in response.headers["Vary"] and response.headers["ETag"]
    nog_eens = client.get(f"/wijken/{NOORD}", headers={"If-None-Match": response.headers["ETag"]})
    assert nog_eens.status_code == 304 and nog_eens.data == b""

    login(client, gebruiker("wijkraadlid"))
    ingelogd = client.get(f"/wijken/{NOORD}")
    assert ingelogd.cache_control.private and ingelogd.cache_control.no_cache
    assert not ingelogd.cache_control.public
    assert "Wijkbeeld van Noord" in ingelogd.get_data(as_text=True)


@pytest.mark.browser
def test_zonder_javascript_op_een_telefoon_via_de_korte_url_naar_stemmen(
        app, browser, live_server, schoon):
    with app.app_context():
        d = noord_met_verhaal()
        slug = d["stemronde"].slug
        db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740},
                                  java_script_enabled=False, locale="nl-NL")
    page = context.new_page()

    page.goto("/wijk/noord")

    assert page.url.endswith("/wijken/WK016402")
    assert page.get_by_role("heading", level=1).inner_text() == "Wijk Noord"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("table").first.is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if "Stem mee" in page.evaluate("document.activeElement.innerText"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/buurtbudget/{slug}/stemmen")
    context.close()


def test_na_jaren_rondes_staan_de_oudste_gekozen_ideeen_bij_hun_ronde(client, db_session,
                                                                       monkeypatch):
    from participatie.wijkpagina import services

    d = noord_met_verhaal()  # one round with two funded ideas
    monkeypatch.setattr(services, "MAX_UITGEVOERD", 1)

    html = client.get(f"/wijken/{NOORD}").get_data(as_text=True)

    assert len(re.findall(r'<li class="uitgevoerd__idee"', html)) == 1
    ronde = d["bankjes"].ronde
    assert (f'<li><a href="/buurtbudget/{ronde.slug}">{ronde.naam}</a>: 1 idee</li>'
            in html)
    assert "Meer gekozen ideeën staan op de pagina van hun ronde:" in html
