"""Open311 read calls through the test client: every filter, in JSON and XML, and what the
public may not see. The independent client library drives the same calls in
test_open311_client.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from participatie.meldingen.models import Foto, Gebeurtenis
from participatie.meldingen.workflow import Status, kolommen_na
from tests.factories import BINNENSTAD, categorie, melding

V2 = "/open311/v2"


def _json(client, pad, **args):
    response = client.get(f"{V2}/{pad}.json", query_string=args)
    assert response.mimetype == "application/json", response.data[:300]
    return response


def _xml(client, pad, **args):
    response = client.get(f"{V2}/{pad}.xml", query_string=args)
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return response, ElementTree.fromstring(response.data)


def _ids(client, **args) -> list[int]:
    response = _json(client, "requests", **args)
    assert response.status_code == 200, response.get_json()
    return [r["service_request_id"] for r in response.get_json()]


def _fout(response, status: int, woord: str) -> None:
    """The spec's error answer: a list of {code, description}, and the HTTP status."""
    assert response.status_code == status
    fouten = response.get_json()
    assert [set(f) for f in fouten] == [{"code", "description"}]
    assert fouten[0]["code"] == status
    assert woord in fouten[0]["description"]


def _zet(m, status: Status, dagen_geleden: int = 0):
    for kolom, waarde in kolommen_na(status).items():
        setattr(m, kolom, waarde)
    if not status.is_open:
        m.gesloten_op = datetime.now(UTC) - timedelta(days=dagen_geleden)
    return m


def test_discovery_noemt_het_eindpunt_en_beide_formaten(client, db_session):
    data = _json(client, "discovery").get_json()
    assert data["endpoints"] == [{
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://participatie.test/open311/v2", "changeset": data["changeset"],
        "type": "test", "formats": ["text/xml", "application/json"]}]
    assert "14 074" in data["contact"] and "sleutel" in data["key_service"]
    _, xml = _xml(client, "discovery")
    assert xml.tag == "discovery"
    assert [f.text for f in xml.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]


def test_services_een_per_actieve_categorie_met_groep_en_trefwoorden(client, db_session):
    categorie("onkruid").actief = False
    db_session.flush()
    diensten = {d["service_code"]: d for d in _json(client, "services").get_json()}
    assert "onkruid" not in diensten and len(diensten) == 18
    assert diensten["container-kapot"] == {
        "service_code": "container-kapot", "service_name": "Container kapot of vol",
        "description": "Ondergrondse container of glasbak", "metadata": True,
        "type": "realtime", "group": "Afval",
        "keywords": "afval, ondergrondse container, glasbak, papierbak, klep, pas"}
    # Every service has at least the buurt attribute, for reports with only an address.
    assert diensten["zwerfvuil"]["metadata"] is True
    _, xml = _xml(client, "services")
    assert [s.findtext("service_code") for s in xml.findall("service")] == list(diensten)
    assert xml.find("service/metadata").text == "true"


def test_dienstdefinitie_met_attributen_en_onbekende_dienst(client, db_session):
    definitie = _json(client, "services/container-kapot").get_json()
    soort = definitie["attributes"][0]
    assert definitie["service_code"] == "container-kapot"
    assert soort["code"] == "soort_container" and soort["required"] is True
    assert soort["datatype"] == "singlevaluelist" and soort["order"] == 1
    assert {"key": "glas", "name": "Glas"} in soort["values"]
    [buurt] = _json(client, "services/zwerfvuil").get_json()["attributes"]
    assert (buurt["code"], buurt["required"], buurt["order"]) == ("buurt", False, 1)
    _, xml = _xml(client, "services/container-kapot")
    assert xml.tag == "service_definition"
    assert xml.find("attributes/attribute/values/value/key").text == "restafval"
    _fout(_json(client, "services/bestaat-niet"), 404, "bestaat-niet")
    response, xml = _xml(client, "services/bestaat-niet")
    assert response.status_code == 404
    assert xml.tag == "errors" and xml.find("error/code").text == "404"


def test_jurisdiction_id_is_optioneel_en_een_andere_is_onbekend(client, db_session):
    assert _json(client, "services", jurisdiction_id="hengelo.nl").status_code == 200
    assert _json(client, "services", jurisdiction_id="www.hengelo.nl").status_code == 200
    _fout(_json(client, "services", jurisdiction_id="sfgov.org"), 404, "sfgov.org")
    _fout(_json(client, "requests", jurisdiction_id="sfgov.org"), 404, "hengelo.nl")


def test_requests_standaard_de_laatste_90_dagen_nieuwste_eerst(client, db_session):
    oud = melding(dagen_geleden=100)
    eerder = melding(dagen_geleden=10)
    nieuw = melding(dagen_geleden=1)
    assert _ids(client)[:2] == [nieuw.id, eerder.id]
    assert oud.id not in _ids(client)
    van = (datetime.now(UTC) - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    tot = (datetime.now(UTC) - timedelta(days=50)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert _ids(client, start_date=van, end_date=tot) == [oud.id]
    assert oud.id in _ids(client, start_date=van)
    assert _ids(client, end_date=tot) == [oud.id]


@pytest.mark.parametrize("args, woord", [
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 dagen"),
    ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "voor"),
    ({"start_date": "gisteren"}, "W3C"),
    ({"end_date": "2026-06-01T00:00:00"}, "tijdzone"),
    ({"start_date": "9999-12-31T00:00:00Z"}, "2199"),
    ({"status": "dicht"}, "open"),
    ({"service_code": "zwerfvuil,bestaat-niet"}, "bestaat-niet"),
    ({"service_request_id": "1,twee"}, "twee"),
    ({"service_request_id": ",".join(str(i) for i in range(1, 102))}, "hoogstens 100"),
    ({"page_size": "1001"}, "page_size"),
    ({"after": "x.y"}, "after"),
])
def test_foute_filters_geven_een_fout_in_de_vorm_van_de_spec(client, db_session, args, woord):
    _fout(_json(client, "requests", **args), 400, woord)
    response, xml = _xml(client, "requests", **args)
    assert response.status_code == 400
    assert xml.tag == "errors" and woord in xml.findtext("error/description")


def test_datum_zonder_tijd_telt_vanaf_middernacht_in_hengelo(client, db_session):
    gemeld = melding(dagen_geleden=3)
    dag = (datetime.now(UTC) - timedelta(days=4)).date().isoformat()
    assert gemeld.id in _ids(client, start_date=dag)


def test_filter_op_status_en_dienst(client, db_session):
    open_ = melding(slug="afvaldump")
    gesloten = _zet(melding(slug="afvaldump"), Status.AFGEHANDELD)
    lamp = melding(slug="lantaarnpaal-kapot")
    db_session.flush()
    assert set(_ids(client, status="open")) == {open_.id, lamp.id}
    assert _ids(client, status="closed") == [gesloten.id]
    assert set(_ids(client, status="open,closed")) == {open_.id, gesloten.id, lamp.id}
    assert set(_ids(client, service_code="afvaldump")) == {open_.id, gesloten.id}
    assert set(_ids(client, service_code="afvaldump,lantaarnpaal-kapot", status="open")) == {
        open_.id, lamp.id}


def test_service_request_id_gaat_boven_de_andere_filters(client, db_session):
    oud = melding(dagen_geleden=200, slug="graffiti")
    nieuw = melding()
    ids = _ids(client, service_request_id=f"{oud.id}, M-{nieuw.id},99999",
               service_code="zwerfvuil", status="closed")
    assert sorted(ids) == sorted([oud.id, nieuw.id])


def test_paginas_met_page_size_en_after_via_de_link_header(client, db_session):
    gemeld = [melding(dagen_geleden=d) for d in (5, 4, 3, 2, 1)]
    response = _json(client, "requests", page_size=2)
    assert [r["service_request_id"] for r in response.get_json()] == [gemeld[4].id,
                                                                       gemeld[3].id]
    gezien = [r["service_request_id"] for r in response.get_json()]
    while "Link" in response.headers:
        link = response.headers["Link"]
        assert link.endswith('>; rel="next"') and "page_size=2" in link
        response = client.get(link[1:link.index(">")])
        gezien += [r["service_request_id"] for r in response.get_json()]
    assert gezien == [m.id for m in reversed(gemeld)]


def test_alleen_wat_de_openbare_pagina_toont(client, db_session, media_dir):
    m = melding(email="bewoner@example.nl", omschrijving="Bij nummer 12, Jan de Vries",
                locatie_tekst="Voor de deur van Jan")
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.BERICHT, publiek=True,
                                        tekst="We komen donderdag kijken."))
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.NOTITIE, publiek=False,
                                        tekst="Intern: buurman belt vaker"))
    verborgen = Foto(bestand="a" * 32 + ".jpg", thumbnail="b" * 32 + ".jpg", breedte=1,
                     hoogte=1, publiek=False)
    goed = Foto(bestand="c" * 32 + ".jpg", thumbnail="d" * 32 + ".jpg", breedte=1, hoogte=1,
                publiek=True)
    m.fotos += [verborgen, goed]
    geannuleerd = _zet(melding(), Status.GEANNULEERD)
    lang_dicht = _zet(melding(), Status.AFGEHANDELD, dagen_geleden=40)
    db_session.flush()

    verzoek = _json(client, f"requests/{m.id}").get_json()[0]
    tekst = _json(client, "requests").get_data(as_text=True)
    assert verzoek["status_notes"] == "We komen donderdag kijken."
    assert verzoek["description"] is None
    assert verzoek["address"] == "De Noork, Noord, Hengelo"
    assert verzoek["media_url"] == f"http://participatie.test/kaart/fotos/{goed.id}/groot.jpg"
    for geheim in ("bewoner@example.nl", "Jan", "Intern", m.token):
        assert geheim not in tekst
    for verborgen_melding in (geannuleerd, lang_dicht):
        assert verborgen_melding.id not in _ids(client)
        _fout(_json(client, f"requests/{verborgen_melding.id}"), 404, "niet openbaar")


def test_een_request_in_json_en_xml_met_de_velden_van_de_spec(client, db_session):
    m = melding(plek=BINNENSTAD, slug="lantaarnpaal-kapot")
    verzoek = _json(client, f"requests/{m.id}").get_json()
    assert len(verzoek) == 1 and verzoek[0]["service_request_id"] == m.id
    assert verzoek[0]["status"] == "open" and verzoek[0]["service_code"] == "lantaarnpaal-kapot"
    assert verzoek[0]["agency_responsible"] == "Team Openbare Verlichting"
    assert verzoek[0]["lat"] == pytest.approx(BINNENSTAD[0])
    assert verzoek[0]["long"] == pytest.approx(BINNENSTAD[1])
    assert verzoek[0]["requested_datetime"].endswith(("+01:00", "+02:00"))
    assert verzoek[0]["expected_datetime"].startswith(m.deadline.isoformat())
    _, xml = _xml(client, f"requests/{m.id}")
    assert xml.tag == "service_requests"
    assert xml.find("request/service_request_id").text == str(m.id)
    for onbekend in ("abc", "0", "99999999999", "1.5"):
        _fout(_json(client, f"requests/{onbekend}"), 404, "bestaat niet")


def test_onbekende_url_en_methode_geven_een_open311_fout(client, db_session):
    _fout(client.get(f"{V2}/tokens/123.json"), 404, "discovery")
    response = client.delete(f"{V2}/requests.xml")
    assert response.status_code == 405
    assert ElementTree.fromstring(response.data).find("error/code").text == "405"
    _fout(client.get(f"{V2}/requests.json?status=%00"), 400, "teken")


def test_xml_blijft_geldig_met_tekens_die_xml_niet_kent(client, db_session):
    m = melding()
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.BERICHT, publiek=True,
                                        tekst="Gras & <takken>\x0b weggehaald"))
    db_session.flush()
    _, xml = _xml(client, f"requests/{m.id}")
    assert xml.findtext("request/status_notes") == "Gras & <takken> weggehaald"
