"""The statuses of a melding, the one table of allowed transitions, and the one check on it.

`controleer_overgang` is what every status change passes, single or bulk, by staff or by
the resident's answer; `kolommen_na` is what a change writes to the melding's columns.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from participatie.moderatie.inbox import ActieGeweigerd


class Status(enum.StrEnum):
    GEMELD = "gemeld"
    IN_BEHANDELING = "in_behandeling"
    INGEPLAND = "ingepland"
    DOORGEZET = "doorgezet"
    REACTIE_GEVRAAGD = "reactie_gevraagd"
    REACTIE_ONTVANGEN = "reactie_ontvangen"
    AFGEHANDELD = "afgehandeld"
    GEANNULEERD = "geannuleerd"
    HEROPEND = "heropend"
    SAMENGEVOEGD = "samengevoegd"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in GESLOTEN


LABELS = {
    Status.GEMELD: "Gemeld",
    Status.IN_BEHANDELING: "In behandeling",
    Status.INGEPLAND: "Ingepland",
    Status.DOORGEZET: "Doorgezet naar partner",
    Status.REACTIE_GEVRAAGD: "Reactie gevraagd",
    Status.REACTIE_ONTVANGEN: "Reactie ontvangen",
    Status.AFGEHANDELD: "Afgehandeld",
    Status.GEANNULEERD: "Geannuleerd",
    Status.HEROPEND: "Heropend",
    Status.SAMENGEVOEGD: "Samengevoegd",
}

GESLOTEN = frozenset({Status.AFGEHANDELD, Status.GEANNULEERD, Status.SAMENGEVOEGD})
OPEN = frozenset(Status) - GESLOTEN
# The open statuses in a fixed order, for SQL: the partial index on open meldingen
# (migration 0005) has exactly this list as its predicate, so queries must use it too.
OPEN_WAARDEN: tuple[str, ...] = tuple(s.value for s in Status if s in OPEN)

# Statuses that a staff member may only set together with a message to the resident.
BERICHT_VERPLICHT = frozenset({Status.AFGEHANDELD, Status.GEANNULEERD, Status.HEROPEND})

_WERK = {
    Status.IN_BEHANDELING,
    Status.INGEPLAND,
    Status.DOORGEZET,
    Status.REACTIE_GEVRAAGD,
    Status.AFGEHANDELD,
    Status.GEANNULEERD,
}

TRANSITIES: dict[Status, frozenset[Status]] = {
    Status.GEMELD: frozenset(_WERK | {Status.SAMENGEVOEGD}),
    Status.IN_BEHANDELING: frozenset(_WERK - {Status.IN_BEHANDELING} | {Status.SAMENGEVOEGD}),
    Status.INGEPLAND: frozenset(_WERK - {Status.INGEPLAND}),
    Status.DOORGEZET: frozenset(_WERK - {Status.DOORGEZET}),
    # Only the resident's answer (or staff giving up on it) ends a question.
    Status.REACTIE_GEVRAAGD: frozenset(
        {Status.REACTIE_ONTVANGEN, Status.IN_BEHANDELING, Status.AFGEHANDELD,
         Status.GEANNULEERD}
    ),
    Status.REACTIE_ONTVANGEN: frozenset(_WERK),
    Status.AFGEHANDELD: frozenset({Status.HEROPEND}),
    Status.GEANNULEERD: frozenset({Status.HEROPEND}),
    Status.HEROPEND: frozenset(_WERK | {Status.SAMENGEVOEGD}),
    Status.SAMENGEVOEGD: frozenset(),
}


class OngeldigeOvergang(ActieGeweigerd):
    """A status change that the table, or its required message, does not allow."""

    def __init__(self, van: Status, naar: Status, reden: str = "") -> None:
        super().__init__(reden or f"Van '{van.label}' naar '{naar.label}' kan niet.")
        self.van = van
        self.naar = naar


def mag_naar(van: Status, naar: Status) -> bool:
    return naar in TRANSITIES[van]


def controleer_overgang(van: Status, naar: Status, bericht: str = "") -> None:
    """Refuse (OngeldigeOvergang) a change the table forbids or that lacks its message."""
    if not mag_naar(van, naar):
        raise OngeldigeOvergang(van, naar)
    if naar in BERICHT_VERPLICHT and not bericht.strip():
        raise OngeldigeOvergang(van, naar, f"Bij '{naar.label}' hoort een bericht aan de "
                                "melder. Schrijf wat er is gebeurd.")
    if naar == Status.REACTIE_GEVRAAGD and not bericht.strip():
        raise OngeldigeOvergang(van, naar, "Schrijf de vraag aan de melder in het bericht.")


def kolommen_na(naar: Status) -> dict:
    """The melding's columns after a change to `naar` (one UPDATE sets them for many)."""
    waarden = {"status": naar.value,
               "gesloten_op": datetime.now(UTC) if not naar.is_open else None}
    if naar == Status.HEROPEND:
        waarden["heropen_verzoek"] = False
    return waarden
