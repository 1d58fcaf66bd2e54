"""The wijkbeeld's figures on generated data with known answers."""

from __future__ import annotations

import pytest

from participatie.extensions import db
from participatie.meldingen.services import terugkoppeling
from participatie.meldingen.workflow import Status
from participatie.wijkbeeld import meldingen
from participatie.wijkbeeld.openbaar import meldingen_laatste_jaar
from participatie.wijkbeeld.perioden import (
    gebied_van,
    gemeente_van,
    kwartaal_label,
    kwartaal_van,
    laatste_kwartalen,
)
from tests import factories as f
from tests.wijkbeeld_hulp import melding_in_kwartaal

NOORD, DE_NOORK = "WK016402", "BU01640202"


@pytest.fixture
def noord_dit_kwartaal(db_session):
    """Five afgehandelde meldingen in De Noork, closed after 1, 3, 5, 8 and 20 days with a
    termijn of 5 days, one still open; one in the Binnenstad closed after 2 days."""
    gesloten = [melding_in_kwartaal(i, gesloten_na=n) for i, n in enumerate((1, 3, 5, 8, 20))]
    melding_in_kwartaal(6)
    melding_in_kwartaal(7, plek=f.BINNENSTAD, gesloten_na=2)
    terugkoppeling.geef_terugkoppeling(gesloten[0], opgelost=True)
    terugkoppeling.geef_terugkoppeling(gesloten[4], opgelost=False, reden="Ligt er nog.")
    return gesloten


def test_aandeel_binnen_termijn_en_mediaan_doorlooptijd(noord_dit_kwartaal):
    kwartaal = kwartaal_van(f.vandaag())
    noord = gebied_van(NOORD)
    cijfers = meldingen.per_kwartaal(noord, [kwartaal])[kwartaal]
    assert (cijfers.ontvangen, cijfers.afgehandeld, cijfers.binnen_termijn) == (6, 5, 3)
    assert cijfers.binnen_termijn_procent == 60.0
    assert cijfers.mediaan_dagen == 5
    assert cijfers.doorlooptijd_dagen == 37
    assert (cijfers.opgelost_ja, cijfers.opgelost_nee) == (1, 1)
    # The gemeente: six afgehandeld, 1 2 3 5 8 20 days: the median lies between 3 and 5.
    gemeente = meldingen.totaal(gemeente_van(noord), kwartaal, kwartaal)
    assert (gemeente.ontvangen, gemeente.afgehandeld, gemeente.binnen_termijn) == (7, 6, 4)
    assert gemeente.mediaan_dagen == 4.0
    # One buurt: all of Noord's meldingen were in De Noork.
    de_noork = meldingen.totaal(gebied_van(NOORD, DE_NOORK), kwartaal, kwartaal)
    assert (de_noork.ontvangen, de_noork.mediaan_dagen) == (6, 5)


def test_afgehandeld_telt_in_het_kwartaal_van_afhandelen(db_session):
    # In on the last days of the quarter before, closed 10 days later: this quarter.
    vorig, nu = laatste_kwartalen(2)
    melding_in_kwartaal(85, kwartalen_terug=1, gesloten_na=12, termijn_dagen=20)
    per_kwartaal = meldingen.per_kwartaal(gebied_van(NOORD), [vorig, nu])
    assert (per_kwartaal[vorig].ontvangen, per_kwartaal[vorig].afgehandeld) == (1, 0)
    assert (per_kwartaal[nu].ontvangen, per_kwartaal[nu].afgehandeld) == (0, 1)
    assert per_kwartaal[nu].binnen_termijn == 1
    assert kwartaal_label(nu).endswith(str(nu.year))


def test_heropenen_haalt_een_melding_uit_afgehandeld(db_session):
    m = melding_in_kwartaal(3, gesloten_na=4)
    kwartaal = kwartaal_van(f.vandaag())
    assert meldingen.totaal(gebied_van(NOORD), kwartaal, kwartaal).afgehandeld == 1
    m.wijzig_status(Status.HEROPEND, door=None, bericht="Toch niet klaar.")
    db.session.flush()
    cijfers = meldingen.totaal(gebied_van(NOORD), kwartaal, kwartaal)
    assert (cijfers.afgehandeld, cijfers.heropend, cijfers.mediaan_dagen) == (0, 1, None)


def test_per_thema_voor_de_openbare_wijkpagina(noord_dit_kwartaal):
    melding_in_kwartaal(10, slug="boom-kapot", gesloten_na=1, termijn_dagen=3)
    overzicht = meldingen_laatste_jaar(NOORD)
    assert overzicht.totaal.ontvangen == 7
    themas = {t.sleutel: t for t in overzicht.per_thema}
    assert list(themas) == ["schoon", "groen"]
    assert themas["schoon"].cijfers.binnen_termijn_procent == 60.0
    assert [c.label for c in themas["groen"].categorieen] == ["Boom kapot of omgewaaid"]
    assert themas["groen"].cijfers.binnen_termijn == 1
    assert overzicht.van == laatste_kwartalen(4)[0]
    assert meldingen_laatste_jaar("WK999999") is None


def test_de_mediaan_van_een_jaar_telt_alle_kwartalen_samen(db_session):
    # Closed after 2 and 4 days last quarter, after 10 days this quarter.
    melding_in_kwartaal(5, kwartalen_terug=1, gesloten_na=2)
    melding_in_kwartaal(6, kwartalen_terug=1, gesloten_na=4)
    melding_in_kwartaal(5, gesloten_na=10)
    vorig, nu = laatste_kwartalen(2)
    kwartaal, jaar = meldingen.per_kwartaal_en_jaar(gebied_van(NOORD), [vorig, nu])
    assert (kwartaal[vorig].mediaan_dagen, kwartaal[nu].mediaan_dagen) == (3.0, 10)
    if vorig.year == nu.year:
        assert (jaar[nu.year].afgehandeld, jaar[nu.year].mediaan_dagen) == (3, 4)
    else:  # this quarter is the first of the year
        assert (jaar[vorig.year].mediaan_dagen, jaar[nu.year].mediaan_dagen) == (3.0, 10)
