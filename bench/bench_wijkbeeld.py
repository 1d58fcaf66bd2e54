"""Benchmark: the wijkbeeld of Noord with 1,000,000 meldingen, 250,000 survey responses and
100,000 ballots.

Run: .venv/bin/python bench/bench_wijkbeeld.py [--runs 30]
Uses its own database (participatie_bench_wijkbeeld). The meldingen come from bench_inbox's
generator (the same SQL, 1,000,000 over four years, with its contacts); this script then
closes them with a doorlooptijd, adds "is het opgelost?" answers, five yearly surveys of
50,000 sent responses each (three indicator questions: 750,000 answer rows, counts rebuilt
once), four buurtbudget rounds of 25,000 ballots (two in Noord) with 40,000 codes each, and
the kerncijfers of tests/data. All of it once; later runs reuse it. Everything goes through
the database's triggers, as the app's own writes do.

Measures, through the Flask test client as a stadsdeelregisseur of Noord, the page for the
wijk, for one buurt and one CSV download: server time (the app's own, from the Server-Timing
header) and the client's wait. Target (issue 12): <= 300 ms.
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

import bench_inbox  # noqa: E402  (the meldingen generator)

URL = os.environ.get(
    "BENCH_WIJKBEELD_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_wijkbeeld",
)
NOORD = "WK016402"
EMAIL = "regisseur.noord@bench.nl"
WACHTWOORD = bench_inbox.WACHTWOORD
ENQUETES = 5
RESPONSEN_PER_ENQUETE = 50_000
RONDES = (("WK016402", 2025), ("WK016402", 2026), ("WK016400", 2025), ("WK016405", 2026))
STEMMEN_PER_RONDE, CODES_PER_RONDE = 25_000, 40_000
KERNCIJFERS = ROOT / "tests" / "data" / "kerncijfers_85984NED_test.csv"

SLUITEN = """
UPDATE melding SET gesloten_op = created_at
    + (1 + (id::bigint * 7919) % (3 + 3 * (SELECT afhandeltermijn_werkdagen FROM categorie c
                                   WHERE c.id = melding.categorie_id))) * interval '1 day'
WHERE status IN ('afgehandeld', 'geannuleerd') AND gesloten_op IS NULL
"""
TERUGKOPPELING = """
INSERT INTO melding_gebeurtenis (melding_id, soort, tekst, publiek, created_at)
SELECT id, 'terugkoppeling', CASE WHEN id % 4 = 0 THEN 'Het ligt er nog' ELSE 'opgelost: ja' END,
       false, gesloten_op + interval '2 days'
FROM melding WHERE status = 'afgehandeld' AND id % 7 = 0
"""
RESPONSEN = """
WITH b AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM buurt),
     nb AS (SELECT count(*) AS n FROM buurt)
INSERT INTO enquete_respons (enquete_id, browser_hash, buurt_code, pagina, verzonden_op)
SELECT :enquete, md5(:enquete || '-' || i), b.code, 2, CAST(:sluit AS date) - (i % 28)
FROM generate_series(1, :aantal) AS i, nb JOIN b ON true
WHERE b.rn = 1 + (i::bigint * 7919) % nb.n
"""
ANTWOORDEN = (
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :schaal, "
    "1 + (id * 7) % 5 FROM enquete_respons WHERE enquete_id = :enquete",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :cijfer, "
    "1 + (id * 13) % 10 FROM enquete_respons WHERE enquete_id = :enquete",
    "INSERT INTO enquete_antwoord (respons_id, vraag_id, getal) SELECT id, :janee, id % 2 "
    "FROM enquete_respons WHERE enquete_id = :enquete",
)
CODES = """
WITH b AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM buurt WHERE wijk_code = :wijk),
     nb AS (SELECT count(*) AS n FROM buurt WHERE wijk_code = :wijk)
INSERT INTO stemcode (ronde_id, code_hash, buurt_code, aangemaakt_op)
SELECT :ronde, md5('code-' || :ronde || '-' || i), b.code, CAST(:dag AS date)
FROM generate_series(1, :aantal) AS i, nb JOIN b ON true WHERE b.rn = 1 + i % nb.n
"""
STEMMEN = """
INSERT INTO stem (ronde_id, stemcode_id, buurt_code, dag, papier)
SELECT ronde_id, id, buurt_code, aangemaakt_op + (id % 20), id % 9 = 0
FROM stemcode WHERE ronde_id = :ronde ORDER BY id LIMIT :aantal
"""


def maak_app():
    from participatie import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": URL, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "console", "PUBLIC_URL": "http://participatie.bench",
        "SECRET_KEY": "bench", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
        "SERVER_TIMING": True,
    })


def _stap(naam: str, doe) -> None:
    start = time.perf_counter()
    print(f"  {naam} ...", end=" ", flush=True)
    doe()
    print(f"{time.perf_counter() - start:.0f} s", flush=True)


def _enquetes(db, text) -> None:
    from datetime import date

    from participatie.enquetes import services, tellingen
    from participatie.enquetes.workflow import VraagType

    jaar = date.today().year
    for n in range(ENQUETES):
        sluit = date(jaar - ENQUETES + 1 + n, 6, 30)
        e = services.maak_enquete(services.EnqueteGegevens(
            titel=f"Bench: leefbaarheid {sluit.year}", wijk=None,
            open_vanaf=date(sluit.year, 6, 1), sluit_op=sluit), door=None)
        for soort, tekst, indicator in (
                (VraagType.SCHAAL, "Hoe veilig voelt u zich in uw buurt?", "veiligheidsbeleving"),
                (VraagType.CIJFER, "Welk cijfer geeft u uw woonomgeving?",
                 "tevredenheid_woonomgeving"),
                (VraagType.JA_NEE, "Deed u iets voor uw buurt?", "actief_in_buurt")):
            services.voeg_vraag_toe(e, services.VraagGegevens(soort, tekst, indicator=indicator),
                                    door=None)
        e.status = "gesloten"
        db.session.flush()
        db.session.execute(text(RESPONSEN), {"enquete": e.id, "aantal": RESPONSEN_PER_ENQUETE,
                                             "sluit": sluit})
        schaal, cijfer, janee = (v.id for v in e.vragen)
        for sql in ANTWOORDEN:
            db.session.execute(text(sql), {"enquete": e.id, "schaal": schaal, "cijfer": cijfer,
                                           "janee": janee})
        tellingen.tel_opnieuw(e)
        db.session.commit()


def _rondes(db, text) -> None:
    from datetime import date, timedelta

    from participatie.buurtbudget import services
    from participatie.buurtbudget.models import Idee, IdeeUpdate
    from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze
    from participatie.gebieden.models import Wijk

    for nummer, (wijk, jaar) in enumerate(RONDES, start=1):
        dag = date(jaar, 3, 1)
        ronde = services.maak_ronde(services.RondeGegevens(
            naam=f"Bench-ronde {nummer} ({jaar})", wijk=db.session.get(Wijk, wijk), buurten=[],
            budget=50_000, stemwijze=Stemwijze.BUDGET, regel=Regel.MEESTE_STEMMEN,
            max_keuzes=None,
            data={f: dag + timedelta(weeks=4 * i) for i, f in enumerate(Fase)}), door=None)
        ronde.fase = Fase.UITVOERING.value
        for i in range(12):
            idee = Idee(ronde=ronde, titel=f"Idee {i + 1}", omschrijving="Een bench-idee.",
                        kosten_schatting=4000, kosten=4000, wijk_code=wijk, status="haalbaar",
                        gekozen=i < 6)
            db.session.add(idee)
            if i < 6:
                idee.updates.append(IdeeUpdate(soort="voortgang", status="bezig",
                                               voortgang=10 * i, tekst="Bezig."))
        db.session.flush()
        db.session.execute(text(CODES), {"ronde": ronde.id, "wijk": wijk, "dag": dag,
                                         "aantal": CODES_PER_RONDE})
        db.session.execute(text(STEMMEN), {"ronde": ronde.id, "aantal": STEMMEN_PER_RONDE})
        db.session.commit()


def bouw() -> None:
    """bench_inbox's million meldingen, then the rest of the wijkbeeld's data (once)."""
    bench_inbox.bouw(URL)
    from sqlalchemy import func, select, text

    from participatie.accounts.services import create_user, user_by_email
    from participatie.buurtbudget.models import Stem
    from participatie.enquetes.models import Respons
    from participatie.extensions import db
    from participatie.wijkbeeld.kerncijfers import importeer

    app = maak_app()
    with app.app_context():
        if user_by_email(EMAIL) is None:
            create_user(EMAIL, WACHTWOORD, "stadsdeelregisseur", wijk_codes=[NOORD])
        db.session.commit()
        if db.session.scalar(text("SELECT count(*) FROM melding WHERE status = 'afgehandeld' "
                                  "AND gesloten_op IS NULL")):
            print("De rest van de gegevens maken:", flush=True)
            _stap("meldingen afhandelen (doorlooptijd)", lambda: db.session.execute(text(SLUITEN)))
            _stap("'is het opgelost?'-antwoorden", lambda: db.session.execute(
                text(TERUGKOPPELING)))
            db.session.commit()
        if not db.session.scalar(select(func.count()).select_from(Respons)):
            _stap(f"{ENQUETES} enquêtes met {RESPONSEN_PER_ENQUETE:,} antwoorden",
                  lambda: _enquetes(db, text))
        if not db.session.scalar(select(func.count()).select_from(Stem)):
            _stap(f"{len(RONDES)} rondes met {STEMMEN_PER_RONDE:,} stemmen",
                  lambda: _rondes(db, text))
        importeer(KERNCIJFERS.read_text(encoding="utf-8"), bestandsnaam=KERNCIJFERS.name)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for tabel in ("wijkbeeld_melding", "wijkbeeld_doorlooptijd", "wijkbeeld_melders",
                          "wijkbeeld_stem", "wijkbeeld_stemcode", "enquete_telling"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {tabel}")
        tellen = {t: db.session.scalar(text(f"SELECT count(*) FROM {t}"))  # noqa: S608
                  for t in ("melding", "enquete_respons", "enquete_antwoord", "stem",
                            "wijkbeeld_melding", "wijkbeeld_doorlooptijd", "wijkbeeld_melders")}
        print(", ".join(f"{t}: {n:,}" for t, n in tellen.items()), flush=True)
        db.session.remove()


def _pct(tijden: list[float], p: float) -> float:
    tijden = sorted(tijden)
    return tijden[min(len(tijden) - 1, int(round(p * (len(tijden) - 1))))]


def meet(runs: int) -> None:
    from participatie.extensions import db

    app = maak_app()
    with app.app_context():
        db.session.remove()
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": WACHTWOORD})
    assert response.status_code == 302, response.status_code
    for naam, url in (("wijk Noord", f"/wijken/{NOORD}/wijkbeeld"),
                      ("buurt De Noork", f"/wijken/{NOORD}/wijkbeeld?buurt=BU01640202"),
                      ("CSV meldingen per kwartaal",
                       f"/wijken/{NOORD}/wijkbeeld/meldingen-per-kwartaal.csv")):
        client.get(url)  # warm up (reference data, first connection)
        wacht, app_ms, sql_ms, queries = [], [], [], 0
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            wacht.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            timing = response.headers["Server-Timing"]
            sql, n, app_dur = re.search(
                r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)', timing).groups()
            sql_ms.append(float(sql))
            app_ms.append(float(app_dur))
            queries = int(n)
        p95 = _pct(app_ms, 0.95)
        print(f"  {naam:<28} server p50 {statistics.median(app_ms):6.1f} ms, p95 {p95:6.1f} ms"
              f"  (SQL p50 {statistics.median(sql_ms):5.1f} ms, {queries} queries; "
              f"wachten p50 {statistics.median(wacht):6.1f} ms)  "
              f"{'OK' if p95 <= 300 else 'TE TRAAG'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bouw()
    print(f"Wijkbeeld, {args.runs} keer per pagina (doel: p95 <= 300 ms):", flush=True)
    meet(args.runs)


if __name__ == "__main__":
    main()
