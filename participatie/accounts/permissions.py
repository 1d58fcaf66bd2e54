"""The one mechanism for authorising staff routes.

Every `/beheer` view is declared with `@staff_route(...)` and the roles that may use it.
The declaration is kept on the view (`view.rollen`), so a test can walk every staff route
and check each role gets the answer it should, and fail on a route that declares nothing.
Object-level checks (is this melding in one of my wijken?) live in each feature's
`permissions.py` and are called from the view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, false, true

from participatie.accounts.models import Rol

ALLE_STAF = frozenset(Rol)


def staff_route(*rollen: Rol) -> Callable:
    """Login required, and the user's role must be one of `rollen` (403 otherwise)."""
    toegestaan = frozenset(rollen) or ALLE_STAF

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.rol_enum not in toegestaan:
                abort(403)
            return view(*args, **kwargs)

        guarded = login_required(wrapped)
        guarded.rollen = toegestaan
        return guarded

    return decorator


def ingelogde_gebruiker():
    """The user of this request itself, not Flask-Login's proxy: every use of `current_user`
    looks the user up again, and one /beheer page asks about it a hundred times."""
    return current_user._get_current_object()


@dataclass(frozen=True)
class Bereik:
    """What the rules in this module and the features' permissions read of a user: a list's
    conditions for this user are the same for every user with the same `Bereik`. Statements
    are built once per `Bereik` (participatie.vragen), which stands in for the user there."""

    is_authenticated: bool
    rol_enum: Rol | None = None
    organisatie_id: int | None = None
    wijk_codes: tuple[str, ...] = ()


def bereik(user) -> Bereik:
    if not getattr(user, "is_authenticated", False):
        return Bereik(False)
    return Bereik(True, user.rol_enum, user.organisatie_id, tuple(user.wijk_codes))


def heeft_rol(user, *rollen: Rol) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.rol_enum in rollen


def mag_wijk_zien(user, wijk_code: str) -> bool:
    """Beheerders see every wijk; others only the wijken on their account.

    The one rule for a single object; `wijk_zichtbaar` is the same rule for lists.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.rol_enum == Rol.BEHEERDER:
        return True
    return wijk_code in user.wijk_codes


def wijk_zichtbaar(user, wijk_kolom) -> ColumnElement[bool]:
    """`mag_wijk_zien` as SQL on any column that holds a wijk code, for lists and counts."""
    if not getattr(user, "is_authenticated", False):
        return false()
    if user.rol_enum == Rol.BEHEERDER:
        return true()
    codes = user.wijk_codes
    if not codes:
        return false()
    # One code as "=" keeps the plan identical to the partial indexes' own shape.
    return wijk_kolom == codes[0] if len(codes) == 1 else wijk_kolom.in_(codes)


def zichtbare_wijk_codes(user, alle_codes: list[str]) -> list[str]:
    """Of `alle_codes`, the wijken this user may see (for filter choices and overviews)."""
    return [code for code in alle_codes if mag_wijk_zien(user, code)]


def is_beheerder(user) -> bool:
    """Manages accounts and reads the audit log."""
    return heeft_rol(user, Rol.BEHEERDER)
