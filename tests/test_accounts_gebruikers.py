"""The beheerder manages staff accounts at /beheer/gebruikers; the CLI creates them too."""

from sqlalchemy import select

from participatie.accounts.models import User
from participatie.accounts.services import organisatie_by_naam, password_matches, user_by_email
from participatie.audit import regels_voor
from tests.factories import WACHTWOORD, csrf_token, gebruiker, login

NIEUW_WACHTWOORD = "fietsen-langs-de-twentekanaal"


def _beheerder(client):
    user = gebruiker("beheerder", email="beheer@hengelo.nl")
    login(client, user)
    return user


def test_beheerder_ziet_alle_gebruikers_met_rol_wijk_en_organisatie(client, db_session):
    _beheerder(client)
    gebruiker("stadsdeelregisseur", email="sdr@hengelo.nl")
    gebruiker("partner", email="gildebor@example.nl", organisatie="Gildebor")
    html = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "sdr@hengelo.nl" in html and "Stadsdeelregisseur" in html and "Noord" in html
    assert "gildebor@example.nl" in html and "Gildebor" in html
    assert "Nog nooit" in html


def test_beheerder_maakt_een_partner_account(client, db_session):
    beheerder = _beheerder(client)
    gildebor = organisatie_by_naam("Gildebor")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/gebruikers/nieuw"),
        "email": "Jan@Gildebor.nl", "naam": "Jan Jansen", "rol": "partner",
        "organisatie": str(gildebor.id), "actief": "y",
        "password": NIEUW_WACHTWOORD, "password_herhaald": NIEUW_WACHTWOORD,
    })
    assert response.status_code == 302
    jan = user_by_email("jan@gildebor.nl")
    assert (jan.naam, jan.rol, jan.organisatie.naam, jan.actief) == (
        "Jan Jansen", "partner", "Gildebor", True)
    assert password_matches(jan, NIEUW_WACHTWOORD)
    [regel] = regels_voor("gebruiker", jan.id)
    assert regel.actie == "gebruiker.nieuw" and regel.user_email == beheerder.email
    assert regel.na["organisatie"] == "Gildebor"
    assert "password_hash" not in regel.na and "argon2" not in str(regel.na)


def test_partner_zonder_organisatie_geeft_melding_bij_het_veld_en_houdt_de_invoer(
        client, db_session):
    _beheerder(client)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/gebruikers/nieuw"),
        "email": "piet@welbions.nl", "naam": "Piet Pieters", "rol": "partner",
        "organisatie": "", "wijken": ["WK016402"], "actief": "y",
        "password": NIEUW_WACHTWOORD, "password_herhaald": NIEUW_WACHTWOORD,
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="organisatie-fout"' in html
    assert "Een partner-account hoort bij een partnerorganisatie." in html
    assert 'value="piet@welbions.nl"' in html and 'value="Piet Pieters"' in html
    assert 'value="WK016402" checked' in html or 'checked id="wijken-' in html
    assert user_by_email("piet@welbions.nl") is None


def test_nieuw_account_foute_invoer_krijgt_nederlandse_meldingen(client, db_session):
    _beheerder(client)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/gebruikers/nieuw"),
        "email": "geen-adres", "naam": "", "rol": "koning", "wijken": ["WK999999"],
        "organisatie": "abc", "password": "kort", "password_herhaald": "anders",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for tekst in ("Dit is geen geldig e-mailadres.", "Vul de naam in.", "Kies een rol.",
                  "WK999999 is geen geldige keuze.", "Kies een organisatie uit de lijst.",
                  "Een wachtwoord heeft minstens 12 tekens.",
                  "De twee wachtwoorden zijn niet hetzelfde."):
        assert tekst in html, tekst


def test_bestaand_emailadres_wordt_geweigerd(client, db_session):
    _beheerder(client)
    gebruiker("wijkraadlid", email="wijkraad@hengelo.nl")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/gebruikers/nieuw"),
        "email": "WIJKRAAD@hengelo.nl", "naam": "Nog een", "rol": "wijkraadlid",
        "wijken": ["WK016402"], "password": NIEUW_WACHTWOORD,
        "password_herhaald": NIEUW_WACHTWOORD,
    })
    assert "Er is al een account met e-mailadres wijkraad@hengelo.nl." in response.get_data(True)


def test_beheerder_wijzigt_rol_en_wijken_en_het_logboek_toont_voor_en_na(client, db_session):
    beheerder = _beheerder(client)
    sdr = gebruiker("stadsdeelregisseur", email="sdr@hengelo.nl")
    url = f"/beheer/gebruikers/{sdr.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="WK016402" checked' in form or 'checked id="wijken' in form
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "naam": "Sanne de Regisseur",
        "rol": "wijkraadlid", "wijken": ["WK016401", "WK016402"], "organisatie": "",
        "actief": "y",
    })
    assert response.status_code == 302
    db_session.refresh(sdr)
    assert (sdr.naam, sdr.rol, sdr.wijk_codes) == (
        "Sanne de Regisseur", "wijkraadlid", ["WK016401", "WK016402"])
    regel = regels_voor("gebruiker", sdr.id)[-1]
    assert regel.actie == "gebruiker.wijzig" and regel.user_email == beheerder.email
    assert regel.voor["rol"] == "stadsdeelregisseur" and regel.na["rol"] == "wijkraadlid"
    assert regel.voor["wijken"] == ["WK016402"]

    logboek = client.get("/beheer/audit?actie=gebruiker.wijzig").get_data(as_text=True)
    assert "rol: stadsdeelregisseur → wijkraadlid" in logboek
    assert "naam: Stadsdeelregisseur → Sanne de Regisseur" in logboek


def test_stadsdeelregisseur_zonder_wijk_wordt_geweigerd(client, db_session):
    _beheerder(client)
    sdr = gebruiker("stadsdeelregisseur")
    url = f"/beheer/gebruikers/{sdr.id}"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "naam": "X",
                                      "rol": "stadsdeelregisseur", "actief": "y"})
    html = response.get_data(as_text=True)
    assert 'id="wijken-fout"' in html
    assert "Een stadsdeelregisseur hoort bij minstens één wijk." in html
    db_session.refresh(sdr)
    assert sdr.wijk_codes == ["WK016402"]


def test_beheerder_zet_een_account_uit_in_plaats_van_verwijderen(client, db_session):
    _beheerder(client)
    partner = gebruiker("partner", organisatie="Welbions")
    url = f"/beheer/gebruikers/{partner.id}"
    versie = partner.sessie_versie
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "naam": partner.naam, "rol": "partner",
        "organisatie": str(partner.organisatie_id)})  # actief unticked
    assert response.status_code == 302
    db_session.refresh(partner)
    assert partner.actief is False and partner.sessie_versie == versie + 1
    assert db_session.get(User, partner.id) is not None
    assert "Uit" in client.get("/beheer/gebruikers").get_data(as_text=True)


def test_beheerder_kan_zichzelf_niet_uitzetten(client, db_session):
    beheerder = _beheerder(client)
    url = f"/beheer/gebruikers/{beheerder.id}"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "naam": "Ik",
                                      "rol": "beheerder"})
    assert "U kunt uw eigen account niet uitzetten." in response.get_data(as_text=True)
    db_session.refresh(beheerder)
    assert beheerder.actief


def test_beheerder_stelt_nieuw_wachtwoord_in(client, db_session):
    _beheerder(client)
    lid = gebruiker("wijkraadlid")
    url = f"/beheer/gebruikers/{lid.id}/wachtwoord"
    kort = client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "password": "kort", "password_herhaald": "kort"})
    assert "Een wachtwoord heeft minstens 12 tekens." in kort.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "password": NIEUW_WACHTWOORD,
                                      "password_herhaald": NIEUW_WACHTWOORD})
    assert response.status_code == 302
    db_session.refresh(lid)
    assert password_matches(lid, NIEUW_WACHTWOORD) and not password_matches(lid, WACHTWOORD)
    regel = regels_voor("gebruiker", lid.id)[-1]
    assert regel.actie == "gebruiker.wachtwoord"
    assert "$argon2" not in str(regel.na) and NIEUW_WACHTWOORD not in str(regel.na)


def test_onbekende_gebruiker_geeft_404(client, db_session):
    _beheerder(client)
    assert client.get("/beheer/gebruikers/999999").status_code == 404


def test_wachtwoorden_worden_met_argon2_opgeslagen(db_session):
    user = gebruiker("beheerder")
    assert user.password_hash.startswith("$argon2id$")


# --- flask create-user --------------------------------------------------------------


def test_create_user_maakt_een_stadsdeelregisseur(runner, db_session):
    result = runner.invoke(args=["create-user", "--email", "Nieuw@Hengelo.nl", "--password",
                                 NIEUW_WACHTWOORD, "--role", "stadsdeelregisseur",
                                 "--wijk", "WK016402", "--wijk", "wk016401"])
    assert result.exit_code == 0, result.output
    assert "Account nieuw@hengelo.nl (stadsdeelregisseur) aangemaakt." in result.output
    user = db_session.scalar(select(User).where(User.email == "nieuw@hengelo.nl"))
    assert user.wijk_codes == ["WK016401", "WK016402"]
    assert regels_voor("gebruiker", user.id)[0].user_email == "systeem"


def test_create_user_weigert_onbekende_wijk(runner, db_session):
    result = runner.invoke(args=["create-user", "--email", "a@hengelo.nl", "--password",
                                 NIEUW_WACHTWOORD, "--role", "wijkraadlid", "--wijk", "WK000000"])
    assert result.exit_code != 0
    assert "Wijk WK000000 bestaat niet." in result.output
    assert user_by_email("a@hengelo.nl") is None


def test_create_user_weigert_zwak_wachtwoord(runner, db_session):
    result = runner.invoke(args=["create-user", "--email", "b@hengelo.nl", "--password",
                                 "geheim", "--role", "beheerder"])
    assert result.exit_code != 0
    assert "Een wachtwoord heeft minstens 12 tekens." in result.output
    assert user_by_email("b@hengelo.nl") is None


def test_create_user_weigert_partner_zonder_organisatie(runner, db_session):
    result = runner.invoke(args=["create-user", "--email", "c@example.nl", "--password",
                                 NIEUW_WACHTWOORD, "--role", "partner"])
    assert result.exit_code != 0
    assert "Een partner-account hoort bij een partnerorganisatie." in result.output
    onbekend = runner.invoke(args=["create-user", "--email", "c@example.nl", "--password",
                                   NIEUW_WACHTWOORD, "--role", "partner",
                                   "--organisatie", "Bestaat Niet BV"])
    assert "Organisatie 'Bestaat Niet BV' bestaat niet." in onbekend.output
    assert user_by_email("c@example.nl") is None
