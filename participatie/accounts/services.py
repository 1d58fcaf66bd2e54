"""Creating staff accounts and checking their passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from participatie.accounts.models import Organisatie, OrganisatieSoort, Rol, User
from participatie.extensions import db
from participatie.gebieden.models import Wijk

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


class AccountFout(ValueError):
    """A user that cannot be created or changed as asked; the message is for people."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        ok = _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return ok


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def organisatie_by_naam(naam: str) -> Organisatie | None:
    return db.session.scalar(
        select(Organisatie).where(func.lower(Organisatie.naam) == naam.strip().lower())
    )


def create_user(
    email: str,
    password: str,
    rol: Rol | str,
    *,
    naam: str = "",
    wijk_codes: list[str] | None = None,
    organisatie: Organisatie | None = None,
) -> User:
    """Create a staff account (flushes). Refuses weak passwords and unknown wijken."""
    rol = Rol(rol)
    email = email.strip().lower()
    if user_by_email(email):
        raise AccountFout(f"Er is al een account met e-mailadres {email}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountFout(f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.")
    wijken = []
    for code in wijk_codes or []:
        wijk = db.session.get(Wijk, code.strip().upper())
        if wijk is None:
            raise AccountFout(f"Wijk {code} bestaat niet.")
        wijken.append(wijk)
    if rol in (Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID) and not wijken:
        raise AccountFout(f"Een {rol.label.lower()} hoort bij minstens één wijk.")
    is_partner_org = organisatie is not None and organisatie.soort == OrganisatieSoort.PARTNER
    if rol == Rol.PARTNER and not is_partner_org:
        raise AccountFout("Een partner-account hoort bij een partnerorganisatie.")
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
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so old sessions expire."""
    user_pk, _, version = user_id.partition(":")
    if not user_pk.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or user.sessie_versie != int(version) or not user.actief:
        return None
    return user
