"""Small functions that build test data in the current (rolled-back) session."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from participatie.extensions import db
from participatie.gebieden.services import buurt_voor_punt, punt
from participatie.meldingen.models import Categorie, Contact, Melding
from participatie.meldingen.termijnen import plus_werkdagen
from participatie.meldingen.workflow import Status

# Points well inside real Hengelo buurten (checked against the CBS polygons in the tests).
DE_NOORK = (52.2700, 6.8138)
BINNENSTAD = (52.2655, 6.7930)
BUITEN_HENGELO = (52.3702, 4.8952)  # Amsterdam, Dam


def categorie(slug: str = "afvaldump") -> Categorie:
    return db.session.scalar(select(Categorie).where(Categorie.slug == slug))


def melding(
    *,
    slug: str = "afvaldump",
    plek: tuple[float, float] = DE_NOORK,
    omschrijving: str = "Vuilniszakken naast de container",
    status: Status = Status.GEMELD,
    email: str | None = None,
    dagen_geleden: int = 0,
    locatie_tekst: str = "",
) -> Melding:
    cat = categorie(slug)
    buurt = buurt_voor_punt(*plek)
    assert buurt is not None, f"{plek} ligt niet in een buurt"
    created = datetime.now(UTC) - timedelta(days=dagen_geleden)
    m = Melding(
        categorie=cat,
        omschrijving=omschrijving,
        locatie=db.session.scalar(select(punt(*plek))),
        locatie_tekst=locatie_tekst,
        buurt_code=buurt.code,
        wijk_code=buurt.wijk_code,
        status=status.value,
        organisatie=cat.organisatie,
        deadline=plus_werkdagen(created.date(), cat.afhandeltermijn_werkdagen),
        created_at=created,
    )
    if email:
        m.contacten.append(Contact(soort=Contact.MELDER, email=email))
    db.session.add(m)
    db.session.flush()
    return m


def vandaag() -> date:
    return datetime.now(UTC).date()
