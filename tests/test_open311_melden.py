"""POST requests through the test client: a melding from an app is made as /melden makes one,
and every bad input gets the spec's error, never a 500."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from PIL import Image
from sqlalchemy import func, select

from participatie import media
from participatie.api.models import ApiSleutel
from participatie.api.sleutels import maak_sleutel, trek_in
from participatie.audit import AuditRegel, regels_voor
from participatie.meldingen.models import Foto, Gebeurtenis, Melding
from tests.factories import BUITEN_HENGELO, DE_NOORK, jpeg, melding
from tests.test_geen_500 import VELD_WAARDEN

V2 = "/open311/v2"


@pytest.fixture
def sleutel(db_session):
    rij, platte_sleutel = maak_sleutel("BuitenBeter", "apps@example.nl", door=None)
    rij.platte_sleutel = platte_sleutel
    return rij


def _velden(sleutel, **extra) -> dict:
    velden = {"api_key": sleutel.platte_sleutel, "service_code": "afvaldump",
              "lat": str(DE_NOORK[0]), "long": str(DE_NOORK[1]),
              "description": "Vuilniszakken naast de glasbak"}
    velden.update(extra)
    return {k: v for k, v in velden.items() if v is not None}


def _post(client, sleutel, formaat="json", **extra):
    return client.post(f"{V2}/requests.{formaat}", data=_velden(sleutel, **extra))


def _fout(response, status: int, woord: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    fouten = response.get_json()
    assert len(fouten) == 1 and fouten[0]["code"] == status
    assert woord in fouten[0]["description"], fouten[0]["description"]


def test_app_meldt_zoals_het_formulier_en_de_melder_krijgt_de_bevestiging(
        client, db_session, sleutel, mailbox):
    response = _post(client, sleutel, email="bewoner@example.nl", first_name="Jan",
                     last_name="de Vries", phone="0612345678", device_id="toestel-1",
                     address_string="Thomas a Kempisstraat 12")

    assert response.status_code == 200
    [antwoord] = response.get_json()
    assert set(antwoord) == {"service_request_id", "service_notice", "account_id",
                             "tracking_url"}
    m = db_session.get(Melding, antwoord["service_request_id"])
    assert m.wijk_code == "WK016402" and m.buurt_code == "BU01640202"
    assert m.bron == "open311:BuitenBeter" and m.via == "BuitenBeter (app, Open311)"
    assert m.locatie_tekst == "Thomas a Kempisstraat 12"
    assert m.omschrijving == "Vuilniszakken naast de glasbak"
    assert antwoord["tracking_url"] == f"http://participatie.test/meldingen/{m.token}"
    assert antwoord["service_notice"] == "Wij handelen dit binnen 3 werkdagen af."
    assert [c.email for c in m.contacten] == ["bewoner@example.nl"]
    [bevestiging] = mailbox.to("bewoner@example.nl")
    assert m.token in mailbox.body(bevestiging)
    # What the form does not store, neither does the API.
    alles = " ".join([m.omschrijving, m.locatie_tekst, *(g.tekst for g in m.gebeurtenissen)])
    assert "Jan" not in alles and "0612345678" not in alles and "toestel" not in alles
    [regel] = [r for r in regels_voor("melding", m.id) if r.actie == "melding.open311"]
    assert regel.na["app"] == "BuitenBeter" and regel.na["service_code"] == "afvaldump"
    assert sleutel.aantal_verzoeken == 1 and sleutel.laatst_gebruikt is not None


def test_staf_ziet_via_welke_app_het_kwam(client, db_session, sleutel):
    from tests.factories import gebruiker, login

    melding_id = _post(client, sleutel).get_json()[0]["service_request_id"]
    login(client, gebruiker("beheerder"))
    html = client.get(f"/beheer/meldingen/{melding_id}").get_data(as_text=True)
    assert "via BuitenBeter (app, Open311)" in html


def test_antwoord_in_xml_heeft_de_vorm_van_de_spec(client, db_session, sleutel):
    response = _post(client, sleutel, formaat="xml")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    xml = ElementTree.fromstring(response.data)
    assert xml.tag == "service_requests"
    assert [e.tag for e in xml.find("request")] == ["service_request_id", "service_notice",
                                                     "account_id", "tracking_url"]
    assert db_session.get(Melding, int(xml.findtext("request/service_request_id")))


def test_attributen_komen_in_de_omschrijving_voor_de_staf(client, db_session, sleutel):
    response = client.post(f"{V2}/requests.json", data={
        **_velden(sleutel, service_code="afvaldump"),
        "attribute[soort_afval][]": ["huisvuil", "grofvuil"]})
    m = db_session.get(Melding, response.get_json()[0]["service_request_id"])
    assert m.omschrijving == ("Vuilniszakken naast de glasbak\n\n"
                              "Soort afval: Vuilniszakken, Grofvuil (meubels, matrassen)")

    response = _post(client, sleutel, service_code="container-kapot",
                     **{"attribute[soort_container]": "glas",
                        "attribute[containernummer]": "HGL-0042"})
    m = db_session.get(Melding, response.get_json()[0]["service_request_id"])
    assert m.omschrijving.endswith("Soort container: Glas\nContainernummer: HGL-0042")


def test_alleen_een_adres_met_de_buurt_zoals_het_formulier_zonder_kaart(client, db_session,
                                                                        sleutel):
    """No point: the address and the buurt, as a resident without a map gives them."""
    response = _post(client, sleutel, lat=None, long=None,
                     address_string="Deurningerstraat 12", **{"attribute[buurt]": "bu01640202"})
    assert response.status_code == 200, response.get_data(as_text=True)
    antwoord = response.get_json()[0]
    m = db_session.get(Melding, antwoord["service_request_id"])
    assert (m.locatie, m.locatie_tekst, m.buurt_code, m.wijk_code) == (
        None, "Deurningerstraat 12", "BU01640202", "WK016402")
    assert m.omschrijving == "Vuilniszakken naast de glasbak"  # the buurt is no extra line
    assert f"/meldingen/{m.token}" in antwoord["tracking_url"]
    definitie = client.get(f"{V2}/services/afvaldump.json").get_json()
    [buurt] = [a for a in definitie["attributes"] if a["code"] == "buurt"]
    assert not buurt["required"] and {"key": "BU01640202", "name": "De Noork (Noord)"} in \
        buurt["values"]


@pytest.mark.parametrize("extra, status, woord", [
    ({"service_code": "container-kapot"}, 400, "soort_container"),
    ({"service_code": "container-kapot", "attribute[soort_container]": "hout"}, 400, "glas"),
    ({"attribute[kleur]": "rood"}, 400, "kleur"),
    ({"service_code": None}, 400, "service_code ontbreekt"),
    ({"service_code": "bestaat-niet"}, 404, "bestaat-niet"),
    ({"lat": None, "long": None}, 400, "lat en long ontbreken"),
    ({"lat": None, "long": None, "address_string": "Markt 1"}, 400, "attribute[buurt]"),
    ({"lat": None, "long": None, "address_string": "Markt 1", "attribute[buurt]": "BU99"},
     400, "attribute[buurt]"),
    ({"long": None}, 400, "allebei een getal"),
    ({"lat": "noord"}, 400, "allebei een getal"),
    ({"lat": str(BUITEN_HENGELO[0]), "long": str(BUITEN_HENGELO[1])}, 400, "buiten de gemeente"),
    ({"description": "kap"}, 400, "description"),
    ({"description": "x" * 1001}, 400, "1000"),
    ({"email": "geen-adres"}, 400, "email"),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url"),
    ({"address_string": "x" * 301}, 400, "address_string"),
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "p311_" + "x" * 43}, 403, "api_key"),
    ({"jurisdiction_id": "sfgov.org"}, 404, "jurisdiction_id"),
])
def test_foute_invoer_geeft_de_fout_van_de_spec_en_maakt_niets(client, db_session, sleutel,
                                                                extra, status, woord):
    _fout(_post(client, sleutel, **extra), status, woord)
    response = _post(client, sleutel, formaat="xml", **extra)
    assert response.status_code == status
    assert woord in ElementTree.fromstring(response.data).findtext("error/description")
    assert db_session.scalar(select(func.count()).select_from(Melding)) == 0


def test_geweigerd_verzoek_telt_mee_en_staat_in_het_logboek(client, db_session, sleutel):
    _post(client, sleutel, description="kap")
    assert sleutel.aantal_verzoeken == 1
    [regel] = regels_voor("api_sleutel", sleutel.id)[1:]
    assert regel.actie == "open311.geweigerd" and regel.na["app"] == "BuitenBeter"
    assert regel.na["status"] == 400 and "description" in regel.na["fout"]


def test_ingetrokken_sleutel_kan_niet_meer_melden(client, db_session, sleutel):
    trek_in(sleutel, door=None)
    _fout(_post(client, sleutel), 403, "ingetrokken")


def test_media_url_wordt_niet_opgehaald_maar_als_tekst_bewaard(client, db_session, sleutel):
    response = _post(client, sleutel, media_url="https://foto.example/a.jpg")
    m = db_session.get(Melding, response.get_json()[0]["service_request_id"])
    assert m.fotos == []
    assert m.omschrijving.endswith("(niet door ons geopend of gecontroleerd): "
                                   "https://foto.example/a.jpg")


def test_foto_gaat_door_de_fotostraat(client, db_session, sleutel, media_dir):
    response = client.post(f"{V2}/requests.json", content_type="multipart/form-data", data={
        **_velden(sleutel), "media": (io.BytesIO(jpeg(800, 600)), "IMG_0001.JPG")})
    m = db_session.get(Melding, response.get_json()[0]["service_request_id"])
    [foto] = m.fotos
    assert not foto.publiek  # staff approve photos for the public, as for the form
    with Image.open(media.pad(media_dir, foto.bestand)) as beeld:
        assert beeld.size == (800, 600) and not beeld.getexif()
    media.verwijder(media_dir, foto.bestand, foto.thumbnail)


def test_kapotte_foto_wordt_geweigerd_zonder_bestanden_achter_te_laten(
        client, db_session, sleutel, media_dir):
    voor = set(media_dir.glob("fotos/*"))
    response = client.post(f"{V2}/requests.json", content_type="multipart/form-data", data={
        **_velden(sleutel), "media": [(io.BytesIO(jpeg()), "a.jpg"),
                                      (io.BytesIO(b"geen foto"), "b.jpg")]})
    _fout(response, 400, "media: Dit bestand is geen foto")
    assert set(media_dir.glob("fotos/*")) == voor
    assert db_session.scalar(select(func.count()).select_from(Foto)) == 0


def test_dubbele_melding_wordt_niet_geweigerd_maar_gekoppeld_voor_de_staf(
        client, db_session, sleutel):
    eerder = melding(slug="afvaldump", plek=DE_NOORK)
    response = _post(client, sleutel, lat=str(DE_NOORK[0] + 0.0001))
    m = db_session.get(Melding, response.get_json()[0]["service_request_id"])
    [notitie] = [g for g in m.gebeurtenissen if g.soort == Gebeurtenis.NOTITIE]
    assert not notitie.publiek
    assert f"Misschien hetzelfde als {eerder.nummer} (11 m)" in notitie.tekst
    assert eerder.contacten == [] and m.id != eerder.id


def test_te_veel_verzoeken_per_sleutel_en_per_client_geven_429(app, client, db_session,
                                                                 sleutel):
    from participatie.extensions import limiter

    ander, andere_sleutel = maak_sleutel("Tweede app", door=None)
    ander.platte_sleutel = andere_sleutel
    oud = dict(app.config)
    try:
        app.config.update(RATELIMIT_OPEN311_SLEUTEL="2 per minute",
                          RATELIMIT_OPEN311_CLIENT="100 per minute")
        codes = [_post(client, sleutel, description="kap").status_code for _ in range(3)]
        assert codes == [400, 400, 429]
        response = _post(client, sleutel, formaat="xml")
        assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
        assert ElementTree.fromstring(response.data).findtext("error/code") == "429"
        assert _post(client, ander, description="kap").status_code == 400  # its own bucket

        limiter.reset()
        app.config.update(RATELIMIT_OPEN311_SLEUTEL="100 per minute",
                          RATELIMIT_OPEN311_CLIENT="2 per minute")
        codes = [_post(client, s, description="kap").status_code
                 for s in (sleutel, ander, ander)]
        assert codes == [400, 400, 429]
    finally:
        app.config.update(oud)


def test_geen_enkele_rare_waarde_in_een_veld_geeft_een_500(client, db_session, sleutel):
    velden = [*_velden(sleutel), "email", "address_string", "address_id", "media_url",
              "first_name", "attribute[soort_afval]", "attribute[soort_afval][]",
              "jurisdiction_id", "page_size", "after"]
    fouten = []
    for veld in velden:
        for waarde in VELD_WAARDEN:
            if waarde == "\x00":
                continue
            for formaat in ("json", "xml"):
                response = _post(client, sleutel, formaat, **{veld: waarde})
                if response.status_code >= 500 or (response.status_code >= 400 and not (
                        response.data.startswith(b"[") or b"<errors>" in response.data)):
                    fouten.append(f"{veld}={waarde[:30]!r} → {response.status_code}")
    assert not fouten, "\n".join(fouten)
    assert db_session.scalar(select(func.count()).select_from(AuditRegel).where(
        AuditRegel.actie == "melding.open311")) == db_session.scalar(
        select(func.count()).select_from(Melding))
    assert db_session.get(ApiSleutel, sleutel.id).aantal_verzoeken > 0
