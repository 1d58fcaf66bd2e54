"""Staff decisions on ideas, and progress on funded ones.

Every action takes the acting user and passes the same three checks before it changes
anything: the user may review this idea (`permissions.mag_idee_beoordelen`), the action fits
the round's phase (`workflow.controleer_actie`, the one phase rule) and the status change is
in the table (`controleer_idee`, applied by `Idee.wijzig_status`). It then writes an
IdeeUpdate (public where residents should read it), queues mail and writes the audit log
with a before/after snapshot. Public news goes to every follower; a question only to the
submitter. Functions flush; the view commits and then calls mail.deliver_pending().
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participatie import audit
from participatie.accounts.models import User
from participatie.buurtbudget.ideeen import mail_volgers
from participatie.buurtbudget.models import Idee, IdeeUpdate, IdeeVolger
from participatie.buurtbudget.permissions import mag_idee_beoordelen
from participatie.buurtbudget.workflow import (
    IdeeActie,
    IdeeStatus,
    UitvoeringStand,
    controleer_actie,
    controleer_idee,
)
from participatie.extensions import db
from participatie.media import VerwerkteFoto
from participatie.moderatie.inbox import ActieGeweigerd, BulkGeweigerd, Weigering

OBJECT = "idee"


def stand(idee: Idee) -> dict:
    return {
        "status": idee.status, "kosten": idee.kosten, "toelichting": idee.toelichting,
        "samengevoegd_met": idee.samengevoegd_met.nummer if idee.samengevoegd_met else None,
        "antwoord_ontvangen": idee.antwoord_ontvangen,
    }


def controleer(door: User, idee: Idee, actie: IdeeActie, naar: IdeeStatus | None = None,
               toelichting: str = "") -> None:
    """Who, which phase, which status change: the checks of single and bulk actions alike."""
    if not mag_idee_beoordelen(door, idee):
        raise ActieGeweigerd(f"U mag {idee.nummer} niet wijzigen.")
    controleer_actie(actie, idee.ronde.fase_enum)
    if naar is not None:
        controleer_idee(idee.status_enum, naar, toelichting)


def _beslis(door: User, idee: Idee, actie: IdeeActie, naar: IdeeStatus, tekst: str, *,
            soort: str = "status", publiek: bool = True, na=None) -> IdeeUpdate:
    """Apply one decision: checks, status, history line, audit line (flushes)."""
    controleer(door, idee, actie, naar, tekst)
    voor = stand(idee)
    idee.wijzig_status(naar, tekst)
    if naar == IdeeStatus.GEPUBLICEERD:
        idee.toelichting = ""  # a question or an earlier rejection is no longer the news
    idee.antwoord_ontvangen = False
    if na is not None:
        na(idee)
    update = IdeeUpdate(soort=soort, status=naar.value, tekst=tekst.strip(), publiek=publiek,
                        user=door)
    idee.updates.append(update)
    db.session.flush()
    audit.log(f"idee.{actie.value}", door=door, object_type=OBJECT, object_id=idee.id,
              voor=voor, na=stand(idee))
    return update


def publiceren(door: User, idee: Idee) -> int:
    """Put the idea on the round's public page; tells its followers. Returns mails queued."""
    _beslis(door, idee, IdeeActie.PUBLICEREN, IdeeStatus.GEPUBLICEERD, "")
    return mail_volgers(
        idee, f"Idee {idee.nummer} staat online", f"Het idee '{idee.titel}' staat nu op de "
        "pagina van de ronde. De gemeente bekijkt of het haalbaar is en wat het kost.", "")


def vragen(door: User, idee: Idee, vraag: str) -> int:
    """Ask the submitter something; mailed to the submitter only. Returns mails queued (0:
    the submitter left no e-mail address and reads it only on the private page)."""
    _beslis(door, idee, IdeeActie.VRAGEN, IdeeStatus.VRAAG, vraag, soort="vraag",
            publiek=False)
    return mail_volgers(idee, f"Een vraag over uw idee {idee.nummer}",
                        f"De gemeente heeft een vraag over uw idee '{idee.titel}':",
                        vraag.strip(), alleen_indiener=True)


def afwijzen(door: User, idee: Idee, reden: str) -> int:
    """Reject with a public reason, mailed to the followers."""
    _beslis(door, idee, IdeeActie.AFWIJZEN, IdeeStatus.AFGEWEZEN, reden)
    return mail_volgers(idee, f"Idee {idee.nummer} gaat niet door",
                        f"Het idee '{idee.titel}' gaat niet mee in deze ronde. De reden:",
                        reden.strip())


def haalbaarheid(door: User, idee: Idee, haalbaar: bool, toelichting: str,
                 kosten: int | None) -> int:
    """Judge feasibility with a public explanation; the gemeente's cost estimate becomes
    the cost on the ballot (`Idee.kosten`). Mailed to the followers."""
    naar = IdeeStatus.HAALBAAR if haalbaar else IdeeStatus.NIET_HAALBAAR
    if haalbaar and (kosten is None or kosten <= 0):
        raise ActieGeweigerd("Vul de kosten volgens de gemeente in: die staan op het "
                             "stembiljet.")
    if kosten is not None and kosten > idee.ronde.budget and haalbaar:
        raise ActieGeweigerd(f"Deze kosten zijn hoger dan het budget van de ronde "
                             f"(€ {idee.ronde.budget:,}).".replace(",", "."))

    def zet_kosten(i: Idee) -> None:
        if kosten is not None:
            i.kosten = kosten

    _beslis(door, idee, IdeeActie.HAALBAARHEID, naar, toelichting, na=zet_kosten)
    kop = (f"De gemeente vindt het idee '{idee.titel}' haalbaar. Op het stembiljet kost het "
           f"€ {idee.ballotkosten:,}.".replace(",", ".") if haalbaar else
           f"De gemeente vindt het idee '{idee.titel}' niet haalbaar.")
    return mail_volgers(idee, f"Idee {idee.nummer}: {naar.label.lower()}", kop,
                        toelichting.strip())


def zoek_idee(nummer: str) -> Idee | None:
    tekst = (nummer or "").strip().upper().removeprefix("I-").strip()
    if not tekst.isdigit() or len(tekst) > 9:
        return None
    return db.session.get(Idee, int(tekst))


SAMEN_MET = frozenset({IdeeStatus.INGEDIEND, IdeeStatus.VRAAG, IdeeStatus.GEPUBLICEERD,
                       IdeeStatus.HAALBAAR})


def samenvoegen(door: User, dubbel: Idee, origineel: Idee | None, bericht: str = "") -> int:
    """Merge an idea into a similar one of the same round; its followers follow that one."""
    if origineel is None or not mag_idee_beoordelen(door, origineel):
        raise ActieGeweigerd("Dat idee bestaat niet of valt buiten uw wijken.")
    if origineel.id == dubbel.id:
        raise ActieGeweigerd("Een idee kan niet met zichzelf worden samengevoegd.")
    if origineel.ronde_id != dubbel.ronde_id:
        raise ActieGeweigerd(f"{origineel.nummer} hoort bij een andere ronde. Kies een idee "
                             "uit dezelfde ronde.")
    if origineel.status_enum not in SAMEN_MET:
        raise ActieGeweigerd(f"{origineel.nummer} is {origineel.status_enum.label.lower()}. "
                             "Kies een idee dat nog meedoet.")
    tekst = bericht.strip() or (
        f"Dit idee lijkt op idee {origineel.nummer} ('{origineel.titel}'). We nemen ze samen "
        f"als één idee mee. U krijgt voortaan berichten over {origineel.nummer}.")
    voor_origineel = {"volgers": len(origineel.volgers)}

    def koppel(i: Idee) -> None:
        i.samengevoegd_met = origineel

    _beslis(door, dubbel, IdeeActie.SAMENVOEGEN, IdeeStatus.SAMENGEVOEGD, tekst, na=koppel)
    bekend = {v.email.lower() for v in origineel.volgers}
    for volger in dubbel.volgers:
        if volger.email.lower() not in bekend:
            origineel.volgers.append(IdeeVolger(email=volger.email, indiener=False))
            bekend.add(volger.email.lower())
    origineel.updates.append(IdeeUpdate(
        soort="samenvoeging", tekst=f"{dubbel.nummer} ('{dubbel.titel}') is hiermee "
        "samengevoegd.", publiek=origineel.is_publiek, user=door))
    db.session.flush()
    audit.log("idee.samengevoegd_in", door=door, object_type=OBJECT, object_id=origineel.id,
              voor=voor_origineel, na={"volgers": len(origineel.volgers),
                                      "van": dubbel.nummer})
    return mail_volgers(dubbel, f"Idee {dubbel.nummer} gaat samen met {origineel.nummer}",
                        f"Het idee '{dubbel.titel}' is samengevoegd.", tekst, volg=origineel)


def voortgang(door: User, idee: Idee, stand_: UitvoeringStand, procent: int, bericht: str,
              foto: VerwerkteFoto | None = None) -> int:
    """Post progress on a funded idea: shown on the round and idea pages, mailed to the
    followers."""
    controleer(door, idee, IdeeActie.VOORTGANG)
    if not idee.gekozen:
        raise ActieGeweigerd(f"{idee.nummer} is niet gekozen in de uitslag. Voortgang kan "
                             "alleen bij gekozen ideeën.")
    if not 0 <= procent <= 100:
        raise ActieGeweigerd("Vul een percentage van 0 tot en met 100 in.")
    if not bericht.strip():
        raise ActieGeweigerd("Schrijf wat er gebeurd is.")
    update = IdeeUpdate(soort="voortgang", status=stand_.value, voortgang=procent,
                        tekst=bericht.strip(), publiek=True, user=door,
                        foto_bestand=foto.bestand if foto else None,
                        foto_thumbnail=foto.thumbnail if foto else None)
    idee.updates.append(update)
    db.session.flush()
    audit.log("idee.voortgang", door=door, object_type=OBJECT, object_id=idee.id, na={
        "stand": stand_.value, "procent": procent, "bericht": bericht.strip(),
        "foto": bool(foto)})
    return mail_volgers(idee, f"Voortgang van idee {idee.nummer}",
                        f"Het idee '{idee.titel}': {stand_.label.lower()} ({procent}%).",
                        bericht.strip())


# --- Bulk ----------------------------------------------------------------------------------


def ideeen_voor_bulk(ids: Sequence[int]) -> list[Idee]:
    """The ideas of a bulk action, locked until the commit."""
    return list(db.session.scalars(
        select(Idee).where(Idee.id.in_(list(ids))).order_by(Idee.id)
        .with_for_update(of=Idee)
        .options(selectinload(Idee.ronde), selectinload(Idee.volgers))))


def bulk_publiceren(door: User, ids: Sequence[int]) -> int:
    """Publish every idea, or none: each passes the single action's checks first."""
    ideeen = ideeen_voor_bulk(ids)
    if len(ideeen) != len(set(ids)):
        raise ActieGeweigerd("Een of meer gekozen ideeën bestaan niet meer.")
    weigeringen = []
    for idee in ideeen:
        try:
            controleer(door, idee, IdeeActie.PUBLICEREN, IdeeStatus.GEPUBLICEERD)
        except ActieGeweigerd as fout:
            weigeringen.append(Weigering(idee.nummer, str(fout)))
    if weigeringen:
        raise BulkGeweigerd(weigeringen, "ideeën")
    for idee in ideeen:
        publiceren(door, idee)
    return len(ideeen)
