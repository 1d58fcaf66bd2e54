"""Load and faults: residents and staff on a production-like stack while things break.

Run: .venv/bin/pip install -e .[bench]; .venv/bin/python bench/bench_last.py [--duur 120]

Brings up an isolated stack of its own, so its faults disturb nothing else on the machine:
a PostgreSQL 15 cluster in a temporary directory, a redis-server, an SMTP server (aiosmtpd,
a subprocess writing a Maildir) and gunicorn with four workers and production settings, each
on a free port on 127.0.0.1. Then Locust (as a library) runs 50 residents who report a
melding with a photo and follow it, and 10 stadsdeelregisseurs of wijk Noord who work the
inbox. During the load it restarts PostgreSQL, kills a gunicorn worker with SIGKILL and
stops the SMTP server for a while. Afterwards `flask mail --direct` sends what was queued (this
stack has no cron to run `flask mail` every minute), and the
script checks in the database and MEDIA_DIR that every melding a resident saw acknowledged
is stored exactly once with its photo, that photo files and rows match, that every queued
e-mail arrived, and that the app answered again after each fault without a restart.

Exit status 1 when an acknowledged melding was lost or duplicated (2 when the stack could
not be brought up). Everything it started is stopped and removed, also on Ctrl+C.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import email
import email.policy
import mailbox
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

# Locust patches the standard library with gevent when it is imported; everything below
# (subprocess, sockets, sleeps) then cooperates with the simulated users.
import gevent
from locust import HttpUser, between, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NOORD = "WK016402"
REGISSEUR = "regisseur.noord@bench-last.nl"
WACHTWOORD = "bench-last-wachtwoord-lang-genoeg"
VERZOEK_TIMEOUT = 30  # seconds; gunicorn's own worker timeout is 30 s too
OPSTART = 15  # seconds of ramp-up left out of the "after start-up" p95
OMSCHRIJVINGEN = [
    "Vuilniszakken naast de container, de meeuwen halen ze open",
    "Lantaarnpaal brandt al een week niet, het is erg donker op het fietspad",
    "Losse stoeptegel voor de deur, mijn buurvrouw is er bijna over gevallen",
    "Graffiti op de muur van het speeltuintje",
    "Fietswrak staat al weken tegen het hek bij de bushalte",
    "Overhangende takken boven het fietspad, je moet bukken",
]
STATUS_BERICHT = "Dank voor uw melding. Wij kijken ernaar en houden u op de hoogte."
MARKER = re.compile(r"\[bench (\w+)\]")


def log(tekst: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {tekst}", flush=True)


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wacht_op_poort(poort: int, seconden: float = 30) -> None:
    grens = time.monotonic() + seconden
    while time.monotonic() < grens:
        try:
            with socket.create_connection(("127.0.0.1", poort), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"niets luistert op 127.0.0.1:{poort} na {seconden:.0f} s")


# --- the stack ------------------------------------------------------------------------------


class Stapel:
    """PostgreSQL, Redis, SMTP and gunicorn of this run; `stop()` undoes all of it."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-last-"))
        self.media = self.tmp / "media"
        self.maildir = self.tmp / "maildir"
        self.logs = self.tmp / "logs"
        for map_ in (self.media, self.logs):
            map_.mkdir()
        # The cluster lives in a directory of its own that the postgres OS user owns.
        self.pg_root = Path(tempfile.mkdtemp(prefix="bench-last-pg-"))
        self.pg_data = self.pg_root / "data"
        self.pg_poort = vrije_poort()
        self.pg_wachtwoord = secrets.token_hex(16)
        self.redis_poort = vrije_poort()
        self.smtp_poort = vrije_poort()
        self.web_poort = vrije_poort()
        self.secret_key = secrets.token_hex(32)
        self.pg_gestart = False
        self.redis: subprocess.Popen | None = None
        self.smtp: subprocess.Popen | None = None
        self.gunicorn: subprocess.Popen | None = None
        self._gestopt = False

    # PostgreSQL ----------------------------------------------------------------------------

    def _als_postgres(self, *cmd: str) -> list[str]:
        """As root, cluster commands run as the postgres OS user (initdb refuses root)."""
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *cmd]
        return list(cmd)

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._als_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), *args),
            check=check, capture_output=True, text=True, timeout=120,
        )

    def start_postgres(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.pg_root, "postgres", "postgres")
        pwfile = self.pg_root / "pw"
        pwfile.write_text(self.pg_wachtwoord + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres", "postgres")
        pwfile.chmod(0o600)
        subprocess.run(
            self._als_postgres(
                str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}",
                "-E", "UTF8", "--locale=C.UTF-8",
            ),
            check=True, capture_output=True, text=True, timeout=120,
        )
        pwfile.unlink()
        with (self.pg_data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.pg_poort}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.pg_root}'\nmax_connections = 150\n"
            )
        self.pg_gestart = True
        self.pg_ctl("-l", str(self.pg_root / "postgres.log"), "-w", "-t", "60", "start")

    def database_url(self, driver: str = "postgresql+psycopg") -> str:
        return (f"{driver}://postgres:{self.pg_wachtwoord}@127.0.0.1:{self.pg_poort}"
                "/participatie")

    def sql(self, query: str, params: tuple = (), database: str = "participatie") -> list:
        import psycopg

        url = self.database_url("postgresql").rsplit("/", 1)[0] + f"/{database}"
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    # Redis and SMTP -------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_poort), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.tmp)],
            stdout=(self.logs / "redis.log").open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wacht_op_poort(self.redis_poort)

    def start_smtp(self) -> None:
        """aiosmtpd in a process of its own, so stopping it really closes the port."""
        self.smtp = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_poort}",
             "-c", "aiosmtpd.handlers.Mailbox", str(self.maildir)],
            stdout=(self.logs / "smtp.log").open("a"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wacht_op_poort(self.smtp_poort)

    def stop_smtp(self) -> None:
        if self.smtp and self.smtp.poll() is None:
            self.smtp.terminate()
            try:
                self.smtp.wait(10)
            except subprocess.TimeoutExpired:
                self.smtp.kill()
                self.smtp.wait()

    # The app --------------------------------------------------------------------------------

    @property
    def basis_url(self) -> str:
        return f"http://127.0.0.1:{self.web_poort}"

    def omgeving(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SMTP_"))}
        env.update({
            "PYTHONPATH": str(ROOT),
            "PARTICIPATIE_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url(),
            "PUBLIC_URL": self.basis_url,
            "TRUSTED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_DIR": str(self.media),
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{self.redis_poort}/0",
            # One IP for all simulated people: the limits themselves are tested elsewhere.
            "RATELIMIT_MELDEN": "100000 per hour",
            "RATELIMIT_LOGIN": "100000 per hour",
            # Plain HTTP on loopback: in production TLS ends at the reverse proxy in front.
            "SESSION_COOKIE_SECURE": "0",
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_poort),
            "TILE_URL": "",
        })
        return env

    def flask(self, *args: str, timeout: float = 600) -> str:
        resultaat = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
            env=self.omgeving(), capture_output=True, text=True, timeout=timeout,
        )
        if resultaat.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} mislukt:\n{resultaat.stderr[-3000:]}")
        return resultaat.stdout

    def start_gunicorn(self) -> None:
        import gunicorn

        # gunicorn 27 opens a control socket in ~/.gunicorn, shared by every gunicorn of the
        # same user on this machine: this one keeps its own in the temporary directory.
        eigen = (["--control-socket", str(self.tmp / "gunicorn.ctl")]
                 if gunicorn.version_info >= (27,) else [])
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *eigen, "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{self.web_poort}",
             "--access-logfile", str(self.logs / "access.log"),
             "--error-logfile", str(self.logs / "gunicorn.log"), "wsgi:app"],
            cwd=ROOT, env=self.omgeving(), stdout=subprocess.DEVNULL,
            stderr=(self.logs / "gunicorn-stderr.log").open("w"), start_new_session=True,
        )
        wacht_op_poort(self.web_poort, 60)
        grens = time.monotonic() + 60
        while len(self.gunicorn_workers()) < self.workers and time.monotonic() < grens:
            time.sleep(0.2)

    def gunicorn_workers(self) -> list[int]:
        """The worker pids: the children of the gunicorn master, read from /proc."""
        if not self.gunicorn:
            return []
        kinderen = []
        for naam in os.listdir("/proc"):
            if not naam.isdigit():
                continue
            try:
                stat = Path(f"/proc/{naam}/stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces; the fields after its ')' are fixed.
            velden = stat.rsplit(")", 1)[1].split()
            if int(velden[1]) == self.gunicorn.pid and velden[0] != "Z":
                kinderen.append(int(naam))
        return sorted(kinderen)

    # Start and stop -------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop and remove everything; safe to call twice and after a half-done start."""
        if self._gestopt:
            return
        self._gestopt = True
        if self.smtp and self.smtp.poll() is None:
            os.kill(self.smtp.pid, signal.SIGCONT)  # it may be frozen (--smtp-hangt)
        for proces in (self.gunicorn, self.redis, self.smtp):
            if proces and proces.poll() is None:
                proces.terminate()
        for proces in (self.gunicorn, self.redis, self.smtp):
            if proces:
                try:
                    proces.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proces.pid, signal.SIGKILL)
                    proces.wait()
        if self.pg_gestart:
            resultaat = self.pg_ctl("-m", "immediate", "-w", "stop", check=False)
            if resultaat.returncode != 0 and "PID file" not in resultaat.stderr:
                print(f"pg_ctl stop: {resultaat.stderr.strip()}", file=sys.stderr)
        shutil.rmtree(self.pg_root, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- what the simulated people do -----------------------------------------------------------


@dataclass
class Poging:
    """One resident's attempt at a melding, from the first POST to what the resident saw."""

    marker: str
    start: float
    eind: float = 0.0
    uitkomst: str = "bezig"  # bevestigd, fout, afgebroken
    melding_id: int = 0
    nummer: str = ""
    fout: str = ""
    vergelijkbaar: bool = False
    bewaarde_fotos: list[str] = field(default_factory=list)


@dataclass
class Verzoek:
    naam: str
    start: float
    duur_ms: float
    status: int
    fout: str


class Run:
    """What the users share: the photo, the points, and the record of everything they did."""

    def __init__(self, stapel: Stapel, jpeg: bytes, punten: list, buurten: list[str],
                 max_verzoeken: int) -> None:
        self.stapel = stapel
        self.jpeg = jpeg
        self.punten = punten
        self.buurten = buurten
        self.max_verzoeken = max_verzoeken
        self.verzoeken: list[Verzoek] = []
        self.pogingen: list[Poging] = []
        self.statuswijzigingen = Counter()
        self.stoppen = False
        self.t0 = time.monotonic()
        self.t0_epoch = time.time()

    def nu(self) -> float:
        return time.monotonic() - self.t0


RUN: Run | None = None
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CATEGORIE_SELECT = re.compile(r'<select[^>]*name="categorie"[^>]*>(.*?)</select>', re.S)
OPTIE = re.compile(r'<option[^>]*value="([^"]*)"')
BEWAARD = re.compile(r'name="fotos_bewaard" type="hidden" value="([^"]*)"')
MELDING_LINK = re.compile(r"/beheer/meldingen/(\d+)")
STATUS_SELECT = re.compile(r'<select name="status" id="status-\d+">(.*?)</select>', re.S)
NUMMER = re.compile(r"<h1>Melding (M-\d+)</h1>")


def _csrf(html: str) -> str:
    gevonden = CSRF.search(html)
    return gevonden.group(1) if gevonden else ""


class Bezoeker(HttpUser):
    abstract = True

    def get(self, url: str, naam: str, **kwargs):
        return self.client.get(url, name=naam, timeout=VERZOEK_TIMEOUT, **kwargs)

    def post(self, url: str, naam: str, **kwargs):
        return self.client.post(url, name=naam, timeout=VERZOEK_TIMEOUT,
                                allow_redirects=False, **kwargs)

    def denk(self, van: float, tot: float) -> None:
        gevent.sleep(random.uniform(van, tot))


class Inwoner(Bezoeker):
    """Opens /melden, fills it in, sends it with a photo, and looks at the tracking page."""

    fixed_count = 50
    wait_time = between(4, 12)

    @task
    def melden(self) -> None:
        if RUN.stoppen:
            return
        formulier = self.get("/melden", "GET /melden")
        if formulier.status_code != 200:
            return
        html = formulier.text
        blok = CATEGORIE_SELECT.search(html)
        categorieen = [v for v in OPTIE.findall(blok.group(1)) if v] if blok else []
        if not categorieen:
            return
        self.denk(2, 6)  # typing, taking the photo
        lat, lon = random.choice(RUN.punten)
        poging = Poging(marker=secrets.token_hex(6), start=RUN.nu())
        RUN.pogingen.append(poging)
        data = {
            "csrf_token": _csrf(html),
            "categorie": random.choice(categorieen),
            "omschrijving": f"{random.choice(OMSCHRIJVINGEN)} [bench {poging.marker}]",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lon:.6f}",
            "locatie_tekst": "",
            "buurt": "",
            "email": f"inwoner-{poging.marker}@voorbeeld.nl" if random.random() < 0.6 else "",
            "fotos_bewaard": "",
        }
        antwoord = self.post("/melden", "POST /melden", data=data,
                             files={"foto_camera": ("IMG_2041.jpg", RUN.jpeg, "image/jpeg")})
        if antwoord.status_code == 200 and "nieuw_bevestigd" in antwoord.text:
            # "Is dit al gemeld?": this resident says no and sends it anyway, as a new one.
            poging.vergelijkbaar = True
            bewaard = BEWAARD.search(antwoord.text)
            data.update(csrf_token=_csrf(antwoord.text) or data["csrf_token"],
                        nieuw_bevestigd="1", fotos_bewaard=bewaard.group(1) if bewaard else "")
            poging.bewaarde_fotos = bewaarde_namen(data["fotos_bewaard"])
            self.denk(1, 3)
            antwoord = self.post("/melden", "POST /melden (toch nieuw)", data=data)
        poging.eind = RUN.nu()
        locatie = antwoord.headers.get("Location", "") if antwoord.status_code == 302 else ""
        gevonden = re.search(r"/meldingen/volgen/(\d+)$", locatie)
        if not gevonden:
            poging.uitkomst = "fout"
            poging.fout = f"{antwoord.status_code} {antwoord.error or ''}".strip()
            return
        poging.uitkomst = "bevestigd"
        poging.melding_id = int(gevonden.group(1))
        # The session of this browser follows the melding (no secret link needed here).
        volgen = self.get(f"/meldingen/volgen/{poging.melding_id}", "GET /meldingen/volgen/<id>")
        nummer = NUMMER.search(volgen.text or "")
        poging.nummer = nummer.group(1) if nummer else ""


class Medewerker(Bezoeker):
    """A stadsdeelregisseur of Noord: logs in, then works the inbox as the htmx page does."""

    fixed_count = 10
    wait_time = between(1, 4)
    ingelogd = False

    def on_start(self) -> None:
        self.inloggen()

    def inloggen(self) -> None:
        formulier = self.get("/login", "GET /login")
        antwoord = self.post("/login", "POST /login", data={
            "csrf_token": _csrf(formulier.text or ""), "email": REGISSEUR,
            "password": WACHTWOORD,
        })
        self.ingelogd = antwoord.status_code == 302

    def htmx(self, doel: str) -> dict[str, str]:
        return {"HX-Request": "true", "HX-Target": doel,
                "HX-Current-URL": f"{RUN.stapel.basis_url}/beheer/"}

    @task
    def inbox(self) -> None:
        if RUN.stoppen:
            return
        if not self.ingelogd:
            self.inloggen()
            return
        pagina = self.get("/beheer/", "GET /beheer/")
        if pagina.status_code != 200 or "lijstvak" not in pagina.text:
            # A 200 without the list is the login page (the session went missing): log in
            # again next time. An error page keeps the session.
            self.ingelogd = pagina.status_code != 200
            return
        ids = MELDING_LINK.findall(pagina.text)
        self.denk(0.5, 2)
        filter_ = random.choice([f"buurt={random.choice(RUN.buurten)}", "te_laat=1",
                                 "sortering=nieuwste", "met_foto=1"])
        lijst = self.get(f"/beheer/?{filter_}", "GET /beheer/?filter",
                         headers=self.htmx("lijstvak"))
        if lijst.status_code == 200:
            ids = MELDING_LINK.findall(lijst.text) or ids
        if not ids:
            return
        self.denk(0.5, 2)
        gekozen = ids[0] if random.random() < 0.5 else random.choice(ids)
        item = self.get(f"/beheer/meldingen/{gekozen}", "GET /beheer/meldingen/<id>",
                        headers=self.htmx("paneel"))
        if item.status_code != 200:
            return
        select = STATUS_SELECT.search(item.text)
        statussen = [s for s in OPTIE.findall(select.group(1)) if s] if select else []
        if not statussen:
            return
        gewicht = {"afgehandeld": 2, "geannuleerd": 0.3}
        naar = random.choices(statussen, [gewicht.get(s, 1) for s in statussen])[0]
        self.denk(1, 4)
        token = _csrf(item.text)
        antwoord = self.post(
            f"/beheer/meldingen/{gekozen}/status", "POST /beheer/meldingen/<id>/status",
            data={"csrf_token": token, "status": naar, "bericht": STATUS_BERICHT,
                  **({"publiek": "y"} if random.random() < 0.7 else {})},
            headers={**self.htmx("paneel"), "X-CSRFToken": token},
        )
        if antwoord.status_code == 200 and "staat nu op" in antwoord.text:
            RUN.statuswijzigingen["gewijzigd"] += 1
        elif antwoord.status_code == 200:
            # Refused in the panel (another regisseur changed it first): not an error.
            RUN.statuswijzigingen["geweigerd (tegelijk gewijzigd)"] += 1
        else:
            RUN.statuswijzigingen[f"HTTP {antwoord.status_code}"] += 1


def bewaarde_namen(signed: str) -> list[str]:
    """The file names in a kept-photos reference (the script knows the SECRET_KEY)."""
    if not signed:
        return []
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    try:
        rijen = URLSafeTimedSerializer(RUN.stapel.secret_key, salt="fotos").loads(signed)
    except BadSignature:
        return []
    return [naam for rij in rijen for naam in rij[:2]]


def bij_verzoek(request_type, name, response_time, response_length, response=None,
                exception=None, start_time=None, **_):
    status = getattr(response, "status_code", 0) or 0
    start = (start_time - RUN.t0_epoch) if start_time else RUN.nu() - response_time / 1000
    fout = "" if exception is None else f"{type(exception).__name__}: {exception}"[:200]
    RUN.verzoeken.append(Verzoek(name, start, response_time, status, fout))
    if len(RUN.verzoeken) >= RUN.max_verzoeken and not RUN.stoppen:
        log(f"maximum van {RUN.max_verzoeken} verzoeken bereikt: stoppen")
        RUN.stoppen = True


# --- faults ---------------------------------------------------------------------------------


@dataclass
class Storing:
    naam: str
    start: float
    eind: float = 0.0
    hersteld: float | None = None  # when the probes answered again
    details: str = ""
    proeven: list[str] = field(default_factory=list)
    tijdens: list[bool] = field(default_factory=list)  # probes while the fault lasted


class Proef:
    """GET /, /melden and /beheer/ as a logged-in regisseur, outside the load's own users."""

    def __init__(self, basis_url: str) -> None:
        import requests

        self.basis = basis_url
        self.sessie = requests.Session()

    def inloggen(self) -> bool:
        try:
            html = self.sessie.get(f"{self.basis}/login", timeout=10).text
            antwoord = self.sessie.post(f"{self.basis}/login", timeout=10, allow_redirects=False,
                                        data={"csrf_token": _csrf(html), "email": REGISSEUR,
                                              "password": WACHTWOORD})
            return antwoord.status_code == 302
        except OSError:
            return False

    def een_keer(self) -> tuple[bool, str]:
        uitslag = []
        for pad in ("/", "/melden", "/beheer/"):
            try:
                antwoord = self.sessie.get(f"{self.basis}{pad}", timeout=10,
                                           allow_redirects=False)
                uitslag.append(f"{pad} {antwoord.status_code}")
            except OSError as fout:
                uitslag.append(f"{pad} {type(fout).__name__}")
        return all(u.endswith(" 200") for u in uitslag), ", ".join(uitslag)

    def zolang(self, storing: Storing, tot: float) -> None:
        """Probe every two seconds until `tot` (the app should keep answering meanwhile).

        The probes run beside the schedule, so a hanging app cannot stretch the fault; a probe
        still waiting when the fault ends counts as failed.
        """
        lopend: list[float] = []  # the start of the probe in flight, if any

        def proeven() -> None:
            while True:
                lopend.append(RUN.nu())
                goed, uitslag = self.een_keer()
                begin = lopend.pop()
                storing.tijdens.append(goed)
                if not goed:
                    storing.proeven.append(f"{begin:6.1f} s (tijdens): {uitslag}")
                gevent.sleep(max(0.0, 2.0 - (RUN.nu() - begin)))

        bezig = gevent.spawn(proeven)
        gevent.sleep(max(0.0, tot - RUN.nu()))
        bezig.kill()
        if lopend and RUN.nu() - lopend[0] > 2:
            storing.tijdens.append(False)
            storing.proeven.append(f"{lopend[0]:6.1f} s (tijdens): na {RUN.nu() - lopend[0]:.0f} s "
                                   "nog geen antwoord")

    def tot_hersteld(self, storing: Storing, seconden: float = 60) -> None:
        grens = time.monotonic() + seconden
        while time.monotonic() < grens:
            goed, uitslag = self.een_keer()
            storing.proeven.append(f"{RUN.nu():6.1f} s: {uitslag}")
            if goed:
                storing.hersteld = RUN.nu()
                return
            gevent.sleep(0.5)


def wachtende_mail(stapel: Stapel) -> str:
    """Unsent mail in the outbox (a quick query; it blocks the simulated users for ms)."""
    (wachtend, opgegeven), = stapel.sql(
        "SELECT count(*) FILTER (WHERE opgegeven_op IS NULL), "
        "count(*) FILTER (WHERE opgegeven_op IS NOT NULL) "
        "FROM mail_outbox WHERE verzonden_op IS NULL")
    return f"{wachtend} wachtend, {opgegeven} opgegeven"


def bezette_worker(workers: list[int], seconden: float = 3) -> tuple[int, bool]:
    """A worker that is running (state R) right now, so the kill hits a request in flight."""
    grens = time.monotonic() + seconden
    while time.monotonic() < grens:
        for pid in workers:
            try:
                toestand = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if toestand == "R":
                return pid, True
        gevent.sleep(0.005)
    return random.choice(workers), False


def storingen_draaien(stapel: Stapel, duur: float, smtp_uit: float, smtp_hangt: bool,
                      storingen: list[Storing]) -> None:
    """The fault schedule: PostgreSQL restart, a worker SIGKILLed, SMTP down for a while."""
    proef = Proef(stapel.basis_url)
    proef.inloggen()

    def tot(moment: float) -> None:
        gevent.sleep(max(0.0, moment - RUN.nu()))

    tot(duur * 0.25)
    storing = Storing("PostgreSQL herstart (pg_ctl restart -m fast)", RUN.nu())
    storingen.append(storing)
    log("storing: PostgreSQL herstarten")
    resultaat = stapel.pg_ctl("-m", "fast", "-w", "-t", "60", "restart",
                              "-l", str(stapel.pg_root / "postgres.log"), check=False)
    storing.eind = RUN.nu()
    storing.details = (f"pg_ctl restart duurde {storing.eind - storing.start:.1f} s"
                       + ("" if resultaat.returncode == 0 else f"; {resultaat.stderr.strip()}"))
    proef.tot_hersteld(storing)

    tot(duur * 0.45)
    workers = stapel.gunicorn_workers()
    storing = Storing("gunicorn-worker SIGKILL", RUN.nu())
    storingen.append(storing)
    if workers:
        slachtoffer, bezig = bezette_worker(workers)
        storing.start = RUN.nu()
        log(f"storing: worker {slachtoffer} krijgt SIGKILL")
        os.kill(slachtoffer, signal.SIGKILL)
        storing.details = (f"worker {slachtoffer} van {workers} "
                           f"({'was aan het rekenen' if bezig else 'wachtte'})")
    storing.eind = RUN.nu()
    proef.tot_hersteld(storing)
    gevent.sleep(2)
    storing.details += f"; daarna workers {stapel.gunicorn_workers()}"

    tot(duur * 0.6)
    if smtp_hangt:
        # The relay accepts connections but never answers (a hung or firewalled relay).
        storing = Storing(f"SMTP-server {smtp_uit:.0f} s bevroren (SIGSTOP)", RUN.nu())
        storingen.append(storing)
        log("storing: SMTP-server bevriezen")
        os.kill(stapel.smtp.pid, signal.SIGSTOP)
        proef.zolang(storing, duur * 0.6 + smtp_uit)
        wachtend = wachtende_mail(stapel)
        log("SMTP-server weer laten lopen")
        os.kill(stapel.smtp.pid, signal.SIGCONT)
    else:
        storing = Storing(f"SMTP-server {smtp_uit:.0f} s uit", RUN.nu())
        storingen.append(storing)
        log("storing: SMTP-server stoppen")
        stapel.stop_smtp()
        proef.zolang(storing, duur * 0.6 + smtp_uit)
        wachtend = wachtende_mail(stapel)
        log("SMTP-server weer starten")
        stapel.start_smtp()
    storing.eind = RUN.nu()
    storing.details = f"outbox aan het eind van de storing: {wachtend}"
    proef.tot_hersteld(storing)


# --- setup ----------------------------------------------------------------------------------


def maak_jpeg() -> bytes:
    """A phone-like photo: 1600x1200, a street scene of shapes with sensor noise, EXIF GPS."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(7)
    beeld = Image.new("RGB", (1600, 1200), (150, 180, 210))
    teken = ImageDraw.Draw(beeld)
    for y in range(0, 600, 4):  # sky gradient
        teken.rectangle([0, y, 1600, y + 4], fill=(120 + y // 10, 160 + y // 20, 220))
    teken.rectangle([0, 600, 1600, 1200], fill=(110, 110, 105))  # street
    for _ in range(60):
        x, y = rng.randrange(1600), rng.randrange(300, 1150)
        kleur = tuple(rng.randrange(40, 220) for _ in range(3))
        teken.rectangle([x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 200)],
                        fill=kleur)
    ruis = Image.effect_noise((1600, 1200), 18).convert("RGB")
    beeld = Image.blend(beeld.filter(ImageFilter.GaussianBlur(0.6)), ruis, 0.12)
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"  # Make
    exif[0x0110] = "FP4"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 16.0, 30.0), 3: "E", 4: (6.0, 47.0, 40.0)})
    uit = BytesIO()
    beeld.save(uit, "JPEG", quality=85, exif=exif)
    return uit.getvalue()


def opbouwen(stapel: Stapel) -> tuple[list, list[str]]:
    log(f"PostgreSQL 15 in {stapel.pg_root} op poort {stapel.pg_poort}")
    stapel.start_postgres()
    stapel.sql("CREATE DATABASE participatie", database="postgres")
    stapel.sql("CREATE EXTENSION postgis")
    log(f"redis-server op poort {stapel.redis_poort}, SMTP (aiosmtpd) op {stapel.smtp_poort}")
    stapel.start_redis()
    stapel.start_smtp()
    log("migreren, Hengelo en demo laden, regisseur Noord aanmaken")
    stapel.flask("db", "upgrade")
    stapel.flask("demo")
    stapel.flask("create-user", "--email", REGISSEUR, "--password", WACHTWOORD,
                 "--role", "stadsdeelregisseur", "--wijk", NOORD, "--naam", "Regisseur Noord")
    # Mail the demo queued (if any) goes now, so the outbox check is about this run only.
    stapel.flask("mail")
    punten = [(lat, lon) for lat, lon in stapel.sql(
        "SELECT ST_Y(p.geom), ST_X(p.geom) FROM buurt b, "
        "LATERAL ST_Dump(ST_GeneratePoints(b.geom, 60, 7)) AS p WHERE b.wijk_code = %s",
        (NOORD,))]
    buurten = [r[0] for r in stapel.sql("SELECT code FROM buurt WHERE wijk_code = %s "
                                        "ORDER BY code", (NOORD,))]
    log(f"gunicorn met {stapel.workers} workers op {stapel.basis_url}")
    stapel.start_gunicorn()
    return punten, buurten


# --- the report -----------------------------------------------------------------------------


def pct(waarden: list[float], p: float) -> float:
    waarden = sorted(waarden)
    return waarden[min(len(waarden) - 1, round(p * (len(waarden) - 1)))] if waarden else 0.0


def venster_van(start: float, eind: float, storingen: list[Storing]) -> str:
    """The fault whose window (start until the probes answered again, +1 s) overlaps this."""
    for storing in storingen:
        einde = (storing.hersteld or storing.eind) + 1
        if start <= einde and eind >= storing.start - 0.5:
            return storing.naam
    return "buiten storingen"


def rapport(stapel: Stapel, storingen: list[Storing], looptijd: float,
            mail_uitvoer: str) -> bool:
    verzoeken = RUN.verzoeken
    print()
    print("=" * 100)
    print(f"Belasting: {Inwoner.fixed_count} inwoners + {Medewerker.fixed_count} medewerkers, "
          f"{looptijd:.0f} s, {len(verzoeken)} verzoeken = {len(verzoeken) / looptijd:.1f} per s")
    print("RATELIMIT_MELDEN en RATELIMIT_LOGIN staan op 100000 per uur: alle gesimuleerde "
          "mensen komen van één IP (de limiet zelf wordt elders getest).")
    print("SESSION_COOKIE_SECURE=0: gewoon HTTP op 127.0.0.1 (in productie eindigt TLS bij de "
          "proxy ervoor); verder PARTICIPATIE_ENV=production.")
    print()
    print(f"{'route':40} {'aantal':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'fouten':>7} {'5xx':>5}  {'p95 na opstart':>14}")
    per_route = defaultdict(list)
    for v in verzoeken:
        per_route[v.naam].append(v)
    for naam in sorted(per_route):
        rij = per_route[naam]
        tijden = [v.duur_ms for v in rij]
        fouten = sum(1 for v in rij if v.fout or v.status >= 400 or v.status == 0)
        vijf = sum(1 for v in rij if v.status >= 500)
        later = [v.duur_ms for v in rij if v.start > OPSTART]
        print(f"{naam:40} {len(rij):7} {statistics.median(tijden):8.0f} {pct(tijden, 0.95):8.0f}"
              f" {max(tijden):8.0f} {fouten:7} {vijf:5}  "
              f"{f'{pct(later, 0.95):.0f}' if later else '-':>14}")
    alle_fouten = [v for v in verzoeken if v.fout or v.status >= 400 or v.status == 0]
    vijfxx = [v for v in verzoeken if v.status >= 500]
    print(f"{'totaal':40} {len(verzoeken):7} "
          f"{statistics.median([v.duur_ms for v in verzoeken]) if verzoeken else 0:8.0f} "
          f"{pct([v.duur_ms for v in verzoeken], 0.95):8.0f} "
          f"{max([v.duur_ms for v in verzoeken], default=0):8.0f} "
          f"{len(alle_fouten):7} {len(vijfxx):5}")
    print(f"'p95 na opstart': zonder de eerste {OPSTART} s, waarin alle gebruikers "
          "tegelijk beginnen en de medewerkers inloggen (argon2id, 64 MiB)")
    print(f"Statuswijzigingen: {dict(RUN.statuswijzigingen)}")

    print()
    print("Storingen:")
    for s in storingen:
        herstel = (f"app weer goed {s.hersteld - s.eind:.1f} s na het einde van de storing "
                   "(GET /, /melden, /beheer/ alle 200, zonder herstart van de app)"
                   if s.hersteld is not None else "NIET HERSTELD binnen 60 s")
        tijdens = (f"; tijdens de storing {sum(s.tijdens)} van {len(s.tijdens)} proeven goed"
                   if s.tijdens else "")
        print(f"  {s.start:6.1f}-{s.eind:.1f} s  {s.naam}: {s.details}{tijdens}; {herstel}")
        for regel in s.proeven[:4]:
            print(f"           proef {regel}")
    print()
    print("Fouten per storingsvenster (venster = begin storing tot de proeven weer slagen, +1 s):")
    per_venster = defaultdict(Counter)
    for v in alle_fouten:
        soort = f"HTTP {v.status}" if v.status else (v.fout.split(":")[0] or "geen antwoord")
        per_venster[venster_van(v.start, v.start + v.duur_ms / 1000, storingen)][
            f"{v.naam} -> {soort}"] += 1
    if not per_venster:
        print("  geen")
    for venster, tellingen in per_venster.items():
        print(f"  {venster}: {sum(tellingen.values())}")
        for wat, n in tellingen.most_common():
            print(f"    {n:5} x {wat}")

    traag = Counter(venster_van(v.start, v.start + v.duur_ms / 1000, storingen)
                    for v in verzoeken if v.duur_ms > 5000 and v not in alle_fouten)
    print(f"Geslaagd maar trager dan 5 s: {dict(traag) or 'geen'}")

    # --- meldingen ---
    rijen = stapel.sql(
        "SELECT m.id, m.omschrijving, "
        "  (SELECT count(*) FROM melding_foto f WHERE f.melding_id = m.id) "
        "FROM melding m WHERE m.omschrijving LIKE %s", ("%[bench %",))
    per_marker = defaultdict(list)
    for ident, omschrijving, fotos in rijen:
        marker = MARKER.search(omschrijving)
        if marker:
            per_marker[marker.group(1)].append((ident, fotos))
    foto_rijen = stapel.sql("SELECT melding_id, bestand, thumbnail FROM melding_foto")
    fotomap = stapel.media / "fotos"
    bestanden = {p.name for p in fotomap.iterdir()} if fotomap.is_dir() else set()
    in_db = {naam for _, bestand, thumbnail in foto_rijen for naam in (bestand, thumbnail)}

    bevestigd = [p for p in RUN.pogingen if p.uitkomst == "bevestigd"]
    verloren, dubbel, zonder_foto, id_anders = [], [], [], []
    for p in bevestigd:
        opgeslagen = per_marker.get(p.marker, [])
        if not opgeslagen:
            verloren.append(p)
        elif len(opgeslagen) > 1:
            dubbel.append(p)
        elif opgeslagen[0][0] != p.melding_id:
            id_anders.append(p)
        elif opgeslagen[0][1] != 1:
            zonder_foto.append(p)
    niet_bevestigd = [p for p in RUN.pogingen if p.uitkomst != "bevestigd"]
    toch_opgeslagen = [p for p in niet_bevestigd if per_marker.get(p.marker)]
    onbekend = set(per_marker) - {p.marker for p in RUN.pogingen}
    bestand_weg = sorted(n for n in in_db if n not in bestanden)
    bewaard = {n for p in RUN.pogingen for n in p.bewaarde_fotos}
    tijdelijk = sorted(n for n in bestanden if n.startswith(".upload-"))
    wees = sorted(n for n in bestanden - in_db if not n.startswith(".upload-"))
    wees_bewaard = [n for n in wees if n in bewaard]
    wees_echt = [n for n in wees if n not in bewaard]

    print()
    print("Meldingen:")
    print(f"  pogingen {len(RUN.pogingen)}; bevestigd (302 naar /meldingen/volgen/<id>) "
          f"{len(bevestigd)}, waarvan {sum(p.vergelijkbaar for p in bevestigd)} na "
          f"'Is dit al gemeld?'; met nummer op de volgpagina "
          f"{sum(1 for p in bevestigd if p.nummer)}")
    print(f"  bevestigd en precies één keer opgeslagen met 1 foto: "
          f"{len(bevestigd) - len(verloren) - len(dubbel) - len(zonder_foto) - len(id_anders)}"
          f"; VERLOREN {len(verloren)}; DUBBEL {len(dubbel)}; ander nummer {len(id_anders)}; "
          f"aantal foto's niet 1: {len(zonder_foto)}")
    print(f"  niet bevestigd {len(niet_bevestigd)}, waarvan toch opgeslagen "
          f"{len(toch_opgeslagen)} (de inwoner weet het niet; opnieuw sturen geeft een dubbele)")
    per_venster_pogingen = Counter(
        (venster_van(p.start, p.eind or p.start, storingen), p.uitkomst,
         "opgeslagen" if per_marker.get(p.marker) else "niet opgeslagen")
        for p in RUN.pogingen)
    for (venster, uitkomst, opgeslagen), n in sorted(per_venster_pogingen.items()):
        print(f"    {venster:45} {uitkomst:10} {opgeslagen:16} {n:5}")
    for p in niet_bevestigd[:10]:
        print(f"    niet bevestigd: {p.start:6.1f} s {p.marker} {p.fout}")
    if onbekend:
        print(f"  in de database maar van geen poging: {len(onbekend)}")
    print()
    print("Foto's in MEDIA_DIR:")
    print(f"  rijen in melding_foto {len(foto_rijen)} ({len(in_db)} bestandsnamen), "
          f"bestanden {len(bestanden)}")
    print(f"  rij zonder bestand: {len(bestand_weg)} {bestand_weg[:5]}")
    print(f"  bestand zonder rij: {len(wees_echt)} {wees_echt[:5]} (blijft staan tot "
          "`flask retention` het na een dag opruimt)")
    print(f"  bewust bewaarde uploads van niet afgeronde pogingen (opgeruimd door "
          f"`flask retention`): {len(wees_bewaard)}; halve uploads (.upload-*): {len(tijdelijk)}")

    # --- mail ---
    outbox = stapel.sql("SELECT aan, onderwerp, verzonden_op IS NOT NULL, pogingen, "
                        "laatste_fout, opgegeven_op IS NOT NULL FROM mail_outbox")
    ontvangen = Counter()
    if stapel.maildir.is_dir():
        for bericht in mailbox.Maildir(stapel.maildir, factory=None, create=False):
            bericht = email.message_from_bytes(bericht.as_bytes(), policy=email.policy.default)
            ontvangen[(str(bericht["To"]), str(bericht["Subject"]))] += 1
    verzonden = Counter((aan, onderwerp) for aan, onderwerp, klaar, *_ in outbox if klaar)
    niet_verzonden = [r for r in outbox if not r[2]]
    opgegeven = [r for r in niet_verzonden if r[5]]
    nooit_aangekomen = verzonden - ontvangen
    dubbel_ontvangen = sum((ontvangen - verzonden).values())
    print()
    print("E-mail:")
    print(f"  `flask mail --direct` na de belasting: {mail_uitvoer.strip()}")
    print(f"  outbox {len(outbox)}: verzonden {sum(verzonden.values())}, niet verzonden "
          f"{len(niet_verzonden)} (waarvan opgegeven: {len(opgegeven)})")
    print(f"  SMTP-server ontving {sum(ontvangen.values())}; als verzonden gemarkeerd maar niet "
          f"ontvangen: {sum(nooit_aangekomen.values())}; vaker ontvangen dan verzonden "
          f"(dubbel): {dubbel_ontvangen}")
    for aan, onderwerp, _, pogingen, fout, _ in niet_verzonden[:5]:
        print(f"    niet verzonden: {aan} '{onderwerp}' pogingen {pogingen}: {fout[:80]}")

    # --- gunicorn ---
    gunicorn_log = (stapel.logs / "gunicorn.log")
    tekst = gunicorn_log.read_text(errors="replace") if gunicorn_log.exists() else ""
    uitzonderingen = Counter(re.findall(r"^(\w+(?:\.\w+)*(?:Error|Exception|Timeout)\w*):",
                                        tekst, re.M))
    print()
    print("gunicorn-log:")
    kaal = tekst.count("Error handling request")
    print(f"  'Onverwachte fout' {tekst.count('Onverwachte fout')}, WORKER TIMEOUT "
          f"{tekst.count('WORKER TIMEOUT')}, 'Booting worker' {tekst.count('Booting worker')}, "
          f"uitzonderingen {dict(uitzonderingen.most_common(6))}")
    print(f"  'Error handling request' (de foutafhandeling van de app faalde zelf; gunicorn "
          f"gaf een lege 500): {kaal}")
    for regel in dict.fromkeys(re.findall(r"Error handling request [^\n]+", tekst)):
        print(f"    {regel[:120]}")
    for regel in dict.fromkeys(re.findall(r"Onverwachte fout bij [^\n]+", tekst)):
        print(f"    {regel[:120]}")

    ok = not verloren and not dubbel and not id_anders
    def buiten(lijst: list[Verzoek]) -> list[Verzoek]:
        return [v for v in lijst if venster_van(
            v.start, v.start + v.duur_ms / 1000, storingen) == "buiten storingen"]

    def oordeel(goed: bool, alleen_tijdens_storing: bool = False) -> str:
        if goed:
            return "ok"
        return "alleen tijdens storing" if alleen_tijdens_storing else "NIET OK"

    vijf_buiten = buiten(vijfxx)
    andere = [v for v in alle_fouten if v.status < 500]
    mail_weg = len(niet_verzonden) + sum(nooit_aangekomen.values())
    regels = [
        ("bevestigde meldingen precies 1x opgeslagen, met foto",
         f"{len(bevestigd) - len(verloren) - len(dubbel) - len(zonder_foto) - len(id_anders)}"
         f" van {len(bevestigd)}", oordeel(ok and not zonder_foto)),
        ("5xx (doel 0)", f"{len(vijfxx)}, waarvan buiten storingen {len(vijf_buiten)}",
         oordeel(not vijfxx, not vijf_buiten)),
        ("andere fouten (verbinding weg, 4xx)",
         f"{len(andere)}, waarvan buiten storingen {len(buiten(andere))}",
         oordeel(not andere, not buiten(andere))),
        ("niet bevestigd maar wel opgeslagen", f"{len(toch_opgeslagen)}",
         oordeel(not toch_opgeslagen)),
        ("foto: rij zonder bestand / bestand zonder rij",
         f"{len(bestand_weg)} / {len(wees_echt)}", oordeel(not bestand_weg and not wees_echt)),
        ("mail: niet aangekomen / dubbel", f"{mail_weg} / {dubbel_ontvangen}",
         oordeel(not mail_weg and not dubbel_ontvangen)),
        *[(f"weer goed na: {s.naam}",
           f"{s.hersteld - s.eind:.1f} s" if s.hersteld is not None else "nee",
           oordeel(s.hersteld is not None and all(s.tijdens))) for s in storingen],
    ]
    print()
    print("=" * 100)
    print("Samenvatting")
    for wat, waarde, uitslag in regels:
        print(f"  {wat:52} {waarde:>34}   {uitslag}")
    print(f"Uitkomst: {'OK' if ok else 'NIET OK'} (exit 1 alleen bij een verloren of dubbele "
          "bevestigde melding)")
    return ok


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    global RUN
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duur", type=float, default=120, help="seconds of load (>= 60)")
    parser.add_argument("--inwoners", type=int, default=50)
    parser.add_argument("--medewerkers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--smtp-uit", type=float, default=None,
                        help="seconds the SMTP server is down (default: duur / 5)")
    parser.add_argument("--smtp-hangt", action="store_true",
                        help="freeze the SMTP server (SIGSTOP) instead of stopping it")
    parser.add_argument("--max-verzoeken", type=int, default=50_000,
                        help="stop the load after this many requests")
    parser.add_argument("--bewaar-logs", metavar="MAP",
                        help="copy gunicorn/PostgreSQL/SMTP logs here before cleaning up")
    args = parser.parse_args()
    if args.duur < 60:
        parser.error("--duur moet minstens 60 s zijn (de storingen hebben ruimte nodig)")
    Inwoner.fixed_count = args.inwoners
    Medewerker.fixed_count = args.medewerkers
    smtp_uit = args.smtp_uit if args.smtp_uit is not None else args.duur / 5

    stapel = Stapel(args.workers)
    atexit.register(stapel.stop)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        try:
            punten, buurten = opbouwen(stapel)
        except (OSError, RuntimeError, subprocess.SubprocessError) as fout:
            print(f"Opbouwen mislukt: {fout}\n{getattr(fout, 'stderr', '') or ''}",
                  file=sys.stderr)
            return 2
        RUN = Run(stapel, maak_jpeg(), punten, buurten, args.max_verzoeken)
        log(f"foto {len(RUN.jpeg) // 1024} kB, {len(punten)} punten in {len(buurten)} buurten "
            f"van Noord; belasting {args.duur:.0f} s")

        env = Environment(user_classes=[Inwoner, Medewerker], host=stapel.basis_url,
                          stop_timeout=VERZOEK_TIMEOUT * 2 + 10)
        env.events.request.add_listener(bij_verzoek)
        runner = env.create_local_runner()
        storingen: list[Storing] = []
        RUN.t0 = time.monotonic()
        RUN.t0_epoch = time.time()
        runner.start(args.inwoners + args.medewerkers, spawn_rate=20)
        planner = gevent.spawn(storingen_draaien, stapel, args.duur, smtp_uit,
                               args.smtp_hangt, storingen)
        grens = RUN.t0 + args.duur
        while time.monotonic() < grens and not RUN.stoppen:
            gevent.sleep(0.5)
        RUN.stoppen = True  # users finish what they are doing and start nothing new
        log("einde belasting: lopende handelingen afmaken")
        stopper = gevent.spawn(runner.quit)
        stopper.join(timeout=env.stop_timeout + 30)  # the hard stop
        if not stopper.dead:
            log("harde stop: gebruikers worden afgebroken")
            stopper.kill()
        planner.join(timeout=90)
        planner.kill()
        looptijd = RUN.nu()
        for p in RUN.pogingen:
            if p.uitkomst == "bezig":
                p.uitkomst, p.eind = "afgebroken", looptijd

        # No cron in this stack: what waits for a later attempt (back-off) goes now.
        log("`flask mail --direct` voor wat tijdens de SMTP-storing bleef liggen")
        mail_uitvoer = stapel.flask("mail", "--direct", timeout=300)
        ok = rapport(stapel, storingen, looptijd, mail_uitvoer)
        if args.bewaar_logs:
            doel = Path(args.bewaar_logs)
            doel.mkdir(parents=True, exist_ok=True)
            for bestand in [*stapel.logs.iterdir(), stapel.pg_root / "postgres.log"]:
                if bestand.exists():
                    shutil.copy(bestand, doel / bestand.name)
            with (doel / "verzoeken.csv").open("w", newline="") as uit:
                schrijver = csv.writer(uit)
                schrijver.writerow(["start_s", "route", "ms", "status", "fout"])
                for v in RUN.verzoeken:
                    schrijver.writerow([f"{v.start:.3f}", v.naam, f"{v.duur_ms:.1f}", v.status,
                                        v.fout])
            print(f"logs in {doel}")
        return 0 if ok else 1
    except KeyboardInterrupt:
        print("\nafgebroken", file=sys.stderr)
        return 130
    finally:
        stapel.stop()


if __name__ == "__main__":
    sys.exit(main())
