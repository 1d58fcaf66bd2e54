"""Benchmark: the ballot POST of a buurtbudget round (server time), and the uitslag page.

Run: .venv/bin/python bench/bench_stemmen.py
Uses its own database (participatie_bench_stemmen, rebuilt on every run): a round of 60
feasible ideas with 15,000 stemcodes, of which 14,000 have voted already (made with the real
services); then measures 500 ballot POSTs through the Flask test client with new and with
repeated codes (a repeat replaces the earlier ballot), and the uitslag page with both rules.
Target: ballot POST p95 <= 50 ms server time.
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

URL = os.environ.get(
    "BENCH_STEMMEN_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_stemmen",
)
IDEEEN, CODES, AL_GESTEMD, METINGEN = 60, 15_000, 14_000, 500


def _pct(tijden: list[float], p: float) -> float:
    tijden = sorted(tijden)
    return tijden[min(len(tijden) - 1, int(round(p * (len(tijden) - 1))))]


def _regel(naam: str, tijden: list[float], doel: float | None = None) -> None:
    p95 = _pct(tijden, 0.95)
    oordeel = "" if doel is None else ("   OK" if p95 <= doel else "   TE TRAAG")
    print(f"  {naam:<44} p50 {statistics.median(tijden):7.1f} ms   p95 {p95:7.1f} ms{oordeel}")


def main() -> None:
    import psycopg

    naam = URL.rsplit("/", 1)[1]
    beheer = URL.rsplit("/", 1)[0].replace("postgresql+psycopg", "postgresql") + "/postgres"
    with psycopg.connect(beheer, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{naam}"')
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py"), URL],
                   check=True)
    from flask_migrate import upgrade

    from participatie import create_app
    from participatie.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": URL, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "console", "PUBLIC_URL": "http://participatie.bench",
        "SECRET_KEY": "bench-geheim",
    })
    rng = random.Random(2026)
    with app.app_context():
        from datetime import timedelta

        from participatie.buurtbudget.models import Idee
        from participatie.buurtbudget.services import RondeGegevens, maak_ronde
        from participatie.buurtbudget.stemmen import (
            breng_uit,
            controleer_keuze,
            maak_stemcodes,
            zoek_stemcode,
        )
        from participatie.buurtbudget.workflow import Fase, IdeeStatus, Regel, Stemwijze
        from participatie.cli import HENGELO_FILES
        from participatie.gebieden.models import Wijk
        from participatie.gebieden.services import importeer
        from participatie.tijd import vandaag

        upgrade()
        importeer(HENGELO_FILES)
        wijk = db.session.get(Wijk, "WK016402")
        ronde = maak_ronde(RondeGegevens(
            naam="Bench", wijk=wijk, buurten=[], budget=300_000, stemwijze=Stemwijze.KEUZE,
            regel=Regel.MES, data={f: vandaag() + timedelta(days=i) for i, f in
                                   enumerate(Fase)}), door=None)
        ronde.fase = Fase.STEMMEN.value
        for i in range(IDEEEN):
            db.session.add(Idee(ronde=ronde, titel=f"Idee {i}", omschrijving="Bench",
                                kosten_schatting=1, kosten=rng.randint(5, 60) * 1_000,
                                wijk_code=wijk.code, status=IdeeStatus.HAALBAAR.value))
        db.session.flush()
        codes = maak_stemcodes(ronde, CODES, buurt=None, door=None)
        ideeen = [i.id for i in ronde.ideeen]
        start = time.perf_counter()
        for code in codes[:AL_GESTEMD]:
            keuze = controleer_keuze(ronde, rng.sample(ideeen, rng.randint(1, 8)))
            breng_uit(ronde, zoek_stemcode(ronde, code), keuze)
        db.session.commit()
        print(f"{AL_GESTEMD} stemmen via de services in {time.perf_counter() - start:.0f} s "
              f"({IDEEEN} ideeën, {CODES} codes)")
        slug = ronde.slug

    client = app.test_client()
    print("stembiljet (POST /buurtbudget/<ronde>/stemmen):")
    for soort, lijst in (("nieuwe code", codes[AL_GESTEMD:AL_GESTEMD + METINGEN]),
                         ("code die al stemde (vervangt)", codes[:METINGEN])):
        tijden = []
        for code in lijst:
            data = {"stemcode": code, "idee": rng.sample(ideeen, rng.randint(1, 8))}
            begin = time.perf_counter()
            response = client.post(f"/buurtbudget/{slug}/stemmen", data=data)
            tijden.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 303, response.status_code
        _regel(soort, tijden, 50)
    with app.app_context():
        from participatie.buurtbudget.models import Budgetronde

        ronde = db.session.get(Budgetronde, 1)
        ronde.fase = Fase.UITSLAG.value
        db.session.commit()
    for regel in (Regel.MES, Regel.MEESTE_STEMMEN):
        with app.app_context():
            db.session.get(Budgetronde, 1).regel = regel.value
            db.session.commit()
        tijden = []
        for _ in range(5):
            begin = time.perf_counter()
            assert client.get(f"/buurtbudget/{slug}/uitslag").status_code == 200
            tijden.append((time.perf_counter() - begin) * 1000)
        _regel(f"uitslagpagina, {regel.label.lower()}", tijden)


if __name__ == "__main__":
    main()
