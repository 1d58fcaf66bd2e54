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
