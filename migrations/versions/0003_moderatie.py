"""moderatie: heropen_verzoek, text search and inbox indexes

Revision ID: 0003_moderatie
Revises: 0002_audit
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_moderatie"
down_revision = "0002_audit"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "melding",
        sa.Column("heropen_verzoek", sa.Boolean(), server_default=sa.text("false"),
                  nullable=False),
    )
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Free-text search in the inbox: ILIKE '%...%' on description and location text.
    op.execute(
        "CREATE INDEX ix_melding_zoektekst_trgm ON melding USING gin "
        "((omschrijving || ' ' || locatie_tekst) gin_trgm_ops)"
    )
    for sql in INBOX_INDEXES:
        op.execute(sql)


# The open statuses (workflow.OPEN); partial indexes keep the inbox small and ordered.
_OPEN = ("'gemeld', 'in_behandeling', 'ingepland', 'doorgezet', 'reactie_gevraagd', "
         "'reactie_ontvangen', 'heropend'")
_INCLUDE = "INCLUDE (status, wijk_code, buurt_code, categorie_id, organisatie_id, deadline, " \
           "heropen_verzoek)"
INBOX_INDEXES = [
    f"CREATE INDEX ix_melding_open_created ON melding (created_at DESC, id DESC) {_INCLUDE} "
    f"WHERE status IN ({_OPEN})",
    f"CREATE INDEX ix_melding_open_wijk_created ON melding (wijk_code, created_at DESC, id DESC) "
    f"{_INCLUDE} WHERE status IN ({_OPEN})",
    f"CREATE INDEX ix_melding_open_buurt_created ON melding (buurt_code, created_at DESC, "
    f"id DESC) WHERE status IN ({_OPEN})",
    "CREATE INDEX ix_melding_wijk_created ON melding (wijk_code, created_at DESC, id DESC)",
    "CREATE INDEX ix_melding_heropen ON melding (created_at DESC, id DESC) "
    "WHERE heropen_verzoek",
]
_INDEX_NAMEN = ["ix_melding_open_created", "ix_melding_open_wijk_created",
                "ix_melding_open_buurt_created", "ix_melding_wijk_created", "ix_melding_heropen"]


def downgrade():
    for naam in _INDEX_NAMEN:
        op.execute(f"DROP INDEX IF EXISTS {naam}")
    op.execute("DROP INDEX IF EXISTS ix_melding_zoektekst_trgm")
    op.drop_column("melding", "heropen_verzoek")
