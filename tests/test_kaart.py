"""The public map and the public page of one melding: what anyone may see, and nothing more."""

from __future__ import annotations

from participatie.meldingen.models import Gebeurtenis
from participatie.meldingen.workflow import Status
from tests import factories


def test_publieke_pagina_toont_historie_maar_geen_persoonlijke_gegevens(client, db_session):
    melding = factories.melding(
        omschrijving="Bij mij voor de deur, ik ben Jan de Vries", email="jan@voorbeeld.nl"
    )
    melding.wijzig_status(Status.INGEPLAND, door=None,
                          bericht="Gildebor komt de vuilniszakken donderdag ophalen.")
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.NOTITIE, tekst="Melder belt vaak, let op", publiek=False)
    )
    db_session.flush()

    html = client.get(f"/kaart/meldingen/{melding.id}").get_data(as_text=True)

    assert "Afvaldump" in html
    assert "Ingepland" in html
    assert "Gildebor komt de vuilniszakken donderdag ophalen." in html
    assert "De Noork" in html
    assert "Melder belt vaak" not in html
    assert "Jan de Vries" not in html
    assert "jan@voorbeeld.nl" not in html
    assert melding.token not in html
