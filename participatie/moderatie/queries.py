"""The inbox as rows: filter, sort and page everything a staff member may triage.

Rows have a `soort` ("melding" today; buurtbudget ideas and survey answers later), so the list
template renders any of them. Paging is keyset paging: a page starts after the last row of
the previous one (`?na=`) or before the first row of the next one (`?voor=`), so page 500 costs
what page 1 costs. The urgency order is three segments, each read newest first from an index:
0 = the resident asked to reopen, 1 = open and past its deadline, 2 = the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from sqlalchemy import (
    and_,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import defer

from participatie.accounts.models import Organisatie, Rol
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.meldingen.models import Categorie, Foto, Melding
from participatie.meldingen.workflow import GESLOTEN, OPEN, OPEN_WAARDEN, Status
from participatie.moderatie.models import MeldingTelling
from participatie.tijd import vandaag

PAGINA_GROOTTE = 50
SORTERINGEN = {"urgentie": "Meest dringend eerst", "nieuwste": "Nieuwste eerst"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_OPEN_WAARDEN = OPEN_WAARDEN


@dataclass(frozen=True)
class Filter:
    """What the user asked for in the query string; anything unreadable is ignored."""

    wijk: str = ""
    buurt: str = ""
    categorie: int | None = None
    statussen: tuple[str, ...] = _OPEN_WAARDEN
    organisatie: int | None = None
    te_laat: bool = False
    met_foto: bool = False
    zoek: str = ""
    sortering: str = "urgentie"

    @classmethod
    def uit_args(cls, args) -> Filter:
        statussen = tuple(s for s in args.getlist("status") if s in Status.__members__.values())
        if args.get("status") == "alle":
            statussen = tuple(s.value for s in Status)
        return cls(
            wijk=args.get("wijk", "").strip()[:8],
            buurt=args.get("buurt", "").strip()[:10],
            categorie=_int(args.get("categorie")),
            statussen=statussen or _OPEN_WAARDEN,
            organisatie=_int(args.get("organisatie")),
            te_laat=args.get("te_laat") == "1",
            met_foto=args.get("met_foto") == "1",
            zoek=args.get("zoek", "").strip()[:100],
            sortering=args.get("sortering") if args.get("sortering") in SORTERINGEN
            else "urgentie",
        )

    def als_args(self) -> dict:
        """The filter as query-string arguments (defaults left out), for links and forms."""
        args: dict = {}
        for naam in ("wijk", "buurt", "categorie", "organisatie", "zoek"):
            if getattr(self, naam):
                args[naam] = getattr(self, naam)
        if set(self.statussen) != set(_OPEN_WAARDEN):
            args["status"] = list(self.statussen)
        if self.te_laat:
            args["te_laat"] = "1"
        if self.met_foto:
            args["met_foto"] = "1"
        if self.sortering != "urgentie":
            args["sortering"] = self.sortering
        return args


def _int(waarde) -> int | None:
    try:
        return int(waarde) if waarde not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Cursor:
    segment: int
    created_at: datetime
    id: int

    def __str__(self) -> str:
        micro = (self.created_at - _EPOCH) // timedelta(microseconds=1)
        return f"{self.segment},{micro},{self.id}"

    @classmethod
    def lees(cls, tekst: str | None) -> Cursor | None:
        try:
            segment, micro, ident = (int(deel) for deel in (tekst or "").split(","))
        except ValueError:
            return None
        if segment not in (0, 1, 2) or not 0 <= micro < 2**62:
            return None
        return cls(segment, _EPOCH + timedelta(microseconds=micro), ident)


@dataclass
class InboxRij:
    """One line in the inbox, whatever kind of item it is."""

    soort: str
    id: int
    nummer: str
    titel: str
    samenvatting: str
    plek: str
    status: str
    status_label: str
    created_at: datetime
    deadline: date | None
    te_laat: bool
    heropen_verzoek: bool
    organisatie: str
    cursor: Cursor
    is_open: bool = True


@dataclass
class Pagina:
    rijen: list[InboxRij]
    na: str | None = None
    voor: str | None = None
    tellingen: dict[str, int] = field(default_factory=dict)

    @property
    def totaal(self) -> int:
        return sum(self.tellingen.values())


def scope(user) -> list:
    """The conditions that keep a user inside what they may see."""
    rol = user.rol_enum
    if rol == Rol.BEHEERDER:
        return []
    if rol == Rol.PARTNER:
        return [Melding.organisatie_id == user.organisatie_id]
    codes = user.wijk_codes
    if len(codes) == 1:
        return [Melding.wijk_code == codes[0]]
    return [Melding.wijk_code.in_(codes)] if codes else [false()]


def _te_laat(dag: date):
    return and_(Melding.status.in_(_OPEN_WAARDEN), Melding.deadline < dag)


def _voorwaarden(user, f: Filter, dag: date) -> list:
    conditions = scope(user)
    if f.wijk:
        conditions.append(Melding.wijk_code == f.wijk)
    if f.buurt:
        conditions.append(Melding.buurt_code == f.buurt)
    if f.categorie:
        conditions.append(Melding.categorie_id == f.categorie)
    if f.organisatie:
        conditions.append(Melding.organisatie_id == f.organisatie)
    statussen = list(f.statussen)
    conditions.append(
        Melding.status == statussen[0] if len(statussen) == 1 else Melding.status.in_(statussen)
    )
    if f.te_laat:
        conditions.append(_te_laat(dag))
    if f.met_foto:
        conditions.append(exists().where(Foto.melding_id == Melding.id))
    if f.zoek:
        conditions.append(_zoek(f.zoek))
    return conditions


def _zoek(tekst: str):
    nummer = tekst.upper().removeprefix("M-").strip()
    patroon = "%" + tekst.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # The same expression as the pg_trgm index in migration 0003.
    zoek = (Melding.omschrijving + " " + Melding.locatie_tekst).ilike(patroon, escape="\\")
    if nummer.isdigit() and len(nummer) < 10:
        return or_(Melding.id == int(nummer), zoek)
    return zoek


def _segmenten(f: Filter, dag: date) -> list[tuple[int, object]]:
    """(segment number, condition) in display order."""
    if f.sortering == "nieuwste":
        return [(0, true())]
    alle_open = all(Status(s) in OPEN for s in f.statussen)
    alle_dicht = all(Status(s) in GESLOTEN for s in f.statussen)
    if alle_open:
        laat, op_tijd = Melding.deadline < dag, Melding.deadline >= dag
    elif alle_dicht:
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


_KOLOMMEN = (
    Melding.id,
    Melding.created_at,
    Melding.status,
    Melding.deadline,
    Melding.heropen_verzoek,
    func.left(Melding.omschrijving, 140).label("omschrijving"),
    Melding.locatie_tekst,
    Melding.categorie_id,
    Melding.buurt_code,
    Melding.organisatie_id,
)


def _lees(user, f: Filter, dag: date, cursor: Cursor | None, achteruit: bool, limit: int):
    """The rows of one page, in two steps inside one statement.

    First the keys (segment, created_at, id) of the page, which the covering partial indexes
    answer without visiting the table; then the columns of just those rows, by primary key.
    """
    base = _voorwaarden(user, f, dag)
    delen = []
    for segment, conditie in _segmenten(f, dag):
        if cursor is not None and (segment < cursor.segment if not achteruit
                                   else segment > cursor.segment):
            continue
        q = select(literal(segment).label("segment"), Melding.created_at, Melding.id).where(
            *base, conditie)
        sleutel = tuple_(Melding.created_at, Melding.id)
        if cursor is not None and segment == cursor.segment:
            grens = tuple_(literal(cursor.created_at), literal(cursor.id))
            q = q.where(sleutel > grens if achteruit else sleutel < grens)
        if achteruit:
            q = q.order_by(Melding.created_at.asc(), Melding.id.asc())
        else:
            q = q.order_by(Melding.created_at.desc(), Melding.id.desc())
        delen.append(q.limit(limit))
    if not delen:
        return []
    sleutels = delen[0].subquery() if len(delen) == 1 else union_all(*delen).subquery()
    pagina = select(sleutels).order_by(*_volgorde(sleutels, achteruit)).limit(limit).subquery()
    return list(db.session.execute(
        select(pagina.c.segment, *_KOLOMMEN)
        .join_from(pagina, Melding, Melding.id == pagina.c.id)
        .order_by(*_volgorde(pagina, achteruit))
    ))


def _volgorde(sub, achteruit: bool) -> tuple:
    if achteruit:
        return sub.c.segment.desc(), sub.c.created_at.asc(), sub.c.id.asc()
    return sub.c.segment.asc(), sub.c.created_at.desc(), sub.c.id.desc()


class Referentie:
    """The small reference tables (wijken, buurten, categories, organisations), each read
    at most once per request and without their geometry, for row names and filter choices."""

    @cached_property
    def wijken(self) -> list[Wijk]:
        return list(db.session.scalars(select(Wijk).options(defer(Wijk.geom))
                                       .order_by(Wijk.code)))

    @cached_property
    def buurten(self) -> list[Buurt]:
        return list(db.session.scalars(select(Buurt).options(defer(Buurt.geom))
                                       .order_by(Buurt.code)))

    @cached_property
    def categorieen(self) -> list[Categorie]:
        return list(db.session.scalars(select(Categorie).order_by(Categorie.naam)))

    @cached_property
    def organisaties(self) -> list[Organisatie]:
        return list(db.session.scalars(select(Organisatie).order_by(Organisatie.naam)))

    @cached_property
    def categorie(self) -> dict[int, str]:
        return {c.id: c.naam for c in self.categorieen}

    @cached_property
    def buurt(self) -> dict[str, str]:
        return {b.code: b.naam for b in self.buurten}

    @cached_property
    def organisatie(self) -> dict[int, str]:
        return {o.id: o.naam for o in self.organisaties}

    def buurten_van(self, wijk_code: str) -> list[Buurt]:
        return [b for b in self.buurten if b.wijk_code == wijk_code]


def _rij(r, namen: Referentie, dag: date) -> InboxRij:
    status = Status(r.status)
    return InboxRij(
        soort="melding",
        id=r.id,
        nummer=f"M-{r.id}",
        titel=namen.categorie.get(r.categorie_id, ""),
        samenvatting=r.omschrijving,
        plek=", ".join(filter(None, [r.locatie_tekst, namen.buurt.get(r.buurt_code, "")])),
        status=status.value,
        status_label=status.label,
        created_at=r.created_at,
        deadline=r.deadline,
        te_laat=status.is_open and r.deadline < dag,
        heropen_verzoek=r.heropen_verzoek,
        organisatie=namen.organisatie.get(r.organisatie_id, "") if r.organisatie_id else "",
        cursor=Cursor(r.segment, r.created_at, r.id),
        is_open=status.is_open,
    )


def pagina(
    user,
    f: Filter,
    *,
    na: str | None = None,
    voor: str | None = None,
    limit: int = PAGINA_GROOTTE,
    dag: date | None = None,
    tellen: bool = True,
    namen: Referentie | None = None,
) -> Pagina:
    """One page of the inbox for `user`: after cursor `na`, before cursor `voor`, or the first."""
    dag = dag or vandaag()
    cursor_na, cursor_voor = Cursor.lees(na), Cursor.lees(voor)
    achteruit = cursor_voor is not None and cursor_na is None
    cursor = cursor_voor if achteruit else cursor_na
    ruwe = _lees(user, f, dag, cursor, achteruit, limit + 1)
    meer = len(ruwe) > limit
    ruwe = ruwe[:limit]
    if achteruit:
        ruwe.reverse()
    namen = namen or Referentie()
    rijen = [_rij(r, namen, dag) for r in ruwe]
    resultaat = Pagina(rijen=rijen)
    if rijen:
        if meer or achteruit:
            resultaat.na = str(rijen[-1].cursor)
        if (achteruit and meer) or (not achteruit and cursor is not None):
            resultaat.voor = str(rijen[0].cursor)
    elif cursor is not None:
        # Walked off an end (items changed meanwhile): offer the way back.
        resultaat.voor = str(cursor) if not achteruit else None
    if tellen:
        resultaat.tellingen = tellingen(user, f, dag)
    return resultaat


def tellingen(user, f: Filter, dag: date | None = None) -> dict[str, int]:
    """How many items per status match the current filter (exact, always).

    Filters on place, category and organisation are read from melding_telling, which the
    database keeps in step with every change; "over de termijn", "met foto" and free text
    depend on more than those columns, so they are counted from the meldingen themselves.
    """
    dag = dag or vandaag()
    if f.te_laat or f.met_foto or f.zoek:
        aantal = func.count()
        q = select(Melding.status, aantal).where(*_voorwaarden(user, f, dag))
    else:
        aantal = func.sum(MeldingTelling.aantal)
        q = select(MeldingTelling.status, aantal).where(*_telling_voorwaarden(user, f))
    rows = db.session.execute(q.group_by(q.selected_columns[0])).all()
    aantallen = {status: int(n) for status, n in rows if n}
    return {s.value: aantallen[s.value] for s in Status if s.value in aantallen}


def _telling_voorwaarden(user, f: Filter) -> list:
    """`scope` and `_voorwaarden` for melding_telling (organisatie 0 stands for none)."""
    t = MeldingTelling
    rol = user.rol_enum
    if rol == Rol.PARTNER:
        conditions = [t.organisatie_id == user.organisatie_id] if user.organisatie_id \
            else [false()]
    elif rol == Rol.BEHEERDER:
        conditions = []
    else:
        codes = user.wijk_codes
        conditions = [t.wijk_code.in_(codes)] if codes else [false()]
    for kolom, waarde in ((t.wijk_code, f.wijk), (t.buurt_code, f.buurt),
                          (t.categorie_id, f.categorie), (t.organisatie_id, f.organisatie)):
        if waarde:
            conditions.append(kolom == waarde)
    conditions.append(t.status.in_(list(f.statussen)))
    return conditions


def segment_van(melding: Melding, f: Filter, dag: date | None = None) -> int:
    dag = dag or vandaag()
    if f.sortering == "nieuwste":
        return 0
    if melding.heropen_verzoek:
        return 0
    if melding.is_open and melding.deadline < dag:
        return 1
    return 2


def rij_voor(melding: Melding, f: Filter, namen: Referentie | None = None) -> InboxRij:
    """The inbox row of one melding (to redraw its line after a change)."""
    dag = vandaag()
    r = select(literal(segment_van(melding, f, dag)).label("segment"), *_KOLOMMEN).where(
        Melding.id == melding.id)
    return _rij(db.session.execute(r).one(), namen or Referentie(), dag)


def volgende(user, f: Filter, melding: Melding,
             namen: Referentie | None = None) -> InboxRij | None:
    """The item after `melding` in the user's current list, for the "Volgende" button."""
    dag = vandaag()
    cursor = Cursor(segment_van(melding, f, dag), melding.created_at, melding.id)
    ruwe = _lees(user, f, dag, cursor, False, 1)
    return _rij(ruwe[0], namen or Referentie(), dag) if ruwe else None


def keuzes(user, namen: Referentie | None = None) -> dict:
    """What the filter form offers this user: wijken with buurten, categories, organisations."""
    namen = namen or Referentie()
    wijken = namen.wijken
    if user.rol_enum in (Rol.STADSDEELREGISSEUR, Rol.WIJKRAADLID):
        wijken = [w for w in wijken if w.code in user.wijk_codes]
    wijken = [WijkKeuze(w.code, w.korte_naam, namen.buurten_van(w.code)) for w in wijken]
    return {
        "wijken": wijken,
        "buurten": [b for w in wijken for b in w.buurten],
        "categorieen": namen.categorieen,
        "organisaties": [o for o in namen.organisaties if o.actief],
    }


@dataclass(frozen=True)
class WijkKeuze:
    """A wijk in the filter form, with its buurten."""

    code: str
    korte_naam: str
    buurten: list[Buurt]
