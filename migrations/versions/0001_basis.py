"""gebieden, accounts, meldingen, outbox

Revision ID: 0001_basis
Revises: 
Create Date: 2026-11-22 02:30:56.152223

"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

# revision identifiers, used by Alembic.
revision = '0001_basis'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE EXTENSION IF NOT EXISTS postgis')
    op.create_table('categorie_groep',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=80), nullable=False),
    sa.Column('volgorde', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('naam')
    )
    op.create_table('gemeente',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aan', sa.String(length=254), nullable=False),
    sa.Column('onderwerp', sa.String(length=200), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('verzonden_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pogingen', sa.Integer(), nullable=False),
    sa.Column('laatste_fout', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_verzonden_op'), ['verzonden_op'], unique=False)

    op.create_table('organisatie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('soort', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('actief', sa.Boolean(), nullable=False),
    sa.CheckConstraint("soort IN ('team', 'partner')", name='organisatie_soort'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('naam')
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('rol', sa.String(length=20), nullable=False),
    sa.Column('organisatie_id', sa.Integer(), nullable=True),
    sa.Column('actief', sa.Boolean(), nullable=False),
    sa.Column('mislukte_pogingen', sa.Integer(), nullable=False),
    sa.Column('geblokkeerd_tot', sa.DateTime(timezone=True), nullable=True),
    sa.Column('laatst_ingelogd', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sessie_versie', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("rol <> 'partner' OR organisatie_id IS NOT NULL", name='app_user_partner_organisatie'),
    sa.CheckConstraint("rol IN ('beheerder', 'stadsdeelregisseur', 'partner', 'wijkraadlid')", name='app_user_rol'),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('categorie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('groep_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('naam', sa.String(length=80), nullable=False),
    sa.Column('uitleg', sa.String(length=200), nullable=False),
    sa.Column('afhandeltermijn_werkdagen', sa.Integer(), nullable=False),
    sa.Column('organisatie_id', sa.Integer(), nullable=False),
    sa.Column('actief', sa.Boolean(), nullable=False),
    sa.Column('volgorde', sa.Integer(), nullable=False),
    sa.CheckConstraint('afhandeltermijn_werkdagen > 0', name='categorie_termijn_positief'),
    sa.ForeignKeyConstraint(['groep_id'], ['categorie_groep.id'], ),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('categorie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categorie_groep_id'), ['groep_id'], unique=False)

    op.create_table('wijk',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('gemeente_code', sa.String(length=6), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_code'], ['gemeente.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('wijk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wijk_gemeente_code'), ['gemeente_code'], unique=False)

    op.create_table('buurt',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['wijk_code'], ['wijk.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buurt_wijk_code'), ['wijk_code'], unique=False)

    op.create_table('user_wijk',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wijk_code'], ['wijk.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'wijk_code')
    )
    op.create_table('melding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('categorie_id', sa.Integer(), nullable=False),
    sa.Column('omschrijving', sa.Text(), nullable=False),
    sa.Column('locatie', Geometry(geometry_type='POINT', srid=4326, dimension=2, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('locatie_tekst', sa.String(length=300), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('organisatie_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('samengevoegd_met_id', sa.Integer(), nullable=True),
    sa.Column('bron', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('gesloten_op', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('gemeld', 'in_behandeling', 'ingepland', 'doorgezet', 'reactie_gevraagd', 'reactie_ontvangen', 'afgehandeld', 'geannuleerd', 'heropend', 'samengevoegd')", name='melding_status'),
    sa.CheckConstraint('locatie IS NOT NULL OR length(trim(locatie_tekst)) > 0', name='melding_heeft_plek'),
    sa.ForeignKeyConstraint(['buurt_code'], ['buurt.code'], ),
    sa.ForeignKeyConstraint(['categorie_id'], ['categorie.id'], ),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], ),
    sa.ForeignKeyConstraint(['samengevoegd_met_id'], ['melding.id'], ),
    sa.ForeignKeyConstraint(['wijk_code'], ['wijk.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('melding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_melding_buurt_code'), ['buurt_code'], unique=False)
        batch_op.create_index('ix_melding_categorie_created', ['categorie_id', 'created_at'], unique=False)
        batch_op.create_index('ix_melding_locatie_geography', [sa.literal_column('(locatie::geography)')], unique=False, postgresql_using='gist')
        batch_op.create_index(batch_op.f('ix_melding_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index('ix_melding_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_melding_wijk_status_created', ['wijk_code', 'status', 'created_at'], unique=False)

    op.create_table('melding_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('melding_id', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('geanonimiseerd_op', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("soort IN ('melder', 'steun')", name='contact_soort'),
    sa.ForeignKeyConstraint(['melding_id'], ['melding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('melding_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_melding_contact_melding_id'), ['melding_id'], unique=False)

    op.create_table('melding_foto',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('melding_id', sa.Integer(), nullable=False),
    sa.Column('bestand', sa.String(length=80), nullable=False),
    sa.Column('thumbnail', sa.String(length=80), nullable=False),
    sa.Column('breedte', sa.Integer(), nullable=False),
    sa.Column('hoogte', sa.Integer(), nullable=False),
    sa.Column('publiek', sa.Boolean(), nullable=False),
    sa.Column('verborgen', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['melding_id'], ['melding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bestand'),
    sa.UniqueConstraint('thumbnail')
    )
    with op.batch_alter_table('melding_foto', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_melding_foto_melding_id'), ['melding_id'], unique=False)

    op.create_table('melding_gebeurtenis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('melding_id', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('status_van', sa.String(length=20), nullable=True),
    sa.Column('status_naar', sa.String(length=20), nullable=True),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('publiek', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("soort <> 'notitie' OR NOT publiek", name='gebeurtenis_notitie_intern'),
    sa.CheckConstraint("soort IN ('status', 'bericht', 'notitie', 'vraag', 'antwoord', 'steun', 'toewijzing', 'terugkoppeling')", name='gebeurtenis_soort'),
    sa.ForeignKeyConstraint(['melding_id'], ['melding.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('melding_gebeurtenis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_melding_gebeurtenis_melding_id'), ['melding_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('melding_gebeurtenis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_melding_gebeurtenis_melding_id'))

    op.drop_table('melding_gebeurtenis')
    with op.batch_alter_table('melding_foto', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_melding_foto_melding_id'))

    op.drop_table('melding_foto')
    with op.batch_alter_table('melding_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_melding_contact_melding_id'))

    op.drop_table('melding_contact')
    with op.batch_alter_table('melding', schema=None) as batch_op:
        batch_op.drop_index('ix_melding_wijk_status_created')
        batch_op.drop_index('ix_melding_status_created')
        batch_op.drop_index(batch_op.f('ix_melding_organisatie_id'))
        batch_op.drop_index('ix_melding_locatie_geography', postgresql_using='gist')
        batch_op.drop_index('ix_melding_categorie_created')
        batch_op.drop_index(batch_op.f('ix_melding_buurt_code'))

    op.drop_table('melding')
    op.drop_table('user_wijk')
    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buurt_wijk_code'))

    op.drop_table('buurt')
    with op.batch_alter_table('wijk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wijk_gemeente_code'))

    op.drop_table('wijk')
    with op.batch_alter_table('categorie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categorie_groep_id'))

    op.drop_table('categorie')
    op.drop_table('app_user')
    op.drop_table('organisatie')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_verzonden_op'))

    op.drop_table('mail_outbox')

    op.drop_table('gemeente')
    op.drop_table('categorie_groep')
    # ### end Alembic commands ###
