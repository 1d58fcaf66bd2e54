"""Plain functions that read and change meldingen. They flush; the view commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import selectinload

from participatie.extensions import db
from participatie.gebieden.services import punt
from participatie.meldingen.models import Melding
from participatie.meldingen.workflow import OPEN


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
    plek = cast(punt(latitude, longitude), Geography)
    locatie = cast(Melding.locatie, Geography)
    since = datetime.now(UTC) - timedelta(weeks=weken)
    query = (
        select(Melding)
        .where(
            Melding.categorie_id == categorie_id,
            Melding.status.in_([s.value for s in OPEN]),
            Melding.created_at >= since,
            func.ST_DWithin(locatie, plek, meters),
        )
        .order_by(func.ST_Distance(locatie, plek), Melding.id)
        .limit(limit)
        .options(selectinload(Melding.contacten), selectinload(Melding.categorie))
    )
    return list(db.session.scalars(query))


def afstand_meters(melding: Melding, latitude: float, longitude: float) -> float:
    return db.session.scalar(
        select(func.ST_Distance(cast(Melding.locatie, Geography),
                                cast(punt(latitude, longitude), Geography)))
        .where(Melding.id == melding.id)
    )
