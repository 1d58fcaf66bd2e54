"""Who may see and change which melding in /beheer: the one place the views and services ask.

- beheerder: every melding, every action, sees contact details.
- stadsdeelregisseur: meldingen in the wijken on their account; every action there;
  sees contact details there.
- partner: only meldingen assigned to its organisatie; reports progress (a message, or the
  statuses in PARTNER_STATUSSEN); never sees contact details.
- wijkraadlid: reads the inbox of their wijk; changes nothing; no contact details.

A melding the user may not see answers 404, so its existence is not revealed; a melding the
user may see but not change answers 403 on every change.

Residents: a melding's tracking page is for the browser that opened its secret link
(`gevolgde_melding`, see participatie/geheimelink.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import ColumnElement, false

from participatie import geheimelink
from participatie.accounts.models import Rol
from participatie.accounts.permissions import mag_wijk_zien, wijk_zichtbaar
from participatie.extensions import db
from participatie.meldingen.models import Melding
from participatie.meldingen.services.kaart import heeft_publieke_pagina
from participatie.meldingen.workflow import TRANSITIES, Status

# Staff roles per kind of route (used with staff_route(*...)).
LEZERS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.PARTNER, Rol.WIJKRAADLID)
BEHANDELAARS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.PARTNER)
REGISSEURS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR)

PARTNER_STATUSSEN = frozenset({Status.IN_BEHANDELING, Status.INGEPLAND, Status.AFGEHANDELD})


def _rol(user) -> Rol | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return user.rol_enum


def is_staf(user) -> bool:
    return _rol(user) is not None


def mag_bulk(user) -> bool:
    """May change many meldingen at once (status, assignment)."""
    return _rol(user) in REGISSEURS


def _partner_van(user, organisatie_id: int | None) -> bool:
    return (_rol(user) == Rol.PARTNER and user.organisatie_id is not None
            and organisatie_id == user.organisatie_id)


def can_view(user, melding) -> bool:
    """Staff of its wijk (accounts.permissions decides), or the partner it is assigned to."""
    if _rol(user) == Rol.PARTNER:
        return _partner_van(user, melding.organisatie_id)
    return _rol(user) is not None and mag_wijk_zien(user, melding.wijk_code)


def zichtbaar(user, wijk_kolom, organisatie_kolom) -> ColumnElement[bool]:
    """`can_view` as SQL, on the columns of `melding` or of `melding_telling`."""
    if _rol(user) == Rol.PARTNER:
        return organisatie_kolom == user.organisatie_id if user.organisatie_id else false()
    return wijk_zichtbaar(user, wijk_kolom)


def can_change(user, melding) -> bool:
    """May report progress on it (message, note, a status); partners within their limits."""
    return _rol(user) in BEHANDELAARS and can_view(user, melding)


def can_triage(user, melding) -> bool:
    """May do everything: assign, merge, photos, any status, answer a reopen request."""
    return _rol(user) in REGISSEURS and can_view(user, melding)


class Intern(enum.Enum):
    """Which non-public history entries (notes, residents' answers, internal messages) a role
    reads on a melding's staff page."""

    ALLES = "alles"
    EIGEN_ORGANISATIE = "eigen organisatie"  # what its own people wrote, and its assignment
    GEEN = "geen"


@dataclass(frozen=True)
class Zicht:
    contacten: bool  # the melder's and supporters' e-mail addresses
    intern: Intern
    logboek: bool  # the audit lines of the melding


# What each role sees of a melding it may open: the one table, decided per field.
# Wijkraadleden are residents themselves: the public history only. Partners see what
# concerns their own assignment. Internal notes and residents' non-public answers, contact
# details and the audit log are for the gemeente's own staff.
ZICHT: dict[Rol, Zicht] = {
    Rol.BEHEERDER: Zicht(contacten=True, intern=Intern.ALLES, logboek=True),
    Rol.STADSDEELREGISSEUR: Zicht(contacten=True, intern=Intern.ALLES, logboek=True),
    Rol.PARTNER: Zicht(contacten=False, intern=Intern.EIGEN_ORGANISATIE, logboek=False),
    Rol.WIJKRAADLID: Zicht(contacten=False, intern=Intern.GEEN, logboek=False),
}
_GEEN_ZICHT = Zicht(contacten=False, intern=Intern.GEEN, logboek=False)


def zicht(user, melding) -> Zicht:
    """What this user sees of this melding (nothing beyond the public when it may not view it)."""
    if not can_view(user, melding):
        return _GEEN_ZICHT
    return ZICHT.get(_rol(user), _GEEN_ZICHT)


def can_see_contacts(user, melding) -> bool:
    return zicht(user, melding).contacten


@dataclass(frozen=True)
class Regel:
    """One history entry as this user may read it; `tekst` is False when only the fact shows
    (a status change whose message was internal)."""

    gebeurtenis: object
    tekst: bool = True


def geschiedenis(user, melding) -> list[Regel]:
    """The melding's history, newest first, filtered by `ZICHT` for this user."""
    soort = zicht(user, melding).intern
    regels = []
    for g in reversed(melding.gebeurtenissen):
        if g.publiek or soort == Intern.ALLES or soort == Intern.EIGEN_ORGANISATIE and (
                g.soort == "toewijzing"
                or (g.user is not None and g.user.organisatie_id == user.organisatie_id)):
            regels.append(Regel(g))
        elif g.soort == "status":
            regels.append(Regel(g, tekst=False))
    return regels


def statussen_voor(user, melding) -> list[Status]:
    """The statuses this user may move the melding to now, in workflow order."""
    if not can_change(user, melding):
        return []
    toegestaan = TRANSITIES[melding.status_enum] - {Status.SAMENGEVOEGD}
    if _rol(user) == Rol.PARTNER:
        toegestaan &= PARTNER_STATUSSEN
    return [s for s in Status if s in toegestaan]


def mag_status_zetten(user, melding, naar: Status) -> bool:
    """Role limits only; the transition table itself is checked by Melding.wijzig_status."""
    if not can_change(user, melding) or naar == Status.SAMENGEVOEGD:
        return False
    return _rol(user) != Rol.PARTNER or naar in PARTNER_STATUSSEN


def gevolgde_melding(melding_id: int) -> Melding:
    """The melding of a tracking page, for the browser that opened its secret link.

    Any other browser gets `LinkNodig` (the "open de link uit uw e-mail" page), whether or not
    the melding exists, with a link to its public page if the map shows it.
    """
    melding = db.session.get(Melding, melding_id)
    if melding is None or not geheimelink.geopend(melding.token):
        raise geheimelink.LinkNodig("melding", url_for("meldingen.publiek", id=melding_id)
                                    if heeft_publieke_pagina(melding_id) else None)
    return melding
