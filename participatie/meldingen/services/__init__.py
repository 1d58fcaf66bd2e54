"""Plain functions that read and change meldingen. They flush; the view commits.

This module holds the resident's reporting flow; `kaart` (the public map), `terugkoppeling`
(the resident's answers), `triage` (staff actions on one melding) and `bulk` sit beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from flask import abort, current_app, render_template
from geoalchemy2 import WKTElement
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from participatie import mail
from participatie.extensions import db
from participatie.gebieden.models import SRID, Buurt
from participatie.gebieden.services import geografie, punt
from participatie.meldingen.models import (
    Categorie,
    Contact,
    Foto,
    Gebeurtenis,
    Melding,
    nieuw_token,
)
from participatie.meldingen.termijnen import plus_werkdagen
from participatie.meldingen.workflow import OPEN_WAARDEN, Status
from participatie.referentie import referentie
from participatie.tijd import lokale_datum, vandaag
from participatie.vragen import lees
from participatie.web import absolute_url  # noqa: F401 (used by the views and triage)

if TYPE_CHECKING:
    from participatie.media import VerwerkteFoto

def vergelijkbare_meldingen(
    categorie_id: int,
    latitude: float,
    longitude: float,
    *,
    meters: int | None = None,
    weken: int | None = None,
    limit: int = 5,
) -> list[Melding]:
    """Open meldingen of the same category near a point, recent first-by-distance.

    Defaults come from NEARBY_METERS (50) and NEARBY_WEEKS (8). Uses the GiST index on
    `locatie::geography`, so it stays fast with a million meldingen.
    """
    config = current_app.config
    meters = meters if meters is not None else config["NEARBY_METERS"]
    weken = weken if weken is not None else config["NEARBY_WEEKS"]
    plek = geografie(punt(latitude, longitude))
    locatie = geografie(Melding.locatie)
    since = datetime.now(UTC) - timedelta(weeks=weken)
    query = (
        select(Melding)
        .where(
            Melding.categorie_id == categorie_id,
            Melding.status.in_(OPEN_WAARDEN),
            Melding.created_at >= since,
            func.ST_DWithin(locatie, plek, meters),
        )
        .order_by(func.ST_Distance(locatie, plek), Melding.id)
        .limit(limit)
        .options(selectinload(Melding.contacten), selectinload(Melding.categorie))
    )
    return list(db.session.scalars(query))


def melding_voor_token(token: str) -> Melding:
    """The melding behind a tracking link; 404 for anything else (the token is the key)."""
    melding = None
    if len(token) <= 64:
        melding = db.session.scalar(select(Melding).where(Melding.token == token))
    if melding is None:
        abort(404)
    return melding


def steun_aantallen(melding_ids: list[int]) -> dict[int, int]:
    """How many residents support each melding (the "dit is mijn melding ook" contacts)."""
    if not melding_ids:
        return {}
    return dict(db.session.execute(
        select(Contact.melding_id, func.count())
        .where(Contact.melding_id.in_(melding_ids), Contact.soort == Contact.STEUN)
        .group_by(Contact.melding_id)
    ).all())


@referentie("categorie")
def categorie_namen() -> dict[int, str]:
    """Every category's name by id, inactive ones too (their meldingen keep it), by name;
    kept per process."""
    return dict(db.session.execute(select(Categorie.id, Categorie.naam)
                                   .order_by(Categorie.naam)).all())


# Built once: a melding's staff page asks for it on every request.
_PLEK = select(func.ST_Y(Melding.locatie), func.ST_X(Melding.locatie)).where(
    Melding.id == bindparam("id"))


def plek_van(melding: Melding) -> tuple[float, float] | None:
    """(latitude, longitude) of the melding, or None when only an address was given."""
    if melding.locatie is None:
        return None
    row = lees(_PLEK, {"id": melding.id}).one()
    return float(row[0]), float(row[1])


def afstand_meters(melding: Melding, latitude: float, longitude: float) -> float:
    return db.session.scalar(
        select(func.ST_Distance(geografie(Melding.locatie),
                                geografie(punt(latitude, longitude))))
        .where(Melding.id == melding.id)
    )


# --- The resident's reporting flow ------------------------------------------------------


class SteunGeweigerd(ValueError):
    """A "dit is mijn melding ook" that does not fit; str(e) is Dutch for the resident."""


def maak_melding(
    *,
    categorie: Categorie,
    omschrijving: str,
    buurt: Buurt,
    plek: tuple[float, float] | None,
    locatie_tekst: str = "",
    email: str | None = None,
    fotos: list[VerwerkteFoto] | tuple[VerwerkteFoto, ...] = (),
    bron: str = "web",
    op: datetime | None = None,
    bevestigen: bool = True,
) -> Melding:
    """Create a melding with its first history entry, contact and photos; queue the e-mail.

    The one way a melding is made: by the form, and by demo data and tests, which pass the
    moment it was made (`op`), their `bron`, and `bevestigen=False` to send no e-mail.
    """
    melding = Melding(
        token=nieuw_token(),
        categorie=categorie,
        omschrijving=omschrijving,
        locatie=WKTElement(f"POINT({plek[1]} {plek[0]})", srid=SRID) if plek else None,
        locatie_tekst=locatie_tekst,
        buurt_code=buurt.code,
        wijk_code=buurt.wijk_code,
        status=Status.GEMELD.value,
        organisatie_id=categorie.organisatie_id,
        deadline=plus_werkdagen(lokale_datum(op) if op else vandaag(),
                                categorie.afhandeltermijn_werkdagen),
        bron=bron,
    )
    moment = {"created_at": op} if op is not None else {}  # else the database's now()
    if op is not None:
        melding.created_at = melding.updated_at = op
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.STATUS, status_naar=Status.GEMELD.value,
                    tekst="Melding ontvangen", publiek=True, **moment)
    )
    if email:
        melding.contacten.append(Contact(soort=Contact.MELDER, email=email, **moment))
    for foto in fotos:
        melding.fotos.append(Foto(bestand=foto.bestand, thumbnail=foto.thumbnail,
                                  breedte=foto.breedte, hoogte=foto.hoogte))
    db.session.add(melding)
    db.session.flush()
    if email and bevestigen:
        mail.queue(
            email,
            f"Uw melding {melding.nummer} is ontvangen",
            render_template(
                "meldingen/mail/ontvangen.txt", melding=melding,
                link=absolute_url("meldingen.volglink", token=melding.token),
            ),
        )
    return melding


def steun_melding(
    melding_id: int, categorie_id: int, latitude: float, longitude: float, email: str | None
) -> Melding:
    """Add a supporter (steun contact + internal history entry) to a nearby open melding.

    Open and with a place: so the melding is on the public map, and the page the e-mail links
    to exists (until KAART_RECENT_DAYS after it is afgehandeld; see `kaart.zichtbaar`).
    """
    melding = db.session.get(Melding, melding_id, with_for_update=True)
    if melding is None or not melding.is_open or melding.locatie is None:
        raise SteunGeweigerd(
            "Deze melding is al afgehandeld of bestaat niet meer. Doe dan een nieuwe melding."
        )
    if melding.categorie_id != categorie_id:
        raise SteunGeweigerd(
            "Deze melding gaat over iets anders dan u koos. Doe dan een nieuwe melding."
        )
    meters = current_app.config["NEARBY_METERS"]
    if afstand_meters(melding, latitude, longitude) > meters:
        raise SteunGeweigerd(
            f"Deze melding is meer dan {meters} meter van uw plek. Doe dan een nieuwe melding."
        )
    al_bekend = email and any(c.email == email for c in melding.contacten)
    if not al_bekend:
        melding.contacten.append(Contact(soort=Contact.STEUN, email=email or None))
        melding.gebeurtenissen.append(
            Gebeurtenis(soort=Gebeurtenis.STEUN, publiek=False,
                        tekst="Een inwoner meldt hetzelfde probleem.")
        )
    db.session.flush()
    if email and not al_bekend:
        mail.queue(
            email,
            f"U volgt melding {melding.nummer}",
            render_template(
                "meldingen/mail/steun.txt", melding=melding,
                link=absolute_url("meldingen.publiek", id=melding.id),
                dagen=current_app.config["KAART_RECENT_DAYS"],
            ),
        )
    return melding


def laatste_afhandeling(melding: Melding) -> Gebeurtenis | None:
    """The status change that last closed the melding as afgehandeld, if any."""
    for g in reversed(melding.gebeurtenissen):
        if g.soort == Gebeurtenis.STATUS and g.status_naar == Status.AFGEHANDELD:
            return g
    return None


def opgelost_link(melding: Melding) -> str:
    """Absolute URL of the "is het opgelost?" page, for the mail when a melding is closed."""
    return absolute_url("meldingen.volglink_opgelost", token=melding.token)


def opgelost_mail(melding: Melding, bericht: str = "") -> list[mail.Uitgaand]:
    """Queue "uw melding is afgehandeld, is het opgelost?" to the melder (flushes).

    `bericht` is the staff's closing message; without it the latest one is used.
    """
    if not bericht:
        afhandeling = laatste_afhandeling(melding)
        bericht = afhandeling.tekst if afhandeling is not None and afhandeling.publiek else ""
    tekst = render_template(
        "meldingen/mail/opgelost.txt", melding=melding, bericht=bericht,
        link=opgelost_link(melding),
    )
    return [
        mail.queue(c.email, f"Uw melding {melding.nummer} is afgehandeld", tekst)
        for c in melding.contacten
        if c.soort == Contact.MELDER and c.email
    ]
