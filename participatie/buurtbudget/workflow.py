"""The phases of a budgetronde and the statuses of an idee: one transition table each, and
the one check that every change (staff page, CLI, bulk) passes."""

from __future__ import annotations

import enum

from participatie.moderatie.inbox import ActieGeweigerd


class Fase(enum.StrEnum):
    INDIENEN = "indienen"
    BEOORDELEN = "beoordelen"
    STEMMEN = "stemmen"
    UITSLAG = "uitslag"
    UITVOERING = "uitvoering"

    @property
    def label(self) -> str:
        return FASE_LABELS[self]


FASE_LABELS = {
    Fase.INDIENEN: "Ideeën indienen",
    Fase.BEOORDELEN: "Beoordelen",
    Fase.STEMMEN: "Stemmen",
    Fase.UITSLAG: "Uitslag",
    Fase.UITVOERING: "Uitvoering",
}

# A round moves forward; before anyone has voted it may go back from beoordelen to indienen.
# Once voting has started there is no way back: votes are never thrown away.
FASE_TRANSITIES: dict[Fase, frozenset[Fase]] = {
    Fase.INDIENEN: frozenset({Fase.BEOORDELEN}),
    Fase.BEOORDELEN: frozenset({Fase.INDIENEN, Fase.STEMMEN}),
    Fase.STEMMEN: frozenset({Fase.UITSLAG}),
    Fase.UITSLAG: frozenset({Fase.UITVOERING}),
    Fase.UITVOERING: frozenset(),
}


class OngeldigeFase(ActieGeweigerd):
    def __init__(self, van: Fase, naar: Fase, reden: str = "") -> None:
        super().__init__(reden or f"Van '{van.label}' naar '{naar.label}' kan niet.")
        self.van, self.naar = van, naar


def controleer_fase(van: Fase, naar: Fase, *, heeft_stemmen: bool) -> None:
    """Refuse a phase change the table forbids, or one that would go back past votes."""
    if naar not in FASE_TRANSITIES[van]:
        raise OngeldigeFase(van, naar)
    if heeft_stemmen and list(Fase).index(naar) < list(Fase).index(Fase.STEMMEN):
        raise OngeldigeFase(van, naar, "Er is al gestemd; de ronde kan niet meer terug.")


class IdeeStatus(enum.StrEnum):
    INGEDIEND = "ingediend"
    VRAAG = "vraag"  # staff asked the submitter something
    GEPUBLICEERD = "gepubliceerd"
    HAALBAAR = "haalbaar"
    NIET_HAALBAAR = "niet_haalbaar"
    AFGEWEZEN = "afgewezen"
    SAMENGEVOEGD = "samengevoegd"

    @property
    def label(self) -> str:
        return IDEE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still needs staff: reviewing, publishing or a feasibility check."""
        return self in OPEN_IDEE


IDEE_LABELS = {
    IdeeStatus.INGEDIEND: "Ingediend",
    IdeeStatus.VRAAG: "Vraag aan indiener",
    IdeeStatus.GEPUBLICEERD: "Gepubliceerd",
    IdeeStatus.HAALBAAR: "Haalbaar",
    IdeeStatus.NIET_HAALBAAR: "Niet haalbaar",
    IdeeStatus.AFGEWEZEN: "Afgewezen",
    IdeeStatus.SAMENGEVOEGD: "Samengevoegd",
}
OPEN_IDEE = frozenset({IdeeStatus.INGEDIEND, IdeeStatus.VRAAG, IdeeStatus.GEPUBLICEERD})
OPEN_IDEE_WAARDEN: tuple[str, ...] = tuple(s.value for s in IdeeStatus if s in OPEN_IDEE)
# Visible to everyone on the round's page.
PUBLIEK_IDEE = frozenset({IdeeStatus.GEPUBLICEERD, IdeeStatus.HAALBAAR,
                          IdeeStatus.NIET_HAALBAAR, IdeeStatus.AFGEWEZEN})

IDEE_TRANSITIES: dict[IdeeStatus, frozenset[IdeeStatus]] = {
    IdeeStatus.INGEDIEND: frozenset({IdeeStatus.VRAAG, IdeeStatus.GEPUBLICEERD,
                                     IdeeStatus.AFGEWEZEN, IdeeStatus.SAMENGEVOEGD}),
    # The submitter's answer moves it back to ingediend.
    IdeeStatus.VRAAG: frozenset({IdeeStatus.INGEDIEND, IdeeStatus.GEPUBLICEERD,
                                 IdeeStatus.AFGEWEZEN, IdeeStatus.SAMENGEVOEGD}),
    IdeeStatus.GEPUBLICEERD: frozenset({IdeeStatus.HAALBAAR, IdeeStatus.NIET_HAALBAAR,
                                        IdeeStatus.AFGEWEZEN, IdeeStatus.SAMENGEVOEGD}),
    IdeeStatus.HAALBAAR: frozenset({IdeeStatus.NIET_HAALBAAR}),
    IdeeStatus.NIET_HAALBAAR: frozenset({IdeeStatus.HAALBAAR}),
    IdeeStatus.AFGEWEZEN: frozenset({IdeeStatus.GEPUBLICEERD}),
    IdeeStatus.SAMENGEVOEGD: frozenset(),
}
# The statuses whose `toelichting` is a public decision that residents read.
TOELICHTING_OPENBAAR = frozenset({IdeeStatus.HAALBAAR, IdeeStatus.NIET_HAALBAAR,
                                  IdeeStatus.AFGEWEZEN})
# These changes are public decisions: they need a reason the resident can read.
REDEN_VERPLICHT = frozenset({IdeeStatus.VRAAG, IdeeStatus.AFGEWEZEN, IdeeStatus.HAALBAAR,
                             IdeeStatus.NIET_HAALBAAR})


class OngeldigeIdeeOvergang(ActieGeweigerd):
    def __init__(self, van: IdeeStatus, naar: IdeeStatus, reden: str = "") -> None:
        super().__init__(reden or f"Van '{van.label}' naar '{naar.label}' kan niet.")
        self.van, self.naar = van, naar


def controleer_idee(van: IdeeStatus, naar: IdeeStatus, toelichting: str = "") -> None:
    """Refuse a status change the table forbids, or a public decision without its reason."""
    if naar not in IDEE_TRANSITIES[van]:
        raise OngeldigeIdeeOvergang(van, naar)
    if naar in REDEN_VERPLICHT and not toelichting.strip():
        raise OngeldigeIdeeOvergang(van, naar, f"Bij '{naar.label}' hoort een uitleg die de "
                                    "indiener en de buurt kunnen lezen.")


class IdeeActie(enum.StrEnum):
    """What can happen to an idea, by residents and by staff."""

    INDIENEN = "indienen"
    ANTWOORDEN = "antwoorden"  # the submitter answers a question
    PUBLICEREN = "publiceren"
    VRAGEN = "vragen"
    AFWIJZEN = "afwijzen"
    SAMENVOEGEN = "samenvoegen"
    HAALBAARHEID = "haalbaarheid"
    VOORTGANG = "voortgang"


_BEOORDELEN = frozenset({Fase.INDIENEN, Fase.BEOORDELEN})
# In which phases of its round each action on an idea makes sense: the one rule. Ideas are
# reviewed while they come in and during beoordelen; once voting has started the ideas on
# the ballot are what people vote on, so nothing changes them any more. Progress is posted
# once the outcome is known, on the ideas it funded (`Idee.gekozen`).
IDEE_ACTIE_FASEN: dict[IdeeActie, frozenset[Fase]] = {
    IdeeActie.INDIENEN: frozenset({Fase.INDIENEN}),
    IdeeActie.ANTWOORDEN: _BEOORDELEN,
    IdeeActie.PUBLICEREN: _BEOORDELEN,
    IdeeActie.VRAGEN: _BEOORDELEN,
    IdeeActie.AFWIJZEN: _BEOORDELEN,
    IdeeActie.SAMENVOEGEN: _BEOORDELEN,
    IdeeActie.HAALBAARHEID: _BEOORDELEN,
    IdeeActie.VOORTGANG: frozenset({Fase.UITSLAG, Fase.UITVOERING}),
}


class ActieNietInDezeFase(ActieGeweigerd):
    def __init__(self, actie: IdeeActie, fase: Fase) -> None:
        mogelijk = " of ".join(f"'{f.label.lower()}'" for f in Fase
                               if f in IDEE_ACTIE_FASEN[actie])
        super().__init__(f"Dit kan niet meer of nog niet: de ronde is in de fase "
                         f"'{fase.label.lower()}'. Het kan alleen in de fase {mogelijk}.")
        self.actie, self.fase = actie, fase


def mag_in_fase(actie: IdeeActie, fase: Fase) -> bool:
    return fase in IDEE_ACTIE_FASEN[actie]


def controleer_actie(actie: IdeeActie, fase: Fase) -> None:
    """Refuse an action on an idea that does not fit its round's phase."""
    if not mag_in_fase(actie, fase):
        raise ActieNietInDezeFase(actie, fase)


class UitvoeringStand(enum.StrEnum):
    """How far the work on a funded idea is (an IdeeUpdate of soort "voortgang")."""

    VOORBEREIDING = "voorbereiding"
    BEZIG = "bezig"
    VERTRAAGD = "vertraagd"
    KLAAR = "klaar"

    @property
    def label(self) -> str:
        return {UitvoeringStand.VOORBEREIDING: "In voorbereiding",
                UitvoeringStand.BEZIG: "Wordt uitgevoerd",
                UitvoeringStand.VERTRAAGD: "Vertraagd",
                UitvoeringStand.KLAAR: "Klaar"}[self]


class Stemwijze(enum.StrEnum):
    BUDGET = "budget"  # choose ideas whose total cost fits the budget
    KEUZE = "keuze"  # approve up to N ideas (or any number)

    @property
    def label(self) -> str:
        return {Stemwijze.BUDGET: "Kies ideeën binnen het budget",
                Stemwijze.KEUZE: "Kies de ideeën die u steunt"}[self]


class Regel(enum.StrEnum):
    MEESTE_STEMMEN = "meeste_stemmen"
    MES = "mes"  # Method of Equal Shares

    @property
    def label(self) -> str:
        return {Regel.MEESTE_STEMMEN: "Meeste stemmen",
                Regel.MES: "Gelijke delen (Method of Equal Shares)"}[self]
