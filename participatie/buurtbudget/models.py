"""Budgetrondes, their ideas, stemcodes and ballots.

A ballot (`Stem`) is tied to the hash of the stemcode that cast it, so voting again replaces
it; it carries the buurt of the code (for turnout per buurt), the day (never a finer time),
and whether it came in on paper. Nothing else about the voter is stored.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.accounts.models import User
from participatie.buurtbudget.workflow import (
    FASE_TRANSITIES,
    PUBLIEK_IDEE,
    TOELICHTING_OPENBAAR,
    Fase,
    IdeeStatus,
    Regel,
    Stemwijze,
    controleer_fase,
    controleer_idee,
)
from participatie.extensions import db, sql_lijst
from participatie.gebieden.models import SRID, Buurt, Wijk
from participatie.moderatie.zoeken import CONFIGURATIE

ronde_buurt = Table(
    "budgetronde_buurt",
    db.metadata,
    Column("ronde_id", ForeignKey("budgetronde.id", ondelete="CASCADE"), primary_key=True),
    Column("buurt_code", ForeignKey("buurt.code"), primary_key=True),
)


class Budgetronde(db.Model):
    __tablename__ = "budgetronde"
    __table_args__ = (
        CheckConstraint(f"fase IN ({sql_lijst(Fase)})", name="budgetronde_fase"),
        CheckConstraint(f"stemwijze IN ({sql_lijst(Stemwijze)})", name="budgetronde_stemwijze"),
        CheckConstraint(f"regel IN ({sql_lijst(Regel)})", name="budgetronde_regel"),
        CheckConstraint("budget > 0", name="budgetronde_budget_positief"),
        CheckConstraint("max_keuzes IS NULL OR max_keuzes > 0", name="budgetronde_max_keuzes"),
        CheckConstraint(
            "indienen_vanaf <= beoordelen_vanaf AND beoordelen_vanaf <= stemmen_vanaf "
            "AND stemmen_vanaf <= uitslag_vanaf AND uitslag_vanaf <= uitvoering_vanaf",
            name="budgetronde_data_op_volgorde",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)  # /buurtbudget/<slug>
    naam: Mapped[str] = mapped_column(String(120))
    uitleg: Mapped[str] = mapped_column(Text, default="")
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"), index=True)
    budget: Mapped[int] = mapped_column(Integer)  # whole euros
    stemwijze: Mapped[str] = mapped_column(String(10), default=Stemwijze.BUDGET)
    max_keuzes: Mapped[int | None] = mapped_column(Integer)  # keuze: at most N (None: any)
    regel: Mapped[str] = mapped_column(String(20), default=Regel.MEESTE_STEMMEN)
    # Method of Equal Shares: spend what is left by most votes on what still fits.
    aanvullen: Mapped[bool] = mapped_column(Boolean, default=True)
    fase: Mapped[str] = mapped_column(String(12), default=Fase.INDIENEN)
    indienen_vanaf: Mapped[date] = mapped_column(Date)
    beoordelen_vanaf: Mapped[date] = mapped_column(Date)
    stemmen_vanaf: Mapped[date] = mapped_column(Date)
    uitslag_vanaf: Mapped[date] = mapped_column(Date)
    uitvoering_vanaf: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    wijk: Mapped[Wijk] = relationship()
    buurten: Mapped[list[Buurt]] = relationship(secondary=ronde_buurt, order_by="Buurt.code")
    ideeen: Mapped[list[Idee]] = relationship(back_populates="ronde", order_by="Idee.id")

    @property
    def fase_enum(self) -> Fase:
        return Fase(self.fase)

    @property
    def stemwijze_enum(self) -> Stemwijze:
        return Stemwijze(self.stemwijze)

    @property
    def regel_enum(self) -> Regel:
        return Regel(self.regel)

    @property
    def gebied(self) -> str:
        """"De Noork, Hasseler Es" or "wijk Noord", for people."""
        if self.buurten:
            return ", ".join(b.naam for b in self.buurten)
        return f"wijk {self.wijk.korte_naam}"

    def datum_van(self, fase: Fase) -> date:
        return getattr(self, f"{fase.value}_vanaf")

    def volgende_fasen(self) -> list[Fase]:
        return [f for f in Fase if f in FASE_TRANSITIES[self.fase_enum]]

    def wijzig_fase(self, naar: Fase, *, heeft_stemmen: bool) -> None:
        """Move to `naar` if the phase table allows it (OngeldigeFase otherwise)."""
        controleer_fase(self.fase_enum, naar, heeft_stemmen=heeft_stemmen)
        self.fase = naar.value


# An idea's text as the inbox searches it (migration 0015 has the same expression).
ZOEKTEKST = (f"to_tsvector('{CONFIGURATIE}'::regconfig, titel || ' ' || omschrijving || ' ' "
             "|| locatie_tekst)")


def nieuw_token() -> str:
    return secrets.token_urlsafe(32)


class Idee(db.Model):
    __tablename__ = "idee"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_lijst(IdeeStatus)})", name="idee_status"),
        CheckConstraint("kosten_schatting >= 0", name="idee_schatting"),
        CheckConstraint("kosten IS NULL OR kosten > 0", name="idee_kosten"),
        CheckConstraint("length(trim(titel)) > 0", name="idee_titel"),
        Index("ix_idee_ronde_status", "ronde_id", "status"),
        Index("ix_idee_wijk_created", "wijk_code", "created_at", "id"),
        # The inbox's search (moderatie.zoeken), with the wijk beside the words as for meldingen.
        Index("ix_idee_zoek", "zoek_tsv", "wijk_code", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(ForeignKey("budgetronde.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True, default=nieuw_token)
    titel: Mapped[str] = mapped_column(String(120))
    omschrijving: Mapped[str] = mapped_column(Text)
    kosten_schatting: Mapped[int] = mapped_column(Integer)  # the resident's estimate
    kosten: Mapped[int | None] = mapped_column(Integer)  # the gemeente's: on the ballot
    locatie: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=SRID))
    # Where, in words: for residents without a map (no JavaScript) or as extra detail.
    locatie_tekst: Mapped[str] = mapped_column(String(300), default="", server_default="")
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"))
    buurt_code: Mapped[str | None] = mapped_column(ForeignKey("buurt.code"))
    status: Mapped[str] = mapped_column(String(20), default=IdeeStatus.INGEDIEND)
    # The public explanation of the latest decision (feasibility, rejection, question).
    toelichting: Mapped[str] = mapped_column(Text, default="")
    foto_bestand: Mapped[str | None] = mapped_column(String(80))
    foto_thumbnail: Mapped[str | None] = mapped_column(String(80))
    samengevoegd_met_id: Mapped[int | None] = mapped_column(ForeignKey("idee.id"))
    # The submitter answered a question; staff should look again (the inbox's segment 0).
    # Any staff decision on the idea clears it.
    antwoord_ontvangen: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default="false")
    # Set when the round's outcome is fixed (the move to uitslag): funded by the rule.
    gekozen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    zoek_tsv: Mapped[str | None] = mapped_column(
        TSVECTOR, Computed(ZOEKTEKST, persisted=True), deferred=True)

    ronde: Mapped[Budgetronde] = relationship(back_populates="ideeen")
    buurt: Mapped[Buurt | None] = relationship()
    samengevoegd_met: Mapped[Idee | None] = relationship(remote_side="Idee.id")
    updates: Mapped[list[IdeeUpdate]] = relationship(
        back_populates="idee", order_by="IdeeUpdate.id", cascade="all, delete-orphan")
    volgers: Mapped[list[IdeeVolger]] = relationship(
        back_populates="idee", order_by="IdeeVolger.id", cascade="all, delete-orphan")

    @property
    def status_enum(self) -> IdeeStatus:
        return IdeeStatus(self.status)

    @property
    def nummer(self) -> str:
        return f"I-{self.id}"

    @property
    def is_publiek(self) -> bool:
        return self.status_enum in PUBLIEK_IDEE

    @property
    def openbare_toelichting(self) -> str:
        """The explanation residents read: only that of a public decision (a question to
        the submitter, say, stays off the public page)."""
        return self.toelichting if self.status_enum in TOELICHTING_OPENBAAR else ""

    @property
    def ballotkosten(self) -> int:
        """What the idea costs on the ballot: the gemeente's estimate once there is one."""
        return self.kosten if self.kosten is not None else self.kosten_schatting

    def wijzig_status(self, naar: IdeeStatus, toelichting: str = "") -> None:
        """Move to `naar` if the table allows it (OngeldigeIdeeOvergang otherwise)."""
        controleer_idee(self.status_enum, naar, toelichting)
        self.status = naar.value
        if toelichting.strip():
            self.toelichting = toelichting.strip()


class IdeeUpdate(db.Model):
    """A public line in an idea's history: a decision, an answer, or progress in uitvoering."""

    __tablename__ = "idee_update"
    __table_args__ = (
        CheckConstraint("voortgang IS NULL OR voortgang BETWEEN 0 AND 100",
                        name="idee_update_voortgang"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idee_id: Mapped[int] = mapped_column(ForeignKey("idee.id", ondelete="CASCADE"), index=True)
    # status, vraag, antwoord, samenvoeging (on the idea merged into), voortgang
    soort: Mapped[str] = mapped_column(String(20))
    # The idea's new status; for voortgang the stand of the work (workflow.UitvoeringStand).
    status: Mapped[str | None] = mapped_column(String(20))
    tekst: Mapped[str] = mapped_column(Text, default="")
    publiek: Mapped[bool] = mapped_column(Boolean, default=True)
    voortgang: Mapped[int | None] = mapped_column(Integer)  # percent, during uitvoering
    foto_bestand: Mapped[str | None] = mapped_column(String(80))
    foto_thumbnail: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    idee: Mapped[Idee] = relationship(back_populates="updates")
    user: Mapped[User | None] = relationship()


class IdeeVolger(db.Model):
    """An e-mail address that gets the idea's news: its submitter, or a resident who asked."""

    __tablename__ = "idee_volger"
    __table_args__ = (UniqueConstraint("idee_id", "email", name="uq_idee_volger"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idee_id: Mapped[int] = mapped_column(ForeignKey("idee.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    indiener: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    idee: Mapped[Idee] = relationship(back_populates="volgers")


class Stemcode(db.Model):
    """A code from a letter: only its keyed hash is kept; the code itself went to the printer."""

    __tablename__ = "stemcode"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(ForeignKey("budgetronde.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    buurt_code: Mapped[str | None] = mapped_column(ForeignKey("buurt.code"))
    aangemaakt_op: Mapped[date] = mapped_column(Date, server_default=func.current_date())


class Stem(db.Model):
    """One ballot. The unique constraint on the code is what keeps one code to one ballot,
    however many requests race for it."""

    __tablename__ = "stem"
    __table_args__ = (
        UniqueConstraint("stemcode_id", name="uq_stem_stemcode"),
        Index("ix_stem_ronde", "ronde_id", "buurt_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(ForeignKey("budgetronde.id"))
    stemcode_id: Mapped[int] = mapped_column(ForeignKey("stemcode.id"))
    buurt_code: Mapped[str | None] = mapped_column(ForeignKey("buurt.code"))
    dag: Mapped[date] = mapped_column(Date)  # never a finer time
    papier: Mapped[bool] = mapped_column(Boolean, default=False)

    keuzes: Mapped[list[StemKeuze]] = relationship(
        back_populates="stem", cascade="all, delete-orphan", order_by="StemKeuze.idee_id")


class StemKeuze(db.Model):
    __tablename__ = "stem_keuze"

    stem_id: Mapped[int] = mapped_column(ForeignKey("stem.id", ondelete="CASCADE"),
                                         primary_key=True)
    idee_id: Mapped[int] = mapped_column(ForeignKey("idee.id"), primary_key=True, index=True)

    stem: Mapped[Stem] = relationship(back_populates="keuzes")
