"""The results of a survey, counted in PostgreSQL.

Choices are counted per option, each option once per respondent, with the number of
respondents who answered the question as the base; percentages of a multiple-choice question
therefore add up to more than 100, as they should (Decidim counts the combinations instead,
decidim#16421). Scales get mean, median and distribution. Everything can be asked for one
buurt; a buurt with fewer than `DREMPEL` respondents shows no figures, so nobody's answers
can be singled out.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select

from participatie.enquetes.models import Antwoord, Enquete, Respons, Telling, Vraag
from participatie.enquetes.tellingen import DAG_NUL
from participatie.enquetes.workflow import AntwoordStatus, VraagType
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.moderatie.zoeken import Zoekvraag

DREMPEL = 5  # fewer respondents than this in a buurt: "te weinig om te tonen"
TE_WEINIG = "te weinig om te tonen"
OPEN_PER_PAGINA = 50
MAX_PUNTEN = 1000  # on the results page; the export has all of them


@dataclass
class Balk:
    """One bar: an option or value, how many chose it, and the percentage of the base."""

    label: str
    aantal: int
    procent: float  # of the base


@dataclass
class VraagUitslag:
    vraag: Vraag
    basis: int = 0  # respondents who answered it
    tellingen: list[Balk] = field(default_factory=list)
    gemiddelde: float | None = None
    mediaan: float | None = None
    punten: list[tuple[float, float, str]] = field(default_factory=list)
    open: list[tuple[int, str]] = field(default_factory=list)  # (antwoord id, text)
    open_totaal: int = 0

    def punten_json(self) -> str:
        """The places for the map (static/js/enquete_uitslag.js), as [[lat, lon], …]."""
        return json.dumps([[round(lat, 5), round(lon, 5)] for lat, lon, _ in self.punten])

    def svg_punten(self, maat: int = 300, rand: int = 10) -> list[tuple[float, float, str]]:
        """The places scaled into a square of `maat` pixels (north up), for the SVG."""
        if not self.punten:
            return []
        lats, lons = [p[0] for p in self.punten], [p[1] for p in self.punten]
        onder, links = min(lats), min(lons)
        hoog, breed = max(max(lats) - onder, 1e-4), max(max(lons) - links, 1e-4)
        binnen = maat - 2 * rand
        return [(round(rand + binnen * (lon - links) / breed, 1),
                 round(maat - rand - binnen * (lat - onder) / hoog, 1), tekst)
                for lat, lon, tekst in self.punten]


@dataclass
class Uitslag:
    enquete: Enquete
    respondenten: int
    buurt: Buurt | None = None
    te_weinig: bool = False
    vragen: list[VraagUitslag] = field(default_factory=list)
    per_dag: list[tuple[date, int]] = field(default_factory=list)


def _verzonden(enquete: Enquete, buurt_code: str | None) -> list[ColumnElement]:
    conditions = [Respons.enquete_id == enquete.id, Respons.verzonden_op.is_not(None)]
    if buurt_code:
        conditions.append(Respons.buurt_code == buurt_code)
    return conditions


def _tellingen(enquete: Enquete, buurt_code: str | None = None,
               vraag_ids: list[int] | None = None) -> list:
    """Rows (vraag_id, buurt_code, waarde, aantal) of the kept counts (`Telling`)."""
    query = select(Telling.vraag_id, Telling.buurt_code, Telling.waarde, Telling.aantal).where(
        Telling.enquete_id == enquete.id)
    if buurt_code:
        query = query.where(Telling.buurt_code == buurt_code)
    if vraag_ids is not None:
        query = query.where(Telling.vraag_id.in_(vraag_ids))
    return list(db.session.execute(query))


def respondenten(enquete: Enquete, buurt_code: str | None = None) -> int:
    return sum(r.aantal for r in _tellingen(enquete, buurt_code, [0]))


def _procent(aantal: int, basis: int) -> float:
    return 100 * aantal / basis if basis else 0.0


def bereken(enquete: Enquete, *, buurt: Buurt | None = None, zoek: str = "",
            open_pagina: int = 1) -> Uitslag:
    """Every question's figures, for the whole survey or one buurt."""
    code = buurt.code if buurt else None
    rijen = _tellingen(enquete, code)
    per_vraag: dict[int, dict[int, int]] = {}
    for r in rijen:
        waarden = per_vraag.setdefault(r.vraag_id, {})
        waarden[r.waarde] = waarden.get(r.waarde, 0) + r.aantal
    dagen = per_vraag.pop(0, {})
    uitslag = Uitslag(enquete, sum(dagen.values()), buurt)
    if buurt is not None and uitslag.respondenten < DREMPEL:
        uitslag.te_weinig = True
        return uitslag
    uitslag.per_dag = [(DAG_NUL + timedelta(days=d), n) for d, n in sorted(dagen.items())]
    for vraag in enquete.vragen:
        verdeling = dict(per_vraag.get(vraag.id, {}))
        v = VraagUitslag(vraag, verdeling.pop(-1, 0))
        soort = vraag.type_enum
        if soort.met_opties:
            v.tellingen = [Balk(o.tekst, verdeling.get(o.id, 0),
                                    _procent(verdeling.get(o.id, 0), v.basis))
                           for o in vraag.opties]
        elif soort.bereik:
            laag, hoog = soort.bereik
            labels = {1: "Ja", 0: "Nee"} if soort == VraagType.JA_NEE else {}
            volgorde = [1, 0] if soort == VraagType.JA_NEE else range(laag, hoog + 1)
            v.tellingen = [Balk(labels.get(w, str(w)), verdeling.get(w, 0),
                                    _procent(verdeling.get(w, 0), v.basis)) for w in volgorde]
            if verdeling and soort != VraagType.JA_NEE:
                v.gemiddelde = sum(w * a for w, a in verdeling.items()) / sum(verdeling.values())
                v.mediaan = mediaan(verdeling)
        elif soort == VraagType.PLEK:
            v.punten = [(r.lat, r.lon, r.tekst or "") for r in db.session.execute(
                select(func.ST_Y(Antwoord.locatie).label("lat"),
                       func.ST_X(Antwoord.locatie).label("lon"), Antwoord.tekst)
                .join(Respons, Respons.id == Antwoord.respons_id)
                .where(*_verzonden(enquete, code), Antwoord.vraag_id == vraag.id,
                       Antwoord.locatie.is_not(None)).limit(MAX_PUNTEN))]
        elif soort == VraagType.OPEN:
            v.open, v.open_totaal = open_antwoorden(enquete, vraag, code, zoek, open_pagina)
        uitslag.vragen.append(v)
    return uitslag


def mediaan(verdeling: dict[int, int]) -> float:
    """The median of a distribution without unfolding it into one value per respondent."""
    totaal = sum(verdeling.values())
    waarden = sorted(verdeling)

    def op(positie: int) -> int:
        gezien = 0
        for w in waarden:
            gezien += verdeling[w]
            if gezien > positie:
                return w
        return waarden[-1]

    if totaal % 2:
        return float(op(totaal // 2))
    return statistics.mean([op(totaal // 2 - 1), op(totaal // 2)])


def open_antwoorden(enquete: Enquete, vraag: Vraag, buurt_code: str | None, zoek: str,
                    pagina: int) -> tuple[list[tuple[int, str]], int]:
    """A page of the open answers (hidden ones left out), newest first, and how many match."""
    conditions = [Antwoord.vraag_id == vraag.id, Antwoord.tekst.is_not(None),
                  Antwoord.respons_id.in_(select(Respons.id).where(
                      *_verzonden(enquete, buurt_code))),
                  (Antwoord.inbox_status.is_(None))
                  | (Antwoord.inbox_status != AntwoordStatus.VERBORGEN.value)]
    zoekvraag = Zoekvraag.lees(zoek) if zoek else None
    if zoekvraag:
        # The inbox's reading of a search (moderatie.zoeken): whole words, and the last
        # word also as the beginning of a longer one ("hond" finds "hondenpoep").
        conditions.append(zoekvraag.treft(Antwoord.zoek_tsv, Antwoord.id, "A"))
    parameters = zoekvraag.parameters() if zoekvraag else {}
    totaal = db.session.scalar(select(func.count()).where(*conditions), parameters) or 0
    rows = db.session.execute(select(Antwoord.id, Antwoord.tekst).where(*conditions)
                              .order_by(Antwoord.id.desc()).limit(OPEN_PER_PAGINA)
                              .offset((max(pagina, 1) - 1) * OPEN_PER_PAGINA), parameters)
    return [tuple(r) for r in rows], totaal


@dataclass
class IndicatorRij:
    label: str
    gemiddelde: float | None
    aantal: int


def _gemiddelden(enquete: Enquete, vraag_ids: list[int]) -> dict[tuple[int, str], list]:
    """(vraag, buurt) → [sum, count] of the numbers answered."""
    uit: dict[tuple[int, str], list] = {}
    for r in _tellingen(enquete, None, vraag_ids):
        if r.waarde >= 0:
            som = uit.setdefault((r.vraag_id, r.buurt_code), [0, 0])
            som[0] += r.waarde * r.aantal
            som[1] += r.aantal
    return uit


def indicatoren_per_buurt(enquete: Enquete) -> list[tuple[Vraag, list[IndicatorRij]]]:
    """For each indicator question with a number, its mean per buurt (small buurten hidden)."""
    vragen = [v for v in enquete.vragen if v.indicator and v.type_enum.bereik]
    sommen = _gemiddelden(enquete, [v.id for v in vragen])
    namen = dict(db.session.execute(select(Buurt.code, Buurt.naam)).all())
    uit = []
    for vraag in vragen:
        rijen = [IndicatorRij(namen.get(b, "Buurt onbekend"), som / n if n >= DREMPEL else None,
                              n) for (v, b), (som, n) in sommen.items() if v == vraag.id]
        uit.append((vraag, sorted(rijen, key=lambda r: r.label)))
    return uit


def buurten_met_antwoorden(enquete: Enquete) -> list[tuple[Buurt, int]]:
    per_buurt: dict[str, int] = {}
    for r in _tellingen(enquete, None, [0]):
        per_buurt[r.buurt_code] = per_buurt.get(r.buurt_code, 0) + r.aantal
    buurten = db.session.scalars(select(Buurt).where(Buurt.code.in_(list(per_buurt)))
                                 .order_by(Buurt.naam))
    return [(b, per_buurt[b.code]) for b in buurten]


@dataclass
class Samenvatting:
    """A published summary for the public wijk page, with the indicators' means."""

    enquete: Enquete
    respondenten: int
    indicatoren: list[tuple[str, float]]


def openbare_samenvattingen(wijk_code: str) -> list[Samenvatting]:
    """The wijk page's query (wijkagenda reads it): closed surveys of the wijk whose summary
    staff published, with the mean of each indicator over the whole survey (not per buurt,
    and only with at least `DREMPEL` respondents)."""
    from participatie.enquetes.services import gepubliceerde_samenvattingen

    uit = []
    for enquete in gepubliceerde_samenvattingen(wijk_code):
        n = respondenten(enquete)
        vragen = [v for v in enquete.vragen if v.indicator and v.type_enum.bereik
                  and v.type_enum != VraagType.JA_NEE]
        sommen = _gemiddelden(enquete, [v.id for v in vragen])
        indicatoren = []
        for vraag in vragen:
            som = sum(s[0] for (v, _), s in sommen.items() if v == vraag.id)
            aantal = sum(s[1] for (v, _), s in sommen.items() if v == vraag.id)
            if aantal and n >= DREMPEL:
                indicatoren.append((vraag.tekst, som / aantal))
        uit.append(Samenvatting(enquete, n, indicatoren))
    return uit


@dataclass
class Meting:
    """One indicator in one survey: its mean (or share "ja") and on what scale."""

    enquete: Enquete
    vraag: Vraag
    waarde: float | None  # None: fewer than DREMPEL answers
    aantal: int

    @property
    def schaal(self) -> str:
        if self.vraag.type_enum == VraagType.JA_NEE:
            return "% ja"
        laag, hoog = self.vraag.type_enum.bereik
        return f"gemiddeld op {laag}–{hoog}"


def indicator_verloop(enquetes: list[Enquete]) -> dict[str, list[Meting]]:
    """Per wijkindicator its measurements across these surveys, oldest first, so the same
    measure can be followed over surveys and years."""
    uit: dict[str, list[Meting]] = {}
    for enquete in sorted(enquetes, key=lambda e: (e.sluit_op, e.id)):
        vragen = [v for v in enquete.vragen if v.indicator and v.type_enum.bereik]
        sommen = _gemiddelden(enquete, [v.id for v in vragen])
        for vraag in vragen:
            som = sum(s[0] for (v, _), s in sommen.items() if v == vraag.id)
            aantal = sum(s[1] for (v, _), s in sommen.items() if v == vraag.id)
            waarde = None
            if aantal >= DREMPEL:
                waarde = som / aantal * (100 if vraag.type_enum == VraagType.JA_NEE else 1)
            uit.setdefault(vraag.indicator, []).append(Meting(enquete, vraag, waarde, aantal))
    return uit
