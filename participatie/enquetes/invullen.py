"""Answering a survey: the draft tied to a browser (or a code from a letter), pages with
server-side conditions, and sending. Services flush; the view commits.

Drafts live on the server, so a reload or a lost connection loses no answer given: every page
is saved when the resident moves on. The browser's token is a random cookie; only its keyed
hash is stored (`browser_hash`). The unique constraints on (survey, browser hash) and on the
code keep one response per person however many requests race; a sent response cannot change.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from participatie import codes
from participatie.enquetes import tellingen
from participatie.enquetes.models import Antwoord, Enquete, Enquetecode, Respons, Vraag
from participatie.enquetes.services import code_sleutel
from participatie.enquetes.workflow import AntwoordStatus, VraagType
from participatie.extensions import db
from participatie.forms import lees_coordinaten
from participatie.gebieden.models import Buurt
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.tijd import vandaag

log = logging.getLogger(__name__)
MAX_TEKST = 5000


class InvulFout(ActieGeweigerd):
    """Answering cannot go on as asked; str(e) is Dutch, for the resident."""


AL_INGEVULD = ("U heeft deze enquête al ingevuld. Iedereen kan één keer meedoen; uw antwoorden "
               "zijn opgeslagen. Bedankt!")


def browser_hash(token: str) -> str:
    sleutel = current_app.config["SECRET_KEY"].encode()
    return hmac.new(sleutel, token.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def respons_van(enquete: Enquete, hash_: str | None) -> Respons | None:
    if not hash_:
        return None
    return db.session.scalar(select(Respons).where(Respons.enquete_id == enquete.id,
                                                   Respons.browser_hash == hash_))


def begin(enquete: Enquete, hash_: str) -> Respons:
    """This browser's draft, made if there is none (flushes)."""
    db.session.execute(pg_insert(Respons).values(
        enquete_id=enquete.id, browser_hash=hash_, pagina=1).on_conflict_do_nothing())
    return respons_van(enquete, hash_)


def met_code(enquete: Enquete, getypt: str, hash_: str) -> Respons:
    """The draft of the code the resident typed, now tied to this browser; InvulFout when the
    code is wrong, unknown or already used for a sent response."""
    try:
        code = codes.controleer(getypt, soort="enquêtecode")
    except codes.CodeFout as fout:
        raise InvulFout(str(fout)) from fout
    rij = db.session.scalar(select(Enquetecode).where(
        Enquetecode.code_hash == codes.hash_code(code, code_sleutel()))
        .with_for_update())
    if rij is None or rij.enquete_id != enquete.id:
        log.warning("onbekende enquêtecode voor enquête %s", enquete.id)
        raise InvulFout("Deze code kennen wij niet voor deze enquête. Kijk of u de code uit "
                        "de brief voor deze enquête gebruikt.")
    bestaand = db.session.scalar(select(Respons).where(Respons.code_id == rij.id))
    if bestaand is not None and bestaand.verzonden_op is not None:
        raise InvulFout("Met deze code is de enquête al ingevuld. Iedereen kan één keer "
                        "meedoen.")
    eigen = respons_van(enquete, hash_)
    if bestaand is None:
        if eigen is None or eigen.code_id is not None:
            eigen = eigen if eigen is not None and eigen.code_id == rij.id else None
        if eigen is None:
            db.session.execute(delete(Respons).where(Respons.enquete_id == enquete.id,
                                                     Respons.browser_hash == hash_))
            eigen = Respons(enquete_id=enquete.id, browser_hash=hash_, pagina=1)
            db.session.add(eigen)
        eigen.code_id, eigen.buurt_code = rij.id, rij.buurt_code
        db.session.flush()
        return eigen
    # The draft of this code was begun elsewhere (another phone): carry on with it here.
    if eigen is not None and eigen.id != bestaand.id:
        db.session.delete(eigen)
        db.session.flush()
    bestaand.browser_hash = hash_
    db.session.flush()
    return bestaand


# --- Pages and conditions -----------------------------------------------------------------


Waarden = dict[int, object]  # vraag id -> list[int] (options), int, str or (lat, lon, text)


def huidige_waarden(respons: Respons | None) -> Waarden:
    """What this draft holds, per question."""
    if respons is None:
        return {}
    waarden: Waarden = {}
    rows = db.session.execute(
        select(Antwoord.vraag_id, Antwoord.optie_id, Antwoord.getal, Antwoord.tekst,
               func.ST_Y(Antwoord.locatie).label("lat"), func.ST_X(Antwoord.locatie)
               .label("lon"))
        .where(Antwoord.respons_id == respons.id).order_by(Antwoord.id))
    for a in rows:
        if a.optie_id is not None:
            waarden.setdefault(a.vraag_id, []).append(a.optie_id)
        elif a.getal is not None:
            waarden[a.vraag_id] = a.getal
        elif a.lat is not None:
            waarden[a.vraag_id] = (a.lat, a.lon, a.tekst or "")
        elif a.tekst is not None:
            waarden[a.vraag_id] = a.tekst
    return waarden


def zichtbaar(vraag: Vraag, waarden: Waarden) -> bool:
    """Whether the question is asked, given the earlier answers."""
    if vraag.toon_als_vraag_id is None:
        return True
    antwoord = waarden.get(vraag.toon_als_vraag_id)
    if isinstance(antwoord, list):
        return vraag.toon_als_waarde in antwoord
    return antwoord is not None and antwoord == vraag.toon_als_waarde


def paginas(enquete: Enquete, waarden: Waarden) -> list[int]:
    """The page numbers with at least one question to ask, in order."""
    return sorted({v.pagina for v in enquete.vragen if zichtbaar(v, waarden)})


def vragen_op(enquete: Enquete, pagina: int, waarden: Waarden) -> list[Vraag]:
    return [v for v in enquete.vragen if v.pagina == pagina and zichtbaar(v, waarden)]


def buurt_keuzes(enquete: Enquete) -> list[Buurt]:
    """The buurten a resident without a code can choose from."""
    if enquete.buurten:
        return list(enquete.buurten)
    query = select(Buurt).order_by(Buurt.naam)
    if enquete.wijk_code:
        query = query.where(Buurt.wijk_code == enquete.wijk_code)
    return list(db.session.scalars(query))


@dataclass
class Pagina:
    """One page as posted: the values read and a Dutch error per question."""

    waarden: Waarden = field(default_factory=dict)
    fouten: dict[int, str] = field(default_factory=dict)


def lees_pagina(vragen: list[Vraag], form, *, streng: bool) -> Pagina:
    """Read the answers to `vragen` from the posted form (`v<id>`, and `v<id>_lat`/`_lon` for
    a place). `streng`: required questions must be answered."""
    uit = Pagina()
    for vraag in vragen:
        naam, soort = f"v{vraag.id}", vraag.type_enum
        fout = None
        if soort.met_opties:
            geldig = {o.id for o in vraag.opties}
            gekozen = [int(w) for w in form.getlist(naam)[:60] if w.isdigit() and len(w) < 10]
            gekozen = list(dict.fromkeys(i for i in gekozen if i in geldig))
            if soort == VraagType.EEN_KEUZE and len(gekozen) > 1:
                fout, gekozen = "Kies één antwoord.", gekozen[:1]
            elif vraag.max_keuzes and len(gekozen) > vraag.max_keuzes:
                fout = f"Kies hoogstens {vraag.max_keuzes} antwoorden; u koos er {len(gekozen)}."
            if gekozen:
                uit.waarden[vraag.id] = gekozen
        elif soort.bereik:
            tekst = (form.get(naam) or "").strip()
            laag, hoog = soort.bereik
            if tekst:
                if tekst.isdigit() and len(tekst) < 4 and laag <= int(tekst) <= hoog:
                    uit.waarden[vraag.id] = int(tekst)
                else:
                    fout = f"Kies een antwoord van {laag} tot en met {hoog}."
        elif soort == VraagType.OPEN:
            tekst = (form.get(naam) or "").strip()
            grens = min(vraag.max_lengte or MAX_TEKST, MAX_TEKST)
            if len(tekst) > grens:
                fout = f"Uw antwoord is {len(tekst)} tekens; hoogstens {grens} kan."
            if tekst:
                uit.waarden[vraag.id] = tekst
        elif soort == VraagType.PLEK:
            tekst = (form.get(naam) or "").strip()[:300]
            try:
                punt = lees_coordinaten(form.get(f"{naam}_lat"), form.get(f"{naam}_lon"))
            except ValueError:
                punt, fout = None, "De plek is niet goed doorgekomen. Zet de speld opnieuw."
            if punt or tekst:
                uit.waarden[vraag.id] = (*(punt or (None, None)), tekst)
        if fout is None and streng and vraag.verplicht and vraag.id not in uit.waarden:
            fout = "Deze vraag is verplicht. Kies of vul een antwoord in."
        if fout:
            uit.fouten[vraag.id] = fout
    return uit


def _rijen(respons: Respons, vraag: Vraag, waarde) -> list[dict]:
    basis = {"respons_id": respons.id, "vraag_id": vraag.id}
    if isinstance(waarde, list):
        return [{**basis, "optie_id": o} for o in waarde]
    if isinstance(waarde, int):
        return [{**basis, "getal": waarde}]
    if isinstance(waarde, tuple):
        lat, lon, tekst = waarde
        locatie = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326) if lat is not None \
            else None
        return [{**basis, "tekst": tekst or None, "locatie": locatie}]
    return [{**basis, "tekst": waarde}]


def sla_op(respons: Respons, vragen: list[Vraag], waarden: Waarden) -> None:
    """Replace the draft's answers to these questions (flushes). A sent response is final."""
    if respons.verzonden_op is not None:
        raise InvulFout(AL_INGEVULD)
    ids = [v.id for v in vragen]
    db.session.execute(delete(Antwoord).where(Antwoord.respons_id == respons.id,
                                              Antwoord.vraag_id.in_(ids)))
    rijen = [r for v in vragen if v.id in waarden for r in _rijen(respons, v, waarden[v.id])]
    for rij in rijen:
        if "locatie" in rij:
            db.session.execute(insert(Antwoord).values(**rij))
    gewoon = [r for r in rijen if "locatie" not in r]
    if gewoon:
        db.session.execute(insert(Antwoord), [{"optie_id": None, "getal": None, "tekst": None,
                                               **r} for r in gewoon])


def verstuur(enquete: Enquete, respons: Respons, email: str | None) -> int | None:
    """Send the response: None when sent; else the first page with an unanswered required
    question. Answers to questions no longer asked (a condition changed) are dropped, and
    open answers to inbox questions become inbox items (flushes)."""
    waarden = huidige_waarden(respons)
    for pagina in paginas(enquete, waarden):
        if any(v.verplicht and v.id not in waarden for v in vragen_op(enquete, pagina, waarden)):
            return pagina
    verborgen = [v.id for v in enquete.vragen if not zichtbaar(v, waarden)]
    if verborgen:
        db.session.execute(delete(Antwoord).where(Antwoord.respons_id == respons.id,
                                                  Antwoord.vraag_id.in_(verborgen)))
    verzonden = db.session.execute(
        update(Respons).where(Respons.id == respons.id, Respons.verzonden_op.is_(None))
        .values(verzonden_op=vandaag(), email=email or None).returning(Respons.id)).first()
    if verzonden is None:
        raise InvulFout(AL_INGEVULD)
    inbox_vragen = [v.id for v in enquete.vragen if v.naar_inbox]
    if inbox_vragen:
        wijk = enquete.wijk_code
        if respons.buurt_code:
            wijk = db.session.scalar(select(Buurt.wijk_code).where(
                Buurt.code == respons.buurt_code)) or wijk
        db.session.execute(
            update(Antwoord).where(Antwoord.respons_id == respons.id,
                                   Antwoord.vraag_id.in_(inbox_vragen),
                                   Antwoord.tekst.is_not(None))
            .values(inbox_status=AntwoordStatus.NIEUW.value, wijk_code=wijk,
                    created_at=func.now()))
    tellingen.tel_respons(respons)
    db.session.expire(respons)
    return None
