"""Staff review ideas in the one inbox, beside meldingen: publish, ask, reject, merge, judge
feasibility, post progress. Each action is checked against the round's phase and the idea's
status table, written to the history, mailed where residents should hear it, and audited."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from sqlalchemy import select

from participatie.audit import regels_voor
from participatie.buurtbudget import beoordeling
from participatie.buurtbudget.models import Idee, IdeeVolger
from participatie.buurtbudget.workflow import IdeeStatus, OngeldigeIdeeOvergang
from participatie.moderatie.inbox import ActieGeweigerd
from tests.factories import budgetronde, csrf_token, gebruiker, idee, jpeg, login, melding

NOORD, CENTRUM = "WK016402", "WK016400"


def tekst(response) -> str:
    return response.get_data(as_text=True)


def post(client, idee_id: int, actie: str, htmx: bool = False, **velden):
    url = f"/beheer/ideeen/{idee_id}"
    data = {"csrf_token": csrf_token(client, url), **velden}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{url}/{actie}", data=data, headers=headers)


@pytest.fixture
def regisseur(client, db_session):
    user = gebruiker("stadsdeelregisseur", email="regisseur@hengelo.nl")
    login(client, user)
    return user


def test_ideeen_staan_in_de_inbox_naast_meldingen(client, db_session, regisseur):
    m = melding(omschrijving="Container vol")
    plan = idee(titel="Bankjes bij de speeltuin")
    html = tekst(client.get("/beheer/"))
    assert f'id="rij-melding-{m.id}"' in html and f'id="rij-idee-{plan.id}"' in html
    assert "Ideeën 1" in html and "Meldingen 1" in html
    assert '<option value="idee">Ideeën</option>' in html
    assert f"I-{plan.id}</strong> Bankjes bij de speeltuin" in html

    alleen = tekst(client.get("/beheer/?soort=idee"))
    assert f"rij-idee-{plan.id}" in alleen and f"rij-melding-{m.id}" not in alleen
    # The round filter is the ideas' own: it leaves meldingen out.
    per_ronde = tekst(client.get(f"/beheer/?ronde={plan.ronde_id}"))
    assert f"rij-idee-{plan.id}" in per_ronde and f"rij-melding-{m.id}" not in per_ronde
    assert f"rij-idee-{plan.id}" not in tekst(client.get("/beheer/?categorie=1"))
    for zoek in (f"I-{plan.id}", "speeltuin"):
        assert f"rij-idee-{plan.id}" in tekst(client.get(f"/beheer/?zoek={zoek}"))


def test_een_antwoord_van_de_indiener_staat_bovenaan(client, db_session, regisseur):
    ronde = budgetronde(fase="beoordelen")
    beantwoord = idee(ronde, titel="Beantwoord", dagen_geleden=5)
    te_laat = idee(ronde, titel="Niet bekeken", dagen_geleden=2)
    gewoon = idee(ronde, titel="Gepubliceerd", status="gepubliceerd")
    beoordeling.vragen(regisseur, beantwoord, "Waar precies?")
    from participatie.buurtbudget.ideeen import beantwoord as antwoorden
    antwoorden(beantwoord, "Bij de zandbak.")
    html = tekst(client.get("/beheer/?soort=idee"))
    volgorde = [int(i) for i in re.findall(r'id="rij-idee-(\d+)"', html)]
    assert volgorde == [beantwoord.id, te_laat.id, gewoon.id]
    assert "Indiener antwoordde" in html and "Over de termijn" in html


def test_publiceren_zet_het_idee_online_mailt_en_logt(client, db_session, regisseur, mailbox):
    plan = idee(email="indiener@example.nl")
    response = post(client, plan.id, "publiceren", htmx=True)
    html = tekst(response)
    assert response.status_code == 200
    assert f"{plan.nummer} staat nu op de pagina van de ronde." in html
    assert f'id="rij-idee-{plan.id}" hx-swap-oob="true"' in html
    assert plan.status == "gepubliceerd"
    assert (plan.updates[-1].status, plan.updates[-1].publiek) == ("gepubliceerd", True)
    [regel] = regels_voor("idee", plan.id)
    assert (regel.actie, regel.voor["status"], regel.na["status"], regel.user_id) == (
        "idee.publiceren", "ingediend", "gepubliceerd", regisseur.id)
    [bericht] = mailbox.to("indiener@example.nl")
    assert f"buurtbudget/ideeen/{plan.token}" in mailbox.body(bericht)
    assert "Bankjes bij de speeltuin" in tekst(client.get(f"/buurtbudget/{plan.ronde.slug}"))
    # Twice is not in the table: refused, nothing changes.
    again = post(client, plan.id, "publiceren")
    assert again.status_code == 422 and "kan niet" in tekst(again)
    assert len(regels_voor("idee", plan.id)) == 1


def test_vraag_gaat_alleen_naar_de_indiener(client, db_session, regisseur, mailbox):
    plan = idee(email="indiener@example.nl")
    plan.volgers.append(IdeeVolger(email="buur@example.nl"))
    leeg = post(client, plan.id, "vraag", vraag="")
    assert leeg.status_code == 422 and "Schrijf de vraag aan de indiener." in tekst(leeg)
    response = post(client, plan.id, "vraag", vraag="Waar bij de speeltuin precies?")
    assert response.status_code == 303
    assert plan.status == "vraag" and plan.updates[-1].soort == "vraag"
    assert not plan.updates[-1].publiek
    [bericht] = mailbox.to("indiener@example.nl")
    assert "Waar bij de speeltuin precies?" in mailbox.body(bericht)
    assert mailbox.to("buur@example.nl") == []
    assert regels_voor("idee", plan.id)[-1].actie == "idee.vragen"


def test_afwijzen_met_openbare_reden_voor_de_volgers(client, db_session, regisseur, mailbox):
    plan = idee(email="indiener@example.nl", status="gepubliceerd")
    zonder = post(client, plan.id, "afwijzen", reden="")
    assert zonder.status_code == 422 and "Schrijf waarom het idee niet door kan." in tekst(zonder)
    with pytest.raises(OngeldigeIdeeOvergang, match="hoort een uitleg"):
        beoordeling.afwijzen(regisseur, plan, "  ")
    assert plan.status == "gepubliceerd"
    response = post(client, plan.id, "afwijzen", reden="Dit is geen openbare ruimte.")
    assert response.status_code == 303 and plan.status == "afgewezen"
    assert plan.openbare_toelichting == "Dit is geen openbare ruimte."
    [bericht] = mailbox.to("indiener@example.nl")
    assert "Dit is geen openbare ruimte." in mailbox.body(bericht)
    assert regels_voor("idee", plan.id)[-1].na["status"] == "afgewezen"
    assert "Dit is geen openbare ruimte." in tekst(
        client.get(f"/buurtbudget/{plan.ronde.slug}/ideeen/{plan.id}"))


def test_haalbaar_met_de_kosten_van_de_gemeente_op_het_stembiljet(client, db_session,
                                                                  regisseur, mailbox):
    plan = idee(email="indiener@example.nl", kosten_schatting=2500)
    # From ingediend feasibility is not in the table: publish first.
    with pytest.raises(OngeldigeIdeeOvergang):
        beoordeling.haalbaarheid(regisseur, plan, True, "Kan.", 3000)
    plan.status = "gepubliceerd"
    zonder_kosten = post(client, plan.id, "haalbaarheid", uitkomst="haalbaar",
                         toelichting="Dit kan in het voorjaar.")
    assert zonder_kosten.status_code == 422
    assert "Vul de kosten volgens de gemeente in" in tekst(zonder_kosten)
    assert plan.kosten is None and plan.status == "gepubliceerd"
    response = post(client, plan.id, "haalbaarheid", uitkomst="haalbaar",
                    toelichting="Dit kan in het voorjaar.", kosten="3.200")
    assert response.status_code == 303
    assert (plan.status, plan.kosten, plan.ballotkosten) == ("haalbaar", 3200, 3200)
    regel = regels_voor("idee", plan.id)[-1]
    assert (regel.actie, regel.voor["kosten"], regel.na["kosten"]) == (
        "idee.haalbaarheid", None, 3200)
    [bericht] = mailbox.to("indiener@example.nl")
    assert "€ 3.200" in mailbox.body(bericht) and "Dit kan in het voorjaar." in mailbox.body(
        bericht)
    niet = post(client, plan.id, "haalbaarheid", uitkomst="niet_haalbaar",
                toelichting="Toch niet: de grond is van een ander.")
    assert niet.status_code == 303 and plan.status == "niet_haalbaar"


def test_samenvoegen_laat_de_volgers_het_andere_idee_volgen(client, db_session, regisseur,
                                                            mailbox):
    ronde = budgetronde()
    origineel = idee(ronde, titel="Bankjes in het park", status="gepubliceerd",
                     email="eerste@example.nl")
    dubbel = idee(ronde, titel="Een bank bij de vijver", email="tweede@example.nl")
    ander = idee(budgetronde(naam="Andere ronde"), status="gepubliceerd")
    fout = post(client, dubbel.id, "samenvoegen", origineel=f"I-{ander.id}")
    assert fout.status_code == 422 and "hoort bij een andere ronde" in tekst(fout)
    assert dubbel.status == "ingediend"
    response = post(client, dubbel.id, "samenvoegen", origineel=f"I-{origineel.id}")
    assert response.status_code == 303
    assert (dubbel.status, dubbel.samengevoegd_met_id) == ("samengevoegd", origineel.id)
    assert sorted(v.email for v in origineel.volgers) == ["eerste@example.nl",
                                                          "tweede@example.nl"]
    [bericht] = mailbox.to("tweede@example.nl")
    assert f"ideeen/{origineel.id}" in mailbox.body(bericht)
    assert [r.actie for r in regels_voor("idee", origineel.id)] == ["idee.samengevoegd_in"]
    assert regels_voor("idee", dubbel.id)[-1].na["samengevoegd_met"] == origineel.nummer


@pytest.mark.parametrize("fase", ["stemmen", "uitslag", "uitvoering"])
def test_na_het_begin_van_het_stemmen_verandert_geen_idee_meer(client, db_session, regisseur,
                                                               fase):
    plan = idee(budgetronde(fase=fase), status="gepubliceerd")
    html = tekst(client.get(f"/beheer/ideeen/{plan.id}"))
    assert "er valt nu niets te beslissen" in html and "/publiceren" not in html
    for actie, velden in (("afwijzen", {"reden": "Te laat"}),
                          ("haalbaarheid", {"uitkomst": "haalbaar", "toelichting": "Kan",
                                            "kosten": "100"})):
        response = post(client, plan.id, actie, **velden)
        assert response.status_code == 422
        assert f"de ronde is in de fase '{fase}'" in tekst(response).replace("&#39;", "'")
    assert plan.status == "gepubliceerd" and regels_voor("idee", plan.id) == []


def test_bulk_publiceren_alles_of_niets(client, db_session, regisseur):
    ronde = budgetronde()
    a, b = idee(ronde, titel="Eerste"), idee(ronde, titel="Tweede")
    c = idee(ronde, titel="Al haalbaar", status="haalbaar")
    token = csrf_token(client, "/beheer/")
    data = {"csrf_token": token, "actie": "idee:publiceren",
            "ids": [f"idee:{a.id}", f"idee:{b.id}", f"idee:{c.id}"]}
    response = client.post("/beheer/bulk", data=data)
    assert response.status_code == 422 and "Er is niets gewijzigd" in tekst(response)
    assert (a.status, b.status) == ("ingediend", "ingediend")
    data["ids"] = data["ids"][:2]
    assert client.post("/beheer/bulk", data=data).status_code == 302
    assert (a.status, b.status) == ("gepubliceerd", "gepubliceerd")
    assert [r.actie for r in regels_voor("idee", a.id)] == ["idee.publiceren"]


def test_voortgang_van_een_gekozen_idee_staat_online_en_wordt_gemaild(client, db_session,
                                                                      regisseur, mailbox):
    ronde = budgetronde(fase="uitvoering")
    plan = idee(ronde, status="haalbaar", email="indiener@example.nl")
    niet_gekozen = idee(ronde, status="haalbaar")
    plan.gekozen = True
    geweigerd = post(client, niet_gekozen.id, "voortgang", stand="bezig", procent="10",
                     bericht="Begonnen")
    assert geweigerd.status_code == 422 and "niet gekozen" in tekst(geweigerd)
    url = f"/beheer/ideeen/{plan.id}"
    response = client.post(f"{url}/voortgang", data={
        "csrf_token": csrf_token(client, url), "stand": "bezig", "procent": "60",
        "bericht": "De bankjes staan er; de tegels komen volgende week.",
        "foto": (BytesIO(jpeg()), "bankjes.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 303
    update = plan.updates[-1]
    assert (update.soort, update.status, update.voortgang, update.publiek) == (
        "voortgang", "bezig", 60, True)
    assert update.foto_bestand
    assert regels_voor("idee", plan.id)[-1].actie == "idee.voortgang"

    ronde_html = tekst(client.get(f"/buurtbudget/{ronde.slug}"))
    assert "Wordt uitgevoerd, 60%: De bankjes staan er" in ronde_html
    pagina = tekst(client.get(f"/buurtbudget/{ronde.slug}/ideeen/{plan.id}"))
    assert "Uitvoering: Wordt uitgevoerd" in pagina and 'value="60"' in pagina
    foto = re.search(r'<img src="(/buurtbudget/[^"]+/voortgang/\d+/klein)"', pagina).group(1)
    assert client.get(foto).status_code == 200
    [bericht] = mailbox.to("indiener@example.nl")
    assert "60%" in mailbox.body(bericht) and "De bankjes staan er" in mailbox.body(bericht)


def test_wie_er_niet_over_gaat_ziet_het_idee_niet(client, db_session):
    plan = idee(email="indiener@example.nl")
    andere_wijk = gebruiker("stadsdeelregisseur", wijken=(CENTRUM,))
    login(client, andere_wijk)
    assert client.get(f"/beheer/ideeen/{plan.id}").status_code == 404
    assert post(client, plan.id, "publiceren").status_code == 404
    assert f"rij-idee-{plan.id}" not in tekst(client.get("/beheer/"))
    with pytest.raises(ActieGeweigerd):
        beoordeling.publiceren(andere_wijk, plan)
    assert plan.status == "ingediend"


def test_wijkraadlid_leest_mee_zonder_acties_en_partner_ziet_niets(client, db_session):
    plan = idee(email="indiener@example.nl")
    login(client, gebruiker("wijkraadlid"))
    html = tekst(client.get(f"/beheer/ideeen/{plan.id}"))
    assert "Bankjes bij de speeltuin" in html
    assert "indiener@example.nl" not in html and "/publiceren" not in html
    assert f"rij-idee-{plan.id}" in tekst(client.get("/beheer/"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/beheer/")})
    login(client, gebruiker("partner", organisatie="Gildebor"))
    assert client.get(f"/beheer/ideeen/{plan.id}").status_code == 403
    assert "Ideeën" not in tekst(client.get("/beheer/"))


def test_een_registreerde_itemactie_staat_op_de_ideepagina(client, db_session, regisseur):
    plan = idee()
    html = tekst(client.get(f"/beheer/ideeen/{plan.id}"))
    assert "Op de wijkagenda" in html and f'value="idee:{plan.id}"' in html
    assert db_session.scalar(select(Idee.status).where(Idee.id == plan.id)) == \
        IdeeStatus.INGEDIEND


def test_onder_htmx_het_paneel_met_volgende_en_zonder_js_een_eigen_pagina(client, db_session,
                                                                         regisseur):
    ronde = budgetronde()
    oud, nieuw = idee(ronde, titel="Ouder idee", dagen_geleden=3), idee(ronde, titel="Nieuw")
    lijst = "soort=idee"
    paneel = client.get(f"/beheer/ideeen/{nieuw.id}?lijst={lijst}",
                        headers={"HX-Request": "true"})
    html = tekst(paneel)
    assert "<html" not in html and 'data-soort="idee"' in html
    assert f"Volgende: {oud.nummer}" in html and "lijst=soort%3Didee" in html
    pagina = tekst(client.get(f"/beheer/ideeen/{nieuw.id}?lijst={lijst}"))
    assert "<html" in pagina and "‹ Terug naar de inbox" in pagina
    assert 'href="/beheer/?soort=idee"' in pagina
