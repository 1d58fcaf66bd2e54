"""The uitslag: votes per idea, turnout, what the rule funds and why; as a page and as files
anyone can recompute it from."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template

from participatie.buurtbudget import archief, bp, uitslag
from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.views.openbaar import ronde_of_404
from participatie.buurtbudget.views.stemmen import csv_antwoord
from participatie.buurtbudget.workflow import Fase
from participatie.gebieden.services import buurt_namen

BEKEND = (Fase.UITSLAG, Fase.UITVOERING)


def _bekende_ronde(slug: str) -> Budgetronde:
    ronde = ronde_of_404(slug)
    if ronde.fase_enum not in BEKEND:
        abort(404)
    return ronde


@bp.get("/buurtbudget/<ronde>/uitslag")
def uitslag_pagina(ronde: str):
    ronde = ronde_of_404(ronde)
    if ronde.fase_enum not in BEKEND:
        return render_template("buurtbudget/uitslag.html", ronde=ronde, uitslag=None)
    return render_template("buurtbudget/uitslag.html", ronde=ronde,
                           uitslag=uitslag.bereken(ronde),
                           buurt_namen=buurt_namen())


@bp.get("/buurtbudget/<ronde>/uitslag.csv")
def uitslag_csv(ronde: str):
    ronde = _bekende_ronde(ronde)
    u = uitslag.bereken(ronde)
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow(["idee", "titel", "kosten", "stemmen", "aandeel_procent", "gekozen",
                        "uitleg"])
    for r in u.regels:
        schrijver.writerow([r.idee.id, r.idee.titel, r.idee.ballotkosten, r.stemmen,
                            f"{r.aandeel:.1f}", "ja" if r.gekozen else "nee", r.uitleg])
    return csv_antwoord(uit.getvalue(), f"uitslag-{ronde.slug}.csv")


@bp.get("/buurtbudget/<ronde>/stemmen.csv")
def stemmen_csv(ronde: str):
    """The anonymous ballots: the chosen ideas, the buurt on the letter, paper or not."""
    ronde = _bekende_ronde(ronde)
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow(["stem", "buurt", "papier", "ideeen"])
    for n, (biljet, buurt, papier) in enumerate(uitslag.stembiljetten(ronde), start=1):
        schrijver.writerow([n, buurt or "", "ja" if papier else "nee",
                            ",".join(str(int(p)) for p in sorted(biljet))])
    return csv_antwoord(uit.getvalue(), f"stemmen-{ronde.slug}.csv")


@bp.get("/buurtbudget/<ronde>/uitslag.pb")
def uitslag_pb(ronde: str):
    """The round in the pabulib format (pabulib.org): recompute it with any PB tool."""
    ronde = _bekende_ronde(ronde)
    response = Response(archief.als_pabulib(ronde), mimetype="text/plain; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{ronde.slug}.pb"'
    return response
