"""Rebuild the wijkbeeld's kept figures from the data (`flask wijkbeeld tel-opnieuw`).

Triggers keep the figures current (migration 0016_wijkbeeld); this is the same arithmetic
written plainly, as one GROUP BY per table, to repair them after a restore or an import that
went around the triggers, and for the tests to check the triggers against.

The distinct melders are the exception: once retention has blanked the e-mail addresses of
old meldingen they can no longer be recounted, so `tel_opnieuw` leaves them alone unless
asked (`melders=True`), which recounts them from the addresses still stored.
"""

# ruff: noqa: S608 -- SQL from fixed names only, never from input.
from __future__ import annotations

from sqlalchemy import text

from participatie.extensions import db
from participatie.meldingen.services.terugkoppeling import OPGELOST_JA
from participatie.tijd import TIJDZONE

ZONE = TIJDZONE.key  # the triggers of 0016_wijkbeeld write it out themselves
KWARTAAL = "date_trunc('quarter', {0} AT TIME ZONE '" + ZONE + "')::date"
JAAR = "date_trunc('year', {0} AT TIME ZONE '" + ZONE + "')::date"
DAG = "({0} AT TIME ZONE '" + ZONE + "')::date"

_AFGEHANDELD = "m.status = 'afgehandeld' AND m.gesloten_op IS NOT NULL"
_DOORLOOP = f"{DAG.format('m.gesloten_op')} - {DAG.format('m.created_at')}"

_MELDING = f"""
INSERT INTO wijkbeeld_melding (wijk_code, buurt_code, kwartaal, categorie_id, ontvangen,
    afgehandeld, binnen_termijn, doorlooptijd_dagen, opgelost_ja, opgelost_nee, heropend)
SELECT wijk_code, buurt_code, kwartaal, categorie_id, sum(o), sum(a), sum(b), sum(d),
       sum(ja), sum(nee), sum(h)
FROM (
    SELECT m.wijk_code, m.buurt_code, {KWARTAAL.format('m.created_at')} AS kwartaal,
           m.categorie_id, 1 AS o, 0 AS a, 0 AS b, 0 AS d, 0 AS ja, 0 AS nee, 0 AS h
    FROM melding m
    UNION ALL
    SELECT m.wijk_code, m.buurt_code, {KWARTAAL.format('m.gesloten_op')}, m.categorie_id, 0, 1,
           ({DAG.format('m.gesloten_op')} <= m.deadline)::int, {_DOORLOOP}, 0, 0, 0
    FROM melding m WHERE {_AFGEHANDELD}
    UNION ALL
    SELECT m.wijk_code, m.buurt_code, {KWARTAAL.format('g.created_at')}, m.categorie_id,
           0, 0, 0, 0,
           (g.soort = 'terugkoppeling' AND g.tekst = :ja)::int,
           (g.soort = 'terugkoppeling' AND g.tekst <> :ja)::int,
           (g.soort = 'status')::int
    FROM melding_gebeurtenis g JOIN melding m ON m.id = g.melding_id
    WHERE g.soort = 'terugkoppeling' OR (g.soort = 'status' AND g.status_naar = 'heropend')
) AS x
GROUP BY wijk_code, buurt_code, kwartaal, categorie_id
"""

_DOORLOOPTIJD = f"""
INSERT INTO wijkbeeld_doorlooptijd (gebied_code, kwartaal, dagen, aantal)
SELECT gebied, {KWARTAAL.format('m.gesloten_op')}, {_DOORLOOP}, count(*)
FROM melding m JOIN wijk w ON w.code = m.wijk_code
CROSS JOIN LATERAL (VALUES (m.buurt_code), (m.wijk_code), (w.gemeente_code)) AS g(gebied)
WHERE {_AFGEHANDELD}
GROUP BY 1, 2, 3
"""

_STEM = """
INSERT INTO wijkbeeld_stem (ronde_id, buurt_code, kwartaal, stemmen)
SELECT ronde_id, COALESCE(buurt_code, ''), date_trunc('quarter', dag)::date, count(*)
FROM stem GROUP BY 1, 2, 3
"""

_STEMCODE = """
INSERT INTO wijkbeeld_stemcode (ronde_id, buurt_code, codes)
SELECT ronde_id, COALESCE(buurt_code, ''), count(*) FROM stemcode GROUP BY 1, 2
"""

_MELDERS = f"""
INSERT INTO wijkbeeld_melders (gebied_code, periode, begin, aantal)
SELECT g.gebied, p.periode, p.begin, count(DISTINCT lower(c.email))
FROM melding_contact c JOIN melding m ON m.id = c.melding_id JOIN wijk w ON w.code = m.wijk_code
CROSS JOIN LATERAL (VALUES (m.buurt_code), (m.wijk_code), (w.gemeente_code)) AS g(gebied)
CROSS JOIN LATERAL (VALUES ('kwartaal', {KWARTAAL.format('m.created_at')}),
                           ('jaar', {JAAR.format('m.created_at')})) AS p(periode, begin)
WHERE c.soort = 'melder' AND c.email IS NOT NULL
GROUP BY 1, 2, 3
"""

TABELLEN = {
    "wijkbeeld_melding": _MELDING,
    "wijkbeeld_doorlooptijd": _DOORLOOPTIJD,
    "wijkbeeld_stem": _STEM,
    "wijkbeeld_stemcode": _STEMCODE,
}


def tel_opnieuw(*, melders: bool = False) -> None:
    """Replace the kept figures by a fresh count of the data (flushes).

    The tables are locked against writers for the rest of the transaction, so nothing can
    change between emptying them and filling them again.
    """
    db.session.flush()
    for bron in ("melding", "melding_gebeurtenis", "melding_contact", "stem", "stemcode"):
        db.session.execute(text(f"LOCK TABLE {bron} IN SHARE ROW EXCLUSIVE MODE"))
    tabellen = dict(TABELLEN)
    if melders:
        tabellen["wijkbeeld_melders"] = _MELDERS
    for tabel, sql in tabellen.items():
        db.session.execute(text(f"DELETE FROM {tabel}"))
        db.session.execute(text(sql), {"ja": OPGELOST_JA})
