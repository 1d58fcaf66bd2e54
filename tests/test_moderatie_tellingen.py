"""The fast paths of the inbox give exactly what the slow ones gave.

Status counts come from melding_telling (kept by triggers); bulk actions write with one
statement per table. Both are checked here against the plain, one-by-one way.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participatie.audit import AuditRegel
from participatie.extensions import db
from participatie.mail import Uitgaand
from participatie.meldingen.models import Gebeurtenis, Melding
from participatie.meldingen.services import bulk, triage
from participatie.meldingen.workflow import Status
from participatie.moderatie import inbox, lijst
from tests.factories import BINNENSTAD, gebruiker, melding


def _tellingen(user, f) -> dict[str, int]:
    return lijst.tellingen(user, f).get("melding", {})


def _echt_geteld(**waar) -> dict[str, int]:
    rows = db.session.execute(select(Melding.status, func.count()).filter_by(**waar)
                              .group_by(Melding.status)).all()
    return dict(rows)


def test_tellingen_blijven_exact_bij_melden_wijzigen_toewijzen_en_verwijderen(db_session):
    from participatie.accounts.services import organisatie_by_naam

    beheerder = gebruiker("beheerder", wijken=())
    alle = inbox.Filter(alle_statussen=True)
    meldingen = [melding(), melding(), melding(plek=BINNENSTAD),
                 melding(status=Status.AFGEHANDELD)]
    assert _tellingen(beheerder, alle) == _echt_geteld()
    bulk.bulk_status(beheerder, bulk.meldingen_voor_bulk([m.id for m in meldingen[:3]]),
                         Status.INGEPLAND, "", True)
    bulk.bulk_toewijzen(beheerder, bulk.meldingen_voor_bulk([meldingen[0].id]),
                            organisatie_by_naam("Welbions"), True)
    db.session.delete(meldingen[3])
    db.session.flush()
    assert _tellingen(beheerder, alle) == _echt_geteld()
    noord = inbox.Filter(wijk=meldingen[0].wijk_code, alle_statussen=True)
    assert _tellingen(beheerder, noord) == _echt_geteld(wijk_code=meldingen[0].wijk_code)
    welbions = organisatie_by_naam("Welbions")
    per_partner = inbox.Filter(extra={"organisatie": welbions.id})
    assert _tellingen(beheerder, per_partner) == {"doorgezet": _echt_geteld(
        organisatie_id=welbions.id)["doorgezet"]}


def _sporen(meldingen: list[Melding], na_id: dict) -> dict:
    """History, audit lines and mails written for `meldingen`, without ids and numbers."""
    ids = [m.id for m in meldingen]

    def zonder_nummer(tekst):
        for m in meldingen:
            tekst = tekst.replace(m.nummer, "M-x").replace(m.token, "token")
        return tekst

    gebeurtenissen = [
        (g.melding_id == ids[0], g.soort, g.status_van, g.status_naar, g.tekst, g.publiek)
        for g in db.session.scalars(select(Gebeurtenis).where(
            Gebeurtenis.melding_id.in_(ids), Gebeurtenis.id > na_id["gebeurtenis"])
            .order_by(Gebeurtenis.id))]
    regels = [(r.object_id == str(ids[0]), r.actie, r.voor, r.na) for r in db.session.scalars(
        select(AuditRegel).where(AuditRegel.id > na_id["audit"]).order_by(AuditRegel.id))]
    mails = sorted((u.aan, zonder_nummer(u.onderwerp), zonder_nummer(u.tekst))
                   for u in db.session.scalars(select(Uitgaand).where(
                       Uitgaand.id > na_id["mail"])))
    return {"gebeurtenissen": gebeurtenissen, "audit": regels, "mails": mails}


def _hoogste() -> dict:
    return {
        "gebeurtenis": db.session.scalar(select(func.coalesce(func.max(Gebeurtenis.id), 0))),
        "audit": db.session.scalar(select(func.coalesce(func.max(AuditRegel.id), 0))),
        "mail": db.session.scalar(select(func.coalesce(func.max(Uitgaand.id), 0))),
    }


@pytest.mark.parametrize("naar, bericht, publiek", [
    (Status.IN_BEHANDELING, "We pakken dit deze week op.", True),
    (Status.INGEPLAND, "Interne notitie bij de planning.", False),
    (Status.REACTIE_GEVRAAGD, "Waar staat de container precies?", True),
    (Status.AFGEHANDELD, "De vuilniszakken zijn opgehaald.", True),
])
def test_bulk_schrijft_hetzelfde_als_een_voor_een(app, db_session, naar, bericht, publiek):
    with app.test_request_context():  # the mails carry absolute links
        _vergelijk(naar, bericht, publiek)


def _vergelijk(naar: Status, bericht: str, publiek: bool) -> None:
    regisseur = gebruiker("stadsdeelregisseur")

    def twee():
        return [melding(email="bewoner@example.nl"), melding(email="buur@example.nl")]

    los = twee()
    begin = _hoogste()
    for m in los:
        triage.wijzig_status(regisseur, m, naar, bericht, publiek)
    verwacht = _sporen(los, begin)

    samen = twee()
    begin = _hoogste()
    assert bulk.bulk_status(regisseur, bulk.meldingen_voor_bulk([m.id for m in samen]),
                                naar, bericht, publiek) == 2
    db.session.flush()
    assert _sporen(samen, begin) == verwacht
    assert [m.status for m in samen] == [naar.value, naar.value]
    assert [len(m.gebeurtenissen) for m in samen] == [len(m.gebeurtenissen) for m in los]
