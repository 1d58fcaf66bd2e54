"""Statements built once per shape and kept per process.

SQLAlchemy compiles a statement once per shape, but building the statement and working out
its cache key happen on every execution of a statement made anew: on a /beheer page with
keyset paging and exact counts that was about 0.2 ms of Python per statement, as much as the
statement's own round trip. A statement whose values are the same on every request (the
user's wijken, the filter's choices, today) or bound parameters that are passed when it runs
(the cursor, the search text) can be built once:

    q = bewaard(("melding.tellingen", bereik(user), f.sleutel(), dag),
              lambda: select(...).where(...))
    db.session.execute(q, f.parameters())

The key must hold everything the builder reads except the named bound parameters, which
every execution passes (a missing one is an error, not the value of the first request: see
`parameter`). The builder gets no ORM objects of a request, only values (a user's `Bereik`,
a `Filter`, a date). At most `GROOTTE` statements are kept, the least recently used leave.

`lees(q, parameters)` runs such a statement when it reads columns (no ORM objects): on the
session's connection, after flushing what the session holds, as `session.execute` would,
but without the ORM's own work per execution (0.04 ms or more a statement: on a small one
as much as what its round trip costs in Python).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy import BindParameter, ColumnElement, CursorResult, bindparam, literal_column

from participatie.extensions import db

T = TypeVar("T")

GROOTTE = 1024
_BEWAARD: OrderedDict[Hashable, Any] = OrderedDict()
_SLOT = threading.Lock()


def bewaard(sleutel: Hashable, bouw: Callable[[], T]) -> T:
    """The statement kept under `sleutel`, built by `bouw()` the first time."""
    with _SLOT:  # a threaded server: the order of use is changed in place
        gevonden = _BEWAARD.get(sleutel)
        if gevonden is not None:
            _BEWAARD.move_to_end(sleutel)
            return gevonden
    gevonden = bouw()
    with _SLOT:
        _BEWAARD[sleutel] = gevonden
        if len(_BEWAARD) > GROOTTE:
            _BEWAARD.popitem(last=False)
    return gevonden


def lees(q, parameters: dict | None = None) -> CursorResult:
    """Run a statement that selects columns (rows, not ORM objects) in the session's
    transaction; see the module docstring."""
    session = db.session()
    session.flush()  # what session.execute does first; nothing to do on a page that reads
    return session.connection().execute(q, parameters or {})


def parameter(naam: str, type_=None) -> BindParameter:
    """A named bound parameter without a value of its own: a statement kept by `bewaard` can
    only run with the value of the request that runs it."""
    return bindparam(naam, type_=type_, required=True)


_CODE = re.compile(r"[a-z][a-z0-9_]*")


def in_vast(kolom, waarden: Sequence[str]) -> ColumnElement[bool]:
    """`kolom IN ('a', 'b')` (or `= 'a'`) with the values written into the statement.

    For values from the code, such as a list of statuses, in statements kept per shape: an
    IN list of parameters is written out anew by SQLAlchemy on every execution, and
    PostgreSQL matches constants to the predicates of partial indexes in every plan.
    """
    if not waarden or not all(_CODE.fullmatch(w) for w in waarden):
        raise ValueError(f"geen codes: {waarden!r}")
    constanten = [literal_column(f"'{w}'", kolom.type) for w in waarden]
    return kolom == constanten[0] if len(constanten) == 1 else kolom.in_(constanten)
