"""What every part of one wijkbeeld shares: the area, the gemeente beside it, the periods,
and the population figures (CBS kerncijfers) when they were imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from participatie.gebieden.services import wijken
from participatie.wijkbeeld.kerncijfers import inwoners_in, inwoners_per_jaar
from participatie.wijkbeeld.perioden import (
    Gebied,
    gemeente_van,
    laatste_jaren,
    laatste_kwartalen,
    wijk_codes_van_gemeente,
)

KWARTALEN = 8  # per quarter: the last two years
JAREN = 5  # per year: this one and the four before
RECENT = 4  # "het afgelopen jaar": this quarter and the three before


def per_1000(aantal: float | None, inwoners: int | None) -> float | None:
    if aantal is None or not inwoners:
        return None
    return 1000 * aantal / inwoners


@dataclass
class Context:
    gebied: Gebied
    gemeente: Gebied
    vandaag: date
    buurten: list[tuple[str, str]]  # (code, naam) of the wijk; the one buurt when asked
    inwoners_per_jaar: dict[str, dict[int, int]] = field(default_factory=dict)
    # How many areas of this level the gemeente has: its total / this = the average area.
    aantal_gebieden: int = 1

    @property
    def kwartalen(self) -> list[date]:
        return laatste_kwartalen(KWARTALEN, self.vandaag)

    @property
    def recente_kwartalen(self) -> list[date]:
        return laatste_kwartalen(RECENT, self.vandaag)

    @property
    def jaren(self) -> list[int]:
        return laatste_jaren(JAREN, self.vandaag)

    @property
    def vijf_jaar(self) -> list[date]:
        """Every quarter of the years shown, oldest first (one read for quarters and years)."""
        return laatste_kwartalen(4 * (JAREN - 1) + (self.vandaag.month - 1) // 3 + 1,
                                 self.vandaag)

    def inwoners(self, code: str, jaar: int | None = None) -> int | None:
        gevonden = inwoners_in(self.inwoners_per_jaar.get(code), jaar or self.vandaag.year)
        return gevonden[1] if gevonden else None

    def cbs_jaar(self, code: str) -> int | None:
        gevonden = inwoners_in(self.inwoners_per_jaar.get(code), self.vandaag.year)
        return gevonden[0] if gevonden else None

    @property
    def met_inwoners(self) -> bool:
        """Per 1,000 inwoners only when CBS gave figures for both this area and the gemeente."""
        return bool(self.inwoners(self.gebied.code) and self.inwoners(self.gemeente.code))

    @property
    def gemiddeld_label(self) -> str:
        return "gemiddeld per buurt" if self.gebied.is_buurt else "gemiddeld per wijk"

    def vergelijk(self, aantal: int, gemeente_aantal: int, jaar: int | None = None,
                  ) -> tuple[float | None, float | None]:
        """(this area, the gemeente) in the same unit: per 1,000 inwoners when known, else
        (None, the gemeente's average per wijk or buurt)."""
        if self.met_inwoners:
            return (per_1000(aantal, self.inwoners(self.gebied.code, jaar)),
                    per_1000(gemeente_aantal, self.inwoners(self.gemeente.code, jaar)))
        return None, gemeente_aantal / self.aantal_gebieden


def maak_context(gebied: Gebied, vandaag: date) -> Context:
    gemeente = gemeente_van(gebied)
    wijk = next(w for w in wijken() if w.code == gebied.wijk_code)
    buurten = [(b.code, b.naam) for b in wijk.buurten
               if not gebied.is_buurt or b.code == gebied.code]
    wijk_codes = wijk_codes_van_gemeente(gemeente.code)
    if gebied.is_buurt:
        aantal = sum(len(w.buurten) for w in wijken() if w.code in wijk_codes)
    else:
        aantal = len(wijk_codes)
    codes = {gebied.code, gemeente.code, *(c for c, _n in buurten)}
    return Context(gebied=gebied, gemeente=gemeente, vandaag=vandaag, buurten=buurten,
                   inwoners_per_jaar=inwoners_per_jaar(codes), aantal_gebieden=max(aantal, 1))
