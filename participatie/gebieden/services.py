"""Spatial questions about the gemeente, and the import of CBS boundaries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geoalchemy2 import WKBElement
from sqlalchemy import func, select, text
from sqlalchemy.orm import defer, selectinload

from participatie.extensions import db
from participatie.gebieden.models import SRID, Buurt, Gemeente, Wijk
from participatie.referentie import referentie


def punt(latitude: float, longitude: float):
    """A PostGIS point in SRID 4326 (note: x is the longitude)."""
    return func.ST_SetSRID(func.ST_MakePoint(longitude, latitude), SRID)


def geografie(expression):
    """`expression::geography`, written so that PostgreSQL matches it to the GiST indexes on
    `(locatie::geography)`; GeoAlchemy2's cast(…, Geography) renders a typed cast that does not.
    """
    return func.Geography(expression)


def wijk_voor_code(code: str) -> Wijk | None:
    """The wijk of a code as typed in a URL ("wk016402", with spaces), or None."""
    code = code.strip().upper()
    return db.session.get(Wijk, code) if len(code) <= 8 else None


def buurt_voor_punt(latitude: float, longitude: float) -> Buurt | None:
    """The buurt that contains the point, or None when it lies outside every gemeente."""
    p = punt(latitude, longitude)
    buurt = db.session.scalar(select(Buurt).where(func.ST_Intersects(Buurt.geom, p)).limit(1))
    if buurt is not None:
        return buurt
    in_gemeente = db.session.scalar(
        select(Gemeente.code).where(func.ST_Intersects(Gemeente.geom, p)).limit(1)
    )
    if in_gemeente is None:
        return None
    # Generalised CBS layers leave gaps between the buurten inside the gemeente outline (up
    # to some 350 m in Hengelo). A point in such a gap is in the gemeente all the same, so
    # it belongs to the nearest buurt of that gemeente.
    return db.session.scalar(
        select(Buurt)
        .join(Wijk)
        .where(Wijk.gemeente_code == in_gemeente)
        .order_by(func.ST_Distance(geografie(Buurt.geom), geografie(p)))
        .limit(1)
    )


@dataclass(frozen=True)
class BuurtNaam:
    code: str
    naam: str
    wijk_code: str


@dataclass(frozen=True)
class WijkNaam:
    """A wijk and its buurten by name, for lists and choices (not an ORM object)."""

    code: str
    naam: str
    korte_naam: str
    buurten: tuple[BuurtNaam, ...]


@referentie("wijk", "buurt")
def wijken() -> tuple[WijkNaam, ...]:
    """Every wijk with its buurten, in code order, without their polygons: the one read for
    lists and choices, kept per process (maps ask `grenzen_geojson`)."""
    rows = db.session.scalars(select(Wijk).order_by(Wijk.code).options(
        defer(Wijk.geom), selectinload(Wijk.buurten).defer(Buurt.geom)))
    return tuple(
        WijkNaam(w.code, w.naam, w.korte_naam,
                 tuple(BuurtNaam(b.code, b.naam, w.code) for b in w.buurten))
        for w in rows)


@referentie("wijk", "buurt")
def buurt_namen() -> dict[str, str]:
    """Every buurt's name by its code."""
    return {b.code: b.naam for w in wijken() for b in w.buurten}


def grenzen_geojson(gemeente_code: str | None = None) -> dict:
    """The wijk outlines as a GeoJSON FeatureCollection, for maps (simplified, small)."""
    query = select(
        Wijk.code, Wijk.naam, func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(Wijk.geom,
                                                                                 0.0005), 5)
    ).order_by(Wijk.code)
    if gemeente_code:
        query = query.where(Wijk.gemeente_code == gemeente_code)
    features = [
        {"type": "Feature", "id": code, "properties": {"code": code, "naam": naam},
         "geometry": json.loads(geometry)}
        for code, naam, geometry in db.session.execute(query)
    ]
    return {"type": "FeatureCollection", "features": features}


# --- Import of CBS wijk- en buurtkaart layers -----------------------------------------

NIVEAUS = ("gemeente", "wijk", "buurt")


@dataclass
class ImportResultaat:
    toegevoegd: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NIVEAUS, 0))
    bijgewerkt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NIVEAUS, 0))
    hersteld: list[str] = field(default_factory=list)
    overgeslagen: list[tuple[str, str]] = field(default_factory=list)  # (feature, reason)

    @property
    def totaal(self) -> int:
        return sum(self.toegevoegd.values()) + sum(self.bijgewerkt.values())


@dataclass
class _Feature:
    niveau: str
    code: str
    naam: str
    parent: str | None
    geometry: dict
    srid: int


class ImportFout(ValueError):
    """The file as a whole cannot be read (not JSON, not a FeatureCollection)."""


def _srid_of(collection: dict) -> int:
    name = str(((collection.get("crs") or {}).get("properties") or {}).get("name", ""))
    if "28992" in name:
        return 28992
    if name and not any(part in name for part in ("4326", "CRS84")):
        raise ImportFout(f"Onbekend coördinatenstelsel {name!r}; gebruik WGS84 of RD New.")
    return SRID


def _classify(properties: dict, feature_id) -> tuple[str, str, str, str | None] | str:
    """(niveau, code, naam, parent code) from CBS or PDOK properties, or a reason to skip."""
    code = properties.get("statcode") or feature_id or ""
    naam = properties.get("statnaam") or ""
    for niveau in ("buurt", "wijk", "gemeente"):
        if properties.get(f"{niveau}code") and properties.get(f"{niveau}naam"):
            code, naam = properties[f"{niveau}code"], properties[f"{niveau}naam"]
            break
    code = str(code).strip().upper()
    if not code:
        return "geen statcode of buurtcode/wijkcode/gemeentecode"
    prefix = code[:2]
    if prefix == "GM" and len(code) == 6:
        return "gemeente", code, naam or code, None
    if prefix == "WK" and len(code) == 8:
        return "wijk", code, naam or code, "GM" + code[2:6]
    if prefix == "BU" and len(code) == 10:
        wijkcode = str(properties.get("wijkcode") or "WK" + code[2:8]).upper()
        return "buurt", code, naam or code, wijkcode
    return f"onbekende code {code!r} (verwacht GM…, WK… of BU…)"


def lees_features(paths: Iterable[Path], resultaat: ImportResultaat) -> list[_Feature]:
    """Read GeoJSON files into features sorted gemeente → wijk → buurt."""
    features: list[_Feature] = []
    for path in paths:
        try:
            collection = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFout(f"{path}: kan het bestand niet lezen ({error})") from error
        if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
            raise ImportFout(f"{path}: dit is geen GeoJSON FeatureCollection")
        srid = _srid_of(collection)
        for index, feature in enumerate(collection.get("features") or []):
            label = f"{Path(path).name} #{index + 1}"
            if not isinstance(feature, dict):
                resultaat.overgeslagen.append((label, "geen GeoJSON-feature"))
                continue
            soort = _classify(feature.get("properties") or {}, feature.get("id"))
            if isinstance(soort, str):
                resultaat.overgeslagen.append((label, soort))
                continue
            niveau, code, naam, parent = soort
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                resultaat.overgeslagen.append(
                    (code, f"geometrie is {geometry.get('type') or 'leeg'}, geen (Multi)Polygon")
                )
                continue
            features.append(_Feature(niveau, code, naam, parent, geometry, srid))
    features.sort(key=lambda f: (NIVEAUS.index(f.niveau), f.code))
    return features


_CHECK_SQL = text(
    """
    WITH raw AS (
        SELECT ST_SetSRID(ST_GeomFromGeoJSON(:geojson), :srid) AS g
    ), fixed AS (
        SELECT ST_IsValid(g) AS was_valid,
               ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) AS g
        FROM raw
    )
    SELECT was_valid, ST_IsEmpty(g) AS empty,
           ST_AsEWKB(ST_Transform(g, 4326)) AS geom
    FROM fixed
    """
)

_MODELS = {"gemeente": Gemeente, "wijk": Wijk, "buurt": Buurt}
_PARENT_FIELD = {"wijk": "gemeente_code", "buurt": "wijk_code"}


def importeer(
    paths: Iterable[Path], progress: Callable[[Iterable], Iterable] | None = None
) -> ImportResultaat:
    """Insert or update gemeenten, wijken and buurten from CBS GeoJSON files (flushes)."""
    resultaat = ImportResultaat()
    features = lees_features(paths, resultaat)
    known = {
        "gemeente": set(db.session.scalars(select(Gemeente.code))),
        "wijk": set(db.session.scalars(select(Wijk.code))),
        "buurt": set(db.session.scalars(select(Buurt.code))),
    }
    parent_niveau = {"wijk": "gemeente", "buurt": "wijk"}
    iterator = progress(features) if progress else features
    for feature in iterator:
        if feature.parent and feature.parent not in known[parent_niveau[feature.niveau]]:
            resultaat.overgeslagen.append(
                (feature.code, f"{parent_niveau[feature.niveau]} {feature.parent} bestaat niet;"
                               " importeer die eerst (of in hetzelfde commando)")
            )
            continue
        try:
            with db.session.begin_nested():
                row = db.session.execute(
                    _CHECK_SQL, {"geojson": json.dumps(feature.geometry), "srid": feature.srid}
                ).one()
        except Exception as error:  # PostGIS refuses malformed coordinates with many errors
            reason = str(getattr(error, "orig", error)).splitlines()[0]
            resultaat.overgeslagen.append((feature.code, f"ongeldige geometrie: {reason}"))
            continue
        if row.empty:
            resultaat.overgeslagen.append((feature.code, "geometrie is leeg na reparatie"))
            continue
        if not row.was_valid:
            resultaat.hersteld.append(feature.code)
        model = _MODELS[feature.niveau]
        geom = WKBElement(bytes(row.geom), srid=SRID, extended=True)
        values = {"naam": feature.naam, "geom": geom}
        if feature.niveau in _PARENT_FIELD:
            values[_PARENT_FIELD[feature.niveau]] = feature.parent
        existing = db.session.get(model, feature.code)
        if existing is None:
            db.session.add(model(code=feature.code, **values))
            resultaat.toegevoegd[feature.niveau] += 1
        else:
            for key, value in values.items():
                setattr(existing, key, value)
            resultaat.bijgewerkt[feature.niveau] += 1
        known[feature.niveau].add(feature.code)
        db.session.flush()
    return resultaat
