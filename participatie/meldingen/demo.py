"""Demo meldingen for Hengelo over the last two years and a bit (`flask --app wsgi demo`).

Made with `maak_melding` and `Melding.wijzig_status`, as the form and staff make them, and
dated back to when they would have happened: most are handled within their termijn, some
late; older ones are nearly all closed. Melders answer "is het opgelost?"; a "nee" is a
request to reopen, which staff honour a few days later (recent ones still wait).

Noord, the pilot wijk, gets the most and tells a story: many broken street lamps until the
gemeente replaced them with led lighting (`LED_KLAAR` days ago, the wijkagenda's vraag
"Donkere plekken"), loose tiles until the pavements were relaid (`STOEP_KLAAR`), and lately
more rubbish beside the containers in De Noork and evening nuisance by groups of youths.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from participatie.accounts.models import User
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.meldingen.models import Categorie, Contact, Gebeurtenis, Melding
from participatie.meldingen.services import maak_melding
from participatie.meldingen.services.terugkoppeling import geef_terugkoppeling
from participatie.meldingen.workflow import Status
from participatie.tijd import lokale_datum

SEED = 164  # Hengelo's CBS gemeentecode
NOORD = "WK016402"
DE_NOORK = "BU01640202"
BINNENSTAD = "WK016400"
DAGEN_TERUG = 800  # the oldest demo melding: two years and two months ago
LED_KLAAR = 270  # days ago the led lighting in Noord was finished
STOEP_KLAAR = 360  # days ago the pavements in Noord were relaid

STRATEN = {
    "WK016400": ["Vossenbelt", "Enschedesestraat", "Drienerstraat", "Marktstraat",
                 "Deldenerstraat"],
    "WK016401": ["Tuindorpstraat", "Deldenerstraat", "Boekeloseweg"],
    "WK016402": ["Noorderhagen", "Anninksweg", "Bornsestraat", "Tichelwerkstraat"],
    "WK016403": ["Bornsestraat", "Oelerweg", "Hasselerbaan"],
    "WK016404": ["Oldenzaalsestraat", "Drienerstraat", "Geerdinksweg"],
    "WK016405": ["Oldenzaalsestraat", "Berfloweg", "Breemarsweg"],
    "WK016406": ["Haaksbergerstraat", "Enschedesestraat"],
    "WK016407": ["Haaksbergerstraat", "Beckumerstraat"],
    "WK016408": ["Enschedesestraat", "Slangenbeeksweg"],
    "WK016409": ["Beckumerstraat", "Oelerweg", "Deldenerstraat"],
}
PLEKKEN = ["bij de bushalte", "naast de ondergrondse container", "bij het speeltuintje",
           "ter hoogte van de bakker", "op de hoek", "bij de fietsenstalling",
           "achter de flat", "tegenover de school", "bij het bankje", "naast de brievenbus"]

# slug: (weight, descriptions); {straat} and {plek} are filled in.
OMSCHRIJVINGEN: dict[str, tuple[int, list[str]]] = {
    "zwerfvuil": (20, [
        "Veel blikjes en chipszakken in de berm {plek}.",
        "Na het weekend ligt er weer veel rommel {plek} aan de {straat}.",
        "Plastic en papier waait hier rond {plek}. Het ligt ook in de bosjes.",
        "Er ligt glas op het fietspad {plek}. Gevaarlijk voor fietsers.",
    ]),
    "afvaldump": (18, [
        "Vuilniszakken naast de container {plek}. Het stinkt en er zitten meeuwen aan.",
        "Iemand heeft een oude bank en een matras gedumpt {plek}.",
        "Bouwafval (tegels en zakken cement) gedumpt {plek} aan de {straat}.",
        "Al dagen staan er dozen en zakken naast de papiercontainer {plek}.",
    ]),
    "lantaarnpaal-kapot": (15, [
        "De lantaarnpaal {plek} doet het niet. 's Avonds is het hier erg donker.",
        "Lamp knippert de hele avond {plek} aan de {straat}.",
        "Twee lantaarnpalen achter elkaar branden niet, {plek}.",
        "Lantaarnpaal is scheef gereden en het kapje hangt los.",
    ]),
    "volle-afvalbak": (5, ["De afvalbak {plek} is vol, er ligt afval omheen.",
                           "Prullenbak {plek} puilt uit."]),
    "container-kapot": (4, ["De klep van de ondergrondse container {plek} klemt.",
                            "Glasbak {plek} is vol, flessen staan ernaast."]),
    "verlichting-overdag": (2, ["Straatverlichting aan de {straat} brandt overdag."]),
    "losse-tegel": (6, ["Losse stoeptegels {plek}. Mijn moeder is bijna gevallen.",
                        "Tegel steekt uit {plek}, lastig met de rollator."]),
    "gat-in-weg": (5, ["Diep gat in het fietspad {plek} aan de {straat}.",
                       "Gat in de weg {plek}, er staat water in."]),
    "verkeersbord": (2, ["Verkeersbord {plek} is omgereden.",
                         "Het bord 'voorrang verlenen' is weg, {plek}."]),
    "overhangend-groen": (5, ["Takken hangen over het fietspad {plek}. Je moet bukken.",
                              "De heg {plek} groeit over de stoep, met kinderwagen kan je er "
                              "niet langs."]),
    "boom-kapot": (2, ["Grote tak afgebroken na de storm, ligt {plek}."]),
    "onkruid": (3, ["Veel onkruid tussen de tegels {plek} aan de {straat}."]),
    "speeltoestel-kapot": (3, ["De schommel {plek} is kapot, de ketting is los.",
                               "Glijbaan heeft een scherpe rand."]),
    "hondenpoep": (4, ["Veel hondenpoep op het grasveld {plek} waar kinderen spelen."]),
    "graffiti": (4, ["Graffiti op de muur {plek} aan de {straat}.",
                     "Bushokje {plek} is vernield, het glas ligt op de stoep."]),
    "fietswrak": (3, ["Al maanden staat er een fietswrak {plek}.",
                      "Fiets zonder wielen aan het hek {plek}."]),
    "geluidsoverlast": (2, ["'s Nachts harde muziek uit een auto {plek}."]),
    "woonoverlast": (1, ["Tuin naast ons ligt vol afval en trekt ratten aan."]),
    "jongerenoverlast": (2, ["Groep jongeren {plek} laat 's avonds veel rommel achter."]),
}

# The status a melding has today, and how often (per 100), for one made recently.
STATUSSEN = [
    (Status.GEMELD, 24), (Status.IN_BEHANDELING, 18), (Status.INGEPLAND, 14),
    (Status.AFGEHANDELD, 30), (Status.DOORGEZET, 6), (Status.GEANNULEERD, 4),
    (Status.REACTIE_GEVRAAGD, 4),
]
# The way each status is reached from "gemeld".
ROUTES = {
    Status.GEMELD: [],
    Status.IN_BEHANDELING: [Status.IN_BEHANDELING],
    Status.INGEPLAND: [Status.IN_BEHANDELING, Status.INGEPLAND],
    Status.DOORGEZET: [Status.DOORGEZET],
    Status.REACTIE_GEVRAAGD: [Status.REACTIE_GEVRAAGD],
    Status.AFGEHANDELD: [Status.IN_BEHANDELING, Status.INGEPLAND, Status.AFGEHANDELD],
    Status.GEANNULEERD: [Status.GEANNULEERD],
}
# How a melding that would still be open was closed after all, the older the likelier.
GESLOTEN_ALSNOG = {
    Status.GEMELD: [Status.IN_BEHANDELING, Status.AFGEHANDELD],
    Status.IN_BEHANDELING: ROUTES[Status.AFGEHANDELD],
    Status.INGEPLAND: ROUTES[Status.AFGEHANDELD],
    Status.DOORGEZET: [Status.DOORGEZET, Status.AFGEHANDELD],
    Status.REACTIE_GEVRAAGD: [Status.REACTIE_GEVRAAGD, Status.IN_BEHANDELING,
                              Status.AFGEHANDELD],
}
BINNEN_TERMIJN = 0.82  # share of the handled meldingen that were closed in time
WEEKDAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

KLAAR = {
    "zwerfvuil": "Het zwerfvuil is opgeruimd. Bedankt voor uw melding!",
    "afvaldump": "Het gedumpte afval is opgehaald. Bedankt voor uw melding!",
    "lantaarnpaal-kapot": "De lamp is vervangen en brandt weer.",
    "losse-tegel": "De tegels liggen weer vast.",
    "gat-in-weg": "Het gat is gedicht.",
    "overhangend-groen": "Het groen is gesnoeid. De doorgang is weer vrij.",
    "graffiti": "De graffiti is verwijderd.",
    "speeltoestel-kapot": "Het speeltoestel is gerepareerd en weer veilig.",
}
GEANNULEERD = [
    "Deze plek is geen eigendom van de gemeente. We hebben de eigenaar gevraagd het op te "
    "lossen.",
    "Toen we gingen kijken, was het probleem al opgelost. Bedankt voor het melden.",
]
NOTITIES = ["Melder belde ook via 14 074.", "Vaker meldingen op deze plek, zie wijkagenda.",
            "Handhaving gevraagd om hier extra te letten op dumpen."]
NIET_OPGELOST = ["Er ligt na een paar dagen alweer van alles.",
                 "De lamp is nog steeds kapot.",
                 "Er is alleen een deel weggehaald, de rest ligt er nog.",
                 "Het is niet goed gemaakt, het steekt nog steeds uit."]
HEROPEND = "U heeft gelijk, het is nog niet goed. We gaan er opnieuw mee aan de slag."


def _gewicht(slug: str, wijk: str, buurt: str, dagen: float) -> float:
    """How likely a category is for a melding in this place, this many days ago: Noord's
    story (see the module docstring) on top of the usual mix."""
    gewicht = OMSCHRIJVINGEN[slug][0]
    if wijk == BINNENSTAD and slug == "zwerfvuil":
        return gewicht * 2
    if wijk != NOORD:
        return gewicht
    if slug in ("lantaarnpaal-kapot", "verlichting-overdag"):
        return gewicht * (2.5 if dagen > LED_KLAAR else 0.4)
    if slug in ("losse-tegel", "gat-in-weg"):
        return gewicht * (2 if dagen > STOEP_KLAAR else 0.6)
    if slug in ("afvaldump", "volle-afvalbak") and buurt == DE_NOORK and dagen < 280:
        return gewicht * 2.5
    if slug == "jongerenoverlast" and dagen < 200:
        return gewicht * 3
    return gewicht


def _ingepland_bericht(slug: str, organisatie: str, dag: date) -> str:
    weekdag = WEEKDAGEN[dag.weekday()]
    if slug == "afvaldump":
        return f"{organisatie} komt de vuilniszakken {weekdag} ophalen."
    if slug == "lantaarnpaal-kapot":
        return f"De monteur komt {weekdag} {dag.day}-{dag.month} de lamp vervangen."
    return f"{organisatie} heeft het werk ingepland voor {weekdag} {dag.day}-{dag.month}."


def _bericht(naar: Status, slug: str, organisatie: str, moment: datetime,
             rng: random.Random) -> str:
    if naar == Status.IN_BEHANDELING:
        return rng.choice(["We hebben uw melding bekeken en gaan ermee aan de slag.",
                           f"Uw melding is doorgegeven aan {organisatie}.", ""])
    if naar == Status.INGEPLAND:
        return _ingepland_bericht(slug, organisatie, (moment + timedelta(days=2)).date())
    if naar == Status.DOORGEZET:
        return f"We hebben uw melding doorgezet naar {organisatie}. Zij pakken het verder op."
    if naar == Status.REACTIE_GEVRAAGD:
        return "Kunt u iets preciezer zeggen waar het is? Bijvoorbeeld het huisnummer ernaast."
    if naar == Status.AFGEHANDELD:
        return KLAAR.get(slug, "Het probleem is opgelost. Bedankt voor uw melding!")
    return rng.choice(GEANNULEERD)


def _punten(rng: random.Random, aantal: int) -> list[tuple[str, str, float, float]]:
    """(buurt, wijk, lat, lon): every buurt at least once, the pilot wijk Noord most."""
    buurten = db.session.execute(select(Buurt.code, Buurt.wijk_code).order_by(Buurt.code)).all()
    if not buurten:
        return []
    gewicht = [6.0 if w == NOORD else 0.3 if w == "WK016409" else 1.0 for _c, w in buurten]
    per_buurt = dict.fromkeys((c for c, _w in buurten), 0)
    for code, _wijk in buurten[:aantal]:
        per_buurt[code] += 1
    for code, _wijk in rng.choices(buurten, weights=gewicht, k=max(0, aantal - len(buurten))):
        per_buurt[code] += 1
    punten = []
    for index, (code, wijk) in enumerate(buurten):
        if not per_buurt[code]:
            continue
        rows = db.session.execute(
            text(
                "SELECT ST_Y(d.geom), ST_X(d.geom) FROM buurt, "
                "ST_Dump(ST_GeneratePoints(buurt.geom, :n, :seed)) AS d WHERE buurt.code = :code"
            ),
            {"n": per_buurt[code], "seed": SEED + index, "code": code},
        ).all()
        punten += [(code, wijk, float(lat), float(lon)) for lat, lon in rows]
    rng.shuffle(punten)
    return punten


def _dagen_geleden(rng: random.Random) -> float:
    """How long ago a melding was made: spread over the whole period, busier in the last
    months (more people know the platform)."""
    if rng.random() < 0.25:
        return rng.triangular(0, 120, 20)
    return rng.uniform(2, DAGEN_TERUG)


def _route(rng: random.Random, dagen: float) -> list[Status]:
    """The status changes of a melding made `dagen` ago, in order."""
    eind = rng.choices([s for s, _n in STATUSSEN], weights=[n for _s, n in STATUSSEN])[0]
    if dagen < 2:
        return []
    if eind in GESLOTEN_ALSNOG and rng.random() > math.exp(-max(0.0, dagen - 30) / 30):
        return list(GESLOTEN_ALSNOG[eind])
    return list(ROUTES[eind])


def _momenten(rng: random.Random, melding: Melding, route: list[Status],
              nu: datetime) -> list[datetime]:
    """When each change happened: closing within the termijn most of the time, late now and
    then; only what has happened by now."""
    gemaakt = melding.created_at
    if route and route[-1] == Status.AFGEHANDELD:
        termijn = max(1, (melding.deadline - lokale_datum(gemaakt)).days)
        duur = termijn * (rng.uniform(0.15, 0.95) if rng.random() < BINNEN_TERMIJN
                          else rng.uniform(1.15, 2.2))
        delen = sorted(rng.uniform(0.05, 0.8) for _ in route[:-1]) + [1.0]
        momenten = [gemaakt + timedelta(days=duur * d, hours=1) for d in delen]
    else:
        momenten, moment = [], gemaakt
        for _ in route:
            moment += timedelta(days=rng.uniform(0.2, 4), hours=1)
            momenten.append(moment)
    return [m for m in momenten if m <= nu]


def _terugkoppeling(rng: random.Random, melding: Melding, slug: str, door: User,
                    gesloten: datetime, nu: datetime) -> None:
    """The melder answers "is het opgelost?"; a "nee" is reopened by staff a few days later,
    or still waits for them when it is recent."""
    antwoord = gesloten + timedelta(days=rng.uniform(0.3, 6))
    if antwoord > nu or not any(c.soort == Contact.MELDER for c in melding.contacten):
        return
    if rng.random() > 0.45:
        return
    opgelost = rng.random() < 0.85
    geef_terugkoppeling(melding, opgelost=opgelost,
                        reden="" if opgelost else rng.choice(NIET_OPGELOST), op=antwoord)
    if opgelost:
        return
    moment = antwoord
    stappen = [(Status.HEROPEND, HEROPEND, rng.uniform(2, 20)),
               (Status.IN_BEHANDELING, "", rng.uniform(0.2, 1)),
               (Status.AFGEHANDELD, KLAAR.get(slug, "Het is nu opgelost. Bedankt voor uw "
                                                    "geduld."), rng.uniform(1, 6))]
    for naar, bericht, wachten in stappen:
        moment += timedelta(days=wachten)
        if moment > nu:
            break
        _wijzig(melding, naar, door, bericht, moment)


def _wijzig(melding: Melding, naar: Status, door: User, bericht: str,
            moment: datetime) -> None:
    """A status change as staff make it, dated `moment` (with the question it may carry)."""
    melding.wijzig_status(naar, door=door, bericht=bericht)
    for gebeurtenis in melding.gebeurtenissen[-2:]:
        if gebeurtenis.created_at is None:
            gebeurtenis.created_at = moment
    melding.gesloten_op = moment if not naar.is_open else None
    melding.updated_at = moment


def vul(aantal: int, regisseurs: dict[str, User], beheerder: User) -> tuple[int, int]:
    """Make `aantal` demo meldingen over all wijken (flushes); returns (meldingen, wijken)."""
    rng = random.Random(SEED)
    categorieen = {c.slug: c for c in db.session.scalars(select(Categorie))}
    slugs = [s for s in OMSCHRIJVINGEN if s in categorieen]
    nu = datetime.now(UTC)
    buurten = {b.code: b for b in db.session.scalars(select(Buurt))}
    wijken = set()

    for nummer, (buurt, wijk, lat, lon) in enumerate(_punten(rng, aantal), start=1):
        dagen = _dagen_geleden(rng)
        slug = rng.choices(slugs, weights=[_gewicht(s, wijk, buurt, dagen) for s in slugs])[0]
        categorie = categorieen[slug]
        straat = rng.choice(STRATEN.get(wijk, STRATEN[NOORD]))
        plek = rng.choice(PLEKKEN)
        gemaakt = nu - timedelta(days=dagen, minutes=rng.randint(0, 600))
        gemaakt = gemaakt.replace(second=0, microsecond=0)
        melding = maak_melding(
            categorie=categorie,
            omschrijving=rng.choice(OMSCHRIJVINGEN[slug][1]).format(straat=straat, plek=plek),
            buurt=buurten[buurt],
            plek=(round(lat, 6), round(lon, 6)),
            locatie_tekst=f"{straat}, {plek}",
            email=f"inwoner{nummer}@voorbeeld.nl" if rng.random() < 0.75 else None,
            bron="demo",
            op=gemaakt,
            bevestigen=False,
        )
        for steun in range(rng.choices([0, 1, 2, 3, 5], weights=[55, 20, 12, 8, 5])[0]):
            melding.contacten.append(
                Contact(soort=Contact.STEUN, email=f"buur{nummer}-{steun}@voorbeeld.nl",
                        created_at=gemaakt + timedelta(hours=3 + 9 * steun))
            )
        door = regisseurs.get(wijk, beheerder)
        route = _route(rng, dagen)
        moment = gemaakt
        for naar, moment in zip(route, _momenten(rng, melding, route, nu), strict=False):
            _wijzig(melding, naar, door, _bericht(naar, slug, categorie.organisatie.naam,
                                                  moment, rng), moment)
        if melding.status == Status.AFGEHANDELD:
            _terugkoppeling(rng, melding, slug, door, moment, nu)
        if rng.random() < 0.1:
            melding.gebeurtenissen.append(
                Gebeurtenis(soort=Gebeurtenis.NOTITIE, tekst=rng.choice(NOTITIES),
                            publiek=False, user=door,
                            created_at=min(gemaakt + timedelta(hours=2), nu))
            )
        wijken.add(wijk)
    db.session.flush()
    return aantal, len(wijken)
