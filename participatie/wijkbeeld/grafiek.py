"""Light bar charts drawn on the server as inline SVG: the geometry is computed here, the
template (`wijkbeeld/_grafiek.html`) only writes it out. Every chart sits beside a table with
the same figures, and names itself and each bar for screen readers."""

from __future__ import annotations

from dataclasses import dataclass, field

BREEDTE, HOOGTE = 640, 220
LINKS, ONDER, BOVEN = 44, 28, 12  # room for the axis labels


@dataclass
class Staaf:
    x: float
    y: float
    breedte: float
    hoogte: float
    reeks: int  # 0 = this area, 1 = the gemeente
    titel: str  # read out and shown on hover: "jul–sep 2026, Noord: 12"


@dataclass
class Lijn:
    y: float
    label: str


@dataclass
class Grafiek:
    id: str
    titel: str
    beschrijving: str
    reeksen: list[str]
    staven: list[Staaf] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x, text) under the axis
    lijnen: list[Lijn] = field(default_factory=list)
    breedte: int = BREEDTE
    hoogte: int = HOOGTE


def _schaal(grootste: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least `grootste`."""
    if grootste <= 0:
        return 1.0
    macht = 1.0
    while macht * 10 < grootste:
        macht *= 10
    while macht > grootste * 10:
        macht /= 10
    for stap in (1, 2, 5, 10):
        if stap * macht >= grootste:
            return stap * macht
    return 10 * macht


def _getal(waarde: float, eenheid: str) -> str:
    tekst = f"{waarde:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{tekst}{eenheid}"


def _tekst(waarde, eenheid: str) -> str:
    if waarde is None:
        return "onbekend"
    return _getal(waarde, eenheid) if isinstance(waarde, int | float) else str(waarde)


def staafgrafiek(id: str, titel: str, groepen: list[tuple[str, list]],
                 reeksen: list[str], *, eenheid: str = "", bovengrens: float | None = None,
                 korte_labels: list[str] | None = None) -> Grafiek:
    """Bars per group (a quarter, a year), one per series (this area, the gemeente).
    A value None (or "te weinig om te tonen") draws no bar and says so."""
    waarden = [w for _label, reeks in groepen for w in reeks if isinstance(w, int | float)]
    top = bovengrens or _schaal(max(waarden, default=0))
    binnen_b, binnen_h = BREEDTE - LINKS - 8, HOOGTE - ONDER - BOVEN
    vak = binnen_b / max(len(groepen), 1)
    staaf_b = min(28.0, vak * 0.8 / max(len(reeksen), 1))
    grafiek = Grafiek(id=id, titel=titel, reeksen=reeksen, beschrijving="")
    delen = []
    for i, (label, reeks) in enumerate(groepen):
        begin = LINKS + i * vak + (vak - staaf_b * len(reeks)) / 2
        for r, waarde in enumerate(reeks):
            tekst = _tekst(waarde, eenheid)
            hoogte = (binnen_h * min(waarde, top) / top if isinstance(waarde, int | float)
                      else 0.0)
            grafiek.staven.append(Staaf(
                x=round(begin + r * staaf_b, 1), y=round(BOVEN + binnen_h - hoogte, 1),
                breedte=round(staaf_b - 2, 1), hoogte=round(hoogte, 1), reeks=r,
                titel=f"{label}, {reeksen[r]}: {tekst}"))
        kort = korte_labels[i] if korte_labels else label
        grafiek.labels.append((round(LINKS + i * vak + vak / 2, 1), kort))
        delen.append(f"{label}: " + ", ".join(
            f"{reeksen[r]} {_tekst(w, eenheid)}"
            for r, w in enumerate(reeks)))
    for deel in (0, 0.5, 1):
        grafiek.lijnen.append(Lijn(round(BOVEN + binnen_h * (1 - deel), 1),
                                   _getal(top * deel, eenheid)))
    grafiek.beschrijving = f"{titel}. " + "; ".join(delen) + "."
    return grafiek
