"""Migrations that must stay in step with the code."""

import importlib.util
from pathlib import Path

import pytest

from participatie.meldingen.workflow import OPEN_WAARDEN

VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"


def _migratie(naam):
    spec = importlib.util.spec_from_file_location(naam, VERSIONS / f"{naam}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("naam", ["0003_moderatie", "0005_nabij", "0006_inbox_snelheid",
                                  "0011_zoeken"])
def test_gedeeltelijke_indexen_gebruiken_precies_de_open_statussen(naam):
    # PostgreSQL uses a partial index only when the query's status list matches its own.
    module = _migratie(naam)
    lijst = module.OPEN if hasattr(module, "OPEN") else tuple(
        waarde.strip(" '") for waarde in module._OPEN.split(","))
    assert lijst == OPEN_WAARDEN


def test_de_laatste_lijst_van_gebeurtenissen_is_die_van_de_code():
    from participatie.meldingen.models import GEBEURTENIS_LABELS

    assert tuple(GEBEURTENIS_LABELS) == _migratie("0008_samenvoeging").SOORTEN


def test_zoeken_gebruikt_de_configuratie_en_tekst_van_de_migratie():
    from participatie.meldingen.models import Melding
    from participatie.moderatie.zoeken import CONFIGURATIE

    migratie = _migratie("0011_zoeken")
    assert migratie.CONFIGURATIE == CONFIGURATIE
    assert Melding.__table__.c.zoek_tsv.computed.sqltext.text == migratie.ZOEKTEKST


def test_migraties_en_modellen_beschrijven_hetzelfde_schema(app):
    """A model change without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from geoalchemy2 import alembic_helpers

    from participatie.extensions import db
    from participatie.models import INDEXEN_ALLEEN_IN_MIGRATIES

    def mee(obj, name, type_, reflected, compare_to):
        if type_ == "table" and name in {"spatial_ref_sys", "topology", "layer"}:
            return False
        if type_ == "index" and reflected and name in INDEXEN_ALLEEN_IN_MIGRATIES:
            return False
        return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)

    with app.app_context(), db.engine.connect() as verbinding:
        context = MigrationContext.configure(verbinding, opts={"include_object": mee})
        verschillen = compare_metadata(context, db.metadata)
    assert verschillen == []


def test_de_zoektekst_van_ideeen_is_die_van_het_model():
    from participatie.buurtbudget.models import ZOEKTEKST

    assert _migratie("0015_idee_zoeken").ZOEKTEKST == ZOEKTEKST


def test_elke_migratie_kan_terug_en_weer_vooruit(app):
    """`flask db downgrade` works from the newest migration back to an empty database, and
    every step up again: an operator can roll back a release."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from participatie import create_app
    from participatie.extensions import db
    from tests.conftest import TEST_DATABASE_URL, recreate_database

    url = make_url(TEST_DATABASE_URL)
    url = url.set(database=f"{url.database}_migraties").render_as_string(hide_password=False)
    recreate_database(url)
    los = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "TILE_URL": ""})
    with los.app_context():
        upgrade()
        downgrade(revision="base")
        over = set(inspect(db.engine).get_table_names()) - {"alembic_version",
                                                           "spatial_ref_sys"}
        assert over == set()
        upgrade()
        assert "melding" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_de_triggers_van_het_wijkbeeld_tellen_in_de_tijdzone_van_de_app():
    from participatie.tijd import TIJDZONE

    assert TIJDZONE.key == _migratie("0016_wijkbeeld").ZONE
