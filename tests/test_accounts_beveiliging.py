"""Login hardening: lock-out, session fixation, cookie flags, logout, ended sessions."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import g
from sqlalchemy import select

from participatie.accounts.services import set_password, update_user
from participatie.audit import AuditRegel
from tests.factories import WACHTWOORD, csrf_token, gebruiker, login

GEBLOKKEERD = "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen."
MISLUKT = "Deze combinatie van e-mailadres en wachtwoord kennen wij niet."


def _probeer(client, email, password):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def _acties(db_session, object_id) -> list[str]:
    return list(db_session.scalars(
        select(AuditRegel.actie).where(AuditRegel.object_type == "gebruiker",
                                       AuditRegel.object_id == str(object_id))
        .order_by(AuditRegel.id)))


def test_na_vijf_foute_pogingen_is_het_account_een_kwartier_geblokkeerd(app, client, db_session):
    user = gebruiker("stadsdeelregisseur")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        assert MISLUKT in _probeer(client, user.email, "fout-wachtwoord-123").get_data(True)
    html = _probeer(client, user.email, "fout-wachtwoord-123").get_data(as_text=True)
    assert MISLUKT in html

    # Now even the right password is refused, with a clear Dutch message.
    response = _probeer(client, user.email, WACHTWOORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GEBLOKKEERD in html
    assert "Probeer het over 15 minuten opnieuw." in html
    assert client.get("/beheer/").status_code == 302
    assert user.geblokkeerd_tot > datetime.now(UTC) + timedelta(minutes=14)
    acties = _acties(db_session, user.id)
    assert acties.count("login.mislukt") == app.config["LOGIN_MAX_FAILURES"] + 1
    assert "login.geblokkeerd" in acties
    assert "login" not in acties


def test_na_de_blokkade_lukt_inloggen_weer(client, db_session):
    user = gebruiker("beheerder")
    user.geblokkeerd_tot = datetime.now(UTC) - timedelta(seconds=1)
    db_session.flush()
    response = _probeer(client, user.email, WACHTWOORD)
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200
    assert _acties(db_session, user.id)[-1] == "login"
    assert user.laatst_ingelogd is not None


def test_onbekend_emailadres_krijgt_dezelfde_melding_als_fout_wachtwoord(client, db_session):
    user = gebruiker("beheerder")
    onbekend = _probeer(client, "niemand@hengelo.nl", "fout-wachtwoord-123").get_data(True)
    fout = _probeer(client, user.email, "fout-wachtwoord-123").get_data(True)
    assert MISLUKT in onbekend and MISLUKT in fout
    strip = [h.replace("niemand@hengelo.nl", "X").replace(user.email, "X")
             for h in (onbekend, fout)]
    strip = [re.sub(r'value="[^"]{40,}"', "", h) for h in strip]  # CSRF tokens differ
    assert strip[0] == strip[1]
    regel = db_session.scalar(select(AuditRegel).where(AuditRegel.object_id == "onbekend")
                              .order_by(AuditRegel.id.desc()))
    assert regel.actie == "login.mislukt"
    assert regel.na["email"] == "niemand@hengelo.nl"


def test_uitgezet_account_kan_niet_inloggen_met_juist_wachtwoord(client, db_session):
    user = gebruiker("partner", organisatie="Gildebor")
    user.actief = False
    db_session.flush()
    html = _probeer(client, user.email, WACHTWOORD).get_data(as_text=True)
    assert MISLUKT in html
    assert client.get("/beheer/").status_code == 302


def test_inloggen_begint_een_nieuwe_sessie(client, db_session):
    user = gebruiker("beheerder")
    with client.session_transaction() as session:
        session["aanvaller"] = "vooraf geplant"
    login(client, user)
    with client.session_transaction() as session:
        assert "aanvaller" not in session
        assert session["_user_id"] == f"{user.id}:{user.sessie_versie}"


def test_sessiecookie_is_httponly_samesite_lax_en_secure_in_productie(app, client, db_session):
    user = gebruiker("beheerder")
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"email": user.email, "password": WACHTWOORD,
                                               "csrf_token": token})
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_uitloggen_gaat_alleen_met_post_en_csrf(client, db_session):
    user = gebruiker("beheerder")
    login(client, user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/beheer/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 302
    assert _acties(db_session, user.id)[-1] == "logout"


def _volgend_verzoek() -> None:
    """A real request starts with an empty `g`; the test's shared app context keeps
    Flask-Login's cached user there, so drop it as a new request would."""
    g.pop("_login_user", None)


def test_uitzetten_beeindigt_bestaande_sessies(client, db_session):
    beheerder = gebruiker("beheerder")
    user = gebruiker("stadsdeelregisseur")
    login(client, user)
    assert client.get("/beheer/").status_code == 200
    versie = user.sessie_versie
    update_user(user, door=beheerder, naam=user.naam, rol=user.rol, wijk_codes=user.wijk_codes,
                organisatie=None, actief=False)
    assert user.sessie_versie == versie + 1
    _volgend_verzoek()
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_nieuw_wachtwoord_beeindigt_bestaande_sessies(client, db_session):
    user = gebruiker("wijkraadlid")
    login(client, user)
    assert client.get("/beheer/").status_code == 200
    set_password(user, "een-heel-ander-wachtwoord", door=None)
    _volgend_verzoek()
    assert client.get("/beheer/").status_code == 302
    login(client, user, "een-heel-ander-wachtwoord")
    assert client.get("/beheer/").status_code == 200


def test_htmx_verzoek_zonder_login_krijgt_401_met_verwijzing(client, db_session):
    response = client.get("/beheer/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_terugsturen_na_login_alleen_naar_eigen_site(client, db_session):
    user = gebruiker("beheerder")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=//evil.example/x", data={
        "email": user.email, "password": WACHTWOORD, "csrf_token": token})
    assert response.headers["Location"] == "/beheer/"


VREEMDE_NEXT = ["/%09/evil.example", "/%0A/evil.example", "/%0D%0ALocation:%20http://evil.example",
                "//evil.example", "/%5Cevil.example", "https://evil.example/beheer",
                "/%E3%80%80/evil.example", "javascript:alert(1)", "beheer", "%2F%2Fevil.example"]


@pytest.mark.parametrize("volgende", VREEMDE_NEXT)
def test_na_inloggen_alleen_terug_naar_een_pagina_van_de_eigen_site(client, db_session,
                                                                       volgende):
    user = gebruiker("beheerder")
    token = csrf_token(client, "/login")
    response = client.post(f"/login?next={volgende}", data={
        "email": user.email, "password": WACHTWOORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"
    # Already logged in, the login page sends you on the same way.
    response = client.get(f"/login?next={volgende}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"


def test_na_inloggen_terug_naar_de_pagina_waar_je_was(client, db_session):
    user = gebruiker("beheerder")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/beheer/audit%3Factie%3Dlogin", data={
        "email": user.email, "password": WACHTWOORD, "csrf_token": token})
    assert response.headers["Location"] == "/beheer/audit?actie=login"
