"""What each role reads on a melding's staff page: the table `meldingen.permissions.ZICHT`.

Wijkraadleden are residents themselves: the public history only. A partner reads what
concerns its own assignment. Contact details, internal notes, residents' non-public answers
and the audit log are for the gemeente's own staff.
"""

from __future__ import annotations

import pytest

from participatie.accounts.services import organisatie_by_naam
from participatie.extensions import db
from participatie.meldingen.models import Gebeurtenis
from participatie.meldingen.services import triage
from participatie.meldingen.workflow import Status
from tests.factories import gebruiker, login, melding

TEKSTEN = {
    "contact": "melder@example.nl",
    "notitie_gemeente": "Notitie van de gemeente: bewoner is bekend bij handhaving",
    "notitie_partner": "Notitie van Gildebor: ploeg komt dinsdag",
    "antwoord": "Antwoord van de bewoner: naast huisnummer 12",
    "intern_statusbericht": "Interne reden bij de status: wacht op budget",
    "publiek": "Bericht aan de melder: we komen kijken",
    "logboek": "Logboek van deze melding",
}


@pytest.fixture
def pagina(db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    gildebor = gebruiker("partner", organisatie="Gildebor")
    m = melding(email=TEKSTEN["contact"])
    m.organisatie = organisatie_by_naam("Gildebor")
    db.session.flush()
    triage.bericht(regisseur, m, TEKSTEN["notitie_gemeente"], publiek=False)
    triage.bericht(gildebor, m, TEKSTEN["notitie_partner"], publiek=False)
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.ANTWOORD, tekst=TEKSTEN["antwoord"],
                                        publiek=False))
    triage.wijzig_status(regisseur, m, Status.INGEPLAND, TEKSTEN["intern_statusbericht"],
                         publiek=False)
    triage.bericht(regisseur, m, TEKSTEN["publiek"], publiek=True)
    db_session.commit()
    return {"melding": m, "regisseur": regisseur, "gildebor": gildebor}


def _zichtbaar(client, user, m) -> set[str]:
    login(client, user)
    html = client.get(f"/beheer/meldingen/{m.id}").get_data(as_text=True)
    return {naam for naam, tekst in TEKSTEN.items() if tekst in html}


ALLES = set(TEKSTEN)


@pytest.mark.parametrize(("rol", "verwacht"), [
    ("beheerder", ALLES),
    ("stadsdeelregisseur", ALLES),
    ("partner", {"notitie_partner", "publiek"}),
    ("wijkraadlid", {"publiek"}),
])
def test_elke_rol_leest_precies_wat_de_tabel_zegt(client, db_session, pagina, rol, verwacht):
    user = {"stadsdeelregisseur": pagina["regisseur"], "partner": pagina["gildebor"]}.get(
        rol) or gebruiker(rol)
    db_session.commit()
    assert _zichtbaar(client, user, pagina["melding"]) == verwacht


def test_zonder_de_interne_tekst_blijft_de_statuswijziging_zichtbaar(client, db_session,
                                                                      pagina):
    wijkraadlid = gebruiker("wijkraadlid")
    db_session.commit()
    login(client, wijkraadlid)
    html = client.get(f"/beheer/meldingen/{pagina['melding'].id}").get_data(as_text=True)
    assert "Status: Ingepland" in html
    assert TEKSTEN["intern_statusbericht"] not in html
