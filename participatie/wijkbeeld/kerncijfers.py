"""CBS's *Kerncijfers wijken en buurten*: read the CSV as CBS publishes it, and look up the
number of inwoners of an area in a year.

The file is StatLine's export: semicolon-separated, values in double quotes, codes padded
with spaces ("BU01640202  "), column names with a number that changes from year to year
(`AantalInwoners_5`, `HuishoudensTotaal_28` or `_29`), and "." for a figure CBS does not know
or keeps secret. Every year is its own CBS table, so the year comes from `--jaar`, a
`Perioden` column ("2024JJ00") or the table's number or year in the file name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from participatie.extensions import db
from participatie.gebieden.models import Buurt, Gemeente, Wijk
from participatie.wijkbeeld.models import Kerncijfer

CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
ONBEKEND = {".", ""}
# CBS's table number per year of the kerncijfers, for files named after the table.
TABELLEN = {"84286NED": 2018, "84583NED": 2019, "84799NED": 2020, "85039NED": 2021,
            "85318NED": 2022, "85618NED": 2023, "85984NED": 2024, "86165NED": 2025}
EERSTE_JAAR, LAATSTE_JAAR = 1990, 2100


class KerncijferFout(ValueError):
    """A file that cannot be imported; the message says which line and why, in Dutch."""


@dataclass
class Regel:
    regel: int
    code: str
    naam: str
    inwoners: int | None
    huishoudens: int | None


@dataclass
class Resultaat:
    jaar: int
    ingelezen: int = 0
    vervangen: int = 0  # rows of this year that were there before
    onbekend: list[str] = field(default_factory=list)  # codes not in our gebieden


def _kolom(naam: str) -> str:
    """'AantalInwoners_5' -> 'AantalInwoners'; surrounding spaces and a BOM removed."""
    return re.sub(r"_\d+$", "", naam.strip().lstrip("\ufeff").strip())


def _getal(tekst: str, kolom: str, regel: int) -> int | None:
    waarde = tekst.strip().replace(" ", "")
    if waarde in ONBEKEND:
        return None
    if not waarde.isdigit():
        raise KerncijferFout(f"Regel {regel}: {kolom} is '{tekst.strip()}'; dat is geen heel "
                             "getal (CBS schrijft een punt als het getal onbekend is).")
    return int(waarde)


def _jaar_uit(perioden: str, regel: int) -> int:
    gevonden = re.match(r"^(\d{4})", perioden.strip())
    if not gevonden:
        raise KerncijferFout(f"Regel {regel}: Perioden is '{perioden.strip()}'; daar staat "
                             "geen jaar in.")
    return int(gevonden.group(1))


def jaar_uit_naam(bestandsnaam: str) -> int | None:
    """The year from a file name with CBS's table number or a year in it."""
    for tabel, jaar in TABELLEN.items():
        if tabel.lower() in bestandsnaam.lower():
            return jaar
    jaren = re.findall(r"(?<!\d)(20\d{2})(?!\d)", Path(bestandsnaam).name)
    return int(jaren[0]) if jaren else None


def lees(tekst: str) -> tuple[int | None, list[Regel]]:
    """Parse the CSV (KerncijferFout naming the line); returns (year from Perioden, rows)."""
    rijen = list(csv.reader(io.StringIO(tekst.lstrip("\ufeff")), delimiter=";"))
    if not rijen or not any(c.strip() for c in rijen[0]):
        raise KerncijferFout("Regel 1: het bestand is leeg.")
    kolommen = [_kolom(k) for k in rijen[0]]
    if len(kolommen) == 1 and "," in rijen[0][0]:
        raise KerncijferFout("Regel 1: de kolommen zijn gescheiden door komma's. Gebruik het "
                             "bestand zoals CBS het publiceert, met puntkomma's.")
    plek = {naam: i for i, naam in reversed(list(enumerate(kolommen)))}
    code_kolom = plek.get("Codering", plek.get("WijkenEnBuurten"))
    if code_kolom is None or "AantalInwoners" not in plek:
        ontbreekt = "Codering" if code_kolom is None else "AantalInwoners"
        raise KerncijferFout(f"Regel 1: de kolom {ontbreekt} ontbreekt. Is dit het CSV-bestand "
                             "van CBS Kerncijfers wijken en buurten?")
    jaren: set[int] = set()
    uit: list[Regel] = []
    gezien: dict[str, int] = {}
    for nummer, rij in enumerate(rijen[1:], start=2):
        if not any(c.strip() for c in rij):
            continue
        if len(rij) != len(kolommen):
            raise KerncijferFout(f"Regel {nummer}: {len(rij)} waarden, maar de kopregel heeft "
                                 f"{len(kolommen)} kolommen.")
        code = rij[code_kolom].strip()
        if not CODE.match(code):
            raise KerncijferFout(f"Regel {nummer}: '{code}' is geen CBS-code van een gemeente "
                                 "(GM), wijk (WK) of buurt (BU).")
        if code in gezien:
            raise KerncijferFout(f"Regel {nummer}: {code} stond al op regel {gezien[code]}.")
        gezien[code] = nummer
        if "Perioden" in plek:
            jaren.add(_jaar_uit(rij[plek["Perioden"]], nummer))
        naam = rij[plek["WijkenEnBuurten"]].strip() if "WijkenEnBuurten" in plek else ""
        uit.append(Regel(
            regel=nummer, code=code, naam="" if CODE.match(naam) else naam[:120],
            inwoners=_getal(rij[plek["AantalInwoners"]], "AantalInwoners", nummer),
            huishoudens=_getal(rij[plek["HuishoudensTotaal"]], "HuishoudensTotaal", nummer)
            if "HuishoudensTotaal" in plek else None))
    if not uit:
        raise KerncijferFout("Regel 2: er staan geen cijfers in het bestand, alleen een "
                             "kopregel.")
    if len(jaren) > 1:
        genoemd = ", ".join(str(j) for j in sorted(jaren))
        raise KerncijferFout(f"De kolom Perioden noemt meer dan één jaar ({genoemd}). "
                             "Importeer één jaar tegelijk.")
    return (jaren.pop() if jaren else None), uit


def importeer(tekst: str, *, jaar: int | None = None, bestandsnaam: str = "") -> Resultaat:
    """Replace the kerncijfers of the file's year by the file's rows for our own gemeente,
    wijken and buurten (flushes). Raises KerncijferFout before anything is written."""
    uit_bestand, regels = lees(tekst)
    if jaar is not None and uit_bestand is not None and jaar != uit_bestand:
        raise KerncijferFout(f"U gaf jaar {jaar} op, maar het bestand gaat over {uit_bestand}.")
    jaar = jaar or uit_bestand or jaar_uit_naam(bestandsnaam)
    if jaar is None:
        raise KerncijferFout("Uit het bestand blijkt niet over welk jaar het gaat. Geef het "
                             "jaar op met --jaar (CBS maakt elk jaar een eigen tabel).")
    if not EERSTE_JAAR <= jaar <= LAATSTE_JAAR:
        raise KerncijferFout(f"{jaar} is geen jaar waarover CBS kerncijfers heeft.")
    bekend = set(db.session.scalars(select(Gemeente.code))) | set(
        db.session.scalars(select(Wijk.code))) | set(db.session.scalars(select(Buurt.code)))
    resultaat = Resultaat(jaar)
    mee = [r for r in regels if r.code in bekend]
    resultaat.onbekend = [r.code for r in regels if r.code not in bekend]
    if not mee:
        raise KerncijferFout("Geen van de codes in het bestand hoort bij een gemeente, wijk of "
                             "buurt die hier bekend is. Importeer eerst de grenzen "
                             "(flask gebieden import).")
    resultaat.vervangen = db.session.execute(
        delete(Kerncijfer).where(Kerncijfer.jaar == jaar)).rowcount
    db.session.add_all(Kerncijfer(jaar=jaar, gebied_code=r.code, naam=r.naam,
                                  inwoners=r.inwoners, huishoudens=r.huishoudens) for r in mee)
    db.session.flush()
    resultaat.ingelezen = len(mee)
    return resultaat


def inwoners_per_jaar(codes: Iterable[str]) -> dict[str, dict[int, int]]:
    """code -> {year: inwoners} for the years CBS gave a number."""
    uit: dict[str, dict[int, int]] = {}
    for code, jaar, inwoners in db.session.execute(
            select(Kerncijfer.gebied_code, Kerncijfer.jaar, Kerncijfer.inwoners)
            .where(Kerncijfer.gebied_code.in_(list(codes)), Kerncijfer.inwoners.is_not(None))):
        uit.setdefault(code, {})[jaar] = inwoners
    return uit


def inwoners_in(per_jaar: dict[int, int] | None, jaar: int) -> tuple[int, int] | None:
    """(year used, inwoners) for `jaar`: that year's figure, else the latest before it, else
    the earliest after it; None when CBS gave none."""
    if not per_jaar:
        return None
    eerder = [j for j in per_jaar if j <= jaar]
    gekozen = max(eerder) if eerder else min(per_jaar)
    return gekozen, per_jaar[gekozen]
