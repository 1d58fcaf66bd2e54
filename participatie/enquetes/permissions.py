"""Who may do what with enquêtes: the one place the views, services and inbox ask.

Beheerders manage every survey, including those for the whole gemeente; stadsdeelregisseurs
the surveys of their own wijken (the wijk rule itself is accounts.permissions.mag_wijk_zien).
Wijkraadleden read the results and open answers of their own wijk. Partners have none.
A survey the user may not see answers 404 on staff routes, so it stays hidden.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false

from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien, wijk_zichtbaar

BEHEER_ROLLEN = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR)
LEZERS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID)


def _wijk_zien(user, wijk_code: str | None) -> bool:
    # A survey (or answer) of the whole gemeente without a wijk: beheerders only.
    if wijk_code is None or wijk_code == "":
        return heeft_rol(user, Rol.BEHEERDER)
    return mag_wijk_zien(user, wijk_code)


def mag_enquetes_beheren(user) -> bool:
    return heeft_rol(user, *BEHEER_ROLLEN)


def mag_enquete_beheren(user, enquete) -> bool:
    return mag_enquetes_beheren(user) and _wijk_zien(user, enquete.wijk_code)


def mag_gebied_kiezen(user, wijk_code: str | None) -> bool:
    """May make a survey for this wijk (None: the whole gemeente)."""
    return mag_enquetes_beheren(user) and _wijk_zien(user, wijk_code)


def mag_lezen(user) -> bool:
    return heeft_rol(user, *LEZERS)


def mag_uitslag_zien(user, enquete) -> bool:
    return mag_lezen(user) and _wijk_zien(user, enquete.wijk_code)


def leesbaar(user, wijk_kolom) -> ColumnElement[bool]:
    """`mag_uitslag_zien` as SQL on a wijk column (NULL: the gemeente, beheerders only)."""
    return wijk_zichtbaar(user, wijk_kolom) if mag_lezen(user) else false()


def mag_antwoord_lezen(user, antwoord) -> bool:
    return mag_lezen(user) and _wijk_zien(user, antwoord.wijk_code)


def mag_antwoord_behandelen(user, antwoord) -> bool:
    """May reply to, hide or close an open answer."""
    return mag_enquetes_beheren(user) and _wijk_zien(user, antwoord.wijk_code)
