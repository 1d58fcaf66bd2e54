"""The figures behind the wijkbeeld, kept by the database itself, and CBS's kerncijfers.

Triggers on meldingen, their history and contacts, ballots and stemcodes (migration
0016_wijkbeeld) add and subtract in the same transaction as the change, so the wijkbeeld reads
a few thousand pre-summed rows instead of a million meldingen, and the figures are never
stale. `participatie.wijkbeeld.bijhouden.tel_opnieuw` rebuilds them from the data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from participatie.extensions import db


class MeldingCijfer(db.Model):
    """Meldingen of one buurt and category in one quarter.

    `ontvangen` counts meldingen by the quarter they came in; `afgehandeld` (and
    `binnen_termijn`, `doorlooptijd_dagen`: the sum of whole local days from melding to
    closing) those whose status is afgehandeld now, by the quarter they were closed. The
    resident's "is het opgelost?" answers (`opgelost_nee` is a request to reopen) and staff
    reopening a melding count in the quarter they happened.
    """

    __tablename__ = "wijkbeeld_melding"

    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    kwartaal: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    categorie_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ontvangen: Mapped[int] = mapped_column(Integer, server_default="0")
    afgehandeld: Mapped[int] = mapped_column(Integer, server_default="0")
    binnen_termijn: Mapped[int] = mapped_column(Integer, server_default="0")
    doorlooptijd_dagen: Mapped[int] = mapped_column(Integer, server_default="0")
    opgelost_ja: Mapped[int] = mapped_column(Integer, server_default="0")
    opgelost_nee: Mapped[int] = mapped_column(Integer, server_default="0")
    heropend: Mapped[int] = mapped_column(Integer, server_default="0")


class Doorlooptijd(db.Model):
    """How many afgehandelde meldingen of a buurt, wijk or gemeente (`gebied_code`), closed
    in one quarter, took `dagen` days: a histogram, so the median is exact to the day."""

    __tablename__ = "wijkbeeld_doorlooptijd"

    gebied_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    kwartaal: Mapped[date] = mapped_column(Date, primary_key=True)
    dagen: Mapped[int] = mapped_column(Integer, primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)


class Melders(db.Model):
    """Distinct e-mail addresses that reported in a buurt, wijk or gemeente in a quarter or
    a year, counted when the melding came in; only the count is kept."""

    __tablename__ = "wijkbeeld_melders"
    __table_args__ = (
        CheckConstraint("periode IN ('kwartaal', 'jaar')", name="wijkbeeld_melders_periode"),
    )

    gebied_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    periode: Mapped[str] = mapped_column(String(8), primary_key=True)
    begin: Mapped[date] = mapped_column(Date, primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)


class StemTelling(db.Model):
    """Ballots of one round from one buurt ('' = a code for the whole area), per quarter."""

    __tablename__ = "wijkbeeld_stem"

    ronde_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    kwartaal: Mapped[date] = mapped_column(Date, primary_key=True)
    stemmen: Mapped[int] = mapped_column(Integer)


class StemcodeTelling(db.Model):
    """Stemcodes issued for one round and buurt ('' = for the whole area)."""

    __tablename__ = "wijkbeeld_stemcode"

    ronde_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    codes: Mapped[int] = mapped_column(Integer)


class Kerncijfer(db.Model):
    """CBS's *Kerncijfers wijken en buurten* of one area in one year (None: unknown, "."
    in CBS's file). Imported by `flask gebieden kerncijfers`; a re-import replaces the year."""

    __tablename__ = "kerncijfer"
    __table_args__ = (
        CheckConstraint("inwoners IS NULL OR inwoners >= 0", name="kerncijfer_inwoners"),
        CheckConstraint("huishoudens IS NULL OR huishoudens >= 0",
                        name="kerncijfer_huishoudens"),
    )

    jaar: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebied_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    naam: Mapped[str] = mapped_column(String(120), server_default="")
    inwoners: Mapped[int | None] = mapped_column(Integer)
    huishoudens: Mapped[int | None] = mapped_column(Integer)
    geimporteerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                      server_default=func.now())
