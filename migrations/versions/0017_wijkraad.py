"""wijkraad: reactions to vragen and results, the gemeente's answers, the weekly overview

Revision ID: 0017_wijkraad
Revises: 0016_wijkbeeld
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_wijkraad"
down_revision = "0016_wijkbeeld"
branch_labels = None
depends_on = None

# Frozen here: the kinds of reaction and of subject when this migration was written.
_SOORT = "'advies', 'vraag', 'instemming'"
_ONDERWERP = "'leefbaarheidsvraag', 'budgetronde', 'enquete'"


def upgrade():
    op.create_table(
        "wijkraad_reactie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wijk_code", sa.String(length=8), nullable=False),
        sa.Column("onderwerp_soort", sa.String(length=20), nullable=False),
        sa.Column("onderwerp_id", sa.Integer(), nullable=False),
        sa.Column("auteur_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=12), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("openbaar", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("openbaar_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint(f"soort IN ({_SOORT})", name="wijkraad_reactie_soort"),
        sa.CheckConstraint(f"onderwerp_soort IN ({_ONDERWERP})",
                           name="wijkraad_reactie_onderwerp"),
        sa.CheckConstraint("length(trim(tekst)) > 0", name="wijkraad_reactie_tekst"),
        sa.CheckConstraint("openbaar = (openbaar_op IS NOT NULL)",
                           name="wijkraad_reactie_openbaar_op"),
        sa.ForeignKeyConstraint(["wijk_code"], ["wijk.code"]),
        sa.ForeignKeyConstraint(["auteur_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wijkraad_reactie_onderwerp", "wijkraad_reactie",
                    ["onderwerp_soort", "onderwerp_id", "id"])
    op.create_index("ix_wijkraad_reactie_wijk", "wijkraad_reactie", ["wijk_code", "created_at"])
    op.create_index("ix_wijkraad_reactie_openbaar", "wijkraad_reactie",
                    ["wijk_code", "openbaar_op"], postgresql_where=sa.text("openbaar"))
    op.create_table(
        "wijkraad_antwoord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reactie_id", sa.Integer(), nullable=False),
        sa.Column("auteur_id", sa.Integer(), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("length(trim(tekst)) > 0", name="wijkraad_antwoord_tekst"),
        sa.ForeignKeyConstraint(["reactie_id"], ["wijkraad_reactie.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["auteur_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wijkraad_antwoord_reactie", "wijkraad_antwoord", ["reactie_id", "id"])
    op.create_index("ix_wijkraad_antwoord_created", "wijkraad_antwoord", ["created_at"])
    op.create_table(
        "wijkraad_overzichtmail",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ontvangen", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("afmeld_token", sa.String(length=64), nullable=False),
        sa.Column("verwerkt_tot", sa.DateTime(timezone=True), nullable=True),
        sa.Column("laatst_verstuurd", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("afmeld_token"),
    )


def downgrade():
    op.drop_table("wijkraad_overzichtmail")
    op.drop_table("wijkraad_antwoord")
    op.drop_table("wijkraad_reactie")
