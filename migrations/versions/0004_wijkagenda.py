"""wijkagenda: leefbaarheidsvragen and their bronnen

Revision ID: 0004_wijkagenda
Revises: 0003_moderatie
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_wijkagenda"
down_revision = "0003_moderatie"
branch_labels = None
depends_on = None

_STATUS = "'nieuw', 'in_onderzoek', 'in_uitvoering', 'afgerond', 'afgewezen'"
_THEMA = "'schoon', 'heel', 'veilig', 'groen', 'verkeer', 'samenleven'"
_BRON = "'melding', 'idee', 'enquete_antwoord'"


def upgrade():
    op.create_table(
        "leefbaarheidsvraag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wijk_code", sa.String(length=8), nullable=False),
        sa.Column("titel", sa.String(length=160), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("thema", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("eigenaar_organisatie_id", sa.Integer(), nullable=True),
        sa.Column("eigenaar_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint(f"status IN ({_STATUS})", name="leefbaarheidsvraag_status"),
        sa.CheckConstraint(f"thema IN ({_THEMA})", name="leefbaarheidsvraag_thema"),
        sa.CheckConstraint(
            "eigenaar_organisatie_id IS NULL OR eigenaar_user_id IS NULL",
            name="leefbaarheidsvraag_een_eigenaar",
        ),
        sa.CheckConstraint("length(trim(titel)) > 0", name="leefbaarheidsvraag_titel"),
        sa.ForeignKeyConstraint(["wijk_code"], ["wijk.code"]),
        sa.ForeignKeyConstraint(["eigenaar_organisatie_id"], ["organisatie.id"]),
        sa.ForeignKeyConstraint(["eigenaar_user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_leefbaarheidsvraag_wijk_status", "leefbaarheidsvraag",
                    ["wijk_code", "status"])
    op.create_table(
        "leefbaarheidsvraag_bron",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vraag_id", sa.Integer(), nullable=False),
        sa.Column("bron_type", sa.String(length=20), nullable=False),
        sa.Column("bron_id", sa.Integer(), nullable=False),
        sa.Column("gekoppeld_door_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint(f"bron_type IN ({_BRON})", name="vraag_bron_type"),
        sa.ForeignKeyConstraint(["vraag_id"], ["leefbaarheidsvraag.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["gekoppeld_door_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vraag_id", "bron_type", "bron_id", name="uq_vraag_bron"),
    )
    op.create_index("ix_leefbaarheidsvraag_bron_vraag_id", "leefbaarheidsvraag_bron",
                    ["vraag_id"])
    op.create_index("ix_vraag_bron_bron", "leefbaarheidsvraag_bron", ["bron_type", "bron_id"])


def downgrade():
    op.drop_table("leefbaarheidsvraag_bron")
    op.drop_table("leefbaarheidsvraag")
