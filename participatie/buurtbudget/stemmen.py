"""Stemcodes and ballots: make codes for the letters, check a typed code, cast a ballot.

Only the keyed hash of a code is stored (`participatie.codes.hash_code`); the codes
themselves leave the system once, in the CSV for the mail merge. A ballot is tied to its
code's hash so that voting again replaces it; the database's unique constraint on the code
keeps it to one ballot however many requests race. Services flush; the view commits.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from participatie import audit, codes
from participatie.accounts.models import User
from participatie.buurtbudget.models import Budgetronde, Idee, Stem, Stemcode, StemKeuze
from participatie.buurtbudget.workflow import Fase, IdeeStatus, Stemwijze
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.tijd import vandaag
from participatie.web import getal, pad

log = logging.getLogger(__name__)
MAX_CODES = 100_000  # per request: a whole wijk's letters fit in a few runs
OP_DE_STEMLIJST = IdeeStatus.HAALBAAR


class StemFout(ActieGeweigerd):
    """A ballot that cannot be cast as sent; str(e) is Dutch, for the resident."""


def _sleutel() -> bytes:
    """STEMCODE_SLEUTEL, or else SECRET_KEY (then rotating that key voids the codes out)."""
    config = current_app.config
    return (config.get("STEMCODE_SLEUTEL") or config["SECRET_KEY"]).encode()


def maak_stemcodes(ronde: Budgetronde, aantal: int, *, buurt: Buurt | None,
                   door: User | None) -> list[str]:
    """Make `aantal` new codes for the round (optionally for one of its buurten); returns the
    codes themselves, which are not kept anywhere: the caller hands them out once (flushes)."""
    if not 1 <= aantal <= MAX_CODES:
        raise ActieGeweigerd(f"Maak 1 tot en met {MAX_CODES:,} codes tegelijk.".replace(",", "."))
    if ronde.fase_enum in (Fase.UITSLAG, Fase.UITVOERING):
        raise ActieGeweigerd("Het stemmen is voorbij; er kunnen geen codes meer bij.")
    if buurt is not None and ronde.buurten and buurt not in ronde.buurten:
        raise ActieGeweigerd(f"{buurt.naam} hoort niet bij het gebied van deze ronde.")
    if buurt is not None and buurt.wijk_code != ronde.wijk_code:
        raise ActieGeweigerd(f"{buurt.naam} ligt niet in de wijk van deze ronde.")
    sleutel, gemaakt = _sleutel(), {}
    while len(gemaakt) < aantal:
        code = codes.maak_code()
        gemaakt.setdefault(codes.hash_code(code, sleutel), code)
    nieuw = db.session.scalars(
        pg_insert(Stemcode).values([
            {"ronde_id": ronde.id, "code_hash": h, "buurt_code": buurt.code if buurt else None}
            for h in gemaakt]).on_conflict_do_nothing().returning(Stemcode.code_hash)).all()
    # A collision with an existing code (one in 1e10) just drops that code from the batch.
    uit = [gemaakt[h] for h in nieuw]
    audit.log("budgetronde.stemcodes", door=door, object_type="budgetronde", object_id=ronde.id,
              na={"aantal": len(uit), "buurt": buurt.code if buurt else None})
    return uit


def codes_csv(ronde: Budgetronde, uit: list[str], buurt: Buurt | None) -> str:
    """The codes for the mail merge, one row per letter, with the address to vote at."""
    schrijver = io.StringIO()
    regels = csv.writer(schrijver, delimiter=";")
    regels.writerow(["stemcode", "ronde", "buurt", "stemmen_op"])
    adres = current_app.config["PUBLIC_URL"] + pad("buurtbudget.stem", ronde=ronde.slug)
    for code in uit:
        regels.writerow([code, ronde.naam, buurt.naam if buurt else ronde.gebied, adres])
    return schrijver.getvalue()


def zoek_stemcode(ronde: Budgetronde, getypt: str) -> Stemcode:
    """The code of this round that the resident typed; StemFout with a Dutch message else.

    The check symbol catches a typo before any lookup; an unknown but well-formed code is
    logged (guessing), and the view's rate limit slows it down.
    """
    try:
        code = codes.controleer(getypt)
    except codes.CodeFout as fout:
        raise StemFout(str(fout)) from fout
    stemcode = db.session.scalar(select(Stemcode).where(
        Stemcode.code_hash == codes.hash_code(code, _sleutel())))
    if stemcode is None or stemcode.ronde_id != ronde.id:
        log.warning("onbekende stemcode voor ronde %s", ronde.slug)
        raise StemFout("Deze stemcode kennen wij niet voor deze ronde. Kijk of u de code uit "
                       "de brief voor deze ronde gebruikt.")
    return stemcode


def stemlijst(ronde: Budgetronde) -> list[Idee]:
    """The ideas on the ballot: the feasible ones, in id order."""
    return list(db.session.scalars(
        select(Idee).where(Idee.ronde_id == ronde.id, Idee.status == OP_DE_STEMLIJST.value)
        .order_by(Idee.id)))


@dataclass
class Keuze:
    """A resident's choice, checked against the round's ballot rule."""

    ideeen: list[Idee]

    @property
    def totaal(self) -> int:
        return sum(i.ballotkosten for i in self.ideeen)


def controleer_keuze(ronde: Budgetronde, idee_ids: Sequence[int],
                     op_lijst: list[Idee] | None = None) -> Keuze:
    """The chosen ideas if they fit the round's rule; StemFout saying what is wrong else."""
    op_lijst = op_lijst if op_lijst is not None else stemlijst(ronde)
    per_id = {i.id: i for i in op_lijst}
    gekozen = sorted(set(idee_ids))
    if not gekozen:
        raise StemFout("Kies minstens één idee.")
    if any(i not in per_id for i in gekozen):
        raise StemFout("U koos een idee dat niet op de stemlijst staat. Kies opnieuw.")
    keuze = Keuze([per_id[i] for i in gekozen])
    if ronde.stemwijze_enum == Stemwijze.BUDGET and keuze.totaal > ronde.budget:
        raise StemFout(f"Uw keuze kost € {getal(keuze.totaal)}; dat is meer dan het budget van "
                       f"€ {getal(ronde.budget)}. Haal een of meer ideeën weg.")
    if (ronde.stemwijze_enum == Stemwijze.KEUZE and ronde.max_keuzes
            and len(gekozen) > ronde.max_keuzes):
        raise StemFout(f"U mag hoogstens {ronde.max_keuzes} ideeën kiezen; u koos er "
                       f"{len(gekozen)}.")
    return keuze


def breng_uit(ronde: Budgetronde, stemcode: Stemcode, keuze: Keuze, *,
              papier: bool = False) -> bool:
    """Store the ballot of this code, replacing an earlier one; True when it replaced one.

    One INSERT ... ON CONFLICT on the code: the row lock it takes makes racing requests of
    the same code wait for each other, and the unique constraint leaves exactly one ballot.
    """
    # Lock the round's row against a phase change while the ballot goes in.
    fase = db.session.scalar(select(Budgetronde.fase).where(Budgetronde.id == ronde.id)
                             .with_for_update(read=True))
    if fase != Fase.STEMMEN.value:
        raise StemFout("Stemmen kan nu niet: de stemperiode is voorbij of nog niet begonnen.")
    stem_id, nieuw = db.session.execute(
        pg_insert(Stem).values(ronde_id=ronde.id, stemcode_id=stemcode.id,
                               buurt_code=stemcode.buurt_code, dag=vandaag(), papier=papier)
        .on_conflict_do_update(constraint="uq_stem_stemcode",
                               set_={"dag": vandaag(), "papier": papier})
        # xmax is 0 only for a row version this statement inserted, not one it updated.
        .returning(Stem.id, literal_column("xmax = 0"))
    ).one()
    db.session.execute(delete(StemKeuze).where(StemKeuze.stem_id == stem_id))
    db.session.execute(insert(StemKeuze), [{"stem_id": stem_id, "idee_id": i.id}
                                           for i in keuze.ideeen])
    db.session.expire_all()
    return not nieuw


@dataclass
class Opkomst:
    """Ballots cast against codes issued, in total and per buurt (None: codes for the whole
    area)."""

    stemmen: int = 0
    codes: int = 0
    per_buurt: dict[str | None, tuple[int, int]] = field(default_factory=dict)

    @property
    def procent(self) -> float | None:
        return 100 * self.stemmen / self.codes if self.codes else None


def opkomst(ronde: Budgetronde) -> Opkomst:
    codes = dict(db.session.execute(
        select(Stemcode.buurt_code, func.count()).where(Stemcode.ronde_id == ronde.id)
        .group_by(Stemcode.buurt_code)).all())
    stemmen = dict(db.session.execute(
        select(Stem.buurt_code, func.count()).where(Stem.ronde_id == ronde.id)
        .group_by(Stem.buurt_code)).all())
    uitkomst = Opkomst(stemmen=sum(stemmen.values()), codes=sum(codes.values()))
    for buurt in sorted(set(codes) | set(stemmen), key=lambda b: b or ""):
        uitkomst.per_buurt[buurt] = (stemmen.get(buurt, 0), codes.get(buurt, 0))
    return uitkomst
