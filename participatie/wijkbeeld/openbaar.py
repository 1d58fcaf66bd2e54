"""What the public wijk page may show of the meldingen figures: counts per thema, how many
were handled and how many of those within their termijn. No figures per buurt and nothing
about people, so nothing here needs the small-number rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participatie.tijd import vandaag
from participatie.wijkbeeld import meldingen
from participatie.wijkbeeld.meldingen import Meldingcijfers, ThemaRegel
from participatie.wijkbeeld.perioden import gebied_van, laatste_kwartalen

KWARTALEN_IN_JAAR = 4


@dataclass
class MeldingenOverzicht:
    """The meldingen of a wijk from `van` (the first day of the quarter three quarters back)
    up to and including `tot` (today): between nine and twelve months."""

    wijk_code: str
    van: date
    tot: date
    totaal: Meldingcijfers  # with mediaan_dagen
    per_thema: list[ThemaRegel]  # each with .categorieen


def meldingen_laatste_jaar(wijk_code: str, dag: date | None = None) -> MeldingenOverzicht | None:
    """The meldingen of the current quarter and the three before it; None: no such wijk."""
    gebied = gebied_van(wijk_code)
    if gebied is None:
        return None
    dag = dag or vandaag()
    kwartalen = laatste_kwartalen(KWARTALEN_IN_JAAR, dag)
    van, tot = kwartalen[0], kwartalen[-1]
    return MeldingenOverzicht(wijk_code=gebied.code, van=van, tot=dag,
                              totaal=meldingen.totaal(gebied, van, tot),
                              per_thema=meldingen.per_thema(gebied, van, tot))
