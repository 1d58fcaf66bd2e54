"""Staff build a survey (a regisseur only for their own wijk), changes that would corrupt the
results are refused once there are answers, the preview shows the questions; open answers
arrive in the inbox, where staff reply, hide or put them on the wijkagenda."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participatie.audit import regels_voor
from participatie.enquetes import services, uitslag
from participatie.enquetes.models import Antwoord, Enquete
from participatie.enquetes.services import EnqueteFout, VraagGegevens
from participatie.enquetes.workflow import VraagType
from participatie.extensions import db
from tests.factories import csrf_token, enquete, gebruiker, login, respons


def _nieuw(client, wijk: str):
    return client.post("/beheer/enquetes/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/enquetes/nieuw"), "titel": "Groen in Noord",
        "wijk": wijk, "open_vanaf": "2026-12-01", "sluit_op": "2026-12-31"})


def test_regisseur_maakt_een_enquete_voor_de_eigen_wijk(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    login(client, regisseur)

    andere_wijk = _nieuw(client, "WK016400")
    gemeente = _nieuw(client, "gemeente")
    eigen = _nieuw(client, "WK016402")

    assert andere_wijk.status_code == 422 and gemeente.status_code == 422
    assert "Kies een gebied uit de lijst" in gemeente.get_data(as_text=True)
    assert eigen.status_code == 303
    e = db_session.scalar(select(Enquete).where(Enquete.titel == "Groen in Noord"))
    assert e.wijk_code == "WK016402" and e.status == "concept"
    assert [r.actie for r in regels_voor("enquete", e.id)] == ["enquete.nieuw"]
    vraag = client.post(f"/beheer/enquetes/{e.id}/vragen", data={
        "nieuw-csrf_token": csrf_token(client, f"/beheer/enquetes/{e.id}"),
        "nieuw-tekst": "Hoeveel groen is er?", "nieuw-type": "een_keuze",
        "nieuw-opties": "Te weinig\nGenoeg\nTe veel", "nieuw-pagina": "1"})
    assert vraag.status_code == 303, vraag.get_data(as_text=True).split("actie-fout")[1][:300]
    voorbeeld = client.get(f"/beheer/enquetes/{e.id}/voorbeeld").get_data(as_text=True)
    assert "Hoeveel groen is er?" in voorbeeld and "Te weinig" in voorbeeld


def test_met_antwoorden_weigert_wat_de_uitkomsten_bederft(db_session):
    e = enquete()
    schaal, keuze, open_ = e.vragen
    respons(e, {0: 3, 1: [2]})
    beheerder = gebruiker("beheerder")

    with pytest.raises(EnqueteFout, match="kan niet meer weg"):
        services.verwijder_vraag(schaal, door=beheerder)
    with pytest.raises(EnqueteFout, match="soort vraag"):
        services.wijzig_vraag(schaal, VraagGegevens(VraagType.CIJFER, schaal.tekst,
                                                    verplicht=True), door=beheerder)
    with pytest.raises(EnqueteFout, match="‘Hondenpoep’ is al gekozen"):
        services.wijzig_vraag(keuze, VraagGegevens(VraagType.MEER_KEUZES, keuze.tekst,
                                                   pagina=2, opties=["Afval", "Hard rijden"]),
                              door=beheerder)
    with pytest.raises(EnqueteFout, match="niet verplicht"):
        services.voeg_vraag_toe(e, VraagGegevens(VraagType.JA_NEE, "Nieuw?", verplicht=True),
                                door=beheerder)
    # Allowed: a wording fix, a new option, removing an option nobody chose, a new optional
    # question.
    services.wijzig_vraag(keuze, VraagGegevens(
        VraagType.MEER_KEUZES, "Waar ergert u zich het meest aan?", pagina=2,
        opties=["Afval op straat", "Hard rijden", "Hondenpoep", "Parkeren"]), door=beheerder)
    services.wijzig_vraag(keuze, VraagGegevens(
        VraagType.MEER_KEUZES, keuze.tekst, pagina=2,
        opties=["Afval op straat", "Hard rijden", "Hondenpoep"]), door=beheerder)
    services.voeg_vraag_toe(e, VraagGegevens(VraagType.JA_NEE, "Nieuw?"), door=beheerder)
    assert [o.tekst for o in keuze.opties] == ["Afval op straat", "Hard rijden", "Hondenpoep"]
    assert uitslag.bereken(e).vragen[1].tellingen[2].aantal == 1


def test_staf_pagina_zegt_wat_nog_kan(client, db_session):
    e = enquete()
    respons(e, {0: 3})
    db_session.commit()
    login(client, gebruiker("stadsdeelregisseur"))

    html = client.get(f"/beheer/enquetes/{e.id}").get_data(as_text=True)

    assert "Er zijn al antwoorden. U kunt nog" in html


def test_open_antwoord_in_de_inbox_beantwoorden_en_verbergen(client, db_session, mailbox):
    e = enquete()
    r = respons(e, {0: 2, 2: "De lantaarnpaal bij de speeltuin is al weken kapot."},
                email="bewoner@example.nl")
    antwoord = db_session.scalar(select(Antwoord).where(Antwoord.respons_id == r.id,
                                                        Antwoord.inbox_status.is_not(None)))
    db_session.commit()
    login(client, gebruiker("stadsdeelregisseur"))

    inbox = client.get("/beheer/?soort=enquete_antwoord").get_data(as_text=True)
    assert "lantaarnpaal bij de speeltuin" in inbox and antwoord.nummer in inbox
    zoek = client.get("/beheer/?zoek=lantaarnpalen").get_data(as_text=True)
    assert antwoord.nummer in zoek
    pagina = client.get(f"/beheer/enquetes/antwoorden/{antwoord.id}").get_data(as_text=True)
    assert "bewoner@example.nl" in pagina and "Op de wijkagenda" in pagina
    token = csrf_token(client, f"/beheer/enquetes/antwoorden/{antwoord.id}")
    client.post(f"/beheer/enquetes/antwoorden/{antwoord.id}/beantwoord",
                data={"csrf_token": token, "tekst": "Dank u, de paal wordt vrijdag vervangen."})
    [bericht] = mailbox.to("bewoner@example.nl")
    assert "vrijdag vervangen" in mailbox.body(bericht)
    client.post(f"/beheer/enquetes/antwoorden/{antwoord.id}/status",
                data={"csrf_token": token, "naar": "verborgen"})
    db.session.expire_all()
    assert db_session.get(Antwoord, antwoord.id).inbox_status == "verborgen"
    assert uitslag.bereken(e).vragen[2].open_totaal == 0
    acties = [x.actie for x in regels_voor("enquete_antwoord", antwoord.id)]
    assert acties == ["enquete_antwoord.status", "enquete_antwoord.beantwoord",
                      "enquete_antwoord.status"]

    sleutel = f"enquete_antwoord:{antwoord.id}"
    nieuw = client.post(f"/beheer/wijkagenda/nieuw?ids={sleutel}", data={
        "csrf_token": token, "titel": "Kapotte verlichting bij de speeltuin",
        "omschrijving": "Uit de enquête.", "thema": "veilig"})
    assert nieuw.status_code == 303
    agenda = client.get(nieuw.headers["Location"]).get_data(as_text=True)
    assert f'href="/beheer/enquetes/antwoorden/{antwoord.id}"' in agenda
    assert antwoord.nummer in agenda


def test_wijkraadlid_leest_antwoorden_maar_behandelt_ze_niet(client, db_session):
    e = enquete()
    r = respons(e, {0: 2, 2: "Meer bankjes graag."})
    antwoord = next(a for a in r.antwoorden if a.inbox_status)
    db_session.commit()
    login(client, gebruiker("wijkraadlid"))

    assert client.get(f"/beheer/enquetes/antwoorden/{antwoord.id}").status_code == 200
    token = csrf_token(client, f"/beheer/enquetes/antwoorden/{antwoord.id}")
    weg = client.post(f"/beheer/enquetes/antwoorden/{antwoord.id}/status",
                      data={"csrf_token": token, "naar": "verborgen"})
    assert weg.status_code == 403


def test_gepubliceerde_samenvatting_staat_op_de_wijkpagina(client, db_session):
    e = enquete(titel="Leefbaarheid in Noord")
    for cijfer in (2, 3, 4, 4, 5):
        respons(e, {0: cijfer})
    e.status = "gesloten"
    beheerder = gebruiker("beheerder")
    with pytest.raises(EnqueteFout):
        services.zet_samenvatting(e, "", True, door=beheerder)
    services.zet_samenvatting(e, "Bewoners voelen zich meestal veilig.", True, door=beheerder)

    html = client.get("/wijken/WK016402").get_data(as_text=True)

    assert "Leefbaarheid in Noord" in html and "meestal veilig" in html
    assert "3,6" in html
