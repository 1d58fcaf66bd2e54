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


@pytest.mark.parametrize("naam", ["0003_moderatie", "0005_nabij", "0006_inbox_snelheid"])
def test_gedeeltelijke_indexen_gebruiken_precies_de_open_statussen(naam):
    # PostgreSQL uses a partial index only when the query's status list matches its own.
    module = _migratie(naam)
    lijst = module.OPEN if hasattr(module, "OPEN") else tuple(
        waarde.strip(" '") for waarde in module._OPEN.split(","))
    assert lijst == OPEN_WAARDEN
