"""Buurtbudget ideas as the inbox's second kind of item (moderatie.inbox's InboxBron).

Who: beheerders and the stadsdeelregisseurs of the idea's wijk review ideas; wijkraadleden
of the wijk read them; partners have none (`buurtbudget.permissions`).

Segments (moderatie's urgency order):
- 0: the submitter answered a question (`Idee.antwoord_ontvangen`): staff should look again.
- 1: "over de termijn": still ingediend (never published nor refused) while its round has
  moved past indienen. Beoordelen is the last chance before voting; an idea still
  unreviewed when voting started stays here, so nobody forgets that it was left out.
- 2: the rest. Ideas have no deadline of their own.

Filters: wijk, buurt, free text (title and description; "I-12" or "12" finds the number),
and the round (`ronde`, this kind's own). Ideas are a few hundred per round, so the
existing `ix_idee_wijk_created` (a regisseur's wijk, newest first) and `ix_idee_ronde_status`
are all the indexes the list and the counts need.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from sqlalchemy import and_, func, not_, select, true

from participatie.accounts.permissions import Bereik, bereik
from participatie.buurtbudget import beoordeling
from participatie.buurtbudget.forms import IdeeBulkForm
from participatie.buurtbudget.models import Budgetronde, Idee
from participatie.buurtbudget.permissions import (
    leesbaar,
    mag_idee_lezen,
    mag_ideeen_lezen,
    mag_rondes_beheren,
)
from participatie.buurtbudget.workflow import OPEN_IDEE_WAARDEN, Fase, IdeeStatus
from participatie.extensions import db
from participatie.moderatie.inbox import (
    ActieGeweigerd,
    BulkActie,
    Filter,
    FilterVeld,
    InboxRij,
    Namen,
    Segment,
    een_van_ids,
    segment,
)
from participatie.moderatie.zoeken import Zoekvraag
from participatie.vragen import bewaard, in_vast, lees, parameter
from participatie.web import pad_per_id

SOORT = "idee"
LETTER = "I"  # of the idea number, "I-12"
VELDEN = (FilterVeld("ronde", "Buurtbudgetronde", alle="Alle rondes"),)
TE_LAAT = "Over de termijn"
ANTWOORD = "Indiener antwoordde"


def _voorbij_indienen():
    return Idee.ronde_id.in_(select(Budgetronde.id).where(Budgetronde.fase != Fase.INDIENEN))


def _te_laat():
    return and_(Idee.status == IdeeStatus.INGEDIEND.value, _voorbij_indienen())


def voorwaarden(user, f: Filter) -> list:
    """Scope and filter as conditions on `idee`."""
    conditions = [leesbaar(user, Idee.wijk_code)]
    if f.wijk:
        conditions.append(Idee.wijk_code == f.wijk)
    if f.buurt:
        conditions.append(Idee.buurt_code == f.buurt)
    if f.waarde("ronde"):
        conditions.append(Idee.ronde_id == f.waarde("ronde"))
    conditions.append(in_vast(Idee.status, f.statussen_voor(IdeeBron)))
    return conditions


def urgentie_van(antwoord_ontvangen: bool, status: str, fase: str) -> int:
    if antwoord_ontvangen:
        return 0
    return 1 if status == IdeeStatus.INGEDIEND and fase != Fase.INDIENEN else 2


def segment_van(antwoord_ontvangen: bool, status: str, fase: str, f: Filter) -> int:
    """The shared segment number (moderatie.inbox.segment): a text match of an idea counts as
    the whole-word layer of a search."""
    return segment(f, urgentie_van(antwoord_ontvangen, status, fase))


def ronde_namen(namen: Namen) -> dict[int, str]:
    return namen.onthoud("idee.rondes", lambda: dict(db.session.execute(
        select(Budgetronde.id, Budgetronde.naam)).all()))


# The rows of a page, built once (SQLAlchemy reuses its cache key), the ids as one array.
_RIJEN = (
    select(Idee.id, Idee.created_at, Idee.status, Idee.titel, Idee.locatie_tekst,
           func.left(Idee.omschrijving, 140).label("omschrijving"), Idee.buurt_code,
           Idee.wijk_code, Idee.ronde_id, Idee.antwoord_ontvangen, Budgetronde.fase)
    .join(Budgetronde, Budgetronde.id == Idee.ronde_id)
    .where(een_van_ids(Idee.id))
)


def _sleutel(vraag: Zoekvraag | None):
    """Where one idea sits in the list (`IdeeBron.sleutel`), its id a parameter."""
    laag = [vraag.laag(Idee.zoek_tsv).label("laag")] if vraag is not None else []
    return (select(Idee.wijk_code, Idee.antwoord_ontvangen, Idee.status, Idee.created_at,
                   Budgetronde.fase, *laag)
            .join(Budgetronde, Budgetronde.id == Idee.ronde_id).where(Idee.id == parameter("id")))


def _tellingen(wie: Bereik, f: Filter):
    """`IdeeBron.tellingen`'s statement: (status, count) per status."""
    conditions = voorwaarden(wie, f)
    if f.zoek:
        conditions.append(Zoekvraag.lees(f.zoek).treft(Idee.zoek_tsv, Idee.id, LETTER))
    return select(Idee.status, func.count()).where(*conditions).group_by(Idee.status)


class IdeeBron:
    """The inbox's view of buurtbudget ideas."""

    soort = SOORT
    naam = "Ideeën"
    velden = VELDEN
    statussen = tuple((s.value, s.label) for s in IdeeStatus)
    open_statussen = OPEN_IDEE_WAARDEN
    bulk_acties = (BulkActie("idee:publiceren", "Publiceren"),)
    bulk_template = "buurtbudget/beheer/_idee_bulk.html"

    @staticmethod
    def zichtbaar(user) -> bool:
        return mag_ideeen_lezen(user)

    @staticmethod
    def segmenten(user, f: Filter, dag: date) -> list[Segment]:
        basis = tuple(voorwaarden(user, f))
        if f.sortering == "nieuwste":
            delen = [(0, true())]
        else:
            te_laat = _te_laat()
            delen = [(0, Idee.antwoord_ontvangen),
                     (1, and_(not_(Idee.antwoord_ontvangen), te_laat)),
                     (2, and_(not_(Idee.antwoord_ontvangen), not_(te_laat)))]
        if f.zoek:
            return Zoekvraag.lees(f.zoek).segmenten(f, Idee.created_at, Idee.id, Idee.zoek_tsv,
                                                    LETTER, basis, delen)
        return [Segment(segment(f, urgentie), Idee.created_at, Idee.id, (*basis, conditie))
                for urgentie, conditie in delen]

    @staticmethod
    def rijen(ids: Sequence[int], f: Filter, dag: date, namen: Namen) -> dict[int, InboxRij]:
        if not ids:
            return {}
        rows = lees(_RIJEN, {"ids": list(ids)}).all()
        rondes, buurten = ronde_namen(namen), namen.buurt_namen()
        url = pad_per_id("buurtbudget.beheer_idee", "idee_id")
        rijen = {}
        for r in rows:
            status = IdeeStatus(r.status)
            urgentie = urgentie_van(r.antwoord_ontvangen, r.status, r.fase)
            signalen = (ANTWOORD,) if r.antwoord_ontvangen else (TE_LAAT,) if urgentie == 1 \
                else ()
            rijen[r.id] = InboxRij(
                soort=SOORT, id=r.id, nummer=f"I-{r.id}", titel=r.titel,
                samenvatting=r.omschrijving,
                plek=", ".join(filter(None, [r.locatie_tekst, buurten.get(r.buurt_code, ""),
                                             rondes.get(r.ronde_id, "")])),
                wijk_code=r.wijk_code, status=status.value, status_label=status.label,
                created_at=r.created_at, url=url(r.id),
                is_open=status.is_open, dringend=r.antwoord_ontvangen, signalen=signalen)
        return rijen

    @staticmethod
    def sleutel(user, id: int, f: Filter, dag: date) -> tuple[int, datetime] | None:
        vraag = Zoekvraag.lees(f.zoek) if f.zoek else None
        rij = lees(
            bewaard(("idee.sleutel", vraag.vorm if vraag else None), partial(_sleutel, vraag)),
            {"id": id, **f.parameters()}).one_or_none()
        if rij is None or not mag_idee_lezen(user, rij):
            return None
        if vraag is not None:
            urgentie = 0 if f.sortering == "nieuwste" else urgentie_van(
                rij.antwoord_ontvangen, rij.status, rij.fase)
            return vraag.segment_van(f, id, LETTER, urgentie, rij.laag), rij.created_at
        return segment_van(rij.antwoord_ontvangen, rij.status, rij.fase, f), rij.created_at

    @staticmethod
    def tellingen(user, f: Filter, dag: date) -> dict[str, int]:
        wie = bereik(user)
        q = bewaard(("idee.tellingen", wie, f.sleutel()), partial(_tellingen, wie, f))
        aantallen = dict(lees(q, f.parameters()).all())
        return {s.value: aantallen[s.value] for s in IdeeStatus if aantallen.get(s.value)}

    @staticmethod
    def filter_keuzes(user, namen: Namen) -> dict[str, list]:
        wie = bereik(user)
        rondes = lees(bewaard(("idee.rondes", wie), lambda: (
            select(Budgetronde.id, Budgetronde.naam)
            .where(leesbaar(wie, Budgetronde.wijk_code))
            .order_by(Budgetronde.indienen_vanaf.desc(), Budgetronde.id.desc()))))
        return {"ronde": [(r.id, r.naam) for r in rondes]}

    @staticmethod
    def mag_bulk(user) -> bool:
        return mag_rondes_beheren(user)

    @staticmethod
    def bulk_form(formdata=None) -> IdeeBulkForm:
        return IdeeBulkForm(formdata=formdata, prefix=SOORT)

    @staticmethod
    def bulk(user, actie: str, ids: list[int], form) -> int:
        if actie == "idee:publiceren":
            return beoordeling.bulk_publiceren(user, ids)
        raise ActieGeweigerd("Deze actie kent het buurtbudget niet.")
