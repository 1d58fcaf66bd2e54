"""The buurtbudget part of the wijkbeeld: the rounds of the wijk, turnout beside the
gemeente's, the funded ideas and how far their uitvoering is."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from participatie.buurtbudget.models import Budgetronde, Idee, IdeeUpdate
from participatie.buurtbudget.workflow import IdeeStatus, UitvoeringStand
from participatie.extensions import db
from participatie.wijkbeeld.context import Context
from participatie.wijkbeeld.models import StemcodeTelling, StemTelling
from participatie.wijkbeeld.perioden import wijk_codes_van_gemeente
from participatie.wijkbeeld.tabel import Kolom, Sectie, Tabel, onderdruk

UITLEG = [
    "Opkomst: het aantal stemmen gedeeld door het aantal stemcodes dat in brieven is "
    "verstuurd. Eén stemcode is één huishouden; stemt iemand opnieuw, dan telt alleen de "
    "laatste stem.",
    "Per buurt tonen we geen stemmen als het er minder dan 5 zijn: te weinig om te tonen, "
    "zodat niemand kan nagaan wat een huishouden stemde.",
    "Uitvoering: de laatste stand die de gemeente bij een gekozen idee heeft gemeld.",
]


def _per_ronde(model, kolom, ronde_ids: list[int]) -> dict[int, dict[str, int]]:
    """ronde -> {buurt ('' = the whole area): count} from a kept count table."""
    uit: dict[int, dict[str, int]] = defaultdict(dict)
    for ronde_id, buurt, aantal in db.session.execute(
            select(model.ronde_id, model.buurt_code, func.sum(kolom))
            .where(model.ronde_id.in_(ronde_ids)).group_by(model.ronde_id, model.buurt_code)):
        uit[ronde_id][buurt] = int(aantal)
    return uit


def _opkomst(stemmen: int | None, codes: int | None) -> float | None:
    if stemmen is None or not codes:
        return None
    return 100 * stemmen / codes


def _gemeente_opkomst(ctx: Context) -> float | None:
    rondes = select(Budgetronde.id).where(
        Budgetronde.wijk_code.in_(wijk_codes_van_gemeente(ctx.gemeente.code)))
    stemmen = db.session.scalar(select(func.sum(StemTelling.stemmen))
                                .where(StemTelling.ronde_id.in_(rondes))) or 0
    codes = db.session.scalar(select(func.sum(StemcodeTelling.codes))
                              .where(StemcodeTelling.ronde_id.in_(rondes))) or 0
    return _opkomst(int(stemmen), int(codes))


def sectie(ctx: Context) -> Sectie:
    rondes = [r for r in db.session.scalars(
        select(Budgetronde).where(Budgetronde.wijk_code == ctx.gebied.wijk_code)
        .options(selectinload(Budgetronde.buurten)).order_by(Budgetronde.stemmen_vanaf))
        if not ctx.gebied.is_buurt or not r.buurten
        or ctx.gebied.code in {b.code for b in r.buurten}]
    ids = [r.id for r in rondes]
    stemmen = _per_ronde(StemTelling, StemTelling.stemmen, ids)
    codes = _per_ronde(StemcodeTelling, StemcodeTelling.codes, ids)
    ideeen = dict(db.session.execute(
        select(Idee.ronde_id, func.count()).where(
            Idee.ronde_id.in_(ids), Idee.status != IdeeStatus.SAMENGEVOEGD.value)
        .group_by(Idee.ronde_id)).all())
    gekozen = _gekozen(ids)
    gemeente = _gemeente_opkomst(ctx)

    buurt = ctx.gebied.code if ctx.gebied.is_buurt else None
    overzicht = Tabel("buurtbudget-rondes", "Buurtbudget: rondes en opkomst", [
        Kolom("Ronde", "tekst"), Kolom("Fase", "tekst"), Kolom("Budget", "geld"),
        Kolom("Stemcodes verstuurd"), Kolom("Stemmen"), Kolom("Opkomst", "procent"),
        Kolom("Gemeente: opkomst", "procent"), Kolom("Ideeën ingediend"),
        Kolom("Gekozen ideeën"), Kolom("Gekozen en klaar")],
        toelichting="Alleen de stemcodes en stemmen van deze buurt." if buurt else "")
    for r in rondes:
        n_codes = codes[r.id].get(buurt, 0) if buurt else sum(codes[r.id].values())
        n_stemmen = stemmen[r.id].get(buurt, 0) if buurt else sum(stemmen[r.id].values())
        getoond = onderdruk(n_stemmen) if buurt else n_stemmen
        opkomst = _opkomst(n_stemmen, n_codes) if getoond == n_stemmen else getoond
        klaar = sum(1 for _i, stand, _p, _d in gekozen[r.id] if stand == UitvoeringStand.KLAAR)
        overzicht.rijen.append([r.naam, r.fase_enum.label, r.budget, n_codes, getoond, opkomst,
                                gemeente, ideeen.get(r.id, 0), len(gekozen[r.id]), klaar])

    uitvoering = Tabel("buurtbudget-uitvoering", "Buurtbudget: gekozen ideeën en uitvoering", [
        Kolom("Ronde", "tekst"), Kolom("Idee", "tekst"), Kolom("Kosten", "geld"),
        Kolom("Stand", "tekst"), Kolom("Voortgang", "procent"),
        Kolom("Laatst bijgewerkt", "tekst")])
    for r in rondes:
        for idee, stand, procent, dag in gekozen[r.id]:
            uitvoering.rijen.append([
                r.naam, idee.titel, idee.ballotkosten,
                UitvoeringStand(stand).label if stand else "Nog niet begonnen", procent,
                dag])
    tabellen = [overzicht, uitvoering]
    if not buurt:
        tabellen.append(_per_buurt(ctx, rondes, stemmen, codes))
    return Sectie("buurtbudget", "Buurtbudget", uitleg=list(UITLEG), tabellen=tabellen)


def _gekozen(ronde_ids: list[int]) -> dict[int, list[tuple]]:
    """ronde -> [(idee, stand, procent, day of the last progress)] of its funded ideas."""
    laatste = (select(IdeeUpdate.idee_id, func.max(IdeeUpdate.id).label("id"))
               .where(IdeeUpdate.soort == "voortgang", IdeeUpdate.publiek)
               .group_by(IdeeUpdate.idee_id).subquery())
    uit: dict[int, list[tuple]] = defaultdict(list)
    for idee, stand, procent, moment in db.session.execute(
            select(Idee, IdeeUpdate.status, IdeeUpdate.voortgang, IdeeUpdate.created_at)
            .outerjoin(laatste, laatste.c.idee_id == Idee.id)
            .outerjoin(IdeeUpdate, IdeeUpdate.id == laatste.c.id)
            .where(Idee.ronde_id.in_(ronde_ids), Idee.gekozen).order_by(Idee.id)):
        uit[idee.ronde_id].append((idee, stand, procent,
                                   moment.date() if moment is not None else None))
    return uit


def _per_buurt(ctx: Context, rondes, stemmen, codes) -> Tabel:
    tabel = Tabel("buurtbudget-per-buurt", "Buurtbudget: opkomst per buurt", [
        Kolom("Ronde", "tekst"), Kolom("Buurt", "tekst"), Kolom("Stemcodes verstuurd"),
        Kolom("Stemmen"), Kolom("Opkomst", "procent")],
        toelichting="Minder dan 5 stemmen in een buurt: te weinig om te tonen.")
    namen = dict(ctx.buurten) | {"": "Hele gebied (codes zonder buurt)"}
    for r in rondes:
        for buurt in sorted(set(codes[r.id]) | set(stemmen[r.id]), key=lambda b: (b == "", b)):
            n = stemmen[r.id].get(buurt, 0)
            getoond = onderdruk(n)
            tabel.rijen.append([r.naam, namen.get(buurt, buurt), codes[r.id].get(buurt, 0),
                                getoond, _opkomst(n, codes[r.id].get(buurt, 0))
                                if getoond == n else getoond])
    return tabel
