from tests.factories import WACHTWOORD, csrf_token, gebruiker, login


def test_medewerker_logt_in_en_ziet_de_inbox(client, db_session):
    user = gebruiker("stadsdeelregisseur")
    login(client, user)
    assert client.get("/beheer/").status_code == 200


def test_anonieme_bezoeker_wordt_naar_login_gestuurd(client):
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_verkeerd_wachtwoord_geeft_nederlandse_melding_en_houdt_email(client, db_session):
    user = gebruiker("beheerder")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": "fout-fout-fout",
                                           "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Deze combinatie van e-mailadres en wachtwoord kennen wij niet." in html
    assert f'value="{user.email}"' in html


def test_login_zonder_csrf_wordt_geweigerd(client, db_session):
    user = gebruiker("beheerder")
    response = client.post("/login", data={"email": user.email, "password": WACHTWOORD})
    assert response.status_code == 400


def test_sterke_argon2_standaard_en_een_oude_hash_wordt_bij_inloggen_vernieuwd(
        app, client, db_session, monkeypatch):
    from participatie.config import Config

    monkeypatch.delenv("ARGON2_TIME_COST", raising=False)
    monkeypatch.delenv("ARGON2_MEMORY_KIB", raising=False)
    standaard = Config()
    assert (standaard.ARGON2_TIME_COST, standaard.ARGON2_MEMORY_KIB) == (3, 65536)

    user = gebruiker("beheerder")
    assert "m=1024,t=1," in user.password_hash  # the cheap test setting
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)
    monkeypatch.setitem(app.config, "ARGON2_MEMORY_KIB", 2048)
    login(client, user)
    db_session.refresh(user)
    assert "m=2048,t=2," in user.password_hash
