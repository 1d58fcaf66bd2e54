from __future__ import annotations

import secrets
from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.accounts.models import Organisatie, User
from participatie.extensions import db, sql_lijst
from participatie.gebieden.models import SRID, Buurt, Wijk
from participatie.meldingen.workflow import (
    OPEN_WAARDEN,
    Status,
    controleer_overgang,
    kolommen_na,
)
from participatie.moderatie.zoeken import CONFIGURATIE

_STATUS_SQL = sql_lijst(Status)
_OPEN_SQL = sql_lijst(OPEN_WAARDEN)


# What `Melding.bron` says, for staff; an app's meldingen carry "open311:" and the app's name.
BRONNEN = {"web": "het meldformulier", "demo": "demodata", "test": "een test"}
BRON_OPEN311 = "open311:"


def nieuw_token() -> str:
    """256 random bits, URL-safe: the only key to a melding's tracking page."""
    return secrets.token_urlsafe(32)


class CategorieGroep(db.Model):
    __tablename__ = "categorie_groep"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(80), unique=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    categorieen: Mapped[list[Categorie]] = relationship(
        back_populates="groep", order_by="Categorie.volgorde, Categorie.naam"
    )


class Categorie(db.Model):
    __tablename__ = "categorie"
    __table_args__ = (
        CheckConstraint("afhandeltermijn_werkdagen > 0", name="categorie_termijn_positief"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    groep_id: Mapped[int] = mapped_column(ForeignKey("categorie_groep.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    naam: Mapped[str] = mapped_column(String(80))
    uitleg: Mapped[str] = mapped_column(String(200), default="")
    afhandeltermijn_werkdagen: Mapped[int] = mapped_column(Integer)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    groep: Mapped[CategorieGroep] = relationship(back_populates="categorieen")
    organisatie: Mapped[Organisatie] = relationship()

    def __str__(self) -> str:
        return self.naam


class Melding(db.Model):
    __tablename__ = "melding"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="melding_status"),
        CheckConstraint(
            "locatie IS NOT NULL OR length(trim(locatie_tekst)) > 0", name="melding_heeft_plek"
        ),
        Index("ix_melding_status_created", "status", "created_at"),
        Index("ix_melding_wijk_status_created", "wijk_code", "status", "created_at"),
        Index("ix_melding_categorie_created", "categorie_id", "created_at"),
        # "Dit is mijn melding ook": open meldingen of one category within 50 m. btree_gist
        # lets the category sit in the same GiST index as the point (migration 0005).
        Index(
            "ix_melding_open_nabij",
            "categorie_id",
            text("(locatie::geography)"),
            postgresql_using="gist",
            postgresql_where=text(f"status IN ({_OPEN_SQL})"),
        ),
        # Metric searches ("within 50 m") use the geography cast; this index serves them.
        Index(
            "ix_melding_locatie_geography",
            text("(locatie::geography)"),
            postgresql_using="gist",
        ),
        # Free-text search in the inbox (moderatie.zoeken, migration 0009): the wijk beside
        # the text (btree_gin), so a regisseur's search is answered inside one index.
        Index("ix_melding_zoek", "zoek_tsv", "wijk_code", postgresql_using="gin"),
        Index(
            "ix_melding_open_zoek",
            "zoek_tsv",
            "wijk_code",
            postgresql_using="gin",
            postgresql_where=text(f"status IN ({_OPEN_SQL})"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=nieuw_token)
    categorie_id: Mapped[int] = mapped_column(ForeignKey("categorie.id"))
    omschrijving: Mapped[str] = mapped_column(Text)
    locatie: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True)
    )
    locatie_tekst: Mapped[str] = mapped_column(String(300), default="")
    buurt_code: Mapped[str] = mapped_column(ForeignKey("buurt.code"), index=True)
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"))
    status: Mapped[str] = mapped_column(String(20), default=Status.GEMELD)
    organisatie_id: Mapped[int | None] = mapped_column(ForeignKey("organisatie.id"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    samengevoegd_met_id: Mapped[int | None] = mapped_column(ForeignKey("melding.id"))
    # "web" (the form), "demo", "test", or "open311:<app>" for a melding an app sent in.
    bron: Mapped[str] = mapped_column(String(80), default="web")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    gesloten_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the resident answers "nee, niet opgelost"; staff reopen or decline (moderatie).
    heropen_verzoek: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    # What the inbox's search matches: description and location text (street), stemmed in
    # Dutch without accents. Kept by PostgreSQL itself; never loaded with the object.
    zoek_tsv: Mapped[str | None] = mapped_column(
        TSVECTOR,
        Computed(f"to_tsvector('{CONFIGURATIE}'::regconfig, omschrijving || ' ' || "
                 "locatie_tekst)", persisted=True),
        deferred=True,
    )

    categorie: Mapped[Categorie] = relationship()
    buurt: Mapped[Buurt] = relationship()
    wijk: Mapped[Wijk] = relationship()
    organisatie: Mapped[Organisatie | None] = relationship()
    samengevoegd_met: Mapped[Melding | None] = relationship(remote_side="Melding.id")
    fotos: Mapped[list[Foto]] = relationship(
        back_populates="melding", order_by="Foto.id", cascade="all, delete-orphan"
    )
    contacten: Mapped[list[Contact]] = relationship(
        back_populates="melding", order_by="Contact.id", cascade="all, delete-orphan"
    )
    gebeurtenissen: Mapped[list[Gebeurtenis]] = relationship(
        back_populates="melding", order_by="Gebeurtenis.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def nummer(self) -> str:
        return f"M-{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status_enum.is_open

    @property
    def via(self) -> str:
        """Where the melding came from, for staff: "het meldformulier", "BuitenBeter (app)"."""
        if self.bron.startswith(BRON_OPEN311):
            return f"{self.bron.removeprefix(BRON_OPEN311)} (app, Open311)"
        return BRONNEN.get(self.bron, self.bron)

    @property
    def steun_aantal(self) -> int:
        return sum(1 for c in self.contacten if c.soort == Contact.STEUN)

    def wijzig_status(
        self,
        naar: Status,
        *,
        door: User | None,
        bericht: str = "",
        publiek: bool = True,
    ) -> Gebeurtenis:
        """Move to `naar` if the workflow allows it (OngeldigeOvergang otherwise); record it."""
        van = self.status_enum
        controleer_overgang(van, naar, bericht)
        for kolom, waarde in kolommen_na(naar).items():
            setattr(self, kolom, waarde)
        vraag = naar == Status.REACTIE_GEVRAAGD
        gebeurtenis = Gebeurtenis(
            soort=Gebeurtenis.STATUS,
            status_van=van,
            status_naar=naar,
            tekst="" if vraag else bericht.strip(),
            publiek=True if vraag else publiek,
            user=door,
        )
        self.gebeurtenissen.append(gebeurtenis)
        if vraag:
            # The question is its own public entry; the resident's answer (soort "antwoord")
            # moves the melding on to reactie_ontvangen.
            self.gebeurtenissen.append(Gebeurtenis(
                soort=Gebeurtenis.VRAAG, tekst=bericht.strip(), publiek=True, user=door))
        return gebeurtenis


class Contact(db.Model):
    """An e-mail address that follows a melding: its melder or a supporter."""

    __tablename__ = "melding_contact"
    __table_args__ = (
        CheckConstraint("soort IN ('melder', 'steun')", name="contact_soort"),
    )
    MELDER = "melder"
    STEUN = "steun"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[int] = mapped_column(
        ForeignKey("melding.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    geanonimiseerd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    melding: Mapped[Melding] = relationship(back_populates="contacten")


class Foto(db.Model):
    __tablename__ = "melding_foto"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[int] = mapped_column(
        ForeignKey("melding.id", ondelete="CASCADE"), index=True
    )
    bestand: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail: Mapped[str] = mapped_column(String(80), unique=True)
    breedte: Mapped[int] = mapped_column(Integer)
    hoogte: Mapped[int] = mapped_column(Integer)
    # Staff decide which photos the public map may show; until then only the melder sees them.
    publiek: Mapped[bool] = mapped_column(Boolean, default=False)
    verborgen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    melding: Mapped[Melding] = relationship(back_populates="fotos")


# What each kind of history entry is called on staff pages, in one place.
GEBEURTENIS_LABELS = {
    "status": "Status",
    "bericht": "Bericht",
    "notitie": "Interne notitie",
    "vraag": "Vraag aan de melder",
    "antwoord": "Antwoord van de melder",
    "steun": "Steun",
    "toewijzing": "Toewijzing",
    "terugkoppeling": "Melder: niet opgelost",
    "samenvoeging": "Samengevoegd",
}
_GEBEURTENIS_SQL = sql_lijst(GEBEURTENIS_LABELS)


class Gebeurtenis(db.Model):
    """One entry in a melding's history: a status change, a message, a note or an answer."""

    __tablename__ = "melding_gebeurtenis"
    __table_args__ = (
        CheckConstraint(f"soort IN ({_GEBEURTENIS_SQL})", name="gebeurtenis_soort"),
        CheckConstraint("soort <> 'notitie' OR NOT publiek", name="gebeurtenis_notitie_intern"),
    )
    STATUS = "status"
    BERICHT = "bericht"
    NOTITIE = "notitie"
    VRAAG = "vraag"
    ANTWOORD = "antwoord"
    STEUN = "steun"
    TOEWIJZING = "toewijzing"
    TERUGKOPPELING = "terugkoppeling"
    SAMENVOEGING = "samenvoeging"  # on the original: a duplicate was merged into it

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[int] = mapped_column(
        ForeignKey("melding.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(20))
    status_van: Mapped[str | None] = mapped_column(String(20))
    status_naar: Mapped[str | None] = mapped_column(String(20))
    tekst: Mapped[str] = mapped_column(Text, default="")
    publiek: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    melding: Mapped[Melding] = relationship(back_populates="gebeurtenissen")
    user: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return GEBEURTENIS_LABELS[self.soort]

    @property
    def door_melder(self) -> bool:
        """Written by a resident (on the tracking page), not by staff or the system."""
        return self.soort in (self.ANTWOORD, self.TERUGKOPPELING, self.STEUN)

    @property
    def status_naar_label(self) -> str:
        return Status(self.status_naar).label if self.status_naar else ""


# Exact status counts for the inbox, kept by the database itself: counting 80,000 meldingen on
# every inbox page costs tens of milliseconds; reading a few hundred pre-summed rows costs one.
# Triggers on `melding` (migration 0006) add and subtract in the same transaction as the
# change, so the counts are never stale and never estimated.
class MeldingTelling(db.Model):
    """How many meldingen share one wijk, buurt, categorie, organisatie (0 = none) and status."""

    __tablename__ = "melding_telling"

    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    categorie_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)
