"""Exact status counts for the inbox, kept by the database itself.

Counting 80,000 meldingen on every inbox page costs tens of milliseconds; reading a few
hundred pre-summed rows costs one. Triggers on `melding` (migration 0006) add and subtract
in the same transaction as the change, so the counts are never stale and never estimated.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from participatie.extensions import db


class MeldingTelling(db.Model):
    """How many meldingen share one wijk, buurt, categorie, organisatie (0 = none) and status."""

    __tablename__ = "melding_telling"

    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    categorie_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)
