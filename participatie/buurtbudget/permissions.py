"""Who may manage a budgetronde and its ideas: the one place the views and services ask.

Beheerders manage every round; stadsdeelregisseurs the rounds of their own wijken (the wijk
rule itself is accounts.permissions.mag_wijk_zien). Partners and wijkraadleden manage none.
A round or idea the user may not manage answers 404 on staff routes, so it stays hidden.

Ideas in the inbox: beheerders and the stadsdeelregisseurs of the wijk review them;
wijkraadleden of the wijk read them (they review their wijk's agenda and results, and the
ideas will be public anyway) without the submitter's e-mail or the audit lines; partners
have no ideas in their inbox.

Residents: the submitter's own page of an idea is for the browser that opened its secret link
(`eigen_idee`, see participatie/geheimelink.py).
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import selectinload

from participatie import geheimelink
from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien, wijk_zichtbaar
from participatie.buurtbudget.models import Idee
from participatie.extensions import db

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


def eigen_idee(idee_id: int) -> Idee:
    """The idea of a submitter's own page, for the browser that opened its secret link.

    Any other browser gets `LinkNodig` (the "open de link uit uw e-mail" page), whether or not
    the idea exists, with a link to its public page if it has one.
    """
    idee = db.session.scalar(select(Idee).where(Idee.id == idee_id).options(
        selectinload(Idee.updates), selectinload(Idee.ronde)))
    if idee is None or not geheimelink.geopend(idee.token):
        publiek = idee is not None and idee.is_publiek
        raise geheimelink.LinkNodig("idee", url_for(
            "buurtbudget.idee", ronde=idee.ronde.slug, idee_id=idee.id) if publiek else None)
    return idee
