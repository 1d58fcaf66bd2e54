"""The inbox as pages: keyset paging over every registered kind at once, and counts.

The order is (segment, created_at desc, soort desc, id desc); a cursor carries all four, so
ids from different tables never collide and page 500 costs what page 1 costs. Each source
gives its segments (columns and conditions, see `moderatie.inbox.InboxBron.segmenten`); this
module adds the keyset condition, order and limit, so the source's own indexes answer them.
With a search, the segments are read in groups (`moderatie.inbox.groep_van`) and only until
the page is full: the completed-word layer, which may have to look far, costs nothing while
the whole words fill the page.

The statements are built once per shape (`participatie.vragen`): per set of kinds, user's
`Bereik`, filter (`Filter.sleutel`), day and the cursor's segment and kind; the cursor's
moment and id and the search text are bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, literal, select, tuple_, union_all

from participatie.accounts.permissions import Bereik, bereik
from participatie.moderatie.inbox import (
    LAATSTE_SEGMENT,
    PAGINA_GROOTTE,
    Filter,
    InboxRij,
    Namen,
    Segment,
    bron,
    bronnen,
    groep_van,
)
from participatie.tijd import EERSTE_MOMENT, LAATSTE_MOMENT, vandaag
from participatie.vragen import bewaard, lees, parameter
from participatie.web import heel_getal

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    segment: int
    created_at: datetime
    soort: str
    id: int

    def __str__(self) -> str:
        micro = (self.created_at - _EPOCH) // timedelta(microseconds=1)
        return f"{self.segment},{micro},{self.soort},{self.id}"

    @classmethod
    def lees(cls, tekst: str | None) -> Cursor | None:
        delen = (tekst or "").split(",")
        if len(delen) != 4 or bron(delen[2]) is None:
            return None
        segment, micro, ident = delen[0], delen[1], heel_getal(delen[3])
        if not (segment.isdigit() and int(segment) <= LAATSTE_SEGMENT) or ident is None \
                or not (micro.isdigit() and len(micro) < 20):
            return None
        # Compared before it is added: a moment past the year 9999 cannot be a datetime.
        sinds_epoch = timedelta(microseconds=int(micro))
        if not EERSTE_MOMENT - _EPOCH <= sinds_epoch <= LAATSTE_MOMENT - _EPOCH:
            return None  # not a cursor we made
        return cls(int(segment), _EPOCH + sinds_epoch, delen[2], ident)

    @property
    def vorm(self) -> tuple[int, str]:
        """What of the cursor shapes the statements; its moment and id are `parameters`."""
        return self.segment, self.soort

    def parameters(self) -> dict:
        return {"cursor_created_at": self.created_at, "cursor_id": self.id}


@dataclass
class Pagina:
    rijen: list[InboxRij]
    na: str | None = None
    voor: str | None = None
    tellingen: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def totaal(self) -> int:
        return sum(sum(per_status.values()) for per_status in self.tellingen.values())

    def per_soort(self) -> dict[str, int]:
        return {soort: sum(n.values()) for soort, n in self.tellingen.items()}


def _na_cursor(seg: Segment, soort: str, cursor_soort: str,
               achteruit: bool) -> ColumnElement:
    """The keyset condition in (created_at desc, soort desc, id desc) order, on the columns
    of one source, so its own indexes answer it; the cursor's moment and id are parameters."""
    grens = parameter("cursor_created_at", seg.created_at.type)
    if soort == cursor_soort:
        sleutel = tuple_(seg.created_at, seg.id)
        rand = tuple_(grens, parameter("cursor_id", seg.id.type))
        return sleutel > rand if achteruit else sleutel < rand
    later_in_volgorde = soort < cursor_soort  # same moment, smaller soort comes after
    if achteruit:
        return seg.created_at > grens if later_in_volgorde else seg.created_at >= grens
    return seg.created_at <= grens if later_in_volgorde else seg.created_at < grens


def _groepen(wie: Bereik, f: Filter, dag: date, cursor: tuple[int, str] | None,
             achteruit: bool) -> list[tuple[int, list[tuple[str, Segment]]]]:
    """The segments of every kind from the cursor's segment on, by group, in page order."""
    groepen: dict[int, list] = {}
    for b in bronnen():
        if not b.zichtbaar(wie) or not f.past_bij(b):
            continue
        for seg in b.segmenten(wie, f, dag):
            if cursor is not None and (seg.nummer < cursor[0] if not achteruit
                                       else seg.nummer > cursor[0]):
                continue
            groepen.setdefault(groep_van(f, seg.nummer), []).append((b.soort, seg))
    return sorted(groepen.items(), reverse=achteruit)


def _sleutels(user, f: Filter, dag: date, cursor: Cursor | None, achteruit: bool,
              limit: int) -> list:
    """(segment, created_at, soort, id) of one page, newest first per segment.

    One query per group of segments (over every kind), in page order, until `limit` keys
    are found.
    """
    wie = bereik(user)
    vorm = (tuple(bronnen()), wie, f.sleutel(), dag, cursor.vorm if cursor else None, achteruit)
    groepen = bewaard(("inbox.groepen", *vorm), partial(_groepen, wie, f, dag, vorm[4], achteruit))
    parameters = {**f.parameters(), **(cursor.parameters() if cursor else {})}
    sleutels: list = []
    for groep, delen in groepen:
        rest = limit - len(sleutels)
        q = bewaard(("inbox.sleutels", *vorm, groep, rest),
                  partial(_groep_vraag, delen, vorm[4], achteruit, rest))
        sleutels += lees(q, parameters).all()
        if len(sleutels) >= limit:
            break
    return sleutels


def _groep_vraag(delen: list[tuple[str, Segment]], cursor: tuple[int, str] | None,
                 achteruit: bool, limit: int):
    """The first `limit` keys of some segments, over every kind that has them."""
    queries = []
    for soort, seg in delen:
        q = select(literal(seg.nummer).label("segment"), seg.created_at.label("created_at"),
                   literal(soort).label("soort"), seg.id.label("id")).where(*seg.voorwaarden)
        if cursor is not None and seg.nummer == cursor[0]:
            q = q.where(_na_cursor(seg, soort, cursor[1], achteruit))
        if achteruit:
            q = q.order_by(seg.created_at.asc(), seg.id.asc())
        else:
            q = q.order_by(seg.created_at.desc(), seg.id.desc())
        queries.append(q.limit(limit))
    if len(queries) == 1:
        return queries[0]
    samen = union_all(*queries)
    k = samen.selected_columns
    if achteruit:
        volgorde = (k.segment.desc(), k.created_at.asc(), k.soort.asc(), k.id.asc())
    else:
        volgorde = (k.segment.asc(), k.created_at.desc(), k.soort.desc(), k.id.desc())
    return samen.order_by(*volgorde).limit(limit)


def _maak_rijen(sleutels: list, f: Filter, dag: date, namen: Namen) -> list[InboxRij]:
    per_soort: dict[str, list[int]] = {}
    for s in sleutels:
        per_soort.setdefault(s.soort, []).append(s.id)
    gelezen = {soort: bron(soort).rijen(ids, f, dag, namen) for soort, ids in per_soort.items()}
    rijen = []
    for s in sleutels:
        rij = gelezen[s.soort].get(s.id)
        if rij is not None:
            rij.cursor = Cursor(s.segment, s.created_at, s.soort, s.id)
            rijen.append(rij)
    return rijen


def pagina(
    user,
    f: Filter,
    *,
    na: str | None = None,
    voor: str | None = None,
    limit: int = PAGINA_GROOTTE,
    dag: date | None = None,
    tellen: bool = True,
    namen: Namen | None = None,
) -> Pagina:
    """One page of the inbox for `user`: after cursor `na`, before cursor `voor`, or the first."""
    dag = dag or vandaag()
    namen = namen or Namen()
    cursor_na, cursor_voor = Cursor.lees(na), Cursor.lees(voor)
    achteruit = cursor_voor is not None and cursor_na is None
    cursor = cursor_voor if achteruit else cursor_na
    sleutels = _sleutels(user, f, dag, cursor, achteruit, limit + 1)
    meer = len(sleutels) > limit
    sleutels = sleutels[:limit]
    if achteruit:
        sleutels.reverse()
    rijen = _maak_rijen(sleutels, f, dag, namen)
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


def tellingen(user, f: Filter, dag: date | None = None) -> dict[str, dict[str, int]]:
    """Per kind, how many items per status match the filter (exact, always)."""
    dag = dag or vandaag()
    uitkomst = {}
    for b in bronnen():
        if b.zichtbaar(user) and f.past_bij(b):
            per_status = b.tellingen(user, f, dag)
            if per_status:
                uitkomst[b.soort] = per_status
    return uitkomst


def _cursor_van(user, soort: str, id: int, f: Filter, dag: date) -> Cursor | None:
    b = bron(soort)
    plek = b.sleutel(user, id, f, dag) if b is not None else None
    if plek is None:
        return None
    segment, created_at = plek
    return Cursor(segment, created_at, soort, id)


def volgende(user, f: Filter, soort: str, id: int, namen: Namen | None = None) -> InboxRij | None:
    """The item after (soort, id) in the user's current list, for the "Volgende" button."""
    dag = vandaag()
    cursor = _cursor_van(user, soort, id, f, dag)
    if cursor is None:
        return None
    sleutels = _sleutels(user, f, dag, cursor, False, 1)
    rijen = _maak_rijen(sleutels, f, dag, namen or Namen())
    return rijen[0] if rijen else None


def rij_voor(user, f: Filter, soort: str, id: int, namen: Namen | None = None) -> InboxRij | None:
    """The inbox row of one item (to redraw its line after a change)."""
    dag = vandaag()
    cursor = _cursor_van(user, soort, id, f, dag)
    if cursor is None:
        return None
    rij = bron(soort).rijen([id], f, dag, namen or Namen()).get(id)
    if rij is not None:
        rij.cursor = cursor
    return rij


def rijen_van(user, sleutels: Sequence[tuple[str, int]],
              namen: Namen | None = None) -> list[InboxRij]:
    """Rows for items of any kind that this user may see, in the given order.

    For other features that link items (the wijkagenda's selection); unknown or hidden
    items are left out, so the caller can tell by the count.
    """
    dag, f, namen = vandaag(), Filter(alle_statussen=True), namen or Namen()
    gevonden = []
    for soort, id in sleutels:
        cursor = _cursor_van(user, soort, id, f, dag)
        if cursor is not None:
            gevonden.append(_Sleutel(cursor.segment, cursor.created_at, soort, id))
    return _maak_rijen(gevonden, f, dag, namen)


@dataclass(frozen=True)
class _Sleutel:
    segment: int
    created_at: datetime
    soort: str
    id: int


