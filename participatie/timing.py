"""Server-Timing: how long a request took in the app and how much of that was SQL.

Off unless `SERVER_TIMING` is set (benchmarks turn it on; a response header that tells
anybody how long our queries take has no place in production). When on, every response
carries

    Server-Timing: sql;dur=3.1;desc="4 queries", app;dur=9.8

where `sql` sums the time of every statement the request ran (SQLAlchemy's cursor events,
from sending the statement until the result is fetched) and `app` is the whole request as
the app handled it, from the first `before_request` to the last `after_request` (so it
includes `sql`; routing, the session cookie and writing the response are left out).
"""

from __future__ import annotations

import time

from flask import Flask, g, has_request_context
from sqlalchemy import event

from participatie.extensions import db


def _voor_statement(conn, cursor, statement, parameters, context, executemany):
    conn.info.setdefault("timing_start", []).append(time.perf_counter())


def _na_statement(conn, cursor, statement, parameters, context, executemany):
    duur = time.perf_counter() - conn.info["timing_start"].pop()
    if has_request_context():
        verzoek = g._get_current_object()  # one lookup of the proxy, not four
        if "timing_begin" in verzoek:
            verzoek.timing_sql += duur
            verzoek.timing_queries += 1


def _begin():
    g.timing_begin = time.perf_counter()
    g.timing_sql = 0.0
    g.timing_queries = 0


def _header(response):
    if "timing_begin" in g:
        app_ms = (time.perf_counter() - g.timing_begin) * 1000
        response.headers.add(
            "Server-Timing",
            f'sql;dur={g.timing_sql * 1000:.2f};desc="{g.timing_queries} queries", '
            f"app;dur={app_ms:.2f}",
        )
    return response


def init_app(app: Flask) -> None:
    """Call before other extensions register hooks: its before_request runs first and its
    after_request last, so it measures theirs too."""
    if not app.config.get("SERVER_TIMING"):
        return
    with app.app_context():
        engine = db.engine
    if not event.contains(engine, "before_cursor_execute", _voor_statement):
        event.listen(engine, "before_cursor_execute", _voor_statement)
        event.listen(engine, "after_cursor_execute", _na_statement)
    app.before_request(_begin)
    app.after_request(_header)
