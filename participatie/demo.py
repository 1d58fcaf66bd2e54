"""Realistic demo content for Hengelo (used by `flask --app wsgi demo`).

Everything is generated from a fixed seed, so two fresh databases get the same demo.
Demo meldingen carry bron="demo"; when any exist, `vul` adds nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from participatie.accounts.models import User
from participatie.accounts.services import create_user, organisatie_by_naam, user_by_email
from participatie.buurtbudget import demo as buurtbudget_demo
from participatie.enquetes import demo as enquetes_demo
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.meldingen.models import Categorie, Contact, Gebeurtenis, Melding
from participatie.meldingen.services import maak_melding
from participatie.meldingen.workflow import Status
from participatie.wijkagenda.models import Thema, VraagStatus
from participatie.wijkagenda.services import gekozen_bronnen, maak_vraag, wijzig_vraag

SEED = 164  # Hengelo's CBS gemeentecode
WACHTWOORD = "hengelo-demo-2026"
NOORD = "WK016402"
BINNENSTAD = "WK016400"
DAGEN_TERUG = 120

# (e-mail, rol, naam, wijken, organisatie)
ACCOUNTS = [
    ("beheer@hengelo.nl", "beheerder", "Demo Beheerder", [], None),
    ("regisseur.noord@hengelo.nl", "stadsdeelregisseur", "Sanne Kamphuis", [NOORD], None),
    ("regisseur.binnenstad@hengelo.nl", "stadsdeelregisseur", "Mehmet Yildiz", [BINNENSTAD],
     None),
    ("partner.gildebor@hengelo.nl", "partner", "Gerrit Nijhuis (Gildebor)", [], "Gildebor"),
    ("wijkraad.noord@hengelo.nl", "wijkraadlid", "Anja Oude Vrielink", [NOORD], None),
]

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

# Final status and how often it occurs (per 100).
STATUSSEN = [
    (Status.GEMELD, 24), (Status.IN_BEHANDELING, 18), (Status.INGEPLAND, 14),
    (Status.AFGEHANDELD, 30), (Status.DOORGEZET, 6), (Status.GEANNULEERD, 4),
    (Status.REACTIE_GEVRAAGD, 4),
]
# The way each final status is reached from "gemeld".
ROUTES = {
    Status.GEMELD: [],
    Status.IN_BEHANDELING: [Status.IN_BEHANDELING],
    Status.INGEPLAND: [Status.IN_BEHANDELING, Status.INGEPLAND],
    Status.DOORGEZET: [Status.DOORGEZET],
    Status.REACTIE_GEVRAAGD: [Status.REACTIE_GEVRAAGD],
    Status.AFGEHANDELD: [Status.IN_BEHANDELING, Status.INGEPLAND, Status.AFGEHANDELD],
    Status.GEANNULEERD: [Status.GEANNULEERD],
}
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


def _accounts() -> tuple[dict[str, User], list[str]]:
    """Create the demo staff accounts that do not exist yet (flushes)."""
    users: dict[str, User] = {}
    regels = [f"Demo-accounts (wachtwoord: {WACHTWOORD}):"]
    for email, rol, naam, wijken, organisatie in ACCOUNTS:
        user = user_by_email(email)
        if user is None:
            org = organisatie_by_naam(organisatie) if organisatie else None
            user = create_user(email, WACHTWOORD, rol, naam=naam, wijk_codes=wijken,
                               organisatie=org)
        users[email] = user
        extra = f", wijk {', '.join(wijken)}" if wijken else ""
        extra += f", {organisatie}" if organisatie else ""
        regels.append(f"  {rol:18} {email}{extra}")
    db.session.flush()
    return users, regels


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


def vul(aantal_meldingen: int) -> list[str]:
    """Create demo accounts and meldingen once (flushes); returns lines to print."""
    users, regels = _accounts()
    if db.session.scalar(select(func.count()).select_from(Melding).where(Melding.bron == "demo")):
        regisseur = users["regisseur.noord@hengelo.nl"]
        return ["Demo-meldingen bestaan al; er is niets toegevoegd.",
                *buurtbudget_demo.vul(regisseur), *enquetes_demo.vul(regisseur), *regels]

    rng = random.Random(SEED)
    categorieen = {c.slug: c for c in db.session.scalars(select(Categorie))}
    slugs = [s for s in OMSCHRIJVINGEN if s in categorieen]
    gewichten = [OMSCHRIJVINGEN[s][0] for s in slugs]
    nu = datetime.now(UTC)
    regisseurs = {NOORD: users["regisseur.noord@hengelo.nl"],
                  BINNENSTAD: users["regisseur.binnenstad@hengelo.nl"]}
    beheerder = users["beheer@hengelo.nl"]
    buurten = {b.code: b for b in db.session.scalars(select(Buurt))}
    wijken = set()

    for nummer, (buurt, wijk, lat, lon) in enumerate(_punten(rng, aantal_meldingen), start=1):
        slug = rng.choices(slugs, weights=gewichten)[0]
        categorie = categorieen[slug]
        straat = rng.choice(STRATEN.get(wijk, STRATEN[NOORD]))
        plek = rng.choice(PLEKKEN)
        dagen = rng.triangular(0, DAGEN_TERUG, 20)
        gemaakt = nu - timedelta(days=dagen, minutes=rng.randint(0, 600))
        gemaakt = gemaakt.replace(second=0, microsecond=0)
        eind = rng.choices([s for s, _n in STATUSSEN], weights=[n for _s, n in STATUSSEN])[0]
        if dagen < 2:
            eind = Status.GEMELD
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
        moment = gemaakt
        for naar in ROUTES[eind]:
            moment = min(moment + timedelta(days=rng.uniform(0.2, 4), hours=1), nu)
            bericht = _bericht(naar, slug, categorie.organisatie.naam, moment, rng)
            gebeurtenis = melding.wijzig_status(naar, door=door, bericht=bericht)
            gebeurtenis.created_at = moment
        melding.gesloten_op = moment if not eind.is_open else None
        melding.updated_at = moment
        if rng.random() < 0.1:
            melding.gebeurtenissen.append(
                Gebeurtenis(soort=Gebeurtenis.NOTITIE, tekst=rng.choice(NOTITIES),
                            publiek=False, user=door,
                            created_at=min(gemaakt + timedelta(hours=2), nu))
            )
        wijken.add(wijk)
    db.session.flush()
    aantal = db.session.scalar(
        select(func.count()).select_from(Melding).where(Melding.bron == "demo")
    )
    vragen = _wijkagenda(regisseurs)
    return [f"Demo: {aantal} meldingen in {len(wijken)} wijken aangemaakt, "
            f"{vragen} onderwerpen op de wijkagenda.",
            *buurtbudget_demo.vul(regisseurs[NOORD]), *enquetes_demo.vul(regisseurs[NOORD]),
            *regels]


# (wijk, buurt or None, category slugs, titel, omschrijving, thema, status path, eigenaar)
AGENDA = [
    (NOORD, "BU01640202", ("afvaldump", "volle-afvalbak", "zwerfvuil"),
     "Afval naast de containers in De Noork",
     "Bewoners melden steeds vuilniszakken en grofvuil naast de ondergrondse containers. "
     "Gildebor ruimt het op. Samen met Twente Milieu en Welbions kijken we of de containers "
     "vaker geleegd moeten worden en hoe we nieuwe bewoners beter informeren.",
     Thema.SCHOON, (VraagStatus.IN_ONDERZOEK,), "Gildebor"),
    (NOORD, None, ("lantaarnpaal-kapot", "verlichting-overdag"),
     "Donkere plekken op straat in Noord",
     "Op meerdere plekken in Noord is de straatverlichting vaak kapot. Bewoners voelen zich "
     "daar 's avonds niet veilig. De gemeente vervangt de oudste lantaarnpalen dit jaar door "
     "ledverlichting.",
     Thema.VEILIG, (VraagStatus.IN_ONDERZOEK, VraagStatus.IN_UITVOERING),
     "Team Openbare Verlichting"),
    (NOORD, None, ("jongerenoverlast", "geluidsoverlast"),
     "Overlast in de avond rond het winkelcentrum",
     "Bewoners melden geluid en groepen die 's avonds blijven hangen. De wijkagent en "
     "Wijkracht gaan met de jongeren en de omwonenden in gesprek.",
     Thema.SAMENLEVEN, (), "Wijkracht"),
    (BINNENSTAD, None, ("zwerfvuil", "volle-afvalbak"),
     "Zwerfvuil in het centrum na het weekend",
     "Op maandag liggen er veel blikjes, verpakkingen en volle afvalbakken in de binnenstad. "
     "Gildebor veegt vaker op maandagochtend; de ondernemers denken mee over extra "
     "afvalbakken bij de horeca.",
     Thema.SCHOON, (VraagStatus.IN_ONDERZOEK, VraagStatus.IN_UITVOERING), "Gildebor"),
]


def _wijkagenda(regisseurs: dict[str, User]) -> int:
    """Put recurring demo problems on the wijkagenda, as a regisseur would (flushes)."""
    gemaakt = 0
    for wijk, buurt, slugs, titel, omschrijving, thema, route, eigenaar in AGENDA:
        query = (
            select(Melding).join(Categorie)
            .where(Melding.bron == "demo", Melding.wijk_code == wijk, Categorie.slug.in_(slugs))
            .order_by(Melding.created_at.desc()).limit(8)
        )
        if buurt:
            query = query.where(Melding.buurt_code == buurt)
        meldingen = list(db.session.scalars(query))
        if len(meldingen) < 2:
            continue
        door = regisseurs[wijk]
        bronnen = gekozen_bronnen(door, [("melding", m.id) for m in meldingen])
        vraag = maak_vraag(bronnen, titel=titel, omschrijving=omschrijving, thema=thema,
                           door=door)
        for status in route or (VraagStatus.NIEUW,):
            wijzig_vraag(vraag, titel=titel, omschrijving=omschrijving, thema=thema,
                         status=status, eigenaar=organisatie_by_naam(eigenaar), door=door)
        gemaakt += 1
    return gemaakt
