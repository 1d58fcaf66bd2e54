"""The resident answers a question from the gemeente and says whether the problem is solved."""

import pytest
from sqlalchemy import select

from participatie import mail
from participatie.extensions import db
from participatie.meldingen.models import Gebeurtenis
from participatie.meldingen.services import opgelost_link, opgelost_mail
from participatie.meldingen.workflow import Status
from tests.factories import csrf_token, gebruiker, melding, open_geheime_link

VRAAG = "Staat het afval bij de container aan de voorkant of aan de achterkant?"


def _met_vraag():
    m = melding(email="melder@example.nl")
    m.wijzig_status(Status.REACTIE_GEVRAAGD, door=gebruiker("stadsdeelregisseur"), bericht=VRAAG)
    db.session.flush()
    return m


def _afgehandeld():
    m = melding(email="melder@example.nl")
    m.wijzig_status(Status.AFGEHANDELD, door=gebruiker("stadsdeelregisseur"),
                    bericht="Gildebor heeft het afval opgehaald.")
    db.session.flush()
    return m


def _volgpagina(client, m) -> str:
    """Open the link from the e-mail in this client; the tracking page's address."""
    return open_geheime_link(client, f"/meldingen/{m.token}")


def _gebeurtenissen(m, soort):
    return db.session.scalars(
        select(Gebeurtenis).where(Gebeurtenis.melding_id == m.id, Gebeurtenis.soort == soort)
    ).all()


def test_inwoner_ziet_de_vraag_en_beantwoordt_hem(client, db_session):
    m = _met_vraag()
    volgpagina = _volgpagina(client, m)
    html = client.get(volgpagina).get_data(as_text=True)
    assert "De gemeente heeft een vraag aan u" in html
    assert VRAAG in html

    response = client.post(f"{volgpagina}/reactie", data={
        "csrf_token": csrf_token(client, volgpagina),
        "antwoord": "  Aan de achterkant, naast de fietsenstalling.  "})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(volgpagina)
    db.session.refresh(m)
    assert m.status == Status.REACTIE_ONTVANGEN
    [antwoord] = _gebeurtenissen(m, "antwoord")
    assert (antwoord.tekst, antwoord.publiek) == (
        "Aan de achterkant, naast de fietsenstalling.", False)
    assert m.gebeurtenissen[-1].status_naar == Status.REACTIE_ONTVANGEN
    assert m.gebeurtenissen[-1].user_id is None
    vervolg = client.get(volgpagina).get_data(as_text=True)
    assert "Bedankt voor uw antwoord." in vervolg
    assert "De gemeente heeft een vraag aan u" not in vervolg


def test_te_kort_of_te_lang_antwoord_geeft_melding_en_houdt_de_tekst(client, db_session):
    m = _met_vraag()
    url = f"{_volgpagina(client, m)}/reactie"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "antwoord": "ja"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Uw antwoord is minstens 5 en hoogstens 2000 tekens." in html
    assert "ja</textarea>" in html

    lang = "Heel lang verhaal. " * 120
    response = client.post(url, data={"csrf_token": token, "antwoord": lang})
    assert response.status_code == 422
    assert lang.strip() in response.get_data(as_text=True)
    db.session.refresh(m)
    assert m.status == Status.REACTIE_GEVRAAGD
    assert _gebeurtenissen(m, "antwoord") == []


def test_antwoord_kan_alleen_als_er_een_vraag_openstaat(client, db_session):
    m = melding()
    url = f"{_volgpagina(client, m)}/reactie"
    response = client.post(url, data={"csrf_token": csrf_token(client, "/melden"),
                                      "antwoord": "Een antwoord zonder vraag"})
    assert response.status_code == 409
    assert "Er staat op dit moment geen vraag aan u open" in response.get_data(as_text=True)
    db.session.refresh(m)
    assert m.status == Status.GEMELD
    assert _gebeurtenissen(m, "antwoord") == []


def test_antwoord_zonder_csrf_wordt_geweigerd(client, db_session):
    m = _met_vraag()
    response = client.post(f"{_volgpagina(client, m)}/reactie",
                           data={"antwoord": "Aan de achterkant van de flat"})
    assert response.status_code == 400
    db.session.refresh(m)
    assert m.status == Status.REACTIE_GEVRAAGD


def test_antwoorden_valt_onder_de_limiet_voor_anonieme_berichten(app, client, db_session):
    m = melding()
    url = f"{_volgpagina(client, m)}/reactie"
    token = csrf_token(client, "/melden")
    app.config["RATELIMIT_MELDEN"] = "2 per minute"
    try:
        codes = [client.post(url, data={"csrf_token": token, "antwoord": "Nog een keer"})
                 .status_code for _ in range(3)]
    finally:
        app.config["RATELIMIT_MELDEN"] = "1000 per minute"
    assert codes == [409, 409, 429]


def test_nee_niet_opgelost_vraagt_om_heropenen(client, db_session):
    m = _afgehandeld()
    volgpagina = _volgpagina(client, m)
    html = client.get(volgpagina).get_data(as_text=True)
    assert "Is het opgelost?" in html

    response = client.post(f"{volgpagina}/opgelost", data={
        "csrf_token": csrf_token(client, volgpagina), "opgelost": "nee",
        "reden": "Er liggen nog steeds zakken naast de container."})
    assert response.status_code == 303
    db.session.refresh(m)
    assert m.heropen_verzoek is True
    [terug] = _gebeurtenissen(m, "terugkoppeling")
    assert (terug.tekst, terug.publiek) == (
        "Er liggen nog steeds zakken naast de container.", False)
    html = client.get(volgpagina).get_data(as_text=True)
    assert "De gemeente bekijkt uw melding opnieuw" in html
    assert "Is het opgelost?" not in html


def test_tweede_keer_nee_bedankt_alleen(client, db_session):
    m = _afgehandeld()
    url = f"{_volgpagina(client, m)}/opgelost"
    token = csrf_token(client, url)
    for _ in range(2):
        response = client.post(url, data={"csrf_token": token, "opgelost": "nee",
                                          "reden": "Nog steeds niet opgeruimd."})
        assert response.status_code == 303
    assert "Wij hadden uw antwoord al ontvangen." in client.get(
        f"/meldingen/volgen/{m.id}").get_data(as_text=True)
    assert len(_gebeurtenissen(m, "terugkoppeling")) == 1


def test_nee_zonder_reden_geeft_melding_naast_het_veld(client, db_session):
    m = _afgehandeld()
    url = f"{_volgpagina(client, m)}/opgelost"
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "opgelost": "nee", "reden": "nee"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Schrijf kort wat er nog niet goed is (minstens 5 tekens)." in html
    assert 'aria-invalid="true"' in html and "nee</textarea>" in html
    db.session.refresh(m)
    assert m.heropen_verzoek is False
    assert _gebeurtenissen(m, "terugkoppeling") == []


def test_ja_opgelost_wordt_een_keer_bewaard(client, db_session):
    m = _afgehandeld()
    url = f"{_volgpagina(client, m)}/opgelost"
    token = csrf_token(client, url)
    client.post(url, data={"csrf_token": token, "opgelost": "ja"})
    client.post(url, data={"csrf_token": token, "opgelost": "ja"})
    [terug] = _gebeurtenissen(m, "terugkoppeling")
    assert terug.tekst == "opgelost: ja"
    db.session.refresh(m)
    assert m.heropen_verzoek is False
    html = client.get(f"/meldingen/volgen/{m.id}").get_data(as_text=True)
    assert "U liet ons weten dat het probleem is opgelost." in html


def test_opgelost_kan_pas_als_de_melding_is_afgehandeld(client, db_session):
    m = melding()
    url = f"{_volgpagina(client, m)}/opgelost"
    response = client.post(url, data={"csrf_token": csrf_token(client, "/melden"),
                                      "opgelost": "ja"})
    assert response.status_code == 409
    assert "nog niet zeggen of het is opgelost" in response.get_data(as_text=True)
    assert _gebeurtenissen(m, "terugkoppeling") == []


def test_na_heropenen_en_opnieuw_afhandelen_mag_de_inwoner_weer_antwoorden(client, db_session):
    m = _afgehandeld()
    url = f"{_volgpagina(client, m)}/opgelost"
    token = csrf_token(client, url)
    client.post(url, data={"csrf_token": token, "opgelost": "nee", "reden": "Ligt er nog."})
    m.wijzig_status(Status.HEROPEND, door=None, bericht="We kijken opnieuw.")
    m.heropen_verzoek = False
    m.wijzig_status(Status.AFGEHANDELD, door=None, bericht="Nu echt opgeruimd.")
    db.session.flush()
    assert "Is het opgelost?" in client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": token, "opgelost": "ja"})
    assert [g.tekst for g in _gebeurtenissen(m, "terugkoppeling")] == [
        "Ligt er nog.", "opgelost: ja"]


def test_mail_bij_afhandelen_linkt_naar_de_opgelost_pagina(app, client, db_session, mailbox):
    m = _afgehandeld()
    link = opgelost_link(m)
    assert link == f"http://participatie.test/meldingen/{m.token}/opgelost"
    opgelost_mail(m)  # as a command or the inbox would, outside a resident's request
    db.session.commit()  # rolled back after the test by db_session
    assert mail.deliver_pending() >= 1
    [bericht] = mailbox.to("melder@example.nl")
    tekst = mailbox.body(bericht)
    assert link in tekst
    assert "Gildebor heeft het afval opgehaald." in tekst
    assert m.nummer in bericht["Subject"]

    # The link opens "is het opgelost?" in this browser, at an address without the secret.
    response = client.get(f"/meldingen/{m.token}/opgelost")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/meldingen/volgen/{m.id}/opgelost"
    assert response.headers["X-Robots-Tag"] == "noindex"
    pagina = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Is het opgelost?" in pagina and "Nee, het is niet opgelost" in pagina
    assert 'name="robots"' not in pagina


def test_onbekende_code_geeft_404(client, db_session):
    assert client.get("/meldingen/bestaat-niet/opgelost").status_code == 404
    assert client.post("/meldingen/bestaat-niet/reactie").status_code in (400, 404, 405)


@pytest.mark.parametrize("actie", ["reactie", "opgelost"])
def test_een_browser_zonder_de_link_kan_niet_antwoorden(app, client, db_session, actie):
    """A valid form from this site, but this browser never opened the melding's link (or its
    session was replaced): the page that asks for the link, and nothing stored."""
    m = _met_vraag() if actie == "reactie" else _afgehandeld()
    _volgpagina(client, m)
    ander = app.test_client()
    response = ander.post(f"/meldingen/volgen/{m.id}/{actie}", data={
        "csrf_token": csrf_token(ander, "/melden"), "antwoord": "Aan de achterkant.",
        "opgelost": "nee", "reden": "Het ligt er nog steeds."})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Open de link uit uw e-mail opnieuw om uw melding te volgen." in html
    assert VRAAG not in html
    assert ander.get(f"/meldingen/volgen/{m.id}/{actie}").status_code == 403
    db.session.refresh(m)
    assert m.status in (Status.REACTIE_GEVRAAGD, Status.AFGEHANDELD)
    assert m.heropen_verzoek is False
    assert _gebeurtenissen(m, "antwoord") == _gebeurtenissen(m, "terugkoppeling") == []
