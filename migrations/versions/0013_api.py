"""api: API keys for Open311 apps (hashes only); melding.bron holds "open311:<app>"; an index
for Open311's newest-first lists

Revision ID: 0013_api
Revises: 0012_ideeen

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0013_api'
down_revision = "0012_ideeen"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_sleutel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=60), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=False),
    sa.Column('sleutel_hash', sa.String(length=64), nullable=False),
    sa.Column('begin', sa.String(length=12), nullable=False),
    sa.Column('gemaakt_door_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('laatst_gebruikt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('aantal_verzoeken', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('ingetrokken_op', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('aantal_verzoeken >= 0', name='api_sleutel_aantal'),
    sa.CheckConstraint('length(trim(naam)) > 0', name='api_sleutel_naam'),
    sa.ForeignKeyConstraint(['gemaakt_door_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('naam'),
    sa.UniqueConstraint('sleutel_hash')
    )
    op.alter_column('melding', 'bron', existing_type=sa.String(length=20),
                    type_=sa.String(length=80), existing_nullable=False)
    # Open311's GET requests: every public melding of a period, newest first, 1000 at a time.
    op.execute("CREATE INDEX ix_melding_created ON melding (created_at DESC, id DESC)")


def downgrade():
    op.execute("DROP INDEX ix_melding_created")
    # Before 0013 a melding had no app name; "open311:<app>" is longer than the old column.
    op.execute("UPDATE melding SET bron = left(bron, 20) WHERE length(bron) > 20")
    op.alter_column('melding', 'bron', existing_type=sa.String(length=80),
                    type_=sa.String(length=20), existing_nullable=False)
    op.drop_table('api_sleutel')
