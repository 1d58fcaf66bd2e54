"""A table of the wijkbeeld: what the page shows and what its CSV download holds, from one
definition, so the two can never disagree."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from participatie.enquetes.export import veilig
from participatie.tijd import datum_kort


class _TeWeinig:
    """A figure left out because fewer than DREMPEL people are behind it."""

    def __str__(self) -> str:
        return TE_WEINIG_TEKST


TE_WEINIG_TEKST = "te weinig om te tonen"
TE_WEINIG = _TeWeinig()
DREMPEL = 5  # the same as the enquêtes' results (enquetes.uitslag.DREMPEL)

# How a column's values are written: (decimals, suffix on the page).
SOORTEN = {"tekst": None, "aantal": (0, ""), "procent": (0, "%"), "dagen": (1, ""),
           "cijfer": (1, ""), "per1000": (1, ""), "geld": (0, "")}


def onderdruk(aantal: int | None) -> Any:
    """The count itself, or TE_WEINIG for 1 to DREMPEL-1 (0 says nothing about anyone)."""
    if aantal is not None and 0 < aantal < DREMPEL:
        return TE_WEINIG
    return aantal


@dataclass
class Kolom:
    titel: str
    soort: str = "aantal"


@dataclass
class Tabel:
    naam: str  # in the CSV's URL: /wijken/<code>/wijkbeeld/<naam>.csv
    titel: str
    kolommen: list[Kolom]
    rijen: list[list[Any]] = field(default_factory=list)
    toelichting: str = ""

    def tekst(self, waarde: Any, kolom: Kolom) -> str:
        """A value as the page shows it: Dutch decimal comma and thousands dot."""
        if waarde is None:
            return "–"
        if isinstance(waarde, date):
            return datum_kort(waarde)
        if waarde is TE_WEINIG or SOORTEN.get(kolom.soort) is None or isinstance(waarde, str):
            return str(waarde)
        decimalen, achter = SOORTEN[kolom.soort]
        tekst = f"{waarde:,.{decimalen}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        if kolom.soort == "geld":
            return f"€ {tekst}"
        return tekst + achter

    def csv_waarde(self, waarde: Any, kolom: Kolom) -> str:
        """A value in the CSV: plain numbers (decimal point), empty when unknown."""
        if waarde is None:
            return ""
        if waarde is TE_WEINIG:
            return TE_WEINIG_TEKST
        if isinstance(waarde, date):
            return waarde.isoformat()
        if isinstance(waarde, float):
            decimalen = (SOORTEN.get(kolom.soort) or (2, ""))[0]
            return f"{waarde:.{max(decimalen, 1)}f}"
        # Names (of ideas, surveys) are text a resident wrote: never a formula in a sheet.
        return veilig(waarde) if isinstance(waarde, str) else str(waarde)

    def als_csv(self) -> str:
        uit = io.StringIO()
        schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
        schrijver.writerow([k.titel for k in self.kolommen])
        for rij in self.rijen:
            schrijver.writerow([self.csv_waarde(w, k) for w, k in zip(rij, self.kolommen,
                                                                        strict=True)])
        return uit.getvalue()


@dataclass
class Sectie:
    """One part of the page: its heading, what the figures mean, charts and tables."""

    id: str
    titel: str
    uitleg: list[str] = field(default_factory=list)
    grafieken: list = field(default_factory=list)  # grafiek.Grafiek
    tabellen: list[Tabel] = field(default_factory=list)
