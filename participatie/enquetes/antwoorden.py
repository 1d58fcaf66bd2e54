"""What staff do with an open answer in the inbox: reply by e-mail (when the respondent left
an address), close, hide from the results, or show again. One transition table
(`workflow.ANTWOORD_TRANSITIES`); every action is in the audit log. Putting an answer on the
wijkagenda is the wijkagenda's own action (its `VraagBron` links it by type and id)."""

from __future__ import annotations

from flask import render_template

from participatie import audit, mail
from participatie.accounts.models import User
from participatie.enquetes.models import Antwoord
from participatie.enquetes.workflow import AntwoordStatus
from participatie.extensions import db
from participatie.moderatie.inbox import ActieGeweigerd

OBJECT = "enquete_antwoord"


def wijzig_status(antwoord: Antwoord, naar: AntwoordStatus, *, door: User) -> None:
    """Move the answer as the table allows (flushes, logs)."""
    voor = antwoord.inbox_status
    antwoord.wijzig_status(naar)
    db.session.flush()
    audit.log("enquete_antwoord.status", door=door, object_type=OBJECT, object_id=antwoord.id,
              voor={"status": voor}, na={"status": antwoord.inbox_status})


def beantwoord(antwoord: Antwoord, tekst: str, *, door: User) -> None:
    """Mail a reply to the respondent (queued in this transaction) and mark it beantwoord."""
    email = antwoord.respons.email
    if not email:
        raise ActieGeweigerd("De bewoner liet geen e-mailadres achter; antwoorden kan niet.")
    wijzig_status(antwoord, AntwoordStatus.BEANTWOORD, door=door)
    antwoord.antwoord_staf = tekst.strip()
    titel = " ".join(antwoord.vraag.enquete.titel.split())  # a header: one line
    mail.queue(email, f"Antwoord op uw reactie in de enquête '{titel}'",
               render_template("enquetes/mail/antwoord.txt", antwoord=antwoord,
                               tekst=tekst.strip()))
    db.session.flush()
    audit.log("enquete_antwoord.beantwoord", door=door, object_type=OBJECT,
              object_id=antwoord.id, na={"tekst": tekst.strip()})
