"""Reading meldingen as Open311 service requests: the filters of GET requests and the fields.

Only what the public melding page shows (`meldingen.services.kaart.zichtbaar`, approved
photos): no description (residents' own words can hold personal data, and the public page
leaves it out too), no contact details, no internal notes, no tracking token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select, tuple_
from werkzeug.datastructures import MultiDict

from participatie.accounts.models import Organisatie
from participatie.api.formaat import Open311Fout, schoon
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.meldingen.models import Categorie, Foto, Gebeurtenis, Melding
from participatie.meldingen.services import absolute_url
from participatie.meldingen.services.kaart import zichtbaar
from participatie.meldingen.workflow import OPEN_WAARDEN, Status
from participatie.tijd import EERSTE_MOMENT, LAATSTE_MOMENT, TIJDZONE
from participatie.web import heel_getal

MAX_IDS = 100
MAX_PER_ANTWOORD = 1000
MAX_DAGEN = 90
# The public history entries that staff write: status_notes is the latest of these.
_NOTITIE_SOORTEN = (Gebeurtenis.STATUS, Gebeurtenis.BERICHT, Gebeurtenis.VRAAG)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Vraag:
    """The filters of one GET requests, read and checked."""

    ids: list[int] | None = None
    categorie_ids: list[int] = field(default_factory=list)
    van: datetime | None = None
    tot: datetime | None = None
    statussen: set[str] = field(default_factory=set)
    aantal: int = MAX_PER_ANTWOORD
    na: tuple[datetime, int] | None = None  # keyset: only requests older than this


def lees_vraag(args: MultiDict) -> Vraag:
    """The filters of GET requests; Open311Fout (400) names the first one that is wrong."""
    ids = _lijst(args.get("service_request_id"))
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Fout(400, f"Vraag hoogstens {MAX_IDS} service_request_id's tegelijk; "
                                   f"u vroeg er {len(ids)}.")
        return Vraag(ids=[_id(i) for i in ids])
    vraag = Vraag(categorie_ids=_categorie_ids(_lijst(args.get("service_code"))))
    vraag.van, vraag.tot = _periode(args.get("start_date"), args.get("end_date"))
    for status in _lijst(args.get("status")):
        if status not in ("open", "closed"):
            raise Open311Fout(400, f"status '{schoon(status, 40)}' bestaat niet: gebruik open, "
                                   "closed of allebei (open,closed).")
        vraag.statussen.add(status)
    if (args.get("page_size") or "").strip():
        vraag.aantal = heel_getal(args["page_size"].strip()) or 0
        if not 1 <= vraag.aantal <= MAX_PER_ANTWOORD:
            raise Open311Fout(400, f"page_size is een heel getal van 1 tot en met "
                                   f"{MAX_PER_ANTWOORD}.")
    if (args.get("after") or "").strip():
        vraag.na = lees_cursor(args["after"].strip())
    return vraag


def zoek(vraag: Vraag) -> tuple[list[dict], tuple[datetime, int] | None]:
    """The requests that match, newest first, and the keyset of the next page (or None)."""
    voorwaarden = zichtbaar()
    if vraag.ids is not None:
        voorwaarden.append(Melding.id.in_(vraag.ids))
    else:
        voorwaarden += [Melding.created_at >= vraag.van, Melding.created_at <= vraag.tot]
        if vraag.categorie_ids:
            voorwaarden.append(Melding.categorie_id.in_(vraag.categorie_ids))
        if vraag.statussen == {"open"}:
            voorwaarden.append(Melding.status.in_(OPEN_WAARDEN))
        elif vraag.statussen == {"closed"}:
            voorwaarden.append(Melding.status == Status.AFGEHANDELD.value)
        if vraag.na is not None:
            voorwaarden.append(tuple_(Melding.created_at, Melding.id) < tuple_(*vraag.na))
    rijen = db.session.execute(
        _select().where(*voorwaarden)
        .order_by(Melding.created_at.desc(), Melding.id.desc())
        .limit(vraag.aantal + 1)
    ).all()
    volgende = None
    if len(rijen) > vraag.aantal and vraag.ids is None:
        rijen = rijen[:vraag.aantal]
        volgende = (rijen[-1].created_at, rijen[-1].id)
    return als_verzoeken(rijen), volgende


def een(melding_id: int) -> dict | None:
    """One request, if the public may see it."""
    rij = db.session.execute(_select().where(Melding.id == melding_id, *zichtbaar())).first()
    return als_verzoeken([rij])[0] if rij is not None else None


def cursor(volgende: tuple[datetime, int]) -> str:
    """The `after` value of the next page: opaque to clients, <microseconds>.<id> to us."""
    moment, melding_id = volgende
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}.{melding_id}"


def lees_cursor(waarde: str) -> tuple[datetime, int]:
    delen = waarde.split(".")
    if len(delen) == 2 and all(d.isascii() and d.isdigit() for d in delen) \
            and len(delen[0]) <= 17:
        moment = _EPOCH + timedelta(microseconds=int(delen[0]))
        melding_id = heel_getal(delen[1])
        if melding_id is not None and EERSTE_MOMENT <= moment < LAATSTE_MOMENT:
            return moment, melding_id
    raise Open311Fout(400, "after is geen geldige waarde. Gebruik de link uit de Link-header "
                           "van de vorige pagina.")


def _select():
    # The latest public message of staff and the first approved photo, per row in the same
    # query: PostgreSQL looks them up only for the rows the LIMIT keeps.
    notitie = (select(Gebeurtenis.tekst)
               .where(Gebeurtenis.melding_id == Melding.id, Gebeurtenis.publiek,
                      Gebeurtenis.tekst != "", Gebeurtenis.soort.in_(_NOTITIE_SOORTEN))
               .order_by(Gebeurtenis.id.desc()).limit(1).scalar_subquery())
    foto = (select(Foto.id)
            .where(Foto.melding_id == Melding.id, Foto.publiek, Foto.verborgen.is_(False))
            .order_by(Foto.id).limit(1).scalar_subquery())
    return (
        select(Melding.id, Melding.status, Melding.created_at, Melding.updated_at,
               Melding.gesloten_op, Melding.deadline, Melding.buurt_code,
               Categorie.slug, Categorie.naam.label("categorie_naam"),
               Categorie.afhandeltermijn_werkdagen.label("termijn"),
               Organisatie.naam.label("organisatie_naam"),
               func.ST_Y(Melding.locatie).label("lat"), func.ST_X(Melding.locatie).label("lon"),
               notitie.label("notitie"), foto.label("foto"))
        .join(Categorie, Categorie.id == Melding.categorie_id)
        .outerjoin(Organisatie, Organisatie.id == Melding.organisatie_id)
    )


def als_verzoeken(rijen) -> list[dict]:
    """Rows of `_select()` as Open311 requests."""
    adressen = _adressen()
    verwacht: dict = {}  # deadline date -> its W3C end of day (many rows share one)
    verzoeken = []
    for r in rijen:
        is_open = r.status in OPEN_WAARDEN
        if r.deadline not in verwacht:
            verwacht[r.deadline] = w3c(datetime.combine(r.deadline, time(23, 59, 59),
                                                        TIJDZONE))
        verzoeken.append({
            "service_request_id": r.id,
            "status": "open" if is_open else "closed",
            "status_notes": r.notitie,
            "service_name": r.categorie_naam,
            "service_code": r.slug,
            "description": None,
            "agency_responsible": r.organisatie_naam,
            "service_notice": service_notice(r.termijn) if is_open else None,
            "requested_datetime": w3c(r.created_at),
            "updated_datetime": w3c(r.updated_at if is_open or r.gesloten_op is None
                                    else r.gesloten_op),
            "expected_datetime": verwacht[r.deadline],
            "address": adressen.get(r.buurt_code),
            "lat": round(r.lat, 6),
            "long": round(r.lon, 6),
            "media_url": absolute_url("meldingen.publieke_foto", id=r.foto, formaat="groot")
            if r.foto else None,
        })
    return verzoeken


def service_notice(termijn: int) -> str:
    return f"Wij handelen dit binnen {termijn} werkdagen af."


def w3c(moment: datetime) -> str:
    """A W3C datetime in the gemeente's time, with its offset: 2026-11-24T14:05:00+01:00."""
    return moment.astimezone(TIJDZONE).isoformat(timespec="seconds")


def _adressen() -> dict[str, str]:
    """Per buurt "De Noork, Noord, Hengelo": what the public page says of the place."""
    gemeente = current_app.config["GEMEENTE_NAAM"]
    rijen = db.session.execute(select(Buurt.code, Buurt.naam, Wijk).join(Buurt.wijk)).all()
    return {code: f"{naam}, {wijk.korte_naam}, {gemeente}" for code, naam, wijk in rijen}


def _lijst(waarde: str | None) -> list[str]:
    return [d.strip() for d in (waarde or "").split(",") if d.strip()]


def _id(waarde: str) -> int:
    melding_id = heel_getal(waarde.upper().removeprefix("M-"))
    if melding_id is None:
        raise Open311Fout(400, f"service_request_id '{schoon(waarde, 40)}' is geen nummer van "
                               "een melding.")
    return melding_id


def _categorie_ids(codes: list[str]) -> list[int]:
    if not codes:
        return []
    gevonden = dict(db.session.execute(
        select(Categorie.slug, Categorie.id).where(Categorie.slug.in_(c[:60] for c in codes))
    ).all())
    for code in codes:
        if code not in gevonden:
            raise Open311Fout(400, f"service_code '{schoon(code, 60)}' bestaat niet. Zie "
                                   "services.json voor de codes.")
    return list(gevonden.values())


def _periode(start: str | None, eind: str | None) -> tuple[datetime, datetime]:
    van = lees_moment(start, "start_date")
    tot = lees_moment(eind, "end_date")
    if van is None and tot is None:
        tot = datetime.now(UTC)
    if van is None:
        van = tot - timedelta(days=MAX_DAGEN)
    if tot is None:
        tot = van + timedelta(days=MAX_DAGEN)
    if tot < van:
        raise Open311Fout(400, "end_date ligt voor start_date.")
    if tot - van > timedelta(days=MAX_DAGEN):
        raise Open311Fout(400, f"Tussen start_date en end_date mag hoogstens {MAX_DAGEN} "
                               "dagen zitten.")
    return van, tot


def lees_moment(waarde: str | None, naam: str) -> datetime | None:
    """A W3C datetime with its offset (2026-11-24T10:00:00Z, …+01:00), or a date alone
    (midnight in the gemeente); None when empty; Open311Fout (400) otherwise."""
    waarde = (waarde or "").strip()
    if not waarde:
        return None
    fout = Open311Fout(400, f"{naam} is geen W3C-datum en -tijd. Voorbeeld: "
                            "2026-11-24T00:00:00Z of 2026-11-24T00:00:00+01:00.")
    try:
        moment = datetime.fromisoformat(waarde) if len(waarde) <= 40 else None
    except ValueError:
        moment = None
    if moment is None:
        raise fout
    if len(waarde) == 10:  # a date alone
        moment = moment.replace(tzinfo=TIJDZONE)
    if moment.tzinfo is None:
        raise Open311Fout(400, f"{naam} heeft geen tijdzone. Zet er Z (UTC) of bijvoorbeeld "
                               "+01:00 achter.")
    if not EERSTE_MOMENT <= moment < LAATSTE_MOMENT:
        raise Open311Fout(400, f"{naam} moet tussen het jaar 2000 en 2199 liggen.")
    return moment
