"""Plain functions that read and change budgetrondes. They flush and log; the view commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from participatie import audit
from participatie.accounts.models import User
from participatie.buurtbudget import uitslag
from participatie.buurtbudget.models import Budgetronde, Idee, Stem
from participatie.buurtbudget.permissions import beheerbaar
from participatie.buurtbudget.workflow import PUBLIEK_IDEE, Fase, IdeeStatus, Regel, Stemwijze
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import slug_van

OBJECT = "budgetronde"


class RondeFout(ActieGeweigerd):
    """A round that cannot be made or changed as asked; str(e) is Dutch, for staff."""


def slug_voor(naam: str) -> str:
    """"Buurtbudget De Noork 2026" → "buurtbudget-de-noork-2026", unique among rounds."""
    basis = slug_van(naam) or "ronde"
    slug, n = basis, 2
    while db.session.scalar(select(exists().where(Budgetronde.slug == slug))):
        slug, n = f"{basis}-{n}", n + 1
    return slug


def ronde_voor_slug(slug: str) -> Budgetronde | None:
    if len(slug) > 80:
        return None
    return db.session.scalar(select(Budgetronde).where(Budgetronde.slug == slug).options(
        selectinload(Budgetronde.buurten), selectinload(Budgetronde.wijk)))


def snapshot(ronde: Budgetronde) -> dict:
    return {
        "naam": ronde.naam, "wijk": ronde.wijk_code,
        "buurten": [b.code for b in ronde.buurten], "budget": ronde.budget,
        "stemwijze": ronde.stemwijze, "max_keuzes": ronde.max_keuzes, "regel": ronde.regel,
        "aanvullen": ronde.aanvullen, "fase": ronde.fase,
        "data": [ronde.datum_van(f).isoformat() for f in Fase],
    }


@dataclass
class RondeGegevens:
    """What staff fill in for a round (the form's data, checked)."""

    naam: str
    wijk: Wijk
    buurten: list[Buurt]
    budget: int
    stemwijze: Stemwijze
    regel: Regel
    data: dict[Fase, date]
    uitleg: str = ""
    max_keuzes: int | None = None
    aanvullen: bool = True


def _controleer(gegevens: RondeGegevens) -> None:
    if any(b.wijk_code != gegevens.wijk.code for b in gegevens.buurten):
        raise RondeFout("Kies alleen buurten uit de gekozen wijk.")
    data = [gegevens.data[f] for f in Fase]
    if data != sorted(data):
        raise RondeFout("De data van de fasen moeten op volgorde staan: eerst indienen, dan "
                        "beoordelen, stemmen, uitslag en uitvoering.")
    if gegevens.stemwijze == Stemwijze.BUDGET and gegevens.max_keuzes:
        raise RondeFout("Een hoogste aantal keuzes hoort bij 'kies de ideeën die u steunt', "
                        "niet bij stemmen binnen het budget.")


def _zet(ronde: Budgetronde, gegevens: RondeGegevens) -> None:
    ronde.naam = gegevens.naam.strip()
    ronde.uitleg = gegevens.uitleg.strip()
    ronde.wijk_code = gegevens.wijk.code
    ronde.buurten = list(gegevens.buurten)
    ronde.budget = gegevens.budget
    ronde.stemwijze = gegevens.stemwijze.value
    ronde.max_keuzes = gegevens.max_keuzes
    ronde.regel = gegevens.regel.value
    ronde.aanvullen = gegevens.aanvullen
    for fase, dag in gegevens.data.items():
        setattr(ronde, f"{fase.value}_vanaf", dag)


def maak_ronde(gegevens: RondeGegevens, *, door: User | None) -> Budgetronde:
    """Create a round in its first phase (indienen); logs it (flushes)."""
    _controleer(gegevens)
    ronde = Budgetronde(slug=slug_voor(gegevens.naam), fase=Fase.INDIENEN.value)
    _zet(ronde, gegevens)
    db.session.add(ronde)
    db.session.flush()
    audit.log("budgetronde.nieuw", door=door, object_type=OBJECT, object_id=ronde.id,
              na=snapshot(ronde))
    return ronde


def wijzig_ronde(ronde: Budgetronde, gegevens: RondeGegevens, *, door: User) -> bool:
    """Change a round's settings; budget, ballot and rule are fixed once voting started."""
    _controleer(gegevens)
    voor = snapshot(ronde)
    vast = (gegevens.budget, gegevens.stemwijze.value, gegevens.max_keuzes, gegevens.regel.value,
            gegevens.aanvullen, gegevens.wijk.code, sorted(b.code for b in gegevens.buurten))
    nu = (ronde.budget, ronde.stemwijze, ronde.max_keuzes, ronde.regel, ronde.aanvullen,
          ronde.wijk_code, sorted(b.code for b in ronde.buurten))
    if vast != nu and heeft_stemmen(ronde):
        raise RondeFout("Er is al gestemd: gebied, budget, manier van stemmen en regel liggen "
                        "vast. Alleen naam, uitleg en data kunnen nog veranderen.")
    _zet(ronde, gegevens)
    na = snapshot(ronde)
    if na == voor:
        return False
    db.session.flush()
    audit.log("budgetronde.wijzig", door=door, object_type=OBJECT, object_id=ronde.id,
              voor=voor, na=na)
    return True


def heeft_stemmen(ronde: Budgetronde) -> bool:
    return bool(db.session.scalar(select(exists().where(Stem.ronde_id == ronde.id))))


def wijzig_fase(ronde: Budgetronde, naar: Fase, *, door: User | None) -> None:
    """Move the round to another phase, as the phase table allows (OngeldigeFase); logs it."""
    voor = ronde.fase
    # Lock the round, so a ballot cannot arrive between the check and the change.
    db.session.refresh(ronde, with_for_update=True)
    ronde.wijzig_fase(naar, heeft_stemmen=heeft_stemmen(ronde))
    db.session.flush()
    if naar == Fase.UITSLAG:
        uitslag.leg_vast(ronde)  # the published outcome never changes afterwards
    audit.log("budgetronde.fase", door=door, object_type=OBJECT, object_id=ronde.id,
              voor={"fase": voor}, na={"fase": ronde.fase})


def lopende_rondes() -> list[Budgetronde]:
    """Rounds residents can see: every round, newest first (finished ones stay as archive)."""
    return list(db.session.scalars(
        select(Budgetronde).order_by(Budgetronde.indienen_vanaf.desc(), Budgetronde.id.desc())
        .options(selectinload(Budgetronde.buurten), selectinload(Budgetronde.wijk))))


def rondes_van(user) -> list[Budgetronde]:
    """The rounds this user may manage."""
    return list(db.session.scalars(
        select(Budgetronde).where(beheerbaar(user, Budgetronde.wijk_code))
        .order_by(Budgetronde.indienen_vanaf.desc(), Budgetronde.id.desc())
        .options(selectinload(Budgetronde.buurten), selectinload(Budgetronde.wijk))))


def aantal_ideeen(ronde: Budgetronde) -> int:
    return db.session.scalar(select(func.count()).where(Idee.ronde_id == ronde.id)) or 0


@dataclass
class RondeInWijk:
    """A round as the public wijk page tells it: how many ideas came in, how many people
    voted, and the ideas it funded (with their updates loaded)."""

    ronde: Budgetronde
    ideeen: int
    stemmers: int
    gekozen: list[Idee] = field(default_factory=list)


def rondes_in_wijk(wijk_code: str) -> list[RondeInWijk]:
    """The wijk's rounds, newest first, for the public wijk page (wijkpagina reads it). Merged
    ideas count once; of the funded ideas only public ones are read (they always are: the
    ballot holds haalbare ideas only)."""
    rondes = list(db.session.scalars(
        select(Budgetronde).where(Budgetronde.wijk_code == wijk_code)
        .order_by(Budgetronde.indienen_vanaf.desc(), Budgetronde.id.desc())
        .options(selectinload(Budgetronde.buurten), selectinload(Budgetronde.wijk))))
    ids = [r.id for r in rondes]
    if not ids:
        return []
    ideeen = dict(db.session.execute(
        select(Idee.ronde_id, func.count()).where(
            Idee.ronde_id.in_(ids), Idee.status != IdeeStatus.SAMENGEVOEGD.value)
        .group_by(Idee.ronde_id)).all())
    stemmers = dict(db.session.execute(
        select(Stem.ronde_id, func.count()).where(Stem.ronde_id.in_(ids))
        .group_by(Stem.ronde_id)).all())
    uit = {r.id: RondeInWijk(r, ideeen.get(r.id, 0), stemmers.get(r.id, 0)) for r in rondes}
    for idee in db.session.scalars(
            select(Idee).where(Idee.ronde_id.in_(ids), Idee.gekozen,
                               Idee.status.in_([s.value for s in PUBLIEK_IDEE]))
            .order_by(Idee.id).options(selectinload(Idee.updates))):
        uit[idee.ronde_id].gekozen.append(idee)
    return list(uit.values())
