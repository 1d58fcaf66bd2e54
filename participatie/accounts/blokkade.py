"""Lock-out after repeated wrong passwords, the same for known and unknown e-mail addresses.

Failures are counted per e-mail address and client address: after LOGIN_MAX_FAILURES within
LOGIN_LOCK_MINUTES that address cannot log in to that account for LOGIN_LOCK_MINUTES, so
someone guessing elsewhere cannot lock a stadsdeelregisseur out of their own work. A second
count per e-mail address alone, with a much higher threshold (LOGIN_MAX_FAILURES_ACCOUNT),
brakes guessing spread over many addresses. An unknown address is counted and locked exactly
like an account, so the answers never tell whether an account exists.

Kept in PostgreSQL rather than in Flask-Limiter's storage: the count is written in the same
transaction as the audit log entry of the attempt, holds across workers without Redis,
survives a restart, and does not switch off with RATELIMIT_ENABLED. Rows older than the
window are removed at the next failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert

from participatie.accounts.models import LoginBlokkade
from participatie.extensions import db

OVERAL = ""  # `adres` of the count per e-mail address alone


def _venster() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def geblokkeerd_tot(email: str, adres: str) -> datetime | None:
    """Until when logging in as `email` from `adres` is refused; None when it is not."""
    return db.session.scalar(
        select(func.max(LoginBlokkade.geblokkeerd_tot)).where(
            LoginBlokkade.email == email, LoginBlokkade.adres.in_([adres, OVERAL]),
            LoginBlokkade.geblokkeerd_tot > datetime.now(UTC))
    )


def tel_mislukt(email: str, adres: str) -> datetime | None:
    """Count a wrong password for `email` from `adres` (flushes).

    Returns the end of the lock-out that this failure starts, if it starts one.
    """
    nu = datetime.now(UTC)
    venster = _venster()
    db.session.execute(delete(LoginBlokkade).where(
        LoginBlokkade.sinds < nu - venster,
        or_(LoginBlokkade.geblokkeerd_tot.is_(None), LoginBlokkade.geblokkeerd_tot < nu)))
    config = current_app.config
    gestart = None
    for sleutel, grens in ((adres, config["LOGIN_MAX_FAILURES"]),
                           (OVERAL, config["LOGIN_MAX_FAILURES_ACCOUNT"])):
        tabel = LoginBlokkade.__table__
        nieuw_venster = tabel.c.sinds < nu - venster
        # One statement, so that concurrent failures are all counted.
        upsert = insert(tabel).values(email=email, adres=sleutel, mislukt=1, sinds=nu)
        upsert = upsert.on_conflict_do_update(
            index_elements=[tabel.c.email, tabel.c.adres],
            set_={"mislukt": case((nieuw_venster, 1), else_=tabel.c.mislukt + 1),
                  "sinds": case((nieuw_venster, nu), else_=tabel.c.sinds)},
        ).returning(tabel.c.mislukt)
        if db.session.execute(upsert).scalar_one() >= grens:
            gestart = nu + venster
            db.session.execute(
                tabel.update()
                .where(and_(tabel.c.email == email, tabel.c.adres == sleutel))
                .values(geblokkeerd_tot=gestart, mislukt=0, sinds=nu)
            )
    db.session.flush()
    return gestart


def vergeet_mislukt(email: str, adres: str) -> None:
    """A good password from `adres`: its count starts again (flushes). The count from
    everywhere stays: one good login must not reset the brake on guessing elsewhere."""
    db.session.execute(delete(LoginBlokkade).where(LoginBlokkade.email == email,
                                                   LoginBlokkade.adres == adres))
    db.session.flush()


def ontgrendel(email: str) -> None:
    """Lift every lock-out and count for `email`, e.g. after a new password (flushes)."""
    db.session.execute(delete(LoginBlokkade).where(LoginBlokkade.email == email))
    db.session.flush()
