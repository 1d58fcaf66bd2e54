"""Bulk actions on meldingen: all or nothing, in a few statements for hundreds of meldingen.

Each item passes the same checks as the single action in `meldingen.triage` (role and the
workflow's one transition check) before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from participatie import audit, mail
from participatie.accounts.models import Organisatie, User
from participatie.extensions import db
from participatie.meldingen import permissions
from participatie.meldingen.models import Gebeurtenis, Melding
from participatie.meldingen.services import opgelost_mail
from participatie.meldingen.services.triage import (
    controleer_doorzetten,
    controleer_status,
    mails,
    stand,
)
from participatie.meldingen.workflow import Status, kolommen_na
from participatie.moderatie.inbox import ActieGeweigerd, BulkGeweigerd, Weigering


def uitvoeren(door: User, actie: str, ids: list[int], form) -> int:
    """The inbox's bulk form for meldingen: "melding:status" or "melding:toewijzen"."""
    meldingen = meldingen_voor_bulk(ids)
    if len(meldingen) != len(set(ids)):
        raise ActieGeweigerd("Een of meer gekozen meldingen bestaan niet meer.")
    if actie == "melding:toewijzen":
        organisatie = db.session.get(Organisatie, form.organisatie.data or 0)
        if organisatie is None:
            raise ActieGeweigerd("Kies een team of partner om aan toe te wijzen.")
        return bulk_toewijzen(door, meldingen, organisatie, form.doorzetten.data)
    if not form.status.data:
        raise ActieGeweigerd("Kies de nieuwe status.")
    return bulk_status(door, meldingen, Status(form.status.data), form.bericht.data or "",
                       form.publiek.data)


def meldingen_voor_bulk(ids: Sequence[int]) -> list[Melding]:
    """The meldingen of a bulk action, locked until the commit, in one query (plus contacts)."""
    return list(db.session.scalars(
        select(Melding).where(Melding.id.in_(list(ids))).order_by(Melding.id)
        .with_for_update(of=Melding)
        .options(selectinload(Melding.contacten), selectinload(Melding.organisatie))
    ))


def _weigeringen(door: User, meldingen: list[Melding], controle) -> list[Weigering]:
    weigeringen = []
    for melding in meldingen:
        try:
            controle(melding)
        except ActieGeweigerd as fout:
            weigeringen.append(Weigering(melding.nummer, str(fout)))
    return weigeringen


def _zet_status(meldingen: list[Melding], naar: Status) -> None:
    """One UPDATE that moves all `meldingen` to `naar`, as Melding.wijzig_status would."""
    if not meldingen:
        return
    db.session.execute(
        update(Melding).where(Melding.id.in_([m.id for m in meldingen])).values(
            **kolommen_na(naar))
        .execution_options(synchronize_session="evaluate")
    )


def _schrijf_gebeurtenissen(meldingen: list[Melding], rijen: list[dict]) -> None:
    """One INSERT for the history lines of many meldingen (each dict names its melding_id)."""
    if rijen:
        db.session.execute(insert(Gebeurtenis), rijen)
    for melding in meldingen:
        db.session.expire(melding, ["gebeurtenissen"])


def bulk_status(door: User, meldingen: list[Melding], naar: Status, tekst: str,
                publiek: bool) -> int:
    """Give every melding the same status and message; all or nothing.

    The same history, mails and audit lines as `wijzig_status` for each melding, written
    with one UPDATE and one INSERT per table instead of a round trip per melding.
    """
    def controle(melding):
        if not permissions.can_triage(door, melding):
            raise ActieGeweigerd("U mag deze melding niet wijzigen.")
        controleer_status(door, melding, naar, tekst)

    weigeringen = _weigeringen(door, meldingen, controle)
    if weigeringen:
        raise BulkGeweigerd(weigeringen, "meldingen")
    bericht = tekst.strip()
    vraag = naar == Status.REACTIE_GEVRAAGD
    voor = {melding.id: stand(melding) for melding in meldingen}
    gebeurtenissen = []
    for melding in meldingen:
        gebeurtenissen.append({
            "melding_id": melding.id, "soort": Gebeurtenis.STATUS,
            "status_van": melding.status, "status_naar": naar.value,
            "tekst": "" if vraag else bericht, "publiek": True if vraag else publiek,
            "user_id": door.id,
        })
        if vraag:
            # As in wijzig_status: the question is its own public entry.
            gebeurtenissen.append({
                "melding_id": melding.id, "soort": Gebeurtenis.VRAAG, "status_van": None,
                "status_naar": None, "tekst": bericht, "publiek": True, "user_id": door.id,
            })
    _zet_status(meldingen, naar)
    _schrijf_gebeurtenissen(meldingen, gebeurtenissen)
    berichten = []
    for melding in meldingen:
        if vraag or (publiek and bericht):
            updates, opgelost = mails(melding, bericht, alleen_melder=vraag)
            if opgelost:
                opgelost_mail(melding, bericht)  # the one place that writes that mail
            berichten += updates
    mail.queue_many(berichten)
    audit.log_many("melding.status", door=door, object_type="melding", regels=[
        (melding.id, voor[melding.id],
         stand(melding) | {"bericht": bericht, "publiek": publiek})
        for melding in meldingen
    ])
    return len(meldingen)


def bulk_toewijzen(door: User, meldingen: list[Melding], organisatie: Organisatie,
                   doorzetten: bool) -> int:
    """Assign every melding to the same team or partner; all or nothing.

    The same history and audit lines as `toewijzen` for each melding, in a few statements.
    """
    def controle(melding):
        if not permissions.can_triage(door, melding):
            raise ActieGeweigerd("U mag deze melding niet toewijzen.")
        if not organisatie.actief:
            raise ActieGeweigerd(f"{organisatie.naam} is niet meer actief.")
        controleer_doorzetten(melding, organisatie, doorzetten)

    weigeringen = _weigeringen(door, meldingen, controle)
    if weigeringen:
        raise BulkGeweigerd(weigeringen, "meldingen")
    voor = {melding.id: stand(melding) for melding in meldingen}
    door_te_zetten = [m for m in meldingen
                      if doorzetten and m.status_enum != Status.DOORGEZET]
    gebeurtenissen = []
    for melding in meldingen:
        gebeurtenissen.append({
            "melding_id": melding.id, "soort": Gebeurtenis.TOEWIJZING, "status_van": None,
            "status_naar": None, "tekst": f"Toegewezen aan {organisatie.naam}.",
            "publiek": False, "user_id": door.id,
        })
        if melding in door_te_zetten:
            gebeurtenissen.append({
                "melding_id": melding.id, "soort": Gebeurtenis.STATUS,
                "status_van": melding.status, "status_naar": Status.DOORGEZET.value,
                "tekst": "", "publiek": True, "user_id": door.id,
            })
    db.session.execute(
        update(Melding).where(Melding.id.in_([m.id for m in meldingen]))
        .values(organisatie_id=organisatie.id)
        .execution_options(synchronize_session="evaluate")
    )
    for melding in meldingen:
        # The new organisation is already loaded; the UPDATE only set its id.
        set_committed_value(melding, "organisatie", organisatie)
    _zet_status(door_te_zetten, Status.DOORGEZET)
    _schrijf_gebeurtenissen(meldingen, gebeurtenissen)
    audit.log_many("melding.toewijzing", door=door, object_type="melding", regels=[
        (melding.id, voor[melding.id], stand(melding)) for melding in meldingen
    ])
    return len(meldingen)
