"""Creating and changing staff accounts, checking their passwords, logging who did what."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from participatie import audit  # module import: audit itself imports accounts.models
from participatie.accounts import blokkade
from participatie.accounts.models import Organisatie, OrganisatieSoort, Rol, User
from participatie.accounts.sessies import beeindig_alle_sessies
from participatie.extensions import db
from participatie.gebieden.models import Wijk
from participatie.referentie import referentie

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


@cache
def _argon2(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    """The hasher for these costs, and a hash to verify against for unknown e-mail addresses
    (so that an unknown address takes as long as a wrong password)."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    return hasher, hasher.hash("geen-echt-wachtwoord")


def _hasher() -> PasswordHasher:
    return _argon2(current_app.config["ARGON2_TIME_COST"],
                   current_app.config["ARGON2_MEMORY_KIB"])[0]


class AccountFout(ValueError):
    """A user that cannot be created or changed as asked; the message is for people.

    `veld` names the form field the message belongs next to.
    """

    def __init__(self, message: str, veld: str | None = None) -> None:
        super().__init__(message)
        self.veld = veld


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Check a password; with `user=None` spend the same time and answer False."""
    hasher = _hasher()
    if user is None:
        dummy = _argon2(hasher.time_cost, hasher.memory_cost)[1]
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(dummy, password)
        return False
    try:
        ok = hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    # A hash made with other costs (an older setting) is upgraded at the next login.
    if ok and hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return ok


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@dataclass
class Inlogpoging:
    """The outcome of a login attempt: the user when it succeeded, or until when it is refused
    because of too many wrong passwords (None: simply wrong)."""

    user: User | None = None
    geblokkeerd_tot: datetime | None = None


def controleer_login(email: str, password: str, adres: str) -> Inlogpoging:
    """Check a login attempt from client address `adres` against the lock-out and the password;
    counts failures and writes the attempt to the audit log (flushes).

    Known and unknown e-mail addresses get the same answers, at the same cost.
    """
    email = email.strip().lower()
    user = user_by_email(email)
    object_id = user.id if user else "onbekend"
    poging = {"email": email, "ip": adres}
    tot = blokkade.geblokkeerd_tot(email, adres)
    if tot:
        audit.log("login.mislukt", door=None, object_type="gebruiker", object_id=object_id,
            na={**poging, "reden": "geblokkeerd"})
        return Inlogpoging(geblokkeerd_tot=tot)
    if password_matches(user, password) and user.actief:
        blokkade.vergeet_mislukt(email, adres)
        user.laatst_ingelogd = datetime.now(UTC)
        audit.log("login", door=user, object_type="gebruiker", object_id=user.id,
            na={"ip": adres})
        return Inlogpoging(user=user)
    reden = "onbekend e-mailadres" if user is None else (
        "account staat uit" if not user.actief else "verkeerd wachtwoord")
    audit.log("login.mislukt", door=None, object_type="gebruiker", object_id=object_id,
        na={**poging, "reden": reden})
    if tot := blokkade.tel_mislukt(email, adres):
        audit.log("login.geblokkeerd", door=None, object_type="gebruiker", object_id=object_id,
            na={**poging, "tot": tot.isoformat()})
    return Inlogpoging()


def organisatie_by_naam(naam: str) -> Organisatie | None:
    return db.session.scalar(
        select(Organisatie).where(func.lower(Organisatie.naam) == naam.strip().lower())
    )


@dataclass(frozen=True)
class OrganisatieNaam:
    """An organisation for lists and choices (not an ORM object)."""

    id: int
    naam: str
    soort: str
    actief: bool
    label: str


@referentie("organisatie")
def organisaties() -> tuple[OrganisatieNaam, ...]:
    """Every organisation, active or not, by name; kept per process."""
    return tuple(OrganisatieNaam(o.id, o.naam, o.soort, o.actief, o.label)
                 for o in db.session.scalars(select(Organisatie).order_by(Organisatie.naam)))


def actieve_organisaties() -> list[OrganisatieNaam]:
    """The organisations one can choose: gemeente teams first, then partners, by name."""
    return sorted((o for o in organisaties() if o.actief),
                  key=lambda o: o.soort != OrganisatieSoort.TEAM)


def gebruikers() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.actief.desc(), User.email)))


def check_password(password: str) -> None:
    """Refuse passwords that are too short or too long (AccountFout on the password field)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountFout(
            f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.", "password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountFout(
            f"Een wachtwoord heeft hoogstens {MAX_PASSWORD_LENGTH} tekens.", "password"
        )
    if len(set(password)) < 4:
        raise AccountFout("Dit wachtwoord is te makkelijk te raden. Kies een ander.", "password")


def _wijken(codes: list[str] | None) -> list[Wijk]:
    wijken = []
    for code in codes or []:
        wijk = db.session.get(Wijk, code.strip().upper())
        if wijk is None:
            raise AccountFout(f"Wijk {code} bestaat niet.", "wijken")
        if wijk not in wijken:
            wijken.append(wijk)
    return wijken


def _check_rol(rol: Rol, wijken: list[Wijk], organisatie: Organisatie | None) -> None:
    if rol in (Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID) and not wijken:
        raise AccountFout(f"Een {rol.label.lower()} hoort bij minstens één wijk.", "wijken")
    is_partner_org = organisatie is not None and organisatie.soort == OrganisatieSoort.PARTNER
    if rol == Rol.PARTNER and not is_partner_org:
        raise AccountFout("Een partner-account hoort bij een partnerorganisatie.", "organisatie")


def _rol(rol: Rol | str) -> Rol:
    try:
        return Rol(rol)
    except ValueError:
        raise AccountFout(f"De rol {rol} bestaat niet.", "rol") from None


def momentopname(user: User) -> dict[str, Any]:
    """What the audit log keeps of an account: everything but the password hash."""
    return {
        "email": user.email,
        "naam": user.naam,
        "rol": user.rol,
        "wijken": [w.code for w in user.wijken],
        "organisatie": user.organisatie.naam if user.organisatie else None,
        "actief": user.actief,
    }


def create_user(
    email: str,
    password: str,
    rol: Rol | str,
    *,
    naam: str = "",
    wijk_codes: list[str] | None = None,
    organisatie: Organisatie | None = None,
    door: User | None = None,
) -> User:
    """Create a staff account and log it (flushes). Refuses weak passwords and unknown wijken."""
    rol = _rol(rol)
    email = email.strip().lower()
    if not email or "@" not in email:
        raise AccountFout("Vul een geldig e-mailadres in.", "email")
    if user_by_email(email):
        raise AccountFout(f"Er is al een account met e-mailadres {email}.", "email")
    check_password(password)
    wijken = _wijken(wijk_codes)
    _check_rol(rol, wijken, organisatie)
    user = User(
        email=email,
        naam=naam.strip(),
        password_hash=hash_password(password),
        rol=rol.value,
        organisatie=organisatie,
        wijken=wijken,
    )
    db.session.add(user)
    db.session.flush()
    audit.log("gebruiker.nieuw", door=door, object_type="gebruiker", object_id=user.id,
        na=momentopname(user))
    return user


def update_user(
    user: User,
    *,
    door: User | None,
    naam: str,
    rol: Rol | str,
    wijk_codes: list[str],
    organisatie: Organisatie | None,
    actief: bool,
) -> User:
    """Change an account and log before/after (flushes); deactivating ends its sessions."""
    rol = _rol(rol)
    wijken = _wijken(wijk_codes)
    _check_rol(rol, wijken, organisatie)
    if door is not None and door.id == user.id:
        if not actief:
            raise AccountFout("U kunt uw eigen account niet uitzetten.", "actief")
        if rol != user.rol_enum:
            raise AccountFout("U kunt uw eigen rol niet veranderen.", "rol")
    voor = momentopname(user)
    user.naam = naam.strip()
    user.rol = rol.value
    user.wijken = wijken
    user.organisatie = organisatie
    if user.actief and not actief:
        beeindig_alle_sessies(user)
    user.actief = actief
    db.session.flush()
    na = momentopname(user)
    if na != voor:
        audit.log("gebruiker.wijzig", door=door, object_type="gebruiker", object_id=user.id,
            voor=voor, na=na)
    return user


def set_password(user: User, password: str, *, door: User | None) -> None:
    """Give an account a new password, end its sessions and lift its lock-out; logged without
    the hash (flushes)."""
    check_password(password)
    user.password_hash = hash_password(password)
    beeindig_alle_sessies(user)
    blokkade.ontgrendel(user.email)
    db.session.flush()
    audit.log("gebruiker.wachtwoord", door=door, object_type="gebruiker", object_id=user.id,
        na={"wachtwoord": "gewijzigd"})
