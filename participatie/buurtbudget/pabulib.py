"""The pabulib file format (pabulib.org/format): read, write, and turn into rules' input.

A file has three sections, in this order, each a line with its name and then a header row:

    META                      PROJECTS                   VOTES
    key;value                 project_id;cost;...        voter_id;vote;...
    budget;50000              1;12000;...                v1;1,3
    vote_type;approval        ...                        ...

Fields are separated by ``;`` (quoted with ``"`` when a value holds a ``;``, as Python's csv
module and pabutools read them); a vote lists project ids separated by ``,``. Blank lines are
ignored and section names may be in any case. :func:`lees` checks everything the rules and
the import rely on and refuses the whole file with a Dutch message naming the line otherwise;
nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from participatie.buurtbudget.regels import Project, Stem

SECTIES = ("META", "PROJECTS", "VOTES")
KOLOMMEN = {  # columns each section's header row must have
    "META": ("key", "value"),
    "PROJECTS": ("project_id", "cost"),
    "VOTES": ("voter_id", "vote"),
}
META_VERPLICHT = ("budget", "vote_type")
GOEDKEURING = ("approval", "choose-1")  # ballot types that are sets of approved ideas
_GEHEEL = re.compile(r"[0-9]+")


class PabulibFout(ValueError):
    """A file that is not a usable pabulib file; the message is Dutch and names the line."""


@dataclass
class PabulibBestand:
    """A pabulib file as text values, in file order: META as a dict, one dict per row."""

    meta: dict[str, str] = field(default_factory=dict)
    projecten: list[dict[str, str]] = field(default_factory=list)
    stemmen: list[dict[str, str]] = field(default_factory=list)


def _regels(tekst: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank line."""
    for nummer, regel in enumerate(tekst.lstrip("\ufeff").splitlines(), start=1):
        if not regel.strip():
            continue
        try:
            velden = next(csv.reader([regel], delimiter=";", strict=True))
        except csv.Error as fout:
            raise PabulibFout(f"regel {nummer}: deze regel is niet te lezen ({fout}).") from fout
        yield nummer, [veld.strip() for veld in velden]


def lees(tekst: str) -> PabulibBestand:
    """Read a pabulib file; raises :class:`PabulibFout` ("regel 17: ...") if it is malformed.

    Checks: sections META, PROJECTS, VOTES each once and in that order, each with a header
    row holding its required columns; every row as many fields as its header; no key, project
    id or voter id twice; budget and costs whole euros (costs above 0); votes naming only
    known projects, each at most once; num_projects and num_votes, if given, matching.
    """
    bestand = PabulibBestand()
    sectie: str | None = None
    kop: list[str] | None = None  # None right after a section line: the header comes next
    gezien: list[str] = []
    project_regel: dict[str, int] = {}
    kiezer_regel: dict[str, int] = {}
    meta_regel: dict[str, int] = {}
    laatste = 0
    for nummer, velden in _regels(tekst):
        laatste = nummer
        if len(velden) == 1 and velden[0].upper() in SECTIES:
            naam = velden[0].upper()
            verwacht = SECTIES[len(gezien)] if len(gezien) < len(SECTIES) else None
            if sectie is not None and kop is None:
                raise PabulibFout(f"regel {nummer}: de kopregel van {sectie} ontbreekt.")
            if naam in gezien:
                raise PabulibFout(f"regel {nummer}: het onderdeel {naam} staat er twee keer in.")
            if naam != verwacht:
                raise PabulibFout(f"regel {nummer}: hier hoort het onderdeel {verwacht}, "
                                  f"niet {naam}.")
            gezien.append(naam)
            sectie, kop = naam, None
            continue
        if sectie is None:
            raise PabulibFout(f"regel {nummer}: een pabulib-bestand begint met META.")
        if len(velden) == 1 and re.fullmatch(r"[A-Z_]+", velden[0]) and kop is not None \
                and len(kop) > 1:
            raise PabulibFout(f"regel {nummer}: onbekend onderdeel '{velden[0]}' "
                              "(alleen META, PROJECTS en VOTES bestaan).")
        if kop is None:
            ontbreekt = [k for k in KOLOMMEN[sectie] if k not in velden]
            if ontbreekt:
                raise PabulibFout(f"regel {nummer}: in de kopregel van {sectie} ontbreekt "
                                  f"{' en '.join(ontbreekt)}.")
            dubbel = sorted({v for v in velden if velden.count(v) > 1})
            if dubbel or "" in velden:
                raise PabulibFout(f"regel {nummer}: de kopregel van {sectie} heeft een lege of "
                                  f"dubbele kolomnaam ({', '.join(dubbel) or 'leeg'}).")
            kop = velden
            continue
        if len(velden) != len(kop):
            raise PabulibFout(f"regel {nummer}: {len(velden)} velden, maar de kopregel van "
                              f"{sectie} heeft er {len(kop)}.")
        rij = dict(zip(kop, velden, strict=True))
        if sectie == "META":
            sleutel, waarde = rij["key"], rij["value"]
            if not sleutel:
                raise PabulibFout(f"regel {nummer}: een META-regel zonder naam.")
            if sleutel in meta_regel:
                raise PabulibFout(f"regel {nummer}: '{sleutel}' staat al op regel "
                                  f"{meta_regel[sleutel]}.")
            meta_regel[sleutel] = nummer
            if sleutel == "budget" and not _GEHEEL.fullmatch(waarde):
                raise PabulibFout(f"regel {nummer}: het budget '{waarde}' is geen heel aantal "
                                  "euro's.")
            bestand.meta[sleutel] = waarde
        elif sectie == "PROJECTS":
            project_id, kosten = rij["project_id"], rij["cost"]
            if not project_id or "," in project_id:
                raise PabulibFout(f"regel {nummer}: een project heeft een lege code of een "
                                  f"komma in de code ('{project_id}').")
            if project_id in project_regel:
                raise PabulibFout(f"regel {nummer}: project '{project_id}' staat al op regel "
                                  f"{project_regel[project_id]}.")
            if not _GEHEEL.fullmatch(kosten) or int(kosten) == 0:
                raise PabulibFout(f"regel {nummer}: de kosten '{kosten}' van project "
                                  f"'{project_id}' zijn geen heel aantal euro's boven 0.")
            project_regel[project_id] = nummer
            bestand.projecten.append(rij)
        else:
            kiezer = rij["voter_id"]
            if not kiezer:
                raise PabulibFout(f"regel {nummer}: een stem zonder voter_id.")
            if kiezer in kiezer_regel:
                raise PabulibFout(f"regel {nummer}: kiezer '{kiezer}' staat al op regel "
                                  f"{kiezer_regel[kiezer]}.")
            kiezer_regel[kiezer] = nummer
            keuzes = [k.strip() for k in rij["vote"].split(",")] if rij["vote"] else []
            for keuze in keuzes:
                if keuze not in project_regel:
                    raise PabulibFout(f"regel {nummer}: de stem noemt project '{keuze}', "
                                      "maar dat staat niet bij PROJECTS.")
            if len(set(keuzes)) != len(keuzes):
                raise PabulibFout(f"regel {nummer}: de stem noemt een project twee keer.")
            rij["vote"] = ",".join(keuzes)
            bestand.stemmen.append(rij)
    einde = f"regel {laatste} (einde van het bestand)"
    for naam in SECTIES:
        if naam not in gezien:
            raise PabulibFout(f"{einde}: het onderdeel {naam} ontbreekt.")
    if kop is None:
        raise PabulibFout(f"{einde}: de kopregel van VOTES ontbreekt.")
    for sleutel in META_VERPLICHT:
        if sleutel not in bestand.meta:
            raise PabulibFout(f"{einde}: META noemt geen {sleutel}.")
    for sleutel, aantal in (("num_projects", len(bestand.projecten)),
                            ("num_votes", len(bestand.stemmen))):
        if sleutel in bestand.meta and bestand.meta[sleutel] != str(aantal):
            raise PabulibFout(f"regel {meta_regel[sleutel]}: {sleutel} is "
                              f"{bestand.meta[sleutel]}, maar het bestand heeft er {aantal}.")
    return bestand


def schrijf(bestand: PabulibBestand) -> str:
    """The file as text; ``lees(schrijf(b)) == b`` for every ``b`` that :func:`lees` returns.

    Columns come from the first row of each section (then any others, in order of appearance;
    a row without one gets an empty field). Line breaks inside a value become spaces, because
    pabulib readers read line by line. Values holding ``;`` or ``"`` are quoted.
    """
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\n")

    def rijen(naam: str, kop: list[str], rijen: list[dict[str, str]]) -> None:
        uit.write(naam + "\n")
        schrijver.writerow(kop)
        for rij in rijen:
            schrijver.writerow([_een_regel(rij.get(k, "")) for k in kop])

    rijen("META", ["key", "value"], [{"key": k, "value": v} for k, v in bestand.meta.items()])
    rijen("PROJECTS", _kolommen(bestand.projecten, KOLOMMEN["PROJECTS"]), bestand.projecten)
    rijen("VOTES", _kolommen(bestand.stemmen, KOLOMMEN["VOTES"]), bestand.stemmen)
    return uit.getvalue()


def _kolommen(rijen: list[dict[str, str]], verplicht: tuple[str, ...]) -> list[str]:
    kolommen = dict.fromkeys(verplicht) if not rijen else {}
    for rij in rijen:
        kolommen.update(dict.fromkeys(rij))
    return list(kolommen)


def _een_regel(waarde: str) -> str:
    return " ".join(str(waarde).splitlines()) if waarde else ""


def projecten_en_stemmen(bestand: PabulibBestand) -> tuple[list[Project], list[Stem], int]:
    """The projects, the approval ballots and the budget, ready for the rules.

    Only approval-type files ("approval", "choose-1") have ballots that are sets of ideas;
    other vote types raise :class:`PabulibFout`.
    """
    soort = bestand.meta.get("vote_type", "")
    if soort not in GOEDKEURING:
        raise PabulibFout(f"Dit bestand heeft stemmen van het soort '{soort}'. Alleen "
                          f"{' en '.join(GOEDKEURING)} (een stem is een keuze uit ideeën) "
                          "kunnen we inlezen.")
    try:
        budget = int(bestand.meta["budget"])
        projecten = [Project(rij["project_id"], int(rij["cost"])) for rij in bestand.projecten]
    except (KeyError, ValueError) as fout:
        raise PabulibFout(f"Het bestand is niet compleet of niet juist: {fout}.") from fout
    stemmen = [frozenset(rij["vote"].split(",")) if rij.get("vote") else frozenset()
               for rij in bestand.stemmen]
    bekend = {p.id for p in projecten}
    for stem in stemmen:
        onbekend = stem - bekend
        if onbekend:
            raise PabulibFout(f"Een stem noemt een onbekend project: {sorted(onbekend)[0]}.")
    return projecten, stemmen, budget
