"""Demo buurtbudget rounds in wijk Noord, made through the same services as the real thing.

Three rounds, a year apart, so that Noord's wijkbeeld and public page tell a story:

- the whole wijk, started 92 weeks ago: ideas, feasibility, ballots per buurt, the outcome,
  and every funded idea carried out since, with progress and a photo of the result;
- De Noork, started a year later: the outcome by the Method of Equal Shares, half of the funded
  ideas finished (with a photo), the rest under way;
- Elsbeek and Klein Driene, open for voting now; its stemcodes go to a CSV in the instance
  folder.

What the services date "now" (ideas, decisions, ballots, progress) is moved back to the
day it would have happened, so the history reads as it would after two real years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import Date, literal, select, update

from participatie import media
from participatie.accounts.models import User
from participatie.buurtbudget import beoordeling, services, stemmen
from participatie.buurtbudget.ideeen import IdeeGegevens, dien_in
from participatie.buurtbudget.models import Budgetronde, Idee, Stem
from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze, UitvoeringStand
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.tijd import TIJDZONE, vandaag

NOORD = "WK016402"
SEED = 2025
FASE_WEKEN = 5  # each phase of a demo round lasts five weeks


@dataclass(frozen=True)
class DemoIdee:
    titel: str
    omschrijving: str
    schatting: int
    kosten: int | None  # the gemeente's estimate; None: not feasible
    toelichting: str
    populariteit: float  # chance a voter ticks it


EERDER = [
    DemoIdee("Speeltuin in Elsbeek opknappen", "De speeltoestellen zijn oud en er is niets "
             "voor kinderen onder de vier. Nieuwe toestellen en een zandbak graag.", 14_000,
             15_500, "Kan. Twee nieuwe toestellen, een zandbak en een bankje voor ouders.",
             0.6),
    DemoIdee("Muurschildering in de fietstunnel", "De tunnel onder de Bornsestraat is donker "
             "en vol graffiti. Laat kinderen uit de buurt samen met een kunstenaar een "
             "schildering maken.", 6_000, 6_500, "Kan. Een kunstenaar begeleidt de "
             "kinderen; Gildebor maakt de muur eerst schoon.", 0.5),
    DemoIdee("Buurtmoestuin in 't Rot", "Een moestuin op het grasveld achter de flats, waar "
             "bewoners samen groente kweken.", 7_000, 8_000, "Kan, als bewoners de tuin "
             "onderhouden. Wijkracht helpt met opstarten.", 0.35),
    DemoIdee("Fietsenrekken bij het winkelcentrum", "Fietsen staan nu overal op de stoep. "
             "Twintig extra plekken graag.", 3_000, 3_600, "Kan.", 0.3),
    DemoIdee("Hangplek voor jongeren met een overkapping", "Jongeren hebben geen plek om "
             "samen te zijn. Een overkapping met bankjes bij het sportveld.", 15_000, 18_000,
             "Kan. Op het sportveld, ver genoeg van de huizen.", 0.3),
    DemoIdee("Ijsbaan in de winter", "Een kunstijsbaan op het plein in december.", 60_000,
             None, "Niet haalbaar: het kost bijna twee keer het budget en de stroom is er "
             "niet.", 0.0),
]

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

# The work on a funded idea, step by step: (stand, percent, message, weeks after the start
# of uitvoering, with a photo). The last step of a finished idea always has a photo.
KLAAR = [
    (UitvoeringStand.VOORBEREIDING, 10, "De opdracht is gegeven. We spreken de plek af met "
     "de buren.", 2, False),
    (UitvoeringStand.BEZIG, 60, "Het werk is begonnen.", 9, True),
    (UitvoeringStand.KLAAR, 100, "Klaar! Dank aan iedereen die meedacht en meestemde.", 16,
     True),
]
VERTRAAGD = (UitvoeringStand.VERTRAAGD, 60, "De levering duurt langer dan gepland. We "
             "verwachten het werk over een paar weken af te ronden.", 12, False)
BEZIG = [
    (UitvoeringStand.VOORBEREIDING, 10, "De opdracht is gegeven. We spreken de plek af met "
     "de buren.", 2, False),
    (UitvoeringStand.BEZIG, 40, "De uitvoering is begonnen.", 8, True),
]


def _op(dag: date) -> datetime:
    return datetime.combine(dag, time(10), tzinfo=TIJDZONE).astimezone(UTC)


def _ronde(naam: str, buurten: list[str], budget: int, regel: Regel, start: date,
           door: User) -> Budgetronde:
    """A round whose phases start every five weeks from `start`; its name gets the year of
    its voting."""
    data = {f: start + timedelta(weeks=FASE_WEKEN * i) for i, f in enumerate(Fase)}
    ronde = services.maak_ronde(services.RondeGegevens(
        naam=f"{naam} {data[Fase.STEMMEN].year}", wijk=db.session.get(Wijk, NOORD),
        buurten=[db.session.get(Buurt, b) for b in buurten], budget=budget,
        stemwijze=Stemwijze.BUDGET, regel=regel, aanvullen=True,
        uitleg="Bewoners bedenken hoe het geld de buurt mooier, schoner of gezelliger maakt. "
               "Wat haalbaar is, komt op het stembiljet. Iedere woning krijgt een brief met "
               "een stemcode.",
        data=data), door=door)
    ronde.created_at = _op(start - timedelta(weeks=2))
    return ronde


def _ideeen(ronde: Budgetronde, lijst: list[DemoIdee], door: User,
            rng: random.Random) -> list[tuple[Idee, DemoIdee]]:
    """Submitted as residents do, then judged as staff do (on their days)."""
    uit = []
    for n, demo in enumerate(lijst):
        idee = dien_in(ronde, IdeeGegevens(
            titel=demo.titel, omschrijving=demo.omschrijving, kosten_schatting=demo.schatting,
            plek=None, locatie_tekst="", email=f"bewoner.idee{ronde.id}.{n}@voorbeeld.nl",
            foto=None), op=_op(ronde.indienen_vanaf + timedelta(days=rng.randint(0, 30))),
            bevestigen=False)
        uit.append((idee, demo))
    services.wijzig_fase(ronde, Fase.BEOORDELEN, door=door)
    for idee, demo in uit:
        beoordeling.publiceren(door, idee)
        beoordeling.haalbaarheid(door, idee, demo.kosten is not None, demo.toelichting,
                                 demo.kosten)
        beoordeeld = _op(ronde.beoordelen_vanaf + timedelta(days=rng.randint(1, 25)))
        for u in idee.updates[1:]:
            u.created_at = beoordeeld
    return uit


def _stem(ronde: Budgetronde, paren: list[tuple[Idee, DemoIdee]], codes: list[str],
          rng: random.Random) -> None:
    """Ballots as residents cast them: each ticks what they like while it fits the budget;
    spread over the weeks of voting (most in the first days after the letter)."""
    # Read once: every ballot expires the session (breng_uit), and reading these again per
    # ballot would cost a query per idea.
    haalbaar = [(i.id, i.ballotkosten, d.populariteit) for i, d in paren if d.kosten is not None]
    budget, stemmen_vanaf = ronde.budget, ronde.stemmen_vanaf
    favoriet = max(haalbaar, key=lambda h: h[2])[0]
    for code in codes:
        keuze, totaal = [], 0
        for ident, kosten, populariteit in rng.sample(haalbaar, len(haalbaar)):
            if rng.random() < populariteit and totaal + kosten <= budget:
                keuze.append(ident)
                totaal += kosten
        stemmen.breng_uit(ronde, stemmen.zoek_stemcode(ronde, code),
                          stemmen.controleer_keuze(ronde, keuze or [favoriet]))
    if stemmen_vanaf < vandaag():
        # One UPDATE: a ballot on day (id mod 6)² of voting, so the first week is busiest.
        rest = Stem.id % 6
        db.session.execute(update(Stem).where(Stem.ronde_id == ronde.id).values(
            dag=literal(stemmen_vanaf, Date) + rest * rest))


def _foto(rng: random.Random) -> media.VerwerkteFoto:
    """A picture of the finished work (a park with the new thing in it), drawn for the demo
    and stored through the photo pipeline like a staff member's upload."""
    beeld = Image.new("RGB", (1200, 900), (150, 196, 230))
    teken = ImageDraw.Draw(beeld)
    teken.rectangle((0, 520, 1200, 900), fill=(86, 150, 70))
    for _ in range(5):
        x = rng.randint(40, 1160)
        teken.rectangle((x - 12, 360, x + 12, 560), fill=(101, 67, 33))
        teken.ellipse((x - 90, 220, x + 90, 420), fill=(46, 110, 50))
    kleur = (rng.randint(120, 230), rng.randint(60, 160), rng.randint(30, 90))
    teken.rounded_rectangle((420, 560, 780, 700), radius=18, fill=kleur)
    data = BytesIO()
    beeld.save(data, "JPEG", quality=85)
    data.seek(0)
    config = current_app.config
    return media.verwerk(data, config["MEDIA_DIR"], max_bytes=config["MAX_PHOTO_BYTES"],
                         max_pixels=config["MAX_PHOTO_PIXELS"])


def _voortgang(regisseur: User, idee: Idee, stappen, begin: date,
               rng: random.Random) -> None:
    """Post the steps of the work that have happened by today, on their days."""
    for stand, procent, bericht, weken, met_foto in stappen:
        dag = begin + timedelta(weeks=weken, days=rng.randint(0, 6))
        if dag >= vandaag():
            return
        foto = _foto(rng) if met_foto else None
        beoordeling.voortgang(regisseur, idee, stand, procent, bericht, foto)
        idee.updates[-1].created_at = _op(dag)


def _afgesloten_ronde(naam: str, buurten: list[str], budget: int, regel: Regel,
                      ideeen: list[DemoIdee], stemmers: int, weken_geleden: int,
                      regisseur: User, rng: random.Random) -> Budgetronde:
    """A round from submitting to carrying out, `weken_geleden` weeks after it started."""
    ronde = _ronde(naam, buurten, budget, regel, vandaag() - timedelta(weeks=weken_geleden),
                   regisseur)
    paren = _ideeen(ronde, ideeen, regisseur, rng)
    services.wijzig_fase(ronde, Fase.STEMMEN, door=regisseur)
    gebied = list(ronde.buurten) or list(ronde.wijk.buurten)
    codes = [c for b in gebied for c in stemmen.maak_stemcodes(
        ronde, round(stemmers / len(gebied) / 0.6), buurt=b, door=regisseur)]
    rng.shuffle(codes)
    _stem(ronde, paren, codes[:stemmers], rng)
    services.wijzig_fase(ronde, Fase.UITSLAG, door=regisseur)
    services.wijzig_fase(ronde, Fase.UITVOERING, door=regisseur)
    for n, (idee, _demo) in enumerate(p for p in paren if p[0].gekozen):
        if weken_geleden > 60:  # a year and more: everything finished, one after a delay
            stappen = KLAAR[:2] + [VERTRAAGD] + KLAAR[2:] if n == 1 else KLAAR
        else:
            stappen = KLAAR if n % 2 == 0 else BEZIG
        _voortgang(regisseur, idee, stappen, ronde.uitvoering_vanaf, rng)
    return ronde


def vul(regisseur: User, schaal: float = 1.0) -> list[str]:
    """The three demo rounds, once (flushes); returns lines to print. `schaal` < 1 casts
    fewer ballots (a quick demo for tests)."""
    if db.session.scalar(select(Budgetronde.id).where(Budgetronde.wijk_code == NOORD,
                                                      Budgetronde.naam.like("Buurtbudget %"))):
        return ["Demo-buurtbudget bestaat al; er is niets toegevoegd."]
    rng = random.Random(SEED)

    eerder = _afgesloten_ronde("Buurtbudget Noord", [], 35_000, Regel.MEESTE_STEMMEN, EERDER,
                               round(420 * schaal), 92, regisseur, rng)
    klaar = _afgesloten_ronde("Buurtbudget De Noork", ["BU01640202"], 40_000, Regel.MES,
                              AFGEROND, round(540 * schaal), 40, regisseur, rng)

    open_ = _ronde("Buurtbudget Elsbeek en Klein Driene", ["BU01640201", "BU01640203"],
                   30_000, Regel.MEESTE_STEMMEN, vandaag() - timedelta(weeks=10), regisseur)
    _ideeen(open_, OPEN, regisseur, rng)
    services.wijzig_fase(open_, Fase.STEMMEN, door=regisseur)
    codes = stemmen.maak_stemcodes(open_, 200, buurt=None, door=regisseur)
    pad = Path(current_app.instance_path) / f"demo-stemcodes-{open_.slug}.csv"
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(stemmen.codes_csv(open_, codes, None), encoding="utf-8")
    pad.chmod(0o600)
    return [f"Demo-buurtbudget: '{eerder.naam}' (uitgevoerd, {round(420 * schaal)} stemmen), "
            f"'{klaar.naam}' (uitslag en uitvoering, {round(540 * schaal)} stemmen) en "
            f"'{open_.naam}' (stemmen open).",
            f"Stemcodes van de open ronde: {pad}"]
