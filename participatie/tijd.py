"""Local time in the gemeente: what day it is, and moments written as Dutch people read them.

The database stores UTC; deadlines, "over de termijn" and every date on a page or in an
e-mail are Dutch local time. The formats are template filters for the whole app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

TIJDZONE = ZoneInfo("Europe/Amsterdam")
# The days the app works with: a date a user types or a cursor carries outside them is not a
# real one, and near the ends of Python's range a date cannot take a day more.
EERSTE_DAG, LAATSTE_DAG = date(2000, 1, 1), date(2199, 12, 31)
EERSTE_MOMENT = datetime.combine(EERSTE_DAG, time.min, tzinfo=UTC)
LAATSTE_MOMENT = datetime.combine(LAATSTE_DAG + timedelta(days=1), time.min, tzinfo=UTC)
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")
MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                "dec")


def vandaag() -> date:
    return datetime.now(TIJDZONE).date()


def lokale_datum(moment: datetime | date) -> date:
    return moment.astimezone(TIJDZONE).date() if isinstance(moment, datetime) else moment


def datum_nl(moment: datetime | date | None) -> str:
    """'3 maart 2026', for residents."""
    if moment is None:
        return ""
    dag = lokale_datum(moment)
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def datum_kort(moment: datetime | date | None, met_tijd: bool = False) -> str:
    """'3 mrt 2026' (or '3 mrt 2026 14:05'), for the inbox."""
    if moment is None:
        return ""
    dag = lokale_datum(moment)
    tekst = f"{dag.day} {MAANDEN_KORT[dag.month - 1]} {dag.year}"
    if met_tijd and isinstance(moment, datetime):
        return f"{tekst} {moment.astimezone(TIJDZONE):%H:%M}"
    return tekst


def tijdstip(moment: datetime | None) -> str:
    """'03-02-2025 14:05', for the audit log."""
    if moment is None:
        return ""
    return moment.astimezone(TIJDZONE).strftime("%d-%m-%Y %H:%M")


def init_app(app: Flask) -> None:
    app.add_template_global(datum_nl, "datum_nl")
    app.add_template_filter(datum_kort, "datum_kort")
    app.add_template_filter(tijdstip, "tijdstip")
