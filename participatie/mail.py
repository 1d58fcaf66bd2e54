"""Outgoing e-mail through an outbox table.

A message is queued in the same transaction as the change it reports, so a rolled-back
melding never sends mail and a committed one never loses its mail. After the commit the
view calls `deliver_pending()`; `flask --app wsgi mail` retries what failed.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app
from sqlalchemy import DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from participatie.extensions import db

log = logging.getLogger(__name__)
MAX_POGINGEN = 5


class Uitgaand(db.Model):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aan: Mapped[str] = mapped_column(String(254))
    onderwerp: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    verzonden_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    laatste_fout: Mapped[str] = mapped_column(Text, default="")


def queue(aan: str, onderwerp: str, tekst: str) -> Uitgaand:
    """Add a message to the outbox (flushes, does not commit)."""
    bericht = Uitgaand(aan=aan, onderwerp=onderwerp, tekst=tekst)
    db.session.add(bericht)
    db.session.flush()
    return bericht


def queue_many(berichten: list[tuple[str, str, str]]) -> None:
    """Add many (aan, onderwerp, tekst) messages to the outbox in one INSERT (flushes)."""
    if berichten:
        db.session.execute(db.insert(Uitgaand), [
            {"aan": aan, "onderwerp": onderwerp, "tekst": tekst, "pogingen": 0,
             "laatste_fout": ""}
            for aan, onderwerp, tekst in berichten
        ])


def _build(bericht: Uitgaand) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = bericht.aan
    msg["Subject"] = bericht.onderwerp
    msg["Message-ID"] = make_msgid(domain="participatie.local")
    msg.set_content(bericht.tekst)
    return msg


def _send(messages: list[EmailMessage]) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        for msg in messages:
            log.info("E-mail (console):\n%s", msg.as_string())
        return
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                      timeout=config["SMTP_TIMEOUT"]) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        for msg in messages:
            smtp.send_message(msg)


def deliver_pending(limit: int = 100) -> int:
    """Send what waits in the outbox; commits. Returns how many were sent."""
    pending = db.session.scalars(
        select(Uitgaand)
        .where(Uitgaand.verzonden_op.is_(None), Uitgaand.pogingen < MAX_POGINGEN)
        .order_by(Uitgaand.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for bericht in pending:
        bericht.pogingen += 1
        try:
            _send([_build(bericht)])
        except (OSError, smtplib.SMTPException) as error:
            bericht.laatste_fout = str(error)[:500]
            log.warning("E-mail %s niet verstuurd: %s", bericht.id, error)
            continue
        bericht.verzonden_op = datetime.now(UTC)
        sent += 1
    db.session.commit()
    return sent


def init_app(app: Flask) -> None:
    if app.config["MAIL_BACKEND"] not in {"console", "smtp"}:
        raise RuntimeError("MAIL_BACKEND must be 'console' or 'smtp'")
