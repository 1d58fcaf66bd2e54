"""The states of an enquête and of an open answer in the inbox: one transition table each,
and the kinds of question. Every change (staff page, CLI, demo) passes these checks."""

from __future__ import annotations

import enum

from participatie.moderatie.inbox import ActieGeweigerd


class EnqueteStatus(enum.StrEnum):
    CONCEPT = "concept"
    OPEN = "open"
    GESLOTEN = "gesloten"

    @property
    def label(self) -> str:
        return {EnqueteStatus.CONCEPT: "Concept", EnqueteStatus.OPEN: "Open",
                EnqueteStatus.GESLOTEN: "Gesloten"}[self]


# A survey is drafted, opened and closed; a closed survey may open again (a late letter),
# never go back to concept: its answers would then be changed under the results.
ENQUETE_TRANSITIES: dict[EnqueteStatus, frozenset[EnqueteStatus]] = {
    EnqueteStatus.CONCEPT: frozenset({EnqueteStatus.OPEN}),
    EnqueteStatus.OPEN: frozenset({EnqueteStatus.GESLOTEN}),
    EnqueteStatus.GESLOTEN: frozenset({EnqueteStatus.OPEN}),
}


class OngeldigeEnqueteOvergang(ActieGeweigerd):
    def __init__(self, van: EnqueteStatus, naar: EnqueteStatus) -> None:
        super().__init__(f"Van '{van.label}' naar '{naar.label}' kan niet.")
        self.van, self.naar = van, naar


def controleer_enquete(van: EnqueteStatus, naar: EnqueteStatus) -> None:
    """Refuse a state change the table forbids."""
    if naar not in ENQUETE_TRANSITIES[van]:
        raise OngeldigeEnqueteOvergang(van, naar)


class VraagType(enum.StrEnum):
    EEN_KEUZE = "een_keuze"
    MEER_KEUZES = "meer_keuzes"
    SCHAAL = "schaal"  # 1-5
    CIJFER = "cijfer"  # 1-10
    JA_NEE = "ja_nee"
    OPEN = "open"
    PLEK = "plek"

    @property
    def label(self) -> str:
        return VRAAG_LABELS[self]

    @property
    def met_opties(self) -> bool:
        return self in (VraagType.EEN_KEUZE, VraagType.MEER_KEUZES)

    @property
    def bereik(self) -> tuple[int, int] | None:
        """The whole numbers a scale answer can take."""
        return {VraagType.SCHAAL: (1, 5), VraagType.CIJFER: (1, 10),
                VraagType.JA_NEE: (0, 1)}.get(self)


VRAAG_LABELS = {
    VraagType.EEN_KEUZE: "Eén keuze",
    VraagType.MEER_KEUZES: "Meerdere keuzes",
    VraagType.SCHAAL: "Schaal 1 tot 5",
    VraagType.CIJFER: "Rapportcijfer 1 tot 10",
    VraagType.JA_NEE: "Ja of nee",
    VraagType.OPEN: "Open tekst",
    VraagType.PLEK: "Plek op de kaart",
}
# Questions whose answer can be the condition for showing a later question.
VOORWAARDE_TYPES = frozenset({VraagType.EEN_KEUZE, VraagType.MEER_KEUZES, VraagType.JA_NEE})

# Measures that can be followed across surveys and years (a question's `indicator`).
INDICATOREN = {
    "veiligheidsbeleving": "Veiligheidsbeleving",
    "tevredenheid_woonomgeving": "Tevredenheid met de woonomgeving",
    "actief_in_buurt": "Actief in de buurt",
    "contact_met_buren": "Contact met buren",
    "schoon_en_heel": "Schoon en heel",
}


class AntwoordStatus(enum.StrEnum):
    """An open answer in the inbox."""

    NIEUW = "nieuw"
    BEANTWOORD = "beantwoord"  # staff replied by e-mail
    AFGEHANDELD = "afgehandeld"  # read, nothing more to do
    VERBORGEN = "verborgen"  # left out of the results (abusive, personal data)

    @property
    def label(self) -> str:
        return {AntwoordStatus.NIEUW: "Nieuw", AntwoordStatus.BEANTWOORD: "Beantwoord",
                AntwoordStatus.AFGEHANDELD: "Afgehandeld",
                AntwoordStatus.VERBORGEN: "Verborgen"}[self]


ANTWOORD_TRANSITIES: dict[AntwoordStatus, frozenset[AntwoordStatus]] = {
    AntwoordStatus.NIEUW: frozenset({AntwoordStatus.BEANTWOORD, AntwoordStatus.AFGEHANDELD,
                                     AntwoordStatus.VERBORGEN}),
    AntwoordStatus.BEANTWOORD: frozenset({AntwoordStatus.BEANTWOORD,
                                          AntwoordStatus.AFGEHANDELD,
                                          AntwoordStatus.VERBORGEN}),
    AntwoordStatus.AFGEHANDELD: frozenset({AntwoordStatus.NIEUW, AntwoordStatus.BEANTWOORD,
                                           AntwoordStatus.VERBORGEN}),
    AntwoordStatus.VERBORGEN: frozenset({AntwoordStatus.NIEUW}),
}
OPEN_ANTWOORD_WAARDEN: tuple[str, ...] = (AntwoordStatus.NIEUW.value,)


class OngeldigeAntwoordOvergang(ActieGeweigerd):
    def __init__(self, van: AntwoordStatus, naar: AntwoordStatus) -> None:
        super().__init__(f"Van '{van.label}' naar '{naar.label}' kan niet.")


def controleer_antwoord(van: AntwoordStatus, naar: AntwoordStatus) -> None:
    if naar not in ANTWOORD_TRANSITIES[van]:
        raise OngeldigeAntwoordOvergang(van, naar)
