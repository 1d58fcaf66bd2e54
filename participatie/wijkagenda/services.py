"""Plain functions that read and change the wijkagenda. They flush; the view commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from participatie.accounts.models import Organisatie, Rol, User, user_wijk
from participatie.audit import log
from participatie.extensions import db
from participatie.gebieden.models import Wijk
from participatie.meldingen.models import Contact, Melding
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
    steun = dict(
        db.session.execute(
            select(Contact.melding_id, func.count())
            .where(Contact.melding_id.in_(ids), Contact.soort == Contact.STEUN)
            .group_by(Contact.melding_id)
        ).all()
    ) if ids else {}
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


def vragen_voor_melding(melding_id: int) -> list[Leefbaarheidsvraag]:
    """The leefbaarheidsvragen a melding is linked to (for the inbox)."""
    return list(
        db.session.scalars(
            select(Leefbaarheidsvraag)
            .join(VraagBron)
            .where(VraagBron.bron_type == BronType.MELDING, VraagBron.bron_id == melding_id)
            .order_by(Leefbaarheidsvraag.id)
        )
    )


def vragen_van_wijken(wijk_codes: Iterable[str] | None) -> list[Leefbaarheidsvraag]:
    """All vragen of the given wijken (None: every wijk), per wijk, open ones first."""
    query = select(Leefbaarheidsvraag).options(selectinload(Leefbaarheidsvraag.wijk))
    if wijk_codes is not None:
        query = query.where(Leefbaarheidsvraag.wijk_code.in_(list(wijk_codes)))
    open_eerst = Leefbaarheidsvraag.status.in_([s.value for s in OPEN_VRAAG]).desc()
    return list(db.session.scalars(
        query.order_by(Leefbaarheidsvraag.wijk_code, open_eerst, Leefbaarheidsvraag.titel)
    ))


def gekozen_meldingen(ids: Iterable[int]) -> list[Melding]:
    """The meldingen of a selection, in id order; refuses an empty or unknown selection."""
    ids = sorted(set(ids))
    if not ids:
        raise WijkagendaFout("Kies minstens één melding.")
    if len(ids) > MAX_SELECTIE:
        raise WijkagendaFout(f"Kies hoogstens {MAX_SELECTIE} meldingen tegelijk.")
    meldingen = list(
        db.session.scalars(
            select(Melding)
            .where(Melding.id.in_(ids))
            .order_by(Melding.id)
            .options(selectinload(Melding.categorie), selectinload(Melding.wijk))
        )
    )
    if len(meldingen) != len(ids):
        raise WijkagendaFout("Een of meer gekozen meldingen bestaan niet (meer).")
    return meldingen


def wijk_van(meldingen: list[Melding]) -> Wijk:
    """The one wijk of a selection; refuses meldingen from more than one wijk."""
    wijken = {m.wijk_code: m.wijk for m in meldingen}
    if len(wijken) != 1:
        namen = sorted(w.korte_naam for w in wijken.values())
        raise WijkagendaFout(
            "U koos meldingen uit verschillende wijken (" + ", ".join(namen) + "). "
            "Een leefbaarheidsvraag hoort bij één wijk. Kies alleen meldingen uit één wijk."
        )
    return next(iter(wijken.values()))


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
    if not pk.isdigit():
        return None
    model = {"organisatie": Organisatie, "gebruiker": User}.get(soort)
    return db.session.get(model, int(pk)) if model else None


# --- Changing ----------------------------------------------------------------------------


def maak_vraag(
    meldingen: list[Melding], *, titel: str, omschrijving: str, thema: Thema, door: User
) -> Leefbaarheidsvraag:
    """Create a vraag in the meldingen' wijk with them as bronnen; logs it (flushes)."""
    wijk = wijk_van(meldingen)
    vraag = Leefbaarheidsvraag(
        wijk_code=wijk.code,
        titel=titel.strip(),
        omschrijving=omschrijving.strip(),
        thema=Thema(thema).value,
        status=VraagStatus.NIEUW.value,
    )
    for melding in meldingen:
        vraag.bronnen.append(
            VraagBron(bron_type=BronType.MELDING.value, bron_id=melding.id, gekoppeld_door=door)
        )
    db.session.add(vraag)
    db.session.flush()
    log("wijkagenda.vraag_aangemaakt", door=door, object_type=OBJECT, object_id=vraag.id,
        na=vraag.snapshot())
    return vraag


def koppel_meldingen(
    vraag: Leefbaarheidsvraag, meldingen: list[Melding], *, door: User
) -> list[VraagBron]:
    """Link meldingen of the vraag's wijk to it; already linked ones are skipped (flushes)."""
    wijk = wijk_van(meldingen)
    if wijk.code != vraag.wijk_code:
        raise WijkagendaFout(
            f"Deze vraag hoort bij wijk {vraag.wijk.korte_naam}, de meldingen liggen in wijk "
            f"{wijk.korte_naam}. Kies een vraag van dezelfde wijk."
        )
    voor = vraag.snapshot()
    al = set(vraag.melding_ids())
    nieuw = [
        VraagBron(bron_type=BronType.MELDING.value, bron_id=m.id, gekoppeld_door=door)
        for m in meldingen
        if m.id not in al
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
