"""index for the nearby search: open meldingen by category and place

Revision ID: 0005_nabij
Revises: 0004_wijkagenda
"""
from alembic import op

revision = "0005_nabij"
down_revision = "0004_wijkagenda"
branch_labels = None
depends_on = None

# Must equal participatie.meldingen.workflow.OPEN_WAARDEN, in this order.
OPEN = ("gemeld", "in_behandeling", "ingepland", "doorgezet", "reactie_gevraagd",
        "reactie_ontvangen", "heropend")


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    statuses = ", ".join(f"'{s}'" for s in OPEN)
    op.execute(
        "CREATE INDEX ix_melding_open_nabij ON melding "
        "USING gist (categorie_id, (locatie::geography)) "
        f"WHERE status IN ({statuses})"
    )


def downgrade():
    op.drop_index("ix_melding_open_nabij", table_name="melding")
