"""Leefbaarheidsvragen on a wijk's agenda, and what they came from (their bronnen)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.accounts.models import Organisatie, User
from participatie.extensions import db, sql_lijst
from participatie.gebieden.models import Wijk


class Thema(enum.StrEnum):
    SCHOON = "schoon"
    HEEL = "heel"
    VEILIG = "veilig"
    GROEN = "groen"
    VERKEER = "verkeer"
    SAMENLEVEN = "samenleven"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class VraagStatus(enum.StrEnum):
    NIEUW = "nieuw"
    IN_ONDERZOEK = "in_onderzoek"
    IN_UITVOERING = "in_uitvoering"
    AFGEROND = "afgerond"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return VRAAG_LABELS[self]


VRAAG_LABELS = {
    VraagStatus.NIEUW: "Nieuw",
    VraagStatus.IN_ONDERZOEK: "In onderzoek",
    VraagStatus.IN_UITVOERING: "In uitvoering",
    VraagStatus.AFGEROND: "Afgerond",
    VraagStatus.AFGEWEZEN: "Afgewezen",
}

# The one table of allowed status changes. Finished or refused questions can be taken up
# again, because a wijkraad may rightly put the same problem back on the agenda.
VRAAG_TRANSITIES: dict[VraagStatus, frozenset[VraagStatus]] = {
    VraagStatus.NIEUW: frozenset({VraagStatus.IN_ONDERZOEK, VraagStatus.AFGEWEZEN}),
    VraagStatus.IN_ONDERZOEK: frozenset(
        {VraagStatus.IN_UITVOERING, VraagStatus.AFGEROND, VraagStatus.AFGEWEZEN}
    ),
    VraagStatus.IN_UITVOERING: frozenset({VraagStatus.AFGEROND, VraagStatus.IN_ONDERZOEK}),
    VraagStatus.AFGEROND: frozenset({VraagStatus.IN_UITVOERING}),
    VraagStatus.AFGEWEZEN: frozenset({VraagStatus.IN_ONDERZOEK}),
}
OPEN_VRAAG = frozenset({VraagStatus.NIEUW, VraagStatus.IN_ONDERZOEK, VraagStatus.IN_UITVOERING})


class BronType(enum.StrEnum):
    """Where a leefbaarheidsvraag came from. Only meldingen can be linked today."""

    MELDING = "melding"
    IDEE = "idee"
    ENQUETE_ANTWOORD = "enquete_antwoord"


class OngeldigeVraagOvergang(ValueError):
    """A status change of a leefbaarheidsvraag that the transition table does not allow."""

    def __init__(self, van: VraagStatus, naar: VraagStatus) -> None:
        super().__init__(f"Van '{van.label}' naar '{naar.label}' kan niet.")
        self.van = van
        self.naar = naar



class Leefbaarheidsvraag(db.Model):
    __tablename__ = "leefbaarheidsvraag"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_lijst(VraagStatus)})", name="leefbaarheidsvraag_status"),
        CheckConstraint(f"thema IN ({sql_lijst(Thema)})", name="leefbaarheidsvraag_thema"),
        CheckConstraint(
            "eigenaar_organisatie_id IS NULL OR eigenaar_user_id IS NULL",
            name="leefbaarheidsvraag_een_eigenaar",
        ),
        CheckConstraint("length(trim(titel)) > 0", name="leefbaarheidsvraag_titel"),
        Index("ix_leefbaarheidsvraag_wijk_status", "wijk_code", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"))
    titel: Mapped[str] = mapped_column(String(160))
    omschrijving: Mapped[str] = mapped_column(Text, default="")
    thema: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=VraagStatus.NIEUW)
    eigenaar_organisatie_id: Mapped[int | None] = mapped_column(ForeignKey("organisatie.id"))
    eigenaar_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    wijk: Mapped[Wijk] = relationship()
    eigenaar_organisatie: Mapped[Organisatie | None] = relationship()
    eigenaar_user: Mapped[User | None] = relationship()
    bronnen: Mapped[list[VraagBron]] = relationship(
        back_populates="vraag", order_by="VraagBron.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> VraagStatus:
        return VraagStatus(self.status)

    @property
    def thema_enum(self) -> Thema:
        return Thema(self.thema)

    @property
    def eigenaar(self) -> Organisatie | User | None:
        return self.eigenaar_organisatie or self.eigenaar_user

    @eigenaar.setter
    def eigenaar(self, waarde: Organisatie | User | None) -> None:
        self.eigenaar_organisatie = waarde if isinstance(waarde, Organisatie) else None
        self.eigenaar_user = waarde if isinstance(waarde, User) else None

    @property
    def eigenaar_sleutel(self) -> str:
        """How a form names the owner: "organisatie-3", "gebruiker-7" or ""."""
        eigenaar = self.eigenaar
        return _eigenaar_sleutel(eigenaar) if eigenaar is not None else ""

    @property
    def is_open(self) -> bool:
        return self.status_enum in OPEN_VRAAG

    def wijzig_status(self, naar: VraagStatus) -> None:
        """Move to `naar` if the transition table allows it; staying put is not a change."""
        van = self.status_enum
        if naar == van:
            return
        if naar not in VRAAG_TRANSITIES[van]:
            raise OngeldigeVraagOvergang(van, naar)
        self.status = naar

    def melding_ids(self) -> list[int]:
        return [b.bron_id for b in self.bronnen if b.bron_type == BronType.MELDING]

    def snapshot(self) -> dict[str, Any]:
        """What the audit log keeps of this vraag before and after a change."""
        return {
            "wijk_code": self.wijk_code,
            "titel": self.titel,
            "omschrijving": self.omschrijving,
            "thema": self.thema,
            "status": self.status,
            "eigenaar": self.eigenaar_sleutel or None,
            "bronnen": [f"{b.bron_type}:{b.bron_id}" for b in self.bronnen],
        }


def _eigenaar_sleutel(eigenaar: Organisatie | User) -> str:
    soort = "organisatie" if isinstance(eigenaar, Organisatie) else "gebruiker"
    return f"{soort}-{eigenaar.id}"


class VraagBron(db.Model):
    """One source of a leefbaarheidsvraag: a melding now; an idee or enquete answer later.

    The link is generic (type + id), so no foreign key to the source; the unique constraint
    keeps a source from being linked twice to the same vraag.
    """

    __tablename__ = "leefbaarheidsvraag_bron"
    __table_args__ = (
        UniqueConstraint("vraag_id", "bron_type", "bron_id", name="uq_vraag_bron"),
        CheckConstraint(f"bron_type IN ({sql_lijst(BronType)})", name="vraag_bron_type"),
        Index("ix_vraag_bron_bron", "bron_type", "bron_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vraag_id: Mapped[int] = mapped_column(
        ForeignKey("leefbaarheidsvraag.id", ondelete="CASCADE"), index=True
    )
    bron_type: Mapped[str] = mapped_column(String(20))
    bron_id: Mapped[int] = mapped_column(Integer)
    gekoppeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    vraag: Mapped[Leefbaarheidsvraag] = relationship(back_populates="bronnen")
    gekoppeld_door: Mapped[User | None] = relationship()
