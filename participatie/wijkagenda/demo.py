"""Demo leefbaarheidsvragen (`flask --app wsgi demo`): recurring problems in the demo
meldingen, put on the wijkagenda by the regisseur as they piled up and carried through,
each step on its own day, with the same services staff use.

In Noord: the dark streets (raised two years ago, afgerond after the led lighting came), the
pavements (afgerond), rubbish beside the containers in De Noork (in onderzoek now) and
evening nuisance around the shops (new); in the Binnenstad: litter after the weekend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from participatie.accounts.models import User
from participatie.accounts.services import organisatie_by_naam
from participatie.extensions import db
from participatie.meldingen.models import Categorie, Melding
from participatie.wijkagenda.models import Thema, VraagStatus
from participatie.wijkagenda.services import gekozen_bronnen, maak_vraag, wijzig_vraag

NOORD = "WK016402"
BINNENSTAD = "WK016400"
VENSTER = 150  # a vraag comes from the meldingen of the days before it was made


@dataclass(frozen=True)
class DemoVraag:
    wijk: str
    buurt: str | None
    slugs: tuple[str, ...]
    titel: str
    omschrijving: str
    thema: Thema
    eigenaar: str
    gemaakt: int  # days ago
    stappen: tuple[tuple[VraagStatus, int], ...] = ()  # (status, days ago)


AGENDA = [
    DemoVraag(
        NOORD, None, ("lantaarnpaal-kapot", "verlichting-overdag"),
        "Donkere plekken op straat in Noord",
        "Op veel plekken in Noord was de straatverlichting vaak kapot. Bewoners voelden zich "
        "daar 's avonds niet veilig. De gemeente heeft de oudste lantaarnpalen vervangen door "
        "ledverlichting. Sindsdien komen er veel minder meldingen over kapotte lampen.",
        Thema.VEILIG, "Team Openbare Verlichting", 640,
        ((VraagStatus.IN_ONDERZOEK, 610), (VraagStatus.IN_UITVOERING, 480),
         (VraagStatus.AFGEROND, 270))),
    DemoVraag(
        NOORD, None, ("losse-tegel", "gat-in-weg"),
        "Losse tegels en gaten in de stoep",
        "Bewoners met een rollator of kinderwagen struikelden over losse tegels en gaten. "
        "Team Wegen en Verkeer heeft de stoepen in de oudste straten opnieuw gelegd.",
        Thema.HEEL, "Team Wegen en Verkeer", 520,
        ((VraagStatus.IN_ONDERZOEK, 500), (VraagStatus.IN_UITVOERING, 430),
         (VraagStatus.AFGEROND, 360))),
    DemoVraag(
        NOORD, "BU01640202", ("afvaldump", "volle-afvalbak", "zwerfvuil"),
        "Afval naast de containers in De Noork",
        "Bewoners melden steeds vuilniszakken en grofvuil naast de ondergrondse containers. "
        "Gildebor ruimt het op. Samen met Twente Milieu en Welbions kijken we of de containers "
        "vaker geleegd moeten worden en hoe we nieuwe bewoners beter informeren.",
        Thema.SCHOON, "Gildebor", 130, ((VraagStatus.IN_ONDERZOEK, 100),)),
    DemoVraag(
        NOORD, None, ("jongerenoverlast", "geluidsoverlast"),
        "Overlast in de avond rond het winkelcentrum",
        "Bewoners melden geluid en groepen die 's avonds blijven hangen. De wijkagent en "
        "Wijkracht gaan met de jongeren en de omwonenden in gesprek.",
        Thema.SAMENLEVEN, "Wijkracht", 20),
    DemoVraag(
        BINNENSTAD, None, ("zwerfvuil", "volle-afvalbak"),
        "Zwerfvuil in het centrum na het weekend",
        "Op maandag liggen er veel blikjes, verpakkingen en volle afvalbakken in de binnenstad. "
        "Gildebor veegt vaker op maandagochtend; de ondernemers denken mee over extra "
        "afvalbakken bij de horeca.",
        Thema.SCHOON, "Gildebor", 60,
        ((VraagStatus.IN_ONDERZOEK, 50), (VraagStatus.IN_UITVOERING, 20))),
]


def vul(regisseurs: dict[str, User]) -> int:
    """Put the recurring demo problems on the wijkagenda and carry them on (flushes);
    returns how many vragen were made."""
    nu = datetime.now(UTC)
    gemaakt = 0
    for d in AGENDA:
        toen = nu - timedelta(days=d.gemaakt)
        query = (
            select(Melding).join(Categorie)
            .where(Melding.bron == "demo", Melding.wijk_code == d.wijk,
                   Categorie.slug.in_(d.slugs), Melding.created_at <= toen,
                   Melding.created_at > toen - timedelta(days=VENSTER))
            .order_by(Melding.created_at.desc()).limit(8)
        )
        if d.buurt:
            query = query.where(Melding.buurt_code == d.buurt)
        meldingen = list(db.session.scalars(query))
        if len(meldingen) < 2:
            continue
        door = regisseurs[d.wijk]
        eigenaar = organisatie_by_naam(d.eigenaar)
        bronnen = gekozen_bronnen(door, [("melding", m.id) for m in meldingen])
        vraag = maak_vraag(bronnen, titel=d.titel, omschrijving=d.omschrijving, thema=d.thema,
                           door=door)
        vraag.created_at = vraag.updated_at = toen
        for status, dagen in d.stappen or ((VraagStatus.NIEUW, d.gemaakt),):
            wijzig_vraag(vraag, titel=d.titel, omschrijving=d.omschrijving, thema=d.thema,
                         status=status, eigenaar=eigenaar, door=door)
            vraag.updated_at = nu - timedelta(days=dagen)
        gemaakt += 1
    db.session.flush()
    return gemaakt
