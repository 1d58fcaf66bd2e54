"""Open311 driven by clients that are not ours, against the app served by a real server.

`georeport` (PyPI, a Python wrapper for GeoReport v2) reads services, definitions and
requests in JSON and XML. It cannot post or read discovery, so those calls go through
`requests` with the form encoding the spec prescribes, and their XML is read with the
standard library. The XML of every call is checked against the element names and nesting of
the examples in the GeoReport v2 and Service Discovery specs; the JSON against their shape.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
import requests
from georeport import GeoReport

from participatie.extensions import db
from participatie.meldingen.workflow import Status
from tests.factories import DE_NOORK

# Children of each element, in the order of the spec's examples (GeoReport_v2 and
# Service_Discovery on wiki.open311.org). A list element holds only its item elements.
SPEC = {
    "discovery": ("changeset", "contact", "key_service", "endpoints"),
    "endpoint": ("specification", "url", "changeset", "type", "formats"),
    "service": ("service_code", "service_name", "description", "metadata", "type",
                "keywords", "group"),
    "service_definition": ("service_code", "attributes"),
    "attribute": ("variable", "code", "datatype", "required", "datatype_description",
                  "order", "description", "values"),
    "value": ("key", "name"),
    "request": ("service_request_id", "status", "status_notes", "service_name",
                "service_code", "description", "agency_responsible", "service_notice",
                "requested_datetime", "updated_datetime", "expected_datetime", "address",
                "address_id", "zipcode", "lat", "long", "media_url"),
    "error": ("code", "description"),
}
# The answer to POST requests: the spec's fields plus our documented extension.
POST_REQUEST = ("service_request_id", "service_notice", "account_id", "tracking_url")
LIJSTEN = {"services": "service", "service_requests": "request", "errors": "error",
           "attributes": "attribute", "values": "value", "endpoints": "endpoint",
           "formats": "format"}


def volgens_spec(element: ElementTree.Element, velden: dict = SPEC) -> None:
    """Every element has only the children the spec names, in the spec's order."""
    kinderen = [k.tag for k in element]
    if element.tag in LIJSTEN:
        assert set(kinderen) <= {LIJSTEN[element.tag]}, (element.tag, kinderen)
    elif element.tag in velden:
        volgorde = velden[element.tag]
        assert set(kinderen) <= set(volgorde), (element.tag, set(kinderen) - set(volgorde))
        assert kinderen == sorted(kinderen, key=volgorde.index), (element.tag, kinderen)
    else:
        assert kinderen == [], (element.tag, kinderen)
    for kind in element:
        volgens_spec(kind, velden)


def json_volgens_spec(item: dict, soort: str) -> None:
    assert set(item) <= set(SPEC[soort]), set(item) - set(SPEC[soort])
    for waarde in item.values():
        assert waarde is None or isinstance(waarde, str | int | float | bool | list), waarde


@pytest.fixture
def open311(app, live_server, schoon):
    """The endpoint, an API key for the app, and a stadsdeelregisseur of Noord."""
    from participatie.api.sleutels import maak_sleutel
    from tests.factories import gebruiker

    with app.app_context():
        _, platte_sleutel = maak_sleutel("Testclient", door=None)
        regisseur = gebruiker("stadsdeelregisseur", email="regisseur@hengelo.nl")
        db.session.commit()
        regisseur_id = regisseur.id
    return live_server + "/open311/v2", platte_sleutel, regisseur_id


def _post(url: str, sleutel: str, formaat: str, **velden) -> requests.Response:
    data = {"api_key": sleutel, "jurisdiction_id": "hengelo.nl", "service_code": "afvaldump",
            "lat": DE_NOORK[0], "long": DE_NOORK[1],
            "description": "Vuilniszakken naast de container", **velden}
    return requests.post(f"{url}/requests.{formaat}", data=data, timeout=10)


@pytest.mark.parametrize("formaat", ["json", "xml"])
def test_een_open311_client_leest_diensten_definities_en_verzoeken(open311, formaat):
    url, sleutel, _ = open311
    client = GeoReport(url, jurisdiction="hengelo.nl", output_format=formaat)

    diensten = client.get_service_list()
    codes = [d["service_code"] for d in diensten]
    assert "container-kapot" in codes and len(codes) == 19
    container = diensten[codes.index("container-kapot")]
    assert container["group"] == "Afval"
    assert str(container["metadata"]).lower() == "true"

    definitie = client.get_service_definition("container-kapot")
    attribuut = definitie["attributes"] if formaat == "json" else \
        definitie["attributes"]["attribute"]
    assert attribuut[0]["code"] == "soort_container"

    eerste = _post(url, sleutel, "json").json()[0]["service_request_id"]
    tweede = _post(url, sleutel, "json", service_code="lantaarnpaal-kapot").json()[0][
        "service_request_id"]
    verzoeken = client.get_service_requests(service_code="afvaldump", status="open")
    verzoeken = verzoeken if isinstance(verzoeken, list) else [verzoeken]
    assert [str(v["service_request_id"]) for v in verzoeken] == [str(eerste)]
    beide = client.get_service_requests(service_request_id=f"{eerste},{tweede}")
    assert {str(v["service_request_id"]) for v in beide} == {str(eerste), str(tweede)}
    verzoek = client.get_service_request(str(tweede))
    assert verzoek["service_code"] == "lantaarnpaal-kapot" and verzoek["status"] == "open"
    assert verzoek["address"] == "De Noork, Noord, Hengelo"


def test_xml_van_elke_aanroep_heeft_de_namen_en_nesting_van_de_spec(open311):
    url, sleutel, _ = open311
    antwoord = _post(url, sleutel, "xml", **{"attribute[soort_afval][]": "huisvuil"})
    post = ElementTree.fromstring(antwoord.content)
    assert post.tag == "service_requests"
    volgens_spec(post, SPEC | {"request": POST_REQUEST})
    melding_id = post.findtext("request/service_request_id")

    aanroepen = {
        "discovery.xml": "discovery", "services.xml": "services",
        "services/container-kapot.xml": "service_definition", "requests.xml": "service_requests",
        f"requests/{melding_id}.xml": "service_requests", "requests/0.xml": "errors",
        "services/bestaat-niet.xml": "errors", "requests.xml?status=dicht": "errors",
    }
    for pad, wortel in aanroepen.items():
        response = requests.get(f"{url}/{pad}", timeout=10)
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        xml = ElementTree.fromstring(response.content)
        assert xml.tag == wortel, pad
        volgens_spec(xml)
        assert len(xml) > 0, pad
    fout = requests.post(f"{url}/requests.xml", data={"api_key": "fout"}, timeout=10)
    assert fout.status_code == 403
    volgens_spec(ElementTree.fromstring(fout.content))


def test_json_van_elke_aanroep_heeft_de_vorm_van_de_spec(open311):
    url, sleutel, _ = open311
    [post] = _post(url, sleutel, "json").json()
    assert set(post) == set(POST_REQUEST)

    discovery = requests.get(f"{url}/discovery.json", timeout=10).json()
    assert set(discovery) == set(SPEC["discovery"])
    assert set(discovery["endpoints"][0]) == set(SPEC["endpoint"])
    for dienst in requests.get(f"{url}/services.json", timeout=10).json():
        json_volgens_spec(dienst, "service")
        assert isinstance(dienst["metadata"], bool)
    definitie = requests.get(f"{url}/services/afvaldump.json", timeout=10).json()
    json_volgens_spec(definitie, "service_definition")
    for attribuut in definitie["attributes"]:
        json_volgens_spec(attribuut, "attribute")
        for waarde in attribuut["values"]:
            json_volgens_spec(waarde, "value")
    [verzoek] = requests.get(f"{url}/requests/{post['service_request_id']}.json",
                             timeout=10).json()
    json_volgens_spec(verzoek, "request")
    assert isinstance(verzoek["lat"], float) and isinstance(verzoek["service_request_id"], int)
    fouten = requests.get(f"{url}/requests.json?start_date=gisteren", timeout=10).json()
    for fout in fouten:
        json_volgens_spec(fout, "error")


def test_melding_van_een_app_in_de_inbox_van_de_wijk_en_de_statuswijziging_terug(
        app, open311, mailbox):
    from participatie.accounts.models import User
    from participatie.meldingen.models import Melding
    from participatie.meldingen.services.triage import wijzig_status
    from tests.factories import login

    url, sleutel, regisseur_id = open311
    response = _post(url, sleutel, "xml", email="bewoner@example.nl",
                     **{"attribute[soort_afval][]": "grofvuil"})
    assert response.status_code == 200
    melding_id = int(ElementTree.fromstring(response.content).findtext(
        "request/service_request_id"))
    assert mailbox.to("bewoner@example.nl")

    with app.app_context():
        regisseur = db.session.get(User, regisseur_id)
        staf = app.test_client()
        login(staf, regisseur)
        inbox = staf.get("/beheer/").get_data(as_text=True)
        assert f"M-{melding_id}" in inbox
        melding = db.session.get(Melding, melding_id)
        assert melding.wijk_code == "WK016402" and "Grofvuil" in melding.omschrijving
        wijzig_status(regisseur, melding, Status.AFGEHANDELD, "De zakken zijn opgehaald.")
        db.session.commit()

    for formaat in ("json", "xml"):
        verzoek = GeoReport(url, output_format=formaat).get_service_request(str(melding_id))
        assert verzoek["status"] == "closed", formaat
        assert verzoek["status_notes"] == "De zakken zijn opgehaald."
        assert verzoek["updated_datetime"] >= verzoek["requested_datetime"]
