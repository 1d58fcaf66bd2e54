"""Who may do what with the wijkraad's reactions, for every role: the rules of
participatie/wijkraad/permissions.py, and every route that relies on them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participatie.buurtbudget.services import wijzig_fase
from participatie.buurtbudget.workflow import Fase
from participatie.extensions import db
from participatie.wijkraad import onderwerpen, permissions
from participatie.wijkraad.models import Reactie, ReactieAntwoord, ReactieSoort
from participatie.wijkraad.services import reageer, zet_openbaar
from tests.factories import budgetronde, leefbaarheidsvraag, melding
from tests.test_wijkraad import ELDERS, Browser, mens

ROLLEN = ("beheerder", "regisseur", "regisseur_elders", "partner", "lid", "lid_elders",
          "anoniem")


@pytest.fixture
def noord(db_session):
    """A vraag and a round with its uitslag in Noord, a reaction by `lid` on each, and a
    user of every kind."""
    mensen = {
        "beheerder": mens("beheerder"),
        "regisseur": mens("stadsdeelregisseur"),
        "regisseur_elders": mens("stadsdeelregisseur", wijken=(ELDERS,)),
        "partner": mens("partner", organisatie="Gildebor"),
        "lid": mens("wijkraadlid"),
        "lid_elders": mens("wijkraadlid", wijken=(ELDERS,)),
        "anoniem": None,
    }
    vraag = leefbaarheidsvraag(melding())
    ronde = budgetronde(fase="stemmen")
    wijzig_fase(ronde, Fase.UITSLAG, door=mensen["regisseur"])
    reactie = reageer(onderwerpen.van(vraag), soort=ReactieSoort.ADVIES, tekst="Advies van het lid",
                      door=mensen["lid"])
    db_session.commit()
    return {"mensen": mensen, "vraag": vraag, "ronde": ronde, "reactie": reactie}


# (rule, the roles for which it holds)
REGELS = {
    "lezen": {"beheerder", "regisseur", "lid"},
    "reageren": {"lid"},
    "beantwoorden": {"beheerder", "regisseur"},
    "openbaar_maken": {"lid"},
}


@pytest.mark.parametrize("rol", ROLLEN)
def test_de_regels_per_rol(noord, rol):
    user = noord["mensen"][rol]
    onderwerp = onderwerpen.van(noord["vraag"])
    reactie = noord["reactie"]
    uitkomst = {
        "lezen": permissions.mag_lezen(user, "WK016402"),
        "reageren": permissions.mag_reageren(user, onderwerp),
        "beantwoorden": permissions.mag_beantwoorden(user, "WK016402"),
        "openbaar_maken": permissions.mag_openbaar_maken(user, reactie),
    }
    assert uitkomst == {regel: rol in wie for regel, wie in REGELS.items()}
    assert permissions.ontvangt_overzicht(user) == (rol in ("lid", "lid_elders"))


def _verwacht(rol: str, mag: bool, gelukt: int) -> int:
    if rol == "anoniem":
        return 302  # to the login page
    return gelukt if mag else 403


@pytest.mark.parametrize("rol", ROLLEN)
def test_elke_route_per_rol(app, noord, rol):
    user, vraag, ronde = noord["mensen"][rol], noord["vraag"], noord["ronde"]
    reactie = noord["reactie"]
    browser = Browser(app, user)
    uitkomst, verwacht = {}, {}

    def kijk(naam, status, mag, gelukt):
        uitkomst[naam], verwacht[naam] = status, _verwacht(rol, mag, gelukt)

    kijk("pagina vraag", browser.get(f"/beheer/wijkraad/vragen/{vraag.id}").status_code,
         rol in REGELS["lezen"], 200)
    kijk("pagina ronde", browser.get(f"/beheer/wijkraad/rondes/{ronde.slug}").status_code,
         rol in REGELS["lezen"], 200)
    kijk("overzicht", browser.get("/beheer/wijkraad").status_code, rol != "partner", 200)
    kijk("reageren", browser.post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
                                  {"soort": "vraag", "tekst": "Een vraag"}).status_code,
         rol in REGELS["reageren"], 303)
    kijk("reageren op de uitslag", browser.post(
        f"/beheer/wijkraad/rondes/{ronde.slug}/reacties",
        {"soort": "instemming", "tekst": "Eens"}).status_code, rol in REGELS["reageren"], 303)
    kijk("antwoorden", browser.post(f"/beheer/wijkraad/reacties/{reactie.id}/antwoorden",
                                    {"tekst": "Een antwoord"}).status_code,
         rol in REGELS["beantwoorden"], 303)
    kijk("openbaar", browser.post("/beheer/wijkraad/openbaar", {
        "reactie": str(reactie.id), "openbaar": "ja"}).status_code,
         rol in REGELS["openbaar_maken"], 303)
    kijk("weekmail", browser.post("/beheer/wijkraad/overzichtmail", {"ontvangen": "y"})
         .status_code, rol in ("lid", "lid_elders"), 303)
    assert uitkomst == verwacht

    # What was refused left nothing behind.
    reacties = db.session.scalar(select(func.count(Reactie.id)))
    antwoorden = db.session.scalar(select(func.count(ReactieAntwoord.id)))
    assert (reacties, antwoorden) == (3 if rol == "lid" else 1,
                                      1 if rol in REGELS["beantwoorden"] else 0)
    db.session.refresh(reactie)
    assert reactie.openbaar == (rol == "lid")


@pytest.mark.parametrize("rol", ROLLEN)
def test_wat_elke_rol_op_de_wijkagenda_ziet(app, noord, rol):
    reactie = noord["reactie"]
    html = Browser(app, noord["mensen"][rol]).get("/wijken/WK016402/agenda").get_data(
        as_text=True)
    leest_alles = rol in REGELS["lezen"]
    assert ("Advies van het lid" in html) == leest_alles
    assert (f'id="antwoord-tekst-{reactie.id}"' in html) == (rol in REGELS["beantwoorden"])
    assert ("Reageren als wijkraad" in html) == (rol in REGELS["reageren"])
    assert ("Openbaar maken" in html) == (rol in REGELS["openbaar_maken"])

    zet_openbaar(reactie, True, door=noord["mensen"]["lid"])
    db.session.commit()
    html = Browser(app, noord["mensen"][rol]).get("/wijken/WK016402/agenda").get_data(
        as_text=True)
    # Public now: everyone reads it; those who read everything in the exchange itself.
    assert "Advies van het lid" in html
    assert ("Wat de wijkraad zegt" in html) == (not leest_alles)
