"""While PostgreSQL cannot be reached, residents and staff get a Dutch page that says so.

The app under test runs as in production (not TESTING, so with its catch-all error handler)
on a database of its own, which the test really takes away: no new connections allowed and
every open one terminated, as during a restart.
"""

from __future__ import annotations

import socket
import threading

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from participatie import create_app
from participatie.cli import HENGELO_FILES
from participatie.extensions import db
from participatie.gebieden.services import importeer
from participatie.meldingen.categorieen import zorg_voor_basis
from tests.conftest import TEST_DATABASE_URL, recreate_database
from tests.factories import WACHTWOORD, categorie, csrf_token, gebruiker

MELDING_503 = "We kunnen even niet bij onze gegevens. Probeer het over een minuut opnieuw."


@pytest.fixture
def eigen_database(tmp_path):
    """A production-like app on a throwaway database; yields the app and a function that
    makes its database unreachable."""
    url = make_url(TEST_DATABASE_URL)
    naam = f"{url.database}_storing"
    eigen_url = url.set(database=naam).render_as_string(hide_password=False)
    beheer = url.set(database="postgres", drivername="postgresql").render_as_string(
        hide_password=False)
    recreate_database(eigen_url)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": eigen_url,
        "SECRET_KEY": "test-secret-storing",
        "MEDIA_DIR": str(tmp_path),
        "MAIL_BACKEND": "console",
        "PUBLIC_URL": "http://participatie.test",
        "TILE_URL": "",
        "RATELIMIT_MELDEN": "1000 per minute",
        "RATELIMIT_LOGIN": "1000 per minute",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
    })
    with app.app_context():
        upgrade()
        importeer(HENGELO_FILES)
        zorg_voor_basis()
        app.regisseur = gebruiker("stadsdeelregisseur").email
        app.categorie_id = categorie("afvaldump").id
        db.session.commit()
        db.session.remove()

    def weg() -> None:
        with psycopg.connect(beheer, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{naam}" ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s", (naam,))

    def terug() -> None:
        with psycopg.connect(beheer, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{naam}" ALLOW_CONNECTIONS true')

    app.database_terug = terug
    yield app, weg
    terug()
    with app.app_context():
        db.engine.dispose()
    with psycopg.connect(beheer, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


def _log_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": WACHTWOORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302


def test_zonder_database_krijgen_inwoner_en_regisseur_een_nederlandse_503(eigen_database):
    app, weg = eigen_database
    inwoner, regisseur = app.test_client(), app.test_client()
    _log_in(regisseur, app.regisseur)
    assert regisseur.get("/beheer/").status_code == 200
    assert inwoner.get("/melden").status_code == 200

    weg()

    for client, pad in ((regisseur, "/"), (regisseur, "/beheer/"),
                        (regisseur, "/beheer/gebruikers"), (inwoner, "/melden")):
        response = client.get(pad)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, (pad, html[:200])
        assert response.headers["Retry-After"] == "60"
        assert MELDING_503 in html, pad
        assert 'class="kop"' in html  # the house style, not a bare server error
        assert "Uitloggen" not in html  # who is logged in is not looked up
    kaart = inwoner.get("/kaart/meldingen.geojson")
    assert kaart.status_code == 503 and kaart.json["message"].startswith(MELDING_503)
    assert inwoner.get("/").status_code == 200  # the home page needs no database


def test_het_einde_van_een_verzoek_overleeft_een_database_die_net_wegviel(eigen_database):
    """Under load a melding was stored and its redirect made, when PostgreSQL restarted before
    the request's last transaction was rolled back at its end: the teardown raised, gunicorn
    answered an empty 500 and the resident did not know the melding had arrived."""
    app, weg = eigen_database
    with app.test_request_context("/melden", method="POST"):
        assert db.session.execute(text("SELECT 1")).scalar() == 1  # a transaction is open
        weg()
    # Leaving the request context runs the teardown: it raised OperationalError before.


def test_valt_de_database_weg_terwijl_de_mail_wacht_dan_hoort_de_inwoner_dat_de_melding_er_is(
        eigen_database):
    app, weg = eigen_database
    inwoner = app.test_client()
    with socket.socket() as relay:
        relay.bind(("127.0.0.1", 0))
        relay.listen(4)
        relay.settimeout(30)
        app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1",
                          SMTP_PORT=relay.getsockname()[1], SMTP_TIMEOUT_VERZOEK=2.0)
        verbindingen = []

        def relay_hapert():
            # The app connects only after its commit, to send the confirmation: at that
            # moment PostgreSQL goes away, and the relay never answers.
            verbinding, _ = relay.accept()
            verbindingen.append(verbinding)
            weg()

        draad = threading.Thread(target=relay_hapert, daemon=True)
        draad.start()
        response = inwoner.post("/melden", data={
            "csrf_token": csrf_token(inwoner, "/melden"),
            "categorie": str(app.categorie_id), "omschrijving": "Afval naast de container",
            "latitude": "52.2700", "longitude": "6.8138", "email": "melder@example.nl",
        })
        draad.join(5)
        for verbinding in verbindingen:
            verbinding.close()

    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].startswith("/meldingen/")
    app.database_terug()
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM melding")) == 1
        # The confirmation waits in the outbox for `flask mail`.
        assert db.session.execute(text(
            "SELECT aan, verzonden_op FROM mail_outbox")).all() == [("melder@example.nl", None)]
