"""The resident's side of feedback: answer a question from staff, say whether it is solved.

The mail that says a melding is afgehandeld (meldingen.services.opgelost_mail) links to the
page where the resident answers; the tracking page shows what `Terugkoppeling` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from participatie.extensions import db
from participatie.meldingen.models import Gebeurtenis, Melding
from participatie.meldingen.services import laatste_afhandeling
from participatie.meldingen.workflow import Status

if TYPE_CHECKING:
    from participatie.meldingen.forms import OpgelostForm, ReactieForm

OPGELOST_JA = "opgelost: ja"
GEEN_VRAAG = "Er staat op dit moment geen vraag aan u open bij deze melding."
NIET_AFGEHANDELD = (
    "Deze melding is nu niet afgehandeld, dus u kunt nog niet zeggen of het is opgelost."
)


class TerugkoppelingFout(ValueError):
    """Feedback that does not fit the melding's status now; the message is for people."""


def gestelde_vraag(melding: Melding) -> Gebeurtenis | None:
    """The staff's question: the latest public message that came with 'reactie gevraagd'."""
    for g in reversed(melding.gebeurtenissen):
        is_vraag = g.soort == Gebeurtenis.VRAAG or (
            g.soort == Gebeurtenis.STATUS and g.status_naar == Status.REACTIE_GEVRAAGD
        )
        if is_vraag and g.publiek and g.tekst.strip():
            return g
    return None


def gegeven_terugkoppeling(melding: Melding) -> Gebeurtenis | None:
    """The resident's "is het opgelost?" answer since the melding was last closed."""
    afhandeling = laatste_afhandeling(melding)
    if afhandeling is None:
        return None
    for g in reversed(melding.gebeurtenissen):
        if g is afhandeling:
            return None
        if g.soort == Gebeurtenis.TERUGKOPPELING:
            return g
    return None


@dataclass
class Terugkoppeling:
    """What the partial shows: a question to answer, the solved? question, or a thank-you."""

    melding: Melding
    vraag: Gebeurtenis | None
    gegeven: Gebeurtenis | None
    reactie_form: ReactieForm | None
    opgelost_form: OpgelostForm | None

    @property
    def vraagt_reactie(self) -> bool:
        return self.melding.status == Status.REACTIE_GEVRAAGD

    @property
    def vraagt_opgelost(self) -> bool:
        return self.melding.status == Status.AFGEHANDELD and self.gegeven is None

    @property
    def opgelost_ja(self) -> bool:
        return self.gegeven is not None and self.gegeven.tekst == OPGELOST_JA


def beantwoord(melding: Melding, antwoord: str) -> Gebeurtenis:
    """Store the resident's answer and move to 'reactie ontvangen' (flushes)."""
    if melding.status != Status.REACTIE_GEVRAAGD:
        raise TerugkoppelingFout(GEEN_VRAAG)
    gebeurtenis = Gebeurtenis(soort=Gebeurtenis.ANTWOORD, tekst=antwoord.strip(), publiek=False)
    melding.gebeurtenissen.append(gebeurtenis)
    melding.wijzig_status(Status.REACTIE_ONTVANGEN, door=None)
    db.session.flush()
    return gebeurtenis


def geef_terugkoppeling(melding: Melding, *, opgelost: bool, reden: str = "",
                        op: datetime | None = None) -> bool:
    """Record "opgelost: ja" or a reopen request with its reason, once per closing (flushes).

    Returns False when this closing already had an answer; nothing is stored then. Demo data
    and tests pass the moment it was given (`op`), as they do to `maak_melding`.
    """
    if gegeven_terugkoppeling(melding) is not None:
        return False
    if melding.status != Status.AFGEHANDELD:
        raise TerugkoppelingFout(NIET_AFGEHANDELD)
    tekst = OPGELOST_JA if opgelost else reden.strip()
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.TERUGKOPPELING, tekst=tekst, publiek=False,
                    **({"created_at": op} if op is not None else {}))
    )
    if not opgelost:
        melding.heropen_verzoek = True
    db.session.flush()
    return True
