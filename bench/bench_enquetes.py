"""Benchmark: a survey with 250,000 responses: exports and the results page.

Run: .venv/bin/python bench/bench_enquetes.py [--aantal 250000]
Uses its own database (participatie_bench_enquetes); makes the survey through the real
services and 250,000 sent responses in SQL once (later runs reuse them), then, each in a
fresh process so that the peak memory is that export's own:
- GET /beheer/enquetes/<id>/export.csv and export.xlsx through the Flask test client, read as a
  stream to the end: time and peak RSS (ru_maxrss) of the whole process.
- GET /beheer/enquetes/<id>/uitslag (all buurten, and one buurt): server time.
Targets (issue 9): each export <= 30 s and <= 200 MB peak; the results page <= 300 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL = os.environ.get(
    "BENCH_ENQUETES_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_enquetes",
)
TITEL = "Bench: leefbaarheid in heel Hengelo"
WACHTWOORD = "bench-wachtwoord-lang-genoeg"
EMAIL = "bench-beheer@hengelo.nl"

RESPONSEN = """
WITH b AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM buurt),
     nb AS (SELECT count(*) AS n FROM buurt)
INSERT INTO enquete_respons (enquete_id, browser_hash, buurt_code, pagina, verzonden_op)
SELECT :enquete, md5(i::text), b.code, 3, current_date - (i % 60)
FROM generate_series(1, :aantal) AS i, nb JOIN b ON true
WHERE b.rn = 1 + (i::bigint * 7919) % nb.n
"""
# One statement per kind of question: scales for everyone, 1-3 options of the multiple
# choice, a yes/no for 90 %, an open answer for a fifth and a place for one in twenty.
ANTWOORDEN = [
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :schaal, "
    "1 + (id * 7) % 5 FROM enquete_respons WHERE enquete_id = :enquete",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :cijfer, "
    "1 + (id * 13) % 10 FROM enquete_respons WHERE enquete_id = :enquete",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :janee, id % 2 "
    "FROM enquete_respons WHERE enquete_id = :enquete AND id % 10 <> 0",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, optie_id) SELECT r.id, :keuze, o.id "
    "FROM enquete_respons r JOIN enquete_optie o ON o.vraag_id = :keuze "
    "WHERE r.enquete_id = :enquete AND (r.id + o.id) % 3 = 0",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, tekst, inbox_status, wijk_code) "
    "SELECT r.id, :open, (ARRAY['Meer licht bij het fietspad', 'Afval naast de containers', "
    "'Er wordt te hard gereden in onze straat', 'Meer bankjes in het park', "
    "'Hondenpoep op het speelveld'])[1 + r.id % 5] || ' (' || r.id || ')', 'afgehandeld', "
    "b.wijk_code FROM enquete_respons r JOIN buurt b ON b.code = r.buurt_code "
    "WHERE r.enquete_id = :enquete AND r.id % 5 = 0",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, locatie, tekst) SELECT id, :plek, "
    "ST_SetSRID(ST_MakePoint(6.76 + random() * 0.07, 52.24 + random() * 0.05), 4326), "
    "'bij de school' FROM enquete_respons WHERE enquete_id = :enquete AND id % 20 = 0",
]


def maak_app():
    from participatie import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": URL, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "console", "PUBLIC_URL": "http://participatie.bench",
        "SECRET_KEY": "bench", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
    })


def bouw(aantal: int) -> None:
    """The database with Hengelo, the survey and `aantal` responses (made once)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), URL],
                   check=True)
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from participatie.accounts.services import create_user, user_by_email
    from participatie.enquetes import services, tellingen
    from participatie.enquetes.demo import _vragen
    from participatie.enquetes.models import Enquete, Respons
    from participatie.extensions import db

    app = maak_app()
    with app.app_context():
        from datetime import date

        from participatie.cli import HENGELO_FILES
        from participatie.gebieden.services import importeer

        upgrade()
        importeer(HENGELO_FILES)
        if user_by_email(EMAIL) is None:
            create_user(EMAIL, WACHTWOORD, "beheerder", naam="Bench")
        e = db.session.scalar(select(Enquete).where(Enquete.titel == TITEL))
        if e is None:
            e = services.maak_enquete(services.EnqueteGegevens(
                titel=TITEL, wijk=None, open_vanaf=date(2026, 1, 1),
                sluit_op=date(2026, 3, 1)), door=None)
            for g in _vragen():
                services.voeg_vraag_toe(e, g, door=None)
            e.status = "gesloten"
        db.session.commit()
        bestaand = db.session.scalar(select(func.count()).where(Respons.enquete_id == e.id))
        if bestaand != aantal:
            print(f"{aantal} antwoorden maken ...", flush=True)
            start = time.perf_counter()
            db.session.execute(text("DELETE FROM enquete_respons WHERE enquete_id = :e"),
                               {"e": e.id})
            db.session.execute(text(RESPONSEN), {"enquete": e.id, "aantal": aantal})
            schaal, cijfer, janee, keuze, open_, plek = (v.id for v in e.vragen)
            ids = {"enquete": e.id, "schaal": schaal, "cijfer": cijfer, "janee": janee,
                   "keuze": keuze, "open": open_, "plek": plek}
            for sql in ANTWOORDEN:
                db.session.execute(text(sql), ids)
            db.session.commit()
            # Made in SQL, not through `verstuur`: the kept counts are rebuilt once.
            begin = time.perf_counter()
            tellingen.tel_opnieuw(e)
            db.session.commit()
            print(f"  tellingen opnieuw opgebouwd in {time.perf_counter() - begin:.1f} s")
            print(f"  klaar in {time.perf_counter() - start:.0f} s", flush=True)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE enquete_respons")
                c.exec_driver_sql("VACUUM ANALYZE enquete_antwoord")
        regels = db.session.scalar(text("SELECT count(*) FROM enquete_antwoord"))
        print(f"enquête {e.id}: {aantal} antwoorden, {regels:,} antwoordregels", flush=True)


def _ingelogd(app):
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": WACHTWOORD})
    assert response.status_code == 302, response.status_code
    return client


def _enquete_id(app) -> int:
    from sqlalchemy import select

    from participatie.enquetes.models import Enquete
    from participatie.extensions import db

    with app.app_context():
        return db.session.scalar(select(Enquete.id).where(Enquete.titel == TITEL))


def meet_export(soort: str) -> None:
    """In its own process: stream one export to the end; print seconds, bytes, peak RSS."""
    app = maak_app()
    enquete_id = _enquete_id(app)
    client = _ingelogd(app)
    voor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    response = client.get(f"/beheer/enquetes/{enquete_id}/export.{soort}", buffered=False)
    grootte = sum(len(stuk) for stuk in response.response)
    response.close()
    duur = time.perf_counter() - start
    piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{soort}\t{duur:.1f}\t{grootte / 1e6:.1f}\t{voor:.0f}\t{piek:.0f}")


def _export(soort: str) -> list[str]:
    uit = subprocess.run([sys.executable, __file__, "--export", soort], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return uit.split("\t")


def meet_uitslag(app, runs: int) -> None:
    enquete_id = _enquete_id(app)
    client = _ingelogd(app)
    for naam, query in [("alle buurten", ""), ("één buurt", "?buurt=BU01640202"),
                        ("zoeken in open antwoorden", "?zoek=fietspad")]:
        tijden = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(f"/beheer/enquetes/{enquete_id}/uitslag{query}")
            tijden.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        tijden.sort()
        p95 = tijden[max(0, round(0.95 * len(tijden)) - 1)]
        print(f"uitslag, {naam}: mediaan {statistics.median(tijden):.0f} ms, p95 {p95:.0f} ms "
              f"(doel <= 300 ms)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aantal", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--export", choices=["csv", "xlsx"])
    args = parser.parse_args()
    if args.export:
        meet_export(args.export)
        return
    bouw(args.aantal)
    for soort in ("csv", "xlsx"):
        _, duur, mb, voor, piek = _export(soort)
        print(f"export {soort}: {duur} s, {mb} MB, piek RSS {piek} MB (na het starten "
              f"{voor} MB; doel <= 30 s en <= 200 MB)", flush=True)
    meet_uitslag(maak_app(), args.runs)


if __name__ == "__main__":
    main()
