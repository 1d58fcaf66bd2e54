"""Quarters and years as the wijkbeeld counts them (Dutch local time), and the area asked for:
the gemeente, a wijk or one buurt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from participatie.extensions import db
from participatie.gebieden.models import Gemeente, Wijk
from participatie.gebieden.services import wijken
from participatie.referentie import referentie
from participatie.tijd import MAANDEN_KORT, vandaag

GEMEENTE, WIJK, BUURT = "gemeente", "wijk", "buurt"


def kwartaal_van(dag: date) -> date:
    """The first day of the quarter `dag` lies in."""
    return date(dag.year, 3 * ((dag.month - 1) // 3) + 1, 1)


def vorig_kwartaal(kwartaal: date, stappen: int = 1) -> date:
    maand = kwartaal.year * 12 + kwartaal.month - 1 - 3 * stappen
    return date(maand // 12, maand % 12 + 1, 1)


def laatste_kwartalen(aantal: int, dag: date | None = None) -> list[date]:
    """The quarter of `dag` (today) and the `aantal - 1` before it, oldest first."""
    nu = kwartaal_van(dag or vandaag())
    return [vorig_kwartaal(nu, stappen) for stappen in range(aantal - 1, -1, -1)]


def laatste_jaren(aantal: int, dag: date | None = None) -> list[int]:
    jaar = (dag or vandaag()).year
    return list(range(jaar - aantal + 1, jaar + 1))


def kwartaal_label(kwartaal: date) -> str:
    """'jul–sep 2026': plainer than 'K3 2026' for most readers."""
    eerste = MAANDEN_KORT[kwartaal.month - 1]
    laatste = MAANDEN_KORT[kwartaal.month + 1]
    return f"{eerste}–{laatste} {kwartaal.year}"


def kwartaal_kort(kwartaal: date) -> str:
    """'2026 K3', for chart axes and CSV files."""
    return f"{kwartaal.year} K{(kwartaal.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Gebied:
    """The area the figures are for. `wijk_code` is the wijk itself or the buurt's wijk."""

    niveau: str  # GEMEENTE, WIJK or BUURT
    code: str
    naam: str
    wijk_code: str | None
    gemeente_code: str

    @property
    def is_buurt(self) -> bool:
        return self.niveau == BUURT


@referentie("gemeente", "wijk")
def _gemeenten() -> dict[str, tuple[str, str]]:
    """wijk code -> (gemeente code, gemeente naam)."""
    return {code: (gm, naam) for code, gm, naam in db.session.execute(
        select(Wijk.code, Gemeente.code, Gemeente.naam).join(Gemeente))}


def gebied_van(wijk_code: str, buurt_code: str | None = None) -> Gebied | None:
    """The wijk (or one of its buurten); None when there is no such wijk or buurt."""
    wijk = next((w for w in wijken() if w.code == wijk_code), None)
    if wijk is None or wijk_code not in _gemeenten():
        return None
    gemeente_code = _gemeenten()[wijk_code][0]
    if buurt_code is None:
        return Gebied(WIJK, wijk.code, wijk.korte_naam, wijk.code, gemeente_code)
    buurt = next((b for b in wijk.buurten if b.code == buurt_code), None)
    if buurt is None:
        return None
    return Gebied(BUURT, buurt.code, buurt.naam, wijk.code, gemeente_code)


def gemeente_van(gebied: Gebied) -> Gebied:
    naam = next(n for gm, n in _gemeenten().values() if gm == gebied.gemeente_code)
    return Gebied(GEMEENTE, gebied.gemeente_code, naam, None, gebied.gemeente_code)


def wijk_codes_van_gemeente(gemeente_code: str) -> list[str]:
    return sorted(w for w, (gm, _naam) in _gemeenten().items() if gm == gemeente_code)
