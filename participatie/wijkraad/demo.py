"""Demo reactions of the wijkraad of Noord, made through the same services as the real thing:
advice, a question and agreement on Noord's leefbaarheidsvragen and results, the regisseur's
answers, and some of them public. The demo (participatie/demo.py) calls `vul` after the
agenda, the rounds and the surveys exist."""

from __future__ import annotations

from sqlalchemy import select

from participatie.accounts.models import User
from participatie.extensions import db
from participatie.wijkagenda.models import OPEN_VRAAG, Leefbaarheidsvraag
from participatie.wijkraad import onderwerpen, services
from participatie.wijkraad.models import Reactie, ReactieSoort

NOORD = "WK016402"

# (which subject, kind, text, the gemeente's answer, public)
GESPREKKEN = [
    ("vraag", ReactieSoort.ADVIES,
     "Betrek de buurtpreventie-app erbij: bewoners zien vaak als eersten waar het misgaat.",
     "Goed idee. De wijkagent neemt contact op met de beheerders van de app.", True),
    ("vraag", ReactieSoort.VRAAG,
     "Wanneer horen bewoners wat er met hun meldingen is gebeurd?",
     "Iedereen met een e-mailadres krijgt bericht als de melding is afgehandeld.", False),
    ("uitslag", ReactieSoort.INSTEMMING,
     "De wijkraad is blij dat de ideeën met de meeste steun worden uitgevoerd.",
     "Dank u. We houden de wijkraad op de hoogte van de uitvoering.", True),
    ("enquete", ReactieSoort.ADVIES,
     "Veel bewoners noemen het donkere pad langs de vijver. Zet dat op de wijkagenda.",
     "Het staat nu op de wijkagenda. Eind dit jaar komt er extra verlichting.", True),
]


def vul(lid: User, regisseur: User) -> list[str]:
    """Add the demo exchange in Noord once (idempotent): nothing when Noord has reactions."""
    if db.session.scalar(select(Reactie.id).where(Reactie.wijk_code == NOORD).limit(1)):
        return []
    # The wijkraad speaks about what is still open; finished vragen only if there is nothing else.
    nog_open = Leefbaarheidsvraag.status.in_([s.value for s in OPEN_VRAAG])
    vragen = list(db.session.scalars(select(Leefbaarheidsvraag).where(
        Leefbaarheidsvraag.wijk_code == NOORD).order_by(nog_open.desc(), Leefbaarheidsvraag.id)
        .limit(2)))
    resultaten = onderwerpen.resultaten(NOORD)
    bij = {
        "vraag": [onderwerpen.van(v) for v in vragen],
        "uitslag": [o for o in resultaten if o.soort == "budgetronde"],
        "enquete": [o for o in resultaten if o.soort == "enquete"],
    }
    gemaakt = 0
    for soort, reactie_soort, tekst, antwoord, openbaar in GESPREKKEN:
        if not bij[soort]:
            continue
        onderwerp = bij[soort].pop(0) if soort == "vraag" and len(bij[soort]) > 1 else \
            bij[soort][0]
        reactie = services.reageer(onderwerp, soort=reactie_soort, tekst=tekst, door=lid)
        services.beantwoord(reactie, antwoord, door=regisseur)
        if openbaar:
            services.zet_openbaar(reactie, True, door=lid)
        gemaakt += 1
    return [f"Wijkraad Noord: {gemaakt} reacties met antwoord."] if gemaakt else []
