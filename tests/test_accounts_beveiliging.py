"""Login hardening: lock-out, session fixation, cookie flags, logout, ended sessions."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import g
from sqlalchemy import select

from participatie.accounts.models import LoginBlokkade, Sessie
from participatie.accounts.services import set_password, update_user
from participatie.audit import AuditRegel
from tests.factories import WACHTWOORD, csrf_token, gebruiker, login

GEBLOKKEERD = "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen."
MISLUKT = "Deze combinatie van e-mailadres en wachtwoord kennen wij niet."


def _probeer(client, email, password, adres="127.0.0.1"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": adres})


def _zonder_csrf(html: str) -> str:
    return re.sub(r'value="[^"]{40,}"', "", html)


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
    blokkade = db_session.get(LoginBlokkade, (user.email, "127.0.0.1"))
    assert blokkade.geblokkeerd_tot > datetime.now(UTC) + timedelta(minutes=14)
    acties = _acties(db_session, user.id)
    assert acties.count("login.mislukt") == app.config["LOGIN_MAX_FAILURES"] + 1
    assert "login.geblokkeerd" in acties
    assert "login" not in acties


def test_na_de_blokkade_lukt_inloggen_weer(client, db_session):
    user = gebruiker("beheerder")
    db_session.add(LoginBlokkade(email=user.email, adres="127.0.0.1", mislukt=0,
                                 sinds=datetime.now(UTC) - timedelta(minutes=15),
                                 geblokkeerd_tot=datetime.now(UTC) - timedelta(seconds=1)))
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
    Flask-Login's cached user and Flask-WTF's CSRF token there, so drop them as a new
    request would."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


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


# --- Lock-out: the same for every address, and not from elsewhere --------------------------


def test_geblokkeerd_onbekend_adres_krijgt_hetzelfde_antwoord_als_een_bestaand_account(
        app, client, db_session):
    user = gebruiker("stadsdeelregisseur")
    antwoorden = []
    for email in (user.email, "niemand@hengelo.nl"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            _probeer(client, email, "fout-wachtwoord-123")
        html = _probeer(client, email, "fout-wachtwoord-123").get_data(as_text=True)
        antwoorden.append(_zonder_csrf(html.replace(email, "X")))
    assert GEBLOKKEERD in antwoorden[0]
    assert antwoorden[0] == antwoorden[1]


def test_foute_pogingen_van_elders_houden_de_regisseur_niet_buiten(app, client, db_session):
    user = gebruiker("stadsdeelregisseur")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        _probeer(client, user.email, "fout-wachtwoord-123", adres="203.0.113.66")
    assert GEBLOKKEERD in _probeer(client, user.email, WACHTWOORD,
                                   adres="203.0.113.66").get_data(as_text=True)
    # The regisseur at the office logs in as always.
    response = _probeer(client, user.email, WACHTWOORD, adres="192.0.2.10")
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200


def test_raden_vanaf_veel_adressen_zet_een_rem_op_het_account(app, client, db_session,
                                                             monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ACCOUNT", 12)
    user = gebruiker("beheerder")
    for poging in range(12):
        _probeer(client, user.email, "fout-wachtwoord-123", adres=f"203.0.113.{poging // 3}")
    html = _probeer(client, user.email, WACHTWOORD, adres="192.0.2.10").get_data(as_text=True)
    assert GEBLOKKEERD in html
    assert "login.geblokkeerd" in _acties(db_session, user.id)


def test_nieuw_wachtwoord_van_de_beheerder_heft_de_blokkade_op(app, client, db_session):
    user = gebruiker("wijkraadlid")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _probeer(client, user.email, "fout-wachtwoord-123")
    set_password(user, "een-heel-ander-wachtwoord", door=None)
    assert _probeer(client, user.email, "een-heel-ander-wachtwoord").status_code == 302


# --- Logging out ends the session on the server --------------------------------------------


def _sessiecookie(client) -> str:
    return client.get_cookie("session").value


def _met_cookie(app, cookie: str):
    _volgend_verzoek()
    ander = app.test_client()
    ander.set_cookie("session", cookie)
    return ander


def test_uitloggen_maakt_gekopieerde_sessie_ongeldig(app, client, db_session):
    user = gebruiker("beheerder")
    login(client, user)
    kopie = _sessiecookie(client)
    assert _met_cookie(app, kopie).get("/beheer/").status_code == 200
    _volgend_verzoek()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/beheer/")})
    response = _met_cookie(app, kopie).get("/beheer/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert db_session.scalars(select(Sessie).where(Sessie.user_id == user.id)).all() == []


def test_uitloggen_op_de_laptop_laat_de_telefoon_ingelogd(app, client, db_session):
    user = gebruiker("stadsdeelregisseur")
    telefoon = app.test_client()
    login(telefoon, user)
    _volgend_verzoek()
    login(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/beheer/")})
    _volgend_verzoek()
    assert telefoon.get("/beheer/").status_code == 200


def test_overal_uitloggen_beeindigt_de_sessies_op_alle_apparaten(app, client, db_session):
    user = gebruiker("stadsdeelregisseur")
    telefoon = app.test_client()
    login(telefoon, user)
    _volgend_verzoek()
    login(client, user)
    html = client.get("/beheer/").get_data(as_text=True)
    assert 'action="/logout/overal"' in html and "Overal uitloggen" in html
    response = client.post("/logout/overal", data={"csrf_token": csrf_token(client, "/beheer/")},
                           follow_redirects=True)
    assert "U bent uitgelogd op al uw apparaten." in response.get_data(as_text=True)
    _volgend_verzoek()
    assert telefoon.get("/beheer/").status_code == 302
    assert client.get("/beheer/").status_code == 302
    assert _acties(db_session, user.id)[-1] == "logout.overal"


def test_sessie_houdt_op_na_de_sessieduur_ook_als_het_cookie_steeds_ververst(app, client,
                                                                             db_session):
    user = gebruiker("beheerder")
    login(client, user)
    [sessie] = db_session.scalars(select(Sessie).where(Sessie.user_id == user.id))
    levensduur = app.permanent_session_lifetime
    assert sessie.verloopt_op - sessie.created_at >= levensduur - timedelta(minutes=1)
    sessie.verloopt_op = datetime.now(UTC) - timedelta(seconds=1)
    db_session.flush()
    _volgend_verzoek()
    assert client.get("/beheer/").status_code == 302


def test_inloggen_zet_geen_onthoud_mij_cookie(client, db_session):
    response = login(client, gebruiker("beheerder"))
    assert not any(c.startswith("remember_token=")
                   for c in response.headers.getlist("Set-Cookie"))
