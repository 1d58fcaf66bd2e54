"""Nothing a user can send produces a 500: every GET route, fed odd values, as anyone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.factories import gebruiker, login, melding

RARE_WAARDEN = ["0", "-1", "99999999999999999999", "abc", "%00", "' OR 1=1 --", "é" * 300]
RARE_QUERY = (
    "?pagina=-5&na=x,y,z&voor=%00&bbox=1,2,3&zoom=99&categorie=<script>&wijk=WK999"
    "&status=bestaat_niet&buurt=1&q=%27%22%3C&van=31-31-2026&tot=gisteren&sort=@"
    "&latitude=NaN&longitude=inf&organisatie=abc&te_laat=ja&met_foto=misschien"
)


def _paden(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments:
            yield rule.rule
            continue
        for waarde in RARE_WAARDEN:
            pad = rule.rule
            for argument in rule.arguments:
                pad = re.sub(rf"<(?:[^:<>]+:)?{argument}>", waarde, pad)
            yield pad


@pytest.mark.parametrize("rol", [None, "beheerder"])
def test_geen_enkele_get_route_geeft_een_500(app, client, db_session, rol):
    melding(email="bewoner@voorbeeld.nl")
    if rol:
        login(client, gebruiker(rol))
    fouten = []
    for pad in _paden(app):
        for url in (pad, pad + RARE_QUERY):
            try:
                status = client.get(url).status_code
            except Exception as error:  # TESTING lets exceptions through: that is a 500
                status = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
            if not isinstance(status, int) or status >= 500:
                fouten.append(f"{url} → {status}")
    assert not fouten, "\n".join(fouten)


def test_nul_teken_in_een_formulier_geeft_een_nette_400(client, db_session):
    from tests.factories import csrf_token

    response = client.post("/melden", data={"csrf_token": csrf_token(client, "/melden"),
                                            "omschrijving": "kapot\x00"})
    assert response.status_code == 400
    assert "teken dat wij niet kunnen lezen" in response.get_data(as_text=True)


# --- The odd input that a security probe reported (issue 7, item 5) ----------------------


def test_kaart_met_een_reusachtig_paginanummer_toont_de_laatste_pagina(client, db_session):
    gemeld = melding()

    response = client.get("/kaart?pagina=461168601842738792")

    assert response.status_code == 200
    assert f'href="/kaart/meldingen/{gemeld.id}"' in response.get_data(as_text=True)


def test_steun_voor_een_reusachtig_meldingnummer_vraagt_het_opnieuw_te_proberen(
        client, db_session):
    from participatie.meldingen.models import Contact
    from tests.factories import DE_NOORK, categorie, csrf_token

    bestaand = melding()
    response = client.post("/melden/steun", data={
        "csrf_token": csrf_token(client, "/melden"), "steun_melding": "99999999999",
        "categorie": str(categorie("afvaldump").id), "latitude": str(DE_NOORK[0]),
        "longitude": str(DE_NOORK[1]), "email": "buur@example.nl"})

    assert response.status_code == 422
    assert "Wij weten niet goed welke melding" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Contact.id))) == 0
    assert bestaand.steun_aantal == 0


@pytest.mark.parametrize("query", [
    "categorie=99999999999", "organisatie=99999999999",
    "na=1,99999999999999999999,melding,1", "voor=2,99999999999999999,melding,1",
    "na=0,0,melding,1",
])
def test_inbox_negeert_een_filter_of_cursor_die_niet_kan_bestaan(client, db_session, query):
    gemeld = melding()
    login(client, gebruiker("beheerder"))

    response = client.get(f"/beheer/?{query}")

    assert response.status_code == 200
    assert gemeld.nummer in response.get_data(as_text=True)


def test_wijkagenda_met_een_reusachtig_id_zegt_wat_er_mis_is(client, db_session):
    login(client, gebruiker("beheerder"))

    response = client.get("/beheer/wijkagenda/nieuw?ids=melding:99999999999")

    assert "Kies minstens één melding of ander item." in response.get_data(as_text=True)


def test_logboek_met_een_reusachtig_ouder_dan_begint_bij_het_nieuwste(client, db_session):
    from participatie.audit import log

    login(client, gebruiker("beheerder"))
    regel = log("test.regel", door=None, object_type="test", object_id=1)

    for ouder_dan in ("99999999999", "99999999999999999999", "-1", "a" * 5000):
        html = client.get(f"/beheer/audit?ouder_dan={ouder_dan}").get_data(as_text=True)
        assert f'id="audit-{regel.id}"' in html, ouder_dan


@pytest.mark.parametrize("veld", ["van", "tot"])
@pytest.mark.parametrize("datum", ["9999-12-31", "0001-01-01"])
def test_logboek_met_een_datum_buiten_bereik_zegt_welke_datums_kunnen(client, db_session,
                                                                      veld, datum):
    login(client, gebruiker("beheerder"))

    response = client.get(f"/beheer/audit?{veld}={datum}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 2000 en 31 december 2199." in html
    assert f'value="{datum}"' in html


@pytest.mark.parametrize("volgende", ["/beheer/%0d%0aSet-Cookie:%20x=y", "/%0a/evil.example"])
def test_inloggen_met_een_regeleinde_in_next_gaat_naar_de_inbox(client, db_session, volgende):
    from tests.factories import WACHTWOORD, csrf_token

    user = gebruiker("beheerder")
    response = client.post(f"/login?next={volgende}", data={
        "email": user.email, "password": WACHTWOORD, "csrf_token": csrf_token(client, "/login")})

    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"
    assert "Set-Cookie: x" not in str(response.headers)
    assert client.get(f"/login?next={volgende}").headers["Location"] == "/beheer/"
