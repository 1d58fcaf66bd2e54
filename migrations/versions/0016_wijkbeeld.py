"""wijkbeeld: figures per wijk kept by triggers (meldingen per buurt, quarter and category,
the doorlooptijd as a histogram, distinct melders, ballots and stemcodes) and CBS kerncijfers

Revision ID: 0016_wijkbeeld
Revises: 0015_idee_zoeken
"""
# ruff: noqa: S608 -- the SQL below is built from fixed column names only, never from input.
import sqlalchemy as sa
from alembic import op

revision = "0016_wijkbeeld"
down_revision = "0015_idee_zoeken"
branch_labels = None
depends_on = None

# Frozen here; participatie/wijkbeeld/bijhouden.py rebuilds with the same definitions and
# tests/test_wijkbeeld_bijhouden.py checks the triggers against that rebuild.
ZONE = "Europe/Amsterdam"
OPGELOST_JA = "opgelost: ja"  # meldingen.services.terugkoppeling.OPGELOST_JA


def _dag(kolom: str) -> str:
    return f"({kolom} AT TIME ZONE '{ZONE}')::date"


def _kwartaal(kolom: str) -> str:
    return f"date_trunc('quarter', {kolom} AT TIME ZONE '{ZONE}')::date"


# --- meldingen ---------------------------------------------------------------------------

M_SLEUTEL = "wijk_code, buurt_code, kwartaal, categorie_id"
M_TELLERS = ("ontvangen", "afgehandeld", "binnen_termijn", "doorlooptijd_dagen",
             "opgelost_ja", "opgelost_nee", "heropend")
_M_KOLOMMEN = "id, wijk_code, buurt_code, categorie_id, status, created_at, gesloten_op, deadline"


def _m_optellen(bron: str, tellers: tuple[str, ...]) -> str:
    """Add the rows of `bron` (key + the given counters) to wijkbeeld_melding, summed per
    key first and written in key order (as melding_telling, 0006)."""
    lijst = ", ".join(tellers)
    sommen = ", ".join(f"sum({t})" for t in tellers)
    niet_nul = " OR ".join(f"sum({t}) <> 0" for t in tellers)
    bij = ", ".join(f"{t} = t.{t} + EXCLUDED.{t}" for t in tellers)
    return (
        f"INSERT INTO wijkbeeld_melding AS t ({M_SLEUTEL}, {lijst}) "
        f"SELECT {M_SLEUTEL}, {sommen} FROM ({bron}) AS x({M_SLEUTEL}, {lijst}) "
        f"GROUP BY {M_SLEUTEL} HAVING {niet_nul} ORDER BY {M_SLEUTEL} "
        f"ON CONFLICT ({M_SLEUTEL}) DO UPDATE SET {bij}"
    )


def _m_delta(d: str) -> str:
    """Received per quarter of receipt; afgehandeld (with termijn and doorlooptijd) per
    quarter of closing, for meldingen whose status is afgehandeld now."""
    gesloten = _dag("gesloten_op")
    return (
        f"SELECT wijk_code, buurt_code, {_kwartaal('created_at')}, categorie_id, "
        f"teken, 0, 0, 0 FROM {d} AS d "
        f"UNION ALL SELECT wijk_code, buurt_code, {_kwartaal('gesloten_op')}, categorie_id, 0, "
        f"teken, CASE WHEN {gesloten} <= deadline THEN teken ELSE 0 END, "
        f"teken * ({gesloten} - {_dag('created_at')}) FROM {d} AS d "
        "WHERE status = 'afgehandeld' AND gesloten_op IS NOT NULL"
    )


def _h_optellen(d: str) -> str:
    """The doorlooptijd in whole days per buurt, wijk and gemeente and quarter of closing:
    a histogram, so that the median is exact to the day."""
    return (
        "INSERT INTO wijkbeeld_doorlooptijd AS t (gebied_code, kwartaal, dagen, aantal) "
        "SELECT gebied, kwartaal, dagen, sum(teken) FROM ("
        f"SELECT unnest(ARRAY[d.buurt_code, d.wijk_code, w.gemeente_code]) AS gebied, "
        f"{_kwartaal('d.gesloten_op')} AS kwartaal, "
        f"{_dag('d.gesloten_op')} - {_dag('d.created_at')} AS dagen, "
        f"d.teken FROM {d} d JOIN wijk w ON w.code = d.wijk_code "
        "WHERE d.status = 'afgehandeld' AND d.gesloten_op IS NOT NULL) AS x "
        "GROUP BY gebied, kwartaal, dagen HAVING sum(teken) <> 0 "
        "ORDER BY gebied, kwartaal, dagen "
        "ON CONFLICT (gebied_code, kwartaal, dagen) DO UPDATE SET aantal = t.aantal + "
        "EXCLUDED.aantal"
    )


# What a history entry adds: the resident's "is het opgelost?" answer (ja, or nee = a
# request to reopen) and staff reopening it, per quarter of the entry.
_G_TELLERS = ("opgelost_ja", "opgelost_nee", "heropend")
_G_WAAR = "(g.soort = 'terugkoppeling' OR (g.soort = 'status' AND g.status_naar = 'heropend'))"


def _g_rijen(melding: str, teken: str) -> str:
    return (
        f"SELECT {melding}.wijk_code, {melding}.buurt_code, {_kwartaal('g.created_at')}, "
        f"{melding}.categorie_id, "
        f"CASE WHEN g.soort = 'terugkoppeling' AND g.tekst = '{OPGELOST_JA}' "
        f"THEN {teken} ELSE 0 END, "
        f"CASE WHEN g.soort = 'terugkoppeling' AND g.tekst <> '{OPGELOST_JA}' "
        f"THEN {teken} ELSE 0 END, "
        f"CASE WHEN g.soort = 'status' THEN {teken} ELSE 0 END"
    )


_D = (f"(SELECT {_M_KOLOMMEN}, 1 AS teken FROM nieuw "
      f"UNION ALL SELECT {_M_KOLOMMEN}, -1 FROM oud)")
_D_NIEUW = f"(SELECT {_M_KOLOMMEN}, 1 AS teken FROM nieuw)"
_D_OUD = f"(SELECT {_M_KOLOMMEN}, -1 AS teken FROM oud)"
# A melding that moves to another buurt or category takes its answers with it.
_VERHUISD = (
    "SELECT n.id FROM nieuw n JOIN oud o ON o.id = n.id WHERE "
    "(n.wijk_code, n.buurt_code, n.categorie_id) IS DISTINCT FROM "
    "(o.wijk_code, o.buurt_code, o.categorie_id)"
)
_VERHUIS = (
    f"{_g_rijen('n', '1')} FROM nieuw n JOIN melding_gebeurtenis g ON g.melding_id = n.id "
    f"WHERE {_G_WAAR} AND n.id IN ({_VERHUISD}) "
    f"UNION ALL {_g_rijen('o', '-1')} FROM oud o JOIN melding_gebeurtenis g "
    f"ON g.melding_id = o.id WHERE {_G_WAAR} AND o.id IN ({_VERHUISD})"
)


def _melding_functie(d: str, verhuis: bool = False) -> str:
    delen = [_h_optellen(d), _m_optellen(_m_delta(d), M_TELLERS[:4])]
    if verhuis:
        delen.append(_m_optellen(_VERHUIS, _G_TELLERS))
    return "; ".join(delen)


def _gebeurtenis_functie(tabel: str, teken: str) -> str:
    # In a cascade from a deleted melding the melding is gone and the join finds nothing;
    # the melding's BEFORE DELETE trigger has subtracted its entries already.
    return _m_optellen(
        f"{_g_rijen('m', teken)} FROM {tabel} g JOIN melding m ON m.id = g.melding_id "
        f"WHERE {_G_WAAR}", _G_TELLERS)


_M_NUL = ", ".join(f"{t} = 0" for t in _G_TELLERS)

# --- distinct melders ----------------------------------------------------------------------
# A person who reports is known by the e-mail address on the melding (lower case). When a
# melder contact is added, the count of each (buurt, wijk, gemeente) x (quarter, year) of the
# melding goes up by one unless that address already reported there in that period. Only
# counts are stored; retention later blanks the addresses and the counts stay.

_A_GEBIED = ("(VALUES (m.buurt_code), (m.wijk_code), (w.gemeente_code)) AS gb(code)")
_A_PERIODE = (f"(VALUES ('kwartaal', {_kwartaal('m.created_at')}), "
              f"('jaar', date_trunc('year', m.created_at AT TIME ZONE '{ZONE}')::date)) "
              "AS p(periode, begin)")
_A_ZELFDE = {
    "buurt": "m2.buurt_code = m.buurt_code",
    "wijk": "m2.wijk_code = m.wijk_code",
}
MELDERS_NIEUW = (
    "INSERT INTO wijkbeeld_melders AS t (gebied_code, periode, begin, aantal) "
    "SELECT gb.code, p.periode, p.begin, count(*) FROM nieuw c "
    "JOIN melding m ON m.id = c.melding_id JOIN wijk w ON w.code = m.wijk_code "
    f"CROSS JOIN LATERAL {_A_GEBIED} CROSS JOIN LATERAL {_A_PERIODE} "
    "WHERE c.soort = 'melder' AND c.email IS NOT NULL AND NOT EXISTS ("
    "SELECT 1 FROM melding_contact c2 JOIN melding m2 ON m2.id = c2.melding_id "
    "JOIN wijk w2 ON w2.code = m2.wijk_code "
    "WHERE c2.soort = 'melder' AND c2.email IS NOT NULL AND lower(c2.email) = lower(c.email) "
    "AND c2.id < c.id AND gb.code IN (m2.buurt_code, m2.wijk_code, w2.gemeente_code) "
    f"AND (CASE p.periode WHEN 'kwartaal' THEN {_kwartaal('m2.created_at')} "
    f"ELSE date_trunc('year', m2.created_at AT TIME ZONE '{ZONE}')::date END) = p.begin) "
    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "
    "ON CONFLICT (gebied_code, periode, begin) DO UPDATE SET aantal = t.aantal + "
    "EXCLUDED.aantal"
)
MELDERS_VULLEN = (
    "INSERT INTO wijkbeeld_melders (gebied_code, periode, begin, aantal) "
    "SELECT gb.code, p.periode, p.begin, count(DISTINCT lower(c.email)) FROM melding_contact c "
    "JOIN melding m ON m.id = c.melding_id JOIN wijk w ON w.code = m.wijk_code "
    f"CROSS JOIN LATERAL {_A_GEBIED} CROSS JOIN LATERAL {_A_PERIODE} "
    "WHERE c.soort = 'melder' AND c.email IS NOT NULL GROUP BY 1, 2, 3"
)

# --- ballots and stemcodes ---------------------------------------------------------------


def _stem_optellen(bron: str) -> str:
    return (
        "INSERT INTO wijkbeeld_stem AS t (ronde_id, buurt_code, kwartaal, stemmen) "
        "SELECT ronde_id, buurt_code, kwartaal, sum(teken) FROM ("
        f"SELECT ronde_id, COALESCE(buurt_code, ''), date_trunc('quarter', dag)::date, teken "
        f"FROM ({bron}) AS s) AS x(ronde_id, buurt_code, kwartaal, teken) "
        "GROUP BY 1, 2, 3 HAVING sum(teken) <> 0 ORDER BY 1, 2, 3 "
        "ON CONFLICT (ronde_id, buurt_code, kwartaal) DO UPDATE SET stemmen = t.stemmen + "
        "EXCLUDED.stemmen"
    )


def _code_optellen(bron: str) -> str:
    return (
        "INSERT INTO wijkbeeld_stemcode AS t (ronde_id, buurt_code, codes) "
        "SELECT ronde_id, COALESCE(buurt_code, ''), sum(teken) FROM "
        f"({bron}) AS s GROUP BY 1, 2 HAVING sum(teken) <> 0 ORDER BY 1, 2 "
        "ON CONFLICT (ronde_id, buurt_code) DO UPDATE SET codes = t.codes + EXCLUDED.codes"
    )


_S = "ronde_id, buurt_code, dag"
_C = "ronde_id, buurt_code"

# Statement-level triggers with transition tables, one per event (as in 0006).
FUNCTIES = {
    "wijkbeeld_melding_insert": ("melding", "insert", _melding_functie(_D_NIEUW)),
    "wijkbeeld_melding_update": ("melding", "update", _melding_functie(_D, verhuis=True)),
    "wijkbeeld_melding_delete": ("melding", "delete", _melding_functie(_D_OUD)),
    "wijkbeeld_melding_truncate": ("melding", "truncate",
                                   "DELETE FROM wijkbeeld_melding; "
                                   "DELETE FROM wijkbeeld_doorlooptijd"),
    "wijkbeeld_gebeurtenis_insert": ("melding_gebeurtenis", "insert",
                                     _gebeurtenis_functie("nieuw", "1")),
    "wijkbeeld_gebeurtenis_delete": ("melding_gebeurtenis", "delete",
                                     _gebeurtenis_functie("oud", "-1")),
    "wijkbeeld_gebeurtenis_truncate": ("melding_gebeurtenis", "truncate",
                                       f"UPDATE wijkbeeld_melding SET {_M_NUL}"),
    "wijkbeeld_contact_insert": ("melding_contact", "insert", MELDERS_NIEUW),
    "wijkbeeld_contact_truncate": ("melding_contact", "truncate",
                                   "DELETE FROM wijkbeeld_melders"),
    "wijkbeeld_stem_insert": ("stem", "insert", _stem_optellen(f"SELECT {_S}, 1 AS teken "
                                                               "FROM nieuw")),
    "wijkbeeld_stem_update": ("stem", "update", _stem_optellen(
        f"SELECT {_S}, 1 AS teken FROM nieuw UNION ALL SELECT {_S}, -1 FROM oud")),
    "wijkbeeld_stem_delete": ("stem", "delete", _stem_optellen(f"SELECT {_S}, -1 AS teken "
                                                               "FROM oud")),
    "wijkbeeld_stem_truncate": ("stem", "truncate", "DELETE FROM wijkbeeld_stem"),
    "wijkbeeld_stemcode_insert": ("stemcode", "insert", _code_optellen(
        f"SELECT {_C}, 1 AS teken FROM nieuw")),
    "wijkbeeld_stemcode_delete": ("stemcode", "delete", _code_optellen(
        f"SELECT {_C}, -1 AS teken FROM oud")),
    "wijkbeeld_stemcode_truncate": ("stemcode", "truncate", "DELETE FROM wijkbeeld_stemcode"),
}
_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS nieuw",
    "update": "REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw",
    "delete": "REFERENCING OLD TABLE AS oud",
    "truncate": "",
}

# A melding deleted takes its history entries along (ON DELETE CASCADE); their statement
# trigger no longer sees the melding, so the melding subtracts its entries itself, first.
MELDING_WEG = (
    "CREATE FUNCTION wijkbeeld_melding_weg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _m_optellen(
        f"{_g_rijen('m', '-1')} FROM (SELECT OLD.*) m JOIN melding_gebeurtenis g "
        f"ON g.melding_id = m.id WHERE {_G_WAAR}", _G_TELLERS)
    + "; RETURN OLD; END $$"
)

M_VULLEN = [
    _h_optellen(f"(SELECT {_M_KOLOMMEN}, 1 AS teken FROM melding)"),
    _m_optellen(_m_delta(f"(SELECT {_M_KOLOMMEN}, 1 AS teken FROM melding)"), M_TELLERS[:4]),
    _m_optellen(f"{_g_rijen('m', '1')} FROM melding_gebeurtenis g JOIN melding m "
                f"ON m.id = g.melding_id WHERE {_G_WAAR}", _G_TELLERS),
    _stem_optellen(f"SELECT {_S}, 1 AS teken FROM stem"),
    _code_optellen(f"SELECT {_C}, 1 AS teken FROM stemcode"),
    MELDERS_VULLEN,
]


def upgrade():
    telling = [sa.Column(t, sa.Integer(), nullable=False, server_default="0")
               for t in M_TELLERS]
    op.create_table(
        "wijkbeeld_melding",
        sa.Column("wijk_code", sa.String(8), nullable=False),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("kwartaal", sa.Date(), nullable=False),
        sa.Column("categorie_id", sa.Integer(), nullable=False),
        *telling,
        sa.PrimaryKeyConstraint("wijk_code", "buurt_code", "kwartaal", "categorie_id"),
    )
    op.create_table(
        "wijkbeeld_doorlooptijd",
        sa.Column("gebied_code", sa.String(10), nullable=False),
        sa.Column("kwartaal", sa.Date(), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("gebied_code", "kwartaal", "dagen"),
    )
    op.create_table(
        "wijkbeeld_melders",
        sa.Column("gebied_code", sa.String(10), nullable=False),
        sa.Column("periode", sa.String(8), nullable=False),
        sa.Column("begin", sa.Date(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.CheckConstraint("periode IN ('kwartaal', 'jaar')", name="wijkbeeld_melders_periode"),
        sa.PrimaryKeyConstraint("gebied_code", "periode", "begin"),
    )
    op.create_table(
        "wijkbeeld_stem",
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("kwartaal", sa.Date(), nullable=False),
        sa.Column("stemmen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ronde_id", "buurt_code", "kwartaal"),
    )
    op.create_table(
        "wijkbeeld_stemcode",
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("codes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ronde_id", "buurt_code"),
    )
    op.create_table(
        "kerncijfer",
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("gebied_code", sa.String(10), nullable=False),
        sa.Column("naam", sa.String(120), nullable=False, server_default=""),
        sa.Column("inwoners", sa.Integer(), nullable=True),
        sa.Column("huishoudens", sa.Integer(), nullable=True),
        sa.Column("geimporteerd_op", sa.DateTime(timezone=True),
                  server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("inwoners IS NULL OR inwoners >= 0", name="kerncijfer_inwoners"),
        sa.CheckConstraint("huishoudens IS NULL OR huishoudens >= 0",
                           name="kerncijfer_huishoudens"),
        sa.PrimaryKeyConstraint("jaar", "gebied_code"),
    )
    # Finding an earlier report by the same address: few rows per address.
    op.execute("CREATE INDEX ix_contact_melder_email ON melding_contact (lower(email), id) "
               "WHERE soort = 'melder' AND email IS NOT NULL")
    # Nothing may change between filling the figures and the triggers taking over.
    for tabel in ("melding", "melding_gebeurtenis", "melding_contact", "stem", "stemcode"):
        op.execute(f"LOCK TABLE {tabel} IN SHARE ROW EXCLUSIVE MODE")
    for sql in M_VULLEN:
        op.execute(sql)
    for naam, (tabel, gebeurtenis, sql) in FUNCTIES.items():
        op.execute(f"CREATE FUNCTION {naam}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"{sql}; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {naam} AFTER {gebeurtenis.upper()} ON {tabel} "
                   f"{_REFERENCING[gebeurtenis]} FOR EACH STATEMENT EXECUTE FUNCTION {naam}()")
    op.execute(MELDING_WEG)
    op.execute("CREATE TRIGGER wijkbeeld_melding_weg BEFORE DELETE ON melding FOR EACH ROW "
               "EXECUTE FUNCTION wijkbeeld_melding_weg()")


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS wijkbeeld_melding_weg ON melding")
    op.execute("DROP FUNCTION IF EXISTS wijkbeeld_melding_weg()")
    for naam, (tabel, _gebeurtenis, _sql) in FUNCTIES.items():
        op.execute(f"DROP TRIGGER IF EXISTS {naam} ON {tabel}")
        op.execute(f"DROP FUNCTION IF EXISTS {naam}()")
    op.execute("DROP INDEX IF EXISTS ix_contact_melder_email")
    for tabel in ("kerncijfer", "wijkbeeld_stemcode", "wijkbeeld_stem", "wijkbeeld_melders",
                  "wijkbeeld_doorlooptijd", "wijkbeeld_melding"):
        op.drop_table(tabel)
