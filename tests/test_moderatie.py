"""The stadsdeelregisseur's inbox: triage, messages to residents, scoping per role."""

from __future__ import annotations

import re

import pytest

from participatie.meldingen.models import Contact, Gebeurtenis
from participatie.meldingen.workflow import BERICHT_VERPLICHT, TRANSITIES, Status
from tests.factories import BINNENSTAD, csrf_token, gebruiker, login, melding

NOORD = "WK016402"


def _post(client, url, data, pagina=None, **kwargs):
    data = dict(data)
    data["csrf_token"] = csrf_token(client, pagina or "/beheer/")
    return client.post(url, data=data, **kwargs)


@pytest.fixture
def regisseur(client, db_session):
    user = gebruiker("stadsdeelregisseur", email="regisseur.noord@hengelo.nl")
    login(client, user)
    return user


def test_regisseur_ziet_meldingen_uit_noord_en_niet_uit_de_binnenstad(client, regisseur):
    noord = melding(omschrijving="Kapotte bank bij de speeltuin")
    stad = melding(plek=BINNENSTAD, omschrijving="Fietswrak bij het station")
    html = client.get("/beheer/").get_data(as_text=True)
    assert noord.nummer in html and "Kapotte bank bij de speeltuin" in html
    assert stad.nummer not in html
    assert client.get(f"/beheer/meldingen/{stad.id}").status_code == 404
    response = _post(client, f"/beheer/meldingen/{stad.id}/status",
                     {"status": "in_behandeling", "bericht": ""})
    assert response.status_code == 404
    assert stad.status == Status.GEMELD


def test_status_in_behandeling_met_openbaar_bericht_bereikt_de_melder(
        client, regisseur, db_session, mailbox):
    m = melding(email="bewoner@example.nl")
    m.contacten.append(Contact(soort=Contact.STEUN, email="buurvrouw@example.nl"))
    db_session.flush()
    response = _post(client, f"/beheer/meldingen/{m.id}/status",
                     {"status": "in_behandeling", "bericht": "We komen donderdag kijken.",
                      "publiek": "y"})
    assert response.status_code == 302
    assert m.status == Status.IN_BEHANDELING
    laatste = m.gebeurtenissen[-1]
    assert laatste.publiek and laatste.tekst == "We komen donderdag kijken."
    [aan_melder] = mailbox.to("bewoner@example.nl")
    assert aan_melder["Subject"] == f"Nieuws over uw melding {m.nummer}"
    assert "We komen donderdag kijken." in mailbox.body(aan_melder)
    assert f"/meldingen/{m.token}" in mailbox.body(aan_melder)
    # A supporter hears the same news, with the public page, never the melder's secret link.
    [aan_steuner] = mailbox.to("buurvrouw@example.nl")
    body = mailbox.body(aan_steuner)
    assert aan_steuner["Subject"] == f"Nieuws over melding {m.nummer}"
    assert "We komen donderdag kijken." in body
    assert m.token not in body
    assert f"http://participatie.test/kaart/meldingen/{m.id}" in body
    volgpagina = client.get(f"/meldingen/{m.token}", follow_redirects=True)
    assert volgpagina.status_code == 200
    assert "We komen donderdag kijken." in volgpagina.get_data(as_text=True)
    from participatie.audit import regels_voor

    [regel] = [r for r in regels_voor("melding", m.id) if r.actie == "melding.status"]
    assert regel.voor["status"] == "gemeld" and regel.na["status"] == "in_behandeling"
    assert regel.user_email == "regisseur.noord@hengelo.nl"


def test_afgehandeld_vraagt_de_melder_of_het_is_opgelost(client, regisseur, db_session,
                                                         mailbox):
    m = melding(email="bewoner@example.nl", status=Status.IN_BEHANDELING)
    m.contacten.append(Contact(soort=Contact.STEUN, email="buurvrouw@example.nl"))
    db_session.flush()
    response = _post(client, f"/beheer/meldingen/{m.id}/status",
                     {"status": "afgehandeld", "bericht": "De zakken zijn opgehaald.",
                      "publiek": "y"})
    assert response.status_code == 302
    [aan_melder] = mailbox.to("bewoner@example.nl")
    assert aan_melder["Subject"] == f"Uw melding {m.nummer} is afgehandeld"
    body = mailbox.body(aan_melder)
    assert "De zakken zijn opgehaald." in body
    assert f"/meldingen/{m.token}/opgelost" in body
    # A supporter has no tracking page of their own: the plain update, no question.
    [aan_steuner] = mailbox.to("buurvrouw@example.nl")
    assert "/opgelost" not in mailbox.body(aan_steuner)
    assert m.token not in mailbox.body(aan_steuner)
    assert "De zakken zijn opgehaald." in mailbox.body(aan_steuner)


def test_interne_notitie_bereikt_de_melder_nooit(client, regisseur, db_session, mailbox):
    m = melding(email="bewoner@example.nl")
    response = _post(client, f"/beheer/meldingen/{m.id}/bericht",
                     {"tekst": "Buurman is lastig, eerst bellen.", "zichtbaarheid": "intern"})
    assert response.status_code == 302
    [notitie] = [g for g in m.gebeurtenissen if g.soort == Gebeurtenis.NOTITIE]
    assert not notitie.publiek
    assert mailbox.to("bewoner@example.nl") == []
    volgpagina = client.get(f"/meldingen/{m.token}", follow_redirects=True)
    assert volgpagina.status_code == 200
    assert "Buurman is lastig" not in volgpagina.get_data(as_text=True)
    detail = client.get(f"/beheer/meldingen/{m.id}").get_data(as_text=True)
    assert "Buurman is lastig, eerst bellen." in detail and "Interne notitie" in detail


@pytest.mark.parametrize("van", list(TRANSITIES), ids=lambda s: s.value)
def test_elke_overgang_volgt_de_tabel(client, regisseur, db_session, van):
    """From each status, every target is tried: allowed ones happen, others get a message."""
    for naar in Status:
        if naar in (van, Status.SAMENGEVOEGD):
            continue
        m = melding(status=van)
        bericht = "Bericht aan de melder." if naar in BERICHT_VERPLICHT or \
            naar == Status.REACTIE_GEVRAAGD else ""
        response = _post(client, f"/beheer/meldingen/{m.id}/status",
                         {"status": naar.value, "bericht": bericht, "publiek": "y"},
                         pagina=f"/beheer/meldingen/{m.id}")
        if naar in TRANSITIES[van]:
            assert response.status_code == 302, (van, naar)
            assert m.status == naar
        else:
            assert response.status_code == 422, (van, naar)
            html = response.get_data(as_text=True)
            assert f"Van &#39;{van.label}&#39; naar &#39;{naar.label}&#39; kan niet." in html
            assert m.status == van


@pytest.mark.parametrize("naar", sorted(BERICHT_VERPLICHT), ids=lambda s: s.value)
def test_afsluiten_of_heropenen_zonder_bericht_kan_niet(client, regisseur, db_session, naar):
    van = Status.AFGEHANDELD if naar == Status.HEROPEND else Status.IN_BEHANDELING
    m = melding(status=van)
    response = _post(client, f"/beheer/meldingen/{m.id}/status",
                     {"status": naar.value, "bericht": "  ", "publiek": "y"})
    assert response.status_code == 422
    assert f"Bij &#39;{naar.label}&#39; hoort een bericht aan de melder." in \
        response.get_data(as_text=True)
    assert m.status == van


def test_htmx_actie_geeft_paneel_en_rij_terug(client, regisseur, db_session):
    m = melding()
    token = csrf_token(client, "/beheer/")
    response = client.post(f"/beheer/meldingen/{m.id}/status",
                           data={"status": "ingepland", "bericht": "", "publiek": "y"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="rij-melding-{m.id}" hx-swap-oob="true"' in html
    assert "staat nu op &#39;Ingepland&#39;" in html


def test_detail_toont_alles_en_contacten_alleen_aan_regisseur(client, regisseur, db_session):
    m = melding(email="bewoner@example.nl", locatie_tekst="Hoek Deurningerstraat")
    html = client.get(f"/beheer/meldingen/{m.id}").get_data(as_text=True)
    assert "Vuilniszakken naast de container" in html
    assert "Hoek Deurningerstraat" in html and "De Noork" in html
    assert "bewoner@example.nl" in html
    assert 'data-punt="' in html
    assert re.search(r"Klaar op \d+ \w+ \d{4}", html)


def test_elk_label_op_de_beheerpagina_hoort_bij_een_veld(client, regisseur, db_session):
    """A label whose `for` names no field is read by no screen reader (the status select)."""
    import re

    m = melding(email="bewoner@example.nl")
    db_session.flush()
    html = client.get(f"/beheer/meldingen/{m.id}").get_data(as_text=True)
    labels = re.findall(r'<label[^>]* for="([^"]+)"', html)
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert f"status-{m.id}" in labels
    assert [label for label in labels if label not in ids] == []
