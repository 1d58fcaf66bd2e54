"""Allocation rules: hand-checked examples, and the same outcome as pabutools (the reference).

pabutools is a test dependency only (it pulls in a proprietary solver's package); the app
never imports it.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction
from pathlib import Path

import pytest

from participatie.buurtbudget.mes import Mes
from participatie.buurtbudget.pabulib import PabulibBestand, lees, projecten_en_stemmen, schrijf
from participatie.buurtbudget.regels import Project, _Telling, equal_shares, meeste_stemmen, tel

DATA = Path(__file__).parent / "data" / "pabulib"


def stemmen(*groepen: tuple[int, str]) -> list[frozenset[str]]:
    """(how many, "a,b") pairs as ballots."""
    uit: list[frozenset[str]] = []
    for aantal, keuze in groepen:
        uit += [frozenset(filter(None, keuze.split(",")))] * aantal
    return uit


# --- hand-checked examples ------------------------------------------------------------------

def test_meeste_stemmen_slaat_over_wat_niet_meer_past_en_gaat_door():
    projecten = [Project("a", 60), Project("b", 50), Project("c", 30), Project("d", 10)]
    uitkomst = meeste_stemmen(projecten, stemmen((5, "a"), (4, "b"), (3, "c"), (2, "d")), 100)
    assert uitkomst.gekozen == ["a", "c", "d"]
    assert uitkomst.over == 0
    assert uitkomst.stemmen == {"a": 5, "b": 4, "c": 3, "d": 2}
    assert uitkomst.uitleg["a"] == "gekozen: 5 stemmen, past in het budget"
    assert uitkomst.uitleg["b"] == ("niet gekozen: 4 stemmen, past niet meer in het budget na de "
                                    "ideeën met meer stemmen")
    assert uitkomst.regel == "meeste_stemmen"


def test_gelijke_stemmen_laagste_code_eerst_en_geen_geld_zonder_stemmen():
    projecten = [Project("12", 40), Project("3", 40), Project("7", 10)]
    uitkomst = meeste_stemmen(projecten, stemmen((2, "3"), (2, "12")), 50)
    assert uitkomst.gekozen == ["12"]  # "12" < "3" as text: the documented order
    assert "meer of evenveel stemmen" in uitkomst.uitleg["3"]
    assert uitkomst.uitleg["7"] == "niet gekozen: geen stemmen"
    assert uitkomst.over == 10  # idea 7 fits, but nobody voted for it
    assert "12 vóór 3" in uitkomst.volgorde_bij_gelijkspel

    genummerd = [Project("012", 40), Project("003", 40)]
    zin = meeste_stemmen(genummerd, stemmen((1, "003,012")), 50).volgorde_bij_gelijkspel
    assert zin == "Hebben ideeën evenveel stemmen, dan gaat het idee met het laagste nummer voor."


def test_equal_shares_geeft_een_minderheid_haar_deel():
    # 60 voters want the red ideas, 40 the blue ones; each idea costs 10 of the budget of 50.
    projecten = [Project(f"r{i}", 10) for i in range(5)] + [Project(f"b{i}", 10)
                                                            for i in range(5)]
    profiel = stemmen((60, "r0,r1,r2,r3,r4"), (40, "b0,b1,b2,b3,b4"))
    assert meeste_stemmen(projecten, profiel, 50).gekozen == ["r0", "r1", "r2", "r3", "r4"]
    uitkomst = equal_shares(projecten, profiel, 50)
    assert sorted(uitkomst.gekozen) == ["b0", "b1", "r0", "r1", "r2"]
    assert uitkomst.uitleg["r0"].startswith("gekozen: 60 stemmen; de stemmers op dit idee konden")
    assert "niet genoeg budget over" in uitkomst.uitleg["b2"]
    assert uitkomst.toelichting.startswith("Iedere stemmer kreeg een gelijk deel van het budget: "
                                           "€ 0,50.")


def test_equal_shares_rekent_exact_ook_bij_derden():
    # Three voters, budget 1: each has exactly 1/3. Idea a (cost 1) needs all three; with
    # floats 1/3 + 1/3 + 1/3 is not always 1 and a could wrongly be too expensive.
    projecten = [Project("a", 1)]
    uitkomst = equal_shares(projecten, stemmen((3, "a")), 1, met_add_one=False,
                            aanvullen=False)
    assert uitkomst.gekozen == ["a"]
    assert uitkomst.over == 0


def test_add_one_verhoogt_het_deel_zolang_het_past_en_daarna_gaat_de_rest_naar_stemmen():
    projecten = [Project("a", 60), Project("b", 60), Project("c", 30)]
    profiel = stemmen((1, "a"), (1, "b"), (1, "c"), (1, ""))  # 4 ballots, 25 each
    zonder = equal_shares(projecten, profiel, 100, met_add_one=False, aanvullen=False)
    assert zonder.gekozen == []  # nobody can pay an idea alone from 25
    # From 30 each c is paid; at 60 each a, b and c would cost 150: too much, so 59 it is.
    met = equal_shares(projecten, profiel, 100, aanvullen=False)
    assert met.gekozen == ["c"]
    assert "tot € 59,00" in met.toelichting and "niet genoeg" in met.toelichting
    aangevuld = equal_shares(projecten, profiel, 100)
    assert aangevuld.gekozen == ["c", "a"]  # a and b tie on votes: the lower code first
    assert aangevuld.over == 10
    assert aangevuld.uitleg["a"] == ("gekozen bij het verdelen van het restbudget: 1 stem, "
                                     "past nog in het budget")
    assert aangevuld.uitleg["b"] == (
        "niet gekozen: de stemmers op dit idee hadden samen niet genoeg budget over "
        "(nog € 59, het kost € 60); ook in het restbudget paste het niet meer")
    assert aangevuld.uitleg["c"].endswith("(ieder hooguit € 30,00)")


def test_lege_ronde_en_onjuiste_invoer():
    projecten = [Project("a", 10)]
    for regel in (meeste_stemmen, equal_shares):
        uitkomst = regel(projecten, [], 100)
        assert uitkomst.gekozen == [] and uitkomst.over == 100
        assert uitkomst.uitleg == {"a": "niet gekozen: geen stemmen"}
    with pytest.raises(ValueError, match="unknown project"):
        tel(projecten, [frozenset({"b"})])
    with pytest.raises(ValueError, match="unique"):
        meeste_stemmen([Project("a", 1), Project("a", 2)], [], 10)
    with pytest.raises(ValueError):
        Project("a", 0)
    with pytest.raises(ValueError):
        meeste_stemmen(projecten, [], -1)


# --- agreement with pabutools ---------------------------------------------------------------

def _pabutools(projecten, profiel, budget, regel, *, add_one=True, aanvullen=True):
    """pabutools' outcome, on the ideas that have votes (ours never funds ideas without)."""
    from pabutools import election, rules
    gestemd = {i for stem in profiel for i in stem}
    pp = {p.id: election.Project(p.id, p.kosten) for p in projecten if p.id in gestemd}
    instance = election.Instance(pp.values(), budget_limit=budget)
    profile = election.ApprovalProfile(
        [election.ApprovalBallot([pp[i] for i in stem]) for stem in profiel])
    cost_sat = {"sat_class": election.Cost_Sat}
    if regel == "meeste_stemmen":
        uitkomst = rules.greedy_utilitarian_welfare(instance, profile, **cost_sat)
    else:
        mes = dict(cost_sat, voter_budget_increment=1) if add_one else cost_sat
        if aanvullen:
            uitkomst = rules.completion_by_rule_combination(
                instance, profile, [rules.method_of_equal_shares,
                                    rules.greedy_utilitarian_welfare], [mes, cost_sat])
        else:
            uitkomst = rules.method_of_equal_shares(instance, profile, **mes)
    return [p.name for p in uitkomst]


def _willekeurige_ronde(rng: random.Random):
    """Small rounds with many ties: few distinct costs, few voters, budgets of any size."""
    ids = list(dict.fromkeys(str(rng.randint(1, 25)) for _ in range(rng.randint(2, 9))))
    prijzen = [rng.choice([1, 2, 3, 5]) * rng.choice([1, 10, 100]) for _ in range(2)]
    projecten = [Project(i, rng.choice(prijzen) if rng.random() < 0.6 else rng.randint(1, 500))
                 for i in ids]
    profiel = [frozenset(rng.sample(ids, rng.randint(0, min(4, len(ids)))))
               for _ in range(rng.randint(0, 40))]
    budget = rng.randint(0, sum(p.kosten for p in projecten))
    return projecten, profiel, budget


VARIANTEN = [
    ("meeste_stemmen", {}),
    ("equal_shares", {"met_add_one": True, "aanvullen": True}),
    ("equal_shares", {"met_add_one": True, "aanvullen": False}),
    ("equal_shares", {"met_add_one": False, "aanvullen": True}),
    ("equal_shares", {"met_add_one": False, "aanvullen": False}),
]


@pytest.mark.parametrize(("regel", "opties"), VARIANTEN)
def test_zelfde_uitkomst_als_pabutools_op_willekeurige_rondes(regel, opties):
    rng = random.Random(2024)
    for _ in range(60):
        projecten, profiel, budget = _willekeurige_ronde(rng)
        if regel == "meeste_stemmen":
            ons = meeste_stemmen(projecten, profiel, budget)
            verwacht = _pabutools(projecten, profiel, budget, regel)
        else:
            ons = equal_shares(projecten, profiel, budget, **opties)
            verwacht = _pabutools(projecten, profiel, budget, regel,
                                  add_one=opties["met_add_one"], aanvullen=opties["aanvullen"])
        assert ons.gekozen == verwacht, (projecten, profiel, budget)  # same order too
        assert ons.over == budget - sum(p.kosten for p in projecten if p.id in ons.gekozen)


def _krappe_ronde(rng: random.Random):
    """Rounds where Add1 raises the share many times: tens of euros per ballot against ideas
    of a sixth to a half of the budget, few distinct costs (equal prices), ballots of a few
    kinds (voters with equal money) and some empty ballots."""
    ids = [f"{i:02d}" for i in rng.sample(range(1, 40), rng.randint(4, 10))]
    stemmers = rng.randint(8, 50)
    budget = stemmers * rng.randint(20, 200) + rng.randint(0, stemmers - 1)
    prijzen = [rng.choice([1, 2, 3, 5]) * budget // rng.choice([4, 6, 8, 10]) + 1
               for _ in range(3)]
    projecten = [Project(i, rng.choice(prijzen)) for i in ids]
    soorten = [frozenset(rng.sample(ids, rng.randint(1, min(4, len(ids))))) for _ in range(8)]
    profiel = [rng.choice(soorten) for _ in range(stemmers)] + [frozenset()] * rng.randint(0, 3)
    return projecten, profiel, budget


@pytest.mark.parametrize(("regel", "opties"), VARIANTEN[1:3])
def test_zelfde_uitkomst_als_pabutools_bij_veel_add1_stappen(regel, opties):
    rng = random.Random(8)
    stappen = []
    for _ in range(40):
        projecten, profiel, budget = _krappe_ronde(rng)
        ons = equal_shares(projecten, profiel, budget, **opties)
        assert ons.gekozen == _pabutools(projecten, profiel, budget, regel, add_one=True,
                                         aanvullen=opties["aanvullen"]), (
            projecten, profiel, budget)
        # How far Add1 raised the share: "tot € 41,25" against "€ 2,25" at the start.
        bedragen = [float(b.replace(".", "").replace(",", "."))
                    for b in re.findall(r"€ ([0-9.]+,[0-9]{2})", ons.toelichting)]
        stappen.append(round(bedragen[-1] - bedragen[0]))
    assert max(stappen) >= 100 and sum(s >= 5 for s in stappen) >= 15  # many reruns indeed


def test_add1_runs_die_knopen_delen_geven_wat_een_losse_run_geeft():
    """The engine reuses what runs with less money per voter found (mes.py, fact 2); every
    run must still equal the same run on a fresh engine and pabutools' MES, also when the
    money goes down."""
    rng = random.Random(11)
    for _ in range(25):
        projecten, profiel, budget = _krappe_ronde(rng)
        telling = _Telling(projecten, profiel, budget)
        gedeeld = Mes(telling.kosten, telling.groepen)
        eerste = Fraction(budget, len(profiel))
        delen = [eerste + k for k in range(0, 60, rng.choice([1, 1, 2, 7]))]
        delen += [eerste + 3, eerste + 80]  # back down, and a jump up
        for deel in delen:
            los = Mes(telling.kosten, telling.groepen).ronde(deel)
            samen = gedeeld.ronde(deel)
            assert (samen.gekozen, samen.prijs) == (los.gekozen, los.prijs), (deel, projecten)
            # and what pabutools buys when every ballot brings this share
            assert [telling.projecten[i].id for i in samen.gekozen] == _pabutools(
                projecten, profiel, deel * len(profiel), "equal_shares", add_one=False,
                aanvullen=False)
            for i in range(len(projecten)):
                assert gedeeld.geld_over(samen, i) == Mes(
                    telling.kosten, telling.groepen).geld_over(los, i)


def _echte_ronde(naam: str):
    bestand = lees((DATA / naam).read_text(encoding="utf-8"))
    return bestand, *projecten_en_stemmen(bestand)


@pytest.mark.parametrize("naam", ["poland_swiecie_2023_.pb",
                                  "poland_wieliczka_2023_green-budget.pb"])
def test_echte_equal_shares_rondes_zoals_pabutools(naam):
    bestand, projecten, profiel, budget = _echte_ronde(naam)
    ons = equal_shares(projecten, profiel, budget)
    assert ons.gekozen == _pabutools(projecten, profiel, budget, "equal_shares")
    gekozen_in_bestand = {r["project_id"] for r in bestand.projecten if r.get("selected") == "1"}
    if naam.startswith("poland_wieliczka"):
        # The official count differs from pabutools in three ideas (see data/pabulib/README).
        assert set(ons.gekozen) ^ gekozen_in_bestand == {"46", "66", "67"}


def test_echte_ronde_meeste_stemmen_zoals_de_uitslag_en_pabutools():
    bestand, projecten, profiel, budget = _echte_ronde("poland_warszawa_2024_bemowo.pb")
    ons = meeste_stemmen(projecten, profiel, budget)
    assert ons.gekozen == _pabutools(projecten, profiel, budget, "meeste_stemmen")
    assert set(ons.gekozen) == {r["project_id"] for r in bestand.projecten
                                if r["selected"] == "1"}
    assert ons.stemmen == {r["project_id"]: int(r["votes"]) for r in bestand.projecten}


def test_eigen_uitslagbestand_geeft_in_pabutools_dezelfde_uitkomst():
    from pabutools import election, rules
    from pabutools.election import pabulib
    rng = random.Random(7)
    projecten = [Project(f"{i:03d}", rng.choice([5000, 7500, 12000, 20000, 30000]))
                 for i in range(1, 16)]
    profiel = [frozenset(p.id for p in rng.sample(projecten, rng.randint(1, 5)))
               for _ in range(400)]
    ons = equal_shares(projecten, profiel, 100_000)
    bestand = PabulibBestand(
        meta={"description": "Buurtbudget De Noork", "country": "Netherlands",
              "unit": "Hengelo", "num_projects": str(len(projecten)),
              "num_votes": str(len(profiel)), "budget": "100000", "vote_type": "approval",
              "rule": "equalshares/add1"},
        projecten=[{"project_id": p.id, "cost": str(p.kosten), "votes": str(ons.stemmen[p.id]),
                    "name": f"Idee {p.id}; met puntkomma", "selected":
                    "1" if p.id in ons.gekozen else "0"} for p in projecten],
        stemmen=[{"voter_id": str(n), "vote": ",".join(sorted(stem))}
                 for n, stem in enumerate(profiel, start=1)],
    )
    tekst = schrijf(bestand)
    instance, profile = pabulib.parse_pabulib_from_string(tekst)
    cost_sat = {"sat_class": election.Cost_Sat}
    hun = rules.completion_by_rule_combination(
        instance, profile, [rules.method_of_equal_shares, rules.greedy_utilitarian_welfare],
        [dict(cost_sat, voter_budget_increment=1), cost_sat])
    assert [p.name for p in hun] == ons.gekozen
    hun_greedy = rules.greedy_utilitarian_welfare(instance, profile, **cost_sat)
    assert [p.name for p in hun_greedy] == meeste_stemmen(projecten, profiel, 100_000).gekozen
    assert lees(tekst) == bestand


def _gekozen_in_bestand(bestand) -> set[str]:
    return {r["project_id"] for r in bestand.projecten if r["selected"] == "1"}


def test_assen_top_idee_2024_mes_met_add1_zonder_aanvullen_zoals_de_uitslag():
    """Assen's youth round (equalshares/add1): its selection is MES with Add1 and nothing
    more. 84 ballots, from € 1.190,48 per ballot Add1 takes 843 steps."""
    bestand, projecten, profiel, budget = _echte_ronde("Netherlands_Assen_2024.pb")
    ons = equal_shares(projecten, profiel, budget, aanvullen=False)
    assert ons.gekozen == _pabutools(projecten, profiel, budget, "equal_shares",
                                     aanvullen=False)
    assert set(ons.gekozen) == _gekozen_in_bestand(bestand)
    assert ons.over == 23_300 and "tot € 2.033,48" in ons.toelichting
    # Spending the rest by votes would also fund RuBox (7, € 12.000), which Assen did not.
    aangevuld = equal_shares(projecten, profiel, budget)
    assert set(aangevuld.gekozen) - set(ons.gekozen) == {"7"}
    assert ons.stemmen == {r["project_id"]: int(r["votes"]) for r in bestand.projecten}


def test_assen_top_idee_2025_zoals_de_uitslag_met_en_zonder_aanvullen():
    bestand, projecten, profiel, budget = _echte_ronde("Netherlands_Assen_2025.pb")
    for aanvullen in (False, True):
        ons = equal_shares(projecten, profiel, budget, aanvullen=aanvullen)
        assert ons.gekozen == _pabutools(projecten, profiel, budget, "equal_shares",
                                         aanvullen=aanvullen)
        assert set(ons.gekozen) == _gekozen_in_bestand(bestand)


def test_amsterdam_rijnbuurt_west_2022_meeste_stemmen_zoals_de_uitslag():
    """An Amsterdam buurtbudget (rule greedy-custom: what is left goes to the next ideas that
    still fit, by votes): our meeste stemmen, pabutools' greedy rule and the official
    selection agree; two ideas cost € 1 (free in the original data, see the file)."""
    bestand, projecten, profiel, budget = _echte_ronde(
        "Netherlands_Amsterdam_2022_Rijnbuurt_West.pb")
    assert bestand.meta["leftover_budget"] == ("Fund additional projects that fit within "
                                               "leftover budget ordered by score")
    ons = meeste_stemmen(projecten, profiel, budget)
    assert ons.gekozen == _pabutools(projecten, profiel, budget, "meeste_stemmen")
    assert set(ons.gekozen) == _gekozen_in_bestand(bestand)
    assert ons.over == 198
    assert ons.stemmen == {r["project_id"]: int(r["votes"]) for r in bestand.projecten}
