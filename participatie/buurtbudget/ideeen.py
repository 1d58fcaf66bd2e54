"""Ideas from residents: submitting one, following one, answering a question about one, and
what the public pages read. Plain functions that flush; the view commits and sends the mail.

Staff decisions on ideas live in `buurtbudget.beoordeling`; both go through the phase rule
(`workflow.IDEE_ACTIE_FASEN`) and the status table (`Idee.wijzig_status`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import abort, render_template
from geoalchemy2 import WKTElement
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from participatie import mail
from participatie.buurtbudget.models import Budgetronde, Idee, IdeeUpdate, IdeeVolger
from participatie.buurtbudget.workflow import (
    PUBLIEK_IDEE,
    IdeeActie,
    IdeeStatus,
    controleer_actie,
)
from participatie.extensions import db
from participatie.gebieden.models import SRID, Buurt, Wijk
from participatie.gebieden.services import buurt_voor_punt
from participatie.media import VerwerkteFoto
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import absolute_url

GEEN_VRAAG = "Er staat op dit moment geen vraag aan u open bij dit idee."


class IdeeFout(ActieGeweigerd):
    """An idea that cannot be submitted or changed as asked; str(e) is Dutch, for residents."""


@dataclass
class IdeeGegevens:
    """What a resident fills in for an idea (the form's data, checked)."""

    titel: str
    omschrijving: str
    kosten_schatting: int
    plek: tuple[float, float] | None = None  # (latitude, longitude)
    locatie_tekst: str = ""
    buurt: Buurt | None = None  # chosen in the form when there is no point
    email: str | None = None
    foto: VerwerkteFoto | None = None


# --- The round's area ----------------------------------------------------------------------


def gebied_buurten(ronde: Budgetronde) -> list[Buurt]:
    """The buurten of the round's area: the ones it names, or every buurt of its wijk."""
    return list(ronde.buurten) or list(ronde.wijk.buurten)


def in_gebied(ronde: Budgetronde, buurt: Buurt) -> bool:
    codes = {b.code for b in ronde.buurten}
    return buurt.code in codes if codes else buurt.wijk_code == ronde.wijk_code


def buurt_in_ronde(ronde: Budgetronde, plek: tuple[float, float]) -> Buurt | None:
    """The buurt of a point if the point lies in the round's area; None otherwise.

    The point goes through gebieden's one lookup (PostGIS, gaps between generalised CBS
    buurten included), so an idea and a melding at the same spot get the same buurt.
    """
    buurt = buurt_voor_punt(*plek)
    return buurt if buurt is not None and in_gebied(ronde, buurt) else None


def buiten_gebied(ronde: Budgetronde) -> str:
    return (f"Deze plek ligt buiten het gebied van deze ronde ({ronde.gebied}). Zet de speld "
            "op een plek in dat gebied, of laat de kaart leeg en beschrijf de plek.")


def centrum(ronde: Budgetronde) -> tuple[float, float] | None:
    """A point inside the round's area, to open the map there."""
    if ronde.buurten:
        vorm = select(func.ST_Union(Buurt.geom)).where(
            Buurt.code.in_([b.code for b in ronde.buurten])).scalar_subquery()
    else:
        vorm = select(Wijk.geom).where(Wijk.code == ronde.wijk_code).scalar_subquery()
    punt = func.ST_PointOnSurface(vorm)
    rij = db.session.execute(select(func.ST_Y(punt), func.ST_X(punt))).one()
    return (float(rij[0]), float(rij[1])) if rij[0] is not None else None


# --- Submitting ----------------------------------------------------------------------------


def dien_in(ronde: Budgetronde, gegevens: IdeeGegevens, *, op: datetime | None = None,
            bevestigen: bool = True) -> Idee:
    """Store a resident's idea as ingediend, its submitter as follower; queue the mail.

    The one way an idea is made: by the form, and by demo data and tests (which pass the
    moment it was made, `op`, and `bevestigen=False` to send no e-mail). Refuses an idea
    outside the indienen phase or outside the round's area (IdeeFout).
    """
    controleer_actie(IdeeActie.INDIENEN, ronde.fase_enum)
    buurt = gegevens.buurt
    if gegevens.plek is not None:
        buurt = buurt_in_ronde(ronde, gegevens.plek)
        if buurt is None:
            raise IdeeFout(buiten_gebied(ronde))
    elif buurt is not None and not in_gebied(ronde, buurt):
        raise IdeeFout(buiten_gebied(ronde))
    elif buurt is None and len(ronde.buurten) == 1:
        buurt = ronde.buurten[0]
    plek = gegevens.plek
    idee = Idee(
        ronde=ronde, titel=gegevens.titel.strip(), omschrijving=gegevens.omschrijving.strip(),
        kosten_schatting=gegevens.kosten_schatting,
        locatie=WKTElement(f"POINT({plek[1]} {plek[0]})", srid=SRID) if plek else None,
        locatie_tekst=gegevens.locatie_tekst.strip(), wijk_code=ronde.wijk_code,
        buurt_code=buurt.code if buurt else None, status=IdeeStatus.INGEDIEND.value,
        foto_bestand=gegevens.foto.bestand if gegevens.foto else None,
        foto_thumbnail=gegevens.foto.thumbnail if gegevens.foto else None,
    )
    moment = {"created_at": op} if op is not None else {}
    if op is not None:
        idee.created_at = idee.updated_at = op
    idee.updates.append(IdeeUpdate(soort="status", status=IdeeStatus.INGEDIEND.value,
                                   tekst="Idee ontvangen.", publiek=True, **moment))
    if gegevens.email:
        idee.volgers.append(IdeeVolger(email=gegevens.email, indiener=True, **moment))
    db.session.add(idee)
    db.session.flush()
    if gegevens.email and bevestigen:
        mail.queue(gegevens.email, f"Uw idee {idee.nummer} is ontvangen", render_template(
            "buurtbudget/mail/ontvangen.txt", idee=idee,
            link=absolute_url("buurtbudget.mijn_idee_link", token=idee.token)))
    return idee


def al_bij_een_idee(namen: Sequence[str]) -> set[str]:
    """Which of these photo files an idea or a progress update already has."""
    namen = list(namen)
    gevonden = set()
    for model in (Idee, IdeeUpdate):
        rijen = db.session.execute(select(model.foto_bestand, model.foto_thumbnail).where(
            or_(model.foto_bestand.in_(namen), model.foto_thumbnail.in_(namen))))
        gevonden.update(naam for rij in rijen for naam in rij)
    return gevonden & set(namen)


# --- Reading -------------------------------------------------------------------------------


def idee_voor_token(token: str) -> Idee:
    """The idea behind a submitter's private link; 404 for anything else."""
    idee = None
    if len(token) <= 64:
        idee = db.session.scalar(select(Idee).where(Idee.token == token).options(
            selectinload(Idee.updates), selectinload(Idee.ronde)))
    if idee is None:
        abort(404)
    return idee


def publiek_idee(ronde: Budgetronde, idee_id: int) -> Idee:
    """A public idea of this round; 404 for one that is not (yet) public."""
    idee = db.session.scalar(select(Idee).where(Idee.id == idee_id, Idee.ronde_id == ronde.id)
                             .options(selectinload(Idee.updates), selectinload(Idee.buurt)))
    if idee is None or not idee.is_publiek:
        abort(404)
    return idee


def publieke_ideeen(ronde: Budgetronde) -> list[Idee]:
    """The round's public ideas: funded ones first, then by status and number."""
    ideeen = db.session.scalars(
        select(Idee).where(Idee.ronde_id == ronde.id,
                           Idee.status.in_([s.value for s in PUBLIEK_IDEE]))
        .order_by(Idee.id).options(selectinload(Idee.updates), selectinload(Idee.buurt)))
    volgorde = [s.value for s in IdeeStatus]
    return sorted(ideeen, key=lambda i: (not i.gekozen, volgorde.index(i.status), i.id))


def openbare_updates(idee: Idee) -> list[IdeeUpdate]:
    return [u for u in idee.updates if u.publiek]


def updates_voor_indiener(idee: Idee) -> list[IdeeUpdate]:
    """What the submitter reads on the private page: the public history plus the questions
    to them and their own answers."""
    return [u for u in idee.updates if u.publiek or u.soort in ("vraag", "antwoord")]


def laatste_voortgang(idee: Idee) -> IdeeUpdate | None:
    for update in reversed(idee.updates):
        if update.soort == "voortgang" and update.publiek:
            return update
    return None


def gestelde_vraag(idee: Idee) -> IdeeUpdate | None:
    """The staff's open question, while the idea waits for the submitter."""
    if idee.status_enum != IdeeStatus.VRAAG:
        return None
    for update in reversed(idee.updates):
        if update.soort == "vraag":
            return update
    return None


def plek_van(idee: Idee) -> tuple[float, float] | None:
    """(latitude, longitude), or None when the submitter put no pin on the map."""
    if idee.locatie is None:
        return None
    rij = db.session.execute(select(func.ST_Y(Idee.locatie), func.ST_X(Idee.locatie))
                             .where(Idee.id == idee.id)).one()
    return float(rij[0]), float(rij[1])


# --- Residents who follow, and the submitter's answer ---------------------------------------


def link_voor(volger: IdeeVolger, idee: Idee) -> str:
    """The submitter gets the private page of their own idea; others the public page."""
    if volger.indiener and volger.idee_id == idee.id:
        return absolute_url("buurtbudget.mijn_idee_link", token=idee.token)
    return absolute_url("buurtbudget.idee", ronde=idee.ronde.slug, idee_id=idee.id)


def mail_volgers(idee: Idee, onderwerp: str, kop: str, tekst: str, *,
                 alleen_indiener: bool = False, volg: Idee | None = None) -> int:
    """Queue news about `idee` to its followers (only the submitter: `alleen_indiener`);
    `volg` is the idea they follow from now on, after a merge. Returns how many."""
    volg = volg or idee
    berichten = []
    for volger in idee.volgers:
        if alleen_indiener and not volger.indiener:
            continue
        link = link_voor(volger, idee) if volg is idee or not volg.is_publiek else \
            absolute_url("buurtbudget.idee", ronde=volg.ronde.slug, idee_id=volg.id)
        berichten.append((volger.email, onderwerp, render_template(
            "buurtbudget/mail/nieuws.txt", idee=idee, kop=kop, tekst=tekst, link=link,
            indiener=volger.indiener, vraag=alleen_indiener)))
    mail.queue_many(berichten)
    return len(berichten)


def volg(idee: Idee, email: str) -> bool:
    """Add a follower to a public idea (flushes); False when the address already follows."""
    if not idee.is_publiek:
        raise IdeeFout("Dit idee kunt u (nog) niet volgen.")
    if any(v.email.lower() == email.lower() for v in idee.volgers):
        return False
    volger = IdeeVolger(email=email, indiener=False)
    idee.volgers.append(volger)
    db.session.flush()
    mail.queue(email, f"U volgt idee {idee.nummer}", render_template(
        "buurtbudget/mail/volgen.txt", idee=idee, link=link_voor(volger, idee)))
    return True


def beantwoord(idee: Idee, antwoord: str) -> IdeeUpdate:
    """Store the submitter's answer; the idea goes back to ingediend and to the top of the
    inbox (flushes)."""
    if idee.status_enum != IdeeStatus.VRAAG:
        raise IdeeFout(GEEN_VRAAG)
    controleer_actie(IdeeActie.ANTWOORDEN, idee.ronde.fase_enum)
    update = IdeeUpdate(soort="antwoord", tekst=antwoord.strip(), publiek=False)
    idee.updates.append(update)
    idee.wijzig_status(IdeeStatus.INGEDIEND)
    idee.antwoord_ontvangen = True
    db.session.flush()
    return update
