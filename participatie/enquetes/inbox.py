"""Open survey answers as the inbox's third kind of item (moderatie.inbox's InboxBron).

An answer to an open question marked `naar_inbox` becomes an item when its response is sent:
`Antwoord.inbox_status` is set, with the wijk of the respondent's buurt (or of the survey).
Who: beheerders and the stadsdeelregisseurs of the wijk handle them (reply, hide, close);
wijkraadleden of the wijk read them; partners have none (`enquetes.permissions`).

Answers have no deadline: every item is in the last urgency segment. Filters: wijk, buurt,
free text ("A-12" finds the number; the text through `zoek_tsv` and the GIN index of
migration 0013, partial on inbox items, with the wijk beside it) and the survey (`enquete`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from sqlalchemy import func, select

from participatie.accounts.permissions import Bereik, bereik
from participatie.enquetes.forms import AntwoordBulkForm
from participatie.enquetes.models import Antwoord, Enquete, Respons, Vraag
from participatie.enquetes.permissions import leesbaar, mag_antwoord_lezen, mag_lezen
from participatie.enquetes.workflow import OPEN_ANTWOORD_WAARDEN, AntwoordStatus
from participatie.extensions import db
from participatie.moderatie.inbox import (
    ActieGeweigerd,
    Filter,
    FilterVeld,
    InboxRij,
    Namen,
    Segment,
    segment,
)
from participatie.moderatie.zoeken import Zoekvraag
from participatie.vragen import bewaard, in_vast, lees, parameter
from participatie.web import pad

SOORT = "enquete_antwoord"  # also its wijkagenda BronType
LETTER = "A"
VELDEN = (FilterVeld("enquete", "Enquête", alle="Alle enquêtes"),)
URGENTIE = 2  # no deadline, nobody waits: the rest


def voorwaarden(user, f: Filter) -> list:
    """Scope and filter as conditions on `enquete_antwoord` (the search left out)."""
    conditions = [Antwoord.inbox_status.is_not(None), leesbaar(user, Antwoord.wijk_code),
                  in_vast(Antwoord.inbox_status, f.statussen_voor(AntwoordBron))]
    if f.wijk:
        conditions.append(Antwoord.wijk_code == f.wijk)
    if f.buurt:
        conditions.append(Antwoord.respons_id.in_(
            select(Respons.id).where(Respons.buurt_code == f.buurt)))
    if f.waarde("enquete"):
        conditions.append(Antwoord.vraag_id.in_(
            select(Vraag.id).where(Vraag.enquete_id == f.waarde("enquete"))))
    return conditions


def _sleutel(vraag: Zoekvraag | None):
    """Where one answer sits in the list (`AntwoordBron.sleutel`), its id a parameter."""
    laag = [vraag.laag(Antwoord.zoek_tsv).label("laag")] if vraag is not None else []
    return select(Antwoord.wijk_code, Antwoord.created_at, Antwoord.inbox_status,
                  *laag).where(Antwoord.id == parameter("id"))


def _tellingen(wie: Bereik, f: Filter):
    """`AntwoordBron.tellingen`'s statement: (status, count) per status."""
    conditions = voorwaarden(wie, f)
    if f.zoek:
        conditions.append(Zoekvraag.lees(f.zoek).treft(Antwoord.zoek_tsv, Antwoord.id, LETTER))
    return (select(Antwoord.inbox_status, func.count()).where(*conditions)
            .group_by(Antwoord.inbox_status))


class AntwoordBron:
    """The inbox's view of open survey answers."""

    soort = SOORT
    naam = "Enquête-antwoorden"
    velden = VELDEN
    statussen = tuple((s.value, s.label) for s in AntwoordStatus)
    open_statussen = OPEN_ANTWOORD_WAARDEN
    bulk_acties = ()
    bulk_template = "enquetes/beheer/_antwoord_bulk.html"

    @staticmethod
    def zichtbaar(user) -> bool:
        return mag_lezen(user)

    @staticmethod
    def segmenten(user, f: Filter, dag: date) -> list[Segment]:
        basis = tuple(voorwaarden(user, f))
        if f.zoek:
            return Zoekvraag.lees(f.zoek).segmenten(
                f, Antwoord.created_at, Antwoord.id, Antwoord.zoek_tsv, LETTER, basis,
                [(URGENTIE, Antwoord.id.is_not(None))])
        return [Segment(segment(f, URGENTIE), Antwoord.created_at, Antwoord.id, basis)]

    @staticmethod
    def rijen(ids: Sequence[int], f: Filter, dag: date, namen: Namen) -> dict[int, InboxRij]:
        if not ids:
            return {}
        rows = db.session.execute(
            select(Antwoord.id, Antwoord.created_at, Antwoord.inbox_status, Antwoord.wijk_code,
                   func.left(Antwoord.tekst, 140).label("tekst"), Vraag.tekst.label("vraag"),
                   Enquete.titel, Respons.buurt_code)
            .join(Vraag, Vraag.id == Antwoord.vraag_id)
            .join(Enquete, Enquete.id == Vraag.enquete_id)
            .join(Respons, Respons.id == Antwoord.respons_id)
            .where(Antwoord.id.in_(list(ids))))
        buurten = namen.buurt_namen()
        rijen = {}
        for r in rows:
            status = AntwoordStatus(r.inbox_status)
            rijen[r.id] = InboxRij(
                soort=SOORT, id=r.id, nummer=f"A-{r.id}", titel=r.vraag, samenvatting=r.tekst,
                plek=", ".join(filter(None, [buurten.get(r.buurt_code, ""), r.titel])),
                wijk_code=r.wijk_code or "", status=status.value, status_label=status.label,
                created_at=r.created_at, url=pad("enquetes.beheer_antwoord", antwoord_id=r.id),
                is_open=status.value in OPEN_ANTWOORD_WAARDEN)
        return rijen

    @staticmethod
    def sleutel(user, id: int, f: Filter, dag: date) -> tuple[int, datetime] | None:
        vraag = Zoekvraag.lees(f.zoek) if f.zoek else None
        rij = lees(
            bewaard(("enquete_antwoord.sleutel", vraag.vorm if vraag else None),
                    partial(_sleutel, vraag)),
            {"id": id, **f.parameters()}).one_or_none()
        if rij is None or rij.inbox_status is None or not mag_antwoord_lezen(user, rij):
            return None
        if vraag is not None:
            return vraag.segment_van(f, id, LETTER, URGENTIE, rij.laag), rij.created_at
        return segment(f, URGENTIE), rij.created_at

    @staticmethod
    def tellingen(user, f: Filter, dag: date) -> dict[str, int]:
        wie = bereik(user)
        q = bewaard(("enquete_antwoord.tellingen", wie, f.sleutel()), partial(_tellingen, wie, f))
        aantallen = dict(lees(q, f.parameters()).all())
        return {s.value: aantallen[s.value] for s in AntwoordStatus if aantallen.get(s.value)}

    @staticmethod
    def filter_keuzes(user, namen: Namen) -> dict[str, list]:
        wie = bereik(user)
        rows = lees(bewaard(("enquete_antwoord.enquetes", wie), lambda: (
            select(Enquete.id, Enquete.titel).where(leesbaar(wie, Enquete.wijk_code))
            .order_by(Enquete.open_vanaf.desc(), Enquete.id.desc()))))
        return {"enquete": [(r.id, r.titel) for r in rows]}

    @staticmethod
    def mag_bulk(user) -> bool:
        return False

    @staticmethod
    def bulk_form(formdata=None) -> AntwoordBulkForm:
        return AntwoordBulkForm(formdata=formdata, prefix=SOORT)

    @staticmethod
    def bulk(user, actie: str, ids: list[int], form) -> int:
        raise ActieGeweigerd("Voor enquête-antwoorden is er geen actie voor meerdere tegelijk.")
