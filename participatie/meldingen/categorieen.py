"""The default categories and the teams and partners that handle them.

Loaded by `flask --app wsgi basis` (and by `demo`); both are idempotent, so a gemeente
can rename or deactivate a category in the database and a later run will not undo that.
"""

from __future__ import annotations

from sqlalchemy import select

from participatie.accounts.models import Organisatie, OrganisatieSoort
from participatie.extensions import db
from participatie.meldingen.models import Categorie, CategorieGroep

ORGANISATIES = [
    ("Gildebor", OrganisatieSoort.PARTNER, "Beheer openbare ruimte: afval, groen, schoonmaak"),
    ("Twente Milieu", OrganisatieSoort.PARTNER, "Afvalinzameling en containers"),
    ("Welbions", OrganisatieSoort.PARTNER, "Woningcorporatie"),
    ("Wijkracht", OrganisatieSoort.PARTNER, "Welzijn en opbouwwerk"),
    ("Politie", OrganisatieSoort.PARTNER, "Wijkagent"),
    ("Team Openbare Verlichting", OrganisatieSoort.TEAM, ""),
    ("Team Wegen en Verkeer", OrganisatieSoort.TEAM, ""),
    ("Team Handhaving", OrganisatieSoort.TEAM, "Boa's"),
    ("Team Stadsdeelregie", OrganisatieSoort.TEAM, ""),
]

# (groep, slug, naam, uitleg, afhandeltermijn in werkdagen, organisatie)
CATEGORIEEN = [
    ("Afval", "zwerfvuil", "Zwerfvuil", "Losse rommel op straat of in het groen", 5, "Gildebor"),
    ("Afval", "afvaldump", "Afvaldump", "Gedumpt afval, grofvuil of vuilniszakken naast een "
     "container", 3, "Gildebor"),
    ("Afval", "volle-afvalbak", "Volle afvalbak", "Een prullenbak op straat zit vol", 3,
     "Gildebor"),
    ("Afval", "container-kapot", "Container kapot of vol", "Ondergrondse container of "
     "glasbak", 5, "Twente Milieu"),
    ("Verlichting", "lantaarnpaal-kapot", "Lantaarnpaal kapot", "Brandt niet, knippert of "
     "is beschadigd", 10, "Team Openbare Verlichting"),
    ("Verlichting", "verlichting-overdag", "Verlichting brandt overdag", "", 10,
     "Team Openbare Verlichting"),
    ("Wegen en paden", "losse-tegel", "Losse tegel of stoeprand", "Struikelgevaar op de stoep",
     10, "Team Wegen en Verkeer"),
    ("Wegen en paden", "gat-in-weg", "Gat in de weg of het fietspad", "", 5,
     "Team Wegen en Verkeer"),
    ("Wegen en paden", "verkeersbord", "Verkeersbord kapot of weg", "", 10,
     "Team Wegen en Verkeer"),
    ("Groen", "overhangend-groen", "Overhangend groen", "Takken of struiken hinderen de "
     "doorgang", 15, "Gildebor"),
    ("Groen", "boom-kapot", "Boom kapot of omgewaaid", "Bij direct gevaar: bel 14 074", 3,
     "Gildebor"),
    ("Groen", "onkruid", "Onkruid", "", 20, "Gildebor"),
    ("Spelen", "speeltoestel-kapot", "Speeltoestel kapot", "", 5, "Team Wegen en Verkeer"),
    ("Overlast", "hondenpoep", "Hondenpoep", "", 10, "Gildebor"),
    ("Overlast", "graffiti", "Graffiti of vernieling", "", 10, "Gildebor"),
    ("Overlast", "fietswrak", "Fietswrak of fout geparkeerd", "", 10, "Team Handhaving"),
    ("Overlast", "geluidsoverlast", "Geluidsoverlast", "Bij acute overlast: bel de politie, "
     "0900-8844", 5, "Team Handhaving"),
    ("Overlast", "woonoverlast", "Overlast rond een woning", "", 10, "Welbions"),
    ("Overlast", "jongerenoverlast", "Overlast van groepen", "", 5, "Wijkracht"),
]


def zorg_voor_basis() -> tuple[int, int]:
    """Create missing organisations and categories (flushes). Returns (new orgs, new cats)."""
    orgs = {o.naam: o for o in db.session.scalars(select(Organisatie))}
    new_orgs = 0
    for naam, soort, _uitleg in ORGANISATIES:
        if naam not in orgs:
            orgs[naam] = Organisatie(naam=naam, soort=soort)
            db.session.add(orgs[naam])
            new_orgs += 1
    groepen = {g.naam: g for g in db.session.scalars(select(CategorieGroep))}
    bestaand = set(db.session.scalars(select(Categorie.slug)))
    new_cats = 0
    for volgorde, (groep, slug, naam, uitleg, termijn, org) in enumerate(CATEGORIEEN):
        if groep not in groepen:
            groepen[groep] = CategorieGroep(naam=groep, volgorde=len(groepen))
            db.session.add(groepen[groep])
        if slug in bestaand:
            continue
        db.session.add(
            Categorie(
                groep=groepen[groep], slug=slug, naam=naam, uitleg=uitleg,
                afhandeltermijn_werkdagen=termijn, organisatie=orgs[org], volgorde=volgorde,
            )
        )
        new_cats += 1
    db.session.flush()
    return new_orgs, new_cats
