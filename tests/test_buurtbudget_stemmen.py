"""Voting with a stemcode: codes for the letters, the ballot, replacing a ballot, paper
ballots, the race for one code, and the uitslag that follows from the ballots."""

from __future__ import annotations

import csv
import io
import threading

from sqlalchemy import func, select

from participatie import codes
from participatie.buurtbudget.models import Idee, Stem, Stemcode, StemKeuze
from participatie.buurtbudget.stemmen import maak_stemcodes
from participatie.buurtbudget.workflow import IdeeStatus
from participatie.extensions import db
from tests.factories import budgetronde, csrf_token, gebruiker, login, vandaag

DE_NOORK = "BU01640202"


def _idee(ronde, titel: str, kosten: int) -> Idee:
    """A feasible idea on the ballot (the ideas' own flow is tested in test_buurtbudget_ideeen)."""
    idee = Idee(ronde=ronde, titel=titel, omschrijving=f"{titel} voor de buurt",
                kosten_schatting=kosten, kosten=kosten, wijk_code=ronde.wijk_code,
                status=IdeeStatus.HAALBAAR.value, toelichting="Kan en mag.")
    db.session.add(idee)
    db.session.flush()
    return idee


def _stemronde(**kwargs):
    ronde = budgetronde(fase="stemmen", budget=10_000, **kwargs)
    ideeen = [_idee(ronde, "Bankjes bij de vijver", 4_000),
              _idee(ronde, "Moestuin", 5_000),
              _idee(ronde, "Speeltoestel", 7_000)]
    [code] = maak_stemcodes(ronde, 1, buurt=ronde.buurten[0], door=None)
    return ronde, ideeen, code


def _stem(client, ronde, code: str, ideeen, **extra):
    token = csrf_token(client, "/melden")  # one token per session, whatever the page
    return client.post(f"/buurtbudget/{ronde.slug}/stemmen",
                       data={"csrf_token": token, "stemcode": code,
                             "idee": [i.id for i in ideeen]} | extra)


def _keuzes() -> list[list[int]]:
    stemmen = db.session.scalars(select(Stem).order_by(Stem.id)).all()
    return [[k.idee_id for k in s.keuzes] for s in stemmen]


def test_bewoner_stemt_binnen_het_budget_en_er_blijft_niets_over_de_persoon(client, db_session):
    ronde, (bank, tuin, _speel), code = _stemronde()
    response = _stem(client, ronde, code.lower().replace("-", " "), [bank, tuin])
    assert response.status_code == 303
    [stem] = db.session.scalars(select(Stem)).all()
    assert (stem.buurt_code, stem.dag, stem.papier) == (DE_NOORK, vandaag(), False)
    assert _keuzes() == [[bank.id, tuin.id]]
    kolommen = set(Stem.__table__.columns.keys())
    assert kolommen == {"id", "ronde_id", "stemcode_id", "buurt_code", "dag", "papier"}
    html = client.get(f"/buurtbudget/{ronde.slug}").get_data(as_text=True)
    assert "Uw stem is opgeslagen" in html


def test_tikfout_in_de_code_wordt_gevonden_en_de_keuze_blijft_staan(client, db_session):
    ronde, (bank, _tuin, _speel), code = _stemronde()
    normaal = codes.normaliseer(code)
    fout = normaal[:2] + normaal[3] + normaal[2] + normaal[4:]  # two neighbours swapped
    if fout == normaal:
        fout = normaal[:-1] + ("3" if normaal[-1] != "3" else "4")
    response = _stem(client, ronde, fout, [bank])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "tikfout" in html
    assert f'value="{bank.id}" data-kosten="4000" checked' in html
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 0


def test_te_duur_of_onbekende_code(client, db_session):
    ronde, (bank, tuin, speel), code = _stemronde()
    html = _stem(client, ronde, code, [tuin, speel]).get_data(as_text=True)
    assert "€ 12.000" in html and "meer dan het budget" in html
    assert f'value="{speel.id}" data-kosten="7000" checked' in html
    [ander] = maak_stemcodes(budgetronde(naam="Andere ronde", fase="stemmen"), 1, buurt=None,
                             door=None)
    html = _stem(client, ronde, ander, [bank]).get_data(as_text=True)
    assert "kennen wij niet voor deze ronde" in html
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 0


def test_keuzestem_met_een_maximum(client, db_session):
    ronde, ideeen, code = _stemronde(stemwijze="keuze", max_keuzes=2)
    html = _stem(client, ronde, code, ideeen).get_data(as_text=True)
    assert "hoogstens 2 ideeën kiezen; u koos er 3" in html
    assert _stem(client, ronde, code, ideeen[:2]).status_code == 303


def test_opnieuw_stemmen_vervangt_de_eerdere_stem(client, db_session):
    ronde, (bank, tuin, speel), code = _stemronde()
    assert _stem(client, ronde, code, [bank, tuin]).status_code == 303
    client.get("/")  # the flash of the first vote
    assert _stem(client, ronde, code, [speel]).status_code == 303
    assert _keuzes() == [[speel.id]]
    html = client.get(f"/buurtbudget/{ronde.slug}").get_data(as_text=True)
    assert "Uw eerdere stem met deze code telt niet meer" in html


def test_alleen_de_hash_van_een_code_wordt_bewaard(client, db_session):
    ronde = budgetronde(fase="stemmen")
    login(client, gebruiker("stadsdeelregisseur"))
    token = csrf_token(client, f"/beheer/buurtbudget/{ronde.slug}")
    response = client.post(f"/beheer/buurtbudget/{ronde.slug}/stemcodes",
                           data={"csrf_token": token, "aantal": "25", "buurt": DE_NOORK})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rijen = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                                delimiter=";"))
    assert len(rijen) == 25 and len({r["stemcode"] for r in rijen}) == 25
    assert all(codes.controleer(r["stemcode"]) for r in rijen)
    opgeslagen = db.session.scalars(select(Stemcode.code_hash)).all()
    assert len(opgeslagen) == 25
    assert not {codes.normaliseer(r["stemcode"]) for r in rijen} & set(opgeslagen)


def test_papieren_stem_door_medewerker(client, db_session):
    ronde, (bank, _tuin, _speel), code = _stemronde()
    login(client, gebruiker("stadsdeelregisseur"))
    token = csrf_token(client, f"/beheer/buurtbudget/{ronde.slug}/papier")
    response = client.post(f"/beheer/buurtbudget/{ronde.slug}/papier",
                           data={"csrf_token": token, "stemcode": code, "idee": [bank.id]})
    assert response.status_code == 303
    [stem] = db.session.scalars(select(Stem)).all()
    assert stem.papier and _keuzes() == [[bank.id]]


def test_buiten_de_stemperiode_kan_niet_worden_gestemd(client, db_session):
    ronde, (bank, _tuin, _speel), code = _stemronde()
    ronde.fase = "uitslag"
    db.session.flush()
    assert _stem(client, ronde, code, [bank]).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 0


def test_twintig_gelijktijdige_stemmen_met_een_code_laten_een_stem_over(app, schoon):
    with app.app_context():
        ronde, ideeen, code = _stemronde()
        db.session.commit()
        slug, ids = ronde.slug, [i.id for i in ideeen[:2]]
        db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = False
    start = threading.Barrier(20)
    antwoorden = []

    def stem():
        client = app.test_client()
        start.wait()
        antwoorden.append(client.post(f"/buurtbudget/{slug}/stemmen",
                                      data={"stemcode": code, "idee": ids}).status_code)

    try:
        draden = [threading.Thread(target=stem) for _ in range(20)]
        for draad in draden:
            draad.start()
        for draad in draden:
            draad.join()
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        assert antwoorden == [303] * 20
        assert db.session.scalar(select(func.count()).select_from(Stem)) == 1
        assert db.session.scalar(select(func.count()).select_from(StemKeuze)) == 2
        db.session.remove()


def test_uitslag_volgt_uit_de_stemmen_en_wordt_vastgelegd(client, db_session):
    ronde, (bank, tuin, speel), _code = _stemronde()
    sleutels = maak_stemcodes(ronde, 5, buurt=None, door=None)
    # speeltoestel 3 votes, moestuin and bankjes 2 each: the speeltoestel (7,000) goes first;
    # after it neither the moestuin (5,000) nor the bankjes (4,000) fit in the 3,000 left.
    for code, kies in zip(sleutels, [[speel], [speel], [speel], [tuin, bank], [tuin, bank]],
                          strict=True):
        assert _stem(client, ronde, code, kies).status_code == 303
    login(client, gebruiker("stadsdeelregisseur"))
    token = csrf_token(client, f"/beheer/buurtbudget/{ronde.slug}")
    assert client.post(f"/beheer/buurtbudget/{ronde.slug}/fase",
                       data={"csrf_token": token, "fase": "uitslag"}).status_code == 303
    db.session.expire_all()
    assert [speel.gekozen, tuin.gekozen, bank.gekozen] == [True, False, False]
    html = client.get(f"/buurtbudget/{ronde.slug}/uitslag").get_data(as_text=True)
    assert "<strong>5</strong> bewoners stemden" in html and "Speeltoestel" in html
    assert "past niet meer in het budget" in html
    assert "<td>De Noork</td><td>0</td><td>1</td>" in html  # turnout per buurt, by name
    uitslag_csv = client.get(f"/buurtbudget/{ronde.slug}/uitslag.csv").get_data(as_text=True)
    assert f"{speel.id};Speeltoestel;7000;3;60.0;ja" in uitslag_csv
    stemmen_csv = client.get(f"/buurtbudget/{ronde.slug}/stemmen.csv").get_data(as_text=True)
    assert len(stemmen_csv.strip().splitlines()) == 1 + 5


def test_commando_stemcodes_schrijft_een_keer_een_csv(runner, db_session, tmp_path):
    ronde = budgetronde(fase="beoordelen")
    db_session.commit()
    uit = tmp_path / "codes.csv"
    resultaat = runner.invoke(args=["buurtbudget", "stemcodes", ronde.slug, "--aantal", "40",
                                    "--uit", str(uit), "--buurt", DE_NOORK])
    assert resultaat.exit_code == 0, resultaat.output
    rijen = list(csv.DictReader(io.StringIO(uit.read_text()), delimiter=";"))
    assert len(rijen) == 40 and {r["buurt"] for r in rijen} == {"De Noork"}
    assert rijen[0]["stemmen_op"].endswith(f"/buurtbudget/{ronde.slug}/stemmen")
    assert oct(uit.stat().st_mode & 0o777) == "0o600"
    nog_eens = runner.invoke(args=["buurtbudget", "stemcodes", ronde.slug, "--aantal", "1",
                                   "--uit", str(uit)])
    assert nog_eens.exit_code != 0 and "bestaat al" in nog_eens.output
    assert db.session.scalar(select(func.count()).select_from(Stemcode)) == 40


def test_de_stemcode_is_verplicht_en_dat_staat_erbij(client, db_session):
    ronde, (bank, _tuin, _speel), _code = _stemronde()
    leeg = client.get(f"/buurtbudget/{ronde.slug}/stemmen").get_data(as_text=True)
    veld = leeg[leeg.index('id="stemcode-veld"'):]
    assert "niet verplicht" not in veld[:veld.index("</div>")]
    html = _stem(client, ronde, "", [bank]).get_data(as_text=True)
    assert "Vul uw stemcode in. U vindt de code in de brief." in html
    assert f'value="{bank.id}" data-kosten="4000" checked' in html
