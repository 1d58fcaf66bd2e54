"""Who may read, write and answer the wijkraad's reactions: the one place that decides.

- Wijkraadleden react to the leefbaarheidsvragen and published results of their own wijken,
  and read every reaction there. Only the author makes a reaction public or private again.
- Beheerders (every wijk) and the stadsdeelregisseurs of the wijk read the reactions and
  answer them; they do not react as wijkraad.
- Partners, and staff or wijkraadleden of other wijken, see none of it; residents see only
  the public reactions, with the gemeente's answers to them.

Which wijk a user may see is `accounts.permissions.mag_wijk_zien`; this module adds the
roles. A subject or reaction that does not exist answers 404; one of another wijk 403.
"""

from __future__ import annotations

from flask import abort

from participatie.accounts.models import Rol
from participatie.accounts.permissions import heeft_rol, mag_wijk_zien
from participatie.extensions import db
from participatie.wijkraad.models import Reactie
from participatie.wijkraad.onderwerpen import Onderwerp

# The roles on the /beheer/wijkraad routes (staff_route); the wijk check comes on top.
LEZERS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID)
BEANTWOORDERS = (Rol.BEHEERDER, Rol.STADSDEELREGISSEUR)
LEDEN = (Rol.WIJKRAADLID,)


def mag_lezen(user, wijk_code: str) -> bool:
    """Reads every reaction of the wijk (public or not) with its answers."""
    return heeft_rol(user, *LEZERS) and mag_wijk_zien(user, wijk_code)


def mag_reageren(user, onderwerp: Onderwerp) -> bool:
    """A wijkraadlid of the subject's wijk (whether the subject takes reactions now is the
    subject's own question: `Onderwerp.reageerbaar`)."""
    return heeft_rol(user, *LEDEN) and mag_wijk_zien(user, onderwerp.wijk_code)


def mag_beantwoorden(user, wijk_code: str) -> bool:
    return heeft_rol(user, *BEANTWOORDERS) and mag_wijk_zien(user, wijk_code)


def mag_openbaar_maken(user, reactie: Reactie) -> bool:
    """Only the author, while still a wijkraadlid of that wijk."""
    return (heeft_rol(user, *LEDEN) and reactie.auteur_id == user.id
            and mag_wijk_zien(user, reactie.wijk_code))


def ontvangt_overzicht(user) -> bool:
    """Who the weekly overview is for (and who sees its setting)."""
    return heeft_rol(user, *LEDEN)


# --- Fetch and authorise in one step -----------------------------------------------------


def leesbaar_onderwerp(user, onderwerp: Onderwerp | None) -> Onderwerp:
    if onderwerp is None:
        abort(404)
    if not mag_lezen(user, onderwerp.wijk_code):
        abort(403)
    return onderwerp


def controleer_reageren(user, onderwerp: Onderwerp) -> None:
    if not mag_reageren(user, onderwerp):
        abort(403)


def beantwoordbare_reactie(user, reactie_id: int) -> Reactie:
    reactie = db.session.get(Reactie, reactie_id)
    if reactie is None:
        abort(404)
    if not mag_beantwoorden(user, reactie.wijk_code):
        abort(403)
    return reactie


def eigen_reactie(user, reactie_id: int) -> Reactie:
    reactie = db.session.get(Reactie, reactie_id)
    if reactie is None:
        abort(404)
    if not mag_openbaar_maken(user, reactie):
        abort(403)
    return reactie
