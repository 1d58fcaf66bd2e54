"""The inbox's contract with the features that put work in front of staff.

A feature adds a kind of item to the one inbox by writing an `InboxBron` in its own package
(`meldingen/inbox.py` is the first) and registering it when its blueprint is registered:

    bp.record_once(lambda state: registreer(state.app, MeldingBron()))

Moderatie owns the page, the paging, the generic filters and the counts; it knows no
feature's models. A source answers four questions about its items for a user and a filter:
which keys are on the list (`segmenten`: conditions per urgency segment, on columns that its
own covering indexes answer), what a row shows (`rijen`), how many there are per status
(`tellingen`), and where one item sits in the order (`sleutel`, for "Volgende" and redrawing
a row). It declares which filters it understands; a filter it does not understand excludes
the whole kind, so "Categorie: Afvaldump" never shows a buurtbudget idea.

`moderatie.lijst` pages over every kind at once with a cursor that carries the kind, so ids
from different tables never collide. Segments are numbered by `segment()`, the same for every
kind so that their items interleave: without a search 0 = a resident waits for staff, 1 = open
and past its deadline, 2 = the rest (all 0 under "nieuwste"); with a search the item whose
number was typed comes first (0), then the text matches in relevance layers, each holding the
list's own segments (`moderatie.zoeken`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlencode

from flask import Flask, current_app
from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from werkzeug.datastructures import MultiDict

from participatie.gebieden.services import buurt_namen
from participatie.web import heel_getal

if TYPE_CHECKING:
    from participatie.moderatie.lijst import Cursor

PAGINA_GROOTTE = 50
SORTERINGEN = {"urgentie": "Meest dringend eerst", "nieuwste": "Nieuwste eerst"}
NUMMER_SEGMENT = 0  # with a search: the item whose number was typed
LAATSTE_SEGMENT = 6  # 1 + 3 * layer 1 + urgency 2


class ActieGeweigerd(ValueError):
    """An action that cannot be done as asked; str(e) is Dutch for the staff member."""


@dataclass
class Weigering:
    nummer: str
    reden: str


class BulkGeweigerd(ActieGeweigerd):
    """A bulk action refused as a whole because some items cannot take it."""

    def __init__(self, weigeringen: list[Weigering], items: str = "items") -> None:
        super().__init__(
            f"Er is niets gewijzigd: {len(weigeringen)} van de gekozen {items} kan dit niet."
        )
        self.weigeringen = weigeringen


# --- What a source declares -------------------------------------------------------------


@dataclass(frozen=True)
class FilterVeld:
    """A filter that only some kinds understand, e.g. a melding's category.

    `soort` is "keuze" (a select of whole numbers) or "vinkje" (a checkbox sending "1").
    """

    naam: str
    label: str
    soort: str = "keuze"
    alle: str = ""  # the label of the empty choice of a "keuze"

    def lees(self, waarde: str | None) -> int | bool | None:
        if self.soort == "vinkje":
            return True if waarde == "1" else None
        return heel_getal(waarde)


@dataclass(frozen=True)
class BulkActie:
    """An action on many items of one kind at once; `naam` is "<soort>:<actie>"."""

    naam: str
    label: str


def segment(f: Filter, urgentie: int, laag: int = 0) -> int:
    """The shared number of a segment: `urgentie` 0 = a resident waits, 1 = past its
    deadline, 2 = the rest; `laag` is the relevance layer of a search (moderatie.zoeken)."""
    if f.sortering == "nieuwste":
        urgentie = 0
    return 1 + 3 * laag + urgentie if f.zoek else urgentie


def groep_van(f: Filter, nummer: int) -> int:
    """Segments read in one query: all of them without a search; with a search the number
    and the whole-word layer, then the completed-word layer only if the page is not full."""
    return max(0, (nummer - 1) // 3) if f.zoek else 0


def een_van_ids(kolom: ColumnElement) -> ColumnElement[bool]:
    """`kolom = ANY(:ids)`, for a source's `rijen`: the ids of a page as one array parameter
    (execute with `{"ids": [...]}`), not one per id for SQLAlchemy to write and PostgreSQL to
    parse, so that the statement can be built once, at import."""
    return kolom == any_(bindparam("ids", type_=ARRAY(kolom.type)))


@dataclass(frozen=True)
class Segment:
    """The items of one segment (see `segment`): the columns to page on and the conditions."""

    nummer: int
    created_at: ColumnElement
    id: ColumnElement
    voorwaarden: tuple


@dataclass(slots=True)
class InboxRij:
    """One line in the inbox, whatever kind of item it is (50 per page: slots)."""

    soort: str
    id: int
    nummer: str
    titel: str
    samenvatting: str
    plek: str
    wijk_code: str
    status: str
    status_label: str
    created_at: datetime
    url: str
    is_open: bool = True
    dringend: bool = False
    signalen: tuple[str, ...] = ()  # short labels that ask for attention ("Over de termijn")
    toegewezen: str = ""
    cursor: Cursor | None = None

    @property
    def sleutel(self) -> str:
        return f"{self.soort}:{self.id}"

    def link(self, lijst: str = "") -> str:
        """The item's staff page, carrying the inbox's filter so "Volgende" follows it."""
        return self.url + lijst_query(lijst)


def lijst_query(lijst: str) -> str:
    """What goes behind an item's URL to carry the inbox's filter (`lijst`, the inbox's own
    query string) to its page; a list of rows computes it once."""
    return f"?{urlencode({'lijst': lijst})}" if lijst else ""


class InboxBron(Protocol):
    """What a feature implements to put its items in the inbox (see the module docstring)."""

    soort: str  # in cursors, row keys ("melding:12") and the Soort filter
    naam: str  # plural, for the Soort filter and the counts: "Meldingen"
    velden: tuple[FilterVeld, ...]  # the kind-specific filters it understands
    statussen: tuple[tuple[str, str], ...]  # (value, label) of every status, in workflow order
    open_statussen: tuple[str, ...]  # the default view: what still needs work
    bulk_acties: tuple[BulkActie, ...]
    bulk_template: str  # a partial with its bulk fields, inside the inbox's bulk form

    def zichtbaar(self, user) -> bool:
        """Whether this user has an inbox of this kind at all."""

    def segmenten(self, user, f: Filter, dag: date) -> list[Segment]:
        """The segments of the list for this user and filter, numbered by `segment()` (with a
        search: `moderatie.zoeken.Zoekvraag.segmenten`); the scope is in the conditions.
        Built once per shape (`participatie.vragen`): `user` is the user's `Bereik`."""

    def rijen(self, ids: Sequence[int], f: Filter, dag: date, namen: Namen) -> dict[int, InboxRij]:
        """The rows of these ids (already scoped by `segmenten` or `sleutel`)."""

    def sleutel(self, user, id: int, f: Filter, dag: date) -> tuple[int, datetime] | None:
        """(segment, created_at) of one item this user may see, or None."""

    def tellingen(self, user, f: Filter, dag: date) -> dict[str, int]:
        """How many items per status match the filter, exactly."""

    def filter_keuzes(self, user, namen: Namen) -> dict[str, list[tuple[Any, str]]]:
        """The choices of its "keuze" filters, by field name."""

    def mag_bulk(self, user) -> bool:
        """Whether this user may use the kind's bulk actions."""

    def bulk_form(self, formdata=None):
        """The form whose fields `bulk_template` renders."""

    def bulk(self, user, actie: str, ids: list[int], form) -> int:
        """Carry out a bulk action on all ids or on none; BulkGeweigerd/ActieGeweigerd."""


# --- Registration -------------------------------------------------------------------------


@dataclass
class Register:
    bronnen: dict[str, InboxBron] = field(default_factory=dict)
    # Partials of other features shown on every item's staff page and in the bulk form,
    # e.g. "Op de wijkagenda". Included without "ignore missing": a renamed one fails loudly.
    item_acties: list[str] = field(default_factory=list)
    bulk_knoppen: list[str] = field(default_factory=list)


def _register(app: Flask | None = None) -> Register:
    extensions = (app or current_app).extensions
    register = extensions.get("inbox")  # asked many times per page: no Register() made
    return register if register is not None else extensions.setdefault("inbox", Register())


def registreer(app: Flask, bron: InboxBron) -> None:
    """Add a kind of item to the inbox (call from the feature's blueprint registration)."""
    register = _register(app)
    if bron.soort in register.bronnen:
        raise ValueError(f"inbox kind {bron.soort!r} is registered twice")
    register.bronnen[bron.soort] = bron


def registreer_item_actie(app: Flask, template: str) -> None:
    _register(app).item_acties.append(template)


def registreer_bulk_knop(app: Flask, template: str) -> None:
    _register(app).bulk_knoppen.append(template)


def bronnen() -> list[InboxBron]:
    return list(_register().bronnen.values())


def bron(soort: str) -> InboxBron | None:
    return _register().bronnen.get(soort)


def item_acties() -> list[str]:
    return list(_register().item_acties)


def bulk_knoppen() -> list[str]:
    return list(_register().bulk_knoppen)


def lees_sleutel(tekst: str) -> tuple[str, int] | None:
    """"melding:12" → ("melding", 12); None for anything else."""
    soort, _, ident = (tekst or "").partition(":")
    nummer = heel_getal(ident)
    if bron(soort) is None or nummer is None:
        return None
    return soort, nummer


# --- Reference data shared by the sources within one request ----------------------------


class Namen:
    """Reference data read at most once per request, shared by every source."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def onthoud(self, naam: str, lees: Callable[[], Any]) -> Any:
        if naam not in self._cache:
            self._cache[naam] = lees()
        return self._cache[naam]

    def buurt_namen(self) -> dict[str, str]:
        """Every buurt's name by its code: every kind shows the buurt on its rows."""
        return self.onthoud("buurt.namen", buurt_namen)


# --- The filter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """What the user asked for in the query string; anything unreadable is ignored.

    `statussen` empty means "what still needs work" (each kind's open statuses);
    `extra` holds the kind-specific filters that are set, by field name.
    """

    soorten: tuple[str, ...] = ()
    wijk: str = ""
    buurt: str = ""
    statussen: tuple[str, ...] = ()
    alle_statussen: bool = False
    zoek: str = ""
    sortering: str = "urgentie"
    extra: dict[str, int | bool] = field(default_factory=dict)

    @classmethod
    def uit_args(cls, args) -> Filter:
        alle = bronnen()
        bekende_statussen = {s for b in alle for s, _ in b.statussen}
        velden = {v.naam: v for b in alle for v in b.velden}
        extra = {}
        for naam, veld in velden.items():
            waarde = veld.lees(args.get(naam))
            if waarde is not None:
                extra[naam] = waarde
        return cls(
            soorten=tuple(s for s in args.getlist("soort") if bron(s) is not None),
            wijk=args.get("wijk", "").strip()[:8],
            buurt=args.get("buurt", "").strip()[:10],
            statussen=tuple(s for s in args.getlist("status") if s in bekende_statussen),
            alle_statussen=args.get("status") == "alle",
            zoek=args.get("zoek", "").strip()[:100],
            sortering=args.get("sortering") if args.get("sortering") in SORTERINGEN
            else "urgentie",
            extra=extra,
        )

    def als_args(self) -> dict:
        """The filter as query-string arguments (defaults left out), for links and forms."""
        args: dict = {}
        if self.soorten:
            args["soort"] = list(self.soorten)
        for naam in ("wijk", "buurt", "zoek"):
            if getattr(self, naam):
                args[naam] = getattr(self, naam)
        if self.alle_statussen:
            args["status"] = "alle"
        elif self.statussen:
            args["status"] = list(self.statussen)
        for naam, waarde in self.extra.items():
            args[naam] = "1" if waarde is True else waarde
        if self.sortering != "urgentie":
            args["sortering"] = self.sortering
        return args

    def sleutel(self) -> tuple:
        """Everything of the filter that shapes the inbox's statements: all of it but the
        search text, which is a bound parameter (`parameters`; see participatie.vragen)."""
        from participatie.moderatie.zoeken import Zoekvraag  # it builds on this module

        return (self.soorten, self.wijk, self.buurt, self.statussen, self.alle_statussen,
                self.sortering, tuple(sorted(self.extra.items())),
                Zoekvraag.lees(self.zoek).vorm if self.zoek else None)

    def parameters(self) -> dict:
        """The named parameters of the search, for every statement built with this filter."""
        from participatie.moderatie.zoeken import Zoekvraag

        return Zoekvraag.lees(self.zoek).parameters() if self.zoek else {}

    @classmethod
    def uit_lijst(cls, lijst: str) -> Filter:
        """The filter from the inbox's query string that an item page carries as `lijst`."""
        return cls.uit_args(MultiDict(parse_qsl(lijst[:1000], keep_blank_values=False)))

    def waarde(self, naam: str):
        return self.extra.get(naam)

    def statussen_voor(self, b: InboxBron) -> list[str]:
        """The statuses of kind `b` this filter asks for; empty means the kind is left out."""
        eigen = [s for s, _ in b.statussen]
        if self.alle_statussen:
            return eigen
        if self.statussen:
            return [s for s in eigen if s in self.statussen]
        return list(b.open_statussen)

    def past_bij(self, b: InboxBron) -> bool:
        """Whether kind `b` can answer this filter at all."""
        if self.soorten and b.soort not in self.soorten:
            return False
        eigen = {v.naam for v in b.velden}
        return all(naam in eigen for naam in self.extra) and bool(self.statussen_voor(b))


def soort_keuzes(user) -> list[tuple[str, str]]:
    return [(b.soort, b.naam) for b in bronnen() if b.zichtbaar(user)]


def status_keuzes(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """Statuses per kind (naam, [(value, label)]), for the filter's optgroups."""
    return [(b.naam, list(b.statussen)) for b in bronnen() if b.zichtbaar(user)]


def status_label(soort: str, status: str) -> str:
    b = bron(soort)
    for waarde, label in b.statussen if b else ():
        if waarde == status:
            return label
    return status


def filter_velden(user, namen: Namen) -> list[tuple[FilterVeld, list[tuple[Any, str]]]]:
    """Every kind-specific filter the user's kinds offer, with its choices."""
    velden = []
    for b in bronnen():
        if not b.zichtbaar(user):
            continue
        keuzes = b.filter_keuzes(user, namen)
        for veld in b.velden:
            velden.append((veld, keuzes.get(veld.naam, [])))
    return velden


def bulk_bronnen(user) -> list[InboxBron]:
    return [b for b in bronnen() if b.bulk_acties and b.zichtbaar(user) and b.mag_bulk(user)]

