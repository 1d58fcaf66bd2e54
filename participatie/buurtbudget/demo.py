"""Demo buurtbudget rounds in wijk Noord, made through the same services as the real thing.

One finished round (De Noork, 2025: ideas, feasibility, 540 ballots, the outcome by the
Method of Equal Shares, progress on the funded ideas) and one round open for voting (Elsbeek
and Klein Driene), whose stemcodes are written to a CSV in the instance folder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from participatie.accounts.models import User
from participatie.buurtbudget import beoordeling, services, stemmen
from participatie.buurtbudget.ideeen import IdeeGegevens, dien_in
from participatie.buurtbudget.models import Budgetronde, Idee
from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze, UitvoeringStand
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.tijd import TIJDZONE, vandaag

NOORD = "WK016402"
SEED = 2025


@dataclass(frozen=True)
class DemoIdee:
    titel: str
    omschrijving: str
    schatting: int
    kosten: int | None  # the gemeente's estimate; None: not feasible
    toelichting: str
    populariteit: float  # chance a voter ticks it


AFGEROND = [
    DemoIdee("Bankjes en een picknicktafel bij de vijver", "Er is nergens om even te zitten "
             "bij de vijver. Twee bankjes en een picknicktafel maken het een plek om elkaar te "
             "ontmoeten.", 6_000, 7_500, "Kan. De bankjes komen op de verharde strook aan de "
             "westkant; Gildebor plaatst ze.", 0.55),
    DemoIdee("Moestuin voor de buurt", "Een gezamenlijke moestuin op het braakliggende stuk "
             "naast de school, met bakken op hoogte zodat ook ouderen mee kunnen doen.", 9_000,
             11_000, "Kan, als een groep bewoners de tuin onderhoudt. Wijkracht helpt met "
             "opstarten.", 0.4),
    DemoIdee("Speeltoestel voor de kleintjes", "Op het speelveld aan de Marconistraat staat "
             "alleen een klimrek voor grote kinderen. Graag iets voor peuters.", 12_000, 14_000,
             "Kan. Een peutertoestel met valondergrond.", 0.45),
    DemoIdee("Extra prullenbakken langs het fietspad", "Langs het fietspad naar het centrum "
             "ligt veel zwerfvuil. Drie prullenbakken zouden helpen.", 1_500, 2_400,
             "Kan. Gildebor leegt ze twee keer per week.", 0.3),
    DemoIdee("Buurtfeest in september", "Een straatfeest voor de hele buurt met muziek, eten "
             "van verschillende culturen en spelletjes voor de kinderen.", 4_000, 4_000,
             "Kan. De gemeente regelt de vergunning.", 0.35),
    DemoIdee("Bloembakken in de Deurningerstraat", "Bloembakken aan de lantaarnpalen maken de "
             "straat vrolijker.", 3_000, 3_800, "Kan, met onderhoud door Gildebor.", 0.25),
    DemoIdee("Verlichting op het pad achter de flats", "Het pad achter de flats is 's avonds "
             "donker. Mensen lopen liever om.", 8_000, 9_500, "Kan. Ledverlichting met een "
             "sensor, zodat het niet de hele nacht brandt.", 0.5),
    DemoIdee("Een zwembad in het park", "Een openluchtbad voor de zomer.", 250_000, None,
             "Niet haalbaar: het kost vele malen het budget en het onderhoud past niet in "
             "een buurtbudget.", 0.0),
]

OPEN = [
    DemoIdee("Jeu-de-boulesbaan bij het buurthuis", "Een baan waar ouderen en jongeren samen "
             "kunnen spelen.", 5_000, 6_200, "Kan. Naast het buurthuis is ruimte.", 0.0),
    DemoIdee("Minibieb bij de speeltuin", "Een kastje waar bewoners boeken ruilen.", 600, 900,
             "Kan. Een bewoner beheert het kastje.", 0.0),
    DemoIdee("Groene speelplek in Klein Driene", "Boomstammen, keien en struiken in plaats van "
             "tegels.", 15_000, 17_500, "Kan. Samen met de school ontworpen.", 0.0),
    DemoIdee("Hondenpoepbakken met zakjes", "Vier bakken met zakjes rond het grasveld.", 2_000,
             2_800, "Kan.", 0.0),
    DemoIdee("Cursus EHBO voor buurtbewoners", "Twintig bewoners leren reanimeren en de AED "
             "gebruiken.", 3_500, 3_500, "Kan. Het Rode Kruis geeft de cursus.", 0.0),
]


def _op(dag: date) -> datetime:
    return datetime.combine(dag, time(10), tzinfo=TIJDZONE).astimezone(UTC)


def _ronde(naam: str, buurten: list[str], budget: int, regel: Regel, start: date,
           door: User) -> Budgetronde:
    return services.maak_ronde(services.RondeGegevens(
        naam=naam, wijk=db.session.get(Wijk, NOORD),
        buurten=[db.session.get(Buurt, b) for b in buurten], budget=budget,
        stemwijze=Stemwijze.BUDGET, regel=regel, aanvullen=True,
        uitleg="Bewoners bedenken hoe het geld de buurt mooier, schoner of gezelliger maakt. "
               "Wat haalbaar is, komt op het stembiljet. Iedere woning krijgt een brief met "
               "een stemcode.",
        data={f: start + timedelta(weeks=5 * i) for i, f in enumerate(Fase)}), door=door)


def _ideeen(ronde: Budgetronde, lijst: list[DemoIdee], door: User, dag: date,
            rng: random.Random) -> list[tuple[Idee, DemoIdee]]:
    """Submitted as residents do, then judged as staff do."""
    uit = []
    for n, demo in enumerate(lijst):
        idee = dien_in(ronde, IdeeGegevens(
            titel=demo.titel, omschrijving=demo.omschrijving, kosten_schatting=demo.schatting,
            plek=None, locatie_tekst="", email=f"bewoner.idee{ronde.id}.{n}@voorbeeld.nl",
            foto=None), op=_op(dag + timedelta(days=rng.randint(0, 20))), bevestigen=False)
        uit.append((idee, demo))
    services.wijzig_fase(ronde, Fase.BEOORDELEN, door=door)
    for idee, demo in uit:
        beoordeling.publiceren(door, idee)
        beoordeling.haalbaarheid(door, idee, demo.kosten is not None, demo.toelichting,
                                 demo.kosten)
    return uit


def _stem(ronde: Budgetronde, paren: list[tuple[Idee, DemoIdee]], codes: list[str],
          rng: random.Random) -> None:
    """Ballots as residents cast them: each ticks what they like while it fits the budget."""
    haalbaar = [(i, d) for i, d in paren if d.kosten is not None]
    for code in codes:
        keuze, totaal = [], 0
        for idee, demo in rng.sample(haalbaar, len(haalbaar)):
            if rng.random() < demo.populariteit and totaal + idee.ballotkosten <= ronde.budget:
                keuze.append(idee.id)
                totaal += idee.ballotkosten
        if not keuze:
            keuze = [max(haalbaar, key=lambda p: p[1].populariteit)[0].id]
        stemmen.breng_uit(ronde, stemmen.zoek_stemcode(ronde, code),
                          stemmen.controleer_keuze(ronde, keuze))


def vul(regisseur: User) -> list[str]:
    """The two demo rounds, once (flushes); returns lines to print."""
    if db.session.scalar(select(Budgetronde.id).where(Budgetronde.naam.like("Buurtbudget%2025"))):
        return ["Demo-buurtbudget bestaat al; er is niets toegevoegd."]
    rng = random.Random(SEED)
    nu = vandaag()

    klaar = _ronde("Buurtbudget De Noork 2025", ["BU01640202"], 40_000, Regel.MES,
                   nu - timedelta(weeks=30), regisseur)
    paren = _ideeen(klaar, AFGEROND, regisseur, klaar.indienen_vanaf, rng)
    services.wijzig_fase(klaar, Fase.STEMMEN, door=regisseur)
    _stem(klaar, paren, stemmen.maak_stemcodes(klaar, 900, buurt=klaar.buurten[0],
                                               door=regisseur)[:540], rng)
    services.wijzig_fase(klaar, Fase.UITSLAG, door=regisseur)
    services.wijzig_fase(klaar, Fase.UITVOERING, door=regisseur)
    for idee, _demo in paren:
        if idee.gekozen:
            klaar_al = rng.random() < 0.5
            beoordeling.voortgang(
                regisseur, idee, UitvoeringStand.KLAAR if klaar_al else UitvoeringStand.BEZIG,
                100 if klaar_al else 40, "Klaar! Dank aan iedereen die meedacht." if klaar_al
                else "De opdracht is gegeven; de uitvoering is begonnen.")

    open_ = _ronde("Buurtbudget Elsbeek en Klein Driene 2026", ["BU01640201", "BU01640203"],
                   30_000, Regel.MEESTE_STEMMEN, nu - timedelta(weeks=10), regisseur)
    _ideeen(open_, OPEN, regisseur, open_.indienen_vanaf, rng)
    services.wijzig_fase(open_, Fase.STEMMEN, door=regisseur)
    codes = stemmen.maak_stemcodes(open_, 200, buurt=None, door=regisseur)
    pad = Path(current_app.instance_path) / f"demo-stemcodes-{open_.slug}.csv"
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(stemmen.codes_csv(open_, codes, None), encoding="utf-8")
    pad.chmod(0o600)
    return [f"Demo-buurtbudget: '{klaar.naam}' (uitslag en uitvoering, 540 stemmen) en "
            f"'{open_.naam}' (stemmen open).",
            f"Stemcodes van de open ronde: {pad}"]
