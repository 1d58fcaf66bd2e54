"""Actieve inwoners: people who reported, voted or answered a survey, counted from what is
stored already (nothing new about anyone), per year, beside the gemeente.

- melders: distinct e-mail addresses that reported (kept as counts in `wijkbeeld_melders`
  when the melding came in, so they survive retention); meldingen without an address are
  not counted, since nobody can tell whether they came from one person or several;
- stemmen: ballots in a buurtbudget round, one per stemcode, i.e. one per household;
- enquêtes: sent survey responses (one per browser or per code from a letter).

The three cannot be linked (no common key, on purpose), so someone who did two of them counts
twice; the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import extract, func, literal, select

from participatie.buurtbudget.models import Budgetronde
from participatie.enquetes.models import Enquete, Telling
from participatie.enquetes.tellingen import DAG_NUL
from participatie.extensions import db
from participatie.gebieden.services import wijken
from participatie.wijkbeeld.context import Context, per_1000
from participatie.wijkbeeld.models import Melders, StemTelling
from participatie.wijkbeeld.perioden import wijk_codes_van_gemeente
from participatie.wijkbeeld.tabel import TE_WEINIG, Kolom, Sectie, Tabel, onderdruk

UITLEG = [
    "Actieve inwoners zijn mensen die in dat jaar iets deden: een melding doen, stemmen voor "
    "het buurtbudget of een enquête invullen. We slaan daarvoor niets extra op over mensen.",
    "Melders tellen we per e-mailadres: wie vaker meldde, telt één keer. Meldingen zonder "
    "e-mailadres tellen niet mee. Stemmen tellen per stemcode: één per huishouden. Enquêtes "
    "tellen per ingevulde enquête.",
    "Deze drie zijn niet aan elkaar te koppelen. Wie meldde én stemde, telt daarom twee keer "
    "mee. Per buurt tonen we stemmen en enquêtes niet als het er minder dan 5 zijn.",
]
SOORTEN = ("melders", "stemmen", "enquetes")


def _tellingen(ctx: Context, jaren: list[int]) -> dict[str, dict[tuple[str, int], int]]:
    """soort -> {(area code, year): count} for the area, its buurten, its wijk and the
    gemeente, from the kept counts."""
    codes = [ctx.gebied.code, ctx.gemeente.code, *(c for c, _n in ctx.buurten)]
    wijk_van = {b.code: w.code for w in wijken() for b in w.buurten}
    gemeente_wijken = set(wijk_codes_van_gemeente(ctx.gemeente.code))
    uit: dict[str, dict[tuple[str, int], int]] = {s: defaultdict(int) for s in SOORTEN}
    for code, begin, aantal in db.session.execute(
            select(Melders.gebied_code, Melders.begin, Melders.aantal).where(
                Melders.gebied_code.in_(codes), Melders.periode == "jaar",
                Melders.begin >= date(jaren[0], 1, 1))):
        uit["melders"][(code, begin.year)] += aantal

    def optellen(soort: str, wijk: str | None, buurt: str, jaar: int, aantal: int) -> None:
        wijk = wijk_van.get(buurt, wijk)
        if wijk not in gemeente_wijken:
            return
        uit[soort][(ctx.gemeente.code, jaar)] += aantal
        uit[soort][(wijk, jaar)] += aantal
        if buurt:
            uit[soort][(buurt, jaar)] += aantal

    jaar_stem = extract("year", StemTelling.kwartaal)
    for wijk, buurt, jaar, aantal in db.session.execute(
            select(Budgetronde.wijk_code, StemTelling.buurt_code, jaar_stem,
                   func.sum(StemTelling.stemmen))
            .join(Budgetronde, Budgetronde.id == StemTelling.ronde_id)
            .where(StemTelling.kwartaal >= date(jaren[0], 1, 1))
            .group_by(Budgetronde.wijk_code, StemTelling.buurt_code, jaar_stem)):
        optellen("stemmen", wijk, buurt, int(jaar), int(aantal))
    dag = literal(DAG_NUL) + Telling.waarde
    jaar_enquete = extract("year", dag)
    for wijk, buurt, jaar, aantal in db.session.execute(
            select(Enquete.wijk_code, Telling.buurt_code, jaar_enquete, func.sum(Telling.aantal))
            .join(Enquete, Enquete.id == Telling.enquete_id)
            .where(Telling.vraag_id == 0, dag >= date(jaren[0], 1, 1))
            .group_by(Enquete.wijk_code, Telling.buurt_code, jaar_enquete)):
        optellen("enquetes", wijk, buurt, int(jaar), int(aantal))
    return uit


def _rij(ctx: Context, code: str, jaar: int, t: dict, buurt: bool) -> list:
    melders = t["melders"].get((code, jaar), 0)
    stemmen, enquetes = t["stemmen"].get((code, jaar), 0), t["enquetes"].get((code, jaar), 0)
    if buurt:
        stemmen, enquetes = onderdruk(stemmen), onderdruk(enquetes)
    samen = (TE_WEINIG if TE_WEINIG in (stemmen, enquetes)
             else melders + stemmen + enquetes)
    return [melders, stemmen, enquetes, samen]


def sectie(ctx: Context) -> Sectie:
    jaren = ctx.jaren
    t = _tellingen(ctx, jaren)
    vergelijk = ([Kolom("Per 1.000 inwoners", "per1000"),
                  Kolom("Gemeente per 1.000 inwoners", "per1000")] if ctx.met_inwoners
                 else [Kolom(f"Gemeente, {ctx.gemiddeld_label}", "cijfer")])
    per_jaar = Tabel("actieve-inwoners-per-jaar", "Actieve inwoners per jaar", [
        Kolom("Jaar", "tekst"), Kolom("Melders"), Kolom("Stemmen (huishoudens)"),
        Kolom("Ingevulde enquêtes"), Kolom("Samen"), *vergelijk],
        toelichting=f"{ctx.vandaag.year}: tot en met vandaag.")
    for jaar in jaren:
        rij = _rij(ctx, ctx.gebied.code, jaar, t, ctx.gebied.is_buurt)
        gemeente = sum(t[s].get((ctx.gemeente.code, jaar), 0) for s in SOORTEN)
        hier = rij[-1] if isinstance(rij[-1], int) else 0
        waarden = ctx.vergelijk(hier, gemeente, jaar)
        if rij[-1] is TE_WEINIG:
            waarden = (TE_WEINIG, waarden[1])
        per_jaar.rijen.append([str(jaar), *rij, *(waarden if ctx.met_inwoners
                                                   else waarden[1:])])
    tabellen = [per_jaar]
    if not ctx.gebied.is_buurt:
        per_buurt = Tabel("actieve-inwoners-per-buurt", "Actieve inwoners per buurt", [
            Kolom("Buurt", "tekst"), Kolom("Jaar", "tekst"), Kolom("Melders"),
            Kolom("Stemmen (huishoudens)"), Kolom("Ingevulde enquêtes"), Kolom("Samen"),
            Kolom("Per 1.000 inwoners", "per1000")],
            toelichting="Minder dan 5 stemmen of enquêtes in een buurt: te weinig om te tonen.")
        for code, naam in ctx.buurten:
            for jaar in jaren[-2:]:
                rij = _rij(ctx, code, jaar, t, True)
                samen = rij[-1]
                per_buurt.rijen.append([naam, str(jaar), *rij, per_1000(
                    samen, ctx.inwoners(code, jaar)) if isinstance(samen, int) else samen])
        tabellen.append(per_buurt)
    return Sectie("actief", "Actieve inwoners", uitleg=list(UITLEG), tabellen=tabellen)
