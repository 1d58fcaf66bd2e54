"""Reference data that changes rarely (categories, organisations, wijken and buurten), read
once and kept per process for a short while.

Every /beheer page shows these names, and reading them on every request cost more time in
Python than the page's own list. A function decorated with `@referentie("tabel", ...)` is
read again when:

- this process changed one of its tables: a flush that adds, changes or deletes a row of
  one (or an ORM `update()`/`delete()` on one) forgets the value at once, and again when that
  transaction ends, so nothing read inside a transaction that is rolled back outlives it.
  While its own session holds such a change, a request reads past the kept value;
- `BEWAARTIJD` seconds have passed since it was read: another process (the other gunicorn
  workers, `flask basis`, psql) may have changed it.

The values must be plain (tuples, dicts, frozen dataclasses), never ORM objects: those belong
to the session of the request that read them. Within one request `moderatie.inbox.Namen` keeps
one snapshot for every inbox source.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from participatie.extensions import db

T = TypeVar("T")

BEWAARTIJD = 60.0  # seconds: how long another process's change may go unseen
_GEWIJZIGD = "referentie.gewijzigd"  # in Session.info: tables changed in this transaction


def _nu() -> float:
    return time.monotonic()


class Referentie(Generic[T]):
    """A function's value, kept per process; see the module docstring for when it is re-read."""

    def __init__(self, lees: Callable[[], T], tabellen: Iterable[str]) -> None:
        self._lees = lees
        self.tabellen = frozenset(tabellen)
        self._bewaard: tuple[float, T] | None = None  # (read again after, value)
        self._keer = 0  # how often it was forgotten: a read that overlapped that is not kept
        functools.update_wrapper(self, lees)

    def __call__(self) -> T:
        if not self.tabellen.isdisjoint(db.session.info.get(_GEWIJZIGD, ())):
            return self._lees()  # what this transaction itself changed: read, not kept
        bewaard = self._bewaard
        if bewaard is not None and _nu() < bewaard[0]:
            return bewaard[1]
        keer, tot = self._keer, _nu() + BEWAARTIJD
        waarde = self._lees()
        if keer == self._keer:
            self._bewaard = (tot, waarde)
        return waarde

    def vergeet(self) -> None:
        self._keer += 1
        self._bewaard = None


_ALLE: list[Referentie] = []


def referentie(*tabellen: str) -> Callable[[Callable[[], T]], Referentie[T]]:
    """Keep the decorated function's value per process; `tabellen` are the tables it reads."""

    def decorator(lees: Callable[[], T]) -> Referentie[T]:
        kept = Referentie(lees, tabellen)
        _ALLE.append(kept)
        return kept

    return decorator


def vergeet(tabellen: Iterable[str]) -> None:
    """Forget every value read from any of `tabellen`."""
    tabellen = set(tabellen)
    for kept in _ALLE:
        if kept.tabellen & tabellen:
            kept.vergeet()


def vergeet_alles() -> None:
    for kept in _ALLE:
        kept.vergeet()


def _bewaakt() -> frozenset[str]:
    return frozenset().union(*(kept.tabellen for kept in _ALLE))


def _gewijzigd(session: Session, tabellen: set[str]) -> None:
    tabellen &= _bewaakt()
    if tabellen:
        session.info.setdefault(_GEWIJZIGD, set()).update(tabellen)
        vergeet(tabellen)


@event.listens_for(Session, "after_flush")
def _na_flush(session: Session, flush_context) -> None:
    objecten = [*session.new, *session.dirty, *session.deleted]
    _gewijzigd(session, {tabel.name for obj in objecten for tabel in inspect(obj).mapper.tables})


@event.listens_for(Session, "do_orm_execute")
def _bij_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        tabel = getattr(state.statement, "table", None)
        if tabel is not None and hasattr(tabel, "name"):
            _gewijzigd(state.session, {tabel.name})


@event.listens_for(Session, "after_transaction_end")
def _na_transactie(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        tabellen = session.info.pop(_GEWIJZIGD, None)
        if tabellen:
            vergeet(tabellen)
