"""Login sessions kept on the server, so that logging out really ends them.

Flask's session is a signed cookie: clearing it at logout does not stop a copy of it from
working. So every login gets a row in `app_sessie` and the cookie carries a random token for
it; the user loader accepts a cookie only while its row exists, the account's session version
still matches and the login is younger than the session lifetime (SESSION_HOURS, counted from
the login, not from the last request). Logout removes the row.

A row per login rather than bumping `User.sessie_versie` at logout: a bump ends the sessions
on all of the user's devices, which is right for "overal uitloggen", deactivation and a new
password (`beeindig_alle_sessies`), but not for closing the laptop at the end of the day while
the phone stays logged in.

No remember-me cookie is ever set, and one alone would open nothing: without this session's
token the loader answers None.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import joinedload

from participatie.accounts.models import Sessie, User
from participatie.extensions import db

SESSIE_SLEUTEL = "sessie"  # where the token lives in Flask's session


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def begin_sessie(user: User) -> str:
    """Record a new login of `user` (flushes); returns the token for the session cookie."""
    nu = datetime.now(UTC)
    db.session.execute(delete(Sessie).where(Sessie.user_id == user.id, Sessie.verloopt_op <= nu))
    token = secrets.token_urlsafe(32)
    db.session.add(Sessie(id=_id(token), user_id=user.id,
                          verloopt_op=nu + current_app.permanent_session_lifetime))
    db.session.flush()
    return token


def beeindig_sessie(token: str | None) -> None:
    """End one login (flushes): a copy of its cookie no longer opens anything."""
    if token:
        db.session.execute(delete(Sessie).where(Sessie.id == _id(token)))
        db.session.flush()


def beeindig_alle_sessies(user: User) -> None:
    """End every login of `user`, on every device (flushes)."""
    user.sessie_versie += 1
    db.session.execute(delete(Sessie).where(Sessie.user_id == user.id))
    db.session.flush()


# Every request of a logged-in user runs this statement: built once, so that SQLAlchemy does
# not build and hash it again each time. With the user's wijken: every staff page asks for them.
_GEBRUIKER_VAN_SESSIE = (
    select(User).join(Sessie, Sessie.user_id == User.id)
    .where(User.id == bindparam("user_id"), Sessie.id == bindparam("sessie_id"),
           Sessie.verloopt_op > func.now())
    .options(joinedload(User.wijken))
)


def load_user(user_id: str, token: str | None) -> User | None:
    """Flask-Login's loader: `user_id` is "id:sessie_versie", `token` this session's token."""
    user_pk, _, version = user_id.partition(":")
    if not token or not user_pk.isdigit() or not version.isdigit() or len(user_pk) > 9:
        return None
    user = db.session.scalars(
        _GEBRUIKER_VAN_SESSIE, {"user_id": int(user_pk), "sessie_id": _id(token)}
    ).unique().one_or_none()
    if user is None or user.sessie_versie != int(version) or not user.actief:
        return None
    return user
