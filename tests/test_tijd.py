"""Dates on pages and in e-mails are Dutch local time, whatever the database stores (UTC)."""

from datetime import UTC, date, datetime

from participatie.tijd import datum_kort, datum_nl, lokale_datum, tijdstip


def test_utc_moment_na_middernacht_lokaal_is_de_volgende_dag():
    # 22:30 UTC on 31 March 2026 is 00:30 on 1 April in summer time (CEST, UTC+2).
    moment = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert lokale_datum(moment) == date(2026, 4, 1)
    assert datum_nl(moment) == "1 april 2026"
    assert datum_kort(moment) == "1 apr 2026"
    assert datum_kort(moment, met_tijd=True) == "1 apr 2026 00:30"
    assert tijdstip(moment) == "01-04-2026 00:30"


def test_datums_zonder_tijd_en_lege_waarden():
    assert datum_nl(date(2026, 12, 25)) == "25 december 2026"
    assert datum_kort(date(2026, 3, 3), met_tijd=True) == "3 mrt 2026"
    assert datum_nl(None) == datum_kort(None) == tijdstip(None) == ""
