"""Who may read the wijkbeeld: the one place that decides.

Beheerders, the stadsdeelregisseurs of the wijk and its wijkraadleden. Partners see only the
meldingen assigned to them, so not a wijk's figures; residents see the public wijk page.
"""

from __future__ import annotations

from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien

# The roles on the route (staff_route); the wijk check comes on top.
WIJKBEELD_ROLLEN = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID)


def mag_wijkbeeld_zien(user, wijk_code: str) -> bool:
    return heeft_rol(user, *WIJKBEELD_ROLLEN) and mag_wijk_zien(user, wijk_code)
