"""The wijkindicatoren of the wijkbeeld: every survey question marked as an indicator,
followed across surveys and years, beside the gemeente's mean of the same year.

Read from the survey counts that are kept when a response is sent (`enquete_telling`): per
survey, question, buurt and answer, a few thousand rows whatever the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from participatie.enquetes.models import Enquete, Telling, Vraag
from participatie.enquetes.workflow import INDICATOREN, EnqueteStatus, VraagType
from participatie.extensions import db
from participatie.gebieden.services import wijken
from participatie.tijd import MAANDEN_KORT
from participatie.wijkbeeld.context import Context
from participatie.wijkbeeld.grafiek import staafgrafiek
from participatie.wijkbeeld.tabel import DREMPEL, TE_WEINIG, Kolom, Sectie, Tabel

SCHALEN = {VraagType.SCHAAL.value: ("gemiddeld, 1 tot 5", 5),
           VraagType.CIJFER.value: ("rapportcijfer, 1 tot 10", 10),
           VraagType.JA_NEE.value: ("% ja", 100)}


@dataclass
class Meting:
    enquete: Enquete
    som: int = 0
    aantal: int = 0  # respondents who answered the question here

    def waarde(self, soort: str) -> float | None:
        if not self.aantal:
            return None
        return self.som / self.aantal * (100 if soort == VraagType.JA_NEE.value else 1)


def _telt_mee(ctx: Context, enquete: Enquete, buurt: str, wijk_van: dict[str, str]) -> bool:
    """Is this buurt's count ('' = buurt not given) part of the area asked for?"""
    if ctx.gebied.is_buurt:
        return buurt == ctx.gebied.code
    if buurt:
        return wijk_van.get(buurt) == ctx.gebied.code
    return enquete.wijk_code == ctx.gebied.code


def metingen(ctx: Context) -> dict[tuple[str, str], dict]:
    """(indicator, question type) -> {"hier": {enquete id: Meting}, "gemeente": {year: [sum,
    count]}}: this area per survey, the whole gemeente per year the survey closed."""
    som = func.sum(Telling.waarde * Telling.aantal)
    rijen = db.session.execute(
        select(Telling.enquete_id, Telling.buurt_code, Vraag.indicator, Vraag.type, som,
               func.sum(Telling.aantal))
        .join(Vraag, Vraag.id == Telling.vraag_id)
        .where(Vraag.indicator.is_not(None), Vraag.type.in_(list(SCHALEN)),
               Telling.waarde >= 0)
        .group_by(Telling.enquete_id, Telling.buurt_code, Vraag.indicator, Vraag.type)).all()
    enquetes = {e.id: e for e in db.session.scalars(select(Enquete).where(
        Enquete.id.in_({r.enquete_id for r in rijen}),
        Enquete.status != EnqueteStatus.CONCEPT.value))}
    wijk_van = {b.code: w.code for w in wijken() for b in w.buurten}
    uit: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"hier": {}, "gemeente": defaultdict(lambda: [0, 0])})
    for enquete_id, buurt, indicator, soort, som_waarden, aantal in rijen:
        enquete = enquetes.get(enquete_id)
        if enquete is None:
            continue
        reeks = uit[(indicator, soort)]
        jaar = reeks["gemeente"][enquete.sluit_op.year]
        jaar[0] += som_waarden
        jaar[1] += aantal
        if _telt_mee(ctx, enquete, buurt, wijk_van):
            meting = reeks["hier"].setdefault(enquete.id, Meting(enquete))
            meting.som += som_waarden
            meting.aantal += aantal
    return uit


def _maand(enquete: Enquete) -> str:
    return f"{MAANDEN_KORT[enquete.sluit_op.month - 1]} {enquete.sluit_op.year}"


def sectie(ctx: Context) -> Sectie:
    tabel = Tabel("wijkindicatoren", "Wijkindicatoren uit enquêtes", [
        Kolom("Indicator", "tekst"), Kolom("Schaal", "tekst"), Kolom("Enquête", "tekst"),
        Kolom("Laatste dag", "tekst"), Kolom("Uitkomst", "cijfer"), Kolom("Respondenten"),
        Kolom("Gemeente, zelfde jaar", "cijfer"), Kolom("Respondenten gemeente")],
        toelichting=f"Minder dan {DREMPEL} respondenten: te weinig om te tonen.")
    s = Sectie("enquetes", "Enquêtes: wijkindicatoren", uitleg=[
        "Een wijkindicator is een vraag die in meerdere enquêtes terugkomt, zodat we kunnen "
        "zien of het beter of slechter gaat, bijvoorbeeld hoe veilig mensen zich voelen.",
        "De uitkomst is het gemiddelde van de antwoorden (bij ja/nee: het percentage ja), met "
        "het aantal mensen dat de vraag beantwoordde. Ernaast staat de hele gemeente in "
        "hetzelfde jaar.",
        f"Hebben minder dan {DREMPEL} mensen de vraag beantwoord, dan tonen we niets: te "
        "weinig om te tonen, zodat niemand is terug te vinden."], tabellen=[tabel])
    for (indicator, soort), reeks in sorted(metingen(ctx).items(),
                                            key=lambda i: (INDICATOREN.get(i[0][0], i[0][0]),
                                                           i[0][1])):
        label = INDICATOREN.get(indicator, indicator)
        schaal, top = SCHALEN[soort]
        groepen, korte = [], []
        for meting in sorted(reeks["hier"].values(),
                             key=lambda m: (m.enquete.sluit_op, m.enquete.id)):
            e = meting.enquete
            som, n = reeks["gemeente"][e.sluit_op.year]
            gemeente = som / n * (100 if soort == VraagType.JA_NEE.value else 1) if n else None
            getoond = meting.waarde(soort) if meting.aantal >= DREMPEL else TE_WEINIG
            open_nog = " (loopt nog)" if e.status == EnqueteStatus.OPEN.value else ""
            tabel.rijen.append([label, schaal, e.titel + open_nog, e.sluit_op,
                                getoond, meting.aantal, gemeente, n])
            groepen.append((f"{e.titel}, {_maand(e)}",
                            [getoond, gemeente]))
            korte.append(_maand(e))
        if groepen:
            s.grafieken.append(staafgrafiek(
                f"grafiek-{indicator}-{soort}", f"{label} ({schaal})", groepen,
                [ctx.gebied.naam, f"{ctx.gemeente.naam}, zelfde jaar"],
                eenheid="%" if soort == VraagType.JA_NEE.value else "", bovengrens=top,
                korte_labels=korte))
    return s
