"""A resident reports a problem on /melden: with or without a map, with photos, or as support."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from flask import g
from PIL import Image
from sqlalchemy import func, select, text

from participatie.meldingen.models import Contact, Gebeurtenis, Melding
from participatie.meldingen.termijnen import is_werkdag
from participatie.meldingen.workflow import Status
from tests.factories import (
    BINNENSTAD,
    BUITEN_HENGELO,
    DE_NOORK,
    categorie,
    csrf_token,
    jpeg,
    melding,
    vandaag,
)

OMSCHRIJVING = "Drie vuilniszakken naast de container"


def aantal_meldingen(db_session) -> int:
    return db_session.scalar(select(func.count(Melding.id)))


def verstuur(client, *, plek=DE_NOORK, fotos=(), **velden):
    """Post the melding form the way a phone does (multipart, with the page's CSRF token)."""
    data = {
        "csrf_token": csrf_token(client, "/melden"),
        "categorie": str(categorie("afvaldump").id),
        "omschrijving": OMSCHRIJVING,
        "latitude": str(plek[0]) if plek else "",
        "longitude": str(plek[1]) if plek else "",
        "locatie_tekst": "",
        "buurt": "",
        "email": "",
    }
    data.update(velden)
    if fotos:
        data["foto_kies"] = [(BytesIO(inhoud), naam) for naam, inhoud in fotos]
    return client.post("/melden", data=data, content_type="multipart/form-data")


def tekst(response) -> str:
    return response.get_data(as_text=True)


def fout_bij(html: str, veld_id: str) -> str:
    """The error message shown next to a field (the _forms.html `field` macro)."""
    match = re.search(rf'<p class="veld__fout" id="{veld_id}-fout">.*?</span>(.*?)</p>', html,
                      re.S)
    assert match, f"geen foutmelding bij {veld_id}"
    return match.group(1)


def test_melden_toont_een_formulier_dat_zonder_javascript_werkt(client):
    html = tekst(client.get("/melden"))
    assert 'enctype="multipart/form-data"' in html
    assert '<optgroup label="Afval">' in html
    assert 'capture="environment"' in html
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert 'name="locatie_tekst"' in html
    assert '<optgroup label="Noord">' in html  # buurten grouped by wijk
    # The map part waits for JavaScript (css/zonder-js.css hides it), and so does Leaflet.
    assert 'class="plek__kaartdeel alleen-met-js" id="plek-kaartdeel"' in html
    assert not re.search(r'<(script|link)[^>]+leaflet', html)


def test_inwoner_meldt_afvaldump_in_de_noork(client, db_session, mailbox):
    response = verstuur(client, email="inwoner@example.nl")
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    # This browser follows the melding at an address without the secret (see test_volgen).
    assert response.headers["Location"] == f"/meldingen/volgen/{m.id}"
    assert m.buurt_code == "BU01640202"
    assert m.wijk_code == "WK016402"
    assert m.status == Status.GEMELD
    assert m.organisatie.naam == "Gildebor"
    assert len(m.token) >= 43  # token_urlsafe(32): 256 bits
    # Afvaldump: three working days.
    dagen = [vandaag()]
    while len([d for d in dagen[1:] if is_werkdag(d)]) < 3:
        dagen.append(dagen[-1] + timedelta(days=1))
    assert m.deadline == dagen[-1]
    assert [(g.soort, g.tekst, g.publiek) for g in m.gebeurtenissen] == [
        (Gebeurtenis.STATUS, "Melding ontvangen", True)
    ]
    assert [(c.soort, c.email) for c in m.contacten] == [(Contact.MELDER, "inwoner@example.nl")]

    volgpagina = tekst(client.get(response.headers["Location"]))
    assert f"Bedankt! Uw melding {m.nummer} is ontvangen." in volgpagina
    assert f"http://participatie.test/meldingen/{m.token}" in volgpagina

    [mail] = mailbox.to("inwoner@example.nl")
    assert m.nummer in mail["Subject"]
    assert f"http://participatie.test/meldingen/{m.token}" in mailbox.body(mail)


def test_link_in_de_mail_wijst_nooit_naar_de_host_uit_het_verzoek(client, db_session, mailbox):
    # Anyone can send any Host header; the official e-mail must still link to PUBLIC_URL.
    nep = "http://evil.example"
    token = csrf_token(client, f"{nep}/melden")
    response = client.post("/melden", base_url=nep, data={
        "csrf_token": token, "categorie": str(categorie("afvaldump").id),
        "omschrijving": OMSCHRIJVING, "latitude": str(DE_NOORK[0]),
        "longitude": str(DE_NOORK[1]), "email": "inwoner@example.nl"})
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    [mail] = mailbox.to("inwoner@example.nl")
    assert f"http://participatie.test/meldingen/{m.token}" in mailbox.body(mail)
    assert "evil.example" not in mailbox.body(mail)


def test_zonder_email_wordt_geen_contact_bewaard_en_geen_mail_gestuurd(client, db_session,
                                                                         mailbox):
    assert verstuur(client).status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert m.contacten == []
    assert mailbox.messages == []


def test_zonder_kaart_met_adres_en_buurt(client, db_session):
    response = verstuur(client, plek=None, locatie_tekst="Marktstraat 12",
                        buurt="BU01640202")
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert m.locatie is None
    assert m.locatie_tekst == "Marktstraat 12"
    assert (m.buurt_code, m.wijk_code) == ("BU01640202", "WK016402")


@pytest.mark.parametrize(
    ("velden", "veld", "boodschap"),
    [
        ({"categorie": ""}, "categorie", "Kies waar uw melding over gaat."),
        ({"categorie": "999999"}, "categorie", "Kies een onderwerp uit de lijst."),
        ({"omschrijving": ""}, "omschrijving", "Beschrijf wat er aan de hand is."),
        ({"omschrijving": "vuil"}, "omschrijving", "Gebruik minstens 5 en hoogstens 1000 tekens."),
        ({"omschrijving": "x" * 1001}, "omschrijving",
         "Gebruik minstens 5 en hoogstens 1000 tekens."),
        ({"email": "inwoner@"}, "email", "Dit is geen geldig e-mailadres."),
    ],
)
def test_fout_in_een_veld_komt_terug_naast_dat_veld_en_de_rest_blijft_ingevuld(
    client, db_session, velden, veld, boodschap
):
    invoer = {"omschrijving": OMSCHRIJVING, "email": "inwoner@example.nl",
              "locatie_tekst": "Bij de glasbak"} | velden
    response = verstuur(client, **invoer)
    html = tekst(response)
    assert response.status_code == 422
    assert boodschap in fout_bij(html, veld)
    assert "Controleer het formulier" in html
    if veld != "omschrijving":
        assert f"{OMSCHRIJVING}</textarea>" in html
    if veld != "email":
        assert 'value="inwoner@example.nl"' in html
    assert 'value="Bij de glasbak"' in html
    assert f'name="latitude" type="hidden" value="{DE_NOORK[0]}"' in html
    assert aantal_meldingen(db_session) == 0


def test_gekozen_onderwerp_blijft_gekozen_na_een_fout(client, db_session):
    afvaldump = categorie("afvaldump")
    html = tekst(verstuur(client, omschrijving=""))
    assert f'<option selected value="{afvaldump.id}">' in html


@pytest.mark.parametrize("latitude,longitude", [("abc", "6.8"), ("52.27", ""), ("95", "6.8"),
                                                 ("nan", "6.8"), ("52.27", "inf")])
def test_kapotte_coordinaten_geven_een_nederlandse_melding(client, db_session, latitude,
                                                          longitude):
    html = tekst(verstuur(client, latitude=latitude, longitude=longitude))
    assert "De plek op de kaart is niet goed doorgekomen." in html
    assert f"{OMSCHRIJVING}</textarea>" in html
    assert aantal_meldingen(db_session) == 0


def test_plek_buiten_hengelo_wordt_niet_bewaard(client, db_session, media_dir):
    voor = set((media_dir / "fotos").glob("*")) if (media_dir / "fotos").exists() else set()
    response = verstuur(client, plek=BUITEN_HENGELO, fotos=[("foto.jpg", jpeg())])
    html = tekst(response)
    assert response.status_code == 422
    assert "Deze plek ligt buiten de gemeente Hengelo" in html
    assert f"{OMSCHRIJVING}</textarea>" in html
    assert aantal_meldingen(db_session) == 0
    # The photo is kept for the next attempt, not attached to anything.
    assert len(set((media_dir / "fotos").glob("*")) - voor) == 2


def test_zonder_plek_vraagt_om_adres_en_buurt(client, db_session):
    html = tekst(verstuur(client, plek=None))
    assert "Geef aan waar het is" in fout_bij(html, "locatie_tekst")
    assert "Kies in welke buurt het is." in fout_bij(html, "buurt")
    assert aantal_meldingen(db_session) == 0


def test_adres_zonder_buurt_blijft_ingevuld(client, db_session):
    html = tekst(verstuur(client, plek=None, locatie_tekst="Marktstraat 12"))
    assert "Kies in welke buurt het is." in fout_bij(html, "buurt")
    assert 'value="Marktstraat 12"' in html


def test_meer_dan_drie_fotos_wordt_geweigerd(client, db_session):
    fotos = [(f"foto{i}.jpg", jpeg()) for i in range(4)]
    response = verstuur(client, fotos=fotos)
    html = tekst(response)
    assert response.status_code == 422
    assert "U kunt hoogstens 3 foto&#39;s meesturen." in html
    assert f"{OMSCHRIJVING}</textarea>" in html
    assert aantal_meldingen(db_session) == 0


def test_een_bestand_dat_geen_foto_is_krijgt_een_melding_bij_de_foto(client, db_session):
    response = verstuur(client, fotos=[("brief.pdf", b"%PDF-1.4 dit is geen foto")])
    html = tekst(response)
    fout = re.search(r'<div class="veld__fout" id="fotos-fout">(.*?)</div>', html, re.S)
    assert fout and "brief.pdf: Dit bestand is geen foto." in fout.group(1)
    assert f"{OMSCHRIJVING}</textarea>" in html
    assert aantal_meldingen(db_session) == 0


def test_goede_foto_blijft_bewaard_na_een_fout_en_komt_bij_de_melding(client, db_session,
                                                                       media_dir):
    eerste = tekst(verstuur(client, omschrijving="", fotos=[("vuil.jpg", jpeg())]))
    bewaard = re.search(r'name="fotos_bewaard" type="hidden" value="([^"]+)"', eerste).group(1)
    thumbnail = re.search(r'src="(/melden/foto/[^"]+)"', eerste).group(1)
    response = client.get(thumbnail)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    assert client.get(thumbnail[:-3] + "xyz").status_code == 404  # signature broken

    response = verstuur(client, fotos_bewaard=bewaard)
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    [foto] = m.fotos
    bestand = media_dir / "fotos" / foto.bestand
    assert bestand.is_file() and (media_dir / "fotos" / foto.thumbnail).is_file()
    with Image.open(bestand) as beeld:
        assert dict(beeld.getexif()) == {}
        assert "exif" not in beeld.info


def test_bewaarde_foto_kan_worden_weggehaald(client, db_session, media_dir):
    eerste = tekst(verstuur(client, omschrijving="", fotos=[("vuil.jpg", jpeg())]))
    bewaard = re.search(r'name="fotos_bewaard" type="hidden" value="([^"]+)"', eerste).group(1)
    bestand = re.search(r'name="foto_weg" value="([^"]+)"', eerste).group(1)
    response = verstuur(client, fotos_bewaard=bewaard, foto_weg=bestand)
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert m.fotos == []
    assert not (media_dir / "fotos" / bestand).exists()


def _bewaar_foto(client) -> tuple[str, str]:
    """Send a photo with a form error: the kept-photos field and the thumbnail's URL."""
    html = tekst(verstuur(client, omschrijving="", fotos=[("vuil.jpg", jpeg())]))
    bewaard = re.search(r'name="fotos_bewaard" type="hidden" value="([^"]+)"', html).group(1)
    return bewaard, re.search(r'src="(/melden/foto/[^"]+)"', html).group(1)


def test_bewaarde_foto_is_alleen_te_zien_in_de_browser_die_hem_stuurde(app, client,
                                                                        db_session):
    bewaard, thumbnail = _bewaar_foto(client)
    assert client.get(thumbnail).status_code == 200
    ander = app.test_client()
    g.pop("csrf_token", None)  # a new request starts without the other browser's token
    assert ander.get(thumbnail).status_code == 404
    # Nor can another browser put someone else's photo in its own melding.
    assert verstuur(ander, fotos_bewaard=bewaard).status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert m.fotos == []


def test_bewaarde_foto_is_niet_meer_los_te_zien_zodra_hij_bij_een_melding_hoort(
        client, db_session, media_dir):
    bewaard, thumbnail = _bewaar_foto(client)
    assert verstuur(client, fotos_bewaard=bewaard).status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    [foto] = m.fotos
    foto.verborgen = True  # staff hide it: from now on nobody outside sees it
    db_session.flush()
    assert client.get(thumbnail).status_code == 404
    # Posting the old form again does not give a second melding the same files, nor
    # remove them from the first.
    assert verstuur(client, fotos_bewaard=bewaard, foto_weg=foto.bestand,
                    nieuw_bevestigd="1").status_code == 302
    tweede = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert tweede.id != m.id and tweede.fotos == []
    assert (media_dir / "fotos" / foto.bestand).is_file()


def _database_faalt_bij_een_nieuwe_melding(db_session) -> None:
    """From now on PostgreSQL refuses to store a melding with the error a restart gives
    (57P01, admin_shutdown): under load the database restarted after the photos were
    processed. Rolled back with the rest of the test."""
    db_session.execute(text(
        "CREATE FUNCTION test_herstart() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'database herstart (test)' USING ERRCODE = 'admin_shutdown'; END $$"))
    db_session.execute(text(
        "CREATE TRIGGER test_herstart BEFORE INSERT ON melding "
        "FOR EACH ROW EXECUTE FUNCTION test_herstart()"))
    db_session.commit()  # a savepoint: the outer transaction still rolls back


def _fotobestanden(media_dir) -> set[str]:
    return {p.name for p in (media_dir / "fotos").iterdir()}


def test_geen_los_fotobestand_als_de_database_wegvalt_na_het_verwerken(client, db_session,
                                                                       media_dir):
    bewaard, thumbnail = _bewaar_foto(client)  # kept from an earlier attempt with an error
    voor = _fotobestanden(media_dir)
    _database_faalt_bij_een_nieuwe_melding(db_session)

    response = verstuur(client, fotos_bewaard=bewaard, fotos=[("nog_een.jpg", jpeg())],
                        nieuw_bevestigd="1")
    db_session.rollback()  # as the end of a request does; the test shares its session

    assert response.status_code == 503
    assert "Probeer het over een minuut opnieuw." in tekst(response)

    assert _fotobestanden(media_dir) == voor  # the new upload's files are gone again
    assert aantal_meldingen(db_session) == 0
    assert client.get(thumbnail).status_code == 200  # the kept photo is still there


def test_formulier_met_bewaarde_foto_twee_keer_versturen_laat_de_eerste_melding_heel(
        client, db_session, media_dir):
    """Back button and send again: the kept photos already belong to the first melding."""
    bewaard, _ = _bewaar_foto(client)
    assert verstuur(client, fotos_bewaard=bewaard).status_code == 302
    eerste = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    [foto] = eerste.fotos
    rij = (foto.id, foto.bestand, foto.thumbnail)
    bestanden = {naam: (media_dir / "fotos" / naam).read_bytes()
                 for naam in (foto.bestand, foto.thumbnail)}

    opnieuw = verstuur(client, fotos_bewaard=bewaard)  # the first melding is nearby now
    assert opnieuw.status_code == 200 and "Is dit al gemeld?" in tekst(opnieuw)
    assert "/melden/foto/" not in tekst(opnieuw)  # no kept photo is offered again
    assert verstuur(client, fotos_bewaard=bewaard, nieuw_bevestigd="1").status_code == 302

    tweede = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert tweede.id != eerste.id and tweede.fotos == []
    db_session.expire_all()
    assert [(f.id, f.bestand, f.thumbnail) for f in eerste.fotos] == [rij]
    assert {naam: (media_dir / "fotos" / naam).read_bytes() for naam in bestanden} == bestanden


def test_vervalste_bewaarde_fotos_worden_genegeerd(client, db_session):
    response = verstuur(client, fotos_bewaard="eyJmb28iOiJiYXIifQ.vals.vals")
    assert response.status_code == 302
    m = db_session.scalar(select(Melding).order_by(Melding.id.desc()))
    assert m.fotos == []


def test_vergelijkbare_melding_in_de_buurt_wordt_eerst_getoond(client, db_session):
    bestaand = melding(omschrijving="Geheime tekst van de eerste melder",
                       email="eerste@example.nl")
    response = verstuur(client, email="tweede@example.nl")
    html = tekst(response)
    assert response.status_code == 200
    assert "Is dit al gemeld?" in html
    assert f'name="steun_melding" value="{bestaand.id}"' in html
    assert "Geheime tekst" not in html and "eerste@example.nl" not in html
    assert bestaand.token not in html
    assert f"{OMSCHRIJVING}</textarea>" in html
    assert aantal_meldingen(db_session) == 1

    # "Nee, het is een nieuwe melding" sends it after all.
    response = verstuur(client, email="tweede@example.nl", nieuw_bevestigd="1")
    assert response.status_code == 302
    assert aantal_meldingen(db_session) == 2


def test_fragment_vergelijkbaar_voor_javascript(client, db_session):
    bestaand = melding(omschrijving="Geheime tekst")
    afvaldump = categorie("afvaldump")
    html = tekst(client.get(f"/melden/vergelijkbaar?categorie={afvaldump.id}"
                            f"&latitude={DE_NOORK[0]}&longitude={DE_NOORK[1]}"))
    assert "Dit is mijn melding ook" in html
    assert f'value="{bestaand.id}"' in html
    assert "Geheime tekst" not in html
    anders = categorie("graffiti")
    leeg = tekst(client.get(f"/melden/vergelijkbaar?categorie={anders.id}"
                            f"&latitude={DE_NOORK[0]}&longitude={DE_NOORK[1]}"))
    assert "Dit is mijn melding ook" not in leeg
    kapot = client.get("/melden/vergelijkbaar?categorie=x&latitude=abc&longitude=")
    assert kapot.status_code == 200


def steun(client, melding_id, *, plek=DE_NOORK, cat="afvaldump", email="buur@example.nl"):
    return client.post("/melden/steun", data={
        "csrf_token": csrf_token(client, "/melden"),
        "steun_melding": str(melding_id),
        "categorie": str(categorie(cat).id),
        "latitude": str(plek[0]),
        "longitude": str(plek[1]),
        "email": email,
    })


def test_dit_is_mijn_melding_ook_voegt_steun_toe_zonder_nieuwe_melding(client, db_session,
                                                                       mailbox):
    bestaand = melding()
    response = steun(client, bestaand.id)
    html = tekst(response)
    assert response.status_code == 200
    assert f"Bedankt, u steunt melding {bestaand.nummer}" in html
    assert f'href="/kaart/meldingen/{bestaand.id}"' in html
    assert aantal_meldingen(db_session) == 1
    db_session.refresh(bestaand)
    assert [(c.soort, c.email) for c in bestaand.contacten] == [(Contact.STEUN,
                                                                 "buur@example.nl")]
    [gebeurtenis] = [g for g in bestaand.gebeurtenissen if g.soort == Gebeurtenis.STEUN]
    assert not gebeurtenis.publiek
    [mail] = mailbox.to("buur@example.nl")
    assert bestaand.nummer in mail["Subject"]
    assert f"http://participatie.test/kaart/meldingen/{bestaand.id}" in mailbox.body(mail)
    assert "tot 30 dagen nadat de melding is afgehandeld" in mailbox.body(mail)
    # The link in the mail opens the melding's public page.
    pagina = client.get(f"/kaart/meldingen/{bestaand.id}")
    assert pagina.status_code == 200 and bestaand.nummer in tekst(pagina)


def test_steun_zonder_email_stuurt_geen_mail(client, db_session, mailbox):
    bestaand = melding()
    assert steun(client, bestaand.id, email="").status_code == 200
    db_session.refresh(bestaand)
    assert [(c.soort, c.email) for c in bestaand.contacten] == [(Contact.STEUN, None)]
    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("opzet", "boodschap"),
    [
        ({"plek": BINNENSTAD}, "meer dan 50 meter"),
        ({"cat": "graffiti"}, "gaat over iets anders"),
        ({"status": Status.AFGEHANDELD}, "al afgehandeld"),
    ],
)
def test_steun_voor_een_melding_die_niet_past_wordt_geweigerd(client, db_session, opzet,
                                                              boodschap):
    bestaand = melding(status=opzet.get("status", Status.GEMELD))
    response = steun(client, bestaand.id, plek=opzet.get("plek", DE_NOORK),
                     cat=opzet.get("cat", "afvaldump"))
    assert response.status_code == 409
    assert boodschap in tekst(response)
    db_session.refresh(bestaand)
    assert bestaand.contacten == []


def test_steun_voor_onbekende_melding_of_kapotte_invoer(client, db_session):
    assert steun(client, 999999).status_code == 409
    response = client.post("/melden/steun", data={
        "csrf_token": csrf_token(client, "/melden"), "steun_melding": "abc",
        "categorie": "1", "latitude": "x", "longitude": "y"})
    assert response.status_code == 422
    assert "Ga terug en probeer het opnieuw." in tekst(response)


def test_zonder_csrf_wordt_geweigerd(client, db_session):
    response = client.post("/melden", data={"categorie": str(categorie().id),
                                            "omschrijving": OMSCHRIJVING,
                                            "latitude": str(DE_NOORK[0]),
                                            "longitude": str(DE_NOORK[1])})
    assert response.status_code == 400
    assert aantal_meldingen(db_session) == 0
    bestaand = melding()
    response = client.post("/melden/steun", data={"steun_melding": str(bestaand.id)})
    assert response.status_code == 400


def test_te_veel_meldingen_achter_elkaar_krijgt_de_vriendelijke_wachtpagina(app, client,
                                                                            db_session):
    oud = app.config["RATELIMIT_MELDEN"]
    app.config["RATELIMIT_MELDEN"] = "2 per minute"
    try:
        assert verstuur(client, omschrijving="").status_code == 422
        assert verstuur(client, omschrijving="").status_code == 422
        response = verstuur(client)
        assert response.status_code == 429
        assert "Even wachten" in tekst(response)
        assert client.get("/melden").status_code == 200  # reading stays possible
    finally:
        app.config["RATELIMIT_MELDEN"] = oud
    assert aantal_meldingen(db_session) == 0
