"""moderatie: heropen_verzoek, text search and inbox indexes

Revision ID: 0003_moderatie
Revises: 0001_basis
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_moderatie"
down_revision = "0001_basis"
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


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_melding_zoektekst_trgm")
    op.drop_column("melding", "heropen_verzoek")
