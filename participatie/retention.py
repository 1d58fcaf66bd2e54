"""AVG retention: forget what we no longer need, on a schedule (`flask --app wsgi retention`).

What is kept and for how long:
- e-mail addresses of melders and supporters: RETENTION_DAYS after the melding was closed;
- photos of a cancelled melding: RETENTION_CANCELLED_PHOTO_DAYS after it was cancelled;
- recipient and text of outgoing mail: RETENTION_DAYS after it was sent (or queued, if it
  never went out);
- photo files that no melding, idea or progress update refers to (a form that was never
  sent): one day;
- e-mail addresses left with a survey answer (for a reply), and drafts never sent:
  RETENTION_DAYS after the survey's last day;
- staff logins (`app_sessie` rows) that have expired: right away (they open nothing any more,
  but they say who was logged in when).
Open meldingen are never touched. Running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, delete, or_, select, update

from participatie import media
from participatie.accounts.models import Sessie
from participatie.audit import log
from participatie.buurtbudget.models import Idee, IdeeUpdate
from participatie.enquetes import services as enquetes
from participatie.extensions import db
from participatie.mail import Uitgaand
from participatie.meldingen.models import Contact, Foto, Melding
from participatie.meldingen.workflow import GESLOTEN, Status

WEES_BESTAND_NA = timedelta(days=1)
# Every pair of columns that holds the names of a stored photo's two files.
FOTO_KOLOMMEN = (
    (Foto.bestand, Foto.thumbnail),
    (Idee.foto_bestand, Idee.foto_thumbnail),
    (IdeeUpdate.foto_bestand, IdeeUpdate.foto_thumbnail),
)


@dataclass
class Resultaat:
    contacten: int = 0
    fotos: int = 0
    mails: int = 0
    enquete_mails: int = 0
    enquete_concepten: int = 0
    sessies: int = 0
    wezen: list[str] = field(default_factory=list)
    # Files of deleted Foto rows: removed by verwijder_bestanden() once the rows are gone
    # for good (after the commit), so a failed commit never leaves rows without files.
    bestanden: list[str] = field(default_factory=list)

    def verwijder_bestanden(self) -> None:
        """Remove the photo files of the deleted rows; call after the commit."""
        media.verwijder(current_app.config["MEDIA_DIR"], *self.bestanden)
        self.bestanden = []

    def regels(self) -> list[str]:
        return [
            f"{self.contacten} e-mailadressen van melders en steuners geanonimiseerd.",
            f"{self.fotos} foto's van geannuleerde meldingen verwijderd.",
            f"{self.mails} oude e-mails in de verzendlijst leeggemaakt.",
            f"{len(self.wezen)} losse fotobestanden zonder melding verwijderd.",
            f"{self.enquete_mails} e-mailadressen bij enquête-antwoorden leeggemaakt, "
            f"{self.enquete_concepten} nooit verstuurde enquête-concepten verwijderd.",
            f"{self.sessies} verlopen inlogsessies verwijderd.",
        ]


def _gesloten_voor(grens: datetime):
    return and_(
        Melding.status.in_([s.value for s in GESLOTEN]),
        Melding.gesloten_op.is_not(None),
        Melding.gesloten_op < grens,
    )


def anonimiseer_contacten(grens: datetime, nu: datetime) -> int:
    """Blank the e-mail of contacts of meldingen closed before `grens` (flushes)."""
    gesloten = select(Melding.id).where(_gesloten_voor(grens))
    resultaat = db.session.execute(
        update(Contact)
        .where(Contact.melding_id.in_(gesloten), Contact.email.is_not(None))
        .values(email=None, geanonimiseerd_op=nu)
        .execution_options(synchronize_session=False)
    )
    return resultaat.rowcount


def verwijder_fotos_geannuleerd(grens: datetime) -> list[str]:
    """Delete the photo rows of meldingen cancelled before `grens` (flushes).

    Returns the file names, which the caller removes after committing.
    """
    fotos = db.session.scalars(
        select(Foto).join(Melding).where(
            Melding.status == Status.GEANNULEERD.value,
            Melding.gesloten_op.is_not(None),
            Melding.gesloten_op < grens,
        )
    ).all()
    namen = [naam for foto in fotos for naam in (foto.bestand, foto.thumbnail)]
    for foto in fotos:
        db.session.delete(foto)
    db.session.flush()
    return namen


def leeg_oude_mails(grens: datetime, nu: datetime) -> int:
    """Blank recipient and text of outbox mail sent (or queued and never sent) before `grens`.

    Mail that never went out is given up as of `nu` (flushes).
    """
    resultaat = db.session.execute(
        update(Uitgaand)
        .where(
            or_(Uitgaand.aan != "", Uitgaand.tekst != ""),
            or_(
                Uitgaand.verzonden_op < grens,
                and_(Uitgaand.verzonden_op.is_(None), Uitgaand.created_at < grens),
            ),
        )
        # A mail that never went out must not be tried again to an empty address.
        .values(aan="", tekst="", opgegeven_op=case(
            (and_(Uitgaand.verzonden_op.is_(None), Uitgaand.opgegeven_op.is_(None)), nu),
            else_=Uitgaand.opgegeven_op,
        ))
        .execution_options(synchronize_session=False)
    )
    return resultaat.rowcount


def ruim_sessies_op(nu: datetime) -> int:
    """Delete the logins that expired before `nu` (flushes); a new login also removes its
    own user's expired ones, but someone who never logs in again would keep them forever."""
    return db.session.execute(
        delete(Sessie).where(Sessie.verloopt_op <= nu).execution_options(synchronize_session=False)
    ).rowcount


def ruim_wezen_op(nog_te_verwijderen: list[str]) -> list[str]:
    """Remove photo files that no row refers to (FOTO_KOLOMMEN) and are older than a day.

    Files of rows deleted in this run are left to `verwijder_bestanden()` after the commit.
    """
    in_gebruik = set(nog_te_verwijderen)
    for kolommen in FOTO_KOLOMMEN:
        for bestand, thumbnail in db.session.execute(select(*kolommen)):
            in_gebruik.update(naam for naam in (bestand, thumbnail) if naam)
    return media.opruimen(current_app.config["MEDIA_DIR"], in_gebruik, WEES_BESTAND_NA)


def pas_bewaartermijnen_toe(nu: datetime | None = None) -> Resultaat:
    """Anonymise and remove what the retention periods say must go; one audit line per kind.

    Flushes; the caller commits and then calls `verwijder_bestanden()` on the result.
    Should the process stop in between, the files are orphans the next run removes.
    """
    nu = nu or datetime.now(UTC)
    config = current_app.config
    grens = nu - timedelta(days=config["RETENTION_DAYS"])
    foto_grens = nu - timedelta(days=config["RETENTION_CANCELLED_PHOTO_DAYS"])
    bestanden = verwijder_fotos_geannuleerd(foto_grens)
    resultaat = Resultaat(
        contacten=anonimiseer_contacten(grens, nu),
        fotos=len(bestanden) // 2,
        mails=leeg_oude_mails(grens, nu),
        sessies=ruim_sessies_op(nu),
        wezen=ruim_wezen_op(bestanden),
        bestanden=bestanden,
    )
    resultaat.enquete_mails, resultaat.enquete_concepten = enquetes.vergeet(grens.date())
    db.session.expire_all()  # bulk updates bypassed the identity map
    datum = nu.date().isoformat()
    for actie, na in (
        ("retentie.contacten", {"aantal": resultaat.contacten,
                                "gesloten_voor": grens.date().isoformat()}),
        ("retentie.fotos", {"aantal": resultaat.fotos,
                            "geannuleerd_voor": foto_grens.date().isoformat()}),
        ("retentie.mails", {"aantal": resultaat.mails, "verstuurd_voor": grens.date().isoformat()}),
        ("retentie.wezen", {"aantal": len(resultaat.wezen)}),
        ("retentie.sessies", {"aantal": resultaat.sessies}),
        ("retentie.enquetes", {"aantal": resultaat.enquete_mails + resultaat.enquete_concepten,
                               "emails": resultaat.enquete_mails,
                               "concepten": resultaat.enquete_concepten,
                               "gesloten_voor": grens.date().isoformat()}),
    ):
        log(actie, door=None, object_type="retentie", object_id=datum, na=na)
    return resultaat
