from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.extensions import db
from participatie.gebieden.models import Wijk


class Rol(enum.StrEnum):
    BEHEERDER = "beheerder"
    STADSDEELREGISSEUR = "stadsdeelregisseur"
    PARTNER = "partner"
    WIJKRAADLID = "wijkraadlid"

    @property
    def label(self) -> str:
        return {
            Rol.BEHEERDER: "Beheerder",
            Rol.STADSDEELREGISSEUR: "Stadsdeelregisseur",
            Rol.PARTNER: "Partner",
            Rol.WIJKRAADLID: "Wijkraadlid",
        }[self]


class OrganisatieSoort(enum.StrEnum):
    TEAM = "team"  # a team of the gemeente itself
    PARTNER = "partner"  # Gildebor, Welbions, Wijkracht, politie


class Organisatie(db.Model):
    """Who can be made responsible for a melding: a gemeente team or an outside partner."""

    __tablename__ = "organisatie"
    __table_args__ = (
        CheckConstraint("soort IN ('team', 'partner')", name="organisatie_soort"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(120), unique=True)
    soort: Mapped[str] = mapped_column(String(10), default=OrganisatieSoort.TEAM)
    email: Mapped[str | None] = mapped_column(String(254))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.naam

    @property
    def label(self) -> str:
        """The name with what it is, wherever staff choose an organisation."""
        soort = "partner" if self.soort == OrganisatieSoort.PARTNER else "team gemeente"
        return f"{self.naam} ({soort})"


user_wijk = Table(
    "user_wijk",
    db.metadata,
    Column("user_id", ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_code", ForeignKey("wijk.code", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "rol IN ('beheerder', 'stadsdeelregisseur', 'partner', 'wijkraadlid')",
            name="app_user_rol",
        ),
        CheckConstraint(
            "rol <> 'partner' OR organisatie_id IS NOT NULL", name="app_user_partner_organisatie"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    naam: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    rol: Mapped[str] = mapped_column(String(20))
    organisatie_id: Mapped[int | None] = mapped_column(ForeignKey("organisatie.id"))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    laatst_ingelogd: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped when all sessions end (password change, deactivation, "overal uitloggen").
    sessie_versie: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    organisatie: Mapped[Organisatie | None] = relationship()
    wijken: Mapped[list[Wijk]] = relationship(secondary=user_wijk, order_by=Wijk.code)

    @property
    def rol_enum(self) -> Rol:
        return Rol(self.rol)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.actief

    def get_id(self) -> str:
        return f"{self.id}:{self.sessie_versie}"

    @property
    def wijk_codes(self) -> list[str]:
        return [w.code for w in self.wijken]

    def __str__(self) -> str:
        return self.naam or self.email


class Sessie(db.Model):
    """One login, kept on the server so that logging out ends it (see accounts/sessies.py)."""

    __tablename__ = "app_sessie"

    # sha256 of the random token in the session cookie: the table alone opens nothing.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginBlokkade(db.Model):
    """Wrong passwords for an e-mail address (known or not) from one client address, or from
    anywhere when `adres` is empty; see accounts/blokkade.py."""

    __tablename__ = "login_blokkade"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    adres: Mapped[str] = mapped_column(String(64), primary_key=True)
    mislukt: Mapped[int] = mapped_column(Integer)
    # Start of the counting window; failures before it no longer count.
    sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
