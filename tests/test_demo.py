"""`flask --app wsgi demo`: a realistic Hengelo to click around in, loaded once."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy import func, select

from participatie.accounts.services import password_matches, user_by_email
from participatie.buurtbudget.models import Budgetronde, Stem
from participatie.enquetes.models import Enquete, Respons
from participatie.extensions import db
from participatie.meldingen.models import Contact, Gebeurtenis, Melding
from participatie.wijkagenda.models import Leefbaarheidsvraag
from tests.factories import csrf_token


def _demo_meldingen() -> list[Melding]:
    return list(db.session.scalars(select(Melding).where(Melding.bron == "demo")))


def test_demo_vult_hengelo_een_keer(runner, client, db_session):
    eerste = runner.invoke(args=["demo"])

    assert eerste.exit_code == 0, eerste.output
    assert "Bron: CBS / Kadaster" in eerste.output
    assert "regisseur.noord@hengelo.nl" in eerste.output
    meldingen = _demo_meldingen()
    assert 190 <= len(meldingen) <= 210
    per_wijk = db_session.execute(
        select(Melding.wijk_code, func.count()).where(Melding.bron == "demo")
        .group_by(Melding.wijk_code)
    ).all()
    aantallen = dict(per_wijk)
    assert len(aantallen) >= 8
    assert aantallen["WK016402"] == max(aantallen.values()), "Noord is de pilotwijk"
    assert len({m.categorie.slug for m in meldingen}) >= 12
    assert {m.status for m in meldingen} >= {"gemeld", "in_behandeling", "ingepland",
                                            "afgehandeld", "doorgezet", "geannuleerd"}

    gesloten = [m for m in meldingen if not m.is_open]
    assert gesloten and all(m.gesloten_op and m.gesloten_op >= m.created_at for m in gesloten)
    assert all(m.deadline > m.created_at.date() for m in meldingen)
    oudste = min(m.created_at for m in meldingen)
    nieuwste = max(m.created_at for m in meldingen)
    assert (nieuwste - oudste).days >= 60
    publieke_berichten = db_session.scalars(
        select(Gebeurtenis.tekst).join(Melding).where(
            Melding.bron == "demo", Gebeurtenis.publiek, Gebeurtenis.tekst != "")
    ).all()
    assert any("Gildebor komt de vuilniszakken" in t for t in publieke_berichten)
    assert db_session.scalar(
        select(func.count()).select_from(Contact).join(Melding)
        .where(Melding.bron == "demo", Contact.soort == Contact.STEUN)
    ) > 20
    assert all(m.locatie is not None and m.buurt_code for m in meldingen)

    vragen = db_session.scalars(select(Leefbaarheidsvraag)).all()
    assert {v.wijk_code for v in vragen} == {"WK016402", "WK016400"}
    de_noork = next(v for v in vragen if "De Noork" in v.titel)
    assert de_noork.status == "in_onderzoek" and de_noork.eigenaar.naam == "Gildebor"
    bronnen = [db_session.get(Melding, b.bron_id) for b in de_noork.bronnen]
    assert len(bronnen) >= 2 and all(m.buurt_code == "BU01640202" for m in bronnen)
    agenda = client.get("/wijken/WK016402/agenda").get_data(as_text=True)
    assert "Afval naast de containers in De Noork" in agenda

    _buurtbudget_in_de_demo(client, eerste.output)
    _enquetes_in_de_demo(client)

    tweede = runner.invoke(args=["demo"])

    assert tweede.exit_code == 0, tweede.output
    assert "niets toegevoegd" in tweede.output
    assert len(_demo_meldingen()) == len(meldingen)
    assert len(db_session.scalars(select(Leefbaarheidsvraag)).all()) == len(vragen)
    assert db_session.scalar(select(func.count()).select_from(Budgetronde)) == 2
    assert db_session.scalar(select(func.count()).select_from(Enquete)) == 2


def _buurtbudget_in_de_demo(client, uitvoer: str) -> None:
    """A finished round in Noord with at least 500 ballots, and one open for voting whose
    stemcodes are in the CSV the command names; a code from it casts a real ballot."""
    klaar, open_ = db.session.scalars(select(Budgetronde).order_by(Budgetronde.id)).all()
    assert (klaar.wijk_code, klaar.fase, open_.fase) == ("WK016402", "uitvoering", "stemmen")
    assert db.session.scalar(select(func.count()).select_from(Stem).where(
        Stem.ronde_id == klaar.id)) >= 500
    assert any(i.gekozen for i in klaar.ideeen) and not all(i.gekozen for i in klaar.ideeen)
    uitslag = client.get(f"/buurtbudget/{klaar.slug}/uitslag").get_data(as_text=True)
    assert "Gelijke delen" in uitslag and "<strong>540</strong> bewoners stemden" in uitslag
    [pad] = re.findall(r"Stemcodes van de open ronde: (\S+)", uitvoer)
    rijen = list(csv.DictReader(io.StringIO(Path(pad).read_text()), delimiter=";"))
    assert len(rijen) == 200
    haalbaar = [i for i in open_.ideeen if i.status == "haalbaar"]
    token = csrf_token(client, "/melden")
    stem = client.post(f"/buurtbudget/{open_.slug}/stemmen", data={
        "csrf_token": token, "stemcode": rijen[0]["stemcode"], "idee": [haalbaar[0].id]})
    assert stem.status_code == 303


def _enquetes_in_de_demo(client) -> None:
    """A closed survey in Noord with at least 300 responses over its buurten, indicators and
    a published summary; and one open survey that residents can answer now."""
    gesloten, open_ = db.session.scalars(select(Enquete).order_by(Enquete.id)).all()
    assert gesloten.titel == "Leefbaarheid en veiligheid in Noord"
    assert (gesloten.status, gesloten.wijk_code, open_.status) == ("gesloten", "WK016402",
                                                                   "open")
    per_buurt = dict(db.session.execute(
        select(Respons.buurt_code, func.count()).where(
            Respons.enquete_id == gesloten.id, Respons.verzonden_op.is_not(None))
        .group_by(Respons.buurt_code)).all())
    assert sum(per_buurt.values()) >= 300 and len(per_buurt) == 5
    from participatie.enquetes.uitslag import bereken

    uitkomst = bereken(gesloten)
    assert uitkomst.respondenten == sum(per_buurt.values())
    assert len(uitkomst.per_dag) > 10  # spread over the weeks it was open
    assert len({v.indicator for v in gesloten.vragen if v.indicator}) == 3
    assert "Leefbaarheid en veiligheid in Noord" in client.get("/wijken/WK016402").get_data(
        as_text=True)
    assert "Groen en spelen in Noord" in client.get("/enquetes").get_data(as_text=True)
    assert client.get(f"/enquetes/{open_.id}").status_code == 200


def test_demo_accounts_kunnen_inloggen(runner, db_session):
    runner.invoke(args=["demo", "--meldingen", "10"])

    for email, rol in [("beheer@hengelo.nl", "beheerder"),
                       ("regisseur.noord@hengelo.nl", "stadsdeelregisseur"),
                       ("regisseur.binnenstad@hengelo.nl", "stadsdeelregisseur"),
                       ("partner.gildebor@hengelo.nl", "partner"),
                       ("wijkraad.noord@hengelo.nl", "wijkraadlid")]:
        user = user_by_email(email)
        assert user is not None and user.rol == rol
        assert password_matches(user, "hengelo-demo-2026")
    assert [w.code for w in user_by_email("regisseur.noord@hengelo.nl").wijken] == ["WK016402"]
    assert user_by_email("partner.gildebor@hengelo.nl").organisatie.naam == "Gildebor"
