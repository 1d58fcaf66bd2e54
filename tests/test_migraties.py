"""Migrations that must stay in step with the code."""

import importlib.util
from pathlib import Path

from participatie.meldingen.workflow import OPEN_WAARDEN

VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"


def _migratie(naam):
    spec = importlib.util.spec_from_file_location(naam, VERSIONS / f"{naam}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_index_voor_dichtbij_gebruikt_precies_de_open_statussen():
    assert _migratie("0005_nabij").OPEN == OPEN_WAARDEN
