"""Plain functions that read and change the wijkraad's reactions and the gemeente's answers.
They flush and write the audit log; the view commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import selectinload

from participatie.accounts.models import User
from participatie.accounts.permissions import wijk_zichtbaar
from participatie.audit import log
from participatie.extensions import db
from participatie.wijkraad import onderwerpen
from participatie.wijkraad.models import (
    MARGE,
    Overzichtmail,
    Reactie,
    ReactieAntwoord,
    ReactieSoort,
    nieuw_token,
)
from participatie.wijkraad.onderwerpen import Onderwerp

OBJECT = "wijkraad_reactie"
MAX_OPENBAAR = 50


class WijkraadFout(ValueError):
    """Something the wijkraad cannot do (now); the message is for people."""


def _met_antwoorden():
    return (selectinload(Reactie.antwoorden).selectinload(ReactieAntwoord.auteur),
            selectinload(Reactie.auteur))


# --- Reading -----------------------------------------------------------------------------


def gesprek(onderwerp: Onderwerp) -> list[Reactie]:
    """Every reaction to the subject, oldest first, each with its answers in order."""
    return list(db.session.scalars(
        select(Reactie).where(Reactie.onderwerp_soort == onderwerp.soort.value,
                              Reactie.onderwerp_id == onderwerp.id)
        .order_by(Reactie.id).options(*_met_antwoorden())))


def gesprekken(wijk_code: str, *, alleen_openbaar: bool = False
               ) -> dict[tuple[str, int], list[Reactie]]:
    """The reactions of a wijk per subject (oldest first); for residents only the public
    ones, with the gemeente's answers to them."""
    query = select(Reactie).where(Reactie.wijk_code == wijk_code)
    if alleen_openbaar:
        query = query.where(Reactie.openbaar)
    uit: dict[tuple[str, int], list[Reactie]] = {}
    for reactie in db.session.scalars(query.order_by(Reactie.id).options(*_met_antwoorden())):
        uit.setdefault(reactie.onderwerp_sleutel, []).append(reactie)
    return uit


def wachten_op_antwoord(user) -> list[Reactie]:
    """Reactions in the user's wijken that have no answer yet, oldest first."""
    beantwoord = exists().where(ReactieAntwoord.reactie_id == Reactie.id)
    return list(db.session.scalars(
        select(Reactie).where(wijk_zichtbaar(user, Reactie.wijk_code), ~beantwoord)
        .order_by(Reactie.id).limit(200).options(*_met_antwoorden())))


def recente_reacties(user, limiet: int = 20) -> list[Reactie]:
    """The newest reactions in the user's wijken."""
    return list(db.session.scalars(
        select(Reactie).where(wijk_zichtbaar(user, Reactie.wijk_code))
        .order_by(Reactie.id.desc()).limit(limiet).options(*_met_antwoorden())))


@dataclass
class OpenbareReactie:
    """A public reaction as residents read it: what the wijkraad said, about what, and the
    gemeente's answers. Without the names of the people who wrote them."""

    soort: ReactieSoort
    tekst: str
    datum: datetime
    onderwerp: Onderwerp
    antwoorden: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def link(self) -> str:
        return self.onderwerp.openbare_pagina


def openbare_reacties(wijk_code: str, limiet: int = 5) -> list[OpenbareReactie]:
    """The wijk's public reactions, most recently made public first (at most `limiet`, 50)."""
    limiet = max(1, min(int(limiet), MAX_OPENBAAR))
    reacties = list(db.session.scalars(
        select(Reactie).where(Reactie.wijk_code == wijk_code, Reactie.openbaar)
        .order_by(Reactie.openbaar_op.desc(), Reactie.id.desc()).limit(limiet)
        .options(selectinload(Reactie.antwoorden))))
    bij = onderwerpen.laad_veel(r.onderwerp_sleutel for r in reacties)
    return [OpenbareReactie(r.soort_enum, r.tekst, r.openbaar_op or r.created_at,
                            bij[r.onderwerp_sleutel],
                            [(a.tekst, a.created_at) for a in r.antwoorden])
            for r in reacties if r.onderwerp_sleutel in bij]


# --- Changing ----------------------------------------------------------------------------


def reageer(onderwerp: Onderwerp, *, soort: ReactieSoort, tekst: str, door: User) -> Reactie:
    """Store a wijkraadlid's reaction to a subject that takes reactions now; logs it."""
    if not onderwerp.reageerbaar:
        raise WijkraadFout(onderwerp.nog_niet)
    reactie = Reactie(wijk_code=onderwerp.wijk_code, onderwerp_soort=onderwerp.soort.value,
                      onderwerp_id=onderwerp.id, auteur=door, soort=ReactieSoort(soort).value,
                      tekst=tekst.strip(), openbaar=False, openbaar_op=None)
    db.session.add(reactie)
    db.session.flush()
    log("wijkraad.reactie", door=door, object_type=OBJECT, object_id=reactie.id,
        na=reactie.snapshot())
    return reactie


def beantwoord(reactie: Reactie, tekst: str, *, door: User) -> ReactieAntwoord:
    """Add the gemeente's answer to a reaction (after the earlier ones); logs it."""
    antwoord = ReactieAntwoord(auteur=door, tekst=tekst.strip())
    reactie.antwoorden.append(antwoord)
    db.session.flush()
    log("wijkraad.antwoord", door=door, object_type=OBJECT, object_id=reactie.id,
        na={"antwoord": antwoord.id, "tekst": antwoord.tekst, "openbaar": reactie.openbaar})
    return antwoord


def zet_openbaar(reactie: Reactie, openbaar: bool, *, door: User) -> bool:
    """Make a reaction public (with its answers) or private again; logs a change.
    Returns whether anything changed."""
    if reactie.openbaar == openbaar:
        return False
    voor = reactie.snapshot()
    reactie.openbaar = openbaar
    reactie.openbaar_op = datetime.now(UTC) if openbaar else None
    db.session.flush()
    log("wijkraad.openbaar", door=door, object_type=OBJECT, object_id=reactie.id,
        voor=voor, na=reactie.snapshot())
    return True


# --- The weekly overview's setting ---------------------------------------------------------


def wil_overzicht(user: User) -> bool:
    """Whether the user gets the weekly overview (yes, until they turn it off)."""
    instelling = db.session.get(Overzichtmail, user.id)
    return instelling is None or instelling.ontvangen


def overzichtmail_van(user: User) -> Overzichtmail:
    """The user's setting, made (wanted, nothing reported yet) when it is not there yet."""
    db.session.execute(insert(Overzichtmail).values(
        user_id=user.id, ontvangen=True, afmeld_token=nieuw_token())
        .on_conflict_do_nothing(index_elements=["user_id"]))
    return db.session.get(Overzichtmail, user.id, populate_existing=True)


def zet_overzichtmail(instelling: Overzichtmail, ontvangen: bool, *, door: User | None,
                      nu: datetime | None = None) -> bool:
    """Turn the weekly overview on or off; logs a change. Turned on again, it starts from
    now rather than report everything since it was turned off."""
    if instelling.ontvangen == ontvangen:
        return False
    instelling.ontvangen = ontvangen
    if ontvangen:
        instelling.verwerkt_tot = (nu or datetime.now(UTC)) - MARGE
    db.session.flush()
    log("wijkraad.overzichtmail", door=door, object_type="app_user",
        object_id=instelling.user_id, voor={"ontvangen": not ontvangen},
        na={"ontvangen": ontvangen})
    return True


def instelling_voor_token(token: str) -> Overzichtmail | None:
    """The setting an opt-out link opens; None for a link that is not (or no longer) one."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Overzichtmail).join(User).where(
        and_(Overzichtmail.afmeld_token == token, User.actief)))
