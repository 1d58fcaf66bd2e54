"""Pabulib files: real rounds read and written back unchanged; bad files refused by line."""

from pathlib import Path

import pytest

from participatie.buurtbudget.pabulib import (
    PabulibBestand,
    PabulibFout,
    lees,
    projecten_en_stemmen,
    schrijf,
)
from participatie.buurtbudget.regels import Project

DATA = Path(__file__).parent / "data" / "pabulib"
ECHT = sorted(DATA.glob("*.pb"))

GOED = """META
key;value
description;Buurtbudget De Noork
num_projects;3
num_votes;4
budget;50000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name
1;20000;3;Bankjes bij de vijver
2;30000;2;"Speeltuin; met glijbaan"
3;15000;0;Bloembakken
VOTES
voter_id;vote
v1;1,2
v2;1
v3;2,1
v4;
"""


def test_echte_rondes_lezen_en_ongewijzigd_terugschrijven():
    assert len(ECHT) >= 3
    for pad in ECHT:
        bestand = lees(pad.read_text(encoding="utf-8"))
        assert bestand.meta["vote_type"] == "approval"
        assert len(bestand.projecten) == int(bestand.meta["num_projects"])
        assert len(bestand.stemmen) == int(bestand.meta["num_votes"])
        assert lees(schrijf(bestand)) == bestand


def test_projecten_en_stemmen_voor_de_regels():
    bestand = lees(GOED)
    assert bestand.projecten[1]["name"] == "Speeltuin; met glijbaan"
    projecten, stemmen, budget = projecten_en_stemmen(bestand)
    assert projecten == [Project("1", 20000), Project("2", 30000), Project("3", 15000)]
    assert stemmen == [frozenset({"1", "2"}), frozenset({"1"}), frozenset({"1", "2"}),
                       frozenset()]
    assert budget == 50000


def test_schrijven_quote_puntkomma_en_maakt_van_enters_spaties():
    bestand = lees(GOED)
    bestand.projecten[0]["name"] = "Bankjes\nbij de vijver"
    tekst = schrijf(bestand)
    assert '2;30000;2;"Speeltuin; met glijbaan"' in tekst
    assert lees(tekst).projecten[0]["name"] == "Bankjes bij de vijver"
    assert tekst.startswith("META\nkey;value\ndescription;Buurtbudget De Noork\n")


def test_pabutools_leest_wat_wij_schrijven():
    from pabutools.election import pabulib
    instance, profile = pabulib.parse_pabulib_from_string(schrijf(lees(GOED)))
    assert {p.name: int(p.cost) for p in instance} == {"1": 20000, "2": 30000, "3": 15000}
    assert [sorted(p.name for p in stem) for stem in profile] == [["1", "2"], ["1"],
                                                                 ["1", "2"], []]
    assert instance.budget_limit == 50000


def _fout(tekst: str) -> str:
    with pytest.raises(PabulibFout) as fout:
        lees(tekst)
    return str(fout.value)


def _vervang(oud: str, nieuw: str) -> str:
    assert oud in GOED
    return GOED.replace(oud, nieuw, 1)


@pytest.mark.parametrize(("oud", "nieuw", "melding"), [
    ("VOTES\n", "BALLOTS\n", "regel 14: onbekend onderdeel 'BALLOTS'"),
    ("1;20000;3;Bankjes bij de vijver", "1;20000;3",
     "regel 11: 3 velden, maar de kopregel van PROJECTS heeft er 4."),
    ("budget;50000\n", "",
     "regel 18 (einde van het bestand): META noemt geen budget."),
    ("project_id;cost;votes;name", "id;cost;votes;name",
     "regel 10: in de kopregel van PROJECTS ontbreekt project_id."),
    ("3;15000;0", "3;vijftien;0",
     "regel 13: de kosten 'vijftien' van project '3' zijn geen heel aantal euro's boven 0."),
    ("3;15000;0", "3;0;0", "regel 13: de kosten '0'"),
    ("v2;1\n", "v2;1,4\n",
     "regel 17: de stem noemt project '4', maar dat staat niet bij PROJECTS."),
    ("v3;2,1", "v1;2,1", "regel 18: kiezer 'v1' staat al op regel 16."),
    ("3;15000;0", "1;15000;0", "regel 13: project '1' staat al op regel 11."),
    ("v2;1\n", "v2;1,1\n", "regel 17: de stem noemt een project twee keer."),
    ("num_votes;4", "num_votes;5", "regel 5: num_votes is 5, maar het bestand heeft er 4."),
    ("budget;50000", "budget;50.000,00",
     "regel 6: het budget '50.000,00' is geen heel aantal euro's."),
    ("META\n", "", "regel 1: een pabulib-bestand begint met META."),
    ("PROJECTS\n", "", "regel 9: 4 velden, maar de kopregel van META heeft er 2."),
    ("VOTES\nvoter_id;vote\nv1;1,2\nv2;1\nv3;2,1\nv4;\n", "",
     "regel 13 (einde van het bestand): het onderdeel VOTES ontbreekt."),
    ("voter_id;vote", "voter_id;keuze", "regel 15: in de kopregel van VOTES ontbreekt vote."),
    ('"Speeltuin; met glijbaan"', '"Speeltuin; met glijbaan', "regel 12: deze regel is niet"),
])
def test_kapotte_bestanden_worden_geweigerd_met_het_regelnummer(oud, nieuw, melding):
    assert _fout(_vervang(oud, nieuw)).startswith(melding)


def test_onderdelen_in_de_verkeerde_volgorde_of_dubbel():
    assert _fout("PROJECTS\nproject_id;cost\n1;10\n").startswith(
        "regel 1: hier hoort het onderdeel META, niet PROJECTS.")
    assert _fout(GOED + "META\n").startswith("regel 20: het onderdeel META staat er twee keer in")
    assert _fout("META\nPROJECTS\n") == "regel 2: de kopregel van META ontbreekt."


def test_alleen_goedkeuringsstemmen_gaan_naar_de_regels():
    bestand = lees(GOED.replace("vote_type;approval", "vote_type;cumulative"))
    with pytest.raises(PabulibFout, match="'cumulative'"):
        projecten_en_stemmen(bestand)


def test_leeg_bestand_en_minimaal_bestand():
    assert _fout("") == "regel 0 (einde van het bestand): het onderdeel META ontbreekt."
    minimaal = PabulibBestand(meta={"budget": "0", "vote_type": "approval"})
    assert lees(schrijf(minimaal)) == minimaal
