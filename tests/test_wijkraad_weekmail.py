"""The weekly overview for wijkraadleden: what changed in their wijk since the last one, sent
through the outbox to a real SMTP server on loopback; once a week at most, never empty, and an
opt-out in every e-mail that needs no login."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, text, update

from participatie.audit import AuditRegel
from participatie.buurtbudget.services import wijzig_fase
from participatie.buurtbudget.workflow import Fase
from participatie.enquetes import services as enquetes
from participatie.enquetes.workflow import EnqueteStatus
from participatie.extensions import db
from participatie.mail import Uitgaand
from participatie.tijd import TIJDZONE
from participatie.wijkagenda import services as wijkagenda
from participatie.wijkagenda.models import Leefbaarheidsvraag, Thema, VraagStatus
from participatie.wijkraad import onderwerpen, services, weekmail
from participatie.wijkraad.models import Overzichtmail, ReactieAntwoord, ReactieSoort
from tests.factories import budgetronde, enquete, leefbaarheidsvraag, melding
from tests.test_wijkraad import ELDERS, Browser, mens


def _nu_in_de_database() -> datetime:
    """The moment the test's transaction started: what every created_at in it says."""
    return db.session.scalar(select(func.now()))


def _terugdateren(*opdrachten) -> None:
    """Change when things happened. The audit log is append-only (a trigger refuses UPDATE),
    so its triggers are off for these statements only, in this test's transaction."""
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    for opdracht in opdrachten:
        db.session.execute(opdracht)
    db.session.execute(text("SET LOCAL session_replication_role = origin"))
    db.session.expire_all()


def _alles_een_uur_eerder() -> None:
    """Date what the test made an hour back: an overview reports up to MARGE before it runs,
    so what happens in the same second is for the next one."""
    _terugdateren(*(update(model).values(created_at=model.created_at - timedelta(hours=1))
                    for model in (AuditRegel, Leefbaarheidsvraag, ReactieAntwoord)))


def _oude_vraag(titel: str, wijk_code: str = "WK016402"):
    """A vraag that was on the agenda long before this week."""
    vraag = leefbaarheidsvraag(melding(), titel=titel, wijk_code=wijk_code)
    vraag.created_at = _nu_in_de_database() - timedelta(days=30)
    db.session.flush()
    return vraag


def _wijzig_status(vraag, status: VraagStatus, door) -> None:
    wijkagenda.wijzig_vraag(vraag, titel=vraag.titel, omschrijving=vraag.omschrijving,
                            thema=Thema(vraag.thema), status=status, eigenaar=vraag.eigenaar,
                            door=door)


def test_weekoverzicht_komt_aan_met_alles_wat_er_in_de_wijk_veranderde(
        runner, db_session, mailbox):
    regisseur = mens("stadsdeelregisseur")
    lid = mens("wijkraadlid", email="lid.noord@example.nl")
    elders = mens("wijkraadlid", email="lid.elders@example.nl", wijken=(ELDERS,))
    afgemeld = mens("wijkraadlid", email="afgemeld@example.nl")
    services.zet_overzichtmail(services.overzichtmail_van(afgemeld), False, door=afgemeld)
    weg = mens("wijkraadlid", email="gestopt@example.nl")
    weg.actief = False

    leefbaarheidsvraag(melding(), titel="Afval bij de school")
    hard_rijden = _oude_vraag("Hard rijden op de Tuindorpstraat")
    _wijzig_status(hard_rijden, VraagStatus.IN_ONDERZOEK, regisseur)
    ronde = budgetronde(fase="stemmen")
    wijzig_fase(ronde, Fase.UITSLAG, door=regisseur)
    e = enquete(status="open")
    enquetes.wijzig_status(e, EnqueteStatus.GESLOTEN, door=regisseur)
    enquetes.zet_samenvatting(e, "Bewoners voelen zich veilig.", True, door=regisseur)
    reactie = services.reageer(onderwerpen.van(hard_rijden), soort=ReactieSoort.ADVIES,
                               tekst="Drempels graag.", door=lid)
    services.beantwoord(reactie, "We zetten er in mei twee neer.", door=regisseur)
    _oude_vraag("Donker pad", wijk_code=ELDERS).created_at = _nu_in_de_database()
    db_session.flush()
    _alles_een_uur_eerder()
    db_session.commit()

    uit = runner.invoke(args=["wijkraad", "digest"])

    assert uit.exit_code == 0, uit.output
    assert "2 weekoverzichten klaargezet" in uit.output and "2 e-mails verstuurd" in uit.output
    [bericht] = mailbox.to("lid.noord@example.nl")
    assert bericht["Subject"] == "Weekoverzicht wijkraad Noord"
    tekst = mailbox.body(bericht)
    for regel in (
        "Nieuw op de wijkagenda: ‘Afval bij de school’ (Schoon, nieuw).",
        "‘Hard rijden op de Tuindorpstraat’: de status is nu in onderzoek (was nieuw).",
        "De uitslag van ‘Buurtbudget De Noork’ is bekend.",
        "De enquête ‘Veilig in De Noork’ is gesloten.",
        "De samenvatting van de enquête ‘Veilig in De Noork’ staat nu op de pagina van de wijk.",
        "De gemeente antwoordde op het advies van Wijkraadlid over de leefbaarheidsvraag "
        "‘Hard rijden op de Tuindorpstraat’:",
        '"We zetten er in mei twee neer."',
        f"http://participatie.test/beheer/wijkraad/vragen/{hard_rijden.id}#reactie-{reactie.id}",
        f"http://participatie.test/beheer/wijkraad/rondes/{ronde.slug}",
    ):
        assert regel in tekst, regel
    # The headings come in a fixed order; what belongs to another wijk is not there.
    assert tekst.index("Wijkagenda") < tekst.index("Antwoorden van de gemeente") < tekst.index(
        "Uitslagen en enquêtes")
    assert "Donker pad" not in tekst
    token = db_session.get(Overzichtmail, lid.id).afmeld_token
    assert f"http://participatie.test/wijkraad/afmelden/{token}" in tekst

    [ander] = mailbox.to("lid.elders@example.nl")
    assert "Donker pad" in mailbox.body(ander) and "Hard rijden" not in mailbox.body(ander)
    assert not mailbox.to("afgemeld@example.nl") and not mailbox.to("gestopt@example.nl")
    gelogd = db_session.scalars(select(AuditRegel).where(
        AuditRegel.actie == "wijkraad.weekoverzicht")).all()
    assert sorted(int(r.object_id) for r in gelogd) == sorted([lid.id, elders.id])

    # Cron runs again in the same week: nothing new goes out.
    nog_eens = runner.invoke(args=["wijkraad", "digest"])
    assert "0 weekoverzichten klaargezet" in nog_eens.output
    assert "2 hadden deze week hun overzicht al" in nog_eens.output
    assert len(mailbox.to("lid.noord@example.nl")) == 1


def test_wie_niets_nieuws_heeft_krijgt_geen_mail(runner, db_session, mailbox):
    lid = mens("wijkraadlid", email="rustig@example.nl")
    leefbaarheidsvraag(melding(), titel="Elders", wijk_code=ELDERS)
    db_session.commit()

    uit = runner.invoke(args=["wijkraad", "digest"])

    assert "0 weekoverzichten klaargezet, 1 zonder nieuws" in uit.output
    assert not mailbox.to("rustig@example.nl")
    instelling = db_session.get(Overzichtmail, lid.id)
    assert instelling.verwerkt_tot is not None and instelling.laatst_verstuurd is None


def _volgende_maandag(moment: datetime) -> datetime:
    dag = moment.astimezone(TIJDZONE).date()
    maandag = dag + timedelta(days=7 - dag.weekday())
    return datetime.combine(maandag, time(12), tzinfo=TIJDZONE)


def _in_de_wachtrij(adres: str) -> list[str]:
    return list(db.session.scalars(select(Uitgaand.tekst).where(Uitgaand.aan == adres)
                                   .order_by(Uitgaand.id)))


def test_het_volgende_overzicht_begint_waar_het_vorige_stopte(db_session):
    t = _nu_in_de_database()
    regisseur = mens("stadsdeelregisseur")
    lid = mens("wijkraadlid", email="volgt@example.nl")
    vraag = leefbaarheidsvraag(melding(), titel="Losse stoeptegels")
    reactie = services.reageer(onderwerpen.van(vraag), soort=ReactieSoort.VRAAG,
                               tekst="Wanneer?", door=lid)

    eerder = weekmail.verstuur(nu=t - timedelta(hours=1))  # before any of it happened
    assert (eerder.verstuurd, eerder.niets_nieuw) == (0, 1)
    maandag = _volgende_maandag(t)
    deze_week = weekmail.verstuur(nu=maandag)
    assert deze_week.verstuurd == 1
    [eerste] = _in_de_wachtrij("volgt@example.nl")
    assert "‘Losse stoeptegels’" in eerste and "De gemeente antwoordde" not in eerste
    assert weekmail.verstuur(nu=maandag + timedelta(hours=3)).al_deze_week == 1

    antwoord = services.beantwoord(reactie, "Na de zomer.", door=regisseur)
    antwoord.created_at = maandag + timedelta(days=1)
    db_session.flush()
    weekmail.verstuur(nu=maandag + timedelta(days=7))
    eerste, tweede = _in_de_wachtrij("volgt@example.nl")
    assert "Na de zomer." in tweede and "Nieuw op de wijkagenda" not in tweede
    instelling = db_session.get(Overzichtmail, lid.id)
    assert instelling.laatst_verstuurd == maandag + timedelta(days=7)
    assert weekmail.verstuur(nu=maandag + timedelta(days=14)).niets_nieuw == 1
    assert len(_in_de_wachtrij("volgt@example.nl")) == 2


def test_een_wijziging_die_pas_na_het_overzicht_zichtbaar_werd_komt_in_het_volgende(
        db_session):
    """A change dated (by its transaction's start) just before a run but committed after it
    was not there for that run; the next overview still reports it."""
    regisseur = mens("stadsdeelregisseur")
    mens("wijkraadlid", email="laat@example.nl")
    run = _nu_in_de_database() + timedelta(days=1)
    assert weekmail.verstuur(nu=run).niets_nieuw == 1
    vraag = _oude_vraag("Kapotte bank")
    _wijzig_status(vraag, VraagStatus.IN_ONDERZOEK, regisseur)
    db_session.flush()
    _terugdateren(update(AuditRegel).where(AuditRegel.object_id == str(vraag.id)).values(
        created_at=run - timedelta(minutes=2)))
    assert weekmail.verstuur(nu=run + timedelta(days=7)).verstuurd == 1
    [tekst] = _in_de_wachtrij("laat@example.nl")
    assert "‘Kapotte bank’: de status is nu in onderzoek (was nieuw)." in tekst


def test_een_wijziging_van_tekst_en_een_nieuwe_vraag_met_status_worden_een_regel(db_session):
    regisseur = mens("stadsdeelregisseur")
    mens("wijkraadlid", email="leest@example.nl")
    oud = _oude_vraag("Graffiti")
    wijkagenda.wijzig_vraag(oud, titel="Graffiti op de brug", omschrijving="Nieuw",
                            thema=Thema.HEEL, status=VraagStatus.NIEUW, eigenaar=None,
                            door=regisseur)
    nieuw = leefbaarheidsvraag(melding(), titel="Zwerfvuil")
    _wijzig_status(nieuw, VraagStatus.IN_ONDERZOEK, regisseur)
    db_session.flush()

    weekmail.verstuur(nu=_nu_in_de_database() + timedelta(hours=1))

    [tekst] = _in_de_wachtrij("leest@example.nl")
    assert "‘Graffiti op de brug’ is gewijzigd: titel, omschrijving, thema (nu Heel)." in tekst
    assert "Nieuw op de wijkagenda: ‘Zwerfvuil’ (Schoon, in onderzoek)." in tekst
    assert tekst.count("Zwerfvuil") == 1


def test_afmelden_via_de_link_in_de_mail_zonder_in_te_loggen(app, db_session):
    lid = mens("wijkraadlid")
    token = services.overzichtmail_van(lid).afmeld_token
    db_session.commit()
    bewoner = Browser(app)
    url = f"/wijkraad/afmelden/{token}"

    pagina = bewoner.get(url)
    assert pagina.status_code == 200 and "Ja, meld mij af" in pagina.get_data(as_text=True)
    assert services.wil_overzicht(lid)  # looking is not opting out
    assert bewoner.post(url, {}, token=False).status_code == 400
    assert services.wil_overzicht(lid)
    klaar = bewoner.post(url, {})
    assert klaar.status_code == 200 and "U bent afgemeld" in klaar.get_data(as_text=True)
    db_session.expire_all()
    assert not services.wil_overzicht(lid)
    [regel] = db_session.scalars(select(AuditRegel).where(
        AuditRegel.actie == "wijkraad.overzichtmail")).all()
    assert (regel.user_id, regel.voor, regel.na) == (lid.id, {"ontvangen": True},
                                                     {"ontvangen": False})
    assert "U bent al afgemeld" in bewoner.get(url).get_data(as_text=True)
    assert bewoner.get("/wijkraad/afmelden/bestaat-niet").status_code == 404
    assert bewoner.get("/wijkraad/afmelden/" + "x" * 300).status_code == 404


def test_het_lid_zet_het_weekoverzicht_uit_en_weer_aan_na_inloggen(app, db_session):
    lid = mens("wijkraadlid")
    db_session.commit()
    browser = Browser(app, lid)
    aan = re.compile(r'<input checked id="ontvangen" name="ontvangen" type="checkbox"')

    assert aan.search(browser.get("/beheer/wijkraad").get_data(as_text=True))
    uit = browser.post("/beheer/wijkraad/overzichtmail", {})
    assert uit.status_code == 303 and uit.headers["Location"].endswith("#overzichtmail")
    assert not services.wil_overzicht(lid)
    assert not aan.search(browser.get("/beheer/wijkraad").get_data(as_text=True))

    assert browser.post("/beheer/wijkraad/overzichtmail", {"ontvangen": "y"}).status_code == 303
    instelling = db_session.get(Overzichtmail, lid.id)
    db_session.refresh(instelling)
    # Turned on again, it starts from now rather than with everything since it was off.
    assert instelling.ontvangen and instelling.verwerkt_tot is not None
    regels = db_session.scalars(select(AuditRegel).where(
        AuditRegel.actie == "wijkraad.overzichtmail").order_by(AuditRegel.id)).all()
    assert [r.na["ontvangen"] for r in regels] == [False, True]
