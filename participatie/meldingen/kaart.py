"""The public map of meldingen and the public page of one melding.

Everything here is public: it never shows a description, an e-mail address, a token or a
photo that staff have not approved. Free text written by residents can hold personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from participatie.extensions import db, limiter
from participatie.gebieden.models import Buurt
from participatie.meldingen import bp
from participatie.meldingen.models import Contact, Foto, Melding
from participatie.meldingen.workflow import Status

TIJDZONE = ZoneInfo("Europe/Amsterdam")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")

# Above this many meldingen in view the map gets clusters instead of single points.
CLUSTER_DREMPEL = 250
# Never more single features than this in one response (keeps it well under 100 kB).
MAX_PUNTEN = 250
# Largest bbox we answer, in square degrees (Hengelo is about 0.02; the whole of NL ~ 12).
MAX_BBOX_GRADEN2 = 4.0
PER_PAGINA = 20


def datum_nl(moment: datetime | date | None) -> str:
    """'3 maart 2026' in Dutch local time."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(TIJDZONE).date()
    return f"{moment.day} {MAANDEN[moment.month - 1]} {moment.year}"


@bp.context_processor
def _kaart_context() -> dict:
    return {"datum_nl": datum_nl}


# --- Queries -------------------------------------------------------------------------


def publieke_melding(melding_id: int) -> Melding | None:
    """One melding with what its public page needs, or None."""
    return db.session.scalar(
        select(Melding)
        .where(Melding.id == melding_id)
        .options(
            selectinload(Melding.categorie),
            selectinload(Melding.buurt).selectinload(Buurt.wijk),
            selectinload(Melding.gebeurtenissen),
            selectinload(Melding.fotos),
            selectinload(Melding.contacten),
        )
    )


def publieke_fotos(melding: Melding) -> list[Foto]:
    return [f for f in melding.fotos if f.publiek and not f.verborgen]


def steun_aantal(melding: Melding) -> int:
    return sum(1 for c in melding.contacten if c.soort == Contact.STEUN)


def plek_van(melding: Melding) -> tuple[float, float] | None:
    if melding.locatie is None:
        return None
    row = db.session.execute(
        select(func.ST_Y(Melding.locatie), func.ST_X(Melding.locatie)).where(
            Melding.id == melding.id
        )
    ).one()
    return float(row[0]), float(row[1])


# --- Views ---------------------------------------------------------------------------


@bp.get("/kaart/meldingen/<int:id>")
def publiek(id: int):
    melding = publieke_melding(id)
    if melding is None:
        abort(404)
    if melding.status == Status.SAMENGEVOEGD and melding.samengevoegd_met_id:
        return redirect(url_for("meldingen.publiek", id=melding.samengevoegd_met_id))
    historie = [g for g in melding.gebeurtenissen if g.publiek]
    return render_template(
        "meldingen/publiek.html",
        melding=melding,
        status=melding.status_enum,
        historie=historie,
        fotos=publieke_fotos(melding),
        steun=steun_aantal(melding),
        plek=plek_van(melding),
    )


@bp.get("/kaart/fotos/<int:id>/<any(groot, klein):formaat>.jpg")
@limiter.exempt
def publieke_foto(id: int, formaat: str):
    """A photo that staff approved for the public; any other photo does not exist here."""
    foto = db.session.get(Foto, id)
    if foto is None or not foto.publiek or foto.verborgen:
        abort(404)
    bestand = foto.bestand if formaat == "groot" else foto.thumbnail
    response = send_from_directory(current_app.config["MEDIA_DIR"], bestand, max_age=3600)
    response.cache_control.public = True
    return response


@bp.get("/kaart")
def kaart():
    return "kaart"
