"""outgoing mail is tried again with back-off and given up only after a day

Revision ID: 0009_mail_opnieuw
Revises: 0008_samenvoeging
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_mail_opnieuw"
down_revision = "0008_samenvoeging"
branch_labels = None
depends_on = None

# Frozen here: the old code gave a message up after this many attempts.
OUDE_MAX_POGINGEN = 5


def upgrade():
    op.add_column("mail_outbox", sa.Column("volgende_poging", sa.DateTime(timezone=True),
                                           server_default=sa.text("now()"), nullable=False))
    op.add_column("mail_outbox", sa.Column("opgegeven_op", sa.DateTime(timezone=True),
                                           nullable=True))
    # The old rule gave mail up within seconds of a relay outage. What is younger than a day
    # is due again now; older mail, and mail that retention blanked, stays given up
    # (`flask --app wsgi mail --opnieuw` tries the former once more).
    op.execute(sa.text(
        "UPDATE mail_outbox SET opgegeven_op = now() WHERE verzonden_op IS NULL AND "
        "(aan = '' OR (pogingen >= :oud AND created_at < now() - interval '24 hours'))"
    ).bindparams(oud=OUDE_MAX_POGINGEN))
    op.create_index("ix_mail_outbox_wachtend", "mail_outbox", ["volgende_poging"],
                    postgresql_where=sa.text("verzonden_op IS NULL AND opgegeven_op IS NULL"))


def downgrade():
    op.drop_index("ix_mail_outbox_wachtend", table_name="mail_outbox",
                  postgresql_where=sa.text("verzonden_op IS NULL AND opgegeven_op IS NULL"))
    # The old code knows a given-up message only by its number of attempts.
    op.execute(sa.text(
        "UPDATE mail_outbox SET pogingen = greatest(pogingen, :oud) "
        "WHERE opgegeven_op IS NOT NULL AND verzonden_op IS NULL"
    ).bindparams(oud=OUDE_MAX_POGINGEN))
    op.drop_column("mail_outbox", "opgegeven_op")
    op.drop_column("mail_outbox", "volgende_poging")
