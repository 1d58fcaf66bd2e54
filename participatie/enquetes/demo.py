"""Demo enquêtes in wijk Noord, made through the same services as the real thing.

"Leefbaarheid en veiligheid in Noord" twice, a year apart, with the same questions (so the
wijkindicators such as veiligheidsbeleving can be followed over the years): letters with codes
per buurt, responses spread over Noord's buurten and the weeks the survey was open, a
conditional question, open answers in the inbox and a published summary. People felt safer
the second year, after the street lighting was renewed. And one survey open now, without codes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from participatie.accounts.models import User
from participatie.enquetes import antwoorden, invullen, services, tellingen
from participatie.enquetes.models import Antwoord, Enquete
from participatie.enquetes.services import EnqueteGegevens, VraagGegevens
from participatie.enquetes.workflow import AntwoordStatus, EnqueteStatus, VraagType
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.tijd import TIJDZONE, vandaag

NOORD = "WK016402"
SEED = 2026
TITEL = "Leefbaarheid en veiligheid in Noord"


@dataclass(frozen=True)
class Jaargang:
    """One edition of the survey: when it was open, how many answered, what they felt."""

    open_weken_geleden: int
    weken_open: int
    responsen: int
    # How safe people feel per buurt (mean on 1-5) and how many of the letters come back.
    buurten: dict[str, tuple[float, float]]
    actief: float  # share that did something for the buurt
    verlichting: int  # weight of "Slechte straatverlichting" among the annoyances
    samenvatting: str
    afgehandeld: float  # share of its open answers in the inbox that staff closed


JAARGANGEN = [
    Jaargang(68, 6, 300, {"BU01640200": (3.5, 0.18), "BU01640201": (3.0, 0.2),
                          "BU01640202": (2.6, 0.15), "BU01640203": (3.2, 0.22),
                          "BU01640204": (3.8, 0.15)}, 0.30, 4, (
        "300 bewoners uit Noord vulden de enquête in. Veel bewoners voelen zich 's avonds "
        "niet veilig, vooral in De Noork: de straten zijn er donker. Bewoners ergeren zich "
        "het meest aan afval naast de containers en kapotte lantaarnpalen. De wijkraad en de "
        "gemeente zetten de straatverlichting op de wijkagenda."), 1.0),
    Jaargang(16, 6, 360, {"BU01640200": (3.9, 0.20), "BU01640201": (3.4, 0.22),
                          "BU01640202": (3.0, 0.18), "BU01640203": (3.6, 0.25),
                          "BU01640204": (4.1, 0.16)}, 0.37, 1, (
        "360 bewoners uit Noord vulden de enquête in. Bewoners voelen zich veiliger dan een "
        "jaar eerder, nu de straatverlichting vernieuwd is; in De Noork iets minder dan "
        "elders. Bewoners ergeren zich het meest aan afval naast de containers en hard rijden. "
        "Ruim een derde deed het afgelopen jaar iets voor de buurt. De wijkraad en de gemeente "
        "zetten het afval op de wijkagenda."), 0.75),
]
ERGERNISSEN = ["Afval naast de containers", "Hard rijden", "Hondenpoep", "Jongerenoverlast",
               "Parkeren op de stoep", "Slechte straatverlichting"]
GEDAAN = ["Vrijwilligerswerk", "Buurtfeest of straatfeest", "Opruimactie", "Buurtapp of "
          "buurtpreventie", "Hulp aan een buurtbewoner"]
OPEN_TEKSTEN = [
    "Bij de containers aan de Bornsestraat ligt elke week grofvuil. Vaker legen graag.",
    "Er wordt veel te hard gereden op de Anninksweg, vooral 's avonds.",
    "Het pad langs de vijver is 's avonds heel donker. Meer verlichting alstublieft.",
    "Meer bankjes in het park, zodat ouderen even kunnen zitten.",
    "Hondenbezitters ruimen de poep niet op bij het speelveld.",
    "Een plek voor jongeren om samen te komen, dan hangen ze niet bij de supermarkt.",
    "De stoepen zijn slecht; met een rollator kom ik er bijna niet over.",
    "Fijn dat de wijkagent vaker langskomt. Graag zo houden.",
    "Meer groen en minder stenen in de Tichelwerkstraat.",
    "Parkeerplaatsen zijn vol met bedrijfsbusjes, bewoners kunnen niet parkeren.",
]


def _vragen() -> list[VraagGegevens]:
    return [
        VraagGegevens(VraagType.SCHAAL, "Hoe veilig voelt u zich in uw buurt?", verplicht=True,
                      indicator="veiligheidsbeleving",
                      toelichting="1 = helemaal niet veilig, 5 = heel veilig"),
        VraagGegevens(VraagType.CIJFER, "Welk rapportcijfer geeft u uw woonomgeving?",
                      verplicht=True, indicator="tevredenheid_woonomgeving"),
        VraagGegevens(VraagType.JA_NEE, "Heeft u het afgelopen jaar iets gedaan voor uw buurt?",
                      pagina=2, indicator="actief_in_buurt"),
        VraagGegevens(VraagType.MEER_KEUZES, "Waar ergert u zich het meest aan?", pagina=2,
                      opties=ERGERNISSEN, max_keuzes=3),
        VraagGegevens(VraagType.OPEN, "Wat moet er volgens u beter in uw buurt?", pagina=4,
                      max_lengte=1000, naar_inbox=True),
        VraagGegevens(VraagType.PLEK, "Is er een plek waar u zich niet veilig voelt?",
                      pagina=4),
    ]


def _punten(rng: random.Random) -> dict[str, tuple[float, float]]:
    rows = db.session.execute(select(Buurt.code, func.ST_Y(func.ST_PointOnSurface(Buurt.geom)),
                                     func.ST_X(func.ST_PointOnSurface(Buurt.geom)))
                              .where(Buurt.wijk_code == NOORD))
    return {code: (lat, lon) for code, lat, lon in rows}


def _leefbaarheid(regisseur: User, jaargang: Jaargang, schaal: float,
                  rng: random.Random) -> Enquete:
    open_vanaf = vandaag() - timedelta(weeks=jaargang.open_weken_geleden)
    sluit_op = open_vanaf + timedelta(weeks=jaargang.weken_open)
    e = services.maak_enquete(EnqueteGegevens(
        titel=f"{TITEL} {sluit_op.year}", wijk=db.session.get(Wijk, NOORD),
        open_vanaf=open_vanaf, sluit_op=sluit_op, met_code=True, intro=(
            "De gemeente en de wijkraad willen weten hoe u uw buurt ervaart. Invullen duurt "
            "ongeveer twee minuten.")), door=regisseur)
    e.created_at = datetime.combine(open_vanaf - timedelta(weeks=3), time(10),
                                    tzinfo=TIJDZONE).astimezone(UTC)
    for g in _vragen():
        services.voeg_vraag_toe(e, g, door=regisseur)
    actief = e.vragen[2]
    services.voeg_vraag_toe(e, VraagGegevens(
        VraagType.MEER_KEUZES, "Wat deed u?", pagina=3, opties=GEDAAN,
        toon_als=(actief.id, 1)), door=regisseur)
    db.session.refresh(e)
    services.wijzig_status(e, EnqueteStatus.OPEN, door=regisseur)
    veilig, cijfer, actief, ergernis, gedaan, beter, plek = e.vragen
    punten = _punten(rng)
    buurten = {b.code: b for b in db.session.scalars(select(Buurt).where(
        Buurt.wijk_code == NOORD))}
    per_buurt, responsen = jaargang.buurten, round(jaargang.responsen * schaal)
    codes = {code: services.maak_codes(e, round(responsen / kans / len(per_buurt)),
                                       buurt=buurten[code], door=regisseur)
             for code, (_gem, kans) in per_buurt.items()}
    verdeling = [code for code in per_buurt for _ in range(responsen // len(per_buurt))]
    rng.shuffle(verdeling)
    dagen = (e.sluit_op - e.open_vanaf).days
    for n, buurt in enumerate(verdeling):
        gemiddeld = per_buurt[buurt][0]
        r = invullen.met_code(e, codes[buurt].pop(), invullen.browser_hash(f"demo-{n:06d}"))
        v = min(5, max(1, round(rng.gauss(gemiddeld, 0.9))))
        waarden = {veilig.id: v, cijfer.id: min(10, max(1, round(rng.gauss(v * 1.2 + 2, 1))))}
        if rng.random() < 0.9:
            waarden[actief.id] = 1 if rng.random() < jaargang.actief else 0
        if waarden.get(actief.id) == 1:
            waarden[gedaan.id] = sorted({rng.choice(gedaan.opties).id
                                         for _ in range(rng.randint(1, 3))})
        if rng.random() < 0.85:
            licht = jaargang.verlichting + (2 if buurt == "BU01640202" else 0)
            gewichten = [5, 4, 3, 2, 2, licht]
            waarden[ergernis.id] = sorted({rng.choices(ergernis.opties, gewichten)[0].id
                                           for _ in range(rng.randint(1, 3))})
        if rng.random() < 0.25:
            waarden[beter.id] = rng.choice(OPEN_TEKSTEN)
        if v <= 2 and rng.random() < 0.5:
            lat, lon = punten[buurt]
            waarden[plek.id] = (lat + rng.uniform(-0.002, 0.002),
                                lon + rng.uniform(-0.003, 0.003), "")
        invullen.sla_op(r, list(e.vragen), waarden)
        email = f"bewoner{n}@voorbeeld.nl" if beter.id in waarden and rng.random() < 0.3 \
            else None
        assert invullen.verstuur(e, r, email) is None
        # The demo spreads the responses over the weeks the survey was open.
        r.verzonden_op = e.open_vanaf + timedelta(days=min(dagen, int(rng.expovariate(0.12))))
    tellingen.tel_opnieuw(e)  # the days changed after sending
    services.wijzig_status(e, EnqueteStatus.GESLOTEN, door=regisseur)
    for i, a in enumerate(db.session.scalars(select(Antwoord).where(
            Antwoord.inbox_status.is_not(None), Antwoord.vraag_id == beter.id)
            .order_by(Antwoord.id))):
        if i % 4 < 4 * jaargang.afgehandeld:
            antwoorden.wijzig_status(a, AntwoordStatus.AFGEHANDELD, door=regisseur)
    services.zet_samenvatting(e, jaargang.samenvatting, True, door=regisseur)
    return e


def _open_enquete(regisseur: User) -> Enquete:
    nu = vandaag()
    e = services.maak_enquete(EnqueteGegevens(
        titel="Groen en spelen in Noord", wijk=db.session.get(Wijk, NOORD),
        open_vanaf=nu - timedelta(days=3), sluit_op=nu + timedelta(weeks=5), intro=(
            "Waar wilt u meer groen of een plek om te spelen? Vertel het ons in twee minuten.")),
        door=regisseur)
    for g in [
        VraagGegevens(VraagType.SCHAAL, "Hoe tevreden bent u over het groen in uw buurt?",
                      verplicht=True, indicator="tevredenheid_woonomgeving"),
        VraagGegevens(VraagType.JA_NEE, "Heeft u kinderen onder de 12 jaar?", pagina=1),
        VraagGegevens(VraagType.EEN_KEUZE, "Wat mist u het meest?", pagina=2,
                      opties=["Bomen en struiken", "Bloemen", "Speeltoestellen",
                              "Een trapveldje", "Bankjes"]),
        VraagGegevens(VraagType.PLEK, "Waar zou u meer groen willen?", pagina=2),
        VraagGegevens(VraagType.OPEN, "Heeft u nog een idee?", pagina=3, max_lengte=500,
                      naar_inbox=True),
    ]:
        services.voeg_vraag_toe(e, g, door=regisseur)
    db.session.refresh(e)
    services.wijzig_status(e, EnqueteStatus.OPEN, door=regisseur)
    return e


def vul(regisseur: User, schaal: float = 1.0) -> list[str]:
    """The three demo surveys, once (flushes); returns lines to print. `schaal` < 1 sends
    fewer responses (a quick demo for tests)."""
    if db.session.scalar(select(Enquete.id).where(Enquete.titel.like(f"{TITEL} %"))):
        return ["Demo-enquêtes bestaan al; er is niets toegevoegd."]
    rng = random.Random(SEED)
    gesloten = [_leefbaarheid(regisseur, jaargang, schaal, rng) for jaargang in JAARGANGEN]
    open_ = _open_enquete(regisseur)
    return ["Enquêtes: " + ", ".join(
        f"'{e.titel}' (gesloten, {services.aantal_verzonden(e)} antwoorden)" for e in gesloten)
        + f" en '{open_.titel}' (open: /enquetes/{open_.id})."]
