"""Meldingen figures of an area, read from the kept rows (`MeldingCijfer`, `Doorlooptijd`).

Every function reads a few hundred to a few thousand pre-summed rows, however many meldingen
there are. Quarters are given by their first day; `van` and `tot` are both included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from participatie.enquetes.uitslag import mediaan
from participatie.extensions import db
from participatie.wijkbeeld.models import Doorlooptijd, MeldingCijfer
from participatie.wijkbeeld.perioden import BUURT, GEMEENTE, Gebied, wijk_codes_van_gemeente
from participatie.wijkbeeld.themas import OVERIG, THEMAS, categorieen

TELLERS = ("ontvangen", "afgehandeld", "binnen_termijn", "doorlooptijd_dagen", "opgelost_ja",
           "opgelost_nee", "heropend")
SLEUTELS = {"wijk": MeldingCijfer.wijk_code, "buurt": MeldingCijfer.buurt_code,
            "kwartaal": MeldingCijfer.kwartaal, "categorie": MeldingCijfer.categorie_id}


@dataclass
class Meldingcijfers:
    """Meldingen received, and of those afgehandeld in the period: how many within their
    termijn, the doorlooptijd, and what residents said when asked "is het opgelost?"."""

    ontvangen: int = 0
    afgehandeld: int = 0
    binnen_termijn: int = 0
    doorlooptijd_dagen: int = 0  # the sum, in whole days
    opgelost_ja: int = 0
    opgelost_nee: int = 0  # each is a request to reopen
    heropend: int = 0
    mediaan_dagen: float | None = None  # filled in by `met_mediaan`

    def tel_op(self, ander: Meldingcijfers) -> Meldingcijfers:
        for naam in TELLERS:
            setattr(self, naam, getattr(self, naam) + getattr(ander, naam))
        return self

    @property
    def binnen_termijn_procent(self) -> float | None:
        return 100 * self.binnen_termijn / self.afgehandeld if self.afgehandeld else None

    @property
    def gemiddelde_dagen(self) -> float | None:
        return self.doorlooptijd_dagen / self.afgehandeld if self.afgehandeld else None

    @property
    def antwoorden(self) -> int:
        return self.opgelost_ja + self.opgelost_nee

    @property
    def opgelost_procent(self) -> float | None:
        """Of the residents who answered "is het opgelost?", the share that said yes."""
        return 100 * self.opgelost_ja / self.antwoorden if self.antwoorden else None


def _waar(gebied: Gebied) -> list:
    if gebied.niveau == GEMEENTE:
        return [MeldingCijfer.wijk_code.in_(wijk_codes_van_gemeente(gebied.code))]
    waar = [MeldingCijfer.wijk_code == gebied.wijk_code]
    if gebied.niveau == BUURT:
        waar.append(MeldingCijfer.buurt_code == gebied.code)
    return waar


def per(gebied: Gebied, van: date, tot: date, *sleutels: str) -> dict[tuple, Meldingcijfers]:
    """The figures of `gebied` in the quarters `van`..`tot`, summed per combination of
    `sleutels` ("wijk", "buurt", "kwartaal", "categorie"; none: one total under ())."""
    kolommen = [SLEUTELS[s] for s in sleutels]
    query = (select(*kolommen, *(func.sum(getattr(MeldingCijfer, t)) for t in TELLERS))
             .where(*_waar(gebied), MeldingCijfer.kwartaal.between(van, tot)))
    if kolommen:
        query = query.group_by(*kolommen)
    uit: dict[tuple, Meldingcijfers] = {}
    for rij in db.session.execute(query):
        sleutel, waarden = tuple(rij[:len(kolommen)]), rij[len(kolommen):]
        if any(waarden):
            uit[sleutel] = Meldingcijfers(*(int(w or 0) for w in waarden))
    return uit


def totaal(gebied: Gebied, van: date, tot: date) -> Meldingcijfers:
    cijfers = per(gebied, van, tot).get((), Meldingcijfers())
    return met_mediaan(cijfers, verdeling(gebied, van, tot))


def verdeling(gebied: Gebied, van: date, tot: date, *,
              per_kwartaal: bool = False) -> dict:
    """The doorlooptijd of the meldingen closed in `van`..`tot` as {days: meldingen}; with
    `per_kwartaal`, one such histogram per quarter."""
    query = (select(Doorlooptijd.kwartaal, Doorlooptijd.dagen, Doorlooptijd.aantal)
             .where(Doorlooptijd.gebied_code == gebied.code,
                    Doorlooptijd.kwartaal.between(van, tot), Doorlooptijd.aantal != 0))
    uit: dict = defaultdict(lambda: defaultdict(int)) if per_kwartaal else defaultdict(int)
    for kwartaal, dagen, aantal in db.session.execute(query):
        if per_kwartaal:
            uit[kwartaal][dagen] += aantal
        else:
            uit[dagen] += aantal
    return uit


def histogrammen(codes: list[str], van: date, tot: date,
                 ) -> dict[str, dict[date, dict[int, int]]]:
    """{code: {quarter: {days: meldingen}}} of several areas (a wijk, its buurten, the
    gemeente) in one read."""
    uit: dict[str, dict[date, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    for code, kwartaal, dagen, aantal in db.session.execute(
            select(Doorlooptijd.gebied_code, Doorlooptijd.kwartaal, Doorlooptijd.dagen,
                   Doorlooptijd.aantal)
            .where(Doorlooptijd.gebied_code.in_(codes), Doorlooptijd.kwartaal.between(van, tot),
                   Doorlooptijd.aantal != 0)):
        uit[code][kwartaal][dagen] += aantal
    return uit


def optellen(rijen: dict[tuple, Meldingcijfers], sleutel) -> dict:
    """Sum kept rows (as `per` returns them) by `sleutel(key)`; rows whose sleutel is None
    are left out."""
    uit: dict = {}
    for k, cijfers in rijen.items():
        nieuw = sleutel(k)
        if nieuw is not None:
            uit.setdefault(nieuw, Meldingcijfers()).tel_op(cijfers)
    return uit


def mediaan_van(histogrammen: Iterable[dict[int, int]]) -> float | None:
    """The median of one or more {days: meldingen} histograms together (exact to the day;
    between two days when the number of meldingen is even)."""
    samen = {d: n for d, n in samengevoegd(histogrammen).items() if n > 0}
    return mediaan(samen) if samen else None


def samengevoegd(histogrammen: Iterable[dict[int, int]]) -> dict[int, int]:
    """Several {days: meldingen} histograms as one."""
    samen: dict[int, int] = defaultdict(int)
    for histogram in histogrammen:
        for dagen, aantal in histogram.items():
            samen[dagen] += aantal
    return samen


def met_mediaan(cijfers: Meldingcijfers, histogram: dict[int, int]) -> Meldingcijfers:
    cijfers.mediaan_dagen = mediaan_van([histogram])
    return cijfers


def per_kwartaal_en_jaar(gebied: Gebied, kwartalen: list[date],
                         ) -> tuple[dict[date, Meldingcijfers], dict[int, Meldingcijfers]]:
    """Each quarter's figures and each year's (its quarters among `kwartalen` together),
    every one with its median and present with zeros where there were none: one read of
    the counts and one of the histograms."""
    if not kwartalen:
        return {}, {}
    van, tot = kwartalen[0], kwartalen[-1]
    rijen = per(gebied, van, tot, "kwartaal")
    histogrammen = verdeling(gebied, van, tot, per_kwartaal=True)
    kwartaal = {k: met_mediaan(Meldingcijfers().tel_op(rijen.get((k,), Meldingcijfers())),
                               histogrammen.get(k, {})) for k in kwartalen}
    jaar: dict[int, Meldingcijfers] = {}
    for k in kwartalen:
        jaar.setdefault(k.year, Meldingcijfers()).tel_op(kwartaal[k])
    for j, cijfers in jaar.items():
        cijfers.mediaan_dagen = mediaan_van(h for k, h in histogrammen.items() if k.year == j)
    return kwartaal, jaar


def per_kwartaal(gebied: Gebied, kwartalen: list[date]) -> dict[date, Meldingcijfers]:
    """Each quarter's figures with its median, every quarter present (zeros where none)."""
    return per_kwartaal_en_jaar(gebied, kwartalen)[0]


def per_jaar(gebied: Gebied, jaren: list[int]) -> dict[int, Meldingcijfers]:
    """Each year's figures (its four quarters together) with the year's median."""
    if not jaren:
        return {}
    kwartalen = [date(j, m, 1) for j in range(jaren[0], jaren[-1] + 1) for m in (1, 4, 7, 10)]
    jaar = per_kwartaal_en_jaar(gebied, kwartalen)[1]
    return {j: jaar[j] for j in jaren}


@dataclass
class ThemaRegel:
    sleutel: str  # a thema value, "overig", or a category id as text
    label: str
    cijfers: Meldingcijfers
    categorieen: list[ThemaRegel]


def per_thema(gebied: Gebied, van: date, tot: date) -> list[ThemaRegel]:
    """Per thema (in the wijkagenda's order) and within it per category, the figures of
    `van`..`tot`; themes and categories without any meldingen are left out."""
    return thema_regels(optellen(per(gebied, van, tot, "categorie"), lambda k: k[0]))


def thema_regels(per_categorie: dict[int, Meldingcijfers]) -> list[ThemaRegel]:
    """{category id: figures} grouped into the themes, categories by name within each."""
    namen = categorieen()
    themas = {sleutel: ThemaRegel(sleutel, label, Meldingcijfers(), [])
              for sleutel, label in THEMAS}
    for categorie_id, cijfers in sorted(per_categorie.items(),
                                        key=lambda r: namen[r[0]].naam if r[0] in namen else ""):
        categorie = namen.get(categorie_id)
        thema = themas[categorie.thema if categorie else OVERIG]
        thema.cijfers.tel_op(cijfers)
        thema.categorieen.append(ThemaRegel(str(categorie_id), categorie.naam if categorie
                                            else "Onbekende categorie", cijfers, []))
    return [t for t in themas.values() if t.categorieen]
