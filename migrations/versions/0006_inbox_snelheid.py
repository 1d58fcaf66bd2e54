"""inbox speed: exact status counts kept by triggers (melding_telling)

Revision ID: 0006_inbox_snelheid
Revises: 0005_nabij
"""
# ruff: noqa: S608 -- the SQL below is built from fixed column names only, never from input.
import sqlalchemy as sa
from alembic import op

revision = "0006_inbox_snelheid"
down_revision = "0005_nabij"
branch_labels = None
depends_on = None

SLEUTEL = "wijk_code, buurt_code, categorie_id, organisatie_id, status"
_RIJ = "wijk_code, buurt_code, categorie_id, coalesce(organisatie_id, 0), status"


def _optellen(bron: str) -> str:
    """Add the summed differences from `bron` (rows of key + verschil) to the counts.

    Summed per group first and written in key order: a bulk change of 500 meldingen touches
    each group row once, and concurrent writers lock group rows in the same order.
    """
    return (
        f"INSERT INTO melding_telling AS t ({SLEUTEL}, aantal) "
        f"SELECT {SLEUTEL}, sum(verschil) FROM ({bron}) AS d({SLEUTEL}, verschil) "
        f"GROUP BY {SLEUTEL} HAVING sum(verschil) <> 0 ORDER BY {SLEUTEL} "
        f"ON CONFLICT ({SLEUTEL}) DO UPDATE SET aantal = t.aantal + EXCLUDED.aantal"
    )


# Statement-level triggers with transition tables: one per event, since PostgreSQL allows
# transition tables only on single-event triggers.
FUNCTIES = {
    "insert": _optellen(f"SELECT {_RIJ}, 1 FROM nieuw"),
    "update": _optellen(f"SELECT {_RIJ}, 1 FROM nieuw UNION ALL SELECT {_RIJ}, -1 FROM oud"),
    "delete": _optellen(f"SELECT {_RIJ}, -1 FROM oud"),
    "truncate": "DELETE FROM melding_telling",
}
TRIGGERS = {
    "insert": "AFTER INSERT ON melding REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT",
    "update": "AFTER UPDATE ON melding REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw "
              "FOR EACH STATEMENT",
    "delete": "AFTER DELETE ON melding REFERENCING OLD TABLE AS oud FOR EACH STATEMENT",
    "truncate": "AFTER TRUNCATE ON melding FOR EACH STATEMENT",
}


# Must equal participatie.meldingen.workflow.OPEN_WAARDEN (as in 0003 and 0005).
OPEN = ("gemeld", "in_behandeling", "ingepland", "doorgezet", "reactie_gevraagd",
        "reactie_ontvangen", "heropend")
_OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN)
_MEE = "INCLUDE (status, wijk_code, buurt_code, categorie_id, organisatie_id, deadline, " \
       "heropen_verzoek)"
# Covering versions of two 0003 indexes, so a page's keys come from the index alone (an
# index-only scan) and only the 50 rows shown are read from the table.
INDEXEN = {
    "ix_melding_open_buurt_dekkend":
        f"ON melding (buurt_code, created_at DESC, id DESC) {_MEE} WHERE status IN ({_OPEN_SQL})",
    "ix_melding_heropen_dekkend":
        f"ON melding (created_at DESC, id DESC) {_MEE} WHERE heropen_verzoek",
}
OUDE_INDEXEN = {
    "ix_melding_open_buurt_created":
        f"ON melding (buurt_code, created_at DESC, id DESC) WHERE status IN ({_OPEN_SQL})",
    "ix_melding_heropen": "ON melding (created_at DESC, id DESC) WHERE heropen_verzoek",
}


def upgrade():
    for naam, sql in INDEXEN.items():
        op.execute(f"CREATE INDEX {naam} {sql}")
    for naam in OUDE_INDEXEN:
        op.execute(f"DROP INDEX IF EXISTS {naam}")
    op.create_table(
        "melding_telling",
        sa.Column("wijk_code", sa.String(8), nullable=False),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("categorie_id", sa.Integer(), nullable=False),
        sa.Column("organisatie_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("wijk_code", "buurt_code", "categorie_id", "organisatie_id",
                                "status"),
    )
    # No melding may change between counting them and the triggers taking over.
    op.execute("LOCK TABLE melding IN SHARE ROW EXCLUSIVE MODE")
    op.execute(f"INSERT INTO melding_telling ({SLEUTEL}, aantal) "
               f"SELECT {_RIJ}, count(*) FROM melding GROUP BY 1, 2, 3, 4, 5")
    for naam, sql in FUNCTIES.items():
        op.execute(f"CREATE FUNCTION melding_telling_{naam}() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {sql}; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER melding_telling_{naam} {TRIGGERS[naam]} "
                   f"EXECUTE FUNCTION melding_telling_{naam}()")


def downgrade():
    for naam in FUNCTIES:
        op.execute(f"DROP TRIGGER IF EXISTS melding_telling_{naam} ON melding")
        op.execute(f"DROP FUNCTION IF EXISTS melding_telling_{naam}()")
    op.drop_table("melding_telling")
    for naam, sql in OUDE_INDEXEN.items():
        op.execute(f"CREATE INDEX {naam} {sql}")
    for naam in INDEXEN:
        op.execute(f"DROP INDEX {naam}")
