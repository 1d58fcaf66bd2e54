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
