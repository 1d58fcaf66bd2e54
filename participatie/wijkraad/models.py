"""What the wijkraad says about its wijk's agenda and results, the gemeente's answers, and
who gets the weekly overview by e-mail.

A reaction (`Reactie`) is about one subject: a leefbaarheidsvraag, the uitslag of a
budgetronde, or the outcome of an enquête. The link is generic (type + id), as the
wijkagenda's bronnen are; the wijk is copied from the subject when the reaction is made, so
lists per wijk need no join to three tables.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.accounts.models import User
from participatie.extensions import db, sql_lijst
from participatie.gebieden.models import Wijk


class ReactieSoort(enum.StrEnum):
    ADVIES = "advies"
    VRAAG = "vraag"
    INSTEMMING = "instemming"

    @property
    def label(self) -> str:
        return REACTIE_LABELS[self]

    @property
    def met_lidwoord(self) -> str:
        """"het advies", "de vraag", "de instemming"."""
        return {ReactieSoort.ADVIES: "het advies", ReactieSoort.VRAAG: "de vraag",
                ReactieSoort.INSTEMMING: "de instemming"}[self]

    @property
    def zin(self) -> str:
        """What the wijkraad does, for a sentence: "De wijkraad geeft advies over …"."""
        return {ReactieSoort.ADVIES: "geeft advies over",
                ReactieSoort.VRAAG: "heeft een vraag over",
                ReactieSoort.INSTEMMING: "is het eens met"}[self]


REACTIE_LABELS = {
    ReactieSoort.ADVIES: "Advies",
    ReactieSoort.VRAAG: "Vraag",
    ReactieSoort.INSTEMMING: "Instemming",
}


class OnderwerpSoort(enum.StrEnum):
    """What a reaction is about; the values are the audit log's object types of the same."""

    LEEFBAARHEIDSVRAAG = "leefbaarheidsvraag"
    BUDGETRONDE = "budgetronde"
    ENQUETE = "enquete"



class Reactie(db.Model):
    __tablename__ = "wijkraad_reactie"
    __table_args__ = (
        CheckConstraint(f"soort IN ({sql_lijst(ReactieSoort)})", name="wijkraad_reactie_soort"),
        CheckConstraint(f"onderwerp_soort IN ({sql_lijst(OnderwerpSoort)})",
                        name="wijkraad_reactie_onderwerp"),
        CheckConstraint("length(trim(tekst)) > 0", name="wijkraad_reactie_tekst"),
        CheckConstraint("openbaar = (openbaar_op IS NOT NULL)",
                        name="wijkraad_reactie_openbaar_op"),
        Index("ix_wijkraad_reactie_onderwerp", "onderwerp_soort", "onderwerp_id", "id"),
        Index("ix_wijkraad_reactie_wijk", "wijk_code", "created_at"),
        # The public wijk page: the newest public reactions of one wijk.
        Index("ix_wijkraad_reactie_openbaar", "wijk_code", "openbaar_op",
              postgresql_where=text("openbaar")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"))
    onderwerp_soort: Mapped[str] = mapped_column(String(20))
    onderwerp_id: Mapped[int] = mapped_column(Integer)
    auteur_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    soort: Mapped[str] = mapped_column(String(12))
    tekst: Mapped[str] = mapped_column(Text)
    openbaar: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    openbaar_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    wijk: Mapped[Wijk] = relationship()
    auteur: Mapped[User] = relationship()
    antwoorden: Mapped[list[ReactieAntwoord]] = relationship(
        back_populates="reactie", order_by="ReactieAntwoord.id", cascade="all, delete-orphan")

    @property
    def soort_enum(self) -> ReactieSoort:
        return ReactieSoort(self.soort)

    @property
    def auteur_naam(self) -> str:
        """The name the wijkraad and staff read; never the e-mail address."""
        return self.auteur.naam or "een wijkraadlid"

    @property
    def onderwerp_sleutel(self) -> tuple[str, int]:
        return self.onderwerp_soort, self.onderwerp_id

    def snapshot(self) -> dict[str, Any]:
        """What the audit log keeps of this reaction before and after a change."""
        return {
            "onderwerp": f"{self.onderwerp_soort}:{self.onderwerp_id}",
            "wijk_code": self.wijk_code,
            "soort": self.soort,
            "tekst": self.tekst,
            "openbaar": self.openbaar,
        }


class ReactieAntwoord(db.Model):
    """The gemeente's answer to a reaction: by a beheerder or a regisseur of the wijk."""

    __tablename__ = "wijkraad_antwoord"
    __table_args__ = (
        CheckConstraint("length(trim(tekst)) > 0", name="wijkraad_antwoord_tekst"),
        Index("ix_wijkraad_antwoord_reactie", "reactie_id", "id"),
        Index("ix_wijkraad_antwoord_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reactie_id: Mapped[int] = mapped_column(
        ForeignKey("wijkraad_reactie.id", ondelete="CASCADE"))
    auteur_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    tekst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    reactie: Mapped[Reactie] = relationship(back_populates="antwoorden")
    auteur: Mapped[User] = relationship()

    @property
    def auteur_naam(self) -> str:
        return self.auteur.naam or "een medewerker"


def nieuw_token() -> str:
    return secrets.token_urlsafe(32)


# A change is dated by the start of its transaction (PostgreSQL's now()); one that began just
# before a run and committed after it is not yet visible to that run. So each overview reports
# up to MARGE before its run, and the next one starts there: longer than any transaction here.
MARGE = timedelta(minutes=10)


class Overzichtmail(db.Model):
    """One wijkraadlid's weekly overview: wanted or not, and how far it has reported.

    `verwerkt_tot`: every change up to this moment has been reported (or there was none);
    the next overview starts there. It lies MARGE before the run that set it.
    `laatst_verstuurd`: when the last overview was sent.
    The token in every overview's opt-out link opens this row only, and only to opt out.
    """

    __tablename__ = "wijkraad_overzichtmail"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    ontvangen: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    afmeld_token: Mapped[str] = mapped_column(String(64), unique=True, default=nieuw_token)
    verwerkt_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    laatst_verstuurd: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
