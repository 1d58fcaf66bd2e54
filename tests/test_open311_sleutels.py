"""API keys: a beheerder makes one (shown once, stored as a hash) and revokes it, in /beheer
and with `flask --app wsgi api-key`."""

from __future__ import annotations

import re

from sqlalchemy import select

from participatie.api.models import ApiSleutel
from participatie.api.sleutels import geldige_sleutel, hash_van
from participatie.audit import regels_voor
from tests.factories import csrf_token, gebruiker, login


def test_beheerder_maakt_een_sleutel_die_een_keer_te_zien_is(client, db_session):
    beheerder = gebruiker("beheerder")
    login(client, beheerder)

    response = client.post("/beheer/api-sleutels", data={
        "csrf_token": csrf_token(client, "/beheer/api-sleutels"), "naam": "BuitenBeter",
        "contact": "apps@example.nl"})

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    platte_sleutel = re.search(r'id="nieuwe-sleutel">(p311_[\w-]{43})<', html).group(1)
    sleutel = db_session.scalar(select(ApiSleutel).where(ApiSleutel.naam == "BuitenBeter"))
    assert sleutel.sleutel_hash == hash_van(platte_sleutel)
    assert sleutel.gemaakt_door == beheerder and sleutel.contact == "apps@example.nl"
    assert geldige_sleutel(platte_sleutel) == sleutel
    assert platte_sleutel not in client.get("/beheer/api-sleutels").get_data(as_text=True)
    [regel] = regels_voor("api_sleutel", sleutel.id)
    assert regel.actie == "api_sleutel.maak" and regel.user_email == beheerder.email
    assert platte_sleutel not in str(regel.na) and sleutel.sleutel_hash not in str(regel.na)


def test_dezelfde_naam_kan_niet_twee_keer(client, db_session):
    login(client, gebruiker("beheerder"))
    token = csrf_token(client, "/beheer/api-sleutels")
    client.post("/beheer/api-sleutels", data={"csrf_token": token, "naam": "BuitenBeter"})

    response = client.post("/beheer/api-sleutels", data={"csrf_token": token,
                                                          "naam": "buitenbeter"})

    assert response.status_code == 422
    assert "Er is al een sleutel met deze naam" in response.get_data(as_text=True)
    assert 'value="buitenbeter"' in response.get_data(as_text=True)


def test_beheerder_trekt_een_sleutel_in(client, db_session):
    from participatie.api.sleutels import maak_sleutel

    sleutel, platte_sleutel = maak_sleutel("Oude app", door=None)
    login(client, gebruiker("beheerder"))

    response = client.post(f"/beheer/api-sleutels/{sleutel.id}/intrekken",
                           data={"csrf_token": csrf_token(client, "/beheer/api-sleutels")})

    assert response.status_code == 302
    assert sleutel.ingetrokken_op is not None and geldige_sleutel(platte_sleutel) is None
    html = client.get("/beheer/api-sleutels").get_data(as_text=True)
    assert "De sleutel van Oude app is ingetrokken" in html and "Ingetrokken" in html
    assert [r.actie for r in regels_voor("api_sleutel", sleutel.id)] == [
        "api_sleutel.maak", "api_sleutel.intrekken"]


def test_regisseur_komt_niet_bij_de_sleutels(client, db_session):
    login(client, gebruiker("stadsdeelregisseur"))
    assert client.get("/beheer/api-sleutels").status_code == 403
    assert "API-sleutels" not in client.get("/beheer/").get_data(as_text=True)


def test_cli_maakt_en_trekt_in(runner, db_session):
    resultaat = runner.invoke(args=["api-key", "maak", "--naam", "Fixi",
                                    "--contact", "fixi@example.nl"])
    assert resultaat.exit_code == 0, resultaat.output
    platte_sleutel = resultaat.stdout.strip().splitlines()[-1]
    sleutel = geldige_sleutel(platte_sleutel)
    assert sleutel.naam == "Fixi" and sleutel.gemaakt_door is None

    dubbel = runner.invoke(args=["api-key", "maak", "--naam", "Fixi"])
    assert dubbel.exit_code != 0 and "al een sleutel" in dubbel.output

    resultaat = runner.invoke(args=["api-key", "intrekken", "Fixi"])
    assert resultaat.exit_code == 0 and "ingetrokken" in resultaat.output
    assert geldige_sleutel(platte_sleutel) is None
    onbekend = runner.invoke(args=["api-key", "intrekken", "Bestaat niet"])
    assert onbekend.exit_code != 0 and "geen sleutel" in onbekend.output
