"""Allocation rules for a buurtbudget round, in exact arithmetic, without Flask or a database.

Ballots are approval ballots: the set of idea ids a resident voted for (a "budget" ballot is
an approval ballot whose total cost was capped on the voting page; the rules do not care).

Two rules, both the same as pabutools (the academic reference, used in our tests only):

- :func:`meeste_stemmen` is pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat``: fund
  ideas in order of votes, skip one that no longer fits and go on (Amsterdam's practice).
- :func:`equal_shares` is pabutools' ``method_of_equal_shares`` with ``Cost_Sat`` and, with
  ``met_add_one``, ``voter_budget_increment=1`` (equalshares.net's "Add1" completion: every
  voter's share grows by one euro at a time while the outcome still fits the budget); with
  ``aanvullen`` the money left is then spent by :func:`meeste_stemmen` on what still fits, as
  pabutools' ``completion_by_rule_combination`` does.

Ties: ideas are compared on their id as Python compares strings, the lowest first. This is
pabutools' default (``lexico_tie_breaking``). Give ideas ids of equal length ("007", "012") and
that order is simply the number order.

One deliberate difference from pabutools: an idea without a single vote is never funded
(pabutools' greedy rule would fund it when money is left). In MES such ideas play no part in
pabutools either.

Speed: identical ballots are counted once, and MES with its Add1 runs lives in
:mod:`participatie.buurtbudget.mes`, which explains how the runs share their work. Money is
exact: :class:`fractions.Fraction` at the edges and, inside MES, whole numbers of 1/noemer euro
over a common denominator. No floats anywhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from participatie.buurtbudget.mes import Mes, add_one

MEESTE_STEMMEN = "meeste_stemmen"
EQUAL_SHARES = "equal_shares"

Stem = frozenset[str]


@dataclass(frozen=True)
class Project:
    """An idea on the ballot: its id (the tie-break key) and its cost in whole euros."""

    id: str
    kosten: int

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a project id must be a non-empty string, not {self.id!r}")
        if isinstance(self.kosten, bool) or not isinstance(self.kosten, int) or self.kosten <= 0:
            raise ValueError(f"project {self.id}: kosten must be whole euros above 0, "
                             f"not {self.kosten!r}")


@dataclass
class Uitkomst:
    """The outcome of a rule, with a plain Dutch reason per idea for the uitslag page.

    ``gekozen`` is in the order the rule chose; ``stemmen`` holds every idea (0 for none);
    ``over`` is the budget left; ``toelichting`` explains the rule's figures in one or two
    sentences (for MES: each voter's share).
    """

    regel: str
    budget: int
    gekozen: list[str]
    stemmen: dict[str, int]
    uitleg: dict[str, str]
    over: int
    volgorde_bij_gelijkspel: str
    toelichting: str = ""


# --- counting -------------------------------------------------------------------------------

class _Telling:
    """The ballots counted once: ideas in tie-break order, distinct ballots with their count."""

    def __init__(self, projecten: Sequence[Project], stemmen: Sequence[Iterable[str]],
                 budget: int) -> None:
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
            raise ValueError(f"budget must be whole euros, 0 or more, not {budget!r}")
        self.budget = budget
        self.projecten = sorted(projecten, key=lambda p: p.id)  # index order = tie-break order
        self.index = {p.id: i for i, p in enumerate(self.projecten)}
        if len(self.index) != len(self.projecten):
            dubbel = [i for i, n in Counter(p.id for p in self.projecten).items() if n > 1]
            raise ValueError(f"project ids must be unique: {', '.join(sorted(dubbel))}")
        self.kosten = [p.kosten for p in self.projecten]
        self.aantal_stemmen = len(stemmen)
        # Identical ballots once, as a bitmask over the projects, with how often they occur.
        self.groepen: list[tuple[int, int]] = []
        self.stemmen = [0] * len(self.projecten)
        for stem, aantal in Counter(map(frozenset, stemmen)).items():
            masker = 0
            for project_id in stem:
                i = self.index.get(project_id)
                if i is None:
                    raise ValueError(f"a ballot names an unknown project: {project_id!r}")
                masker |= 1 << i
                self.stemmen[i] += aantal
            if masker:
                self.groepen.append((masker, aantal))

    def stemmen_per_id(self) -> dict[str, int]:
        return {p.id: self.stemmen[i] for i, p in enumerate(self.projecten)}

    def volgens_stemmen(self) -> list[int]:
        """Ideas with at least one vote: most votes first, ties by id."""
        return sorted((i for i, v in enumerate(self.stemmen) if v > 0),
                      key=lambda i: (-self.stemmen[i], i))


def tel(projecten: Sequence[Project], stemmen: Sequence[Stem]) -> dict[str, int]:
    """Votes per idea (every idea, 0 for none). Raises ValueError on an unknown idea."""
    return _Telling(projecten, stemmen, 0).stemmen_per_id()


# --- meeste stemmen -------------------------------------------------------------------------

def _vul_aan(telling: _Telling, gekozen: list[int], over: int) -> tuple[list[int], int, set[int]]:
    """Fund by votes what still fits: the new choices, the money left, what did not fit."""
    erbij: list[int] = []
    paste_niet: set[int] = set()
    al = set(gekozen)
    for i in telling.volgens_stemmen():
        if i in al:
            continue
        if telling.kosten[i] <= over:
            erbij.append(i)
            over -= telling.kosten[i]
        else:
            paste_niet.add(i)
    return erbij, over, paste_niet


def meeste_stemmen(projecten: Sequence[Project], stemmen: Sequence[Stem],
                   budget: int) -> Uitkomst:
    """Fund ideas in order of votes; skip one that no longer fits and go on with the next.

    Equal votes: the lower id goes first. Ideas without votes are not funded.
    """
    telling = _Telling(projecten, stemmen, budget)
    gekozen, over, _ = _vul_aan(telling, [], budget)
    uitleg: dict[str, str] = {}
    gekozen_set = set(gekozen)
    volgorde = telling.volgens_stemmen()
    for positie, i in enumerate(volgorde):
        stemmen_i = telling.stemmen[i]
        if i in gekozen_set:
            uitleg[telling.projecten[i].id] = f"gekozen: {_stemmen(stemmen_i)}, past in het budget"
            continue
        voor = [j for j in volgorde[:positie] if j in gekozen_set]
        gelijk = any(telling.stemmen[j] == stemmen_i for j in voor)
        wie = "met meer of evenveel stemmen" if gelijk else "met meer stemmen"
        uitleg[telling.projecten[i].id] = (
            f"niet gekozen: {_stemmen(stemmen_i)}, past niet meer in het budget "
            f"na de ideeën {wie}")
    _geen_stemmen(telling, uitleg)
    return Uitkomst(
        regel=MEESTE_STEMMEN,
        budget=budget,
        gekozen=[telling.projecten[i].id for i in gekozen],
        stemmen=telling.stemmen_per_id(),
        uitleg=uitleg,
        over=over,
        volgorde_bij_gelijkspel=_gelijkspel(telling, MEESTE_STEMMEN),
        toelichting=(
            "De ideeën met de meeste stemmen krijgen als eerste geld. Past een idee niet meer "
            "in het budget, dan gaat het geld naar het volgende idee dat nog wel past."),
    )


# --- Method of Equal Shares -----------------------------------------------------------------

def equal_shares(projecten: Sequence[Project], stemmen: Sequence[Stem], budget: int, *,
                 aanvullen: bool = True, met_add_one: bool = True) -> Uitkomst:
    """The Method of Equal Shares with cost utilities, as pabutools and equalshares.net.

    Every ballot (empty ones too) gets an equal share of the budget. Repeatedly the idea is
    funded whose supporters can pay for it with the lowest price per euro of cost, each paying
    an equal part or, if they have less, all they have left; equal prices go to the lower id.
    With ``met_add_one`` each share is then raised by one euro at a time for as long as the
    outcome still fits the budget and some idea with votes still would fit; the last outcome
    that fits stands. With ``aanvullen`` what is left goes to :func:`meeste_stemmen` order.
    """
    telling = _Telling(projecten, stemmen, budget)
    mes = Mes(telling.kosten, telling.groepen)
    eerste_deel = Fraction(budget, telling.aantal_stemmen) if telling.aantal_stemmen else 0
    ronde, deel, te_duur = add_one(mes, budget, telling.aantal_stemmen, met_add_one)
    gekozen, prijs = ronde.gekozen, ronde.prijs
    over = budget - sum(telling.kosten[i] for i in gekozen)
    erbij: list[int] = []
    paste_niet: set[int] = set()
    if aanvullen:
        erbij, over, paste_niet = _vul_aan(telling, gekozen, over)

    uitleg: dict[str, str] = {}
    for i in gekozen:
        uitleg[telling.projecten[i].id] = (
            f"gekozen: {_stemmen(telling.stemmen[i])}; de stemmers op dit idee konden het samen "
            f"betalen uit hun gelijke deel van het budget (ieder hooguit {_euro(prijs[i])})")
    for i in erbij:
        uitleg[telling.projecten[i].id] = (
            f"gekozen bij het verdelen van het restbudget: {_stemmen(telling.stemmen[i])}, "
            "past nog in het budget")
    gekozen_alles = set(gekozen) | set(erbij)
    for i in telling.volgens_stemmen():
        if i in gekozen_alles:
            continue
        tekst = ("niet gekozen: de stemmers op dit idee hadden samen niet genoeg budget over "
                 f"(nog {_euro(mes.geld_over(ronde, i), centen=False)}, "
                 f"het kost {_euro(telling.kosten[i], centen=False)})")
        if i in paste_niet:
            tekst += "; ook in het restbudget paste het niet meer"
        uitleg[telling.projecten[i].id] = tekst
    _geen_stemmen(telling, uitleg)

    if telling.aantal_stemmen:
        toelichting = (f"Iedere stemmer kreeg een gelijk deel van het budget: "
                       f"{_euro(eerste_deel)}.")
        if deel != eerste_deel:
            toelichting += (" Om het budget zo goed mogelijk te gebruiken is dat deel met een "
                            f"euro per keer verhoogd, tot {_euro(deel)}.")
            if te_duur:
                toelichting += " Bij een nog groter deel zou het budget niet genoeg zijn."
            else:
                toelichting += " Toen paste er geen idee met stemmen meer in het budget."
        elif met_add_one and te_duur:
            toelichting += (" Een euro meer per stemmer zou al meer kosten dan het budget, "
                            "dus dat deel bleef zo.")
        if erbij:
            toelichting += " Het geld dat daarna over was, ging naar de ideeën met de meeste " \
                           "stemmen die nog pasten."
    else:
        toelichting = "Er is niet gestemd, dus er is niets gekozen."
    return Uitkomst(
        regel=EQUAL_SHARES,
        budget=budget,
        gekozen=[telling.projecten[i].id for i in [*gekozen, *erbij]],
        stemmen=telling.stemmen_per_id(),
        uitleg=uitleg,
        over=over,
        volgorde_bij_gelijkspel=_gelijkspel(telling, EQUAL_SHARES, aanvullen=aanvullen),
        toelichting=toelichting,
    )


# --- words ----------------------------------------------------------------------------------

def _stemmen(aantal: int) -> str:
    return "1 stem" if aantal == 1 else f"{aantal} stemmen"


def _geen_stemmen(telling: _Telling, uitleg: dict[str, str]) -> None:
    for i, p in enumerate(telling.projecten):
        if telling.stemmen[i] == 0:
            uitleg[p.id] = "niet gekozen: geen stemmen"
    # Keep the ideas in id order, as the rest of the page lists them.
    geordend = {p.id: uitleg[p.id] for p in telling.projecten}
    uitleg.clear()
    uitleg.update(geordend)


def _euro(bedrag: Fraction | int, centen: bool = True) -> str:
    """Dutch money: '€ 12.500' or '€ 3,04'. Cents are rounded up, whole euros down.

    Rounding up a price and down what is left keeps every sentence true ("ieder hooguit ...",
    "nog ... over").
    """
    if centen:
        in_centen = math.ceil(Fraction(bedrag) * 100)
        euro, cent = divmod(in_centen, 100)
        return f"€ {euro:,}".replace(",", ".") + f",{cent:02d}"
    return f"€ {math.floor(bedrag):,}".replace(",", ".")


def _gelijkspel(telling: _Telling, regel: str, aanvullen: bool = True) -> str:
    ids = [p.id for p in telling.projecten]
    if all(i.isdigit() for i in ids) and len({len(i) for i in ids}) <= 1:
        wie = "het idee met het laagste nummer"
        uitleg = ""
    else:
        wie = "het idee met de laagste code"
        uitleg = (" Codes vergelijken we teken voor teken, zoals in een woordenboek, met cijfers "
                  "vóór letters (daardoor komt 12 vóór 3).")
    if regel == MEESTE_STEMMEN:
        return f"Hebben ideeën evenveel stemmen, dan gaat {wie} voor.{uitleg}"
    zin = (f"Kunnen de stemmers twee ideeën even voordelig betalen, dan gaat {wie} voor.")
    if aanvullen:
        zin += f" Bij het verdelen van het restbudget gaat bij evenveel stemmen {wie} voor."
    return zin + uitleg
