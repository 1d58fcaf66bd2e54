"""Enquêtes, their questions and options, survey codes, responses and answers.

A response (`Respons`) is tied to the keyed hash of a per-browser token, or to a survey code
from a letter; it carries the buurt (from the code or a question), the page the resident
reached, the day it was sent (never a finer time) and, only if the resident gave one, an
e-mail address for a reply to an open answer. Nothing else about the respondent is stored.
Until it is sent it is a draft: a reload or a lost connection loses no answer.
"""

from __future__ import annotations

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
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.enquetes.workflow import (
    AntwoordStatus,
    EnqueteStatus,
    VraagType,
    controleer_antwoord,
    controleer_enquete,
)
from participatie.extensions import db, sql_lijst
from participatie.gebieden.models import SRID, Buurt, Wijk
from participatie.moderatie.zoeken import CONFIGURATIE

# The text of an open answer as the inbox searches it (migration 0013 has the same).
ZOEKTEKST = f"to_tsvector('{CONFIGURATIE}'::regconfig, COALESCE(tekst, ''))"

enquete_buurt = Table(
    "enquete_buurt",
    db.metadata,
    Column("enquete_id", ForeignKey("enquete.id", ondelete="CASCADE"), primary_key=True),
    Column("buurt_code", ForeignKey("buurt.code"), primary_key=True),
)


class Enquete(db.Model):
    __tablename__ = "enquete"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_lijst(EnqueteStatus)})", name="enquete_status"),
        CheckConstraint("open_vanaf <= sluit_op", name="enquete_data_op_volgorde"),
        CheckConstraint("length(trim(titel)) > 0", name="enquete_titel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    titel: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")
    # None: the whole gemeente (only beheerders make those).
    wijk_code: Mapped[str | None] = mapped_column(ForeignKey("wijk.code"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=EnqueteStatus.CONCEPT)
    open_vanaf: Mapped[date] = mapped_column(Date)
    sluit_op: Mapped[date] = mapped_column(Date)  # the last day answers are taken
    met_code: Mapped[bool] = mapped_column(Boolean, default=False)  # a code from a letter
    samenvatting: Mapped[str] = mapped_column(Text, default="")
    samenvatting_openbaar: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    wijk: Mapped[Wijk | None] = relationship()
    buurten: Mapped[list[Buurt]] = relationship(secondary=enquete_buurt, order_by="Buurt.code")
    vragen: Mapped[list[Vraag]] = relationship(
        back_populates="enquete", order_by="(Vraag.pagina, Vraag.volgorde, Vraag.id)",
        cascade="all, delete-orphan")

    @property
    def status_enum(self) -> EnqueteStatus:
        return EnqueteStatus(self.status)

    @property
    def gebied(self) -> str:
        if self.buurten:
            return ", ".join(b.naam for b in self.buurten)
        return f"wijk {self.wijk.korte_naam}" if self.wijk else "heel Hengelo"

    def neemt_antwoorden(self, dag: date) -> bool:
        """Open, and today between its first and last day."""
        return self.status_enum == EnqueteStatus.OPEN and self.open_vanaf <= dag <= self.sluit_op

    def wijzig_status(self, naar: EnqueteStatus) -> None:
        """Move to `naar` if the table allows it (OngeldigeEnqueteOvergang otherwise)."""
        controleer_enquete(self.status_enum, naar)
        self.status = naar.value


class Vraag(db.Model):
    __tablename__ = "enquete_vraag"
    __table_args__ = (
        CheckConstraint(f"type IN ({sql_lijst(VraagType)})", name="enquete_vraag_type"),
        CheckConstraint("pagina >= 1", name="enquete_vraag_pagina"),
        CheckConstraint("max_keuzes IS NULL OR max_keuzes > 0", name="enquete_vraag_max"),
        CheckConstraint("max_lengte IS NULL OR max_lengte BETWEEN 1 AND 5000",
                        name="enquete_vraag_max_lengte"),
        CheckConstraint("length(trim(tekst)) > 0", name="enquete_vraag_tekst"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enquete_id: Mapped[int] = mapped_column(ForeignKey("enquete.id", ondelete="CASCADE"),
                                            index=True)
    type: Mapped[str] = mapped_column(String(12))
    tekst: Mapped[str] = mapped_column(String(300))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    pagina: Mapped[int] = mapped_column(Integer, default=1)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)
    verplicht: Mapped[bool] = mapped_column(Boolean, default=False)
    max_keuzes: Mapped[int | None] = mapped_column(Integer)
    max_lengte: Mapped[int | None] = mapped_column(Integer)
    indicator: Mapped[str | None] = mapped_column(String(40))
    naar_inbox: Mapped[bool] = mapped_column(Boolean, default=False)  # open answers
    # Shown only when this earlier question was answered with this value (an option id,
    # or 1/0 for ja/nee).
    toon_als_vraag_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquete_vraag.id", ondelete="SET NULL"))
    toon_als_waarde: Mapped[int | None] = mapped_column(Integer)

    enquete: Mapped[Enquete] = relationship(back_populates="vragen")
    opties: Mapped[list[Optie]] = relationship(
        back_populates="vraag", order_by="(Optie.volgorde, Optie.id)",
        cascade="all, delete-orphan")

    @property
    def type_enum(self) -> VraagType:
        return VraagType(self.type)


class Optie(db.Model):
    __tablename__ = "enquete_optie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vraag_id: Mapped[int] = mapped_column(ForeignKey("enquete_vraag.id", ondelete="CASCADE"),
                                          index=True)
    tekst: Mapped[str] = mapped_column(String(200))
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    vraag: Mapped[Vraag] = relationship(back_populates="opties")


class Enquetecode(db.Model):
    """A code from a letter: only its keyed hash is kept (participatie.codes)."""

    __tablename__ = "enquetecode"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enquete_id: Mapped[int] = mapped_column(ForeignKey("enquete.id", ondelete="CASCADE"),
                                            index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    buurt_code: Mapped[str | None] = mapped_column(ForeignKey("buurt.code"))


class Respons(db.Model):
    """One resident's answers to one survey: a draft until `verzonden_op` is set. The unique
    constraints keep one response per browser and per code, however many requests race."""

    __tablename__ = "enquete_respons"
    __table_args__ = (
        UniqueConstraint("enquete_id", "browser_hash", name="uq_respons_browser"),
        UniqueConstraint("code_id", name="uq_respons_code"),
        Index("ix_respons_enquete_verzonden", "enquete_id", "verzonden_op", "buurt_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enquete_id: Mapped[int] = mapped_column(ForeignKey("enquete.id", ondelete="CASCADE"))
    browser_hash: Mapped[str | None] = mapped_column(String(64))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("enquetecode.id"))
    buurt_code: Mapped[str | None] = mapped_column(ForeignKey("buurt.code"))
    pagina: Mapped[int] = mapped_column(Integer, default=1)  # the furthest page reached
    email: Mapped[str | None] = mapped_column(String(254))  # only for a reply; optional
    verzonden_op: Mapped[date | None] = mapped_column(Date)  # the day, never a finer time

    antwoorden: Mapped[list[Antwoord]] = relationship(
        back_populates="respons", cascade="all, delete-orphan", order_by="Antwoord.id")


class Antwoord(db.Model):
    """One answer: a chosen option (one row per option for meerdere keuzes), a number, a text
    or a place. An open answer to a question marked `naar_inbox` is an inbox item once its
    response is sent (`inbox_status` set, with the wijk for the one wijk rule)."""

    __tablename__ = "enquete_antwoord"
    __table_args__ = (
        CheckConstraint(f"inbox_status IS NULL OR inbox_status IN ({sql_lijst(AntwoordStatus)})",
                        name="enquete_antwoord_status"),
        Index("ix_antwoord_vraag", "vraag_id", "optie_id"),
        Index("ix_antwoord_respons", "respons_id", "vraag_id"),
        Index("ix_antwoord_inbox", "wijk_code", "created_at", "id",
              postgresql_where=text("inbox_status IS NOT NULL")),
        Index("ix_antwoord_zoek", "zoek_tsv", "wijk_code", postgresql_using="gin",
              postgresql_where=text("inbox_status IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respons_id: Mapped[int] = mapped_column(
        ForeignKey("enquete_respons.id", ondelete="CASCADE"))
    vraag_id: Mapped[int] = mapped_column(ForeignKey("enquete_vraag.id", ondelete="CASCADE"))
    optie_id: Mapped[int | None] = mapped_column(ForeignKey("enquete_optie.id"))
    getal: Mapped[int | None] = mapped_column(Integer)
    tekst: Mapped[str | None] = mapped_column(Text)
    locatie: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=SRID))
    inbox_status: Mapped[str | None] = mapped_column(String(12))
    wijk_code: Mapped[str | None] = mapped_column(ForeignKey("wijk.code"))
    antwoord_staf: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    zoek_tsv: Mapped[str | None] = mapped_column(
        TSVECTOR, Computed(ZOEKTEKST, persisted=True), deferred=True)

    respons: Mapped[Respons] = relationship(back_populates="antwoorden")
    vraag: Mapped[Vraag] = relationship()
    optie: Mapped[Optie | None] = relationship()

    @property
    def nummer(self) -> str:
        return f"A-{self.id}"

    @property
    def status_enum(self) -> AntwoordStatus:
        return AntwoordStatus(self.inbox_status)

    def wijzig_status(self, naar: AntwoordStatus) -> None:
        controleer_antwoord(self.status_enum, naar)
        self.inbox_status = naar.value


class Telling(db.Model):
    """Counts kept up to date when a response is sent, so the results of 250,000 responses
    are read from a few thousand rows: per survey, question and buurt ('' = unknown) the
    number of respondents per `waarde` (an option id, or a scale's number), and with
    `waarde` -1 how many answered the question. Question 0 holds the responses themselves,
    per day (`waarde`: days since 2000-01-01)."""

    __tablename__ = "enquete_telling"

    enquete_id: Mapped[int] = mapped_column(ForeignKey("enquete.id", ondelete="CASCADE"),
                                            primary_key=True)
    vraag_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    waarde: Mapped[int] = mapped_column(Integer, primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)
