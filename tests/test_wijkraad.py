"""A wijkraadlid reacts to a vraag or a published result of their wijk; the gemeente answers;
the exchange stays with the subject, in order; the author makes a reaction public and residents
read it with the gemeente's answers."""

from __future__ import annotations

import itertools
import re

from flask import g, render_template
from sqlalchemy import select

from participatie.audit import regels_voor
from participatie.buurtbudget.services import wijzig_fase
from participatie.buurtbudget.workflow import Fase
from participatie.extensions import db
from participatie.wijkraad.models import Reactie
from participatie.wijkraad.services import OBJECT
from tests.factories import (
    budgetronde,
    csrf_token,
    enquete,
    gebruiker,
    leefbaarheidsvraag,
    login,
    melding,
)

NOORD, ELDERS = "WK016402", "WK016400"


_TELLER = itertools.count(1)


def _vergeet() -> None:
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def mens(rol: str, **kwargs):
    """A user of `rol` with an address of their own (gebruiker() may reuse one)."""
    kwargs.setdefault("email", f"{rol}-{next(_TELLER)}@hengelo.nl")
    return gebruiker(rol, **kwargs)


class Browser:
    """One person's browser: their own session, logged in as `user` (or not at all).

    The tests share one app context, where Flask-Login keeps the user of the last request
    in `g`, and Flask-WTF its CSRF token; each request here starts without them, as a real
    request does.
    """

    def __init__(self, app, user=None) -> None:
        self.client = app.test_client()
        self.anoniem = user is None
        if user is not None:
            _vergeet()
            login(self.client, user)

    def get(self, url: str):
        _vergeet()
        return self.client.get(url)

    def html(self, url: str) -> str:
        return self.get(url).get_data(as_text=True)

    def post(self, url: str, data: dict, *, token: bool = True):
        """Post as the browser would: with the token of its session, from a page that has it
        (the menu of every staff page carries it; /melden for residents)."""
        if token:
            _vergeet()
            pagina = "/melden" if self.anoniem else "/"
            data = {**data, "csrf_token": csrf_token(self.client, pagina)}
        _vergeet()
        return self.client.post(url, data=data)


def _reacties() -> list[Reactie]:
    return list(db.session.scalars(select(Reactie).order_by(Reactie.id)))


def test_wijkraadlid_reageert_op_een_vraag_en_de_regisseur_antwoordt(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    lid = mens("wijkraadlid", email="lid@hengelo.nl")
    regisseur = mens("stadsdeelregisseur")
    db_session.commit()
    wijkraad = Browser(app, lid)

    pagina = wijkraad.get(f"/beheer/wijkraad/vragen/{vraag.id}")
    assert pagina.status_code == 200
    assert "Reageren als wijkraad" in pagina.get_data(as_text=True)
    response = wijkraad.post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
                     {"soort": "advies", "tekst": "Zet er een extra container bij."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/beheer/wijkraad/vragen/{vraag.id}#reacties")
    [reactie] = _reacties()
    assert (reactie.soort, reactie.tekst, reactie.openbaar, reactie.wijk_code,
            reactie.auteur_id) == ("advies", "Zet er een extra container bij.", False, NOORD,
                                   lid.id)
    assert reactie.onderwerp_sleutel == ("leefbaarheidsvraag", vraag.id)

    gemeente = Browser(app, regisseur)
    agenda = gemeente.html(f"/wijken/{NOORD}/agenda")
    assert "Zet er een extra container bij." in agenda
    assert f'id="antwoord-tekst-{reactie.id}"' in agenda
    response = gemeente.post(f"/beheer/wijkraad/reacties/{reactie.id}/antwoorden",
                     {"tekst": "Goed idee, we plaatsen er volgende week een."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#reactie-{reactie.id}")
    [antwoord] = reactie.antwoorden
    assert antwoord.auteur_id == regisseur.id

    html = wijkraad.html(f"/beheer/wijkraad/vragen/{vraag.id}")
    assert html.index("Zet er een extra container bij.") < html.index(
        "Goed idee, we plaatsen er volgende week een.")
    assert [r.actie for r in regels_voor(OBJECT, reactie.id)] == [
        "wijkraad.reactie", "wijkraad.antwoord"]
    [gelogd] = [r for r in regels_voor(OBJECT, reactie.id) if r.actie == "wijkraad.antwoord"]
    assert gelogd.user_id == regisseur.id
    assert gelogd.na["tekst"] == "Goed idee, we plaatsen er volgende week een."


def test_het_gesprek_blijft_bij_de_vraag_in_volgorde(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    lid, ander_lid = mens("wijkraadlid"), mens("wijkraadlid")
    regisseur = mens("stadsdeelregisseur")
    db_session.commit()
    eerste, tweede, gemeente = Browser(app, lid), Browser(app, ander_lid), Browser(app, regisseur)
    url = f"/beheer/wijkraad/vragen/{vraag.id}"
    eerste.post(url + "/reacties", {"soort": "vraag", "tekst": "Wanneer komt er iets?"})
    tweede.post(url + "/reacties", {"soort": "instemming", "tekst": "Eens met de aanpak."})
    een, twee = _reacties()
    gemeente.post(f"/beheer/wijkraad/reacties/{een.id}/antwoorden", {"tekst": "In maart."})
    gemeente.post(f"/beheer/wijkraad/reacties/{twee.id}/antwoorden", {"tekst": "Dank u."})
    gemeente.post(f"/beheer/wijkraad/reacties/{een.id}/antwoorden",
          {"tekst": "Aanvulling: half maart."})

    html = eerste.html(url)
    volgorde = ["Wanneer komt er iets?", "In maart.", "Aanvulling: half maart.",
                "Eens met de aanpak.", "Dank u."]
    assert [html.index(t) for t in volgorde] == sorted(html.index(t) for t in volgorde)
    assert "Vraag van" in html and "Instemming van" in html
    # The staff page of the vraag shows the same exchange.
    beheer = gemeente.html(f"/beheer/wijkagenda/{vraag.id}")
    assert "Reacties van de wijkraad" in beheer and "Aanvulling: half maart." in beheer


def test_een_reactie_zonder_soort_of_tekst_komt_terug_met_de_fout_bij_het_veld(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    lid = mens("wijkraadlid")
    db_session.commit()
    client = Browser(app, lid)
    url = f"/beheer/wijkraad/vragen/{vraag.id}/reacties"

    zonder_soort = client.post(url, {"tekst": "Mijn getypte tekst blijft staan."})
    assert zonder_soort.status_code == 422
    html = zonder_soort.get_data(as_text=True)
    assert "Kies of het een advies, een vraag of instemming is." in html
    assert "Mijn getypte tekst blijft staan.</textarea>" in html

    zonder_tekst = client.post(url, {"soort": "vraag", "tekst": "   "})
    html = zonder_tekst.get_data(as_text=True)
    assert zonder_tekst.status_code == 422 and "Schrijf uw reactie." in html
    assert re.search(r'<input checked[^>]*value="vraag"', html)

    te_lang = client.post(url, {"soort": "advies", "tekst": "x" * 4001})
    assert te_lang.status_code == 422 and "Schrijf hoogstens 4000 tekens." in te_lang.get_data(
        as_text=True)
    assert _reacties() == []


def test_een_leeg_antwoord_geeft_de_fout_bij_de_goede_reactie(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    lid, regisseur = mens("wijkraadlid"), mens("stadsdeelregisseur")
    db_session.commit()
    wijkraad, gemeente = Browser(app, lid), Browser(app, regisseur)
    url = f"/beheer/wijkraad/vragen/{vraag.id}/reacties"
    wijkraad.post(url, {"soort": "advies", "tekst": "Eerste"})
    wijkraad.post(url, {"soort": "advies", "tekst": "Tweede"})
    een, twee = _reacties()

    leeg = gemeente.post(f"/beheer/wijkraad/reacties/{twee.id}/antwoorden", {"tekst": ""})
    assert leeg.status_code == 422
    html = leeg.get_data(as_text=True)
    assert f'id="antwoord-fout-{twee.id}"' in html and "Schrijf uw antwoord." in html
    assert f'id="antwoord-fout-{een.id}"' not in html
    assert f'href="#antwoord-tekst-{twee.id}"' in html  # the summary leads to the field
    te_lang = gemeente.post(f"/beheer/wijkraad/reacties/{een.id}/antwoorden",
                    {"tekst": "Begin " + "y" * 4000})
    assert te_lang.status_code == 422
    assert "Begin yyy" in te_lang.get_data(as_text=True)  # what was typed comes back
    assert een.antwoorden == [] and twee.antwoorden == []


def test_de_auteur_maakt_een_reactie_openbaar_en_bewoners_lezen_hem_met_het_antwoord(
        app, db_session):
    vraag = leefbaarheidsvraag(melding(email="melder@example.nl"), titel="Afval bij de school")
    lid = mens("wijkraadlid", email="jan.wijkraad@hengelo.nl")
    regisseur = mens("stadsdeelregisseur")
    db_session.commit()
    wijkraad, gemeente, bewoner = Browser(app, lid), Browser(app, regisseur), Browser(app)
    wijkraad.post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
          {"soort": "advies", "tekst": "Plaats een bord bij de school."})
    [reactie] = _reacties()
    gemeente.post(f"/beheer/wijkraad/reacties/{reactie.id}/antwoorden",
          {"tekst": "Het bord komt er in april."})
    assert "Plaats een bord" not in bewoner.html(f"/wijken/{NOORD}/agenda")

    response = wijkraad.post("/beheer/wijkraad/openbaar",
                     {"reactie": str(reactie.id), "openbaar": "ja"})
    assert response.status_code == 303 and reactie.openbaar and reactie.openbaar_op
    html = bewoner.html(f"/wijken/{NOORD}/agenda")
    assert "Wat de wijkraad zegt" in html
    assert "De wijkraad geeft advies over de leefbaarheidsvraag" in html
    assert "Plaats een bord bij de school." in html and "Antwoord van de gemeente" in html
    assert "Het bord komt er in april." in html
    assert f'href="/wijken/{NOORD}/agenda#vraag-{vraag.id}">‘Afval bij de school’' in html
    # Residents read what the wijkraad and the gemeente say, not who wrote it.
    assert "Wijkraadlid" not in html and "jan.wijkraad" not in html
    assert "melder@example.nl" not in html

    wijkraad.post("/beheer/wijkraad/openbaar", {"reactie": str(reactie.id), "openbaar": "nee"})
    assert not reactie.openbaar and reactie.openbaar_op is None
    assert "Plaats een bord" not in bewoner.html(f"/wijken/{NOORD}/agenda")
    openbaar = [r for r in regels_voor(OBJECT, reactie.id) if r.actie == "wijkraad.openbaar"]
    assert [(r.voor["openbaar"], r.na["openbaar"], r.user_id) for r in openbaar] == [
        (False, True, lid.id), (True, False, lid.id)]


def test_alleen_de_auteur_maakt_zijn_reactie_openbaar(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    auteur, ander_lid = mens("wijkraadlid"), mens("wijkraadlid")
    db_session.commit()
    Browser(app, auteur).post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
          {"soort": "advies", "tekst": "Mijn advies."})
    [reactie] = _reacties()
    ander = Browser(app, ander_lid)
    html = ander.html(f"/beheer/wijkraad/vragen/{vraag.id}")
    assert "Mijn advies." in html and "Openbaar maken" not in html
    response = ander.post("/beheer/wijkraad/openbaar",
                     {"reactie": str(reactie.id), "openbaar": "ja"})
    assert response.status_code == 403 and not reactie.openbaar
    for rare in ("", "abc", "99999999999", "0"):
        status = ander.post("/beheer/wijkraad/openbaar",
                       {"reactie": rare, "openbaar": "ja"}).status_code
        assert status in (400, 404), rare


def test_op_een_uitslag_reageren_kan_pas_als_hij_bekend_is(app, db_session):
    regisseur = mens("stadsdeelregisseur")
    ronde = budgetronde(fase="stemmen")
    lid = mens("wijkraadlid")
    db_session.commit()
    client = Browser(app, lid)
    url = f"/beheer/wijkraad/rondes/{ronde.slug}"
    assert "De uitslag is er nog niet." in client.html(url)
    te_vroeg = client.post(url + "/reacties", {"soort": "vraag", "tekst": "Hoeveel stemmen?"})
    assert te_vroeg.status_code == 409 and _reacties() == []
    assert "De uitslag is er nog niet." in te_vroeg.get_data(as_text=True)

    wijzig_fase(ronde, Fase.UITSLAG, door=regisseur)
    db_session.commit()
    response = client.post(url + "/reacties", {"soort": "vraag", "tekst": "Hoeveel stemmen?"})
    assert response.status_code == 303
    [reactie] = _reacties()
    assert reactie.onderwerp_sleutel == ("budgetronde", ronde.id)
    # The round's staff page shows it, with the form to answer.
    beheer = Browser(app, regisseur).html(f"/beheer/buurtbudget/{ronde.slug}")
    assert "Hoeveel stemmen?" in beheer and f'id="antwoord-tekst-{reactie.id}"' in beheer


def test_op_een_enquete_reageren_kan_als_hij_gesloten_is(app, db_session):
    lopend, gesloten = enquete(status="open"), enquete(titel="Groen in Noord", status="gesloten")
    voor_de_stad = enquete(titel="Heel Hengelo", wijk_code=None, status="gesloten")
    lid = mens("wijkraadlid")
    db_session.commit()
    client = Browser(app, lid)
    te_vroeg = client.post(f"/beheer/wijkraad/enquetes/{lopend.id}/reacties",
                     {"soort": "advies", "tekst": "Vraag ook naar verlichting."})
    assert te_vroeg.status_code == 409
    assert "De enquête loopt nog." in te_vroeg.get_data(as_text=True)
    assert client.post(f"/beheer/wijkraad/enquetes/{gesloten.id}/reacties",
                 {"soort": "instemming", "tekst": "Mooie uitkomst."}).status_code == 303
    # A survey of the whole gemeente has no wijkraad.
    assert client.get(f"/beheer/wijkraad/enquetes/{voor_de_stad.id}").status_code == 404
    # The wijkraadlid reads the reaction beside the results, with the way to react.
    html = client.html(f"/beheer/enquetes/{gesloten.id}/uitslag")
    assert "Mooie uitkomst." in html and "Reageren als wijkraad" in html


def test_overzicht_toont_wat_op_antwoord_wacht(app, db_session):
    vraag = leefbaarheidsvraag(melding(), titel="Hard rijden")
    lid, regisseur = mens("wijkraadlid"), mens("stadsdeelregisseur")
    elders = mens("stadsdeelregisseur", wijken=(ELDERS,))
    db_session.commit()
    Browser(app, lid).post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
          {"soort": "vraag", "tekst": "Komen er drempels?"})
    html = Browser(app, regisseur).html("/beheer/wijkraad")
    wachten = html[html.index("Wachten op antwoord"):html.index("Nieuwste reacties")]
    assert "Komen er drempels?" in wachten and "‘Hard rijden’" in wachten
    anders = Browser(app, elders).html("/beheer/wijkraad")
    assert "Komen er drempels?" not in anders


def test_wijkraadlid_ziet_op_de_wijkraadpaginas_geen_contactgegevens(app, db_session):
    m = melding(email="melder@example.nl")
    vraag = leefbaarheidsvraag(m)
    lid = mens("wijkraadlid")
    db_session.commit()
    client = Browser(app, lid)
    for url in (f"/beheer/wijkraad/vragen/{vraag.id}", f"/wijken/{NOORD}/agenda",
                "/beheer/wijkraad"):
        html = client.html(url)
        assert "melder@example.nl" not in html, url
    # Still no triage: the melding's actions stay closed to the wijkraad.
    response = client.post(f"/beheer/meldingen/{m.id}/status", {"status": "in_behandeling"})
    assert response.status_code == 403


def test_zonder_csrf_token_wordt_niets_opgeslagen(app, db_session):
    vraag = leefbaarheidsvraag(melding())
    lid, regisseur = mens("wijkraadlid"), mens("stadsdeelregisseur")
    db_session.commit()
    wijkraad = Browser(app, lid)
    zonder = wijkraad.post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
                           {"soort": "advies", "tekst": "Zonder token"}, token=False)
    assert zonder.status_code == 400 and _reacties() == []
    wijkraad.post(f"/beheer/wijkraad/vragen/{vraag.id}/reacties",
          {"soort": "advies", "tekst": "Met token"})
    [reactie] = _reacties()
    assert wijkraad.post("/beheer/wijkraad/openbaar", {
        "reactie": str(reactie.id), "openbaar": "ja"}, token=False).status_code == 400
    assert Browser(app, regisseur).post(f"/beheer/wijkraad/reacties/{reactie.id}/antwoorden",
                                     {"tekst": "Zonder token"}, token=False).status_code == 400
    assert not reactie.openbaar and reactie.antwoorden == []


def test_openbare_reacties_nieuwste_eerst_alleen_openbaar_en_van_de_wijk(app, db_session):
    from participatie.wijkraad import onderwerpen, services
    from participatie.wijkraad.models import ReactieSoort

    lid, elders = mens("wijkraadlid"), mens("wijkraadlid", wijken=(ELDERS,))
    regisseur = mens("stadsdeelregisseur")
    vraag = leefbaarheidsvraag(melding(), titel="Bankjes")
    ander = leefbaarheidsvraag(melding(), titel="Stoep", wijk_code=ELDERS)
    reacties = [services.reageer(onderwerpen.van(vraag), soort=ReactieSoort.ADVIES,
                                 tekst=f"Advies {n}", door=lid) for n in range(4)]
    buiten = services.reageer(onderwerpen.van(ander), soort=ReactieSoort.VRAAG,
                              tekst="Elders", door=elders)
    services.beantwoord(reacties[0], "Eerste antwoord", door=regisseur)
    services.beantwoord(reacties[0], "Tweede antwoord", door=regisseur)
    for r in (reacties[0], reacties[2], reacties[1], buiten):  # made public in this order
        services.zet_openbaar(r, True, door=r.auteur)

    gevonden = services.openbare_reacties(NOORD, 2)
    assert [r.tekst for r in gevonden] == ["Advies 1", "Advies 2"]
    alle = services.openbare_reacties(NOORD, 10)
    assert [r.tekst for r in alle] == ["Advies 1", "Advies 2", "Advies 0"]
    assert [t for t, _ in alle[2].antwoorden] == ["Eerste antwoord", "Tweede antwoord"]
    assert alle[0].link == f"/wijken/{NOORD}/agenda#vraag-{vraag.id}"
    assert alle[0].soort.zin == "geeft advies over" and alle[0].onderwerp.titel == "Bankjes"
    assert len(services.openbare_reacties(NOORD, 10_000)) == 3  # at most 50, never more

    html = render_template("wijkraad/_openbaar.html", wijkraad_reacties=alle,
                           wijk=vraag.wijk)
    assert html.count('class="wijkraad-reactie"') == 3 and "Elders" not in html
    assert render_template("wijkraad/_openbaar.html", wijkraad_reacties=[],
                           wijk=vraag.wijk).strip() == ""


def test_de_demo_geeft_noord_een_gesprek_met_de_wijkraad_en_doet_dat_een_keer(app, db_session):
    from participatie.wijkraad import demo, services

    lid, regisseur = mens("wijkraadlid"), mens("stadsdeelregisseur")
    leefbaarheidsvraag(melding(), titel="Afval")
    leefbaarheidsvraag(melding(), titel="Hard rijden")
    ronde = budgetronde(fase="stemmen")
    wijzig_fase(ronde, Fase.UITSLAG, door=regisseur)
    enquete(status="gesloten")

    assert demo.vul(lid, regisseur) == ["Wijkraad Noord: 4 reacties met antwoord."]
    assert demo.vul(lid, regisseur) == []
    reacties = _reacties()
    assert len(reacties) == 4 and all(len(r.antwoorden) == 1 for r in reacties)
    assert {r.onderwerp_soort for r in reacties} == {"leefbaarheidsvraag", "budgetronde",
                                                     "enquete"}
    assert len(services.openbare_reacties(NOORD, 10)) == 3
