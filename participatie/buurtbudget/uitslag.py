"""The outcome of a round: votes per idea, turnout, and which ideas the round's rule funds.

The rules themselves live in `buurtbudget.regels` (exact arithmetic, no database); this
module feeds them the ballots and fixes the outcome on the ideas (`Idee.gekozen`) when the
round moves to its uitslag, so that the published result never changes afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from participatie.buurtbudget import regels
from participatie.buurtbudget.models import Budgetronde, Idee, Stem, StemKeuze
from participatie.buurtbudget.stemmen import Opkomst, opkomst, stemlijst
from participatie.buurtbudget.workflow import Fase, Regel
from participatie.extensions import db


def project_id(idee_id: int) -> str:
    """An idea's id for the rules: zero-padded, so the tie-break order is the number order."""
    return f"{idee_id:07d}"


@dataclass
class UitslagRegel:
    idee: Idee
    stemmen: int
    aandeel: float  # share of voters, 0–100
    gekozen: bool
    uitleg: str
    per_buurt: dict[str | None, int] = field(default_factory=dict)


@dataclass
class Uitslag:
    ronde: Budgetronde
    uitkomst: regels.Uitkomst
    regels: list[UitslagRegel]
    opkomst: Opkomst
    stemmers: int

    @property
    def besteed(self) -> int:
        return self.ronde.budget - self.uitkomst.over


def stembiljetten(ronde: Budgetronde) -> list[tuple[frozenset[str], str | None, bool]]:
    """Every ballot as (approved project ids, buurt, paper); nothing else is kept."""
    keuzes: dict[int, set[str]] = defaultdict(set)
    for stem_id, idee_id in db.session.execute(
            select(StemKeuze.stem_id, StemKeuze.idee_id).join(Stem)
            .where(Stem.ronde_id == ronde.id)):
        keuzes[stem_id].add(project_id(idee_id))
    return [(frozenset(keuzes.get(stem_id, ())), buurt, papier)
            for stem_id, buurt, papier in db.session.execute(
                select(Stem.id, Stem.buurt_code, Stem.papier).where(Stem.ronde_id == ronde.id)
                .order_by(Stem.id))]


@dataclass(frozen=True)
class _Telling:
    """What the rule needs, without database objects, so it can be kept between requests."""

    uitkomst: regels.Uitkomst
    per_buurt: dict[str, dict[str | None, int]]
    stemmers: int


# Once voting is over the ballots cannot change, so neither can the outcome: it is computed
# once per process and round (the Method of Equal Shares takes most of a second for 15,000
# ballots, too much for every visitor of the uitslag page).
_VAST: dict[tuple, _Telling] = {}


def _tel(ronde: Budgetronde, projecten: list[regels.Project]) -> _Telling:
    biljetten = stembiljetten(ronde)
    stemmen = [b for b, _buurt, _papier in biljetten]
    if ronde.regel_enum == Regel.MES:
        uitkomst = regels.equal_shares(projecten, stemmen, ronde.budget,
                                       aanvullen=ronde.aanvullen)
    else:
        uitkomst = regels.meeste_stemmen(projecten, stemmen, ronde.budget)
    per_buurt: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for biljet, buurt, _papier in biljetten:
        for pid in biljet:
            per_buurt[pid][buurt] += 1
    return _Telling(uitkomst, {pid: dict(n) for pid, n in per_buurt.items()}, len(stemmen))


def bereken(ronde: Budgetronde) -> Uitslag:
    """Count the ballots and apply the round's rule (does not change anything)."""
    ideeen = stemlijst(ronde)
    projecten = [regels.Project(project_id(i.id), i.ballotkosten) for i in ideeen]
    # The ballots' count and last id in the key too: a restored or rebuilt database must never
    # be answered from a result of the data before.
    biljetten = db.session.execute(select(func.count(), func.max(Stem.id))
                                   .where(Stem.ronde_id == ronde.id)).one()
    sleutel = (ronde.id, ronde.regel, ronde.aanvullen, ronde.budget, tuple(projecten),
               tuple(biljetten))
    if ronde.fase_enum in (Fase.UITSLAG, Fase.UITVOERING) and sleutel in _VAST:
        telling = _VAST[sleutel]
    else:
        telling = _tel(ronde, projecten)
        if ronde.fase_enum in (Fase.UITSLAG, Fase.UITVOERING):
            _VAST[sleutel] = telling
    uitkomst = telling.uitkomst
    gekozen = set(uitkomst.gekozen)
    rijen = []
    for idee in ideeen:
        pid = project_id(idee.id)
        n = uitkomst.stemmen.get(pid, 0)
        rijen.append(UitslagRegel(
            idee=idee, stemmen=n, aandeel=100 * n / telling.stemmers if telling.stemmers else 0.0,
            gekozen=pid in gekozen, uitleg=uitkomst.uitleg.get(pid, ""),
            per_buurt=telling.per_buurt.get(pid, {})))
    volgorde = {pid: i for i, pid in enumerate(uitkomst.gekozen)}
    rijen.sort(key=lambda r: (not r.gekozen, volgorde.get(project_id(r.idee.id), 0),
                              -r.stemmen, r.idee.id))
    return Uitslag(ronde=ronde, uitkomst=uitkomst, regels=rijen, opkomst=opkomst(ronde),
                   stemmers=telling.stemmers)


def leg_vast(ronde: Budgetronde) -> Uitslag:
    """Mark the funded ideas (`Idee.gekozen`), once the round moves to its uitslag (flushes)."""
    uitslag = bereken(ronde)
    gekozen = [r.idee.id for r in uitslag.regels if r.gekozen]
    db.session.execute(update(Idee).where(Idee.ronde_id == ronde.id)
                       .values(gekozen=Idee.id.in_(gekozen)))
    db.session.expire_all()
    return uitslag
