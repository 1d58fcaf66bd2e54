"""AVG retention: exactly the old personal data goes, open meldingen are never touched."""

import io
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from participatie import media
from participatie.audit import AuditRegel
from participatie.mail import Uitgaand
from participatie.meldingen.models import Contact, Foto
from participatie.meldingen.workflow import Status
from participatie.retention import pas_bewaartermijnen_toe
from tests.factories import melding

NU = datetime.now(UTC)


def _foto_bestanden(media_dir):
    png = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(png, "PNG")
    return media.verwerk(png.getvalue(), media_dir, max_bytes=10**6, max_pixels=10**6)


def _gesloten(status: Status, dagen: int, email: str, *, steun: str | None = None):
    m = melding(email=email, status=status)
    m.gesloten_op = NU - timedelta(days=dagen)
    if steun:
        m.contacten.append(Contact(soort=Contact.STEUN, email=steun))
    return m


def _met_foto(m, media_dir):
    verwerkt = _foto_bestanden(media_dir)
    m.fotos.append(Foto(bestand=verwerkt.bestand, thumbnail=verwerkt.thumbnail,
                        breedte=verwerkt.breedte, hoogte=verwerkt.hoogte))
    return verwerkt


def _oud(media_dir, naam, dagen=2):
    moment = time.time() - dagen * 86400
    os.utime(media.pad(media_dir, naam), (moment, moment))


@pytest.fixture
def situatie(db_session, media_dir):
    oud = _gesloten(Status.AFGEHANDELD, 400, "oud@example.nl", steun="steun-oud@example.nl")
    recent = _gesloten(Status.AFGEHANDELD, 10, "recent@example.nl")
    open_oud = melding(email="open@example.nl", status=Status.IN_BEHANDELING,
                       dagen_geleden=800)
    open_foto = _met_foto(open_oud, media_dir)
    geannuleerd = _gesloten(Status.GEANNULEERD, 40, "weg@example.nl")
    geannuleerd_foto = _met_foto(geannuleerd, media_dir)
    pas_geannuleerd = _gesloten(Status.GEANNULEERD, 10, "pas@example.nl")
    pas_foto = _met_foto(pas_geannuleerd, media_dir)
    for f in (open_foto, geannuleerd_foto, pas_foto):
        _oud(media_dir, f.bestand, 60)
        _oud(media_dir, f.thumbnail, 60)
    wees = _foto_bestanden(media_dir)  # a form that was never sent
    _oud(media_dir, wees.bestand)
    _oud(media_dir, wees.thumbnail)
    vers = _foto_bestanden(media_dir)  # someone is filling in the form right now

    oude_mail = Uitgaand(aan="oud@example.nl", onderwerp="Uw melding", tekst="Beste melder",
                         verzonden_op=NU - timedelta(days=400))
    nieuwe_mail = Uitgaand(aan="recent@example.nl", onderwerp="Uw melding", tekst="Hallo",
                           verzonden_op=NU - timedelta(days=10))
    db_session.add_all([oude_mail, nieuwe_mail])
    db_session.flush()
    return locals()


def test_bewaartermijnen_verwijderen_precies_het_juiste(app, db_session, media_dir, situatie):
    s = situatie
    resultaat = pas_bewaartermijnen_toe()
    # Until the commit, the files of the deleted photo rows are still there.
    assert media.pad(media_dir, s["geannuleerd_foto"].bestand).exists()
    db_session.commit()
    resultaat.verwijder_bestanden()

    def emails(m):
        db_session.refresh(m)
        return [c.email for c in m.contacten]

    assert emails(s["oud"]) == [None, None]
    assert all(c.geanonimiseerd_op is not None for c in s["oud"].contacten)
    assert emails(s["recent"]) == ["recent@example.nl"]
    assert emails(s["open_oud"]) == ["open@example.nl"]
    assert emails(s["geannuleerd"]) == ["weg@example.nl"]  # closed 40 days ago: kept

    assert s["geannuleerd"].fotos == []
    for naam in (s["geannuleerd_foto"].bestand, s["geannuleerd_foto"].thumbnail,
                 s["wees"].bestand, s["wees"].thumbnail):
        assert not media.pad(media_dir, naam).exists(), naam
    assert len(s["pas_geannuleerd"].fotos) == 1 and len(s["open_oud"].fotos) == 1
    for naam in (s["pas_foto"].bestand, s["open_foto"].thumbnail, s["vers"].bestand):
        assert media.pad(media_dir, naam).exists(), naam

    db_session.refresh(s["oude_mail"])
    db_session.refresh(s["nieuwe_mail"])
    assert (s["oude_mail"].aan, s["oude_mail"].tekst) == ("", "")
    assert s["oude_mail"].onderwerp == "Uw melding"
    assert s["nieuwe_mail"].aan == "recent@example.nl"

    assert (resultaat.contacten, resultaat.fotos, resultaat.mails) == (2, 1, 1)
    assert sorted(resultaat.wezen) == sorted([s["wees"].bestand, s["wees"].thumbnail])
    regels = {r.actie: r for r in db_session.scalars(
        select(AuditRegel).where(AuditRegel.object_type == "retentie"))}
    assert {a: r.na["aantal"] for a, r in regels.items()} == {
        "retentie.contacten": 2, "retentie.fotos": 1, "retentie.mails": 1,
        "retentie.wezen": 2, "retentie.enquetes": 0, "retentie.sessies": 0}
    assert {r.user_email for r in regels.values()} == {"systeem"}

    # A second run finds nothing left to do.
    again = pas_bewaartermijnen_toe()
    assert (again.contacten, again.fotos, again.mails, again.wezen) == (0, 0, 0, [])
    assert emails(s["recent"]) == ["recent@example.nl"]

    for f in ("open_foto", "pas_foto", "vers"):
        media.verwijder(media_dir, s[f].bestand, s[f].thumbnail)


def test_nooit_verstuurde_oude_mail_wordt_leeggemaakt_en_niet_meer_geprobeerd(runner, db_session,
                                                                            mailbox):
    mail = Uitgaand(aan="x@example.nl", onderwerp="Bevestiging", tekst="Beste",
                    created_at=NU - timedelta(days=400), pogingen=5)
    db_session.add(mail)
    db_session.flush()
    assert pas_bewaartermijnen_toe().mails == 1
    db_session.refresh(mail)
    assert (mail.aan, mail.tekst, mail.verzonden_op) == ("", "", None)
    assert mail.opgegeven_op is not None
    # Not even when the beheerder retries what was given up.
    result = runner.invoke(args=["mail", "--opnieuw", "--direct"])
    assert "0 opgegeven e-mails staan weer klaar." in result.output
    assert mailbox.messages == []


def test_retention_commando_meldt_wat_het_deed(runner, db_session):
    _gesloten(Status.AFGEHANDELD, 400, "cli@example.nl")
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "1 e-mailadressen van melders en steuners geanonimiseerd." in result.output
    assert "foto's van geannuleerde meldingen verwijderd." in result.output
    assert db_session.scalar(select(Contact).where(Contact.email == "cli@example.nl")) is None


def test_bewaartermijn_is_instelbaar(app, db_session):
    m = _gesloten(Status.AFGEHANDELD, 10, "kort@example.nl")
    app.config["RETENTION_DAYS"] = 5
    try:
        assert pas_bewaartermijnen_toe().contacten == 1
    finally:
        app.config["RETENTION_DAYS"] = 365
    db_session.refresh(m)
    assert m.contacten[0].email is None


def test_fotos_van_ideeen_en_voortgang_zijn_geen_wezen(app, db_session, media_dir):
    from participatie.buurtbudget.models import IdeeUpdate
    from tests.factories import budgetronde, idee

    bij_idee, bij_voortgang = _foto_bestanden(media_dir), _foto_bestanden(media_dir)
    plan = idee(budgetronde(), foto=bij_idee)
    plan.updates.append(IdeeUpdate(soort="voortgang", status="bezig", voortgang=40,
                                   tekst="De bankjes zijn besteld.",
                                   foto_bestand=bij_voortgang.bestand,
                                   foto_thumbnail=bij_voortgang.thumbnail))
    db_session.flush()
    for f in (bij_idee, bij_voortgang):
        _oud(media_dir, f.bestand, 30)
        _oud(media_dir, f.thumbnail, 30)
    resultaat = pas_bewaartermijnen_toe()
    for f in (bij_idee, bij_voortgang):
        assert f.bestand not in resultaat.wezen
        assert all(media.pad(media_dir, n).exists() for n in (f.bestand, f.thumbnail))
        media.verwijder(media_dir, f.bestand, f.thumbnail)


def test_verlopen_inlogsessies_gaan_weg_lopende_blijven(app, db_session):
    from participatie.accounts.models import Sessie
    from tests.factories import gebruiker

    wie = gebruiker("stadsdeelregisseur")
    db_session.add_all([
        Sessie(id="a" * 64, user_id=wie.id, verloopt_op=NU - timedelta(minutes=1)),
        Sessie(id="b" * 64, user_id=wie.id, verloopt_op=NU + timedelta(hours=1)),
    ])
    db_session.flush()
    assert pas_bewaartermijnen_toe(NU).sessies == 1
    assert db_session.scalars(select(Sessie.id).where(Sessie.user_id == wie.id)).all() == [
        "b" * 64]
    regel = db_session.scalar(select(AuditRegel).where(AuditRegel.actie == "retentie.sessies"))
    assert regel.na == {"aantal": 1}
