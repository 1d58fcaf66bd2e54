"""`flask --app wsgi demo`: a realistic Hengelo to click around in, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from participatie.accounts.services import password_matches, user_by_email
from participatie.extensions import db
from participatie.meldingen.models import Contact, Gebeurtenis, Melding
from participatie.wijkagenda.models import Leefbaarheidsvraag


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

    tweede = runner.invoke(args=["demo"])

    assert tweede.exit_code == 0, tweede.output
    assert "niets toegevoegd" in tweede.output
    assert len(_demo_meldingen()) == len(meldingen)
    assert len(db_session.scalars(select(Leefbaarheidsvraag)).all()) == len(vragen)


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
