"""Benchmark: Noord's public wijk page for a resident (no login) on the wijkbeeld's data:
1,000,000 meldingen, 250,000 survey responses, 100,000 ballots.

Run: .venv/bin/python bench/bench_wijkpagina.py [--runs 30]
Uses its own database (participatie_bench_wijkpagina, or BENCH_WIJKPAGINA_DATABASE_URL),
built once by bench_wijkbeeld's `bouw` (a copy of participatie_bench_wijkbeeld made with
`createdb -T` saves that hour). The meldingen figures come from the wijkbeeld's kept
aggregates; the other parts of the page read the wijk's rounds, surveys, agenda and wijkraad.

Measures, through the Flask test client, the page and its short URL: server time (the app's
own, from the Server-Timing header), SQL time and queries, the client's wait and the size.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_wijkbeeld  # noqa: E402  (the data)

URL = os.environ.get(
    "BENCH_WIJKPAGINA_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_wijkpagina",
)
NOORD = "WK016402"


def meet(runs: int) -> None:
    from participatie.extensions import db

    app = bench_wijkbeeld.maak_app()
    with app.app_context():
        db.session.remove()
    client = app.test_client()
    for naam, url, status in (("/wijken/WK016402", f"/wijken/{NOORD}", 200),
                              ("/wijk/noord (301)", "/wijk/noord", 301)):
        client.get(url)  # warm up (reference data, first connection)
        wacht, app_ms, sql_ms, queries, grootte = [], [], [], 0, 0
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            wacht.append((time.perf_counter() - start) * 1000)
            assert response.status_code == status, (url, response.status_code)
            sql, n, app_dur = re.search(
                r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)',
                response.headers["Server-Timing"]).groups()
            sql_ms.append(float(sql))
            app_ms.append(float(app_dur))
            queries, grootte = int(n), len(response.data)
        p95 = bench_wijkbeeld._pct(app_ms, 0.95)
        print(f"  {naam:<20} server p50 {statistics.median(app_ms):6.1f} ms, p95 {p95:6.1f} ms"
              f"  (SQL p50 {statistics.median(sql_ms):5.1f} ms, {queries} queries; wachten p50 "
              f"{statistics.median(wacht):6.1f} ms; {grootte / 1024:.1f} kB HTML)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bench_wijkbeeld.URL = URL  # its builder and app on this benchmark's own database
    bench_wijkbeeld.bouw()
    print(f"Publieke wijkpagina, {args.runs} keer (geen login):", flush=True)
    meet(args.runs)


if __name__ == "__main__":
    main()
