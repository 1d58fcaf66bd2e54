"""Free-text search in the inbox, the same for every kind of item.

What the user types is read once (`Zoekvraag.lees`) into an item number and a Dutch text
query. A kind makes its items searchable in the same way meldingen do (`meldingen/inbox.py`):

1. A stored generated column with the text to match, in the text search configuration
   `zoek_nl` (PostgreSQL's `dutch`: Snowball stemming and stop words, with accents removed by
   `unaccent` first; migration 0009 creates it), and a GIN index on that column:

       zoek_tsv: Mapped[str | None] = mapped_column(TSVECTOR, Computed(
           f"to_tsvector('{CONFIGURATIE}'::regconfig, titel || ' ' || omschrijving)",
           persisted=True), deferred=True)
       Index("ix_idee_zoek", "zoek_tsv", postgresql_using="gin")

2. `segmenten` returns `vraag.segmenten(...)` when the filter has a search: the item whose
   number was typed, then the text matches in relevance layers, each layer ordered the way
   the list is (urgency segments or newest first); `sleutel` places one item with
   `vraag.laag(...)` and `vraag.segment_van(...)`.
3. `tellingen` counts with `vraag.treft(...)`.

Ranking. The order must stay a keyset order (segment, created_at, soort, id), so that page
500 of a search costs what page 1 costs; a score such as ts_rank cannot be answered by an
index and would have to be computed for every match (160,000 for a common word in a million
meldingen) before the first page could be shown. Relevance is therefore coarse and part of
the segment number (`moderatie.inbox.segment`):

- segment 0: the item whose number was typed ("M-123", or "123" for any kind);
- layer 0: every word matches as a whole word (after stemming: "containers" = "container");
- layer 1: the last word matches only as the beginning of a longer word ("mozart" finds
  "Mozartlaan"), so a half-typed word still finds something, after the whole-word matches.

Within a layer the list keeps its own order: most urgent first, then newest (or newest only).
Short descriptions hold each word once or twice, so a finer score would mostly reorder by
length; staff look for "the container at the Mozartlaan", usually the newest one. Several
words must all match (websearch syntax: `"…"` for a phrase, `or`, `-word` to exclude).
A text of only stop words ("de", "het") matches nothing.

The text and the number are named bound parameters (`parameters()`), so that a statement
built for one search serves every search of the same shape (`vorm`, see `participatie.vragen`):
run it with the parameters of the search at hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Text, and_, case, func, literal_column, not_, or_

from participatie.moderatie.inbox import NUMMER_SEGMENT, Filter, Segment, segment
from participatie.vragen import parameter

CONFIGURATIE = "zoek_nl"
_CONFIG = literal_column(f"'{CONFIGURATIE}'::regconfig")

# "M-123", "m 123", "M123", "#123" or "123": an item number, with the kind's letter or not.
_NUMMER = re.compile(r"#?\s*(?:(?P<letter>[A-Za-z])\s*-?\s*)?(?P<nummer>\d{1,9})")
# A word that may be completed: letters and digits only (nothing tsquery would read as an
# operator), at least three of them so that "a" does not expand to half the dictionary.
_AANVULBAAR = re.compile(r"[^\W_]{3,}")


@dataclass(frozen=True)
class Zoekvraag:
    """What the user typed in the search box, read once for every kind."""

    tekst: str
    nummer: int | None = None
    letter: str = ""  # "M" when "M-123" was typed: a number of that kind, not a text
    aanvullen: bool = False  # whether the last word may also match as a word's beginning

    @classmethod
    def lees(cls, tekst: str) -> Zoekvraag:
        tekst = " ".join(tekst.split())
        getal = _NUMMER.fullmatch(tekst)
        if getal:
            nummer = int(getal["nummer"])
            return cls(tekst, nummer if 0 < nummer < 2**31 else None,
                       (getal["letter"] or "").upper())
        woorden = tekst.split(" ")
        # Completing the last word only when the text has no websearch syntax: with quotes,
        # "or" or "-word" the user writes a query, not a word being typed.
        eenvoudig = '"' not in tekst and not any(
            w.lower() == "or" or w.startswith("-") for w in woorden)
        return cls(tekst, aanvullen=eenvoudig and bool(_AANVULBAAR.fullmatch(woorden[-1])))

    def nummer_voor(self, letter: str) -> int | None:
        """The number a kind whose numbers start with `letter` must match exactly, if any."""
        return self.nummer if self.letter in ("", letter.upper()) else None

    @property
    def met_tekst(self) -> bool:
        """Whether text is searched: not for "M-123", which asks for one item."""
        return not self.letter

    @property
    def vorm(self) -> tuple:
        """What decides the statements of this search; the rest is in `parameters()`."""
        return self.nummer is not None, self.letter, self.aanvullen

    def parameters(self) -> dict:
        """The values of the named parameters in this search's conditions."""
        rest, _, laatste = self.tekst.rpartition(" ")
        return {"zoek_tekst": self.tekst, "zoek_rest": rest, "zoek_laatste": laatste + ":*",
                "zoek_nummer": self.nummer}

    # --- tsqueries (websearch_to_tsquery never fails) -------------------------------------

    def _woorden(self) -> ColumnElement:
        return func.websearch_to_tsquery(_CONFIG, parameter("zoek_tekst", Text))

    def _aangevuld(self) -> ColumnElement:
        return func.websearch_to_tsquery(_CONFIG, parameter("zoek_rest", Text)).op("&&")(
            func.to_tsquery(_CONFIG, parameter("zoek_laatste", Text)))

    def _nummer(self, letter: str) -> ColumnElement | None:
        """The typed number as a parameter, if a kind with `letter` must match it."""
        return parameter("zoek_nummer") if self.nummer_voor(letter) is not None else None

    def lagen(self, tsv: ColumnElement) -> list[tuple[int, ColumnElement]]:
        """(layer, condition) of the text matches: whole words, then completed last word."""
        if not self.met_tekst:
            return []
        heel = tsv.bool_op("@@")(self._woorden())
        if not self.aanvullen:
            return [(0, heel)]
        return [(0, heel), (1, and_(tsv.bool_op("@@")(self._aangevuld()), not_(heel)))]

    def laag(self, tsv: ColumnElement) -> ColumnElement:
        """SQL: the layer one item's text falls in (0 or 1), NULL if it does not match."""
        return case(*((voorwaarde, laag) for laag, voorwaarde in self.lagen(tsv)),
                    else_=None) if self.met_tekst else literal_column("NULL")

    def treft(self, tsv: ColumnElement, id: ColumnElement, letter: str) -> ColumnElement:
        """SQL: the item matches at all (its number or its text), for counts."""
        delen = [voorwaarde for _, voorwaarde in self.lagen(tsv)]
        if self.aanvullen:  # the union of both layers, as one GIN condition
            delen = [tsv.bool_op("@@")(self._aangevuld())]
        nummer = self._nummer(letter)
        if nummer is not None:
            delen.append(id == nummer)
        return or_(*delen) if delen else literal_column("false")

    # --- segments ---------------------------------------------------------------------

    def segmenten(self, f: Filter, created_at: ColumnElement, id: ColumnElement,
                  tsv: ColumnElement, letter: str, basis: Sequence,
                  urgentie: Sequence[tuple[int, ColumnElement]]) -> list[Segment]:
        """The search's segments for one kind: its number, then each layer × the list's own
        segments (`urgentie`: (urgency, condition) pairs as without a search).

        `basis` holds the kind's scope and filters; the item with the typed number is left
        out of the text layers, so it is listed once.
        """
        segmenten = []
        nummer = self._nummer(letter)
        if nummer is not None:
            segmenten.append(Segment(NUMMER_SEGMENT, created_at, id, (*basis, id == nummer)))
        anders = (id != nummer,) if nummer is not None else ()
        for laag, treffer in self.lagen(tsv):
            for urgent, voorwaarde in urgentie:
                segmenten.append(Segment(segment(f, urgent, laag), created_at, id,
                                         (*basis, treffer, *anders, voorwaarde)))
        return segmenten

    def segment_van(self, f: Filter, id: int, letter: str, urgentie: int,
                    laag: int | None) -> int:
        """The segment of one item (`laag` as computed by `laag()`)."""
        if self.nummer_voor(letter) == id:
            return NUMMER_SEGMENT
        if laag is None:  # no longer matches (changed meanwhile): placed in the last layer
            laag = 1 if self.aanvullen else 0
        return segment(f, urgentie, laag)
