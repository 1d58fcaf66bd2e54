"""The status table of a leefbaarheidsvraag and the rules the database keeps."""

import pytest
from sqlalchemy.exc import IntegrityError

from participatie.extensions import db
from participatie.wijkagenda.models import (
    VRAAG_TRANSITIES,
    OngeldigeVraagOvergang,
    VraagBron,
    VraagStatus,
)
from tests.factories import leefbaarheidsvraag, melding


@pytest.mark.parametrize(
    ("van", "naar"),
    [
        ("nieuw", "in_onderzoek"),
        ("nieuw", "afgewezen"),
        ("in_onderzoek", "in_uitvoering"),
        ("in_uitvoering", "afgerond"),
        ("afgerond", "in_uitvoering"),
        ("afgewezen", "in_onderzoek"),
    ],
)
def test_toegestane_overgang_zet_de_status(db_session, van, naar):
    vraag = leefbaarheidsvraag(status=van)
    vraag.wijzig_status(VraagStatus(naar))
    db.session.flush()
    assert vraag.status == naar


@pytest.mark.parametrize(
    ("van", "naar"),
    [
        ("nieuw", "afgerond"),
        ("nieuw", "in_uitvoering"),
        ("afgerond", "nieuw"),
        ("afgewezen", "afgerond"),
        ("in_uitvoering", "nieuw"),
    ],
)
def test_overgang_buiten_de_tabel_wordt_geweigerd(db_session, van, naar):
    vraag = leefbaarheidsvraag(status=van)
    with pytest.raises(OngeldigeVraagOvergang, match="kan niet"):
        vraag.wijzig_status(VraagStatus(naar))
    assert vraag.status == van


def test_elke_status_heeft_een_regel_in_de_tabel():
    assert set(VRAAG_TRANSITIES) == set(VraagStatus)


def test_dezelfde_melding_kan_niet_twee_keer_aan_een_vraag_hangen(db_session):
    m = melding()
    vraag = leefbaarheidsvraag(m)
    db.session.add(VraagBron(vraag_id=vraag.id, bron_type="melding", bron_id=m.id))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_database_weigert_een_onbekend_thema(db_session):
    vraag = leefbaarheidsvraag()
    vraag.thema = "sport"
    with pytest.raises(IntegrityError):
        db.session.flush()
