"""API keys for apps that post meldingen through Open311 (reading needs no key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.accounts.models import User
from participatie.extensions import db


class ApiSleutel(db.Model):
    """One app's key. Only a hash of the key is stored; the key itself is shown once."""

    __tablename__ = "api_sleutel"
    __table_args__ = (
        CheckConstraint("length(trim(naam)) > 0", name="api_sleutel_naam"),
        CheckConstraint("aantal_verzoeken >= 0", name="api_sleutel_aantal"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The app's name: in the audit log and as "via <naam>" on its meldingen.
    naam: Mapped[str] = mapped_column(String(60), unique=True)
    contact: Mapped[str] = mapped_column(String(254), default="")
    # SHA-256 of the whole key (hex). The key has 256 random bits, so a keyed hash would add
    # nothing, and the keys keep working when SECRET_KEY is rotated.
    sleutel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so a beheerder can tell keys apart.
    begin: Mapped[str] = mapped_column(String(12))
    gemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    laatst_gebruikt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    aantal_verzoeken: Mapped[int] = mapped_column(
        Integer, default=0, server_default=text("0")
    )
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    gemaakt_door: Mapped[User | None] = relationship()

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None

    def snapshot(self) -> dict:
        """What the audit log keeps of a key (never the key or its hash)."""
        return {"naam": self.naam, "contact": self.contact, "begin": self.begin,
                "ingetrokken": self.ingetrokken_op is not None}
