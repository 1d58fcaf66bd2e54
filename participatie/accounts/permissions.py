"""The one mechanism for authorising staff routes.

Every `/beheer` view is declared with `@staff_route(...)` and the roles that may use it.
The declaration is kept on the view (`view.rollen`), so a test can walk every staff route
and check each role gets the answer it should, and fail on a route that declares nothing.
Object-level checks (is this melding in one of my wijken?) live in each feature's
`permissions.py` and are called from the view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

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


def heeft_rol(user, *rollen: Rol) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.rol_enum in rollen


def mag_wijk_zien(user, wijk_code: str) -> bool:
    """Beheerders see every wijk; others only the wijken on their account."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.rol_enum == Rol.BEHEERDER:
        return True
    return wijk_code in user.wijk_codes
