"""Stadsdeelregisseurs put meldingen on the wijkagenda; the wijk and its wijkraad read it."""

import re

from sqlalchemy import select

from participatie.accounts.models import Organisatie, Rol
from participatie.audit import regels_voor
from participatie.extensions import db
from participatie.meldingen.models import Contact
from participatie.wijkagenda.models import Leefbaarheidsvraag, VraagBron
from tests.factories import (
    BINNENSTAD,
    csrf_token,
    gebruiker,
    leefbaarheidsvraag,
    login,
    melding,
)

NOORD = "WK016402"


def _ingelogd(client, rol, wijken=(NOORD,)):
    user = gebruiker(rol, wijken=wijken)
    login(client, user)
    return user


def _nieuw_url(*meldingen):
    return "/beheer/wijkagenda/nieuw?" + "&".join(f"ids=melding:{m.id}" for m in meldingen)


def _ids(*meldingen) -> list[str]:
    """Inbox items are named with their kind: "melding:12"."""
    return [f"melding:{m.id}" for m in meldingen]


def _vragen():
    return db.session.scalars(select(Leefbaarheidsvraag)).all()


def test_regisseur_zet_een_melding_op_de_wijkagenda(client, db_session):
    regisseur = _ingelogd(client, "stadsdeelregisseur")
    m = melding(omschrijving="Afval naast de container bij de school")

    pagina = client.get(_nieuw_url(m)).get_data(as_text=True)
    assert "Op de wijkagenda van Noord" in pagina
    assert m.nummer in pagina

    response = client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": csrf_token(client, _nieuw_url(m)), "ids": _ids(m),
        "titel": "Afval bij de containers", "omschrijving": "Komt elke week terug.",
        "thema": "schoon",
    })
    assert response.status_code == 303
    [vraag] = _vragen()
    assert (vraag.wijk_code, vraag.titel, vraag.thema, vraag.status) == (
        NOORD, "Afval bij de containers", "schoon", "nieuw")
    assert vraag.melding_ids() == [m.id]
    [regel] = regels_voor("leefbaarheidsvraag", vraag.id)
    assert (regel.actie, regel.user_id, regel.voor) == (
        "wijkagenda.vraag_aangemaakt", regisseur.id, None)
    assert regel.na["bronnen"] == [f"melding:{m.id}"]


def test_selectie_uit_de_inbox_wordt_een_vraag_met_alle_meldingen(client, db_session):
    _ingelogd(client, "stadsdeelregisseur")
    a, b, c = melding(), melding(), melding()

    # The inbox's bulk form posts the checked ids; the chooser is a plain GET page after that.
    response = client.post("/beheer/wijkagenda/selectie", data={
        "csrf_token": csrf_token(client, "/beheer/wijkagenda"), "ids": _ids(a, b, c)})
    assert response.status_code == 303
    keuze = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gekozen (3)" in keuze

    client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": csrf_token(client, _nieuw_url(a)), "ids": _ids(a, b, c),
        "titel": "Dumpingen rond het winkelcentrum", "thema": "schoon"})
    [vraag] = _vragen()
    assert sorted(vraag.melding_ids()) == sorted([a.id, b.id, c.id])


def test_selectie_via_htmx_stuurt_de_browser_door_naar_de_keuzepagina(client, db_session):
    _ingelogd(client, "stadsdeelregisseur")
    a, b = melding(), melding()
    response = client.post("/beheer/wijkagenda/selectie", headers={"HX-Request": "true"}, data={
        "csrf_token": csrf_token(client, "/beheer/wijkagenda"), "ids": _ids(a, b)})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/beheer/wijkagenda/nieuw?ids=")
    keuze = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "Gekozen (2)" in keuze


def test_meldingen_uit_twee_wijken_samen_worden_geweigerd(client, db_session):
    _ingelogd(client, "beheerder")
    noord, binnenstad = melding(), melding(plek=BINNENSTAD)

    pagina = client.get(_nieuw_url(noord, binnenstad)).get_data(as_text=True)
    assert "verschillende wijken (Binnenstad, Noord)" in pagina
    assert 'name="titel"' not in pagina

    response = client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": csrf_token(client, _nieuw_url(noord)), "ids": _ids(noord, binnenstad),
        "titel": "Gemengd", "thema": "schoon"})
    assert response.status_code == 400
    assert "Kies alleen meldingen uit één wijk" in response.get_data(as_text=True)
    assert _vragen() == []


def test_koppelen_aan_een_bestaande_vraag_van_de_wijk(client, db_session):
    regisseur = _ingelogd(client, "stadsdeelregisseur")
    oud, nieuw = melding(), melding()
    vraag = leefbaarheidsvraag(oud, titel="Afval bij de containers")

    keuze = client.get(_nieuw_url(nieuw)).get_data(as_text=True)
    assert "Afval bij de containers (nieuw)" in keuze
    response = client.post("/beheer/wijkagenda/koppel", data={
        "csrf_token": csrf_token(client, _nieuw_url(nieuw)), "ids": _ids(oud, nieuw),
        "vraag_id": str(vraag.id)})
    assert response.status_code == 303
    db.session.refresh(vraag)
    assert sorted(vraag.melding_ids()) == sorted([oud.id, nieuw.id])
    [regel] = regels_voor("leefbaarheidsvraag", vraag.id)
    assert (regel.actie, regel.user_id) == ("wijkagenda.bron_gekoppeld", regisseur.id)
    assert regel.voor["bronnen"] == [f"melding:{oud.id}"]
    assert len(regel.na["bronnen"]) == 2


def test_koppelen_aan_een_vraag_van_een_andere_wijk_kan_niet(client, db_session):
    _ingelogd(client, "beheerder")
    m = melding()
    vraag_binnenstad = leefbaarheidsvraag(wijk_code="WK016400")
    response = client.post("/beheer/wijkagenda/koppel", data={
        "csrf_token": csrf_token(client, _nieuw_url(m)), "ids": _ids(m),
        "vraag_id": str(vraag_binnenstad.id)})
    assert response.status_code == 400
    assert "Kies een vraag uit de lijst." in response.get_data(as_text=True)
    assert vraag_binnenstad.bronnen == []


def test_zonder_titel_en_thema_blijft_de_tekst_staan(client, db_session):
    _ingelogd(client, "stadsdeelregisseur")
    m = melding()
    response = client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": csrf_token(client, _nieuw_url(m)), "ids": _ids(m),
        "titel": "", "omschrijving": "Mijn uitleg die blijft staan", "thema": "sport"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Geef de vraag een korte titel." in html
    assert "Kies een thema." in html
    assert "Mijn uitleg die blijft staan" in html
    assert _vragen() == []


def test_regisseur_wijzigt_status_eigenaar_en_tekst_met_logregel(client, db_session):
    regisseur = _ingelogd(client, "stadsdeelregisseur")
    vraag = leefbaarheidsvraag(melding())
    url = f"/beheer/wijkagenda/{vraag.id}"
    pagina = client.get(url).get_data(as_text=True)
    assert '<option value="afgerond"' not in pagina  # not reachable from "nieuw"
    gildebor = re.search(r'<option value="(organisatie-\d+)">Gildebor</option>', pagina).group(1)

    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "titel": "Afval bij de containers Noord",
        "omschrijving": "Samen met Gildebor", "thema": "schoon", "status": "in_onderzoek",
        "eigenaar": gildebor})
    assert response.status_code == 303
    db.session.refresh(vraag)
    assert (vraag.status, vraag.eigenaar.naam, vraag.titel) == (
        "in_onderzoek", "Gildebor", "Afval bij de containers Noord")
    [regel] = regels_voor("leefbaarheidsvraag", vraag.id)
    assert (regel.actie, regel.user_id) == ("wijkagenda.vraag_gewijzigd", regisseur.id)
    assert (regel.voor["status"], regel.na["status"]) == ("nieuw", "in_onderzoek")
    assert (regel.voor["eigenaar"], regel.na["eigenaar"]) == (None, gildebor)


def test_status_die_niet_mag_wordt_geweigerd_naast_het_veld(client, db_session):
    _ingelogd(client, "beheerder")
    vraag = leefbaarheidsvraag()
    url = f"/beheer/wijkagenda/{vraag.id}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "titel": "Nieuwe titel", "omschrijving": "",
        "thema": "schoon", "status": "afgerond", "eigenaar": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies een van de statussen uit de lijst." in html
    assert 'value="Nieuwe titel"' in html
    db.session.refresh(vraag)
    assert vraag.status == "nieuw"
    assert regels_voor("leefbaarheidsvraag", vraag.id) == []


def test_regisseur_ontkoppelt_een_melding(client, db_session):
    regisseur = _ingelogd(client, "stadsdeelregisseur")
    a, b = melding(), melding()
    vraag = leefbaarheidsvraag(a, b)
    bron_a = next(x for x in vraag.bronnen if x.bron_id == a.id)
    url = f"/beheer/wijkagenda/{vraag.id}"
    response = client.post(f"{url}/bronnen/{bron_a.id}/ontkoppel",
                           data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Leefbaarheidsvraag, vraag.id).melding_ids() == [b.id]
    [regel] = regels_voor("leefbaarheidsvraag", vraag.id)
    assert (regel.actie, regel.user_id) == ("wijkagenda.bron_ontkoppeld", regisseur.id)


def test_regisseur_van_een_andere_wijk_mag_niets_aan_deze_wijk_doen(client, db_session):
    _ingelogd(client, "stadsdeelregisseur", wijken=("WK016400",))
    m = melding()
    vraag = leefbaarheidsvraag(m)
    bron = vraag.bronnen[0]
    url = f"/beheer/wijkagenda/{vraag.id}"
    token = csrf_token(client, "/beheer/wijkagenda")
    assert client.get(url).status_code == 403
    # A melding outside the user's wijken is as good as unknown: refused, nothing revealed.
    assert "bestaan niet (meer)" in client.get(_nieuw_url(m)).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token, "titel": "x", "thema": "schoon",
                                  "status": "nieuw", "eigenaar": ""}).status_code == 403
    assert client.post(f"{url}/bronnen/{bron.id}/ontkoppel",
                       data={"csrf_token": token}).status_code == 403
    assert client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": token, "ids": _ids(m), "titel": "x", "thema": "schoon"}).status_code == 400
    assert len(_vragen()) == 1 and len(vraag.bronnen) == 1


def test_wijkraadlid_leest_maar_verandert_niets(client, db_session):
    _ingelogd(client, "wijkraadlid")
    m = melding()
    vraag = leefbaarheidsvraag(m)
    token = csrf_token(client, f"/wijken/{NOORD}/agenda")
    url = f"/beheer/wijkagenda/{vraag.id}"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": token, "titel": "x", "thema": "schoon",
                                  "status": "in_onderzoek", "eigenaar": ""}).status_code == 403
    assert client.post("/beheer/wijkagenda/nieuw", data={
        "csrf_token": token, "ids": _ids(m), "titel": "x", "thema": "schoon"}).status_code == 403
    assert client.post(f"{url}/bronnen/{vraag.bronnen[0].id}/ontkoppel",
                       data={"csrf_token": token}).status_code == 403
    db.session.refresh(vraag)
    assert (vraag.titel, vraag.status, len(vraag.bronnen)) == (
        "Steeds afval bij de containers", "nieuw", 1)


def test_beheer_routes_vragen_een_login_en_de_juiste_rol(client, db_session):
    from participatie.wijkagenda import views

    for view in (views.overzicht, views.selectie, views.nieuw, views.koppel, views.bewerk,
                 views.ontkoppel):
        assert view.rollen == {Rol.BEHEERDER, Rol.STADSDEELREGISSEUR}
    assert client.get("/beheer/wijkagenda").status_code == 302
    _ingelogd(client, "wijkraadlid")
    assert client.get("/beheer/wijkagenda").status_code == 403


def test_post_zonder_csrf_wordt_geweigerd(client, db_session):
    _ingelogd(client, "beheerder")
    m = melding()
    response = client.post("/beheer/wijkagenda/nieuw", data={
        "ids": _ids(m), "titel": "Zonder token", "thema": "schoon"})
    assert response.status_code == 400
    assert _vragen() == []


# --- The public wijk page and agenda ------------------------------------------------------


def _agenda_met_steun():
    m = melding(omschrijving="Geheime omschrijving van de melder", email="melder@example.nl")
    m.contacten.append(Contact(soort=Contact.STEUN, email="buur@example.nl"))
    m.contacten.append(Contact(soort=Contact.STEUN, email="overbuur@example.nl"))
    tweede = melding(omschrijving="Tweede melding")
    return leefbaarheidsvraag(m, tweede, titel="Afval bij de containers",
                              omschrijving="Interne uitleg voor de wijkraad"), m


def test_publiek_ziet_titel_thema_status_en_aantallen_maar_geen_details(client, db_session):
    vraag, m = _agenda_met_steun()
    response = client.get(f"/wijken/{NOORD}/agenda")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wijkagenda Noord" in html
    assert "Afval bij de containers" in html
    assert "Schoon" in html and "Nieuw" in html
    assert "2 meldingen" in html and "2 bewoners steunen" in html
    assert "Interne uitleg voor de wijkraad" not in html
    assert "Geheime omschrijving" not in html
    assert m.nummer not in html
    assert "example.nl" not in html


def test_wijkraadlid_van_de_wijk_ziet_alles(client, db_session):
    vraag, m = _agenda_met_steun()
    vraag.eigenaar = db.session.scalar(select(Organisatie).where(Organisatie.naam == "Wijkracht"))
    _ingelogd(client, "wijkraadlid")
    html = client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)
    assert "Interne uitleg voor de wijkraad" in html
    assert m.nummer in html and "Afvaldump" in html and "Gemeld" in html
    assert "Geheime omschrijving van de melder" in html
    assert f"Eigenaar: {vraag.eigenaar.naam}" in html
    assert "example.nl" not in html
    assert f"/beheer/wijkagenda/{vraag.id}" not in html  # reads, does not edit


def test_wijkraadlid_van_een_andere_wijk_ziet_het_publieke_deel(client, db_session):
    _agenda_met_steun()
    _ingelogd(client, "wijkraadlid", wijken=("WK016400",))
    html = client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)
    assert "Afval bij de containers" in html
    assert "Interne uitleg voor de wijkraad" not in html


def test_regisseur_ziet_alles_met_een_link_om_te_bewerken(client, db_session):
    vraag, m = _agenda_met_steun()
    _ingelogd(client, "stadsdeelregisseur")
    html = client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)
    assert "Interne uitleg voor de wijkraad" in html and m.nummer in html
    assert f"/beheer/wijkagenda/{vraag.id}" in html


def test_onbekende_wijk_geeft_404(client, db_session):
    assert client.get("/wijken/WK999999/agenda").status_code == 404
    assert client.get("/wijken/WK999999").status_code == 404
    assert client.get("/wijken/" + "x" * 300).status_code == 404


def test_inbox_partials_bieden_een_knop_naar_de_wijkagenda(app, client, db_session):
    from flask import render_template_string
    from flask_login import login_user

    regisseur = gebruiker("stadsdeelregisseur")
    m = melding()
    vraag = leefbaarheidsvraag(m, titel="Afval bij de containers")
    with app.test_request_context():
        login_user(regisseur)
        detail = render_template_string('{% include "wijkagenda/_inbox_actie.html" %}',
                                        item_soort="melding", item_id=m.id,
                                        item_wijk=m.wijk_code)
        bulk = render_template_string('{% include "wijkagenda/_bulk_actie.html" %}')
    assert 'action="/beheer/wijkagenda/selectie"' in detail
    assert f'name="ids" value="melding:{m.id}"' in detail
    assert f'href="/beheer/wijkagenda/{vraag.id}">Afval bij de containers</a>' in detail
    assert 'formaction="/beheer/wijkagenda/selectie"' in bulk
    assert db.session.scalar(select(VraagBron.bron_id)) == m.id
