"""login sessions kept on the server; lock-out per e-mail and client address

Revision ID: 0007_sessies_blokkade
Revises: 0006_inbox_snelheid
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_sessies_blokkade"
down_revision = "0006_inbox_snelheid"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "app_sessie",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_app_sessie_user_id", "app_sessie", ["user_id"])
    op.create_table(
        "login_blokkade",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("adres", sa.String(length=64), nullable=False),
        sa.Column("mislukt", sa.Integer(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", "adres"),
    )
    # The lock-out moved to login_blokkade; a lock running during the upgrade is lifted.
    op.drop_column("app_user", "mislukte_pogingen")
    op.drop_column("app_user", "geblokkeerd_tot")


def downgrade():
    op.add_column("app_user", sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True),
                                        nullable=True))
    op.add_column("app_user", sa.Column("mislukte_pogingen", sa.Integer(), nullable=False,
                                        server_default="0"))
    op.alter_column("app_user", "mislukte_pogingen", server_default=None)
    op.drop_table("login_blokkade")
    op.drop_index("ix_app_sessie_user_id", table_name="app_sessie")
    op.drop_table("app_sessie")
