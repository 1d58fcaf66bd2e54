"""Outgoing e-mail through an outbox table.

A message is queued in the same transaction as the change it reports, so a rolled-back
melding never sends mail and a committed one never loses its mail. It leaves in one of two ways:

- after its commit, a request calls `deliver_pending()`, which sends only the mail that request
  queued and spends at most SMTP_TIMEOUT_VERZOEK seconds on it, so a slow or frozen relay never
  holds up a resident or a worker;
- `flask --app wsgi mail`, from cron every minute, sends everything that is due.

A message that fails is tried again after 1, 2, 4, … minutes (at most WACHTTIJD_MAX between
tries) and is given up only when it still fails after OPGEVEN_NA; `laatste_fout` keeps the
reason. When the relay itself cannot be reached, a batch stops at the first message: the
outage counts against that one message, not against every message that waits.
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app
from sqlalchemy import DateTime, Index, Integer, String, Text, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from participatie.extensions import db

log = logging.getLogger(__name__)

WACHTTIJD_EERST = timedelta(minutes=1)
WACHTTIJD_MAX = timedelta(hours=2)
OPGEVEN_NA = timedelta(hours=24)
# Where the ids of the mail queued in this session wait for deliver_pending().
_DIT_VERZOEK = "mail_dit_verzoek"
# SMTP errors after which the connection, or the relay, is of no use: stop the batch.
# (Others, such as a refused recipient, concern one message.)
_RELAYFOUTEN = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


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
    volgende_poging: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    opgegeven_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_mail_outbox_wachtend", "volgende_poging",
              postgresql_where=text("verzonden_op IS NULL AND opgegeven_op IS NULL")),
    )


def wachttijd(pogingen: int) -> timedelta:
    """How long to wait after the `pogingen`-th failed attempt: 1 minute, doubling, capped."""
    return min(WACHTTIJD_EERST * 2 ** min(max(pogingen - 1, 0), 16), WACHTTIJD_MAX)


def _onthoud(ids: list[int]) -> None:
    db.session.info.setdefault(_DIT_VERZOEK, []).extend(ids)


def queue(aan: str, onderwerp: str, tekst: str) -> Uitgaand:
    """Add a message to the outbox (flushes, does not commit)."""
    bericht = Uitgaand(aan=aan, onderwerp=onderwerp, tekst=tekst)
    db.session.add(bericht)
    db.session.flush()
    _onthoud([bericht.id])
    return bericht


def queue_many(berichten: list[tuple[str, str, str]]) -> None:
    """Add many (aan, onderwerp, tekst) messages to the outbox in one INSERT (flushes)."""
    if berichten:
        ids = db.session.scalars(db.insert(Uitgaand).returning(Uitgaand.id), [
            {"aan": aan, "onderwerp": onderwerp, "tekst": tekst, "pogingen": 0,
             "laatste_fout": ""}
            for aan, onderwerp, tekst in berichten
        ]).all()
        _onthoud(list(ids))


def _build(bericht: Uitgaand) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = bericht.aan
    msg["Subject"] = bericht.onderwerp
    msg["Message-ID"] = make_msgid(domain="participatie.local")
    msg.set_content(bericht.tekst)
    return msg


class _Relay:
    """One SMTP connection for a batch, opened at the first message.

    With a `deadline` (time.monotonic()), every wait on the relay ends by then.
    """

    def __init__(self, timeout: float, deadline: float | None = None) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.smtp: smtplib.SMTP | None = None

    def resterend(self) -> float:
        if self.deadline is None:
            return self.timeout
        return min(self.timeout, self.deadline - time.monotonic())

    def send(self, msg: EmailMessage) -> None:
        config = current_app.config
        if config["MAIL_BACKEND"] == "console":
            log.info("E-mail (console):\n%s", msg.as_string())
            return
        wacht = self.resterend()
        if wacht <= 0:
            raise TimeoutError("geen tijd meer om de e-mail te versturen")
        if self.smtp is None:
            self.smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=wacht)
            if config["SMTP_STARTTLS"]:
                self.smtp.starttls()
            if config["SMTP_USERNAME"]:
                self.smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            wacht = self.resterend()
        self.smtp.sock.settimeout(max(wacht, 0.001))
        self.smtp.send_message(msg)

    def sluit(self, *, netjes: bool) -> None:
        """Say goodbye when the relay still answers; only close the socket when it does not."""
        if self.smtp is None:
            return
        try:
            wacht = self.resterend()
            if netjes and wacht > 0:
                self.smtp.sock.settimeout(wacht)
                self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            self.smtp.close()
            self.smtp = None


def _is_relayfout(error: OSError) -> bool:
    if not isinstance(error, smtplib.SMTPException):
        return True  # refused, unreachable, timed out
    # 421: the relay closes the connection ("service not available").
    return isinstance(error, _RELAYFOUTEN) or getattr(error, "smtp_code", None) == 421


def _mislukt(bericht: Uitgaand, error: OSError, nu: datetime) -> None:
    """Record a failed attempt: try again later, or give up once the message is old enough."""
    bericht.laatste_fout = (str(error) or type(error).__name__)[:500]
    if nu - bericht.created_at >= OPGEVEN_NA:
        bericht.opgegeven_op = nu
        log.error("E-mail %s opgegeven na %s pogingen: %s", bericht.id, bericht.pogingen, error)
    else:
        bericht.volgende_poging = nu + wachttijd(bericht.pogingen)
        log.warning("E-mail %s niet verstuurd (poging %s): %s", bericht.id, bericht.pogingen,
                    error)


def _verstuur(berichten: list[Uitgaand], relay: _Relay, nu: datetime) -> tuple[int, bool]:
    """Send `berichten` in order over one connection and record each outcome (no commit).

    Returns how many were sent and whether the batch stopped because the relay failed.
    """
    sent = 0
    try:
        for bericht in berichten:
            if relay.resterend() <= 0:
                break  # this request's time is up; the rest is not a failure
            bericht.pogingen += 1
            try:
                relay.send(_build(bericht))
            except OSError as error:  # smtplib's errors are OSErrors too
                _mislukt(bericht, error, nu)
                if _is_relayfout(error):
                    relay.sluit(netjes=False)
                    return sent, True
                continue
            bericht.verzonden_op = nu
            sent += 1
    finally:
        relay.sluit(netjes=True)
    return sent, False


def deliver_pending() -> int:
    """After a request's commit: send the mail this request queued, and commit.

    Spends at most SMTP_TIMEOUT_VERZOEK seconds and stops when the relay fails; what is left
    waits for `flask --app wsgi mail`. Never fails the request: what it reports has been
    committed already, and its mail is safe in the outbox. Returns how many were sent.
    """
    ids = db.session.info.pop(_DIT_VERZOEK, [])
    if not ids:
        return 0
    try:
        berichten = db.session.scalars(
            select(Uitgaand)
            .where(Uitgaand.id.in_(ids), Uitgaand.verzonden_op.is_(None),
                   Uitgaand.opgegeven_op.is_(None))
            .order_by(Uitgaand.id)
            .with_for_update(skip_locked=True)
        ).all()
        timeout = current_app.config["SMTP_TIMEOUT_VERZOEK"]
        sent, _ = _verstuur(list(berichten), _Relay(timeout, time.monotonic() + timeout),
                            datetime.now(UTC))
        db.session.commit()
    except SQLAlchemyError as error:
        # Mail sent but not marked goes out once more with `flask mail`: twice beats never.
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session().invalidate()  # the connection is gone: forget it
        log.warning("Verzendlijst niet bijgewerkt na het verzoek: %s",
                    str(getattr(error, "orig", None) or error).strip())
        return 0
    return sent


def deliver_due(nu: datetime | None = None, *, ook_later: bool = False,
                batch: int = 100) -> int:
    """Send every message whose next attempt is due (with `ook_later`: every one that waits),
    in batches that each commit. Stops when the relay cannot be reached. Returns how many were
    sent."""
    nu = nu or datetime.now(UTC)
    timeout = current_app.config["SMTP_TIMEOUT"]
    sent = 0
    gedaan: set[int] = set()
    while True:
        query = select(Uitgaand).where(Uitgaand.verzonden_op.is_(None),
                                       Uitgaand.opgegeven_op.is_(None))
        if not ook_later:
            query = query.where(Uitgaand.volgende_poging <= nu)
        if gedaan:  # tried in this run already (with `ook_later` they would come back)
            query = query.where(Uitgaand.id.not_in(gedaan))
        berichten = db.session.scalars(
            query.order_by(Uitgaand.volgende_poging, Uitgaand.id)
            .limit(batch).with_for_update(skip_locked=True)
        ).all()
        gedaan.update(b.id for b in berichten)
        verstuurd, relay_weg = _verstuur(list(berichten), _Relay(timeout), nu)
        db.session.commit()
        sent += verstuurd
        if relay_weg or len(berichten) < batch:
            return sent


def retry_given_up() -> int:
    """Put the given-up messages back in the queue, due now (flushes); their last error stays.

    Mail that retention blanked (no recipient left) stays given up. Returns how many.
    """
    resultaat = db.session.execute(
        update(Uitgaand)
        .where(Uitgaand.opgegeven_op.is_not(None), Uitgaand.verzonden_op.is_(None),
               Uitgaand.aan != "")
        .values(opgegeven_op=None, volgende_poging=func.now())
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return resultaat.rowcount


def init_app(app: Flask) -> None:
    if app.config["MAIL_BACKEND"] not in {"console", "smtp"}:
        raise RuntimeError("MAIL_BACKEND must be 'console' or 'smtp'")
