"""ideeen: an idea's place in words (residents without a map) and the submitter's answer
waiting for staff (the inbox's first segment)

Revision ID: 0012_ideeen
Revises: 0011_zoeken

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0012_ideeen'
down_revision = '0011_zoeken'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locatie_tekst', sa.String(length=300),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('antwoord_ontvangen', sa.Boolean(),
                                      server_default='false', nullable=False))


def downgrade():
    with op.batch_alter_table('idee', schema=None) as batch_op:
        batch_op.drop_column('antwoord_ontvangen')
        batch_op.drop_column('locatie_tekst')
