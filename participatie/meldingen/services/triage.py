"""Triage actions on one melding. Each takes the acting user, flushes, and writes the audit log.

Authorisation is checked here too (through meldingen.permissions), so no caller can skip it.
A refusal is an `ActieGeweigerd` whose text is Dutch and meant for the staff member.
Public messages are queued as e-mail to the melding's contacts; the view commits and then
calls mail.deliver_pending().
"""

from __future__ import annotations

from flask import render_template

from participatie import audit, mail
from participatie.accounts.models import Organisatie, OrganisatieSoort, User
from participatie.extensions import db
from participatie.meldingen import permissions
from participatie.meldingen.models import Contact, Foto, Gebeurtenis, Melding
from participatie.meldingen.services import absolute_url, opgelost_mail
from participatie.meldingen.services.kaart import heeft_publieke_pagina
from participatie.meldingen.workflow import Status, controleer_overgang
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import heel_getal


def stand(melding: Melding) -> dict:
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
    berichten, opgelost = mails(melding, tekst, alleen_melder=alleen_melder, volg=volg)
    gestuurd = len(opgelost_mail(melding, tekst)) if opgelost else 0
    for aan, onderwerp, body in berichten:
        mail.queue(aan, onderwerp, body)
    return gestuurd + len(berichten)


def mails(melding: Melding, tekst: str, *, alleen_melder: bool = False,
          volg: Melding | None = None) -> tuple[list[tuple[str, str, str]], bool]:
    """The update mails (aan, onderwerp, tekst), and whether the melder gets the closing mail
    (opgelost_mail) instead of an update.

    Only the melder gets the secret link of the melding: it opens the tracking page, where the
    melder answers questions. Supporters, and melders of a melding merged into this one, get
    its public page (when the map shows it), never someone else's secret link.
    """
    volg = volg or melding
    ontvangers: dict[str, bool] = {}  # address (lower case) → is the melder of `melding`
    adressen: dict[str, str] = {}
    for contact in melding.contacten:
        if not contact.email or (alleen_melder and contact.soort != Contact.MELDER):
            continue
        sleutel = contact.email.lower()
        adressen.setdefault(sleutel, contact.email)
        ontvangers[sleutel] = ontvangers.get(sleutel, False) or contact.soort == Contact.MELDER
    opgelost = melding.status == Status.AFGEHANDELD and volg is melding and not alleen_melder
    if opgelost:
        # The melder gets the closing mail instead, which asks "is het opgelost?".
        ontvangers = {a: melder for a, melder in ontvangers.items() if not melder}
    if not ontvangers:
        return [], opgelost
    eigen = absolute_url("meldingen.volglink", token=melding.token)
    openbaar = (absolute_url("meldingen.publiek", id=volg.id)
                if not all(ontvangers.values()) and heeft_publieke_pagina(volg.id) else None)
    return [(adressen[a], f"Nieuws over {'uw melding' if melder else 'melding'} {melding.nummer}",
             render_template("meldingen/mail/update.txt", melding=melding, tekst=tekst,
                             link=eigen if melder else openbaar, melder=melder, volg=volg,
                             vraag=alleen_melder))
            for a, melder in ontvangers.items()], opgelost


def controleer_status(door: User, melding: Melding, naar: Status, bericht: str) -> None:
    """The role's limits, then the workflow's own check (one for single and bulk changes)."""
    if not permissions.mag_status_zetten(door, melding, naar):
        raise ActieGeweigerd(f"U mag {melding.nummer} niet op '{naar.label}' zetten.")
    controleer_overgang(melding.status_enum, naar, bericht)


def wijzig_status(door: User, melding: Melding, naar: Status, bericht: str = "",
                  publiek: bool = True) -> Gebeurtenis:
    """Move a melding to another status, with an optional public or internal message."""
    controleer_status(door, melding, naar, bericht)
    voor = stand(melding)
    bericht = bericht.strip()
    gebeurtenis = melding.wijzig_status(naar, door=door, bericht=bericht, publiek=publiek)
    db.session.flush()
    if naar == Status.REACTIE_GEVRAAGD:
        mail_contacten(melding, bericht, alleen_melder=True)
    elif publiek and bericht:
        mail_contacten(melding, bericht)
    _log("melding.status", door, melding, voor, stand(melding) | {"bericht": bericht,
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
    controleer_doorzetten(melding, organisatie, doorzetten)
    voor = stand(melding)
    melding.organisatie = organisatie
    melding.gebeurtenissen.append(Gebeurtenis(
        soort=Gebeurtenis.TOEWIJZING, tekst=f"Toegewezen aan {organisatie.naam}.",
        publiek=False, user=door))
    if doorzetten and melding.status_enum != Status.DOORGEZET:
        melding.wijzig_status(Status.DOORGEZET, door=door, publiek=True)
    db.session.flush()
    _log("melding.toewijzing", door, melding, voor, stand(melding))


def controleer_doorzetten(melding: Melding, organisatie: Organisatie, doorzetten: bool) -> None:
    if not doorzetten:
        return
    if organisatie.soort != OrganisatieSoort.PARTNER:
        raise ActieGeweigerd("Doorzetten kan alleen naar een partner, niet naar een team "
                             "van de gemeente.")
    if melding.status_enum != Status.DOORGEZET:
        controleer_overgang(melding.status_enum, Status.DOORGEZET)


def zoek_melding(nummer: str) -> Melding | None:
    ident = heel_getal((nummer or "").strip().upper().removeprefix("M-").strip())
    return db.session.get(Melding, ident) if ident is not None else None


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
    controleer_overgang(dubbel.status_enum, Status.SAMENGEVOEGD)
    tekst = tekst.strip() or (f"Uw melding gaat over hetzelfde als melding {origineel.nummer}. "
                              "We behandelen ze samen. U krijgt voortaan berichten over "
                              f"{origineel.nummer}.")
    voor_dubbel, voor_origineel = stand(dubbel), {"contacten": len(origineel.contacten)}
    dubbel.wijzig_status(Status.SAMENGEVOEGD, door=door, bericht=tekst, publiek=True)
    dubbel.samengevoegd_met = origineel
    bekend = {c.email.lower() for c in origineel.contacten if c.email}
    for contact in dubbel.contacten:
        if contact.email and contact.email.lower() not in bekend:
            origineel.contacten.append(Contact(soort=Contact.STEUN, email=contact.email))
            bekend.add(contact.email.lower())
    origineel.gebeurtenissen.append(Gebeurtenis(
        soort=Gebeurtenis.SAMENVOEGING, tekst=f"{dubbel.nummer} is hiermee samengevoegd.",
        publiek=False, user=door))
    db.session.flush()
    mail_contacten(dubbel, tekst, volg=origineel)
    _log("melding.samenvoegen", door, dubbel, voor_dubbel,
         stand(dubbel) | {"samengevoegd_met": origineel.nummer})
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
    voor = stand(melding)
    melding.heropen_verzoek = False
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.BERICHT, tekst=tekst.strip(), publiek=True, user=door))
    db.session.flush()
    mail_contacten(melding, tekst.strip())
    _log("melding.heropen_afgewezen", door, melding, voor, stand(melding) | {
        "bericht": tekst.strip()})


