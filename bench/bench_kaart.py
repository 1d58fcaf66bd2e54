"""Speed and size of the public map layer (/kaart/meldingen.geojson) with many meldingen.

Run: .venv/bin/python bench/bench_kaart.py [--meldingen 100000]
By default it uses its own database participatie_bench_kaart (BENCH_KAART_DATABASE_URL), set
up exactly like bench_geo.py's but with 100,000 meldingen, because bench_geo.py keeps a
million in participatie_bench. Point BENCH_KAART_DATABASE_URL at participatie_bench to see
the map with a million. Prints ms (median of several calls) and response bytes per view.
Target: well under 100 kB at every zoom.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_geo import maak_app, zorg_voor_meldingen  # noqa: E402

URL = os.environ.get(
    "BENCH_KAART_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_kaart",
)
# (name, bbox minLon,minLat,maxLon,maxLat, zoom) as a 390x800 phone screen would ask them.
BEELDEN = [
    ("hele stad (zoom 12)", "6.70,52.21,6.88,52.33", 12),
    ("wijk Noord (zoom 14)", "6.795,52.262,6.835,52.285", 14),
    ("straat (zoom 17)", "6.8110,52.2685,6.8165,52.2715", 17),
    ("straat, alleen afvaldump", "6.8110,52.2685,6.8165,52.2715", 17),
]
HERHALINGEN = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meldingen", type=int, default=100_000)
    args = parser.parse_args()
    app = maak_app(URL)
    totaal = zorg_voor_meldingen(app, args.meldingen)
    client = app.test_client()
    print(f"Benchmarkdatabase {URL.rsplit('/', 1)[-1]}: {totaal} meldingen\n")
    print(f"{'beeld':28} {'ms (mediaan)':>12} {'max ms':>8} {'bytes':>8} {'gzip':>7} "
          f"{'features':>9} {'in clusters':>12}")
    for naam, bbox, zoom in BEELDEN:
        query = {"bbox": bbox, "zoom": zoom}
        if "afvaldump" in naam:
            query["categorie"] = "afvaldump"
        tijden = []
        for _ in range(HERHALINGEN):
            start = time.perf_counter()
            response = client.get("/kaart/meldingen.geojson", query_string=query)
            tijden.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_data()
        features = response.get_json()["features"]
        in_clusters = sum(f["properties"].get("aantal", 0) for f in features)
        print(f"{naam:28} {statistics.median(tijden):12.1f} {max(tijden):8.1f} "
              f"{len(body):8} {len(gzip.compress(body)):7} {len(features):9} {in_clusters:12}")


if __name__ == "__main__":
    main()
