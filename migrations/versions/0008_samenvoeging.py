"""a merge is its own kind of history entry on the original melding

Revision ID: 0008_samenvoeging
Revises: 0007_sessies_blokkade
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_samenvoeging"
down_revision = "0007_sessies_blokkade"
branch_labels = None
depends_on = None

# Frozen here: the list as this migration leaves it (tests/test_migraties.py checks the code).
SOORTEN = ("status", "bericht", "notitie", "vraag", "antwoord", "steun", "toewijzing",
           "terugkoppeling", "samenvoeging")
OUDE_SOORTEN = SOORTEN[:-1]


def _lijst(soorten) -> str:
    return ", ".join(f"'{s}'" for s in soorten)


def upgrade():
    op.drop_constraint("gebeurtenis_soort", "melding_gebeurtenis", type_="check")
    op.create_check_constraint("gebeurtenis_soort", "melding_gebeurtenis",
                               f"soort IN ({_lijst(SOORTEN)})")
    # Merges were written as "steun" before; their text says what they are.
    op.execute(sa.text("UPDATE melding_gebeurtenis SET soort = 'samenvoeging' "
                       "WHERE soort = 'steun' AND user_id IS NOT NULL AND tekst LIKE :merge")
               .bindparams(merge="M-% is hiermee samengevoegd."))


def downgrade():
    op.execute("UPDATE melding_gebeurtenis SET soort = 'steun' WHERE soort = 'samenvoeging'")
    op.drop_constraint("gebeurtenis_soort", "melding_gebeurtenis", type_="check")
    op.create_check_constraint("gebeurtenis_soort", "melding_gebeurtenis",
                               f"soort IN ({_lijst(OUDE_SOORTEN)})")
