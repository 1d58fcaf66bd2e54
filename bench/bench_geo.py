"""Speed of the two spatial questions a resident's report asks, with a million meldingen.

Run: .venv/bin/python bench/bench_geo.py [--meldingen 1000000] [--punten 1000]
Uses its own database (BENCH_DATABASE_URL, default participatie_bench): migrates it, loads
Hengelo and the categories, generates the meldingen in SQL once (re-used on later runs),
ANALYZEs, then times buurt_voor_punt and vergelijkbare_meldingen over random points and
prints p50/p95/max in ms plus the EXPLAIN of the nearby query. Target: <= 5 ms each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench"
)

# One statement per buurt: points inside the buurt polygon (ST_GeneratePoints), random
# categories, statuses (about 40% open) and dates over the last year.
_GENEREER = """
WITH punten AS (
    SELECT b.code, b.wijk_code, d.geom,
           random() AS r_status, random() AS r_cat, random() AS r_open, random() AS r_dicht,
           now() - random() * interval '365 days' AS gemaakt
    FROM buurt b, ST_Dump(ST_GeneratePoints(b.geom, :n, :seed)) AS d
    WHERE b.code = :code
), met_status AS (
    SELECT p.*,
           CASE WHEN r_status < 0.55 THEN 'afgehandeld'
                WHEN r_status < 0.59 THEN 'geannuleerd'
                WHEN r_status < 0.60 THEN 'samengevoegd'
                ELSE (ARRAY['gemeld', 'in_behandeling', 'ingepland', 'doorgezet',
                            'reactie_gevraagd'])[1 + floor(r_open * 5)::int]
           END AS status
    FROM punten p
)
INSERT INTO melding (token, categorie_id, omschrijving, locatie, locatie_tekst, buurt_code,
                     wijk_code, status, deadline, bron, created_at, updated_at, gesloten_op)
SELECT md5(random()::text) || md5(random()::text),
       (:categorieen)[1 + floor(r_cat * cardinality(:categorieen))::int],
       'Benchmarkmelding', geom, '', code, wijk_code, status, gemaakt::date + 7, 'bench',
       gemaakt, gemaakt,
       CASE WHEN status IN ('afgehandeld', 'geannuleerd', 'samengevoegd')
            THEN least(now(), gemaakt + r_dicht * interval '20 days') END
FROM met_status
"""


def maak_app(url: str = URL):
    """A migrated bench database with Hengelo and the categories loaded."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), url],
                   check=True)
    from flask_migrate import upgrade

    from participatie import create_app
    from participatie.cli import HENGELO_FILES
    from participatie.extensions import db
    from participatie.gebieden.models import Buurt
    from participatie.gebieden.services import importeer
    from participatie.meldingen.categorieen import zorg_voor_basis

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        if db.session.query(Buurt.code).first() is None:
            importeer(HENGELO_FILES)
        zorg_voor_basis()
        db.session.commit()
    return app


def zorg_voor_meldingen(app, aantal: int) -> int:
    """Generate bench meldingen until there are `aantal` (bron='bench'); returns the count."""
    from sqlalchemy import bindparam, text
    from sqlalchemy.dialects.postgresql import ARRAY
    from sqlalchemy.types import Integer

    from participatie.extensions import db

    with app.app_context():
        bestaand = db.session.scalar(text("SELECT count(*) FROM melding WHERE bron = 'bench'"))
        if bestaand >= aantal:
            return bestaand
        buurten = db.session.scalars(text("SELECT code FROM buurt ORDER BY code")).all()
        categorieen = db.session.scalars(text("SELECT id FROM categorie ORDER BY id")).all()
        nodig = aantal - bestaand
        print(f"{nodig} meldingen genereren in {len(buurten)} buurten...", flush=True)
        start = time.perf_counter()
        statement = text(_GENEREER).bindparams(
            bindparam("categorieen", type_=ARRAY(Integer))
        )
        for index, code in enumerate(buurten):
            n = nodig // len(buurten) + (1 if index < nodig % len(buurten) else 0)
            if n:
                db.session.execute(statement, {"n": n, "seed": bestaand + index + 1,
                                               "code": code, "categorieen": categorieen})
                db.session.commit()
        print(f"  klaar in {time.perf_counter() - start:.0f} s", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE melding")
        return db.session.scalar(text("SELECT count(*) FROM melding WHERE bron = 'bench'"))


def _samenvatting(naam: str, tijden: list[float]) -> None:
    tijden = sorted(tijden)
    p95 = tijden[max(0, int(len(tijden) * 0.95) - 1)]
    print(f"{naam:28} n={len(tijden):5}  p50 {statistics.median(tijden):6.2f} ms  "
          f"p95 {p95:6.2f} ms  max {tijden[-1]:7.2f} ms")


def meet(app, punten: int) -> None:
    from sqlalchemy import event, text

    from participatie.extensions import db
    from participatie.gebieden.services import buurt_voor_punt
    from participatie.meldingen.services import vergelijkbare_meldingen

    rng = random.Random(2026)
    with app.app_context():
        plekken = db.session.execute(
            text("SELECT ST_Y(d.geom), ST_X(d.geom) FROM gemeente g, "
                 "ST_Dump(ST_GeneratePoints(g.geom, :n, 7)) d"),
            {"n": punten},
        ).all()
        categorieen = db.session.scalars(text("SELECT id FROM categorie ORDER BY id")).all()
        # Warm up caches and connections the way a running server would be.
        for lat, lon in plekken[:20]:
            buurt_voor_punt(lat, lon)
            vergelijkbare_meldingen(categorieen[0], lat, lon)
        db.session.rollback()

        buurt_tijden, nabij_tijden, gevonden, zonder_buurt = [], [], 0, 0
        # The nearby query's own round trip (driver + PostgreSQL), without the ORM around it.
        sql_tijden: list[float] = []

        def voor_query(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_start"] = time.perf_counter()

        def na_query(conn, cursor, statement, parameters, context, executemany):
            start = conn.info.pop("bench_start", None)
            if start is not None and "FROM melding" in statement and "ST_DWithin" in statement:
                sql_tijden.append((time.perf_counter() - start) * 1000)

        event.listen(db.engine, "before_cursor_execute", voor_query)
        event.listen(db.engine, "after_cursor_execute", na_query)
        for lat, lon in plekken:
            start = time.perf_counter()
            buurt = buurt_voor_punt(lat, lon)
            buurt_tijden.append((time.perf_counter() - start) * 1000)
            zonder_buurt += buurt is None
            start = time.perf_counter()
            gevonden += len(vergelijkbare_meldingen(rng.choice(categorieen), lat, lon))
            nabij_tijden.append((time.perf_counter() - start) * 1000)
            db.session.expunge_all()
        event.remove(db.engine, "before_cursor_execute", voor_query)
        event.remove(db.engine, "after_cursor_execute", na_query)
        db.session.rollback()
        print(f"\n{len(plekken)} willekeurige punten in Hengelo "
              f"(tijd per aanroep, inclusief SQLAlchemy):")
        _samenvatting("buurt_voor_punt", buurt_tijden)
        _samenvatting("vergelijkbare_meldingen", nabij_tijden)
        _samenvatting("  waarvan de SQL-query", sql_tijden)
        print(f"  {zonder_buurt} punten vielen buiten elke buurt (gaten in de CBS-kaart)")
        print(f"  gemiddeld {gevonden / len(plekken):.2f} vergelijkbare meldingen per punt")

        gevangen: list[tuple[str, dict]] = []

        def vang(conn, cursor, statement, parameters, context, executemany):
            if "FROM melding" in statement and "ST_DWithin" in statement:
                gevangen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", vang)
        lat, lon = plekken[0]
        vergelijkbare_meldingen(categorieen[0], lat, lon)
        event.remove(db.engine, "before_cursor_execute", vang)
        statement, parameters = gevangen[0]
        db.session.rollback()
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
            ).scalars().all()
        print("\nEXPLAIN (ANALYZE, BUFFERS) van de vergelijkbare-meldingen-query:")
        for regel in plan:
            print("  " + regel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meldingen", type=int, default=1_000_000)
    parser.add_argument("--punten", type=int, default=1000)
    args = parser.parse_args()
    app = maak_app()
    totaal = zorg_voor_meldingen(app, args.meldingen)
    print(f"Benchmarkdatabase: {totaal} meldingen")
    meet(app, args.punten)


if __name__ == "__main__":
    main()
