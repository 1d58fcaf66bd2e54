"""Realistic demo content for Hengelo (used by `flask --app wsgi demo`).

Everything is generated from fixed seeds, so two fresh databases get the same demo (dated
back from the day it is loaded). Noord, the pilot wijk, tells a story over two years and a
bit: meldingen and how they were handled, leefbaarheidsvragen raised from them and carried
to afgerond, three buurtbudget rounds a year apart with the funded ideas carried out, the
same survey in two years, and the wijkraad's reactions to them. Each feature makes its own
part (`<feature>/demo.py`), through its own services. Demo meldingen carry bron="demo"; when
any exist, no meldingen or vragen are added, and the rounds, surveys and reactions check for
themselves.
"""

from __future__ import annotations

from sqlalchemy import func, select

from participatie.accounts.models import User
from participatie.accounts.services import create_user, organisatie_by_naam, user_by_email
from participatie.buurtbudget import demo as buurtbudget_demo
from participatie.enquetes import demo as enquetes_demo
from participatie.extensions import db
from participatie.meldingen import demo as meldingen_demo
from participatie.meldingen.models import Melding
from participatie.wijkagenda import demo as wijkagenda_demo
from participatie.wijkraad import demo as wijkraad_demo

WACHTWOORD = "hengelo-demo-2026"
NOORD = "WK016402"
BINNENSTAD = "WK016400"

# (e-mail, rol, naam, wijken, organisatie)
ACCOUNTS = [
    ("beheer@hengelo.nl", "beheerder", "Demo Beheerder", [], None),
    ("regisseur.noord@hengelo.nl", "stadsdeelregisseur", "Sanne Kamphuis", [NOORD], None),
    ("regisseur.binnenstad@hengelo.nl", "stadsdeelregisseur", "Mehmet Yildiz", [BINNENSTAD],
     None),
    ("partner.gildebor@hengelo.nl", "partner", "Gerrit Nijhuis (Gildebor)", [], "Gildebor"),
    ("wijkraad.noord@hengelo.nl", "wijkraadlid", "Anja Oude Vrielink", [NOORD], None),
]


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


def vul(aantal_meldingen: int, schaal: float = 1.0) -> list[str]:
    """Create the demo accounts and content that do not exist yet (flushes); returns lines
    to print. `schaal` < 1 makes fewer ballots and survey responses (quicker, for tests)."""
    users, regels = _accounts()
    regisseurs = {NOORD: users["regisseur.noord@hengelo.nl"],
                  BINNENSTAD: users["regisseur.binnenstad@hengelo.nl"]}
    if db.session.scalar(select(func.count()).select_from(Melding).where(Melding.bron == "demo")):
        uit = ["Demo-meldingen bestaan al; er is niets toegevoegd."]
    else:
        aantal, wijken = meldingen_demo.vul(aantal_meldingen, regisseurs,
                                            users["beheer@hengelo.nl"])
        vragen = wijkagenda_demo.vul(regisseurs)
        uit = [f"Demo: {aantal} meldingen in {wijken} wijken over de laatste "
               f"{meldingen_demo.DAGEN_TERUG // 30} maanden aangemaakt, {vragen} onderwerpen op "
               "de wijkagenda."]
    uit += buurtbudget_demo.vul(regisseurs[NOORD], schaal)
    uit += enquetes_demo.vul(regisseurs[NOORD], schaal)
    uit += wijkraad_demo.vul(users["wijkraad.noord@hengelo.nl"], regisseurs[NOORD])
    return [*uit, *regels]
