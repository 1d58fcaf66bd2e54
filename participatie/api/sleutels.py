"""API keys: make one (shown once), revoke it, and find the key behind a request.

Used by the beheer pages and by `flask --app wsgi api-key maak|intrekken`. Writes flush and go
to the audit log; the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from participatie import audit
from participatie.accounts.models import User
from participatie.api.models import ApiSleutel
from participatie.extensions import db

VOORVOEGSEL = "p311_"
# 32 random bytes, URL-safe: 43 characters after the prefix.
LENGTE = len(VOORVOEGSEL) + 43
MAX_NAAM = 60
OBJECT = "api_sleutel"


class SleutelFout(ValueError):
    """A key that cannot be made or revoked; str(e) is Dutch, `veld` names the form field."""

    def __init__(self, tekst: str, veld: str | None = None) -> None:
        super().__init__(tekst)
        self.veld = veld


def hash_van(sleutel: str) -> str:
    return hashlib.sha256(sleutel.encode()).hexdigest()


def maak_sleutel(naam: str, contact: str = "", *, door: User | None) -> tuple[ApiSleutel, str]:
    """A new key for the app `naam`: the stored row and the key itself (to show once)."""
    naam, contact = (naam or "").strip(), (contact or "").strip()
    if not naam:
        raise SleutelFout("Geef de naam van de app.", "naam")
    if len(naam) > MAX_NAAM or not naam.isprintable():
        raise SleutelFout(f"Gebruik voor de naam hoogstens {MAX_NAAM} gewone tekens.", "naam")
    if len(contact) > 254 or not contact.isprintable():
        raise SleutelFout("Gebruik voor het contact hoogstens 254 gewone tekens.", "contact")
    if sleutel_voor_naam(naam) is not None:
        raise SleutelFout("Er is al een sleutel met deze naam (ook ingetrokken sleutels tellen "
                          "mee). Kies een andere naam.", "naam")
    platte_sleutel = VOORVOEGSEL + secrets.token_urlsafe(32)
    sleutel = ApiSleutel(naam=naam, contact=contact, sleutel_hash=hash_van(platte_sleutel),
                         begin=platte_sleutel[:len(VOORVOEGSEL) + 4], gemaakt_door=door)
    db.session.add(sleutel)
    db.session.flush()
    audit.log("api_sleutel.maak", door=door, object_type=OBJECT, object_id=sleutel.id,
              na=sleutel.snapshot())
    return sleutel, platte_sleutel


def trek_in(sleutel: ApiSleutel, *, door: User | None) -> None:
    """Revoke a key: from now on the app cannot post with it (its meldingen stay)."""
    if not sleutel.actief:
        raise SleutelFout(f"De sleutel van {sleutel.naam} is al ingetrokken.")
    voor = sleutel.snapshot()
    sleutel.ingetrokken_op = datetime.now(UTC)
    db.session.flush()
    audit.log("api_sleutel.intrekken", door=door, object_type=OBJECT, object_id=sleutel.id,
              voor=voor, na=sleutel.snapshot())


def sleutel_voor_naam(naam: str) -> ApiSleutel | None:
    """The key of this app, active or revoked; names differ in more than capitals."""
    return db.session.scalar(
        select(ApiSleutel).where(func.lower(ApiSleutel.naam) == naam.strip().lower()))


def geldige_sleutel(waarde: str | None) -> ApiSleutel | None:
    """The active key that `waarde` is, or None (unknown, revoked, or not a key at all)."""
    waarde = (waarde or "").strip()
    if not waarde.startswith(VOORVOEGSEL) or len(waarde) != LENGTE:
        return None
    return db.session.scalar(select(ApiSleutel).where(
        ApiSleutel.sleutel_hash == hash_van(waarde), ApiSleutel.ingetrokken_op.is_(None)))


def tel_gebruik(sleutel: ApiSleutel) -> None:
    """Count one request with this key and when it was (in SQL: concurrent requests add up)."""
    db.session.execute(
        update(ApiSleutel).where(ApiSleutel.id == sleutel.id)
        .values(laatst_gebruikt=func.now(), aantal_verzoeken=ApiSleutel.aantal_verzoeken + 1)
        .execution_options(synchronize_session=False))


def alle_sleutels() -> list[ApiSleutel]:
    """Active keys first, newest first."""
    return list(db.session.scalars(select(ApiSleutel).order_by(
        ApiSleutel.ingetrokken_op.is_not(None), ApiSleutel.created_at.desc(),
        ApiSleutel.id.desc())))
