"""Afhandeltermijnen in werkdagen: weekends and Dutch public holidays do not count."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _feestdagen(jaar: int) -> frozenset[date]:
    # Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Bevrijdingsdag (lustrumjaren),
    # Hemelvaart, Pinksteren and Kerst, as the holidays package keeps them for NL.
    return frozenset(holidays.country_holidays("NL", years=jaar))


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in _feestdagen(dag.year)


def plus_werkdagen(start: date, werkdagen: int) -> date:
    """The date `werkdagen` working days after `start` (start itself does not count)."""
    dag = start
    over = werkdagen
    while over > 0:
        dag += timedelta(days=1)
        if is_werkdag(dag):
            over -= 1
    return dag
