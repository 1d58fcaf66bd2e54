"""Benchmark: Open311 GET requests with a million meldingen, and the POST of a new melding.

Run: .venv/bin/python bench/bench_open311.py
Uses its own database (participatie_bench_open311) and fills it once with the 1,000,000
meldingen of bench_inbox.py (its SQL, imported), plus a public history entry for the recent
ones and approved photos for some, so status_notes and media_url have something to find.
Measures server time through the Flask test client:
- GET requests.json and .xml, the default window (the last 90 days, 1000 newest), the next
  page through the Link header, and a filter on status and service; target p95 <= 100 ms;
- POST requests.json without a photo (key check, buurt from PostGIS, nearby search, the
  melding, audit, commit); target p95 <= 150 ms. The meldingen it made are removed after.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_inbox import AANTAL, CONTACTEN, FOTOS, GENERATE  # noqa: E402

URL = os.environ.get(
    "BENCH_OPEN311_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_open311",
)
RUNS = 40
# A public history entry ("we pakken het op") for the meldingen of the last 90 days, and
# approved photos for a tenth of those with a photo.
HISTORIE = """
INSERT INTO melding_gebeurtenis (melding_id, soort, status_van, status_naar, tekst, publiek,
                                 created_at)
SELECT id, 'status', 'gemeld', status, 'We pakken dit op.', true, created_at
FROM melding WHERE created_at > now() - interval '95 days' AND status <> 'gemeld'
"""
GOEDGEKEURD = "UPDATE melding_foto SET publiek = true WHERE melding_id % 100 = 0"
# Points inside Hengelo's buurten (Noord, the Binnenstad), moved a little for every POST.
PLEKKEN = [(52.2700, 6.8138), (52.2655, 6.7930)]


def _pct(tijden: list[float], p: float) -> float:
    tijden = sorted(tijden)
    return tijden[min(len(tijden) - 1, int(round(p * (len(tijden) - 1))))]


def _meld(naam: str, tijden: list[float], doel: float) -> bool:
    p95 = _pct(tijden, 0.95)
    print(f"  {naam:<52} p50 {statistics.median(tijden):6.1f} ms   p95 {p95:6.1f} ms   "
          f"{'OK' if p95 <= doel else 'TE TRAAG'}")
    return p95 <= doel


def _meet_get(client, url: str, naam: str) -> bool:
    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    tijden = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        tijden.append((time.perf_counter() - start) * 1000)
    link = "met" if response.headers.get("Link") else "zonder"
    print(f"  ({len(response.data) // 1024} kB, {link} Link naar de volgende pagina)")
    return _meld(naam, tijden, 100)


def main() -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), URL],
                   check=True)
    from flask_migrate import upgrade
    from sqlalchemy import delete, func, select, text

    from participatie import create_app
    from participatie.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "console",
        "PUBLIC_URL": "http://participatie.bench",
    })
    with app.app_context():
        from participatie.api.sleutels import maak_sleutel
        from participatie.cli import HENGELO_FILES
        from participatie.gebieden.services import importeer
        from participatie.meldingen.categorieen import zorg_voor_basis
        from participatie.meldingen.models import Melding

        upgrade()
        importeer(HENGELO_FILES)
        zorg_voor_basis()
        db.session.commit()
        bestaand = db.session.scalar(select(func.count()).select_from(Melding))
        if bestaand < AANTAL:
            print(f"{AANTAL} meldingen maken (SQL van bench_inbox) ...", flush=True)
            start = time.perf_counter()
            db.session.execute(text("TRUNCATE melding RESTART IDENTITY CASCADE"))
            for sql in (GENERATE, CONTACTEN, FOTOS, HISTORIE, GOEDGEKEURD):
                db.session.execute(text(sql), {"aantal": AANTAL})
            db.session.commit()
            print(f"  klaar in {time.perf_counter() - start:.0f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for tabel in ("melding", "melding_gebeurtenis", "melding_foto"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {tabel}")
        naam = f"Bench {int(time.time())}"
        _, sleutel = maak_sleutel(naam, door=None)
        db.session.commit()
        in_venster = db.session.scalar(text(
            "SELECT count(*) FROM melding WHERE created_at > now() - interval '90 days'"))
        print(f"{AANTAL} meldingen, {in_venster} in de laatste 90 dagen")

    client = app.test_client()
    ok = True
    print("GET requests (doel p95 <= 100 ms):")
    ok &= _meet_get(client, "/open311/v2/requests.json", "requests.json, laatste 90 dagen, 1000")
    ok &= _meet_get(client, "/open311/v2/requests.xml", "requests.xml, laatste 90 dagen, 1000")
    volgende = client.get("/open311/v2/requests.json").headers["Link"]
    ok &= _meet_get(client, volgende[1:volgende.index(">")], "requests.json, tweede pagina")
    ok &= _meet_get(client, "/open311/v2/requests.json?status=open&service_code=afvaldump",
                    "requests.json, open afvaldump")

    print("POST requests.json zonder foto (doel p95 <= 150 ms):")
    willekeurig = random.Random(311)
    tijden = []
    for n in range(RUNS + 1):
        lat, lon = willekeurig.choice(PLEKKEN)
        data = {"api_key": sleutel, "service_code": willekeurig.choice(
                    ["afvaldump", "zwerfvuil", "lantaarnpaal-kapot", "losse-tegel"]),
                "lat": f"{lat + willekeurig.uniform(-0.002, 0.002):.6f}",
                "long": f"{lon + willekeurig.uniform(-0.002, 0.002):.6f}",
                "description": f"Benchmarkmelding {n}: vuilniszakken naast de container"}
        start = time.perf_counter()
        response = client.post("/open311/v2/requests.json", data=data)
        duur = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        if n:  # the first one warms up
            tijden.append(duur)
    ok &= _meld("POST requests.json", tijden, 150)

    with app.app_context():
        db.session.execute(delete(Melding).where(Melding.bron == f"open311:{naam}"))
        db.session.commit()
    print("Alle doelen gehaald." if ok else "Niet alle doelen gehaald.")


if __name__ == "__main__":
    main()
