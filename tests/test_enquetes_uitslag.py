"""The results of a survey are right on data with known answers: options counted once per
respondent with the respondents as the base (never the combinations), scales, per buurt with
small-number protection, the streamed exports and the refused second response."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

from participatie.enquetes import uitslag
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from tests.factories import enquete, gebruiker, login, respons

DE_NOORK, KLEIN_DRIENE = "BU01640202", "BU01640203"


def _gevuld():
    """Ten respondents: 6 in De Noork, 4 in another buurt, with known answers."""
    e = enquete()
    # (buurt, scale, choices by position, open text)
    data = [
        (DE_NOORK, 5, [0, 1], "Meer licht"), (DE_NOORK, 4, [0], None),
        (DE_NOORK, 4, [0, 1, 2], None), (DE_NOORK, 2, [], "Minder hard rijden"),
        (DE_NOORK, 3, [1], None), (DE_NOORK, 5, [0, 2], None),
        (KLEIN_DRIENE, 1, [2], None), (KLEIN_DRIENE, 2, [2], None),
        (KLEIN_DRIENE, 3, [], None), (KLEIN_DRIENE, 2, [1, 2], "Hondenpoep op het grasveld"),
    ]
    for buurt, schaal, keuzes, tekst in data:
        antwoorden = {0: schaal}
        if keuzes:
            antwoorden[1] = keuzes
        if tekst:
            antwoorden[2] = tekst
        respons(e, antwoorden, buurt=buurt)
    return e


def test_meerdere_keuzes_tellen_per_optie_met_de_bewoners_als_basis(db_session):
    e = _gevuld()

    u = uitslag.bereken(e)

    assert u.respondenten == 10
    schaal, keuze, open_ = u.vragen
    assert keuze.basis == 8  # two respondents skipped the question
    assert [(t.label, t.aantal) for t in keuze.tellingen] == [
        ("Afval", 4), ("Hard rijden", 4), ("Hondenpoep", 5)]
    assert [round(t.procent, 1) for t in keuze.tellingen] == [50.0, 50.0, 62.5]
    assert sum(t.procent for t in keuze.tellingen) > 100  # options, not combinations
    assert schaal.basis == 10
    assert schaal.gemiddelde == 3.1
    assert schaal.mediaan == 3.0
    assert [t.aantal for t in schaal.tellingen] == [1, 3, 2, 2, 2]
    assert open_.open_totaal == 3


def test_uitslag_per_buurt_en_te_weinig_om_te_tonen(db_session):
    e = _gevuld()

    noork = uitslag.bereken(e, buurt=db_session.get(Buurt, DE_NOORK))
    driene = uitslag.bereken(e, buurt=db_session.get(Buurt, KLEIN_DRIENE))

    assert noork.respondenten == 6 and not noork.te_weinig
    _, keuze, _ = noork.vragen
    assert keuze.basis == 5
    assert [t.aantal for t in keuze.tellingen] == [4, 3, 2]
    assert noork.vragen[0].gemiddelde == 23 / 6
    assert driene.respondenten == 4 and driene.te_weinig and not driene.vragen
    [(vraag, rijen)] = uitslag.indicatoren_per_buurt(e)
    per_buurt = {r.label: r for r in rijen}
    assert per_buurt["De Noork"].gemiddelde == 23 / 6
    assert per_buurt["Klein Driene"].gemiddelde is None  # fewer than 5


def test_uitslagpagina_toont_tabellen_en_te_weinig(client, db_session):
    e = _gevuld()
    login(client, gebruiker("wijkraadlid"))

    html = client.get(f"/beheer/enquetes/{e.id}/uitslag").get_data(as_text=True)
    klein = client.get(f"/beheer/enquetes/{e.id}/uitslag?buurt={KLEIN_DRIENE}")

    assert "<strong>10</strong> bewoners vulden" in html
    assert "<svg" in html and "62,5%" in html
    assert "te weinig om te tonen" in klein.get_data(as_text=True)
    zoek = client.get(f"/beheer/enquetes/{e.id}/uitslag?zoek=hond").get_data(as_text=True)
    assert "Hondenpoep op het grasveld" in zoek and "Meer licht" not in zoek


def test_wijkraadlid_van_een_andere_wijk_ziet_de_uitslag_niet(client, db_session):
    e = _gevuld()
    login(client, gebruiker("wijkraadlid", wijken=("WK016400",)))

    assert client.get(f"/beheer/enquetes/{e.id}/uitslag").status_code == 404


def test_exports_als_csv_en_xlsx_worden_gestroomd(client, db_session):
    e = _gevuld()
    login(client, gebruiker("beheerder"))

    antwoord = client.get(f"/beheer/enquetes/{e.id}/export.csv")
    assert antwoord.is_streamed
    rijen = list(csv.reader(io.StringIO(antwoord.get_data(as_text=True).lstrip("\ufeff")),
                            delimiter=";"))
    assert len(rijen) == 11
    kop = rijen[0]
    assert kop[:3] == ["respons", "verzonden_op", "buurt"]
    afval = kop.index("V2 Waar ergert u zich aan?: Afval")
    assert sum(1 for r in rijen[1:] if r[afval] == "1") == 4
    xlsx = client.get(f"/beheer/enquetes/{e.id}/export.xlsx")
    assert xlsx.is_streamed
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as z:
        blad = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (ours)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert len(blad.findall(f"{ns}sheetData/{ns}row")) == 11
    db.session.rollback()


def test_bijgehouden_tellingen_zijn_gelijk_aan_opnieuw_geteld(db_session):
    from sqlalchemy import select

    from participatie.enquetes.models import Telling
    from participatie.enquetes.tellingen import tel_opnieuw

    e = _gevuld()

    def rijen():
        return sorted(db_session.execute(select(
            Telling.vraag_id, Telling.buurt_code, Telling.waarde, Telling.aantal).where(
            Telling.enquete_id == e.id)).all())

    bijgehouden = rijen()
    tel_opnieuw(e)
    assert rijen() == bijgehouden and len(bijgehouden) == 20


def test_opdrachten_tellen_opnieuw_en_maken_codes(runner, db_session, tmp_path):
    e = _gevuld()
    e.met_code = True
    db_session.commit()

    geteld = runner.invoke(args=["enquetes", "tel-opnieuw", str(e.id)])
    codes = runner.invoke(args=["enquetes", "codes", str(e.id), "--aantal", "3", "--uit",
                                str(tmp_path / "codes.csv"), "--buurt", DE_NOORK])
    dicht = runner.invoke(args=["enquetes", "status", str(e.id), "gesloten"])

    assert "10 verstuurde antwoorden geteld" in geteld.output
    assert codes.exit_code == 0, codes.output
    assert len((tmp_path / "codes.csv").read_text().splitlines()) == 4
    assert dicht.exit_code == 0 and "gesloten" in dicht.output


def test_wijkindicator_te_volgen_over_enquetes(client, db_session):
    from datetime import timedelta

    eerder = enquete(titel="Veiligheid 2025")
    for cijfer in (2, 2, 3, 3, 3):
        respons(eerder, {0: cijfer})
    eerder.sluit_op = eerder.open_vanaf = eerder.open_vanaf - timedelta(days=365)
    later = _gevuld()
    db_session.commit()
    login(client, gebruiker("wijkraadlid"))

    verloop = uitslag.indicator_verloop([later, eerder])["veiligheidsbeleving"]
    html = client.get("/beheer/enquetes/indicatoren").get_data(as_text=True)

    assert [m.enquete.titel for m in verloop] == ["Veiligheid 2025", later.titel]
    assert [round(m.waarde, 1) for m in verloop] == [2.6, 3.1]
    assert html.index("Veiligheid 2025") < html.index("2,6") < html.index("3,1")


def test_plekken_als_speldjes_en_als_svg(client, db_session):
    from participatie.enquetes.services import VraagGegevens
    from participatie.enquetes.workflow import VraagType

    e = enquete(vragen=[VraagGegevens(VraagType.PLEK, "Waar is het onveilig?")])
    respons(e, {0: (52.2700, 6.8138, "bij de school")})
    respons(e, {0: (None, None, "achter de flat")})
    db_session.commit()
    login(client, gebruiker("beheerder"))

    html = client.get(f"/beheer/enquetes/{e.id}/uitslag").get_data(as_text=True)

    assert 'data-punten="[[52.27, 6.8138]]"' in html
    assert "<circle" in html and "bij de school" in html
