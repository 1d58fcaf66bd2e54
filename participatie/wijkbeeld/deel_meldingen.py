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


def sectie(ctx: Context) -> Sectie:
    gebied, gemeente = ctx.gebied, ctx.gemeente
    kwartalen = ctx.vijf_jaar
    hier, jaar_hier = meldingen.per_kwartaal_en_jaar(gebied, kwartalen)
    daar, jaar_daar = meldingen.per_kwartaal_en_jaar(gemeente, kwartalen)
    recent = ctx.recente_kwartalen
    van, tot = recent[0], recent[-1]

    per_kwartaal = Tabel("meldingen-per-kwartaal", "Meldingen per kwartaal",
                         _kolommen(ctx, "Kwartaal"), toelichting=_bron(ctx))
    for k in ctx.kwartalen:
        per_kwartaal.rijen.append(_rij(ctx, kwartaal_label(k), hier[k], daar[k], k.year))
    per_jaar = Tabel("meldingen-per-jaar", "Meldingen per jaar", _kolommen(ctx, "Jaar"),
                     toelichting=f"{ctx.vandaag.year}: tot en met vandaag.")
    for jaar in ctx.jaren:
        per_jaar.rijen.append(_rij(ctx, str(jaar), jaar_hier[jaar], jaar_daar[jaar], jaar))

    themas = _themas(ctx, van, tot)
    tabellen = [per_kwartaal, per_jaar, themas]
    if not gebied.is_buurt:
        tabellen.append(_buurten(ctx, van, tot))

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


def _themas(ctx: Context, van: date, tot: date) -> Tabel:
    gemeente = {t.sleutel: t for t in meldingen.per_thema(ctx.gemeente, van, tot)}
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

    for thema in meldingen.per_thema(ctx.gebied, van, tot):
        tabel.rijen.append(rij(thema.label, "Alle categorieën", thema.cijfers,
                               gemeente.get(thema.sleutel)))
        for cat in thema.categorieen:
            tabel.rijen.append(rij(thema.label, cat.label, cat.cijfers,
                                   gemeente_cat.get(cat.sleutel)))
    return tabel


def _buurten(ctx: Context, van: date, tot: date) -> Tabel:
    rijen = meldingen.per(ctx.gebied, van, tot, "buurt")
    histogrammen = meldingen.verdeling_per_gebied([c for c, _n in ctx.buurten], van, tot)
    tabel = Tabel("meldingen-per-buurt", "Meldingen per buurt, afgelopen jaar",
                  [Kolom("Buurt", "tekst"), Kolom("Inwoners"), Kolom("Ontvangen"),
                   Kolom("Per 1.000 inwoners", "per1000"), Kolom("Afgehandeld"),
                   Kolom("Binnen de termijn", "procent"),
                   Kolom("Mediaan doorlooptijd (dagen)", "dagen"), Kolom("Opgelost: ja"),
                   Kolom("Opgelost: nee (verzoek om heropenen)")],
                  toelichting=f"Van {kwartaal_label(van)} tot en met vandaag.")
    regels = [(naam, ctx.inwoners(code), meldingen.met_mediaan(
        rijen.get((code,), Meldingcijfers()), histogrammen.get(code, {})))
        for code, naam in ctx.buurten]
    # The wijk and the gemeente as the last rows, to compare each buurt with.
    for gebied in (ctx.gebied, ctx.gemeente):
        regels.append((f"{'Wijk' if gebied is ctx.gebied else 'Gemeente'} {gebied.naam}",
                       ctx.inwoners(gebied.code), meldingen.totaal(gebied, van, tot)))
    for naam, inwoners, c in regels:
        tabel.rijen.append([naam, inwoners, c.ontvangen, per_1000(c.ontvangen, inwoners),
                            c.afgehandeld, c.binnen_termijn_procent, c.mediaan_dagen,
                            c.opgelost_ja, c.opgelost_nee])
    return tabel
