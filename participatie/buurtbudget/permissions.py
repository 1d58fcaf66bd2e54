"""Who may manage a budgetronde and its ideas: the one place the views and services ask.

Beheerders manage every round; stadsdeelregisseurs the rounds of their own wijken (the wijk
rule itself is accounts.permissions.mag_wijk_zien). Partners and wijkraadleden manage none.
A round or idea the user may not manage answers 404 on staff routes, so it stays hidden.

Ideas in the inbox: beheerders and the stadsdeelregisseurs of the wijk review them;
wijkraadleden of the wijk read them (they review their wijk's agenda and results, and the
ideas will be public anyway) without the submitter's e-mail or the audit lines; partners
have no ideas in their inbox.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false

from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien, wijk_zichtbaar

BEHEER_ROLLEN = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR)
IDEE_LEZERS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID)


def mag_rondes_beheren(user) -> bool:
    """May manage rounds at all (which ones: `mag_ronde_beheren`)."""
    return heeft_rol(user, *BEHEER_ROLLEN)


def mag_ronde_beheren(user, ronde) -> bool:
    return mag_rondes_beheren(user) and mag_wijk_zien(user, ronde.wijk_code)


def mag_wijk_beheren(user, wijk_code: str) -> bool:
    return mag_rondes_beheren(user) and mag_wijk_zien(user, wijk_code)


def beheerbaar(user, wijk_kolom) -> ColumnElement[bool]:
    """`mag_ronde_beheren` as SQL, on any column that holds the wijk of a round or idea."""
    return wijk_zichtbaar(user, wijk_kolom) if mag_rondes_beheren(user) else false()


def mag_ideeen_lezen(user) -> bool:
    """Has ideas in the inbox at all (which ones: `mag_idee_lezen`)."""
    return heeft_rol(user, *IDEE_LEZERS)


def mag_idee_lezen(user, idee) -> bool:
    return mag_ideeen_lezen(user) and mag_wijk_zien(user, idee.wijk_code)


def leesbaar(user, wijk_kolom) -> ColumnElement[bool]:
    """`mag_idee_lezen` as SQL, on the wijk column of an idea or round."""
    return wijk_zichtbaar(user, wijk_kolom) if mag_ideeen_lezen(user) else false()


def mag_idee_beoordelen(user, idee) -> bool:
    """May publish, ask, reject, merge, judge feasibility and post progress."""
    return mag_wijk_beheren(user, idee.wijk_code)
