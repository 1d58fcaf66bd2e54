"""Who may read and who may change the wijkagenda: the one place that decides.

Beheerders and the stadsdeelregisseurs of a wijk change its agenda. Wijkraadleden of that
wijk read everything but change nothing. Everyone else sees the public view: titles,
themes, statuses and counts.
"""

from __future__ import annotations

from flask import abort

from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien
from participatie.extensions import db
from participatie.wijkagenda.models import Leefbaarheidsvraag

# The roles on every /beheer/wijkagenda route (staff_route); the wijk check comes on top.
BEHEER_ROLLEN = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR)


def mag_agenda_vullen(user) -> bool:
    """May put meldingen on some wijkagenda (the wijk is checked once the selection is known)."""
    return heeft_rol(user, *BEHEER_ROLLEN)


def mag_beheren(user, wijk_code: str) -> bool:
    return heeft_rol(user, *BEHEER_ROLLEN) and mag_wijk_zien(user, wijk_code)


def mag_alles_lezen(user, wijk_code: str) -> bool:
    """Staff of the wijk and its wijkraadleden see descriptions, meldingen and owners."""
    if mag_beheren(user, wijk_code):
        return True
    return heeft_rol(user, Rol.WIJKRAADLID) and mag_wijk_zien(user, wijk_code)


def beheerbare_vraag(user, vraag_id: int) -> Leefbaarheidsvraag:
    """Fetch a vraag the user may change: 404 when it does not exist, 403 when not theirs."""
    vraag = db.session.get(Leefbaarheidsvraag, vraag_id)
    if vraag is None:
        abort(404)
    if not mag_beheren(user, vraag.wijk_code):
        abort(403)
    return vraag


def controleer_wijk(user, wijk_code: str) -> None:
    if not mag_beheren(user, wijk_code):
        abort(403)
