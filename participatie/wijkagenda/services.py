"""Plain functions that read and change the wijkagenda. They flush; the view commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from participatie.accounts.models import Organisatie, Rol, User, user_wijk
from participatie.accounts.permissions import wijk_zichtbaar
from participatie.audit import log
from participatie.extensions import db
from participatie.gebieden.models import Wijk
from participatie.meldingen.models import Melding
from participatie.meldingen.services import steun_aantallen
from participatie.moderatie.inbox import InboxRij
from participatie.moderatie.lijst import rijen_van
from participatie.web import heel_getal
from participatie.wijkagenda.models import (
    OPEN_VRAAG,
    BronType,
    Leefbaarheidsvraag,
    Thema,
    VraagBron,
    VraagStatus,
)

OBJECT = "leefbaarheidsvraag"
MAX_SELECTIE = 200


class WijkagendaFout(ValueError):
    """A request the wijkagenda cannot carry out; the message is for people."""


# --- Reading -----------------------------------------------------------------------------


@dataclass
class AgendaRegel:
    vraag: Leefbaarheidsvraag
    meldingen: list[Melding] = field(default_factory=list)
    aantal_steun: int = 0

    @property
    def aantal_meldingen(self) -> int:
        return len(self.meldingen)


def agenda(wijk_code: str) -> list[AgendaRegel]:
    """The wijk's leefbaarheidsvragen, open ones first, with their meldingen and support."""
    open_eerst = Leefbaarheidsvraag.status.in_([s.value for s in OPEN_VRAAG]).desc()
    vragen = db.session.scalars(
        select(Leefbaarheidsvraag)
        .where(Leefbaarheidsvraag.wijk_code == wijk_code)
        .order_by(open_eerst, Leefbaarheidsvraag.updated_at.desc(), Leefbaarheidsvraag.id)
        .options(
            selectinload(Leefbaarheidsvraag.bronnen),
            selectinload(Leefbaarheidsvraag.eigenaar_organisatie),
            selectinload(Leefbaarheidsvraag.eigenaar_user),
        )
    ).all()
    ids = {i for v in vragen for i in v.melding_ids()}
    meldingen = {
        m.id: m
        for m in db.session.scalars(
            select(Melding).where(Melding.id.in_(ids)).options(selectinload(Melding.categorie))
        )
    } if ids else {}
    steun = steun_aantallen(list(ids))
    regels = []
    for vraag in vragen:
        gekoppeld = [meldingen[i] for i in vraag.melding_ids() if i in meldingen]
        regels.append(AgendaRegel(vraag, gekoppeld, sum(steun.get(m.id, 0) for m in gekoppeld)))
    return regels


def open_vragen(wijk_code: str) -> list[Leefbaarheidsvraag]:
    """Open vragen of a wijk, to link new meldingen to."""
    return list(
        db.session.scalars(
            select(Leefbaarheidsvraag)
            .where(
                Leefbaarheidsvraag.wijk_code == wijk_code,
                Leefbaarheidsvraag.status.in_([s.value for s in OPEN_VRAAG]),
            )
            .order_by(Leefbaarheidsvraag.titel)
        )
    )


# Built once: every inbox item's staff page asks for it.
_VRAGEN_VOOR_BRON = (
    select(Leefbaarheidsvraag).join(VraagBron)
    .where(VraagBron.bron_type == bindparam("soort"), VraagBron.bron_id == bindparam("bron_id"))
    .order_by(Leefbaarheidsvraag.id)
)


def vragen_voor_bron(soort: str, bron_id: int) -> list[Leefbaarheidsvraag]:
    """The leefbaarheidsvragen an inbox item is linked to (for its staff page)."""
    return list(db.session.scalars(_VRAGEN_VOOR_BRON, {"soort": soort, "bron_id": bron_id}))


def vragen_van_wijken(user) -> list[Leefbaarheidsvraag]:
    """All vragen of the wijken this user may see, per wijk, open ones first."""
    query = select(Leefbaarheidsvraag).options(selectinload(Leefbaarheidsvraag.wijk)).where(
        wijk_zichtbaar(user, Leefbaarheidsvraag.wijk_code))
    open_eerst = Leefbaarheidsvraag.status.in_([s.value for s in OPEN_VRAAG]).desc()
    return list(db.session.scalars(
        query.order_by(Leefbaarheidsvraag.wijk_code, open_eerst, Leefbaarheidsvraag.titel)
    ))


def gekozen_bronnen(user, sleutels: Iterable[tuple[str, int]]) -> list[InboxRij]:
    """The inbox items of a selection (any kind), as the user may see them; refuses an empty,
    too large, unknown or hidden selection."""
    sleutels = sorted(set(sleutels))
    if not sleutels:
        raise WijkagendaFout("Kies minstens één melding of ander item.")
    if len(sleutels) > MAX_SELECTIE:
        raise WijkagendaFout(f"Kies hoogstens {MAX_SELECTIE} items tegelijk.")
    if any(soort not in {b.value for b in BronType} for soort, _ in sleutels):
        raise WijkagendaFout("Dit soort item kan niet op de wijkagenda.")
    rijen = rijen_van(user, sleutels)
    if len(rijen) != len(sleutels):
        raise WijkagendaFout("Een of meer gekozen items bestaan niet (meer).")
    return rijen


def wijk_van(bronnen: list[InboxRij]) -> Wijk:
    """The one wijk of a selection; refuses items from more than one wijk."""
    codes = sorted({b.wijk_code for b in bronnen})
    wijken = [db.session.get(Wijk, code) for code in codes]
    if len(wijken) != 1:
        namen = sorted(w.korte_naam for w in wijken)
        raise WijkagendaFout(
            "U koos meldingen uit verschillende wijken (" + ", ".join(namen) + "). "
            "Een leefbaarheidsvraag hoort bij één wijk. Kies alleen meldingen uit één wijk."
        )
    return wijken[0]


def eigenaar_keuzes(wijk_code: str) -> list[SelectChoice]:
    """Who can own a vraag: active organisaties and the staff of that wijk."""
    keuzes = [SelectChoice("", "Nog niemand")]
    for org in db.session.scalars(
        select(Organisatie).where(Organisatie.actief).order_by(Organisatie.naam)
    ):
        keuzes.append(SelectChoice(f"organisatie-{org.id}", org.naam))
    regisseurs = select(user_wijk.c.user_id).where(user_wijk.c.wijk_code == wijk_code)
    for user in db.session.scalars(
        select(User)
        .where(
            User.actief,
            (User.rol == Rol.BEHEERDER)
            | ((User.rol == Rol.STADSDEELREGISSEUR) & User.id.in_(regisseurs)),
        )
        .order_by(User.naam, User.email)
    ):
        label = f"{user} ({user.rol_enum.label.lower()})"
        keuzes.append(SelectChoice(f"gebruiker-{user.id}", label))
    return keuzes


def eigenaar_uit_sleutel(sleutel: str) -> Organisatie | User | None:
    soort, _, pk = sleutel.partition("-")
    model, ident = {"organisatie": Organisatie, "gebruiker": User}.get(soort), heel_getal(pk)
    return db.session.get(model, ident) if model and ident else None


# --- Changing ----------------------------------------------------------------------------


def maak_vraag(
    bronnen: list[InboxRij], *, titel: str, omschrijving: str, thema: Thema, door: User
) -> Leefbaarheidsvraag:
    """Create a vraag in the bronnen' wijk with them as its sources; logs it (flushes)."""
    wijk = wijk_van(bronnen)
    vraag = Leefbaarheidsvraag(
        wijk_code=wijk.code,
        titel=titel.strip(),
        omschrijving=omschrijving.strip(),
        thema=Thema(thema).value,
        status=VraagStatus.NIEUW.value,
    )
    for bron in bronnen:
        vraag.bronnen.append(VraagBron(bron_type=bron.soort, bron_id=bron.id, gekoppeld_door=door))
    db.session.add(vraag)
    db.session.flush()
    log("wijkagenda.vraag_aangemaakt", door=door, object_type=OBJECT, object_id=vraag.id,
        na=vraag.snapshot())
    return vraag


def koppel_bronnen(
    vraag: Leefbaarheidsvraag, bronnen: list[InboxRij], *, door: User
) -> list[VraagBron]:
    """Link items of the vraag's wijk to it; already linked ones are skipped (flushes)."""
    wijk = wijk_van(bronnen)
    if wijk.code != vraag.wijk_code:
        raise WijkagendaFout(
            f"Deze vraag hoort bij wijk {vraag.wijk.korte_naam}, de gekozen items liggen in wijk "
            f"{wijk.korte_naam}. Kies een vraag van dezelfde wijk."
        )
    voor = vraag.snapshot()
    al = {(b.bron_type, b.bron_id) for b in vraag.bronnen}
    nieuw = [
        VraagBron(bron_type=b.soort, bron_id=b.id, gekoppeld_door=door)
        for b in bronnen
        if (b.soort, b.id) not in al
    ]
    if not nieuw:
        return []
    vraag.bronnen.extend(nieuw)
    db.session.flush()
    log("wijkagenda.bron_gekoppeld", door=door, object_type=OBJECT, object_id=vraag.id,
        voor=voor, na=vraag.snapshot())
    return nieuw


def wijzig_vraag(
    vraag: Leefbaarheidsvraag,
    *,
    titel: str,
    omschrijving: str,
    thema: Thema,
    status: VraagStatus,
    eigenaar: Organisatie | User | None,
    door: User,
) -> bool:
    """Change text, theme, status and owner; refuses a status the table forbids (flushes).

    Returns whether anything changed; only a change is written to the audit log.
    """
    voor = vraag.snapshot()
    vraag.wijzig_status(VraagStatus(status))
    vraag.titel = titel.strip()
    vraag.omschrijving = omschrijving.strip()
    vraag.thema = Thema(thema).value
    vraag.eigenaar = eigenaar
    na = vraag.snapshot()
    if na == voor:
        return False
    db.session.flush()
    log("wijkagenda.vraag_gewijzigd", door=door, object_type=OBJECT, object_id=vraag.id,
        voor=voor, na=na)
    return True


def ontkoppel(bron: VraagBron, *, door: User) -> None:
    """Remove one bron from its vraag; logs it (flushes)."""
    vraag = bron.vraag
    voor = vraag.snapshot()
    vraag.bronnen.remove(bron)
    db.session.flush()
    log("wijkagenda.bron_ontkoppeld", door=door, object_type=OBJECT, object_id=vraag.id,
        voor=voor, na=vraag.snapshot())
