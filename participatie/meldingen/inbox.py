"""Meldingen as the inbox's first kind of item (moderatie.inbox's InboxBron).

The list conditions are written so that the covering partial indexes of migrations 0003 and
0006 answer the keys of a page without visiting the table, and the counts come from
`melding_telling`, which triggers keep exact. Free text is searched with
`moderatie.zoeken` in `Melding.zoek_tsv` (description and location text, GIN index of
migration 0009) and the melding number ("M-123"). Bulk actions go through `meldingen.bulk`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from sqlalchemy import and_, exists, func, not_, select, true
from wtforms.fields.choices import SelectChoice

from participatie.accounts import services as accounts_services
from participatie.accounts.permissions import Bereik, bereik
from participatie.accounts.services import OrganisatieNaam
from participatie.meldingen import permissions, services
from participatie.meldingen.forms import BulkForm, organisatie_keuzes
from participatie.meldingen.models import Foto, Melding, MeldingTelling
from participatie.meldingen.services import bulk
from participatie.meldingen.workflow import GESLOTEN, OPEN, OPEN_WAARDEN, Status
from participatie.moderatie.inbox import (
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

SOORT = "melding"
LETTER = "M"  # of the melding number, "M-123"
VELDEN = (
    FilterVeld("categorie", "Categorie", alle="Alle categorieën"),
    FilterVeld("organisatie", "Toegewezen aan", alle="Iedereen"),
    FilterVeld("te_laat", "Over de termijn", soort="vinkje"),
    FilterVeld("met_foto", "Met foto", soort="vinkje"),
)


def categorie_namen(namen: Namen) -> dict[int, str]:
    return namen.onthoud("melding.categorieen", services.categorie_namen)


def organisaties(namen: Namen) -> tuple[OrganisatieNaam, ...]:
    return namen.onthoud("organisaties", accounts_services.organisaties)


def _te_laat(dag: date):
    return and_(in_vast(Melding.status, OPEN_WAARDEN), Melding.deadline < dag)


def voorwaarden(user, f: Filter, dag: date) -> list:
    """Scope and filter as conditions on `melding`, the search left out (see `segmenten` and
    `tellingen`)."""
    conditions = [permissions.zichtbaar(user, Melding.wijk_code, Melding.organisatie_id)]
    if f.wijk:
        conditions.append(Melding.wijk_code == f.wijk)
    if f.buurt:
        conditions.append(Melding.buurt_code == f.buurt)
    if f.waarde("categorie"):
        conditions.append(Melding.categorie_id == f.waarde("categorie"))
    if f.waarde("organisatie"):
        conditions.append(Melding.organisatie_id == f.waarde("organisatie"))
    # The exact open list (not a subset written differently) is what matches the predicate
    # of the partial indexes.
    conditions.append(in_vast(Melding.status, f.statussen_voor(MeldingBron)))
    if f.waarde("te_laat"):
        conditions.append(_te_laat(dag))
    if f.waarde("met_foto"):
        conditions.append(exists().where(Foto.melding_id == Melding.id))
    return conditions


def _segment_condities(f: Filter, dag: date) -> list[tuple[int, object]]:
    """(urgency, condition) in display order; `moderatie.inbox.segment` numbers them."""
    if f.sortering == "nieuwste":
        return [(0, true())]
    statussen = [Status(s) for s in f.statussen_voor(MeldingBron)]
    if all(s in OPEN for s in statussen):
        laat, op_tijd = Melding.deadline < dag, Melding.deadline >= dag
    elif all(s in GESLOTEN for s in statussen):
        laat, op_tijd = None, true()
    else:
        laat, op_tijd = _te_laat(dag), not_(_te_laat(dag))
    # The bare column (not "IS TRUE") is what lets PostgreSQL use the partial index
    # ix_melding_heropen_dekkend; heropen_verzoek is NOT NULL, so both mean the same.
    segmenten = [(0, Melding.heropen_verzoek)]
    if laat is not None:
        segmenten.append((1, and_(not_(Melding.heropen_verzoek), laat)))
    segmenten.append((2, and_(not_(Melding.heropen_verzoek), op_tijd)))
    return segmenten


def urgentie_van(melding, f: Filter, dag: date) -> int:
    if f.sortering == "nieuwste" or melding.heropen_verzoek:
        return 0
    return 1 if Status(melding.status).is_open and melding.deadline < dag else 2


_STATUS = {s.value: (s.value, s.label, s.is_open) for s in Status}  # per row: no enum work
# The rows of a page, built once (SQLAlchemy reuses its cache key), the ids as one array.
_RIJEN = select(
    Melding.id,
    Melding.created_at,
    Melding.status,
    Melding.deadline,
    Melding.heropen_verzoek,
    func.left(Melding.omschrijving, 140).label("omschrijving"),
    Melding.locatie_tekst,
    Melding.categorie_id,
    Melding.buurt_code,
    Melding.wijk_code,
    Melding.organisatie_id,
).where(een_van_ids(Melding.id))


def _telling_voorwaarden(user, f: Filter) -> list:
    """`voorwaarden` for melding_telling (organisatie 0 stands for none)."""
    t = MeldingTelling
    conditions = [permissions.zichtbaar(user, t.wijk_code, t.organisatie_id)]
    for kolom, waarde in ((t.wijk_code, f.wijk), (t.buurt_code, f.buurt),
                          (t.categorie_id, f.waarde("categorie")),
                          (t.organisatie_id, f.waarde("organisatie"))):
        if waarde:
            conditions.append(kolom == waarde)
    conditions.append(in_vast(t.status, f.statussen_voor(MeldingBron)))
    return conditions


def _sleutel(vraag: Zoekvraag | None):
    """Where one melding sits in the list (`MeldingBron.sleutel`), its id a parameter."""
    return select(Melding.wijk_code, Melding.organisatie_id, Melding.heropen_verzoek,
                  Melding.status, Melding.deadline, Melding.created_at,
                  *([vraag.laag(Melding.zoek_tsv).label("laag")] if vraag else [])
                  ).where(Melding.id == parameter("id"))


def _tellingen(wie: Bereik, f: Filter, dag: date):
    """`MeldingBron.tellingen`'s statement: (status, count) per status."""
    if f.waarde("te_laat") or f.waarde("met_foto") or f.zoek:
        conditions = voorwaarden(wie, f, dag)
        if f.zoek:
            conditions.append(Zoekvraag.lees(f.zoek).treft(Melding.zoek_tsv, Melding.id, LETTER))
        q = select(Melding.status, func.count()).where(*conditions)
    else:
        q = select(MeldingTelling.status, func.sum(MeldingTelling.aantal)).where(
            *_telling_voorwaarden(wie, f))
    return q.group_by(q.selected_columns[0])


class MeldingBron:
    """The inbox's view of meldingen."""

    soort = SOORT
    naam = "Meldingen"
    velden = VELDEN
    statussen = tuple((s.value, s.label) for s in Status)
    open_statussen = OPEN_WAARDEN
    bulk_acties = (BulkActie("melding:status", "Status wijzigen"),
                   BulkActie("melding:toewijzen", "Toewijzen"))
    bulk_template = "meldingen/beheer/_bulk.html"

    @staticmethod
    def zichtbaar(user) -> bool:
        return permissions.is_staf(user)

    @staticmethod
    def segmenten(user, f: Filter, dag: date) -> list[Segment]:
        basis = voorwaarden(user, f, dag)
        if f.zoek:
            return Zoekvraag.lees(f.zoek).segmenten(
                f, Melding.created_at, Melding.id, Melding.zoek_tsv, LETTER, basis,
                _segment_condities(f, dag))
        return [Segment(segment(f, urgentie), Melding.created_at, Melding.id,
                        (*basis, conditie)) for urgentie, conditie in _segment_condities(f, dag)]

    @staticmethod
    def rijen(ids: Sequence[int], f: Filter, dag: date, namen: Namen) -> dict[int, InboxRij]:
        if not ids:
            return {}
        rows = lees(_RIJEN, {"ids": list(ids)}).all()
        categorie, buurt = categorie_namen(namen), namen.buurt_namen()
        organisatie = {o.id: o.naam for o in organisaties(namen)}
        url = pad_per_id("meldingen.beheer")
        rijen = {}
        # Unpacked in _RIJEN's order: a name looked up on a row costs more than the rest of
        # the row, 50 rows a page.
        for (ident, created_at, status, deadline, heropen, omschrijving, locatie_tekst,
             categorie_id, buurt_code, wijk_code, organisatie_id) in rows:
            status, label, is_open = _STATUS[status]
            te_laat = is_open and deadline < dag
            signalen = (("Melder: niet opgelost",) if heropen else ()) + (
                ("Over de termijn",) if te_laat else ())
            rijen[ident] = InboxRij(
                soort=SOORT,
                id=ident,
                nummer=f"M-{ident}",
                titel=categorie.get(categorie_id, ""),
                samenvatting=omschrijving,
                plek=", ".join(filter(None, [locatie_tekst, buurt.get(buurt_code, "")])),
                wijk_code=wijk_code,
                status=status,
                status_label=label,
                created_at=created_at,
                url=url(ident),
                is_open=is_open,
                dringend=heropen,
                signalen=signalen,
                toegewezen=organisatie.get(organisatie_id, "") if organisatie_id else "",
            )
        return rijen

    @staticmethod
    def sleutel(user, id: int, f: Filter, dag: date) -> tuple[int, datetime] | None:
        vraag = Zoekvraag.lees(f.zoek) if f.zoek else None
        melding = lees(
            bewaard(("melding.sleutel", vraag.vorm if vraag else None), partial(_sleutel, vraag)),
            {"id": id, **f.parameters()}).one_or_none()
        if melding is None or not permissions.can_view(user, melding):
            return None
        urgentie = urgentie_van(melding, f, dag)
        if vraag:
            return vraag.segment_van(f, id, LETTER, urgentie, melding.laag), melding.created_at
        return segment(f, urgentie), melding.created_at

    @staticmethod
    def tellingen(user, f: Filter, dag: date) -> dict[str, int]:
        """Exact counts per status. Filters on place, category and organisation are read
        from melding_telling; "over de termijn", "met foto" and free text depend on more than
        those columns, so they are counted from the meldingen themselves."""
        wie = bereik(user)
        q = bewaard(("melding.tellingen", wie, f.sleutel(), dag), partial(_tellingen, wie, f, dag))
        aantallen = {status: int(n) for status, n in lees(q, f.parameters()) if n}
        return {s.value: aantallen[s.value] for s in Status if s.value in aantallen}

    @staticmethod
    def filter_keuzes(user, namen: Namen) -> dict[str, list]:
        return {
            "categorie": sorted(categorie_namen(namen).items(), key=lambda c: c[1]),
            "organisatie": [(o.id, o.naam) for o in organisaties(namen) if o.actief],
        }

    @staticmethod
    def mag_bulk(user) -> bool:
        return permissions.mag_bulk(user)

    @staticmethod
    def bulk_form(formdata=None) -> BulkForm:
        form = BulkForm(formdata=formdata, prefix=SOORT)
        form.organisatie.choices = [SelectChoice("", "Kies een team of partner")] + \
            organisatie_keuzes()
        return form

    @staticmethod
    def bulk(user, actie: str, ids: list[int], form: BulkForm) -> int:
        return bulk.uitvoeren(user, actie, ids, form)

