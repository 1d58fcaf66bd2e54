"""Test data for the wijkbeeld with known dates and durations."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from participatie.extensions import db
from participatie.meldingen.workflow import Status
from participatie.tijd import TIJDZONE
from participatie.wijkbeeld.perioden import kwartaal_van, vorig_kwartaal
from tests import factories as f


def melding_in_kwartaal(kwartaal_dag: int, *, plek=f.DE_NOORK, slug: str = "afvaldump",
                        termijn_dagen: int = 5, gesloten_na: int | None = None,
                        kwartalen_terug: int = 0, email: str | None = None):
    """A melding that came in at noon on day `kwartaal_dag` of a quarter (this one, or some
    quarters back), with its deadline `termijn_dagen` later, closed `gesloten_na` days after
    it came in (afgehandeld) or still open."""
    kwartaal = vorig_kwartaal(kwartaal_van(f.vandaag()), kwartalen_terug)
    gemaakt = datetime.combine(kwartaal + timedelta(days=kwartaal_dag), time(12),
                               tzinfo=TIJDZONE)
    m = f.melding(plek=plek, slug=slug, email=email)
    m.created_at = gemaakt
    m.deadline = gemaakt.date() + timedelta(days=termijn_dagen)
    if gesloten_na is not None:
        m.wijzig_status(Status.AFGEHANDELD, door=None, bericht="Klaar.")
        m.gesloten_op = gemaakt + timedelta(days=gesloten_na)
    db.session.flush()
    return m
