"""The uitslag as a pabulib file anyone can recompute, and finished rounds imported from one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from participatie.buurtbudget import archief, pabulib, regels
from participatie.buurtbudget.models import Budgetronde, Idee, Stem
from participatie.buurtbudget.stemmen import maak_stemcodes
from participatie.extensions import db
from tests.factories import budgetronde
from tests.test_buurtbudget_stemmen import _idee, _stem

DATA = Path(__file__).parent / "data" / "pabulib"


def _afgeronde_ronde(client, regel: str):
    ronde = budgetronde(fase="stemmen", budget=10_000, regel=regel)
    bank, tuin, speel = (_idee(ronde, "Bankjes", 4_000), _idee(ronde, "Moestuin", 5_000),
                         _idee(ronde, "Speeltoestel", 7_000))
    keuzes = [[speel], [speel], [speel], [tuin, bank], [tuin, bank], [bank]]
    for code, kies in zip(maak_stemcodes(ronde, len(keuzes), buurt=ronde.buurten[0], door=None),
                          keuzes, strict=True):
        assert _stem(client, ronde, code, kies).status_code == 303
    from participatie.buurtbudget.services import wijzig_fase
    from participatie.buurtbudget.workflow import Fase

    wijzig_fase(ronde, Fase.UITSLAG, door=None)
    return ronde


@pytest.mark.parametrize("regel", ["meeste_stemmen", "mes"])
def test_pb_download_rekent_met_pabutools_uit_op_dezelfde_uitslag(client, db_session, regel,
                                                                  tmp_path):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    ronde = _afgeronde_ronde(client, regel)
    response = client.get(f"/buurtbudget/{ronde.slug}/uitslag.pb")
    assert response.status_code == 200
    tekst = response.get_data(as_text=True)
    bestand = pabulib.lees(tekst)
    assert bestand.meta["budget"] == "10000" and bestand.meta["num_votes"] == "6"
    # MES and then the rest by votes: equalshares.net's "add1u" completion
    assert bestand.meta["rule"] == {"mes": "equalshares/add1u", "meeste_stemmen": "greedy"}[regel]
    (tmp_path / "ronde.pb").write_text(tekst, encoding="utf-8")
    instance, profile = parse_pabulib(str(tmp_path / "ronde.pb"))
    if regel == "mes":
        uitkomst = completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])
    else:
        uitkomst = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    door_pabutools = {p.name for p in uitkomst}
    gekozen_in_bestand = {p["project_id"] for p in bestand.projecten if p["selected"] == "1"}
    door_ons = {f"{i.id:07d}" for i in db.session.scalars(
        select(Idee).where(Idee.ronde_id == ronde.id, Idee.gekozen))}
    assert door_pabutools == gekozen_in_bestand == door_ons
    # and read back in, the file makes the same round: same rule, same outcome
    terug = archief.importeer(tekst, wijk=ronde.wijk, naam="Terug ingelezen")
    assert (terug.regel, terug.aanvullen) == (ronde.regel, ronde.aanvullen)
    assert {i.titel for i in terug.ideeen if i.gekozen} == {
        i.titel for i in ronde.ideeen if i.gekozen}


def test_pb_alleen_na_het_stemmen(client, db_session):
    ronde = budgetronde(fase="stemmen")
    assert client.get(f"/buurtbudget/{ronde.slug}/uitslag.pb").status_code == 404


@pytest.mark.parametrize(("naam", "regel", "aanvullen"), [
    ("poland_warszawa_2024_bemowo.pb", "meeste_stemmen", True),
    # Amsterdam's buurtbudget: greedy-custom, the rest to what still fits by votes
    ("Netherlands_Amsterdam_2022_Rijnbuurt_West.pb", "meeste_stemmen", True),
    # Assen's Top Idee: equalshares/add1, what MES leaves stays unspent
    ("Netherlands_Assen_2024.pb", "mes", False),
])
def test_een_echte_ronde_importeren_en_uitrekenen(runner, db_session, naam, regel, aanvullen):
    bestand = DATA / naam
    uit = runner.invoke(args=["buurtbudget", "importeer", str(bestand), "--wijk", "WK016402"])
    assert uit.exit_code == 0, uit.output
    ronde = db.session.scalar(select(Budgetronde).order_by(Budgetronde.id.desc()))
    assert ronde.fase == "uitslag" and f"/buurtbudget/{ronde.slug}/uitslag" in uit.output
    assert (ronde.regel, ronde.aanvullen) == (regel, aanvullen)
    gelezen = pabulib.lees(bestand.read_text(encoding="utf-8"))
    projecten, stemmen, budget = pabulib.projecten_en_stemmen(gelezen)
    assert db.session.scalar(select(func.count()).select_from(Stem).where(
        Stem.ronde_id == ronde.id)) == sum(1 for s in stemmen if s)
    if regel == "mes":
        verwacht = regels.equal_shares(projecten, stemmen, budget, aanvullen=aanvullen)
    else:
        verwacht = regels.meeste_stemmen(projecten, stemmen, budget)
    titels = {p["project_id"]: p["name"][:120] for p in gelezen.projecten}
    gekozen = set(db.session.scalars(select(Idee.titel).where(Idee.ronde_id == ronde.id,
                                                              Idee.gekozen)))
    assert gekozen == {titels[p] for p in verwacht.gekozen}
    if naam.startswith("Netherlands"):  # the official outcome, as the file records it
        assert gekozen == {titels[p["project_id"]] for p in gelezen.projecten
                           if p["selected"] == "1"}


def test_geimporteerde_mes_ronde_toont_de_uitslag_van_assen(client, runner, db_session):
    bestand = DATA / "Netherlands_Assen_2024.pb"
    uit = runner.invoke(args=["buurtbudget", "importeer", str(bestand), "--wijk", "WK016402"])
    assert uit.exit_code == 0, uit.output
    ronde = db.session.scalar(select(Budgetronde).order_by(Budgetronde.id.desc()))
    html = client.get(f"/buurtbudget/{ronde.slug}/uitslag").get_data(as_text=True)
    assert "PopUp Podium" in html and "Uitdelen Korans" in html
    assert "verhoogd, tot € 2.033,48" in html
    # the download says what was computed: MES with Add1 and nothing after it
    pb = pabulib.lees(client.get(f"/buurtbudget/{ronde.slug}/uitslag.pb").get_data(
        as_text=True))
    assert pb.meta["rule"] == "equalshares/add1"
    assert {p["name"] for p in pb.projecten if p["selected"] == "1"} == {
        "PopUp Podium", "Jongerenplatform", "Go-Zero kroegentocht", "Muziekproductie studio",
        "Samen koken en eten", "In gesprek", "LGBTQ+ bijeenkomsten", "Snelheidsregeling",
        "Uitdelen Korans"}


def test_een_kapot_bestand_noemt_de_regel_en_laat_niets_achter(runner, db_session, tmp_path):
    kapot = tmp_path / "kapot.pb"
    kapot.write_text("META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\n"
                     "project_id;cost\n1;geld\nVOTES\nvoter_id;vote\n1;1\n", encoding="utf-8")
    uit = runner.invoke(args=["buurtbudget", "importeer", str(kapot), "--wijk", "WK016402"])
    assert uit.exit_code != 0 and "regel 7" in uit.output
    assert db.session.scalar(select(func.count()).select_from(Budgetronde)) == 0
