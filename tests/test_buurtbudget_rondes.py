"""Budgetrondes: staff create them for their wijken, move them through the phases, and
residents see what they can do now and what comes next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from participatie.audit import regels_voor
from participatie.buurtbudget.models import Budgetronde, Stem, Stemcode
from participatie.buurtbudget.services import wijzig_fase
from participatie.buurtbudget.workflow import FASE_TRANSITIES, Fase, OngeldigeFase
from participatie.extensions import db
from tests.factories import budgetronde, csrf_token, gebruiker, login, vandaag

NOORD = "WK016402"
DE_NOORK = "BU01640202"


def _formulier(**velden) -> dict:
    dag = vandaag()
    data = {
        "naam": "Buurtbudget De Noork 2027", "uitleg": "Voor groen en ontmoeten.",
        "wijk": NOORD, "buurten": [DE_NOORK], "budget": "25000", "stemwijze": "budget",
        "regel": "mes", "aanvullen": "y",
    }
    for i, fase in enumerate(Fase):
        data[f"{fase.value}_vanaf"] = (dag + timedelta(weeks=3 * i)).isoformat()
    return data | velden


def test_regisseur_maakt_een_ronde_voor_zijn_wijk(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    login(client, regisseur)
    token = csrf_token(client, "/beheer/buurtbudget/nieuw")
    response = client.post("/beheer/buurtbudget/nieuw", data=_formulier(csrf_token=token))
    assert response.status_code == 303
    ronde = db.session.scalar(select(Budgetronde))
    assert (ronde.slug, ronde.budget, ronde.regel, ronde.fase) == (
        "buurtbudget-de-noork-2027", 25000, "mes", "indienen")
    assert [b.code for b in ronde.buurten] == [DE_NOORK]
    [regel] = regels_voor("budgetronde", ronde.id)
    assert (regel.actie, regel.user_id) == ("budgetronde.nieuw", regisseur.id)

    openbaar = client.get("/buurtbudget").get_data(as_text=True)
    assert "Buurtbudget De Noork 2027" in openbaar and "U kunt nu een idee indienen." in openbaar
    pagina = client.get(f"/buurtbudget/{ronde.slug}").get_data(as_text=True)
    assert "De Noork" in pagina and "€ 25.000" in pagina
    assert 'aria-current="step"' in pagina and "Stemmen</strong> · vanaf" in pagina


def test_fouten_staan_bij_het_veld_en_niets_gaat_verloren(client, db_session):
    login(client, gebruiker("stadsdeelregisseur"))
    token = csrf_token(client, "/beheer/buurtbudget/nieuw")
    dag = vandaag()
    response = client.post("/beheer/buurtbudget/nieuw", data=_formulier(
        csrf_token=token, budget="veel", stemmen_vanaf=(dag - timedelta(days=400)).isoformat(),
        uitvoering_vanaf="31-12-2027"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul het budget in, in hele euro" in html
    assert "Dit is geen geldige datum" in html
    assert 'value="Buurtbudget De Noork 2027"' in html and "Voor groen en ontmoeten." in html
    assert db.session.scalar(select(Budgetronde)) is None


def test_data_buiten_volgorde_en_buurten_buiten_de_wijk_worden_geweigerd(client, db_session):
    login(client, gebruiker("beheerder"))
    token = csrf_token(client, "/beheer/buurtbudget/nieuw")
    dag = vandaag()
    html = client.post("/beheer/buurtbudget/nieuw", data=_formulier(
        csrf_token=token, stemmen_vanaf=(dag - timedelta(days=1)).isoformat()),
    ).get_data(as_text=True)
    assert "moeten op volgorde staan" in html
    html = client.post("/beheer/buurtbudget/nieuw", data=_formulier(
        csrf_token=token, buurten=["BU01640000"]), ).get_data(as_text=True)
    assert "Kies alleen buurten uit de gekozen wijk." in html or "geen geldige keuze" in html
    assert db.session.scalar(select(Budgetronde)) is None


def test_regisseur_van_een_andere_wijk_ziet_de_ronde_niet(client, db_session):
    ronde = budgetronde()
    login(client, gebruiker("stadsdeelregisseur", wijken=("WK016400",)))
    assert client.get(f"/beheer/buurtbudget/{ronde.slug}").status_code == 404
    assert ronde.naam not in client.get("/beheer/buurtbudget").get_data(as_text=True)
    html = client.get("/beheer/buurtbudget/nieuw").get_data(as_text=True)
    assert f'value="{NOORD}"' not in html


def _stem(ronde) -> None:
    code = Stemcode(ronde_id=ronde.id, code_hash="a" * 64, buurt_code=DE_NOORK)
    db.session.add(code)
    db.session.flush()
    db.session.add(Stem(ronde_id=ronde.id, stemcode_id=code.id, buurt_code=DE_NOORK,
                        dag=vandaag()))
    db.session.flush()


def test_fase_gaat_vooruit_en_nooit_terug_voorbij_stemmen(client, db_session):
    ronde = budgetronde(fase="beoordelen")
    regisseur = gebruiker("stadsdeelregisseur")
    login(client, regisseur)
    token = csrf_token(client, f"/beheer/buurtbudget/{ronde.slug}")
    url = f"/beheer/buurtbudget/{ronde.slug}/fase"
    assert client.post(url, data={"csrf_token": token, "fase": "indienen"}).status_code == 303
    assert ronde.fase == "indienen"
    html = client.post(url, data={"csrf_token": token, "fase": "uitslag"}).get_data(as_text=True)
    assert "Kies een fase uit de lijst." in html or "kan niet" in html
    ronde.fase = "stemmen"
    _stem(ronde)
    with pytest.raises(OngeldigeFase):
        wijzig_fase(ronde, Fase.BEOORDELEN, door=regisseur)
    assert client.post(url, data={"csrf_token": token, "fase": "uitslag"}).status_code == 303
    assert ronde.fase == "uitslag"
    assert [r.actie for r in regels_voor("budgetronde", ronde.id)][-1] == "budgetronde.fase"


@pytest.mark.parametrize("van", list(Fase), ids=lambda f: f.value)
def test_elke_faseovergang_volgt_de_tabel(db_session, van):
    ronde = budgetronde(fase=van.value)
    for naar in Fase:
        if naar in FASE_TRANSITIES[van]:
            continue
        with pytest.raises(OngeldigeFase):
            ronde.wijzig_fase(naar, heeft_stemmen=False)
    assert ronde.fase == van.value


def test_na_het_stemmen_liggen_budget_en_regel_vast(client, db_session):
    ronde = budgetronde(fase="stemmen")
    _stem(ronde)
    login(client, gebruiker("beheerder"))
    token = csrf_token(client, f"/beheer/buurtbudget/{ronde.slug}")
    html = client.post(f"/beheer/buurtbudget/{ronde.slug}", data=_formulier(
        csrf_token=token, naam=ronde.naam, budget="99999")).get_data(as_text=True)
    assert "Er is al gestemd" in html
    assert ronde.budget == 20_000


def test_commando_fase_en_opkomst(runner, db_session):
    ronde = budgetronde(fase="stemmen")
    _stem(ronde)
    db_session.commit()  # into the test's outer transaction: a refused command rolls back
    uit = runner.invoke(args=["buurtbudget", "opkomst", ronde.slug])
    assert uit.exit_code == 0, uit.output
    assert "1 stemmen van 1 codes (100.0%)" in uit.output and DE_NOORK in uit.output
    terug = runner.invoke(args=["buurtbudget", "fase", ronde.slug, "beoordelen"])
    assert terug.exit_code != 0 and "kan niet" in terug.output
    verder = runner.invoke(args=["buurtbudget", "fase", ronde.slug, "uitslag"])
    assert verder.exit_code == 0, verder.output
    assert ronde.fase == "uitslag"
    onbekend = runner.invoke(args=["buurtbudget", "opkomst", "bestaat-niet"])
    assert onbekend.exit_code != 0 and "Er is geen ronde" in onbekend.output
