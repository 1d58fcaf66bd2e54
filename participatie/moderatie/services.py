"""Triage actions on meldingen. Each takes the acting user, flushes, and writes the audit log.

Authorisation is checked here too (through moderatie.permissions), so no caller can skip it.
A refusal is an `ActieGeweigerd` whose text is Dutch and meant for the staff member.
Public messages are queued as e-mail to the melding's contacts; the view commits and then
calls mail.deliver_pending().
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import render_template
from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from participatie import audit, mail
from participatie.accounts.models import Organisatie, OrganisatieSoort, User
from participatie.extensions import db
from participatie.meldingen.models import Contact, Foto, Gebeurtenis, Melding
from participatie.meldingen.services import absolute_url, opgelost_mail
from participatie.meldingen.workflow import BERICHT_VERPLICHT, OngeldigeOvergang, Status, mag_naar
from participatie.moderatie import permissions


class ActieGeweigerd(ValueError):
    """An action that cannot be done as asked; str(e) is Dutch for the staff member."""


@dataclass
class Weigering:
    nummer: str
    reden: str


class BulkGeweigerd(ActieGeweigerd):
    """A bulk action refused as a whole because some items cannot take it."""

    def __init__(self, weigeringen: list[Weigering]) -> None:
        super().__init__(
            f"Er is niets gewijzigd: {len(weigeringen)} van de gekozen meldingen kan dit niet."
        )
        self.weigeringen = weigeringen


def _stand(melding: Melding) -> dict:
    return {
        "status": melding.status,
        "organisatie": melding.organisatie.naam if melding.organisatie else None,
        "heropen_verzoek": melding.heropen_verzoek,
    }


def _log(actie: str, door: User, melding: Melding, voor: dict | None, na: dict | None) -> None:
    audit.log(actie, door=door, object_type="melding", object_id=melding.id, voor=voor, na=na)


def mail_contacten(melding: Melding, tekst: str, *, alleen_melder: bool = False,
                   volg: Melding | None = None) -> int:
    """Queue the update mail to every contact with an e-mail address (flushes)."""
    berichten, opgelost = _mails(melding, tekst, alleen_melder=alleen_melder, volg=volg)
    gestuurd = len(opgelost_mail(melding, tekst)) if opgelost else 0
    for aan, onderwerp, body in berichten:
        mail.queue(aan, onderwerp, body)
    return gestuurd + len(berichten)


def _mails(melding: Melding, tekst: str, *, alleen_melder: bool = False,
           volg: Melding | None = None) -> tuple[list[tuple[str, str, str]], bool]:
    """The update mails (aan, onderwerp, tekst), and whether the melder gets the closing mail
    (opgelost_mail) instead of an update."""
    volg = volg or melding
    adressen = []
    for contact in melding.contacten:
        if not contact.email or (alleen_melder and contact.soort != Contact.MELDER):
            continue
        if contact.email.lower() not in {a.lower() for a in adressen}:
            adressen.append(contact.email)
    opgelost = melding.status == Status.AFGEHANDELD and volg is melding and not alleen_melder
    if opgelost:
        # The melder gets the closing mail instead, which asks "is het opgelost?".
        melders = {c.email.lower() for c in melding.contacten
                   if c.soort == Contact.MELDER and c.email}
        adressen = [a for a in adressen if a.lower() not in melders]
    if not adressen:
        return [], opgelost
    link = absolute_url("meldingen.volgen", token=volg.token)
    return [(adres, f"Nieuws over uw melding {melding.nummer}",
             render_template("meldingen/mail/update.txt", melding=melding, tekst=tekst,
                             link=link, volg=volg, vraag=alleen_melder))
            for adres in adressen], opgelost


def _controleer_status(door: User, melding: Melding, naar: Status, bericht: str) -> None:
    if not permissions.mag_status_zetten(door, melding, naar):
        raise ActieGeweigerd(f"U mag {melding.nummer} niet op '{naar.label}' zetten.")
    if not mag_naar(melding.status_enum, naar):
        raise ActieGeweigerd(str(OngeldigeOvergang(melding.status_enum, naar)))
    if naar in BERICHT_VERPLICHT and not bericht.strip():
        raise ActieGeweigerd(f"Bij '{naar.label}' hoort een bericht aan de melder. "
                             "Schrijf wat er is gebeurd.")
    if naar == Status.REACTIE_GEVRAAGD and not bericht.strip():
        raise ActieGeweigerd("Schrijf de vraag aan de melder in het bericht.")


def wijzig_status(door: User, melding: Melding, naar: Status, bericht: str = "",
                  publiek: bool = True) -> Gebeurtenis:
    """Move a melding to another status, with an optional public or internal message."""
    _controleer_status(door, melding, naar, bericht)
    voor = _stand(melding)
    bericht = bericht.strip()
    if naar == Status.REACTIE_GEVRAAGD:
        # The question is its own public entry; the resident's answer (soort "antwoord",
        # added on the tracking page) moves the melding to reactie_ontvangen.
        gebeurtenis = melding.wijzig_status(naar, door=door, publiek=True)
        melding.gebeurtenissen.append(
            Gebeurtenis(soort=Gebeurtenis.VRAAG, tekst=bericht, publiek=True, user=door))
        db.session.flush()
        mail_contacten(melding, bericht, alleen_melder=True)
    else:
        gebeurtenis = melding.wijzig_status(naar, door=door, bericht=bericht, publiek=publiek)
        if naar == Status.HEROPEND:
            melding.heropen_verzoek = False
        db.session.flush()
        if publiek and bericht:
            mail_contacten(melding, bericht)
    _log("melding.status", door, melding, voor, _stand(melding) | {"bericht": bericht,
                                                                  "publiek": publiek})
    return gebeurtenis


def bericht(door: User, melding: Melding, tekst: str, publiek: bool) -> Gebeurtenis:
    """Add a public message (mailed to the contacts) or an internal note to the history."""
    if not permissions.can_change(door, melding):
        raise ActieGeweigerd(f"U mag bij {melding.nummer} geen bericht plaatsen.")
    tekst = tekst.strip()
    if not tekst:
        raise ActieGeweigerd("Schrijf eerst een bericht.")
    soort = Gebeurtenis.BERICHT if publiek else Gebeurtenis.NOTITIE
    gebeurtenis = Gebeurtenis(soort=soort, tekst=tekst, publiek=publiek, user=door)
    melding.gebeurtenissen.append(gebeurtenis)
    db.session.flush()
    if publiek:
        mail_contacten(melding, tekst)
    _log(f"melding.{soort}", door, melding, None, {"tekst": tekst, "publiek": publiek})
    return gebeurtenis


def toewijzen(door: User, melding: Melding, organisatie: Organisatie,
              doorzetten: bool = False) -> None:
    """Make a team or partner responsible; optionally set the status to doorgezet."""
    if not permissions.can_triage(door, melding):
        raise ActieGeweigerd(f"U mag {melding.nummer} niet toewijzen.")
    if not organisatie.actief:
        raise ActieGeweigerd(f"{organisatie.naam} is niet meer actief.")
    _controleer_doorzetten(melding, organisatie, doorzetten)
    voor = _stand(melding)
    melding.organisatie = organisatie
    melding.gebeurtenissen.append(Gebeurtenis(
        soort=Gebeurtenis.TOEWIJZING, tekst=f"Toegewezen aan {organisatie.naam}.",
        publiek=False, user=door))
    if doorzetten and melding.status_enum != Status.DOORGEZET:
        melding.wijzig_status(Status.DOORGEZET, door=door, publiek=True)
    db.session.flush()
    _log("melding.toewijzing", door, melding, voor, _stand(melding))


def _controleer_doorzetten(melding: Melding, organisatie: Organisatie, doorzetten: bool) -> None:
    if not doorzetten:
        return
    if organisatie.soort != OrganisatieSoort.PARTNER:
        raise ActieGeweigerd("Doorzetten kan alleen naar een partner, niet naar een team "
                             "van de gemeente.")
    if melding.status_enum != Status.DOORGEZET and not mag_naar(melding.status_enum,
                                                                Status.DOORGEZET):
        raise ActieGeweigerd(str(OngeldigeOvergang(melding.status_enum, Status.DOORGEZET)))


def zoek_melding(nummer: str) -> Melding | None:
    tekst = (nummer or "").strip().upper().removeprefix("M-").strip()
    if not tekst.isdigit() or len(tekst) > 9:
        return None
    return db.session.get(Melding, int(tekst))


def samenvoegen(door: User, dubbel: Melding, origineel: Melding | None, tekst: str) -> None:
    """Merge a duplicate into an original; its contacts follow the original from now on."""
    if not permissions.can_triage(door, dubbel):
        raise ActieGeweigerd(f"U mag {dubbel.nummer} niet samenvoegen.")
    if origineel is None or not permissions.can_view(door, origineel):
        raise ActieGeweigerd("Die melding bestaat niet of valt buiten uw wijken.")
    if not permissions.can_triage(door, origineel):
        raise ActieGeweigerd(f"U mag {origineel.nummer} niet wijzigen.")
    if origineel.id == dubbel.id:
        raise ActieGeweigerd("Een melding kan niet met zichzelf worden samengevoegd.")
    if not origineel.is_open:
        raise ActieGeweigerd(f"{origineel.nummer} is al {origineel.status_enum.label.lower()}. "
                             "Kies een melding die nog open is.")
    if not mag_naar(dubbel.status_enum, Status.SAMENGEVOEGD):
        raise ActieGeweigerd(str(OngeldigeOvergang(dubbel.status_enum, Status.SAMENGEVOEGD)))
    tekst = tekst.strip() or (f"Uw melding gaat over hetzelfde als melding {origineel.nummer}. "
                              "We behandelen ze samen. U krijgt voortaan berichten over "
                              f"{origineel.nummer}.")
    voor_dubbel, voor_origineel = _stand(dubbel), {"contacten": len(origineel.contacten)}
    dubbel.wijzig_status(Status.SAMENGEVOEGD, door=door, bericht=tekst, publiek=True)
    dubbel.samengevoegd_met = origineel
    bekend = {c.email.lower() for c in origineel.contacten if c.email}
    for contact in dubbel.contacten:
        if contact.email and contact.email.lower() not in bekend:
            origineel.contacten.append(Contact(soort=Contact.STEUN, email=contact.email))
            bekend.add(contact.email.lower())
    origineel.gebeurtenissen.append(Gebeurtenis(
        soort=Gebeurtenis.STEUN, tekst=f"{dubbel.nummer} is hiermee samengevoegd.",
        publiek=False, user=door))
    db.session.flush()
    mail_contacten(dubbel, tekst, volg=origineel)
    _log("melding.samenvoegen", door, dubbel, voor_dubbel,
         _stand(dubbel) | {"samengevoegd_met": origineel.nummer})
    _log("melding.samengevoegd_in", door, origineel, voor_origineel,
         {"contacten": len(origineel.contacten), "van": dubbel.nummer})


FOTO_ACTIES = {
    "publiek": ("Goedgekeurd voor de openbare kaart", {"publiek": True, "verborgen": False}),
    "niet_publiek": ("Niet meer op de openbare kaart", {"publiek": False}),
    "verbergen": ("Verborgen", {"publiek": False, "verborgen": True}),
    "tonen": ("Niet meer verborgen", {"verborgen": False}),
}


def foto_zetten(door: User, melding: Melding, foto: Foto, actie: str) -> str:
    """Approve a photo for the public map, withdraw it, hide it or show it again."""
    if not permissions.can_triage(door, melding):
        raise ActieGeweigerd(f"U mag de foto's van {melding.nummer} niet wijzigen.")
    if foto.melding_id != melding.id or actie not in FOTO_ACTIES:
        raise ActieGeweigerd("Deze foto hoort niet bij deze melding.")
    label, waarden = FOTO_ACTIES[actie]
    voor = {"foto": foto.id, "publiek": foto.publiek, "verborgen": foto.verborgen}
    for naam, waarde in waarden.items():
        setattr(foto, naam, waarde)
    db.session.flush()
    _log("melding.foto", door, melding, voor,
         {"foto": foto.id, "publiek": foto.publiek, "verborgen": foto.verborgen})
    return label


def heropen_verzoek(door: User, melding: Melding, heropenen: bool, tekst: str) -> None:
    """Answer a resident's "niet opgelost": reopen the melding, or decline with a message."""
    if not permissions.can_triage(door, melding):
        raise ActieGeweigerd(f"U mag {melding.nummer} niet heropenen.")
    if not melding.heropen_verzoek:
        raise ActieGeweigerd(f"Bij {melding.nummer} is geen verzoek om te heropenen.")
    if not tekst.strip():
        raise ActieGeweigerd("Schrijf de melder waarom u de melding wel of niet heropent.")
    if heropenen:
        wijzig_status(door, melding, Status.HEROPEND, tekst, publiek=True)
        return
    voor = _stand(melding)
    melding.heropen_verzoek = False
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.BERICHT, tekst=tekst.strip(), publiek=True, user=door))
    db.session.flush()
    mail_contacten(melding, tekst.strip())
    _log("melding.heropen_afgewezen", door, melding, voor, _stand(melding) | {
        "bericht": tekst.strip()})


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
    waarden = {"status": naar.value,
               "gesloten_op": datetime.now(UTC) if not naar.is_open else None}
    if naar == Status.HEROPEND:
        waarden["heropen_verzoek"] = False
    db.session.execute(
        update(Melding).where(Melding.id.in_([m.id for m in meldingen])).values(**waarden)
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
        _controleer_status(door, melding, naar, tekst)

    weigeringen = _weigeringen(door, meldingen, controle)
    if weigeringen:
        raise BulkGeweigerd(weigeringen)
    bericht = tekst.strip()
    vraag = naar == Status.REACTIE_GEVRAAGD
    voor = {melding.id: _stand(melding) for melding in meldingen}
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
            updates, opgelost = _mails(melding, bericht, alleen_melder=vraag)
            if opgelost:
                opgelost_mail(melding, bericht)  # the one place that writes that mail
            berichten += updates
    mail.queue_many(berichten)
    audit.log_many("melding.status", door=door, object_type="melding", regels=[
        (melding.id, voor[melding.id],
         _stand(melding) | {"bericht": bericht, "publiek": publiek})
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
        _controleer_doorzetten(melding, organisatie, doorzetten)

    weigeringen = _weigeringen(door, meldingen, controle)
    if weigeringen:
        raise BulkGeweigerd(weigeringen)
    voor = {melding.id: _stand(melding) for melding in meldingen}
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
        (melding.id, voor[melding.id], _stand(melding)) for melding in meldingen
    ])
    return len(meldingen)
