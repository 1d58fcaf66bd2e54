"""ideas searchable like meldingen and survey answers: a generated tsvector in the zoek_nl
configuration (0011_zoeken) with a GIN index beside the wijk

Revision ID: 0015_idee_zoeken
Revises: 0014_enquetes
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0015_idee_zoeken"
down_revision = "0014_enquetes"
branch_labels = None
depends_on = None

# Frozen here (tests/test_migraties.py checks it against the model).
ZOEKTEKST = ("to_tsvector('zoek_nl'::regconfig, titel || ' ' || omschrijving || ' ' "
             "|| locatie_tekst)")


def upgrade():
    op.add_column("idee", sa.Column("zoek_tsv", TSVECTOR(),
                                    sa.Computed(ZOEKTEKST, persisted=True), nullable=True))
    op.create_index("ix_idee_zoek", "idee", ["zoek_tsv", "wijk_code"], postgresql_using="gin")


def downgrade():
    op.drop_index("ix_idee_zoek", table_name="idee")
    op.drop_column("idee", "zoek_tsv")
