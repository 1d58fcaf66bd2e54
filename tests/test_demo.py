"""`flask --app wsgi demo`: a realistic Hengelo to click around in, loaded once, in which Noord
tells a story over two years and a bit.

The test loads the default meldingen but a quarter of the ballots and survey responses
(`--schaal 0.25`): the same story, some seconds quicker.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from participatie.accounts.services import password_matches, user_by_email
from participatie.buurtbudget.models import Budgetronde, Stem
from participatie.enquetes.models import Enquete, Respons
from participatie.extensions import db
from participatie.meldingen.demo import LED_KLAAR
from participatie.meldingen.models import Contact, Gebeurtenis, Melding
from participatie.tijd import lokale_datum
from participatie.wijkagenda.models import Leefbaarheidsvraag
from participatie.wijkbeeld.bijhouden import tel_opnieuw
from tests.factories import csrf_token, vandaag

NOORD = "WK016402"
SCHAAL = 0.25


def _demo_meldingen() -> list[Melding]:
    return list(db.session.scalars(select(Melding).where(Melding.bron == "demo")))


def test_demo_vult_hengelo_een_keer(runner, client, db_session):
    eerste = runner.invoke(args=["demo", "--schaal", str(SCHAAL)])

    assert eerste.exit_code == 0, eerste.output
    assert "Bron: CBS / Kadaster" in eerste.output
    assert "regisseur.noord@hengelo.nl" in eerste.output
    meldingen = _demo_meldingen()
    assert len(meldingen) == 900
    aantallen = dict(db_session.execute(
        select(Melding.wijk_code, func.count()).where(Melding.bron == "demo")
        .group_by(Melding.wijk_code)).all())
    assert len(aantallen) >= 8
    assert aantallen[NOORD] == max(aantallen.values()), "Noord is de pilotwijk"
    assert len({m.categorie.slug for m in meldingen}) >= 12
    assert {m.status for m in meldingen} >= {"gemeld", "in_behandeling", "ingepland",
                                            "afgehandeld", "doorgezet", "geannuleerd"}
    gesloten = [m for m in meldingen if not m.is_open]
    assert gesloten and all(m.gesloten_op and m.gesloten_op >= m.created_at for m in gesloten)
    assert all(m.deadline > m.created_at.date() for m in meldingen)
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

    _noord_over_twee_jaar([m for m in meldingen if m.wijk_code == NOORD])
    _wijkagenda_in_de_demo(client)
    _buurtbudget_in_de_demo(client, eerste.output)
    _enquetes_in_de_demo(client)
    _de_cijfers_van_het_wijkbeeld_kloppen()
    _de_publieke_pagina_vertelt_het_verhaal(client)

    vragen = db_session.scalars(select(Leefbaarheidsvraag)).all()
    tweede = runner.invoke(args=["demo"])

    assert tweede.exit_code == 0, tweede.output
    assert "niets toegevoegd" in tweede.output
    assert len(_demo_meldingen()) == len(meldingen)
    assert len(db_session.scalars(select(Leefbaarheidsvraag)).all()) == len(vragen)
    assert db_session.scalar(select(func.count()).select_from(Budgetronde)) == 3
    assert db_session.scalar(select(func.count()).select_from(Enquete)) == 3


def _noord_over_twee_jaar(noord: list[Melding]) -> None:
    """Noord's meldingen span more than two years, in every quarter; nearly all older ones
    are closed, most within their termijn; melders answered "is het opgelost?", and a "nee"
    was taken up again. The street lamps broke far less often after the led lighting."""
    nu = datetime.now(UTC)
    assert (nu - min(m.created_at for m in noord)).days >= 730
    kwartalen = {(nu - m.created_at).days // 91 for m in noord}
    assert kwartalen >= set(range(8))
    oud = [m for m in noord if (nu - m.created_at).days > 180]
    assert sum(not m.is_open for m in oud) / len(oud) > 0.9
    afgehandeld = [m for m in noord if m.status == "afgehandeld"]
    op_tijd = sum(lokale_datum(m.gesloten_op) <= m.deadline for m in afgehandeld)
    assert 0.65 < op_tijd / len(afgehandeld) < 0.95, "de meeste op tijd, sommige te laat"

    ids = [m.id for m in noord]
    antwoorden = db.session.scalars(select(Gebeurtenis.tekst).where(
        Gebeurtenis.melding_id.in_(ids), Gebeurtenis.soort == Gebeurtenis.TERUGKOPPELING)).all()
    assert antwoorden.count("opgelost: ja") > 20
    assert len([a for a in antwoorden if a != "opgelost: ja"]) >= 3
    assert db.session.scalar(select(func.count()).where(
        Gebeurtenis.melding_id.in_(ids), Gebeurtenis.status_naar == "heropend")) >= 2

    lampen = [m for m in noord if m.categorie.slug == "lantaarnpaal-kapot"]
    voor = sum((nu - m.created_at).days > LED_KLAAR for m in lampen) / (800 - LED_KLAAR)
    na = sum((nu - m.created_at).days <= LED_KLAAR for m in lampen) / LED_KLAAR
    assert voor > 2 * na


def _wijkagenda_in_de_demo(client) -> None:
    """Vragen raised from recurring meldingen as they piled up and carried on over time: the
    dark streets afgerond after the led lighting, rubbish in De Noork in onderzoek now."""
    vragen = {v.titel: v for v in db.session.scalars(select(Leefbaarheidsvraag))}
    assert {v.wijk_code for v in vragen.values()} == {NOORD, "WK016400"}
    nu = datetime.now(UTC)
    donker = vragen["Donkere plekken op straat in Noord"]
    assert donker.status == "afgerond" and donker.eigenaar.naam == "Team Openbare Verlichting"
    assert (nu - donker.created_at).days >= 600 and (nu - donker.updated_at).days >= 250
    bronnen = [db.session.get(Melding, b.bron_id) for b in donker.bronnen]
    assert len(bronnen) >= 4 and all(m.created_at <= donker.created_at for m in bronnen)
    assert {m.categorie.slug for m in bronnen} <= {"lantaarnpaal-kapot", "verlichting-overdag"}
    assert vragen["Losse tegels en gaten in de stoep"].status == "afgerond"

    de_noork = vragen["Afval naast de containers in De Noork"]
    assert de_noork.status == "in_onderzoek" and de_noork.eigenaar.naam == "Gildebor"
    bronnen = [db.session.get(Melding, b.bron_id) for b in de_noork.bronnen]
    assert len(bronnen) >= 2 and all(m.buurt_code == "BU01640202" for m in bronnen)
    agenda = client.get(f"/wijken/{NOORD}/agenda").get_data(as_text=True)
    assert "Afval naast de containers in De Noork" in agenda
    # The wijkraad reacts to what is still open, not to what was finished a year ago.
    from participatie.wijkraad.models import Reactie

    besproken = {db.session.get(Leefbaarheidsvraag, r.onderwerp_id).status
                 for r in db.session.scalars(select(Reactie).where(
                     Reactie.wijk_code == NOORD, Reactie.onderwerp_soort == "leefbaarheidsvraag"))}
    assert besproken and besproken <= {"nieuw", "in_onderzoek", "in_uitvoering"}


def _buurtbudget_in_de_demo(client, uitvoer: str) -> None:
    """Three rounds in Noord a year apart: the first carried out completely (every funded
    idea finished, with a photo), the second half finished, the third open for voting with
    stemcodes in the CSV the command names; a code from it casts a real ballot."""
    eerder, klaar, open_ = db.session.scalars(select(Budgetronde).order_by(Budgetronde.id))
    assert {r.wijk_code for r in (eerder, klaar, open_)} == {NOORD}
    assert (eerder.fase, klaar.fase, open_.fase) == ("uitvoering", "uitvoering", "stemmen")
    assert 50 <= (klaar.indienen_vanaf - eerder.indienen_vanaf).days // 7 <= 54
    for ronde in (eerder, klaar):
        dagen = db.session.scalars(select(Stem.dag).where(Stem.ronde_id == ronde.id)).all()
        assert len(dagen) >= 100
        assert all(ronde.stemmen_vanaf <= d < ronde.uitslag_vanaf for d in dagen)
    gekozen = [i for i in eerder.ideeen if i.gekozen]
    assert gekozen and not all(i.gekozen for i in eerder.ideeen)
    for idee in gekozen:
        laatste = [u for u in idee.updates if u.soort == "voortgang"][-1]
        assert (laatste.status, laatste.voortgang) == ("klaar", 100) and laatste.foto_thumbnail
        assert (datetime.now(UTC) - laatste.created_at).days > 180
    standen = [[u.status for u in i.updates if u.soort == "voortgang"][-1]
               for i in klaar.ideeen if i.gekozen]
    assert "klaar" in standen and "bezig" in standen
    uitslag = client.get(f"/buurtbudget/{klaar.slug}/uitslag").get_data(as_text=True)
    assert "Gelijke delen" in uitslag
    assert f"<strong>{round(540 * SCHAAL)}</strong> bewoners stemden" in uitslag

    [pad] = re.findall(r"Stemcodes van de open ronde: (\S+)", uitvoer)
    rijen = list(csv.DictReader(io.StringIO(Path(pad).read_text()), delimiter=";"))
    assert len(rijen) == 200
    haalbaar = [i for i in open_.ideeen if i.status == "haalbaar"]
    token = csrf_token(client, "/melden")
    stem = client.post(f"/buurtbudget/{open_.slug}/stemmen", data={
        "csrf_token": token, "stemcode": rijen[0]["stemcode"], "idee": [haalbaar[0].id]})
    assert stem.status_code == 303


def _enquetes_in_de_demo(client) -> None:
    """The same survey in Noord a year apart, with the same indicators, responses over its
    buurten and the weeks it was open, and a published summary; people felt safer the second
    year. And one open survey that residents can answer now."""
    from participatie.enquetes.uitslag import bereken, indicator_verloop

    eerder, later, open_ = db.session.scalars(select(Enquete).order_by(Enquete.id)).all()
    for e in (eerder, later):
        assert e.titel.startswith("Leefbaarheid en veiligheid in Noord ")
        assert (e.status, e.wijk_code, e.samenvatting_openbaar) == ("gesloten", NOORD, True)
        per_buurt = dict(db.session.execute(
            select(Respons.buurt_code, func.count()).where(
                Respons.enquete_id == e.id, Respons.verzonden_op.is_not(None))
            .group_by(Respons.buurt_code)).all())
        assert len(per_buurt) == 5
        assert bereken(e).respondenten == sum(per_buurt.values())
        assert len(bereken(e).per_dag) > 5  # spread over the weeks it was open
    assert 350 <= (later.sluit_op - eerder.sluit_op).days <= 380
    assert open_.status == "open" and open_.open_vanaf <= vandaag() <= open_.sluit_op
    verloop = indicator_verloop([eerder, later])
    assert set(verloop) == {"veiligheidsbeleving", "tevredenheid_woonomgeving",
                            "actief_in_buurt"}
    veilig = [m.waarde for m in verloop["veiligheidsbeleving"]]
    assert veilig[1] > veilig[0] + 0.2
    assert "Groen en spelen in Noord" in client.get("/enquetes").get_data(as_text=True)
    assert client.get(f"/enquetes/{open_.id}").status_code == 200


# Per table of the wijkbeeld, where its counters start (the columns before are its key).
TELLERS = {"wijkbeeld_melding": 4, "wijkbeeld_doorlooptijd": 3, "wijkbeeld_stem": 3,
           "wijkbeeld_stemcode": 2}


def _wijkbeeld() -> dict[str, set[tuple]]:
    """The rows of the wijkbeeld's tables that count anything."""
    return {tabel: {r for r in (tuple(r) for r in db.session.execute(
        text(f"SELECT * FROM {tabel}"))) if any(r[begin:])}  # noqa: S608
        for tabel, begin in TELLERS.items()}


def _de_cijfers_van_het_wijkbeeld_kloppen() -> None:
    """Everything the demo dated back is counted where it happened: the figures the
    triggers kept equal a fresh count of the data."""
    db.session.flush()
    bijgehouden = _wijkbeeld()
    tel_opnieuw()
    assert _wijkbeeld() == bijgehouden


def _de_publieke_pagina_vertelt_het_verhaal(client) -> None:
    """The short URL leads to Noord's page, which tells the two years."""
    response = client.get("/wijk/noord", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == f"/wijken/{NOORD}"
    assert "Speeltuin in Elsbeek opknappen" in html and "Donkere plekken op straat" in html
    assert re.search(r"Van \d,\d in \d{4} naar \d,\d in \d{4} \(gemiddeld op 1–5\)", html)
    assert html.count('loading="lazy"') >= 4  # photos of the work
    assert "Stem mee" in html and "Vul de enquête in" in html


def test_demo_accounts_kunnen_inloggen(runner, db_session):
    runner.invoke(args=["demo", "--meldingen", "10", "--schaal", "0.05"])

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
