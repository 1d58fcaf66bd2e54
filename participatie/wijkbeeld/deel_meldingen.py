"""The meldingen part of the wijkbeeld: per quarter, per year, per thema and per buurt, each
beside the gemeente."""

from __future__ import annotations

from datetime import date

from participatie.wijkbeeld import meldingen
from participatie.wijkbeeld.context import Context, per_1000
from participatie.wijkbeeld.grafiek import staafgrafiek
from participatie.wijkbeeld.meldingen import Meldingcijfers
from participatie.wijkbeeld.perioden import kwartaal_kort, kwartaal_label
from participatie.wijkbeeld.tabel import Kolom, Sectie, Tabel

UITLEG = [
    "Ontvangen: alle meldingen die in die periode binnenkwamen, ook als ze later zijn "
    "geannuleerd of samengevoegd.",
    "Afgehandeld: meldingen die nu de status afgehandeld hebben, geteld in de periode waarin "
    "ze zijn afgehandeld. Binnen de termijn: afgehandeld op of voor de laatste dag van de "
    "afhandeltermijn van de categorie (in werkdagen).",
    "Doorlooptijd: het aantal dagen van melden tot afhandelen. De mediaan is het midden: de "
    "helft van de meldingen was sneller klaar, de andere helft trager.",
    "Is het opgelost? Na het afhandelen vragen we de melder dat. Nee telt als verzoek om de "
    "melding te heropenen; heropend is hoe vaak de gemeente een melding echt weer opende.",
]


def _kolommen(ctx: Context, eerste: str) -> list[Kolom]:
    return [Kolom(eerste, "tekst"), Kolom("Ontvangen"), *_vergelijk_kolommen(ctx),
            Kolom("Afgehandeld"),
            Kolom("Binnen de termijn", "procent"), Kolom("Gemeente: binnen de termijn",
                                                          "procent"),
            Kolom("Mediaan doorlooptijd (dagen)", "dagen"),
            Kolom("Gemeente: mediaan (dagen)", "dagen"),
            Kolom("Opgelost: ja"), Kolom("Opgelost: nee (verzoek om heropenen)"),
            Kolom("Heropend")]


def _rij(ctx: Context, label: str, c: Meldingcijfers, g: Meldingcijfers,
         jaar: int) -> list:
    hier, gemeente = ctx.vergelijk(c.ontvangen, g.ontvangen, jaar)
    vergelijk = [hier, gemeente] if ctx.met_inwoners else [gemeente]
    return [label, c.ontvangen, *vergelijk, c.afgehandeld, c.binnen_termijn_procent,
            g.binnen_termijn_procent, c.mediaan_dagen, g.mediaan_dagen, c.opgelost_ja,
            c.opgelost_nee, c.heropend]


class Gelezen:
    """The kept rows of one area over all quarters shown, read once: the meldingen per
    (buurt,) quarter and category, and the doorlooptijd histograms per quarter. Every table
    is summed from these in Python (a few thousand rows), not read again."""

    def __init__(self, rijen: dict[tuple, Meldingcijfers],
                 histogrammen: dict[date, dict[int, int]]) -> None:
        self.rijen = rijen  # key (quarter, category) or (buurt, quarter, category)
        self.histogrammen = histogrammen

    def per_kwartaal(self, kwartalen: list[date]) -> dict[date, Meldingcijfers]:
        som = meldingen.optellen(self.rijen, lambda k: k[-2])
        return {k: meldingen.met_mediaan(som.get(k, Meldingcijfers()),
                                         self.histogrammen.get(k, {})) for k in kwartalen}

    def per_jaar(self, jaren: list[int]) -> dict[int, Meldingcijfers]:
        som = meldingen.optellen(self.rijen, lambda k: k[-2].year)
        uit = {}
        for jaar in jaren:
            uit[jaar] = som.get(jaar, Meldingcijfers())
            uit[jaar].mediaan_dagen = meldingen.mediaan_van(
                h for k, h in self.histogrammen.items() if k.year == jaar)
        return uit

    def per_categorie(self, kwartalen: set[date]) -> dict[int, Meldingcijfers]:
        return meldingen.optellen(self.rijen, lambda k: k[-1] if k[-2] in kwartalen else None)

    def per_buurt(self, kwartalen: set[date]) -> dict[str, Meldingcijfers]:
        return meldingen.optellen(self.rijen, lambda k: k[0] if k[-2] in kwartalen else None)

    def totaal(self, kwartalen: set[date]) -> Meldingcijfers:
        som = meldingen.optellen(self.rijen, lambda k: 0 if k[-2] in kwartalen else None)
        return meldingen.met_mediaan(som.get(0, Meldingcijfers()), meldingen.samengevoegd(
            h for k, h in self.histogrammen.items() if k in kwartalen))


def sectie(ctx: Context) -> Sectie:
    gebied, gemeente = ctx.gebied, ctx.gemeente
    kwartalen = ctx.vijf_jaar
    van5, tot = kwartalen[0], kwartalen[-1]
    codes = [gebied.code, gemeente.code, *(c for c, _n in ctx.buurten)]
    histogrammen = meldingen.histogrammen(codes, van5, tot)
    wijk = Gelezen(meldingen.per(gebied, van5, tot, "buurt", "kwartaal", "categorie"),
                   histogrammen[gebied.code])
    stad = Gelezen(meldingen.per(gemeente, van5, tot, "kwartaal", "categorie"),
                   histogrammen[gemeente.code])
    hier, daar = wijk.per_kwartaal(kwartalen), stad.per_kwartaal(kwartalen)
    jaar_hier, jaar_daar = wijk.per_jaar(ctx.jaren), stad.per_jaar(ctx.jaren)
    recent = ctx.recente_kwartalen
    van = recent[0]

    per_kwartaal = Tabel("meldingen-per-kwartaal", "Meldingen per kwartaal",
                         _kolommen(ctx, "Kwartaal"), toelichting=_bron(ctx))
    for k in ctx.kwartalen:
        per_kwartaal.rijen.append(_rij(ctx, kwartaal_label(k), hier[k], daar[k], k.year))
    per_jaar = Tabel("meldingen-per-jaar", "Meldingen per jaar", _kolommen(ctx, "Jaar"),
                     toelichting=f"{ctx.vandaag.year}: tot en met vandaag.")
    for jaar in ctx.jaren:
        per_jaar.rijen.append(_rij(ctx, str(jaar), jaar_hier[jaar], jaar_daar[jaar], jaar))

    tabellen = [per_kwartaal, per_jaar, _themas(ctx, van, wijk, stad, set(recent))]
    if not gebied.is_buurt:
        tabellen.append(_buurten(ctx, van, wijk, stad, set(recent), histogrammen))

    s = Sectie("meldingen", "Meldingen", uitleg=list(UITLEG), tabellen=tabellen)
    korte = [kwartaal_kort(k) for k in ctx.kwartalen]
    labels = [kwartaal_label(k) for k in ctx.kwartalen]
    if ctx.met_inwoners:
        groepen = [(label, list(ctx.vergelijk(hier[k].ontvangen, daar[k].ontvangen, k.year)))
                   for label, k in zip(labels, ctx.kwartalen, strict=True)]
        s.grafieken.append(staafgrafiek(
            "grafiek-meldingen", "Meldingen per 1.000 inwoners per kwartaal", groepen,
            [gebied.naam, gemeente.naam], korte_labels=korte))
    else:
        groepen = [(label, [float(hier[k].ontvangen),
                            ctx.vergelijk(hier[k].ontvangen, daar[k].ontvangen)[1]])
                   for label, k in zip(labels, ctx.kwartalen, strict=True)]
        s.grafieken.append(staafgrafiek(
            "grafiek-meldingen", "Ontvangen meldingen per kwartaal", groepen,
            [gebied.naam, f"{gemeente.naam}, {ctx.gemiddeld_label}"], korte_labels=korte))
    s.grafieken.append(staafgrafiek(
        "grafiek-termijn", "Afgehandeld binnen de termijn per kwartaal",
        [(label, [hier[k].binnen_termijn_procent, daar[k].binnen_termijn_procent])
         for label, k in zip(labels, ctx.kwartalen, strict=True)],
        [gebied.naam, gemeente.naam], eenheid="%", bovengrens=100, korte_labels=korte))
    return s


def _bron(ctx: Context) -> str:
    if ctx.met_inwoners:
        return (f"Inwoners: CBS, Kerncijfers wijken en buurten {ctx.cbs_jaar(ctx.gebied.code)} "
                "(het jaar dat het dichtst bij ligt, niet later dan het kwartaal als dat kan).")
    return ("Er zijn geen inwonersaantallen van CBS ingelezen voor dit gebied, dus staan hier "
            "aantallen en geen cijfers per 1.000 inwoners. De gemeente staat ernaast als "
            f"gemiddelde: het totaal van de gemeente gedeeld door {ctx.aantal_gebieden} "
            f"{'buurten' if ctx.gebied.is_buurt else 'wijken'}.")


def _vergelijk_kolommen(ctx: Context) -> list[Kolom]:
    if ctx.met_inwoners:
        return [Kolom("Per 1.000 inwoners", "per1000"),
                Kolom("Gemeente per 1.000 inwoners", "per1000")]
    return [Kolom(f"Gemeente, {ctx.gemiddeld_label}", "cijfer")]


def _themas(ctx: Context, van: date, wijk: Gelezen, stad: Gelezen, recent: set[date],
            ) -> Tabel:
    gemeente = {t.sleutel: t for t in meldingen.thema_regels(stad.per_categorie(recent))}
    gemeente_cat = {c.sleutel: c for t in gemeente.values() for c in t.categorieen}
    tabel = Tabel("meldingen-per-thema", "Meldingen per thema en categorie, afgelopen jaar",
                  [Kolom("Thema", "tekst"), Kolom("Categorie", "tekst"), Kolom("Ontvangen"),
                   *_vergelijk_kolommen(ctx), Kolom("Afgehandeld"),
                   Kolom("Binnen de termijn", "procent"),
                   Kolom("Gemeente: binnen de termijn", "procent"),
                   Kolom("Opgelost: nee (verzoek om heropenen)")],
                  toelichting=f"Van {kwartaal_label(van)} tot en met vandaag.")

    def rij(thema: str, categorie: str, c: Meldingcijfers, g) -> list:
        hier, daar = ctx.vergelijk(c.ontvangen, g.cijfers.ontvangen if g else 0)
        return [thema, categorie, c.ontvangen, *([hier, daar] if ctx.met_inwoners else [daar]),
                c.afgehandeld, c.binnen_termijn_procent,
                g.cijfers.binnen_termijn_procent if g else None, c.opgelost_nee]

    for thema in meldingen.thema_regels(wijk.per_categorie(recent)):
        tabel.rijen.append(rij(thema.label, "Alle categorieën", thema.cijfers,
                               gemeente.get(thema.sleutel)))
        for cat in thema.categorieen:
            tabel.rijen.append(rij(thema.label, cat.label, cat.cijfers,
                                   gemeente_cat.get(cat.sleutel)))
    return tabel


def _buurten(ctx: Context, van: date, wijk: Gelezen, stad: Gelezen, recent: set[date],
             histogrammen: dict) -> Tabel:
    per_buurt = wijk.per_buurt(recent)
    tabel = Tabel("meldingen-per-buurt", "Meldingen per buurt, afgelopen jaar",
                  [Kolom("Buurt", "tekst"), Kolom("Inwoners"), Kolom("Ontvangen"),
                   Kolom("Per 1.000 inwoners", "per1000"), Kolom("Afgehandeld"),
                   Kolom("Binnen de termijn", "procent"),
                   Kolom("Mediaan doorlooptijd (dagen)", "dagen"), Kolom("Opgelost: ja"),
                   Kolom("Opgelost: nee (verzoek om heropenen)")],
                  toelichting=f"Van {kwartaal_label(van)} tot en met vandaag.")
    regels = [(naam, ctx.inwoners(code), meldingen.met_mediaan(
        per_buurt.get(code, Meldingcijfers()), meldingen.samengevoegd(
            h for k, h in histogrammen[code].items() if k in recent)))
        for code, naam in ctx.buurten]
    # The wijk and the gemeente as the last rows, to compare each buurt with.
    regels.append((f"Wijk {ctx.gebied.naam}", ctx.inwoners(ctx.gebied.code),
                   wijk.totaal(recent)))
    regels.append((f"Gemeente {ctx.gemeente.naam}", ctx.inwoners(ctx.gemeente.code),
                   stad.totaal(recent)))
    for naam, inwoners, c in regels:
        tabel.rijen.append([naam, inwoners, c.ontvangen, per_1000(c.ontvangen, inwoners),
                            c.afgehandeld, c.binnen_termijn_procent, c.mediaan_dagen,
                            c.opgelost_ja, c.opgelost_nee])
    return tabel
