"""Plain functions that make and change enquêtes and their questions. They flush and write
the audit log; the view commits.

Once a survey has responses, changes that would corrupt its results are refused with the
reason (`EnqueteFout`): removing a question, changing its type, removing an option somebody
chose, adding a required question or making one required. Wording, order, pages, conditions
and new optional questions stay possible.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import selectinload

from participatie import audit, codes
from participatie.accounts.models import User
from participatie.enquetes.models import Antwoord, Enquete, Enquetecode, Optie, Respons, Vraag
from participatie.enquetes.permissions import leesbaar
from participatie.enquetes.workflow import (
    INDICATOREN,
    VOORWAARDE_TYPES,
    EnqueteStatus,
    VraagType,
)
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import pad

OBJECT = "enquete"
MAX_CODES = 100_000
WAT_KAN = ("Er zijn al antwoorden. U kunt nog: de tekst van vragen en antwoorden verbeteren, "
           "vragen verplaatsen, antwoorden toevoegen en nieuwe vragen toevoegen die niet "
           "verplicht zijn. Vragen weghalen, van soort veranderen of een gekozen antwoord "
           "weghalen kan niet meer: dan kloppen de uitkomsten niet meer.")


class EnqueteFout(ActieGeweigerd):
    """A survey or question that cannot be made or changed as asked; str(e) is Dutch."""


@dataclass
class EnqueteGegevens:
    titel: str
    wijk: Wijk | None  # None: the whole gemeente
    open_vanaf: date
    sluit_op: date
    intro: str = ""
    buurten: list[Buurt] = field(default_factory=list)
    met_code: bool = False


@dataclass
class VraagGegevens:
    type: VraagType
    tekst: str
    toelichting: str = ""
    opties: list[str] = field(default_factory=list)
    pagina: int = 1
    volgorde: int = 0
    verplicht: bool = False
    max_keuzes: int | None = None
    max_lengte: int | None = None
    indicator: str | None = None
    naar_inbox: bool = False
    toon_als: tuple[int, int] | None = None  # (earlier question id, value)


def snapshot(enquete: Enquete) -> dict:
    return {"titel": enquete.titel, "wijk": enquete.wijk_code, "status": enquete.status,
            "buurten": [b.code for b in enquete.buurten], "met_code": enquete.met_code,
            "open_vanaf": enquete.open_vanaf.isoformat(),
            "sluit_op": enquete.sluit_op.isoformat()}


def vraag_snapshot(vraag: Vraag) -> dict:
    return {"tekst": vraag.tekst, "type": vraag.type, "pagina": vraag.pagina,
            "volgorde": vraag.volgorde, "verplicht": vraag.verplicht,
            "opties": [o.tekst for o in vraag.opties], "indicator": vraag.indicator,
            "toon_als": [vraag.toon_als_vraag_id, vraag.toon_als_waarde]}


def enquete_met_vragen(enquete_id: int) -> Enquete | None:
    return db.session.scalar(select(Enquete).where(Enquete.id == enquete_id).options(
        selectinload(Enquete.vragen).selectinload(Vraag.opties),
        selectinload(Enquete.buurten), selectinload(Enquete.wijk)))


def heeft_responsen(enquete: Enquete) -> bool:
    return bool(db.session.scalar(select(exists().where(Respons.enquete_id == enquete.id))))


def _controleer(gegevens: EnqueteGegevens) -> None:
    if gegevens.buurten and gegevens.wijk is None:
        raise EnqueteFout("Kies eerst de wijk van de buurten.")
    if any(b.wijk_code != gegevens.wijk.code for b in gegevens.buurten):
        raise EnqueteFout("Kies alleen buurten uit de gekozen wijk.")
    if gegevens.sluit_op < gegevens.open_vanaf:
        raise EnqueteFout("De laatste dag ligt na de eerste dag.")


def _zet(enquete: Enquete, gegevens: EnqueteGegevens) -> None:
    enquete.titel = gegevens.titel.strip()
    enquete.intro = gegevens.intro.strip()
    enquete.wijk_code = gegevens.wijk.code if gegevens.wijk else None
    enquete.buurten = list(gegevens.buurten)
    enquete.open_vanaf, enquete.sluit_op = gegevens.open_vanaf, gegevens.sluit_op
    enquete.met_code = gegevens.met_code


def maak_enquete(gegevens: EnqueteGegevens, *, door: User | None) -> Enquete:
    """Create a survey as a concept; logs it (flushes)."""
    _controleer(gegevens)
    enquete = Enquete(status=EnqueteStatus.CONCEPT.value, samenvatting="",
                      samenvatting_openbaar=False)
    _zet(enquete, gegevens)
    db.session.add(enquete)
    db.session.flush()
    audit.log("enquete.nieuw", door=door, object_type=OBJECT, object_id=enquete.id,
              na=snapshot(enquete))
    return enquete


def wijzig_enquete(enquete: Enquete, gegevens: EnqueteGegevens, *, door: User) -> None:
    """Change title, intro, dates; the area and the code setting are fixed once answered."""
    _controleer(gegevens)
    voor = snapshot(enquete)
    vast = (gegevens.wijk.code if gegevens.wijk else None,
            sorted(b.code for b in gegevens.buurten), gegevens.met_code)
    nu = (enquete.wijk_code, sorted(b.code for b in enquete.buurten), enquete.met_code)
    if vast != nu and heeft_responsen(enquete):
        raise EnqueteFout("Er zijn al antwoorden: het gebied en de manier van meedoen liggen "
                          "vast. Titel, uitleg en data kunnen nog veranderen.")
    _zet(enquete, gegevens)
    db.session.flush()
    audit.log("enquete.wijzig", door=door, object_type=OBJECT, object_id=enquete.id,
              voor=voor, na=snapshot(enquete))


def wijzig_status(enquete: Enquete, naar: EnqueteStatus, *, door: User | None) -> None:
    """Open or close a survey as the table allows; opening needs at least one question."""
    voor = enquete.status
    if naar == EnqueteStatus.OPEN and not enquete.vragen:
        raise EnqueteFout("Een enquête zonder vragen kan niet open.")
    enquete.wijzig_status(naar)
    db.session.flush()
    audit.log("enquete.status", door=door, object_type=OBJECT, object_id=enquete.id,
              voor={"status": voor}, na={"status": enquete.status})


def zet_samenvatting(enquete: Enquete, tekst: str, openbaar: bool, *, door: User) -> None:
    """The summary for the wijk page; public only when the survey has closed."""
    if openbaar and enquete.status_enum != EnqueteStatus.GESLOTEN:
        raise EnqueteFout("Publiceer de samenvatting als de enquête gesloten is.")
    if openbaar and not tekst.strip():
        raise EnqueteFout("Schrijf eerst een samenvatting.")
    voor = {"samenvatting": enquete.samenvatting, "openbaar": enquete.samenvatting_openbaar}
    enquete.samenvatting, enquete.samenvatting_openbaar = tekst.strip(), openbaar
    db.session.flush()
    audit.log("enquete.samenvatting", door=door, object_type=OBJECT, object_id=enquete.id,
              voor=voor, na={"samenvatting": enquete.samenvatting, "openbaar": openbaar})


# --- Questions ------------------------------------------------------------------------------


def _controleer_vraag(enquete: Enquete, g: VraagGegevens, vraag: Vraag | None) -> None:
    if g.type.met_opties and len(g.opties) < 2:
        raise EnqueteFout("Geef minstens twee antwoorden om uit te kiezen, één per regel.")
    if not g.type.met_opties and g.opties:
        raise EnqueteFout(f"Bij '{g.type.label}' horen geen antwoorden om uit te kiezen.")
    if len(g.opties) > 50 or any(len(o) > 200 for o in g.opties):
        raise EnqueteFout("Hoogstens 50 antwoorden van elk hoogstens 200 tekens.")
    if g.max_keuzes is not None and g.type != VraagType.MEER_KEUZES:
        raise EnqueteFout("Een hoogste aantal keuzes hoort bij 'meerdere keuzes'.")
    if g.max_lengte is not None and g.type != VraagType.OPEN:
        raise EnqueteFout("Een hoogste aantal tekens hoort bij een open vraag.")
    if g.naar_inbox and g.type != VraagType.OPEN:
        raise EnqueteFout("Alleen antwoorden op een open vraag kunnen naar de inbox.")
    if g.indicator and g.indicator not in INDICATOREN:
        raise EnqueteFout("Kies een wijkindicator uit de lijst.")
    if g.toon_als is not None:
        bron = next((v for v in enquete.vragen if v.id == g.toon_als[0]), None)
        if bron is None or (vraag is not None and bron.id == vraag.id):
            raise EnqueteFout("De voorwaarde hoort bij een andere vraag van deze enquête.")
        if bron.pagina >= g.pagina:
            raise EnqueteFout("Een vraag kan alleen afhangen van een vraag op een eerdere "
                              "pagina: pas dan weet de site het antwoord, ook zonder "
                              "JavaScript.")
        if bron.type_enum not in VOORWAARDE_TYPES:
            raise EnqueteFout("Een voorwaarde kan alleen op een keuzevraag of een ja/nee-vraag.")


def _zet_vraag(vraag: Vraag, g: VraagGegevens) -> None:
    vraag.type, vraag.tekst, vraag.toelichting = g.type.value, g.tekst.strip(), g.toelichting
    vraag.pagina, vraag.volgorde, vraag.verplicht = g.pagina, g.volgorde, g.verplicht
    vraag.max_keuzes, vraag.max_lengte = g.max_keuzes, g.max_lengte
    vraag.indicator, vraag.naar_inbox = g.indicator or None, g.naar_inbox
    vraag.toon_als_vraag_id, vraag.toon_als_waarde = g.toon_als or (None, None)


def voeg_vraag_toe(enquete: Enquete, g: VraagGegevens, *, door: User | None) -> Vraag:
    """Add a question; with responses only an optional one (flushes, logs)."""
    _controleer_vraag(enquete, g, None)
    if g.verplicht and heeft_responsen(enquete):
        raise EnqueteFout("Er zijn al antwoorden: een nieuwe vraag kan niet verplicht zijn, "
                          "want wie al meedeed heeft hem niet gezien.")
    vraag = Vraag(enquete=enquete)
    _zet_vraag(vraag, g)
    vraag.opties = [Optie(tekst=t, volgorde=i) for i, t in enumerate(g.opties)]
    db.session.add(vraag)
    db.session.flush()
    audit.log("enquete.vraag_nieuw", door=door, object_type=OBJECT, object_id=enquete.id,
              na={"vraag": vraag.id, **vraag_snapshot(vraag)})
    return vraag


def _gekozen(optie: Optie) -> bool:
    return bool(db.session.scalar(select(exists().where(Antwoord.optie_id == optie.id))))


def wijzig_vraag(vraag: Vraag, g: VraagGegevens, *, door: User) -> None:
    """Change a question; with responses only what keeps the results right (EnqueteFout).

    Options are matched by position: line 3 of the new list is the third option. A shorter
    list removes options from the end, which is refused for an option somebody chose.
    """
    enquete = vraag.enquete
    _controleer_vraag(enquete, g, vraag)
    voor = vraag_snapshot(vraag)
    beantwoord = heeft_responsen(enquete)
    if beantwoord and g.type.value != vraag.type:
        raise EnqueteFout("Er zijn al antwoorden: de soort vraag kan niet meer veranderen. "
                          "Maak een nieuwe vraag.")
    if beantwoord and g.verplicht and not vraag.verplicht:
        raise EnqueteFout("Er zijn al antwoorden: een vraag kan niet alsnog verplicht worden.")
    weg = vraag.opties[len(g.opties):]
    gekozen = [o.tekst for o in weg if _gekozen(o)]
    if gekozen:
        raise EnqueteFout(f"Het antwoord ‘{gekozen[0]}’ is al gekozen en kan niet weg. U kunt "
                          "de tekst wel verbeteren.")
    for optie, tekst in zip(vraag.opties, g.opties, strict=False):
        optie.tekst = tekst
    for optie in weg:
        vraag.opties.remove(optie)
    for i, tekst in enumerate(g.opties[len(vraag.opties):], start=len(vraag.opties)):
        vraag.opties.append(Optie(tekst=tekst, volgorde=i))
    _zet_vraag(vraag, g)
    db.session.flush()
    audit.log("enquete.vraag_wijzig", door=door, object_type=OBJECT, object_id=enquete.id,
              voor={"vraag": vraag.id, **voor}, na={"vraag": vraag.id, **vraag_snapshot(vraag)})


def verwijder_vraag(vraag: Vraag, *, door: User) -> None:
    """Remove a question of a survey without responses (EnqueteFout otherwise)."""
    enquete = vraag.enquete
    if heeft_responsen(enquete):
        raise EnqueteFout("Er zijn al antwoorden: een vraag kan niet meer weg. Dan kloppen de "
                          "uitkomsten niet meer.")
    if any(v.toon_als_vraag_id == vraag.id for v in enquete.vragen):
        raise EnqueteFout("Een andere vraag hangt van deze vraag af. Pas die eerst aan.")
    voor = vraag_snapshot(vraag)
    enquete.vragen.remove(vraag)
    db.session.flush()
    audit.log("enquete.vraag_weg", door=door, object_type=OBJECT, object_id=enquete.id,
              voor={"vraag": vraag.id, **voor})


# --- Survey codes (participatie.codes, the same mechanism as stemcodes) --------------------


def code_sleutel() -> bytes:
    """STEMCODE_SLEUTEL keys survey codes too; else SECRET_KEY."""
    config = current_app.config
    return (config.get("STEMCODE_SLEUTEL") or config["SECRET_KEY"]).encode()


def maak_codes(enquete: Enquete, aantal: int, *, buurt: Buurt | None,
               door: User | None) -> list[str]:
    """Make `aantal` survey codes; returns them once, only their hashes stay (flushes)."""
    if not enquete.met_code:
        raise EnqueteFout("Deze enquête werkt zonder codes.")
    if not 1 <= aantal <= MAX_CODES:
        raise EnqueteFout("Maak 1 tot en met 100.000 codes tegelijk.")
    if buurt is not None and (buurt.wijk_code != enquete.wijk_code or (
            enquete.buurten and buurt not in enquete.buurten)):
        raise EnqueteFout(f"{buurt.naam} hoort niet bij het gebied van deze enquête.")
    sleutel, gemaakt = code_sleutel(), {}
    while len(gemaakt) < aantal:
        code = codes.maak_code()
        gemaakt.setdefault(codes.hash_code(code, sleutel), code)
    nieuw = db.session.scalars(pg_insert(Enquetecode).values([
        {"enquete_id": enquete.id, "code_hash": h, "buurt_code": buurt.code if buurt else None}
        for h in gemaakt]).on_conflict_do_nothing().returning(Enquetecode.code_hash)).all()
    uit = [gemaakt[h] for h in nieuw]
    audit.log("enquete.codes", door=door, object_type=OBJECT, object_id=enquete.id,
              na={"aantal": len(uit), "buurt": buurt.code if buurt else None})
    return uit


def codes_csv(enquete: Enquete, uit: list[str], buurt: Buurt | None) -> str:
    schrijver = io.StringIO()
    regels = csv.writer(schrijver, delimiter=";")
    regels.writerow(["enquetecode", "enquete", "buurt", "invullen_op"])
    adres = current_app.config["PUBLIC_URL"] + pad("enquetes.invullen", enquete_id=enquete.id)
    for code in uit:
        regels.writerow([code, enquete.titel, buurt.naam if buurt else enquete.gebied, adres])
    return schrijver.getvalue()


# --- Lists ----------------------------------------------------------------------------------


def open_enquetes(dag: date, wijk_code: str = "") -> list[Enquete]:
    """Surveys residents can answer today, optionally of one wijk (and the gemeente's)."""
    query = select(Enquete).where(Enquete.status == EnqueteStatus.OPEN.value,
                                  Enquete.open_vanaf <= dag, Enquete.sluit_op >= dag)
    if wijk_code:
        query = query.where((Enquete.wijk_code == wijk_code) | Enquete.wijk_code.is_(None))
    return list(db.session.scalars(query.order_by(Enquete.sluit_op, Enquete.id).options(
        selectinload(Enquete.wijk), selectinload(Enquete.buurten))))


def enquetes_van(user) -> list[Enquete]:
    """The surveys whose results this user may see, newest first."""
    return list(db.session.scalars(
        select(Enquete).where(leesbaar(user, Enquete.wijk_code))
        .order_by(Enquete.open_vanaf.desc(), Enquete.id.desc())
        .options(selectinload(Enquete.wijk), selectinload(Enquete.buurten))))


def gepubliceerde_samenvattingen(wijk_code: str) -> list[Enquete]:
    """For the public wijk page: closed surveys of this wijk with a published summary."""
    return list(db.session.scalars(
        select(Enquete).where(Enquete.wijk_code == wijk_code, Enquete.samenvatting_openbaar,
                              Enquete.status == EnqueteStatus.GESLOTEN.value)
        .order_by(Enquete.sluit_op.desc())))


def aantal_verzonden(enquete: Enquete) -> int:
    return db.session.scalar(select(func.count()).where(
        Respons.enquete_id == enquete.id, Respons.verzonden_op.is_not(None))) or 0


def vergeet(grens: date) -> tuple[int, int]:
    """AVG retention (`flask retention`): blank the e-mail of responses to surveys whose last
    day lies before `grens`, and delete the drafts that were never sent to such surveys
    (flushes). Returns (e-mail addresses, drafts)."""
    oud = select(Enquete.id).where(Enquete.sluit_op < grens)
    mails = db.session.execute(
        update(Respons).where(Respons.enquete_id.in_(oud), Respons.email.is_not(None))
        .values(email=None).execution_options(synchronize_session=False)).rowcount
    concepten = db.session.execute(
        delete(Respons).where(Respons.enquete_id.in_(oud), Respons.verzonden_op.is_(None))
        .execution_options(synchronize_session=False)).rowcount
    return mails, concepten
