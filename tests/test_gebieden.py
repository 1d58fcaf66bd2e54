"""Point → buurt lookup and the import of CBS boundaries, against real PostGIS."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select, text

from participatie.gebieden.models import Buurt, Gemeente, Wijk
from participatie.gebieden.services import buurt_voor_punt, importeer
from tests.factories import BINNENSTAD, BUITEN_HENGELO, DE_NOORK


def test_punt_in_de_noork_hoort_bij_buurt_de_noork_in_wijk_noord(db_session):
    buurt = buurt_voor_punt(*DE_NOORK)
    assert (buurt.code, buurt.naam) == ("BU01640202", "De Noork")
    assert (buurt.wijk.code, buurt.wijk.korte_naam) == ("WK016402", "Noord")


def test_punt_in_de_binnenstad(db_session):
    assert buurt_voor_punt(*BINNENSTAD).wijk_code == "WK016400"


def test_punt_buiten_de_gemeente_heeft_geen_buurt(db_session):
    assert buurt_voor_punt(*BUITEN_HENGELO) is None
    # Just outside the gemeente's bounding box (6.702–6.846 lon) is outside too.
    assert buurt_voor_punt(52.26, 6.90) is None


def test_elke_buurt_wordt_gevonden_op_een_punt_binnen_zichzelf(db_session):
    rows = db_session.execute(
        select(Buurt.code, func.ST_Y(func.ST_PointOnSurface(Buurt.geom)),
               func.ST_X(func.ST_PointOnSurface(Buurt.geom)))
    ).all()
    assert len(rows) == 62
    for code, lat, lon in rows:
        assert buurt_voor_punt(lat, lon).code == code


def test_hengelo_is_geladen_met_alle_wijken_en_buurten(db_session):
    assert db_session.scalar(select(func.count()).select_from(Gemeente)) == 1
    assert db_session.scalar(select(func.count()).select_from(Wijk)) == 10
    assert db_session.scalar(select(func.count()).select_from(Buurt)) == 62
    assert db_session.scalar(select(func.bool_and(func.ST_IsValid(Buurt.geom)))) is True


def _feature(code, naam, coords, **props):
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": naam, **props},
            "geometry": {"type": "Polygon", "coordinates": [coords]}}


SQUARE = [[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]
BOWTIE = [[5.0, 52.0], [5.1, 52.1], [5.1, 52.0], [5.0, 52.1], [5.0, 52.0]]


def test_import_van_andere_gemeente_meldt_wat_is_overgeslagen_en_waarom(db_session, tmp_path):
    path = tmp_path / "gemeente.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _feature("GM9999", "Proefdorp", SQUARE),
        _feature("WK999901", "Wijk 01 Oost", SQUARE),
        _feature("BU99990101", "Kerkbuurt", BOWTIE),  # self-intersecting: repaired
        _feature("BU99990201", "Zonder wijk", SQUARE),  # wijk WK999902 is missing
        {"type": "Feature", "properties": {"statcode": "BU99990102", "statnaam": "Punt"},
         "geometry": {"type": "Point", "coordinates": [5.05, 52.05]}},
        _feature("XX12", "Raar", SQUARE),
    ]}))
    resultaat = importeer([path])
    assert resultaat.toegevoegd == {"gemeente": 1, "wijk": 1, "buurt": 1}
    assert resultaat.hersteld == ["BU99990101"]
    redenen = dict(resultaat.overgeslagen)
    assert "WK999902 bestaat niet" in redenen["BU99990201"]
    assert "Point" in redenen["BU99990102"]
    assert "onbekende code" in redenen[next(k for k in redenen if k.endswith("#6"))]
    assert buurt_voor_punt(52.05, 5.05).code == "BU99990101"


def test_import_cli_toont_voortgang_en_samenvatting(runner, tmp_path):
    path = tmp_path / "rd.geojson"
    # RD New coordinates (EPSG:28992) are transformed to WGS84.
    rd_square = [[250000, 475000], [251000, 475000], [251000, 476000], [250000, 476000],
                 [250000, 475000]]
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": [_feature("GM9998", "Rijksdriehoek", rd_square)],
    }))
    result = runner.invoke(args=["gebieden", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"gemeente\s+1 nieuw", result.output)
    assert "Importeren" in result.output
    lon, lat = db_session_point(runner.app, "GM9998")
    assert 6.77 < lon < 6.81 and 52.25 < lat < 52.28


def db_session_point(app, code):
    from participatie.extensions import db

    return db.session.execute(
        select(func.ST_X(func.ST_Centroid(Gemeente.geom)),
               func.ST_Y(func.ST_Centroid(Gemeente.geom))).where(Gemeente.code == code)
    ).one()


@pytest.mark.parametrize("inhoud, fout", [
    ("dit is geen json", "kan het bestand niet lezen"),
    ('{"type": "Feature"}', "geen GeoJSON FeatureCollection"),
])
def test_import_cli_weigert_onleesbaar_bestand(runner, tmp_path, inhoud, fout):
    path = tmp_path / "kapot.geojson"
    path.write_text(inhoud)
    result = runner.invoke(args=["gebieden", "import", str(path)])
    assert result.exit_code == 1
    assert fout in result.output



# Inside the gemeente outline, 362 m from the nearest generalised buurt polygon (found by
# sampling 20,000 points in the CBS 2024 layers; the test checks it is still such a gap).
GAT_IN_DE_BUURTKAART = (52.302210, 6.787781)


def test_punt_in_een_gat_tussen_gegeneraliseerde_buurten_krijgt_de_dichtstbijzijnde(db_session):
    lat, lon = GAT_IN_DE_BUURTKAART
    in_gemeente, afstand, dichtstbij = db_session.execute(text("""
        WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g)
        SELECT (SELECT ST_Intersects(geom, p.g) FROM gemeente WHERE code = 'GM0164'),
               (SELECT min(ST_Distance(geom::geography, p.g::geography)) FROM buurt),
               (SELECT code FROM buurt ORDER BY ST_Distance(geom::geography, p.g::geography)
                LIMIT 1)
        FROM p
    """), {"lat": lat, "lon": lon}).one()
    assert in_gemeente and afstand > 150
    assert buurt_voor_punt(lat, lon).code == dichtstbij
