"""The counts behind the results (`Telling`): added to when a response is sent, and rebuilt
from the answers when asked (`tel_opnieuw`, after a bulk import or to check them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, text

from participatie.enquetes.models import Enquete, Respons, Telling
from participatie.extensions import db

DAG_NUL = date(2000, 1, 1)

# Per answer row: its value (option or number) and, once per question, "answered" (-1); per
# response: its day under question 0. Ordered by key, so that concurrent sends lock the rows
# in the same order and cannot deadlock.
_TEL = """
INSERT INTO enquete_telling (enquete_id, vraag_id, buurt_code, waarde, aantal)
SELECT enquete_id, vraag_id, buurt_code, waarde, count(*) FROM (
    SELECT r.enquete_id, a.vraag_id, COALESCE(r.buurt_code, '') AS buurt_code,
           COALESCE(a.optie_id, a.getal) AS waarde
    FROM enquete_antwoord a JOIN enquete_respons r ON r.id = a.respons_id
    WHERE {waar} AND (a.optie_id IS NOT NULL OR a.getal IS NOT NULL)
    UNION ALL
    SELECT enquete_id, vraag_id, buurt_code, -1 FROM (
        SELECT DISTINCT r.enquete_id, a.vraag_id, COALESCE(r.buurt_code, '') AS buurt_code,
               a.respons_id
        FROM enquete_antwoord a JOIN enquete_respons r ON r.id = a.respons_id WHERE {waar}
    ) AS beantwoord
    UNION ALL
    SELECT r.enquete_id, 0, COALESCE(r.buurt_code, ''), r.verzonden_op - DATE '2000-01-01'
    FROM enquete_respons r WHERE {waar}
) AS t (enquete_id, vraag_id, buurt_code, waarde)
GROUP BY enquete_id, vraag_id, buurt_code, waarde
ORDER BY enquete_id, vraag_id, buurt_code, waarde
ON CONFLICT (enquete_id, vraag_id, buurt_code, waarde)
DO UPDATE SET aantal = enquete_telling.aantal + excluded.aantal
"""


def _sql(waar: str) -> str:
    return _TEL.format(waar=waar)


def tel_respons(respons: Respons) -> None:
    """Add one sent response to the counts (flushes)."""
    db.session.flush()
    db.session.execute(text(_sql("r.id = :respons")), {"respons": respons.id})


def tel_opnieuw(enquete: Enquete) -> None:
    """Rebuild the survey's counts from its sent responses (flushes)."""
    db.session.execute(delete(Telling).where(Telling.enquete_id == enquete.id))
    db.session.execute(text(_sql("r.enquete_id = :enquete AND r.verzonden_op IS NOT NULL")),
                       {"enquete": enquete.id})
