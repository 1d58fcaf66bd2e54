"""enquetes: surveys with questions and options, survey codes (hashes only), responses
(drafts until sent) and answers, counts kept at sending; open answers as inbox items with
their text search

Revision ID: 0014_enquetes
Revises: 0013_api

"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0014_enquetes'
down_revision = '0013_api'
branch_labels = None
depends_on = None

# Frozen here: a later change to the code's lists needs a migration of its own
# (tests/test_migraties.py compares them).
ENQUETE_STATUSSEN = ('concept', 'open', 'gesloten')
VRAAG_TYPES = ('een_keuze', 'meer_keuzes', 'schaal', 'cijfer', 'ja_nee', 'open', 'plek')
ANTWOORD_STATUSSEN = ('nieuw', 'beantwoord', 'afgehandeld', 'verborgen')
ZOEKTEKST = "to_tsvector('zoek_nl'::regconfig, COALESCE(tekst, ''))"


def _in(waarden):
    return ", ".join(f"'{w}'" for w in waarden)


def upgrade():
    op.create_table('enquete',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('titel', sa.String(length=160), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('open_vanaf', sa.Date(), nullable=False),
    sa.Column('sluit_op', sa.Date(), nullable=False),
    sa.Column('met_code', sa.Boolean(), nullable=False),
    sa.Column('samenvatting', sa.Text(), nullable=False),
    sa.Column('samenvatting_openbaar', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint(f"status IN ({_in(ENQUETE_STATUSSEN)})", name='enquete_status'),
    sa.CheckConstraint('length(trim(titel)) > 0', name='enquete_titel'),
    sa.CheckConstraint('open_vanaf <= sluit_op', name='enquete_data_op_volgorde'),
    sa.ForeignKeyConstraint(['wijk_code'], ['wijk.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enquete', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquete_wijk_code'), ['wijk_code'], unique=False)

    op.create_table('enquete_buurt',
    sa.Column('enquete_id', sa.Integer(), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['buurt_code'], ['buurt.code'], ),
    sa.ForeignKeyConstraint(['enquete_id'], ['enquete.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enquete_id', 'buurt_code')
    )
    op.create_table('enquete_vraag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquete_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=12), nullable=False),
    sa.Column('tekst', sa.String(length=300), nullable=False),
    sa.Column('toelichting', sa.Text(), nullable=False),
    sa.Column('pagina', sa.Integer(), nullable=False),
    sa.Column('volgorde', sa.Integer(), nullable=False),
    sa.Column('verplicht', sa.Boolean(), nullable=False),
    sa.Column('max_keuzes', sa.Integer(), nullable=True),
    sa.Column('max_lengte', sa.Integer(), nullable=True),
    sa.Column('indicator', sa.String(length=40), nullable=True),
    sa.Column('naar_inbox', sa.Boolean(), nullable=False),
    sa.Column('toon_als_vraag_id', sa.Integer(), nullable=True),
    sa.Column('toon_als_waarde', sa.Integer(), nullable=True),
    sa.CheckConstraint(f"type IN ({_in(VRAAG_TYPES)})", name='enquete_vraag_type'),
    sa.CheckConstraint('length(trim(tekst)) > 0', name='enquete_vraag_tekst'),
    sa.CheckConstraint('max_keuzes IS NULL OR max_keuzes > 0', name='enquete_vraag_max'),
    sa.CheckConstraint('max_lengte IS NULL OR max_lengte BETWEEN 1 AND 5000', name='enquete_vraag_max_lengte'),
    sa.CheckConstraint('pagina >= 1', name='enquete_vraag_pagina'),
    sa.ForeignKeyConstraint(['enquete_id'], ['enquete.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['toon_als_vraag_id'], ['enquete_vraag.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enquete_vraag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquete_vraag_enquete_id'), ['enquete_id'], unique=False)

    op.create_table('enquetecode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquete_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['buurt_code'], ['buurt.code'], ),
    sa.ForeignKeyConstraint(['enquete_id'], ['enquete.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('enquetecode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquetecode_enquete_id'), ['enquete_id'], unique=False)

    op.create_table('enquete_optie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vraag_id', sa.Integer(), nullable=False),
    sa.Column('tekst', sa.String(length=200), nullable=False),
    sa.Column('volgorde', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['vraag_id'], ['enquete_vraag.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enquete_optie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquete_optie_vraag_id'), ['vraag_id'], unique=False)

    op.create_table('enquete_respons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquete_id', sa.Integer(), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=True),
    sa.Column('code_id', sa.Integer(), nullable=True),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.Column('pagina', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('verzonden_op', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['buurt_code'], ['buurt.code'], ),
    sa.ForeignKeyConstraint(['code_id'], ['enquetecode.id'], ),
    sa.ForeignKeyConstraint(['enquete_id'], ['enquete.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_id', name='uq_respons_code'),
    sa.UniqueConstraint('enquete_id', 'browser_hash', name='uq_respons_browser')
    )
    with op.batch_alter_table('enquete_respons', schema=None) as batch_op:
        batch_op.create_index('ix_respons_enquete_verzonden', ['enquete_id', 'verzonden_op', 'buurt_code'], unique=False)

    # GeoAlchemy2 makes the GiST index idx_enquete_antwoord_locatie with the table itself.
    op.create_table('enquete_antwoord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respons_id', sa.Integer(), nullable=False),
    sa.Column('vraag_id', sa.Integer(), nullable=False),
    sa.Column('optie_id', sa.Integer(), nullable=True),
    sa.Column('getal', sa.Integer(), nullable=True),
    sa.Column('tekst', sa.Text(), nullable=True),
    sa.Column('locatie', Geometry(geometry_type='POINT', srid=4326, dimension=2, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('inbox_status', sa.String(length=12), nullable=True),
    sa.Column('wijk_code', sa.String(length=8), nullable=True),
    sa.Column('antwoord_staf', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('zoek_tsv', postgresql.TSVECTOR(), sa.Computed(ZOEKTEKST, persisted=True), nullable=True),
    sa.CheckConstraint(f"inbox_status IS NULL OR inbox_status IN ({_in(ANTWOORD_STATUSSEN)})",
                       name='enquete_antwoord_status'),
    sa.ForeignKeyConstraint(['optie_id'], ['enquete_optie.id'], ),
    sa.ForeignKeyConstraint(['respons_id'], ['enquete_respons.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vraag_id'], ['enquete_vraag.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wijk_code'], ['wijk.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enquete_antwoord', schema=None) as batch_op:
        batch_op.create_index('ix_antwoord_inbox', ['wijk_code', 'created_at', 'id'], unique=False, postgresql_where=sa.text('inbox_status IS NOT NULL'))
        batch_op.create_index('ix_antwoord_respons', ['respons_id', 'vraag_id'], unique=False)
        batch_op.create_index('ix_antwoord_vraag', ['vraag_id', 'optie_id'], unique=False)
        batch_op.create_index('ix_antwoord_zoek', ['zoek_tsv', 'wijk_code'], unique=False, postgresql_using='gin', postgresql_where=sa.text('inbox_status IS NOT NULL'))

    op.create_table('enquete_telling',
    sa.Column('enquete_id', sa.Integer(), nullable=False),
    sa.Column('vraag_id', sa.Integer(), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=False),
    sa.Column('waarde', sa.Integer(), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enquete_id'], ['enquete.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enquete_id', 'vraag_id', 'buurt_code', 'waarde')
    )


def downgrade():
    op.drop_table('enquete_telling')
    with op.batch_alter_table('enquete_antwoord', schema=None) as batch_op:
        batch_op.drop_index('ix_antwoord_zoek', postgresql_using='gin', postgresql_where=sa.text('inbox_status IS NOT NULL'))
        batch_op.drop_index('ix_antwoord_vraag')
        batch_op.drop_index('ix_antwoord_respons')
        batch_op.drop_index('ix_antwoord_inbox', postgresql_where=sa.text('inbox_status IS NOT NULL'))

    op.drop_table('enquete_antwoord')
    with op.batch_alter_table('enquete_respons', schema=None) as batch_op:
        batch_op.drop_index('ix_respons_enquete_verzonden')

    op.drop_table('enquete_respons')
    with op.batch_alter_table('enquete_optie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquete_optie_vraag_id'))

    op.drop_table('enquete_optie')
    with op.batch_alter_table('enquetecode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquetecode_enquete_id'))

    op.drop_table('enquetecode')
    with op.batch_alter_table('enquete_vraag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquete_vraag_enquete_id'))

    op.drop_table('enquete_vraag')
    op.drop_table('enquete_buurt')
    with op.batch_alter_table('enquete', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquete_wijk_code'))

    op.drop_table('enquete')
