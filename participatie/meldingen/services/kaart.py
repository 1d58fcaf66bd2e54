"""What the public may see of meldingen: the map layer, its list and one melding's page.

Everything here is public: it never shows a description, an e-mail address, a token or a
photo that staff have not approved. Free text written by residents can hold personal data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import Numeric, and_, func, literal, or_, select
from sqlalchemy.orm import selectinload

from participatie.extensions import db
from participatie.gebieden.models import SRID, Buurt, Wijk
from participatie.meldingen.models import Categorie, CategorieGroep, Foto, Melding
from participatie.meldingen.workflow import OPEN_WAARDEN, Status
from participatie.tijd import lokale_datum

# Above this many meldingen in view the map gets clusters instead of single points.
CLUSTER_DREMPEL = 250
# A cluster cell is about this many screen pixels wide at the requested zoom...
CLUSTER_PIXELS = 60
# ...but never so small that the view holds more than this many cells across.
MAX_CELLEN_BREED = 24
MAX_CLUSTERS = 400
# Largest bbox we answer, in square degrees (Hengelo is about 0.02; the Netherlands ~ 12).
MAX_BBOX_GRADEN2 = 4.0
STANDAARD_ZOOM = 13
PER_PAGINA = 20


def publieke_melding(melding_id: int) -> Melding | None:
    """One melding that the map shows (`zichtbaar`), with what its public page needs, or None.

    Ids are sequential, so anything the map does not show must not have a page either.
    """
    return db.session.scalar(
        select(Melding)
        .where(Melding.id == melding_id, *zichtbaar())
        .options(
            selectinload(Melding.categorie),
            selectinload(Melding.buurt).selectinload(Buurt.wijk),
            selectinload(Melding.gebeurtenissen),
            selectinload(Melding.fotos),
            selectinload(Melding.contacten),
        )
    )


def heeft_publieke_pagina(melding_id: int) -> bool:
    """Whether the map shows the melding, so that its public page exists."""
    return db.session.scalar(select(Melding.id).where(Melding.id == melding_id, *zichtbaar())) \
        is not None


def publiek_origineel(melding_id: int) -> int | None:
    """For a merged melding: the public melding it ended up in (through any chain of merges),
    or None when there is none, so the merged one's page leads nowhere the map does not."""
    gezien = {melding_id}
    while True:
        melding_id = db.session.scalar(select(Melding.samengevoegd_met_id).where(
            Melding.id == melding_id, Melding.status == Status.SAMENGEVOEGD.value))
        if melding_id is None or melding_id in gezien:
            return None
        if db.session.scalar(select(Melding.id).where(Melding.id == melding_id, *zichtbaar())):
            return melding_id
        gezien.add(melding_id)


def publieke_fotos(melding: Melding) -> list[Foto]:
    return [f for f in melding.fotos if f.publiek and not f.verborgen]


def goedgekeurde_foto(foto_id: int) -> Foto | None:
    """A photo that staff approved, of a melding the map shows; any other photo is None."""
    return db.session.scalar(
        select(Foto).join(Melding, Melding.id == Foto.melding_id)
        .where(Foto.id == foto_id, Foto.publiek, Foto.verborgen.is_(False), *zichtbaar())
    )


class OngeldigeVraag(ValueError):
    """A map request we cannot answer; the message is Dutch and meant for people."""


@dataclass(frozen=True)
class Bbox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def envelope(self):
        return func.ST_MakeEnvelope(self.min_lon, self.min_lat, self.max_lon, self.max_lat, SRID)


def lees_bbox(waarde: str | None) -> Bbox | None:
    """'minLon,minLat,maxLon,maxLat' → Bbox; None when absent; OngeldigeVraag when wrong."""
    if waarde is None or not waarde.strip():
        return None
    delen = waarde.split(",")
    try:
        getallen = [float(d) for d in delen]
    except ValueError:
        getallen = []
    if len(delen) != 4 or len(getallen) != 4 or not all(map(math.isfinite, getallen)):
        raise OngeldigeVraag(
            "De kaartgrenzen (bbox) moeten vier getallen zijn: "
            "minLon,minLat,maxLon,maxLat, bijvoorbeeld 6.75,52.24,6.84,52.30."
        )
    bbox = Bbox(*getallen)
    lengte_goed = -180 <= bbox.min_lon < bbox.max_lon <= 180
    if not (lengte_goed and -90 <= bbox.min_lat < bbox.max_lat <= 90):
        raise OngeldigeVraag(
            "De kaartgrenzen (bbox) kloppen niet: de lengtegraad ligt tussen -180 en 180, de "
            "breedtegraad tussen -90 en 90, en het minimum is kleiner dan het maximum."
        )
    if (bbox.max_lon - bbox.min_lon) * (bbox.max_lat - bbox.min_lat) > MAX_BBOX_GRADEN2:
        raise OngeldigeVraag("Dit stuk van de kaart is te groot. Zoom verder in.")
    return bbox


def lees_zoom(waarde: str | None) -> int:
    if waarde is None or not waarde.strip():
        return STANDAARD_ZOOM
    try:
        zoom = int(waarde)
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= 20:
        raise OngeldigeVraag("Het zoomniveau moet een heel getal van 0 tot en met 20 zijn.")
    return zoom


def categorie_ids(slugs: list[str]) -> list[int]:
    """The ids of these category slugs; OngeldigeVraag names the first unknown one."""
    slugs = [s.strip() for s in slugs if s.strip()]
    if not slugs:
        return []
    gevonden = {slug: cid for slug, cid in db.session.execute(
        select(Categorie.slug, Categorie.id).where(Categorie.slug.in_(slugs))
    )}
    for slug in slugs:
        if slug not in gevonden:
            raise OngeldigeVraag(f"De categorie '{slug[:60]}' bestaat niet.")
    return list(gevonden.values())


def zichtbaar(categorieen: list[int] | None = None, bbox: Bbox | None = None,
              wijk_code: str | None = None) -> list:
    """What the public sees, on the map, in its list and as a page: a melding with a place that
    is open, or afgehandeld in the last KAART_RECENT_DAYS days. Never a geannuleerd one (often
    not a real problem, or not for the public), nor a samengevoegd one (its original is)."""
    sinds = datetime.now(UTC) - timedelta(days=current_app.config["KAART_RECENT_DAYS"])
    voorwaarden = [
        Melding.locatie.is_not(None),
        or_(
            Melding.status.in_(OPEN_WAARDEN),
            and_(Melding.status == Status.AFGEHANDELD.value, Melding.gesloten_op >= sinds),
        ),
    ]
    if categorieen:
        voorwaarden.append(Melding.categorie_id.in_(categorieen))
    if bbox is not None:
        voorwaarden.append(Melding.locatie.op("&&")(bbox.envelope()))
    if wijk_code:
        voorwaarden.append(Melding.wijk_code == wijk_code)
    return voorwaarden


def punt_features(voorwaarden: list, limit: int) -> list[dict]:
    """Single meldingen as GeoJSON features with public properties only."""
    rows = db.session.execute(
        select(
            Melding.id, Categorie.naam, Melding.status, Melding.created_at,
            func.ST_AsGeoJSON(Melding.locatie, 5),
        )
        .join(Categorie, Categorie.id == Melding.categorie_id)
        .where(*voorwaarden)
        .order_by(Melding.created_at.desc(), Melding.id.desc())
        .limit(limit)
    )
    return [
        {
            "type": "Feature",
            "geometry": json.loads(geometrie),
            "properties": {
                "id": melding_id,
                "categorie": categorie,
                "status": status,
                "status_label": Status(status).label,
                "datum": lokale_datum(created_at).isoformat(),
                "url": url_for("meldingen.publiek", id=melding_id),
            },
        }
        for melding_id, categorie, status, created_at, geometrie in rows
    ]


def celgrootte(zoom: int, bbox: Bbox) -> tuple[float, float]:
    """Cluster cell (degrees lon, degrees lat): ~CLUSTER_PIXELS wide on screen at `zoom`."""
    breedte = 360.0 / (2**zoom) / 256 * CLUSTER_PIXELS
    breedte = max(breedte, (bbox.max_lon - bbox.min_lon) / MAX_CELLEN_BREED,
                  (bbox.max_lat - bbox.min_lat) / MAX_CELLEN_BREED * 1.6)
    # In Web Mercator a degree of latitude is 1/cos(lat) times longer on screen.
    midden = math.radians((bbox.min_lat + bbox.max_lat) / 2)
    return breedte, breedte * max(math.cos(midden), 0.05)


def cluster_features(voorwaarden: list, zoom: int, bbox: Bbox) -> list[dict]:
    """Meldingen grouped per grid cell (ST_SnapToGrid); a cell of one is a single feature."""
    dx, dy = celgrootte(zoom, bbox)
    cel = func.ST_SnapToGrid(Melding.locatie, literal(dx), literal(dy))
    aantal = func.count().label("aantal")
    rows = db.session.execute(
        select(
            aantal,
            func.round(func.avg(func.ST_X(Melding.locatie)).cast(Numeric), 5),
            func.round(func.avg(func.ST_Y(Melding.locatie)).cast(Numeric), 5),
            func.min(Melding.id),
        )
        .where(*voorwaarden)
        .group_by(cel)
        .order_by(aantal.desc())
        .limit(MAX_CLUSTERS)
    ).all()
    enkel = [melding_id for n, _x, _y, melding_id in rows if n == 1]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
            "properties": {"cluster": True, "aantal": n},
        }
        for n, x, y, _id in rows if n > 1
    ]
    if enkel:
        features += punt_features([Melding.id.in_(enkel)], len(enkel))
    return features


def meldingen_geojson(bbox: Bbox | None, zoom: int, categorieen: list[int]) -> dict:
    """The public map layer: single meldingen, or clusters when the view holds many."""
    if bbox is None:
        extent = select(func.ST_Extent(Wijk.geom).label("e")).subquery().c.e
        bbox = Bbox(*db.session.execute(
            select(func.ST_XMin(extent), func.ST_YMin(extent),
                   func.ST_XMax(extent), func.ST_YMax(extent))
        ).one())
    voorwaarden = zichtbaar(categorieen, bbox)
    in_beeld = db.session.scalar(
        select(func.count()).select_from(
            select(Melding.id).where(*voorwaarden).limit(CLUSTER_DREMPEL + 1).subquery()
        )
    )
    if in_beeld > CLUSTER_DREMPEL:
        features = cluster_features(voorwaarden, zoom, bbox)
    else:
        features = punt_features(voorwaarden, CLUSTER_DREMPEL)
    return {"type": "FeatureCollection", "features": features}


def categorie_groepen() -> list[CategorieGroep]:
    return list(db.session.scalars(
        select(CategorieGroep)
        .order_by(CategorieGroep.volgorde, CategorieGroep.naam)
        .options(selectinload(CategorieGroep.categorieen))
    ))


@dataclass(frozen=True)
class KaartLijst:
    """One page of the list under the map."""

    rows: list
    totaal: int
    pagina: int
    paginas: int


def recente_meldingen(voorwaarden: list, pagina: int) -> KaartLijst:
    """One page of visible meldingen, newest first, and the total count.

    A page before the first or past the last shows the nearest one: the number in the address
    is anyone's to change, and it is clamped before it reaches the database.
    """
    totaal = db.session.scalar(select(func.count()).select_from(Melding).where(*voorwaarden))
    paginas = max(1, math.ceil((totaal or 0) / PER_PAGINA))
    pagina = min(max(pagina, 1), paginas)
    rows = db.session.execute(
        select(Melding.id, Categorie.naam, Melding.status, Buurt.naam, Melding.created_at)
        .join(Categorie, Categorie.id == Melding.categorie_id)
        .join(Buurt, Buurt.code == Melding.buurt_code)
        .where(*voorwaarden)
        .order_by(Melding.created_at.desc(), Melding.id.desc())
        .limit(PER_PAGINA)
        .offset((pagina - 1) * PER_PAGINA)
    ).all()
    return KaartLijst(rows, totaal or 0, pagina, paginas)
