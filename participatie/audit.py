"""The append-only audit log of every staff action.

`log()` is the only way in. The database refuses UPDATE, DELETE and TRUNCATE on the table
(triggers in migration 0002), so not even a bug in the application can rewrite history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from participatie.accounts.models import User
from participatie.extensions import db


class AuditRegel(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    # Kept as text too, so the log still says who it was after an account is renamed.
    user_email: Mapped[str] = mapped_column(String(254), default="systeem")
    actie: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(40))
    voor: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    na: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    user: Mapped[User | None] = relationship()


def log(
    actie: str,
    *,
    door: User | None,
    object_type: str,
    object_id: int | str,
    voor: dict[str, Any] | None = None,
    na: dict[str, Any] | None = None,
) -> AuditRegel:
    """Append one line to the audit log (flushes). `door=None` means the system itself."""
    regel = AuditRegel(
        user_id=door.id if door is not None else None,
        user_email=door.email if door is not None else "systeem",
        actie=actie,
        object_type=object_type,
        object_id=str(object_id),
        voor=voor,
        na=na,
    )
    db.session.add(regel)
    db.session.flush()
    return regel


def log_many(
    actie: str,
    *,
    door: User | None,
    object_type: str,
    regels: list[tuple[int | str, dict[str, Any] | None, dict[str, Any] | None]],
) -> None:
    """Append one line per (object_id, voor, na), in order, with one INSERT (flushes)."""
    if not regels:
        return
    db.session.execute(db.insert(AuditRegel), [
        {
            "user_id": door.id if door is not None else None,
            "user_email": door.email if door is not None else "systeem",
            "actie": actie,
            "object_type": object_type,
            "object_id": str(object_id),
            "voor": voor,
            "na": na,
        }
        for object_id, voor, na in regels
    ])


# Built once: every melding's staff page shows its log.
_REGELS_VOOR = (select(AuditRegel)
                .where(AuditRegel.object_type == bindparam("object_type"),
                       AuditRegel.object_id == bindparam("object_id"))
                .order_by(AuditRegel.id))


def regels_voor(object_type: str, object_id: int | str) -> list[AuditRegel]:
    return list(db.session.scalars(_REGELS_VOOR, {"object_type": object_type,
                                                  "object_id": str(object_id)}))


def zoek(
    *,
    actie: str = "",
    object_type: str = "",
    email: str = "",
    van: datetime | None = None,
    tot: datetime | None = None,
    ouder_dan: int | None = None,
    limit: int = 50,
) -> list[AuditRegel]:
    """The audit log newest first, filtered; `ouder_dan` is the keyset (an id) for the next page.

    `actie` matches exactly or as a prefix before a dot ("gebruiker" finds "gebruiker.wijzig").
    """
    query = select(AuditRegel).order_by(AuditRegel.id.desc()).limit(limit)
    if actie:
        query = query.where(
            or_(AuditRegel.actie == actie,
                AuditRegel.actie.startswith(actie.rstrip(".") + ".", autoescape=True))
        )
    if object_type:
        query = query.where(AuditRegel.object_type == object_type)
    if email:
        query = query.where(AuditRegel.user_email.icontains(email.strip(), autoescape=True))
    if van:
        query = query.where(AuditRegel.created_at >= van)
    if tot:
        query = query.where(AuditRegel.created_at < tot)
    if ouder_dan:
        query = query.where(AuditRegel.id < ouder_dan)
    return list(db.session.scalars(query.options(selectinload(AuditRegel.user))))


def object_types() -> list[str]:
    """The kinds of object in the log, for the filter."""
    return list(db.session.scalars(
        select(AuditRegel.object_type).distinct().order_by(AuditRegel.object_type)))
