"""While PostgreSQL cannot be reached, residents and staff get a Dutch page that says so.

The app under test runs as in production (not TESTING, so with its catch-all error handler)
on a database of its own, which the test really takes away: no new connections allowed and
every open one terminated, as during a restart.
"""

from __future__ import annotations

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from participatie import create_app
from participatie.cli import HENGELO_FILES
from participatie.extensions import db
from participatie.gebieden.services import importeer
from participatie.meldingen.categorieen import zorg_voor_basis
from tests.conftest import TEST_DATABASE_URL, recreate_database
from tests.factories import WACHTWOORD, csrf_token, gebruiker

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
        db.session.commit()
        db.session.remove()

    def weg() -> None:
        with psycopg.connect(beheer, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{naam}" ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s", (naam,))

    yield app, weg
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
