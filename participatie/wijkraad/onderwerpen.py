"""The three things a wijkraad reacts to, seen the same way: a leefbaarheidsvraag, the uitslag
of a budgetronde and the outcome of an enquête. Each is read through its own feature's model;
this module only says, per kind, its wijk, its title, whether a reaction is possible now and
where its pages are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.services import ronde_voor_slug
from participatie.buurtbudget.workflow import Fase
from participatie.enquetes.models import Enquete
from participatie.enquetes.workflow import EnqueteStatus
from participatie.extensions import db
from participatie.web import absolute_url, pad
from participatie.wijkagenda.models import Leefbaarheidsvraag
from participatie.wijkraad.models import OnderwerpSoort

SOORTEN = frozenset(s.value for s in OnderwerpSoort)
# A round's uitslag can be reacted to from the moment it is published.
UITSLAG_BEKEND = (Fase.UITSLAG, Fase.UITVOERING)


@dataclass(frozen=True)
class Onderwerp:
    soort: OnderwerpSoort
    object: Any  # the Leefbaarheidsvraag, Budgetronde or Enquete itself

    @property
    def id(self) -> int:
        return self.object.id

    @property
    def sleutel(self) -> tuple[str, int]:
        return self.soort.value, self.object.id

    @property
    def wijk_code(self) -> str:
        return self.object.wijk_code

    @property
    def titel(self) -> str:
        return self.object.naam if self.soort == OnderwerpSoort.BUDGETRONDE else \
            self.object.titel

    @property
    def wat(self) -> str:
        """What it is, for a sentence: "de leefbaarheidsvraag", "de uitslag van", …"""
        return {
            OnderwerpSoort.LEEFBAARHEIDSVRAAG: "de leefbaarheidsvraag",
            OnderwerpSoort.BUDGETRONDE: "de uitslag van",
            OnderwerpSoort.ENQUETE: "de uitkomsten van de enquête",
        }[self.soort]

    @property
    def beschrijving(self) -> str:
        """'de leefbaarheidsvraag ‘Afval bij de containers’', for B1 sentences."""
        return f"{self.wat} ‘{self.titel}’"

    @property
    def reageerbaar(self) -> bool:
        """Whether the wijkraad can react now: a vraag always, a result once published."""
        if self.soort == OnderwerpSoort.BUDGETRONDE:
            return self.object.fase_enum in UITSLAG_BEKEND
        if self.soort == OnderwerpSoort.ENQUETE:
            return (self.object.status_enum == EnqueteStatus.GESLOTEN
                    or self.object.samenvatting_openbaar)
        return True

    @property
    def nog_niet(self) -> str:
        """Why a reaction is not possible yet, for people."""
        if self.soort == OnderwerpSoort.BUDGETRONDE:
            return (f"De uitslag is er nog niet. U kunt reageren vanaf "
                    f"de fase ‘{Fase.UITSLAG.label}’.")
        return "De enquête loopt nog. U kunt reageren als de enquête gesloten is."

    def adres(self, welke: str) -> tuple[str, dict[str, Any], str]:
        """(endpoint, arguments, anchor) of one of the subject's pages: "pagina" (the
        wijkraad's page: the exchange and the forms), "reageren" (where its form posts),
        "openbaar" (where residents read the subject) or "beheer" (its own staff page; the
        wijkraad reads a survey's results there too)."""
        o, soort = self.object, self.soort
        ronde, enquete = soort == OnderwerpSoort.BUDGETRONDE, soort == OnderwerpSoort.ENQUETE
        if welke == "openbaar":
            if ronde:
                return "buurtbudget.uitslag_pagina", {"ronde": o.slug}, ""
            if enquete:
                return "wijkpagina.wijk", {"wijkcode": o.wijk_code}, f"#enquete-{o.id}"
            return "wijkagenda.agenda", {"wijkcode": o.wijk_code}, f"#vraag-{o.id}"
        if welke == "beheer":
            if ronde:
                return "buurtbudget.beheer_ronde", {"ronde": o.slug}, ""
            if enquete:
                return "enquetes.beheer_uitslag", {"enquete_id": o.id}, ""
            return "wijkagenda.bewerk", {"vraag_id": o.id}, ""
        achter = "reageer_op_" if welke == "reageren" else ""
        if ronde:
            return f"wijkraad.{achter}ronde", {"ronde": o.slug}, ""
        if enquete:
            return f"wijkraad.{achter}enquete", {"enquete_id": o.id}, ""
        return f"wijkraad.{achter}vraag", {"vraag_id": o.id}, ""

    def _pad(self, welke: str) -> str:
        endpoint, waarden, anker = self.adres(welke)
        return pad(endpoint, **waarden) + anker

    def link(self, welke: str = "pagina") -> str:
        """A page's full address, for an e-mail."""
        endpoint, waarden, anker = self.adres(welke)
        return absolute_url(endpoint, **waarden) + anker

    @property
    def pagina(self) -> str:
        return self._pad("pagina")

    @property
    def reageer_pagina(self) -> str:
        return self._pad("reageren")

    @property
    def openbare_pagina(self) -> str:
        return self._pad("openbaar")

    @property
    def beheer_pagina(self) -> str:
        return self._pad("beheer")


MODELLEN = {
    OnderwerpSoort.LEEFBAARHEIDSVRAAG: Leefbaarheidsvraag,
    OnderwerpSoort.BUDGETRONDE: Budgetronde,
    OnderwerpSoort.ENQUETE: Enquete,
}


def van(obj) -> Onderwerp:
    """The subject of a model object of one of the three kinds."""
    soort = next(s for s, model in MODELLEN.items() if isinstance(obj, model))
    return Onderwerp(soort, obj)


def laad(soort: str, ident: int | None) -> Onderwerp | None:
    """The subject, or None when it does not exist or belongs to no wijk (a survey for the
    whole gemeente has no wijkraad)."""
    if soort not in SOORTEN or ident is None:
        return None
    obj = db.session.get(MODELLEN[OnderwerpSoort(soort)], ident)
    if obj is None or not obj.wijk_code:
        return None
    return Onderwerp(OnderwerpSoort(soort), obj)


def ronde(slug: str) -> Onderwerp | None:
    obj = ronde_voor_slug(slug)
    return Onderwerp(OnderwerpSoort.BUDGETRONDE, obj) if obj is not None else None


def laad_veel(sleutels: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Onderwerp]:
    """Many subjects at once, one query per kind."""
    per_soort: dict[OnderwerpSoort, set[int]] = {}
    for soort, ident in sleutels:
        per_soort.setdefault(OnderwerpSoort(soort), set()).add(ident)
    uit = {}
    for soort, ids in per_soort.items():
        model = MODELLEN[soort]
        for obj in db.session.scalars(select(model).where(model.id.in_(ids))):
            uit[(soort.value, obj.id)] = Onderwerp(soort, obj)
    return uit


def resultaten(wijk_code: str) -> list[Onderwerp]:
    """The published results of a wijk a wijkraad can react to: rounds with a known uitslag
    and closed surveys (or with a published summary), newest first."""
    rondes = db.session.scalars(
        select(Budgetronde).where(Budgetronde.wijk_code == wijk_code,
                                  Budgetronde.fase.in_([f.value for f in UITSLAG_BEKEND]))
        .order_by(Budgetronde.uitslag_vanaf.desc(), Budgetronde.id.desc()))
    enquetes = db.session.scalars(
        select(Enquete).where(Enquete.wijk_code == wijk_code,
                              (Enquete.status == EnqueteStatus.GESLOTEN.value)
                              | Enquete.samenvatting_openbaar)
        .order_by(Enquete.sluit_op.desc(), Enquete.id.desc()))
    return [Onderwerp(OnderwerpSoort.BUDGETRONDE, r) for r in rondes] + [
        Onderwerp(OnderwerpSoort.ENQUETE, e) for e in enquetes]
