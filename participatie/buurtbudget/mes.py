"""The Method of Equal Shares (cost utilities) and its Add1 completion, exact and fast enough
for real rounds with many Add1 steps. Used by :func:`regels.equal_shares`; no Flask, no database.

The rule, as pabutools' ``method_of_equal_shares`` with ``Cost_Sat``: every voter starts with
the same money ``d``. Repeatedly, of the ideas whose supporters together still have enough,
the idea is bought whose supporters can pay it with the lowest price per euro of cost, each
paying an equal share ``ρ`` or, if they have less, all they have; equal prices go to the lower
index (the lower id). Add1 (``voter_budget_increment=1``) runs this for ``d``, ``d + 1``,
``d + 2``, ... and stops at the first run whose outcome is exhaustive (it keeps that one) or
costs more than the budget (it keeps the one before), exactly as pabutools' loop does.

Money is exact: whole numbers of 1/N euro, where N grows when a share does not come out whole.
No floats anywhere.

Why this is fast. Three facts, each exact:

1. A voter who voted for the bought ideas K has ``max(0, d - Σ ρ_k)`` left (k over K): once a
   voter has paid all they had, they stay at 0. So voters who voted for the same bought ideas
   have the same money. Such a *pattern* (a bitmask of bought ideas) depends only on which
   ideas were bought, in which order, not on ``d`` or on the prices.
2. Along one order of purchases, every share ``ρ`` is non-increasing in ``d``, so what a
   pattern has spent, ``Σ ρ_k``, is too. (By induction over the purchases: more money per
   voter never raises a share, and a lower share never leaves a voter with less.)
3. A share only depends on the supporters who have less than it; all others pay it in full.

Add1's runs mostly buy the same ideas in the same order for a long stretch, so they share a
path of nodes, one per purchase. A node keeps, per idea priced there, its supporters' patterns
with their counts, sorted by an upper bound of what each pattern has spent: the shares of the
run that made the list (or of an earlier node's list), rounded up. By fact 2 that bound holds
in every later run along that path, since later runs have more money; by fact 3 the patterns
whose bound leaves them enough for the share need not be looked at. A price then costs the few
patterns that are short instead of every supporter, and a new run counts ballots again only
for the ideas it prices after it starts buying differently.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

# A price per euro of cost as an unreduced fraction (numerator, denominator).
_Prijs = tuple[int, int]


@dataclass
class MesRonde:
    """One run of MES: what it bought, in order, and the money it left.

    ``prijs`` holds, per bought idea, what each supporter paid at most (euros). ``pad`` is the
    bitmask of bought ideas; ``betaald`` what each bought idea cost a paying supporter, in
    units of 1/``noemer`` euro; ``geld`` each voter's starting money in those units.
    """

    gekozen: list[int]
    prijs: dict[int, Fraction]
    kosten: int
    pad: int
    betaald: list[int]
    noemer: int
    geld: int


# Spending bounds in the lists are whole numbers of 1/2**32 euro, rounded up: bounds from
# different runs (each with its own units) then add and compare directly, and rounding up
# keeps them bounds. They only decide which supporters are looked at, never a price.
_FIJN = 32


class _Lijst:
    """An idea's supporters at a node: patterns with their counts, the biggest spenders first.

    ``rijen`` holds (minus an upper bound of what the pattern has spent, the pattern, how
    many voters, its bought ideas), ascending. The bound holds in any run along this node's
    path from the one that made the list on (see :data:`_FIJN`); ``sleutels`` repeats it, so
    :func:`bisect_left` finds the patterns that may have spent more than a bound.
    """

    __slots__ = ("rijen", "sleutels")

    def __init__(self, rijen: list[tuple[int, int, int, tuple[int, ...]]]) -> None:
        rijen.sort()
        self.rijen = rijen
        self.sleutels = [r[0] for r in rijen]


class _Knoop:
    """Bought ideas in a fixed order (``pad``: their bitmask), shared by runs that buy so."""

    __slots__ = ("idee", "lijsten", "ouder", "pad", "volgende")

    def __init__(self, ouder: _Knoop | None = None, idee: int = -1) -> None:
        self.ouder, self.idee = ouder, idee  # the node before and the idea bought since
        self.pad = ouder.pad | 1 << idee if ouder is not None else 0
        self.lijsten: dict[int, _Lijst] = {}
        self.volgende: _Knoop | None = None  # only the latest run's next purchase


class _Run:
    """The money of one run: prices so far, in units of 1/noemer euro."""

    __slots__ = ("betaald", "geld", "noemer", "sleutels", "stap")

    def __init__(self, deel: Fraction, n: int) -> None:
        self.noemer = deel.denominator
        self.geld = deel.numerator  # each voter's starting money, in units
        self.betaald = [0] * n  # per bought idea: what a paying supporter paid, in units
        self.stap = [0] * n  # the same rounded up to 1/2**32 euro: the lists' bounds add these
        # pattern -> minus its spending in this run rounded up to 1/2**32 euro: the bound
        # for a list made now, the same all run long once its ideas are bought.
        self.sleutels: dict[int, int] = {}

    def schaal(self, factor: int) -> None:
        self.noemer *= factor
        self.geld *= factor
        self.betaald = [b * factor for b in self.betaald]


class Mes:
    """MES over counted ballots; one instance serves every run of an Add1 completion.

    ``stembiljetten`` holds the distinct non-empty ballots as (bitmask over idea indices,
    how many voters cast it). Runs must come with non-decreasing money per voter (as Add1's
    do); a smaller amount starts afresh.
    """

    def __init__(self, kosten: Sequence[int], stembiljetten: Sequence[tuple[int, int]]) -> None:
        self.kosten = list(kosten)
        n = len(self.kosten)
        self.stemmen = [0] * n
        # Per idea, the ballot of each of its voters (a ballot cast k times appears k times):
        # counting patterns is then one C-level pass, Counter(map(pad.__and__, ...)).
        self.kiezers: list[list[int]] = [[] for _ in range(n)]
        for masker, aantal in stembiljetten:
            m = masker
            while m:
                laag = m & -m
                i = laag.bit_length() - 1
                self.stemmen[i] += aantal
                self.kiezers[i].extend([masker] * aantal)
                m ^= laag
        self.actief = [i for i in range(n) if self.stemmen[i] > 0]
        self.aantal_kiezers = sum(aantal for masker, aantal in stembiljetten if masker)
        self._wortel = _Knoop()
        self._laatste: Fraction | None = None
        self._patronen: dict[int, tuple[int, ...]] = {}
        self._beide: dict[tuple[int, int], list[int]] = {}  # (i, k) -> ballots with both

    def ronde(self, deel: Fraction, grens: int | None = None) -> MesRonde | None:
        """One run of MES where every voter starts with ``deel`` euros.

        With ``grens``, gives up (returns None) as soon as the bought ideas cost more than it.
        """
        if self._laatste is None or deel < self._laatste:
            self._wortel = _Knoop()  # fact 2 only bounds runs with more money
        self._laatste = deel
        kosten = self.kosten
        run = _Run(deel, len(kosten))
        knoop = self._wortel
        over = set(self.actief) if deel > 0 and self.aantal_kiezers else set()
        # A lower bound on each idea's price per euro of cost: prices only rise during a run,
        # so an idea whose old price is already worse than the best new one need not be
        # priced again (pabutools does the same).
        oud: dict[int, _Prijs] = {i: (1, self.stemmen[i]) for i in over}
        benaderd = {i: _bij_benadering(oud[i]) for i in over}  # to sort by, kept with oud
        gekozen: list[int] = []
        prijs: dict[int, Fraction] = {}
        totaal = 0
        while over:
            beste: _Prijs | None = None
            beste_i = -1
            beste_drempel = beste_rest = 0
            onbetaalbaar: list[int] = []
            for i in sorted(over, key=lambda i: (benaderd[i], i)):
                if beste is not None and _kleiner(beste, oud[i]):
                    if benaderd[i] > benaderd[beste_i]:
                        break  # every idea after this one is worse still
                    continue
                gevonden = self._prijs(knoop, i, run)
                if gevonden is None:
                    onbetaalbaar.append(i)
                    continue
                drempel, rest = gevonden
                oud[i] = (drempel, rest * run.noemer * kosten[i])
                benaderd[i] = _bij_benadering(oud[i])
                if beste is None or _kleiner(oud[i], beste) or (
                        not _kleiner(beste, oud[i]) and i < beste_i):
                    beste, beste_i, beste_drempel, beste_rest = oud[i], i, drempel, rest
            over.difference_update(onbetaalbaar)
            if beste is None:
                break
            i = beste_i
            over.discard(i)
            gekozen.append(i)
            totaal += kosten[i]
            if grens is not None and totaal > grens:
                return None
            prijs[i] = Fraction(beste_drempel, beste_rest * run.noemer)
            # A paying supporter pays drempel/rest units; make the units small enough that
            # this is a whole number.
            deler = math.gcd(beste_drempel, beste_rest)
            if beste_rest // deler > 1:
                run.schaal(beste_rest // deler)
            run.betaald[i] = beste_drempel // deler
            run.stap[i] = -((-run.betaald[i] << _FIJN) // run.noemer)
            knoop = self._verder(knoop, i)
        return MesRonde(gekozen, prijs, totaal, knoop.pad, run.betaald, run.noemer, run.geld)

    @staticmethod
    def _verder(knoop: _Knoop, i: int) -> _Knoop:
        if knoop.volgende is None or knoop.volgende.idee != i:
            # Another purchase than the last run made here: its nodes further on are of no
            # use any more (runs only grow, and rarely go back to an order they left).
            knoop.volgende = _Knoop(knoop, i)
        return knoop.volgende

    def _ideeen(self, patroon: int) -> tuple[int, ...]:
        """The ideas in a pattern (kept: the same patterns come back in every run)."""
        ideeen = self._patronen.get(patroon)
        if ideeen is None:
            lijst = []
            rest = patroon
            while rest:
                laag = rest & -rest
                lijst.append(laag.bit_length() - 1)
                rest ^= laag
            ideeen = self._patronen[patroon] = tuple(lijst)
        return ideeen

    def _lijst(self, knoop: _Knoop, i: int, run: _Run) -> _Lijst:
        """Idea i's list at this node: from the nearest node before that has one, else counted.

        Spending bounds are sums of the runs' shares rounded up, each share from a run along
        this path no later than any run that uses the list: bounds by fact 2.
        """
        lijst = knoop.lijsten.get(i)
        if lijst is not None:
            return lijst
        eerder = knoop.ouder
        while eerder is not None and i not in eerder.lijsten:
            eerder = eerder.ouder
        bekend = run.sleutels
        if eerder is None or eerder.ouder is None:
            verschoven = Counter(map(knoop.pad.__and__, self.kiezers[i]))
            vorige = None
        else:
            # Only voters who voted for an idea bought since then have another pattern now.
            vorige = eerder.lijsten[i]
            sinds, pad = knoop.pad ^ eerder.pad, knoop.pad
            if eerder is knoop.ouder:  # one idea since: its voters who voted i too, kept
                beide = self._beide.get((i, knoop.idee))
                if beide is None:
                    beide = self._beide[i, knoop.idee] = [m for m in self.kiezers[i]
                                                          if m & sinds]
                verschoven = Counter(map(pad.__and__, beide))
            else:
                verschoven = Counter([m & pad for m in self.kiezers[i] if m & sinds])
        patronen = list(verschoven)
        sleutels = list(map(bekend.get, patronen))
        if None in sleutels:
            for j, sleutel in enumerate(sleutels):
                if sleutel is None:
                    patroon = patronen[j]
                    sleutels[j] = bekend[patroon] = -sum(map(run.stap.__getitem__,
                                                             self._ideeen(patroon)))
        rijen = list(zip(sleutels, patronen, verschoven.values(),
                         map(self._patronen.__getitem__, patronen), strict=True))
        if vorige is not None:
            weg: Counter[int] = Counter()
            for patroon, aantal in verschoven.items():
                weg[patroon & eerder.pad] += aantal
            rijen += [rij for rij in vorige.rijen if rij[1] not in weg]
            rijen += [(rij[0], rij[1], rij[2] - weg[rij[1]], rij[3]) for rij in vorige.rijen
                      if rij[1] in weg and rij[2] > weg[rij[1]]]
        lijst = knoop.lijsten[i] = _Lijst(rijen)
        return lijst

    def _prijs(self, knoop: _Knoop, i: int, run: _Run) -> tuple[int, int] | None:
        """What each supporter of idea i pays, as drempel/rest units; None if unaffordable.

        The smallest share that the supporters can pay when those who have less pay all they
        have: the share drempel/rest of the supporters who have at least that much, where
        drempel is the cost minus what the others pay. Voters with nothing left pay 0. This
        is pabutools' affordability with Cost_Sat; its price per euro of cost is this share
        divided by the cost. Supporters who had spent so little, in the run that built the
        list, that they surely have the share now are never looked at (fact 2).
        """
        lijst = self._lijst(knoop, i, run)
        sleutels, rijen = lijst.sleutels, lijst.rijen
        betaald = run.betaald.__getitem__
        geld, noemer = run.geld, run.noemer
        drempel = self.kosten[i] * noemer
        rest = self.stemmen[i]
        bekeken = 0
        open_: list[tuple[int, int]] = []  # (money, count) looked at, not yet short
        while True:
            # Surely able to pay the share: spent at most geld - drempel/rest units, i.e.
            # this many 1/2**32 euro (rounded down, so a bound of at most it is safe).
            tot = bisect_left(sleutels, -(((geld * rest - drempel) << _FIJN) // (rest * noemer)))
            if tot == bekeken and (not open_ or open_[0][0] * rest >= drempel):
                return drempel, rest
            if tot > bekeken:
                # Money left (negative: nothing left) of the patterns that may fall short.
                open_ += [(geld - sum(map(betaald, rij[3])), rij[2])
                          for rij in rijen[bekeken:tot]]
                open_.sort()
                bekeken = tot
            # Those with less than the share pay all they have; the share of the others
            # rises with each, so go from the poorest up until one can pay.
            kort = 0
            for over, aantal in open_:
                if over * rest >= drempel:
                    break
                if over > 0:
                    drempel -= over * aantal
                rest -= aantal
                kort += 1
            if rest == 0:
                return None
            del open_[:kort]

    def geld_over(self, ronde: MesRonde, i: int) -> Fraction:
        """What the supporters of idea ``i`` had left together at the end of ``ronde``."""
        betaald = ronde.betaald.__getitem__
        som = 0
        for patroon, aantal in Counter(map(ronde.pad.__and__, self.kiezers[i])).items():
            som += max(0, ronde.geld - sum(map(betaald, self._ideeen(patroon)))) * aantal
        return Fraction(som, ronde.noemer)


def add_one(mes: Mes, budget: int, aantal_stemmen: int,
            met_add_one: bool = True) -> tuple[MesRonde, Fraction, bool]:
    """MES from an equal share of ``budget`` per ballot, then Add1 as pabutools does it.

    Returns the run whose outcome stands, the share per voter it used, and whether Add1
    stopped because one euro more would have cost more than the budget.
    """
    deel = Fraction(budget, aantal_stemmen) if aantal_stemmen else Fraction(0)
    ronde = mes.ronde(deel)
    assert ronde is not None  # without a limit a run always finishes
    while met_add_one and not _uitgeput(mes, budget, ronde):
        volgende = mes.ronde(deel + 1, grens=budget)
        if volgende is None:
            return ronde, deel, True
        deel += 1
        ronde = volgende
    return ronde, deel, False


def _uitgeput(mes: Mes, budget: int, ronde: MesRonde) -> bool:
    """No idea with votes that MES left out would still fit in the budget."""
    over = budget - ronde.kosten
    return not any(mes.kosten[i] <= over for i in mes.actief if not ronde.pad >> i & 1)


def _kleiner(a: _Prijs, b: _Prijs) -> bool:
    """a < b."""
    return a[0] * b[1] < b[0] * a[1]


def _bij_benadering(a: _Prijs) -> int:
    """floor(a * 2**64): orders prices exactly wherever it differs (ties need _kleiner)."""
    return (a[0] << 64) // a[1]
