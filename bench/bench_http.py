"""Benchmark: the staff inbox over HTTP, the way a stadsdeelregisseur experiences it.

Run: .venv/bin/python bench/bench_http.py [--runs 60]
Uses its own database (participatie_bench_http, or BENCH_HTTP_DATABASE_URL) with 1,000,000
meldingen made by bench_inbox's generator (once; later runs reuse them), starts gunicorn with
two workers and production settings on a free port, logs in through the login form (CSRF, the
production argon2id costs) as a stadsdeelregisseur of Noord and then, one request at a time,
measures: the first inbox page, a filtered page, page 500, four kinds of search (a common
word, a rare word, a melding number, a street name; and the common word over all statuses)
and a melding's staff page.

Per page it prints the time the client waited (p50/p95; target: p95 <= 50 ms) and, from the
Server-Timing header that SERVER_TIMING=1 turns on (participatie/timing.py), the time in the
app and the part of it spent in SQL (target: app <= 3 x SQL).

The app runs as in production (PARTICIPATIE_ENV=production, SECRET_KEY, PUBLIC_URL,
TRUSTED_HOSTS) except SESSION_COOKIE_SECURE=0: this is plain HTTP on loopback, where a browser
(and requests) would not send a Secure cookie back.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from bench_inbox import AANTAL, DE_NOORK, NOORD, _cpu_teller, _pct, _steal, bouw

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get(
    "BENCH_HTTP_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_bench_http",
)
REGISSEUR = "regisseur.noord@bench-http.nl"
WACHTWOORD = "bench-wachtwoord-lang-genoeg"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TIMING = re.compile(r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)')
DOEL_MS, DOEL_FACTOR = 50, 3


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wacht_op(url: str, seconden: float = 60) -> None:
    grens = time.monotonic() + seconden
    while time.monotonic() < grens:
        try:
            requests.get(url, timeout=10)  # the first request waits for a worker to load
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} antwoordt niet na {seconden:.0f} s")


def voorbereiden() -> dict:
    """Database, the regisseur and what the pages need: ids, a category, page 500's cursor."""
    from sqlalchemy import select

    from participatie.accounts.services import create_user, user_by_email
    from participatie.extensions import db

    app = bouw(URL, AANTAL)
    with app.app_context():
        from participatie.meldingen.models import Categorie, Melding
        from participatie.meldingen.workflow import Status
        from participatie.moderatie import inbox, lijst

        user = user_by_email(REGISSEUR) or create_user(
            REGISSEUR, WACHTWOORD, "stadsdeelregisseur", wijk_codes=[NOORD])
        db.session.commit()
        afvaldump = db.session.scalar(select(Categorie.id).where(Categorie.slug == "afvaldump"))
        # A melding a regisseur of Noord would look up: open, some weeks old.
        nummer = db.session.scalar(
            select(Melding.id).where(Melding.wijk_code == NOORD, Melding.status == Status.GEMELD)
            .order_by(Melding.created_at.desc()).offset(300).limit(1))
        # Page 500 of everything in Noord, newest first (its open list is shorter than that);
        # the cursor is found by walking the pages in-process, not timed.
        f = inbox.Filter(alle_statussen=True, sortering="nieuwste")
        na, namen = None, inbox.Namen()
        for _ in range(499):
            na = lijst.pagina(user, f, na=na, tellen=False, namen=namen).na
            if na is None:
                raise SystemExit("minder dan 500 pagina's")
        db.session.remove()
    return {"afvaldump": afvaldump, "nummer": nummer, "na": na}


class Gunicorn:
    """gunicorn with two workers and production settings on a free port of 127.0.0.1."""

    def __init__(self, tmp: Path, workers: int = 2) -> None:
        self.poort = vrije_poort()
        self.basis = f"http://127.0.0.1:{self.poort}"
        self.tmp, self.workers = tmp, workers
        self.omgeving = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": URL,
            "PARTICIPATIE_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_URL": self.basis,
            "TRUSTED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
            "SERVER_TIMING": "1",
            "MEDIA_DIR": str(tmp / "media"),
            "MAIL_BACKEND": "console",
        }
        self.proces: subprocess.Popen | None = None

    def start(self) -> None:
        import gunicorn

        waar = subprocess.run(
            [sys.executable, "-c", "import participatie; print(participatie.__file__)"],
            cwd=ROOT, env=self.omgeving, capture_output=True, text=True, check=True).stdout
        if not waar.startswith(str(ROOT)):
            raise SystemExit(f"gunicorn zou {waar.strip()} laden, niet deze checkout")
        # gunicorn 27 keeps a control socket in ~/.gunicorn, shared by every gunicorn of the
        # user on this machine: this one gets its own.
        eigen = (["--control-socket", str(self.tmp / "gunicorn.ctl")]
                 if gunicorn.version_info >= (27,) else [])
        self.proces = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *eigen, "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{self.poort}",
             "--error-logfile", str(self.tmp / "gunicorn.log"), "wsgi:app"],
            cwd=ROOT, env=self.omgeving, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wacht_op(f"{self.basis}/login")

    def stop(self) -> None:
        if self.proces and self.proces.poll() is None:
            self.proces.terminate()
            try:
                self.proces.wait(20)
            except subprocess.TimeoutExpired:
                self.proces.kill()
                self.proces.wait()


def inloggen(sessie: requests.Session, basis: str) -> None:
    """Through the form, as a browser does: the page's CSRF token, then the post."""
    formulier = sessie.get(f"{basis}/login", timeout=10)
    token = CSRF.search(formulier.text)
    if not token:
        raise SystemExit("geen csrf_token op /login")
    start = time.perf_counter()
    antwoord = sessie.post(f"{basis}/login", allow_redirects=False, timeout=30, data={
        "csrf_token": token[1], "email": REGISSEUR, "password": WACHTWOORD})
    if antwoord.status_code != 302:
        raise SystemExit(f"inloggen mislukt: HTTP {antwoord.status_code}")
    print(f"ingelogd als {REGISSEUR} (argon2id, productie-instellingen) in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")


def meet(sessie: requests.Session, basis: str, pad: str, naam: str, runs: int,
         moet_bevatten: str) -> dict:
    """`runs` requests of one page after two to warm up; times in ms."""
    for _ in range(2):
        sessie.get(basis + pad, timeout=30)
    wacht, app, sql, queries = [], [], [], []
    voor = _cpu_teller()
    for _ in range(runs):
        start = time.perf_counter()
        antwoord = sessie.get(basis + pad, timeout=30, allow_redirects=False)
        wacht.append((time.perf_counter() - start) * 1000)
        if antwoord.status_code != 200 or moet_bevatten not in antwoord.text:
            raise SystemExit(f"{pad}: HTTP {antwoord.status_code}, of zonder {moet_bevatten!r}")
        tijden = TIMING.fullmatch(antwoord.headers.get("Server-Timing", ""))
        if not tijden:
            raise SystemExit(f"{pad}: geen Server-Timing (SERVER_TIMING=1 staat niet aan?)")
        sql.append(float(tijden[1]))
        queries.append(int(tijden[2]))
        app.append(float(tijden[3]))
    # The app's time per request as a multiple of its SQL time, the median over the runs.
    factor = statistics.median(a / max(s, 0.01) for a, s in zip(app, sql, strict=True))
    uitslag = {
        "naam": naam, "pad": pad, "p50": statistics.median(wacht), "p95": _pct(wacht, 0.95),
        "app50": statistics.median(app), "app95": _pct(app, 0.95),
        "sql50": statistics.median(sql), "sql95": _pct(sql, 0.95),
        "queries": max(queries), "factor": factor, "steal": _steal(voor),
    }
    ok = uitslag["p95"] <= DOEL_MS and factor <= DOEL_FACTOR
    print(f"  {naam:<38} {uitslag['p50']:6.1f} {uitslag['p95']:6.1f}   "
          f"{uitslag['app50']:6.1f} {uitslag['app95']:6.1f}   {uitslag['sql50']:5.1f} "
          f"{uitslag['sql95']:5.1f} {uitslag['queries']:3d}   {factor:4.1f}x   "
          f"{'OK' if ok else 'NIET GEHAALD'}   (steal {uitslag['steal']:4.1f}%, "
          f"load {os.getloadavg()[0]:.1f})", flush=True)
    return uitslag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60, help="requests per page")
    args = parser.parse_args()

    gegevens = voorbereiden()
    nummer = gegevens["nummer"]
    paginas = [
        ("/beheer/", "eerste pagina (open, meest dringend)", 'class="tellingen"'),
        (f"/beheer/?buurt={DE_NOORK}&categorie={gegevens['afvaldump']}&te_laat=1",
         "De Noork + afvaldump + over termijn", 'class="tellingen"'),
        (f"/beheer/?status=alle&sortering=nieuwste&na={gegevens['na']}",
         "pagina 500 (alle statussen, nieuwste)", 'class="tellingen"'),
        ("/beheer/?zoek=container", "zoeken: gewoon woord (container)", "rij-melding-"),
        ("/beheer/?zoek=wespennest", "zoeken: zeldzaam woord (wespennest)", "rij-melding-"),
        (f"/beheer/?zoek=M-{nummer}", f"zoeken: meldingnummer (M-{nummer})",
         f"rij-melding-{nummer}"),
        ("/beheer/?zoek=Mozartlaan", "zoeken: straatnaam (Mozartlaan)", "rij-melding-"),
        # Not one of the four: the same common word in all of Noord's history.
        ("/beheer/?zoek=container&status=alle", "zoeken: container, alle statussen",
         "rij-melding-"),
        (f"/beheer/meldingen/{nummer}", "een melding (beheerpagina)", f"M-{nummer}"),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        server = Gunicorn(Path(tmp))
        try:
            server.start()
            print(f"gunicorn, {server.workers} workers, op {server.basis}: PARTICIPATIE_ENV="
                  "production, SERVER_TIMING=1; SESSION_COOKIE_SECURE=0 omdat dit gewoon HTTP "
                  "over loopback is")
            sessie = requests.Session()
            inloggen(sessie, server.basis)
            print(f"{args.runs} verzoeken per pagina, na elkaar, met keep-alive; tijden in ms\n"
                  f"  {'pagina':<38} {'wachten':>13}   {'in de app':>13}   {'SQL':>11} "
                  f"{'q':>3}   app/SQL\n  {'':<38} {'p50':>6} {'p95':>6}   {'p50':>6} "
                  f"{'p95':>6}   {'p50':>5} {'p95':>5}")
            uitslagen = [meet(sessie, server.basis, pad, naam, args.runs, teken)
                         for pad, naam, teken in paginas]
        finally:
            server.stop()
    ok = all(u["p95"] <= DOEL_MS and u["factor"] <= DOEL_FACTOR for u in uitslagen)
    print(f"Doelen: p95 <= {DOEL_MS} ms en tijd in de app <= {DOEL_FACTOR}x de SQL-tijd. "
          + ("Alle doelen gehaald." if ok else "Niet alle doelen gehaald."))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
