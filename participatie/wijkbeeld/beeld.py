"""The whole wijkbeeld of a wijk or buurt: its parts in the page's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participatie.tijd import vandaag
from participatie.wijkbeeld import (
    deel_actief,
    deel_agenda,
    deel_buurtbudget,
    deel_enquetes,
    deel_meldingen,
)
from participatie.wijkbeeld.context import Context, maak_context
from participatie.wijkbeeld.perioden import Gebied
from participatie.wijkbeeld.tabel import Sectie, Tabel

DELEN = (deel_meldingen, deel_buurtbudget, deel_enquetes, deel_actief, deel_agenda)


@dataclass
class Wijkbeeld:
    context: Context
    secties: list[Sectie]

    @property
    def tabellen(self) -> dict[str, Tabel]:
        return {t.naam: t for s in self.secties for t in s.tabellen}


def maak(gebied: Gebied, dag: date | None = None) -> Wijkbeeld:
    ctx = maak_context(gebied, dag or vandaag())
    return Wijkbeeld(ctx, [deel.sectie(ctx) for deel in DELEN])
