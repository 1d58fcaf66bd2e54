"""The wijkbeeld page and its CSV files: who may read them, and what they say."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from participatie.extensions import db
from participatie.wijkbeeld.perioden import kwartaal_label, kwartaal_van
from tests import factories as f
from tests.wijkbeeld_hulp import melding_in_kwartaal

NOORD, DE_NOORK, NOORD_BUURT = "WK016402", "BU01640202", "BU01640200"
PAGINA = f"/wijken/{NOORD}/wijkbeeld"
KERNCIJFERS = Path(__file__).parent / "data" / "kerncijfers_85984NED_test.csv"


def _csv(client, tabel: str, **args) -> list[dict]:
    response = client.get(f"{PAGINA}/{tabel}.csv", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f"wijkbeeld-{(args.get('buurt') or NOORD).lower()}-{tabel}.csv" in \
        response.headers["Content-Disposition"]
    tekst = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(tekst), delimiter=";"))


def _ingelogd(client, rol: str = "stadsdeelregisseur", wijken=(NOORD,)):
    user = f.gebruiker(rol, wijken=wijken, organisatie="Gildebor" if rol == "partner" else None)
    db.session.commit()
    f.login(client, user)
    return user


@pytest.mark.parametrize(("rol", "wijken", "verwacht"), [
    ("beheerder", (), 200),
    ("stadsdeelregisseur", (NOORD,), 200),
    ("wijkraadlid", (NOORD,), 200),
    ("stadsdeelregisseur", ("WK016400",), 403),
    ("wijkraadlid", ("WK016400",), 403),
    ("partner", (), 403),
])
def test_wie_het_wijkbeeld_mag_lezen(client, db_session, rol, wijken, verwacht):
    _ingelogd(client, rol, wijken)
    for url in (PAGINA, f"{PAGINA}?buurt={DE_NOORK}", f"{PAGINA}/meldingen-per-jaar.csv"):
        assert client.get(url).status_code == verwacht, url
    agenda = client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)
    assert (f'href="{PAGINA}"' in agenda) == (verwacht == 200)


def test_anoniem_moet_eerst_inloggen_en_ziet_geen_link(client, db_session):
    for url in (PAGINA, f"{PAGINA}/meldingen-per-jaar.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "wijkbeeld" not in client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)


def test_onbekende_wijk_buurt_of_tabel_is_niet_gevonden(client, db_session):
    _ingelogd(client, "beheerder", ())
    assert client.get("/wijken/WK999999/wijkbeeld").status_code == 404
    assert client.get(f"{PAGINA}?buurt=BU01640000").status_code == 404  # Binnenstad's
    assert client.get(f"{PAGINA}/bestaat-niet.csv").status_code == 404


def test_het_wijkagenda_overzicht_linkt_naar_de_eigen_wijken(client, db_session):
    _ingelogd(client)
    html = client.get("/beheer/wijkagenda").get_data(as_text=True)
    assert f'href="{PAGINA}"' in html
    assert 'href="/wijken/WK016400/wijkbeeld"' not in html


def test_zonder_kerncijfers_aantallen_en_de_gemeente_als_gemiddelde_per_wijk(client,
                                                                             db_session):
    for dag in range(3):
        melding_in_kwartaal(dag, gesloten_na=2)
    for dag in range(7):
        melding_in_kwartaal(dag, plek=f.BINNENSTAD)
    _ingelogd(client)
    html = client.get(PAGINA).get_data(as_text=True)
    assert "Er zijn geen inwonersaantallen van CBS ingelezen voor Noord" in html
    kwartalen = html.split('id="tabel-meldingen-per-kwartaal"')[1].split("</table>")[0]
    assert "Per 1.000 inwoners" not in kwartalen
    assert "Gemeente, gemiddeld per wijk" in kwartalen
    rijen = _csv(client, "meldingen-per-kwartaal")
    assert "Per 1.000 inwoners" not in rijen[0]
    nu = rijen[-1]
    assert nu["Kwartaal"] == kwartaal_label(kwartaal_van(f.vandaag()))
    # 10 meldingen in the gemeente's 10 wijken: 1.0 per wijk on average.
    assert (nu["Ontvangen"], nu["Gemeente, gemiddeld per wijk"]) == ("3", "1.0")
    assert (nu["Afgehandeld"], nu["Binnen de termijn"], nu["Mediaan doorlooptijd (dagen)"]) \
        == ("3", "100.0", "2.0")


def test_met_kerncijfers_per_1000_inwoners(client, runner, db_session):
    uit = runner.invoke(args=["gebieden", "kerncijfers", str(KERNCIJFERS)])
    assert uit.exit_code == 0, uit.output
    for dag in range(20):
        melding_in_kwartaal(dag % 80)
        melding_in_kwartaal(dag % 80, plek=f.BINNENSTAD)
    _ingelogd(client)
    html = client.get(PAGINA).get_data(as_text=True)
    assert "Kerncijfers wijken en buurten 2024): 10.000" in html
    nu = _csv(client, "meldingen-per-kwartaal")[-1]
    # Noord: 20 per 10,000 inwoners; the gemeente: 40 per 80,000.
    assert (nu["Ontvangen"], nu["Per 1.000 inwoners"], nu["Gemeente per 1.000 inwoners"]) \
        == ("20", "2.0", "0.5")
    buurten = {r["Buurt"]: r for r in _csv(client, "meldingen-per-buurt")}
    assert (buurten["De Noork"]["Inwoners"], buurten["De Noork"]["Per 1.000 inwoners"]) \
        == ("2000", "10.0")
    # CBS gave "." for 't Rot: unknown, so no figure per 1,000 either.
    assert (buurten["'t Rot"]["Inwoners"], buurten["'t Rot"]["Per 1.000 inwoners"]) == ("", "")
    # The wijk and the gemeente as the last rows, to compare each buurt with.
    assert buurten["Wijk Noord"]["Per 1.000 inwoners"] == "2.0"
    assert buurten["Gemeente Hengelo (O.)"]["Per 1.000 inwoners"] == "0.5"
    schoon = _csv(client, "meldingen-per-thema")[0]
    assert (schoon["Thema"], schoon["Categorie"], schoon["Per 1.000 inwoners"],
            schoon["Gemeente per 1.000 inwoners"]) == ("Schoon", "Alle categorieën", "2.0", "0.5")
    # Shown on the page in Dutch: 2,0 and a dash for unknown.
    assert "<td class=\"wb-getal\">2,0</td>" in html


def _ronde_met_stemmen(per_buurt: dict[str, int]):
    from participatie.buurtbudget import stemmen
    from participatie.gebieden.models import Buurt

    ronde = f.budgetronde(buurten=(), fase="stemmen")
    idee = f.idee(ronde, status="haalbaar")
    for buurt, aantal in per_buurt.items():
        codes = stemmen.maak_stemcodes(ronde, aantal + 2, buurt=db.session.get(Buurt, buurt),
                                       door=None)
        for code in codes[:aantal]:
            stemmen.breng_uit(ronde, stemmen.zoek_stemcode(ronde, code),
                              stemmen.controleer_keuze(ronde, [idee.id]))
    return ronde, idee


def test_kleine_aantallen_per_buurt_worden_niet_getoond(client, db_session):
    ronde, _idee = _ronde_met_stemmen({DE_NOORK: 3, NOORD_BUURT: 6})
    _ingelogd(client, "wijkraadlid")
    per_buurt = {r["Buurt"]: r for r in _csv(client, "buurtbudget-per-buurt")}
    assert per_buurt["De Noork"]["Stemmen"] == "te weinig om te tonen"
    assert per_buurt["De Noork"]["Opkomst"] == "te weinig om te tonen"
    assert per_buurt["De Noork"]["Stemcodes verstuurd"] == "5"
    assert (per_buurt["Noord"]["Stemmen"], per_buurt["Noord"]["Opkomst"]) == ("6", "75.0")
    wijk = _csv(client, "buurtbudget-rondes")[0]
    assert (wijk["Stemmen"], wijk["Stemcodes verstuurd"], wijk["Opkomst"]) == ("9", "13",
                                                                              "69.2")
    buurt = _csv(client, "buurtbudget-rondes", buurt=DE_NOORK)[0]
    assert buurt["Stemmen"] == "te weinig om te tonen"
    actief = _csv(client, "actieve-inwoners-per-buurt")
    noork = next(r for r in actief if r["Buurt"] == "De Noork"
                 and r["Jaar"] == str(f.vandaag().year))
    assert (noork["Stemmen (huishoudens)"], noork["Samen"]) == ("te weinig om te tonen",) * 2
    html = client.get(f"{PAGINA}?buurt={DE_NOORK}").get_data(as_text=True)
    assert "te weinig om te tonen" in html


def test_actieve_inwoners_tellen_melders_huishoudens_en_enquetes(client, db_session):
    melding_in_kwartaal(1, email="Jan@Example.nl")
    melding_in_kwartaal(2, email="jan@example.nl")  # the same person: once
    melding_in_kwartaal(3, email="els@example.nl")
    melding_in_kwartaal(4)  # no address: nobody to count
    _ronde_met_stemmen({NOORD_BUURT: 6})
    e = f.enquete()
    for cijfer in (3, 4, 4, 5, 2):
        f.respons(e, {0: cijfer}, buurt=DE_NOORK)
    _ingelogd(client)
    jaar = next(r for r in _csv(client, "actieve-inwoners-per-jaar")
                if r["Jaar"] == str(f.vandaag().year))
    assert (jaar["Melders"], jaar["Stemmen (huishoudens)"], jaar["Ingevulde enquêtes"],
            jaar["Samen"]) == ("2", "6", "5", "13")
    html = client.get(PAGINA).get_data(as_text=True)
    assert "Wie meldde én stemde, telt daarom twee keer" in html


def test_een_wijkindicator_gevolgd_over_enquetes_en_jaren(client, db_session):
    vorig_jaar = f.vandaag().year - 1
    eerste = f.enquete(titel="Veilig in Noord " + str(vorig_jaar), status="gesloten")
    eerste.open_vanaf, eerste.sluit_op = date(vorig_jaar, 5, 1), date(vorig_jaar, 5, 31)
    for cijfer in (2, 2, 3, 3, 4):
        f.respons(eerste, {0: cijfer}, buurt=DE_NOORK)
    tweede = f.enquete(titel="Veilig in Noord nu")
    for cijfer in (4, 4, 4, 3, 3, 4):
        f.respons(tweede, {0: cijfer}, buurt=NOORD_BUURT)
    binnenstad = f.enquete(titel="Binnenstad", wijk_code="WK016400")
    for _ in range(5):
        f.respons(binnenstad, {0: 1}, buurt="BU01640000")
    _ingelogd(client)
    rijen = _csv(client, "wijkindicatoren")
    assert [(r["Enquête"], r["Uitkomst"], r["Respondenten"]) for r in rijen] == [
        (eerste.titel, "2.8", "5"), ("Veilig in Noord nu (loopt nog)", "3.7", "6")]
    # The gemeente in the same year: Noord's 22 and the Binnenstad's 5 over 11 answers.
    assert [r["Gemeente, zelfde jaar"] for r in rijen] == ["2.8", "2.5"]
    # One buurt: De Noork answered only the first survey; 't Rot nothing.
    noork = _csv(client, "wijkindicatoren", buurt=DE_NOORK)
    assert [(r["Enquête"], r["Uitkomst"]) for r in noork] == [(eerste.titel, "2.8")]
    html = client.get(PAGINA).get_data(as_text=True)
    assert 'aria-labelledby="grafiek-veiligheidsbeleving-schaal-titel' in html


def test_een_wijkindicator_van_weinig_mensen_wordt_niet_getoond(client, db_session):
    e = f.enquete()
    for cijfer in (1, 2, 3, 4):
        f.respons(e, {0: cijfer}, buurt=DE_NOORK)
    _ingelogd(client)
    rij = _csv(client, "wijkindicatoren", buurt=DE_NOORK)[0]
    assert (rij["Uitkomst"], rij["Respondenten"]) == ("te weinig om te tonen", "4")


def test_uitvoering_en_leefbaarheidsvragen_staan_erin(client, db_session):
    from participatie.buurtbudget import beoordeling
    from participatie.buurtbudget.workflow import UitvoeringStand

    regisseur = _ingelogd(client)
    ronde, idee = _ronde_met_stemmen({NOORD_BUURT: 5})
    ronde.fase = "uitvoering"
    idee.gekozen = True
    db.session.flush()
    beoordeling.voortgang(regisseur, idee, UitvoeringStand.BEZIG, 40, "De bankjes komen.")
    m = f.melding()
    f.leefbaarheidsvraag(m, titel="Afval bij de containers", status="in_onderzoek")
    db.session.commit()
    uitvoering = _csv(client, "buurtbudget-uitvoering")
    assert [(r["Idee"], r["Stand"], r["Voortgang"]) for r in uitvoering] == [
        (idee.titel, "Wordt uitgevoerd", "40")]
    assert _csv(client, "buurtbudget-rondes")[0]["Gekozen ideeën"] == "1"
    vragen = _csv(client, "leefbaarheidsvragen")
    assert [(r["Onderwerp"], r["Status"], r["Meldingen"]) for r in vragen] == [
        ("Afval bij de containers", "In onderzoek", "1")]


def test_elke_tabel_heeft_een_csv_en_de_pagina_een_afdrukopmaak(client, db_session):
    _ingelogd(client)
    html = client.get(PAGINA).get_data(as_text=True)
    namen = {"meldingen-per-kwartaal", "meldingen-per-jaar", "meldingen-per-thema",
             "meldingen-per-buurt", "buurtbudget-rondes", "buurtbudget-uitvoering",
             "buurtbudget-per-buurt", "wijkindicatoren", "actieve-inwoners-per-jaar",
             "actieve-inwoners-per-buurt", "leefbaarheidsvragen"}
    for naam in namen:
        assert f'id="tabel-{naam}"' in html
        assert f'href="{PAGINA}/{naam}.csv"' in html
        assert client.get(f"{PAGINA}/{naam}.csv").status_code == 200
    assert "css/wijkbeeld" in html
    css = (Path(__file__).parent.parent / "participatie" / "static" / "css"
           / "wijkbeeld.css").read_text()
    assert "@page { size: A4" in css and "@media print" in css
    assert '<svg class="grafiek"' in html and "<title id=\"grafiek-termijn-titel\">" in html
