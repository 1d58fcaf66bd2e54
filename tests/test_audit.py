import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from participatie.audit import log, regels_voor


def test_audit_regel_wordt_toegevoegd_en_is_terug_te_lezen(db_session):
    log("melding.status", door=None, object_type="melding", object_id=7,
        voor={"status": "gemeld"}, na={"status": "in_behandeling"})
    [regel] = regels_voor("melding", 7)
    assert (regel.user_email, regel.voor, regel.na) == (
        "systeem", {"status": "gemeld"}, {"status": "in_behandeling"})


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET actie = 'vervalst'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
])
def test_database_weigert_wijzigen_of_wissen_van_het_audit_log(db_session, sql):
    log("melding.status", door=None, object_type="melding", object_id=8)
    with pytest.raises(DBAPIError, match="append-only"), db_session.begin_nested():
        db_session.execute(text(sql))
    assert len(regels_voor("melding", 8)) == 1
