"""Server-Timing (participatie/timing.py): for benchmarks only, off unless SERVER_TIMING is set."""

from __future__ import annotations

import re

from participatie import create_app
from participatie.extensions import db
from tests.conftest import TEST_DATABASE_URL


def test_zonder_instelling_zegt_de_app_niets_over_zijn_tijden(client):
    response = client.get("/kaart/wijken.geojson")
    assert response.status_code == 200 and "Server-Timing" not in response.headers


def test_met_server_timing_staan_sql_en_hele_verzoek_in_de_header(app):
    # `app` first: it made and migrated the test database that this second app reads.
    gemeten = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "SECRET_KEY": "x",
                          "SERVER_TIMING": True})
    response = gemeten.test_client().get("/kaart/wijken.geojson")
    with gemeten.app_context():
        db.engine.dispose()
    assert response.status_code == 200
    tijden = re.fullmatch(r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)',
                          response.headers["Server-Timing"])
    assert tijden, response.headers["Server-Timing"]
    sql, queries, totaal = float(tijden[1]), int(tijden[2]), float(tijden[3])
    assert queries >= 1 and 0 < sql <= totaal
