"""Page weight of the resident pages, and their mobile Lighthouse scores where Lighthouse runs.

Run: .venv/bin/python bench/bench_paginas.py [--lighthouse]

The pages are those of the accessibility tests (tests/test_toegankelijkheid.py, PAGINAS): add a
page there and it is weighed here too. A secret link (`/meldingen/<token>`) is followed to the
page it leads to, as a browser and Lighthouse do; a page that answers 403 (the one that asks
for the link again) is weighed but not given to Lighthouse, whose SEO score wants a 200. Their
data is made with the tests' factories in a database of this script's own. For each page: the
HTML plus every stylesheet and script it loads on a first visit (not the map tiles, not what a
script loads later, such as Leaflet on /melden after "Kies de plek op de kaart"), raw,
gzip-compressed, and as the app sends them (brotli for the static files, which browsers accept
over HTTPS).

With --lighthouse, the npm package `lighthouse` is installed once into bench/.lighthouse (not
in git) and run against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) with its
mobile settings (a mid-range phone, simulated slow 4G), against the app served in a thread.
Map tiles are switched off (TILE_URL empty): this machine cannot reach PDOK, and a tile server
is not ours to measure.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench"
)
LIGHTHOUSE_VERSIE = "13.5.0"
LIGHTHOUSE_MAP = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_MAP / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIEEN = ["performance", "accessibility", "best-practices", "seo"]


def maak_app():
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), URL], check=True)
    from flask_migrate import upgrade

    from participatie import create_app
    from participatie.cli import HENGELO_FILES
    from participatie.extensions import db
    from participatie.gebieden.services import importeer
    from participatie.meldingen.categorieen import zorg_voor_basis

    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False,
                      "TILE_URL": ""})
    with app.app_context():
        upgrade()
        importeer(HENGELO_FILES)
        zorg_voor_basis()
        db.session.commit()
    return app


def maak_paginas(app) -> list[tuple[str, str, int]]:
    """(name, path, HTTP status) of every resident page, with fresh data (the tests'
    factories)."""
    from participatie.extensions import db
    from tests.conftest import REFERENTIE
    from tests.test_toegankelijkheid import PAGINAS

    paginas, gezien = [], set()
    with app.app_context():
        tabellen = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENTIE]
        with db.engine.begin() as conn:  # what an earlier run left (as the tests' `schoon`)
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tabellen)} RESTART IDENTITY CASCADE")
        for pagina in PAGINAS:
            if pagina.doe is not None:  # a state after an action: same files as its page
                continue
            with db.session.begin_nested():
                pad = pagina.maak()
            if pad not in gezien:
                gezien.add(pad)
                paginas.append((pagina.naam, pad, pagina.status))
        db.session.commit()
    return paginas


def weeg(app, paginas) -> None:
    client = app.test_client()
    print(f"{'pagina':22} {'pad':44} {'best.':>5} {'ruw':>9} {'gzip':>9} {'verstuurd':>9}")
    for naam, pad, _ in paginas:
        html = client.get(pad, follow_redirects=True).get_data()
        assets = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)
        raw, packed, sent = len(html), len(gzip.compress(html)), len(gzip.compress(html))
        for asset in assets:
            body = client.get(asset.decode()).get_data()
            raw += len(body)
            packed += len(gzip.compress(body))
            sent += len(client.get(asset.decode(), headers={"Accept-Encoding": "br, gzip"}).data)
        kort = pad if len(pad) <= 44 else pad[:41] + "..."
        print(f"{naam:22} {kort:44} {len(assets) + 1:5} {raw / 1024:6.1f} kB"
              f" {packed / 1024:6.1f} kB {sent / 1024:6.1f} kB")


def installeer_lighthouse() -> None:
    if LIGHTHOUSE_CLI.exists():
        return
    print(f"npm install lighthouse@{LIGHTHOUSE_VERSIE} in {LIGHTHOUSE_MAP} ...", flush=True)
    LIGHTHOUSE_MAP.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--prefix", str(LIGHTHOUSE_MAP), "--no-audit", "--no-fund",
                    "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSIE}"], check=True)


def lighthouse(app, paginas) -> None:
    from werkzeug.serving import make_server

    installeer_lighthouse()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    basis = f"http://127.0.0.1:{server.server_port}"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    print(f"\nLighthouse {LIGHTHOUSE_VERSIE}, mobiel (Moto G Power, trage 4G gesimuleerd)")
    print(f"{'pagina':22} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  "
          f"{'FCP':>6} {'LCP':>6} {'TBT':>6} {'CLS':>6}")
    try:
        for naam, pad, status in paginas:
            if status != 200:
                print(f"{naam:22} (HTTP {status}: niet gemeten)")
                continue
            with tempfile.NamedTemporaryFile(suffix=".json") as uit:
                subprocess.run(
                    ["node", str(LIGHTHOUSE_CLI), basis + pad, "--quiet", "--output=json",
                     f"--output-path={uit.name}", f"--only-categories={','.join(CATEGORIEEN)}",
                     "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                    env=env, check=True)
                rapport = json.loads(Path(uit.name).read_text())
            scores = [round(rapport["categories"][c]["score"] * 100) for c in CATEGORIEEN]
            audits = rapport["audits"]
            waarden = [audits[a]["numericValue"] for a in ("first-contentful-paint",
                       "largest-contentful-paint", "total-blocking-time")]
            cls = audits["cumulative-layout-shift"]["numericValue"]
            print(f"{naam:22} " + " ".join(f"{s:5}" for s in scores)
                  + "  " + " ".join(f"{w / 1000:5.1f}s" for w in waarden[:2])
                  + f" {waarden[2]:4.0f}ms {cls:6.3f}", flush=True)
            onder = [f"{a['id']} ({a['score']})" for a in audits.values()
                     if a.get("score") is not None and a["score"] < 1
                     and a.get("scoreDisplayMode") in ("binary", "numeric")
                     and a["id"] not in ("first-contentful-paint", "largest-contentful-paint",
                                         "speed-index", "total-blocking-time",
                                         "cumulative-layout-shift", "interactive",
                                         "max-potential-fid")]
            if onder:
                print(f"{'':22}   niet vol: {', '.join(onder)}")
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", action="store_true",
                        help="also run mobile Lighthouse (installs it in bench/.lighthouse)")
    args = parser.parse_args()
    app = maak_app()
    paginas = maak_paginas(app)
    weeg(app, paginas)
    if args.lighthouse:
        lighthouse(app, paginas)


if __name__ == "__main__":
    main()
