"""zoeken: Dutch full-text search on meldingen (tsvector column + GIN indexes with the wijk)

Revision ID: 0011_zoeken
Revises: 0010_buurtbudget

Replaces the trigram index of 0003 (ILIKE '%…%' on description and location text): a common
word matched a sixth of a million meldingen, and every match had to be read from the table.
The text search configuration `zoek_nl` is PostgreSQL's `dutch` (Snowball stemming, Dutch stop
words) with accents removed first by `unaccent` (from contrib), so "containers" finds
"container" and "cafe" finds "café". `participatie.moderatie.zoeken` builds the queries;
every kind of inbox item that is searched uses the same configuration. btree_gin (contrib)
lets the wijk sit in the same GIN index as the text.

Adding a stored generated column rewrites the table once (an exclusive lock for the time it
takes: about a minute per million meldingen on two cores).
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0011_zoeken"
down_revision = "0010_buurtbudget"
branch_labels = None
depends_on = None

# Frozen here; must equal participatie.moderatie.zoeken.CONFIGURATIE (tests/test_migraties.py).
CONFIGURATIE = "zoek_nl"
# Must equal the Computed(...) of Melding.zoek_tsv.
ZOEKTEKST = f"to_tsvector('{CONFIGURATIE}'::regconfig, omschrijving || ' ' || locatie_tekst)"
# Must equal participatie.meldingen.workflow.OPEN_WAARDEN (as in 0003, 0005 and 0006).
OPEN = ("gemeld", "in_behandeling", "ingepland", "doorgezet", "reactie_gevraagd",
        "reactie_ontvangen", "heropend")
_OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN)


def upgrade():
    # Both ship with PostgreSQL (contrib) and are trusted: the database owner may add them.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATIE} (COPY = pg_catalog.dutch)")
    # Only these token types can hold accents; the ASCII ones keep dutch_stem alone.
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATIE} "
               "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem")
    op.add_column("melding", sa.Column(
        "zoek_tsv", TSVECTOR(), sa.Computed(ZOEKTEKST, persisted=True), nullable=True))
    # The wijk in the same GIN index (btree_gin): a regisseur's search intersects the two
    # inside the index, so a common word costs what its matches in the wijk cost, not what
    # its matches in the whole city cost. The partial one serves the default list (open).
    op.create_index("ix_melding_zoek", "melding", ["zoek_tsv", "wijk_code"],
                    postgresql_using="gin")
    op.create_index("ix_melding_open_zoek", "melding", ["zoek_tsv", "wijk_code"],
                    postgresql_using="gin", postgresql_where=sa.text(f"status IN ({_OPEN_SQL})"))
    op.execute("DROP INDEX IF EXISTS ix_melding_zoektekst_trgm")


def downgrade():
    op.execute(
        "CREATE INDEX ix_melding_zoektekst_trgm ON melding USING gin "
        "((omschrijving || ' ' || locatie_tekst) gin_trgm_ops)"
    )
    op.drop_index("ix_melding_open_zoek", table_name="melding")
    op.drop_index("ix_melding_zoek", table_name="melding")
    op.drop_column("melding", "zoek_tsv")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIGURATIE}")
    op.execute("DROP EXTENSION IF EXISTS btree_gin")
    op.execute("DROP EXTENSION IF EXISTS unaccent")
