"""Settings, read from the environment.

Every setting has a safe default for development. Production sets at least SECRET_KEY,
PUBLIC_URL, DATABASE_URL and MEDIA_DIR; see the README for the full list.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


class Config:
    """Read once, when create_app() runs, so tests can set the environment first."""

    def __init__(self) -> None:
        env = os.environ
        self.ENV_NAME = env.get("PARTICIPATIE_ENV", "development")
        self.SECRET_KEY = env.get("SECRET_KEY", "")
        self.SQLALCHEMY_DATABASE_URI = env.get(
            "DATABASE_URL",
            "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie",
        )
        # JIT compilation only slows the short queries a web app makes.
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": True,
            "connect_args": {"options": "-c jit=off"},
        }
        self.MEDIA_DIR = env.get("MEDIA_DIR", str(PROJECT_DIR / "var" / "media"))
        # One photo may be at most this big; a whole request at most three of them plus text.
        self.MAX_PHOTO_BYTES = _int("MAX_PHOTO_BYTES", 15 * 1024 * 1024)
        self.MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 3 * self.MAX_PHOTO_BYTES + 1024 * 1024)
        self.MAX_PHOTO_PIXELS = _int("MAX_PHOTO_PIXELS", 50_000_000)

        # Keys the hashes of stemcodes; empty: SECRET_KEY (set it to rotate that key safely).
        self.STEMCODE_SLEUTEL = env.get("STEMCODE_SLEUTEL", "")
        self.GEMEENTE_NAAM = env.get("GEMEENTE_NAAM", "Hengelo")
        # Links in e-mail are built from this alone, never from the request's Host header.
        self.PUBLIC_URL = env.get("PUBLIC_URL", "").strip().rstrip("/")
        if not self.PUBLIC_URL and self.ENV_NAME != "production":
            self.PUBLIC_URL = f"http://127.0.0.1:{env.get('PORT', '5000')}"
        # Flask answers 400 to any other Host header; None accepts every host (development).
        extra_hosts = [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        public_host = urlsplit(self.PUBLIC_URL).hostname
        self.TRUSTED_HOSTS = (
            [h for h in [public_host, *extra_hosts] if h]
            if self.ENV_NAME == "production" or extra_hosts else None
        )
        self.TILE_URL = env.get(
            "TILE_URL",
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        )
        self.TILE_ATTRIBUTION = env.get(
            "TILE_ATTRIBUTION", "Kaart: PDOK BRT-Achtergrondkaart, Kadaster"
        )
        # Map centre when nothing else is known: Hengelo's town hall.
        self.MAP_CENTER = (
            float(env.get("MAP_CENTER_LAT", "52.2658")),
            float(env.get("MAP_CENTER_LON", "6.7931")),
        )

        # Open311 GeoReport v2: the jurisdiction_id it answers to, and how app builders reach
        # the gemeente (discovery's contact and key_service).
        self.OPEN311_JURISDICTION = env.get("OPEN311_JURISDICTION", "hengelo.nl")
        self.OPEN311_CONTACT = env.get("OPEN311_CONTACT", "")

        self.NEARBY_METERS = _int("NEARBY_METERS", 50)
        self.NEARBY_WEEKS = _int("NEARBY_WEEKS", 8)
        self.KAART_RECENT_DAYS = _int("KAART_RECENT_DAYS", 30)
        self.RETENTION_DAYS = _int("RETENTION_DAYS", 365)
        self.RETENTION_CANCELLED_PHOTO_DAYS = _int("RETENTION_CANCELLED_PHOTO_DAYS", 30)

        self.MAIL_BACKEND = env.get("MAIL_BACKEND", "smtp" if env.get("SMTP_HOST") else "console")
        self.MAIL_FROM = env.get("MAIL_FROM", "Gemeente Hengelo <noreply@participatie.local>")
        self.SMTP_HOST = env.get("SMTP_HOST", "127.0.0.1")
        self.SMTP_PORT = _int("SMTP_PORT", 25)
        self.SMTP_USERNAME = env.get("SMTP_USERNAME", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        self.SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
        self.SMTP_TIMEOUT = _int("SMTP_TIMEOUT", 10)
        # A request waits at most this long (in all) on the relay after its commit; what is
        # not sent by then goes out with `flask --app wsgi mail` (cron, every minute).
        self.SMTP_TIMEOUT_VERZOEK = _float("SMTP_TIMEOUT_VERZOEK", 3.0)

        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        # A moving window: a fixed one lets twice the limit through around its boundary.
        self.RATELIMIT_STRATEGY = env.get("RATELIMIT_STRATEGY", "moving-window")
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_MELDEN = env.get("RATELIMIT_MELDEN", "10 per hour;3 per minute")
        # Guessing stemcodes: a resident needs one try, perhaps three with typos.
        self.RATELIMIT_STEMMEN = env.get("RATELIMIT_STEMMEN", "30 per hour;10 per minute")
        # Answering a survey posts once per page: a 20-page survey twice in a row fits.
        self.RATELIMIT_ENQUETES = env.get("RATELIMIT_ENQUETES", "200 per hour;40 per minute")
        self.RATELIMIT_LOGIN = env.get("RATELIMIT_LOGIN", "20 per hour;5 per minute")
        # Open311 (participatie/api): new meldingen per client address and per API key, and
        # reading (GET) per client address.
        self.RATELIMIT_OPEN311_CLIENT = env.get("RATELIMIT_OPEN311_CLIENT",
                                                "60 per hour;10 per minute")
        self.RATELIMIT_OPEN311_SLEUTEL = env.get("RATELIMIT_OPEN311_SLEUTEL",
                                                 "1000 per hour;100 per minute")
        self.RATELIMIT_OPEN311_LEZEN = env.get("RATELIMIT_OPEN311_LEZEN", "300 per minute")
        self.RATELIMIT_HEADERS_ENABLED = True
        # Behind a reverse proxy the client address is in X-Forwarded-For; trust this many hops.
        self.PROXY_HOPS = _int("PROXY_HOPS", 0)
        # A Server-Timing header with the request's SQL and total time (participatie/timing.py);
        # for benchmarks, never in production.
        self.SERVER_TIMING = _bool("SERVER_TIMING", False)

        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.ENV_NAME == "production")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.PERMANENT_SESSION_LIFETIME = _int("SESSION_HOURS", 10) * 3600
        # A form left open on a phone must still post, but no longer than a session lasts:
        # an old token copied from somewhere must not work for ever.
        self.WTF_CSRF_TIME_LIMIT = self.PERMANENT_SESSION_LIFETIME
        # argon2id costs (RFC 9106's second recommendation); hashes made with other costs
        # are upgraded at the next login.
        self.ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3)
        self.ARGON2_MEMORY_KIB = _int("ARGON2_MEMORY_KIB", 65536)
        # Wrong passwords per account and client address, then per account from anywhere;
        # counted within and locked for LOGIN_LOCK_MINUTES (see accounts/blokkade.py).
        self.LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
        self.LOGIN_MAX_FAILURES_ACCOUNT = _int("LOGIN_MAX_FAILURES_ACCOUNT", 50)
        self.LOGIN_LOCK_MINUTES = _int("LOGIN_LOCK_MINUTES", 15)

        if self.ENV_NAME == "production":
            missing = [n for n in ("SECRET_KEY", "PUBLIC_URL") if not getattr(self, n)]
            if missing:
                raise RuntimeError(f"{' and '.join(missing)} must be set in production")
        # Without SECRET_KEY, create_app() takes development_secret_key(instance folder).

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def development_secret_key(instance_path: str | os.PathLike) -> str:
    """A random key made on the first start and kept in the instance folder (mode 0600).

    Development only (production refuses to start without SECRET_KEY): sessions survive a
    restart, yet no key is shared between checkouts, so nobody can forge a session or a
    signed photo link with a key that is written down somewhere.
    """
    path = Path(instance_path) / "secret_key"
    if not path.is_file():
        _write_new_key(path)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it and a new key is made")
    return key


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole to a temporary file (mkstemp makes it 0600), then linked into place:
    # of two processes starting at once, one key wins and both use it.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
