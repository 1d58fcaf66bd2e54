"""Fixtures: a real PostGIS database, a real SMTP server and a real browser.

The test database is created afresh per run and migrated with Alembic, so the migrations
themselves are tested. Hengelo's boundaries and the default categories are committed once;
every other test runs inside a transaction that is rolled back afterwards. Browser tests
talk to a live server in a thread and clean up by truncating what they wrote.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from participatie import create_app, referentie
from participatie.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL",
    "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie_test",
)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Tables that hold reference data loaded once per run; everything else is wiped by `schoon`.
REFERENTIE = {"gemeente", "wijk", "buurt", "organisatie", "categorie", "categorie_groep",
              "alembic_version", "spatial_ref_sys"}


def recreate_database(url: str) -> None:
    """Drop and create the (empty) database of `url`, ending whatever is connected to it."""
    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    admin = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (parsed.database,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}"')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


# The test relay refuses recipients at this domain, as a real one refuses an unknown mailbox.
GEWEIGERD_DOMEIN = "@geweigerd.example"


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.endswith(GEWEIGERD_DOMEIN):
            return "550 5.1.1 Onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[_Mailbox]:
    mailbox = _Mailbox()
    with socket.socket() as probe:  # aiosmtpd cannot start on port 0; ask the OS for one
        probe.bind(("127.0.0.1", 0))
        mailbox.port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture(scope="session")
def app(smtp_server, tmp_path_factory):
    recreate_database(TEST_DATABASE_URL)
    media = tmp_path_factory.mktemp("media")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
            "MEDIA_DIR": str(media),
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": smtp_server.port,
            "SECRET_KEY": "test-secret",
            "PUBLIC_URL": "http://participatie.test",
            # Tests that are not about rate limits must not hit them.
            "RATELIMIT_MELDEN": "1000 per minute",
            "RATELIMIT_LOGIN": "1000 per minute",
            "RATELIMIT_STEMMEN": "1000 per minute",
            "RATELIMIT_OPEN311_CLIENT": "1000 per minute",
            "RATELIMIT_OPEN311_SLEUTEL": "1000 per minute",
            "RATELIMIT_OPEN311_LEZEN": "1000 per minute",
            "RATELIMIT_ENQUETES": "1000 per minute",
            "TILE_URL": "",
            # Cheap password hashing: the tests log in a few hundred times.
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        from participatie.cli import HENGELO_FILES
        from participatie.gebieden.services import importeer
        from participatie.meldingen.categorieen import zorg_voor_basis

        upgrade()
        importeer(HENGELO_FILES)
        zorg_voor_basis()
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture(autouse=True)
def _reset_limits(app):
    with app.app_context():
        limiter.reset()
    yield


@pytest.fixture
def db_session(app) -> Iterator:
    """A session whose work is rolled back after the test, even where a view commits.

    SQLAlchemy's recipe for joining a session into an external transaction, through public
    API only: Flask-SQLAlchemy's session takes its bind from `db.engines` (the app's engines
    by bind key), so the default bind is this test's connection while the test runs, and the
    scoped session is reconfigured (`configure`) to turn each commit into a savepoint.
    """
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        engines = db.engines
        engine = engines[None]
        engines[None] = connection
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session.configure(join_transaction_mode="conditional_savepoint")
            engines[None] = engine
            transaction.rollback()
            connection.close()
            # The rollback undid what this test wrote behind the sessions' backs; what the
            # process keeps of the reference data (participatie.referentie) may hold it.
            referentie.vergeet_alles()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


@pytest.fixture
def mailbox(smtp_server) -> _Mailbox:
    smtp_server.clear()
    return smtp_server


@pytest.fixture
def media_dir(app) -> Path:
    return Path(app.config["MEDIA_DIR"])


@pytest.fixture
def wereld(app, db_session, media_dir):
    """One melding with a photo, a leefbaarheidsvraag and a second user (tests/wereld.py)."""
    from participatie import media
    from tests.wereld import maak_wereld

    w = maak_wereld(db_session, media_dir)
    yield w
    media.verwijder(media_dir, *w.bestanden)


# --- Browser tests -------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def schoon(app) -> Iterator[None]:
    """For tests that commit (browser tests): wipe everything but the reference data after."""
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENTIE]
        with db.engine.begin() as conn:
            # The audit log refuses TRUNCATE through a trigger; replica mode skips triggers
            # for this connection only (superuser), which is what a test database needs.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server, schoon):
    """A phone-sized page (390×844, touch) on the live server; JavaScript on."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, has_touch=True,
        is_mobile=True, locale="nl-NL", device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_zonder_js(browser, live_server, schoon):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, has_touch=True,
        is_mobile=True, locale="nl-NL", java_script_enabled=False,
    )
    page = context.new_page()
    yield page
    context.close()
