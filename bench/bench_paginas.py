"""Page weight of the resident pages: HTML plus every stylesheet and script they load.

Run: .venv/bin/python bench/bench_paginas.py
Prints raw and gzip-compressed bytes per page (what a phone on a slow connection pays on a
first visit), using the app's own test client against a migrated database of its own.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench"
)
PAGINAS = ["/", "/melden", "/kaart", "/login"]


def main() -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), URL], check=True)
    from flask_migrate import upgrade

    from participatie import create_app
    from participatie.cli import HENGELO_FILES
    from participatie.extensions import db
    from participatie.gebieden.services import importeer
    from participatie.meldingen.categorieen import zorg_voor_basis

    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        importeer(HENGELO_FILES)
        zorg_voor_basis()
        db.session.commit()
    client = app.test_client()
    print(f"{'pagina':12} {'bestanden':>9} {'ruw':>10} {'gzip':>10}")
    for pad in PAGINAS:
        html = client.get(pad).get_data()
        assets = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)
        raw = len(html)
        packed = len(gzip.compress(html))
        for asset in assets:
            body = client.get(asset.decode()).get_data()
            raw += len(body)
            packed += len(gzip.compress(body))
        print(f"{pad:12} {len(assets) + 1:9} {raw / 1024:8.1f} kB {packed / 1024:8.1f} kB")


if __name__ == "__main__":
    main()
