"""The results of a survey, counted in PostgreSQL.

Choices are counted per option, each option once per respondent, with the number of
respondents who answered the question as the base; percentages of a multiple-choice question
therefore add up to more than 100, as they should (Decidim counts the combinations instead,
decidim#16421). Scales get mean, median and distribution. Everything can be asked for one
buurt; a buurt with fewer than `DREMPEL` respondents shows no figures, so nobody's answers
can be singled out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select

from participatie.enquetes.models import Antwoord, Enquete, Respons, Vraag
from participatie.enquetes.workflow import AntwoordStatus, VraagType
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.moderatie.zoeken import Zoekvraag

DREMPEL = 5  # fewer respondents than this in a buurt: "te weinig om te tonen"
TE_WEINIG = "te weinig om te tonen"
OPEN_PER_PAGINA = 50


@dataclass
class Telling:
    label: str
    aantal: int
    procent: float  # of the base


@dataclass
class VraagUitslag:
    vraag: Vraag
    basis: int = 0  # respondents who answered it
    tellingen: list[Telling] = field(default_factory=list)
    gemiddelde: float | None = None
    mediaan: float | None = None
    punten: list[tuple[float, float, str]] = field(default_factory=list)
    open: list[tuple[int, str]] = field(default_factory=list)  # (antwoord id, text)
    open_totaal: int = 0


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


def respondenten(enquete: Enquete, buurt_code: str | None = None) -> int:
    return db.session.scalar(select(func.count()).where(*_verzonden(enquete, buurt_code))) or 0


def per_dag(enquete: Enquete, buurt_code: str | None = None) -> list[tuple[date, int]]:
    return [tuple(r) for r in db.session.execute(
        select(Respons.verzonden_op, func.count()).where(*_verzonden(enquete, buurt_code))
        .group_by(Respons.verzonden_op).order_by(Respons.verzonden_op))]


def _telt(enquete: Enquete, buurt_code: str | None):
    """The answers of sent responses (of one buurt), joined once."""
    return select(Antwoord).join(Respons, Respons.id == Antwoord.respons_id).where(
        *_verzonden(enquete, buurt_code))


def _procent(aantal: int, basis: int) -> float:
    return 100 * aantal / basis if basis else 0.0


def bereken(enquete: Enquete, *, buurt: Buurt | None = None, zoek: str = "",
            open_pagina: int = 1) -> Uitslag:
    """Every question's figures, for the whole survey or one buurt."""
    code = buurt.code if buurt else None
    n = respondenten(enquete, code)
    uitslag = Uitslag(enquete, n, buurt)
    if buurt is not None and n < DREMPEL:
        uitslag.te_weinig = True
        return uitslag
    uitslag.per_dag = per_dag(enquete, code)
    sub = _telt(enquete, code).subquery()
    basis = dict(db.session.execute(
        select(sub.c.vraag_id, func.count(sub.c.respons_id.distinct()))
        .group_by(sub.c.vraag_id)).all())
    opties = dict(db.session.execute(
        select(sub.c.optie_id, func.count(sub.c.respons_id.distinct()))
        .where(sub.c.optie_id.is_not(None)).group_by(sub.c.optie_id)).all())
    getallen: dict[int, dict[int, int]] = {}
    for vraag_id, getal, aantal in db.session.execute(
            select(sub.c.vraag_id, sub.c.getal, func.count())
            .where(sub.c.getal.is_not(None)).group_by(sub.c.vraag_id, sub.c.getal)):
        getallen.setdefault(vraag_id, {})[getal] = aantal
    for vraag in enquete.vragen:
        v = VraagUitslag(vraag, basis.get(vraag.id, 0))
        soort = vraag.type_enum
        if soort.met_opties:
            v.tellingen = [Telling(o.tekst, opties.get(o.id, 0),
                                   _procent(opties.get(o.id, 0), v.basis)) for o in vraag.opties]
        elif soort.bereik:
            verdeling = getallen.get(vraag.id, {})
            laag, hoog = soort.bereik
            labels = {1: "Ja", 0: "Nee"} if soort == VraagType.JA_NEE else {}
            volgorde = [1, 0] if soort == VraagType.JA_NEE else range(laag, hoog + 1)
            v.tellingen = [Telling(labels.get(w, str(w)), verdeling.get(w, 0),
                                   _procent(verdeling.get(w, 0), v.basis)) for w in volgorde]
            if verdeling and soort != VraagType.JA_NEE:
                v.gemiddelde = sum(w * a for w, a in verdeling.items()) / sum(verdeling.values())
                v.mediaan = _mediaan(verdeling)
        elif soort == VraagType.PLEK:
            v.punten = [(r.lat, r.lon, r.tekst or "") for r in db.session.execute(
                select(func.ST_Y(sub.c.locatie).label("lat"), func.ST_X(sub.c.locatie)
                       .label("lon"), sub.c.tekst)
                .where(sub.c.vraag_id == vraag.id, sub.c.locatie.is_not(None)).limit(2000))]
        elif soort == VraagType.OPEN:
            v.open, v.open_totaal = open_antwoorden(enquete, vraag, code, zoek, open_pagina)
        uitslag.vragen.append(v)
    return uitslag


def _mediaan(verdeling: dict[int, int]) -> float:
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
    if zoek:
        # The inbox's reading of a search (moderatie.zoeken): whole words, and the last
        # word also as the beginning of a longer one ("hond" finds "hondenpoep").
        conditions.append(Zoekvraag.lees(zoek).treft(Antwoord.zoek_tsv, Antwoord.id, "A"))
    totaal = db.session.scalar(select(func.count()).where(*conditions)) or 0
    rows = db.session.execute(select(Antwoord.id, Antwoord.tekst).where(*conditions)
                              .order_by(Antwoord.id.desc()).limit(OPEN_PER_PAGINA)
                              .offset((max(pagina, 1) - 1) * OPEN_PER_PAGINA))
    return [tuple(r) for r in rows], totaal


@dataclass
class IndicatorRij:
    label: str
    gemiddelde: float | None
    aantal: int


def indicatoren_per_buurt(enquete: Enquete) -> list[tuple[Vraag, list[IndicatorRij]]]:
    """For each indicator question with a number, its mean per buurt (small buurten hidden)."""
    uit = []
    namen = dict(db.session.execute(select(Buurt.code, Buurt.naam)).all())
    for vraag in enquete.vragen:
        if not vraag.indicator or not vraag.type_enum.bereik:
            continue
        rows = db.session.execute(
            select(Respons.buurt_code, func.avg(Antwoord.getal), func.count())
            .join(Respons, Respons.id == Antwoord.respons_id)
            .where(and_(*_verzonden(enquete, None)), Antwoord.vraag_id == vraag.id)
            .group_by(Respons.buurt_code).order_by(Respons.buurt_code))
        rijen = [IndicatorRij(namen.get(b, "Buurt onbekend") if b else "Buurt onbekend",
                              float(gem) if n >= DREMPEL else None, n) for b, gem, n in rows]
        uit.append((vraag, sorted(rijen, key=lambda r: r.label)))
    return uit


def buurten_met_antwoorden(enquete: Enquete) -> list[tuple[Buurt, int]]:
    rows = db.session.execute(
        select(Buurt, func.count()).join(Respons, Respons.buurt_code == Buurt.code)
        .where(*_verzonden(enquete, None)).group_by(Buurt.code).order_by(Buurt.naam))
    return [(b, n) for b, n in rows]


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
        indicatoren = []
        for vraag in enquete.vragen:
            if vraag.indicator and vraag.type_enum.bereik and vraag.type_enum != VraagType.JA_NEE:
                gem = db.session.scalar(
                    select(func.avg(Antwoord.getal))
                    .join(Respons, Respons.id == Antwoord.respons_id)
                    .where(*_verzonden(enquete, None), Antwoord.vraag_id == vraag.id))
                if gem is not None and n >= DREMPEL:
                    indicatoren.append((vraag.tekst, float(gem)))
        uit.append(Samenvatting(enquete, n, indicatoren))
    return uit
