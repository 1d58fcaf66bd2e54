"""The beheerder reads the whole audit log at /beheer/audit: filters and pages by id."""

import re
from datetime import timedelta

from flask import render_template

from participatie.audit import log, regels_voor
from tests.factories import gebruiker, login, vandaag


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="audit-(\d+)"', html)]


def test_logboek_toont_nieuwste_eerst_met_wie_wat_voor_en_na(client, db_session):
    beheerder = gebruiker("beheerder", email="beheer@hengelo.nl")
    login(client, beheerder)
    a = log("melding.status", door=beheerder, object_type="melding", object_id=42,
            voor={"status": "gemeld"}, na={"status": "in_behandeling"})
    b = log("retentie.contacten", door=None, object_type="retentie", object_id="2025-01-01",
            na={"aantal": 3})
    html = client.get("/beheer/audit").get_data(as_text=True)
    ids = _ids(html)
    assert ids == sorted(ids, reverse=True) and ids[:2] == [b.id, a.id]
    assert "status: gemeld → in_behandeling" in html
    assert "beheer@hengelo.nl" in html and "systeem" in html and "melding 42" in html


def test_filters_op_actie_object_email_en_datum(client, db_session):
    beheerder = gebruiker("beheerder", email="beheer@hengelo.nl")
    ander = gebruiker("stadsdeelregisseur", email="sanne@hengelo.nl")
    login(client, beheerder)
    status = log("melding.status", door=ander, object_type="melding", object_id=1)
    notitie = log("melding.notitie", door=beheerder, object_type="melding", object_id=1)
    idee = log("idee.verberg", door=ander, object_type="idee", object_id=5)

    assert _ids(client.get("/beheer/audit?actie=melding").get_data(True)) == [
        notitie.id, status.id]
    assert _ids(client.get("/beheer/audit?actie=melding.status").get_data(True)) == [status.id]
    assert _ids(client.get("/beheer/audit?object_type=idee").get_data(True)) == [idee.id]
    assert _ids(client.get("/beheer/audit?email=SANNE&object_type=melding").get_data(True)) == [
        status.id]
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    assert _ids(client.get(f"/beheer/audit?van={morgen}").get_data(True)) == []
    vandaag_ = vandaag().isoformat()
    assert idee.id in _ids(client.get(f"/beheer/audit?van={vandaag_}&tot={vandaag_}")
                           .get_data(True))


def test_foute_datum_geeft_nederlandse_melding_en_houdt_de_invoer(client, db_session):
    login(client, gebruiker("beheerder"))
    response = client.get("/beheer/audit?van=31-02-2025&tot=2025-01-01&actie=login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit is geen geldige datum. Gebruik jjjj-mm-dd." in html
    assert 'value="31-02-2025"' in html and 'value="login"' in html
    verkeerd_om = client.get("/beheer/audit?van=2025-02-01&tot=2025-01-01").get_data(True)
    assert "Deze datum ligt vóór de datum bij" in verkeerd_om


def test_bladeren_met_keyset_paginering(client, db_session):
    login(client, gebruiker("beheerder"))
    regels = [log("test.regel", door=None, object_type="test", object_id=i) for i in range(60)]
    eerste = client.get("/beheer/audit?actie=test").get_data(as_text=True)
    assert _ids(eerste) == [r.id for r in reversed(regels)][:50]
    volgende = re.search(r'href="([^"]*ouder_dan=\d+[^"]*)">Oudere regels', eerste).group(1)
    volgende = volgende.replace("&amp;", "&")
    assert "actie=test" in volgende
    tweede = client.get(volgende).get_data(as_text=True)
    assert _ids(tweede) == [r.id for r in reversed(regels)][50:]
    assert "Oudere regels" not in tweede and "Nieuwste regels" in tweede


def test_alleen_de_beheerder_ziet_het_logboek(client, db_session):
    login(client, gebruiker("stadsdeelregisseur"))
    assert client.get("/beheer/audit").status_code == 403


def test_partial_toont_de_regels_van_een_melding(app, db_session):
    log("melding.toewijzen", door=None, object_type="melding", object_id=77,
        voor={"organisatie": None}, na={"organisatie": "Gildebor"})
    with app.test_request_context():
        html = render_template("beheer/_audit_regels.html", regels=regels_voor("melding", 77))
    assert "melding.toewijzen" in html
    assert "organisatie: — → Gildebor" in html
