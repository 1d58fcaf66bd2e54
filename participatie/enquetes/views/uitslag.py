"""Staff and wijkraad: a survey's results (/beheer/enquetes/<id>/uitslag), per buurt too, and
the streamed exports (CSV, XLSX)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from participatie.accounts.permissions import staff_route
from participatie.enquetes import bp, export, services, uitslag
from participatie.enquetes.permissions import BEHEER_ROLLEN, LEZERS
from participatie.enquetes.views.beheer import beheerbare_enquete, leesbare_enquete
from participatie.enquetes.workflow import INDICATOREN
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.web import heel_getal


@bp.get("/beheer/enquetes/<int:enquete_id>/uitslag")
@staff_route(*LEZERS)
def beheer_uitslag(enquete_id: int):
    enquete = leesbare_enquete(enquete_id)
    buurt_code = request.args.get("buurt", "")[:10]
    buurt = db.session.scalar(select(Buurt).where(Buurt.code == buurt_code)) \
        if buurt_code else None
    zoek = request.args.get("zoek", "").strip()[:100]
    pagina = min(heel_getal(request.args.get("open_pagina")) or 1, 10_000)
    return render_template(
        "enquetes/beheer/uitslag.html", enquete=enquete,
        uitslag=uitslag.bereken(enquete, buurt=buurt, zoek=zoek, open_pagina=pagina),
        buurten=uitslag.buurten_met_antwoorden(enquete), zoek=zoek, open_pagina=pagina,
        indicatoren=uitslag.indicatoren_per_buurt(enquete) if buurt is None else [],
        drempel=uitslag.DREMPEL, te_weinig=uitslag.TE_WEINIG, per_pagina=uitslag.OPEN_PER_PAGINA,
        max_punten=uitslag.MAX_PUNTEN)


@bp.get("/beheer/enquetes/indicatoren")
@staff_route(*LEZERS)
def beheer_indicatoren():
    """The wijkindicatoren across the surveys this user may see, oldest first."""
    enquetes = services.enquetes_van(current_user)
    wijk = request.args.get("wijk", "")[:8]
    if wijk:
        enquetes = [e for e in enquetes if e.wijk_code == wijk]
    volledig = [services.enquete_met_vragen(e.id) for e in enquetes]
    return render_template("enquetes/beheer/indicatoren.html", wijk=wijk,
                           verloop=uitslag.indicator_verloop(volledig),
                           namen=INDICATOREN, te_weinig=uitslag.TE_WEINIG,
                           wijken=sorted({(e.wijk_code, e.wijk.korte_naam) for e in enquetes
                                          if e.wijk}))


def _download(stroom, mimetype: str, naam: str) -> Response:
    response = Response(stroom, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{naam}"'
    response.cache_control.no_store = True
    return response


@bp.get("/beheer/enquetes/<int:enquete_id>/export.csv")
@staff_route(*BEHEER_ROLLEN)
def beheer_export_csv(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    return _download(export.stroom(export.csv_stroom, enquete), "text/csv; charset=utf-8",
                     f"enquete-{enquete.id}.csv")


@bp.get("/beheer/enquetes/<int:enquete_id>/export.xlsx")
@staff_route(*BEHEER_ROLLEN)
def beheer_export_xlsx(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    return _download(export.stroom(export.xlsx_stroom, enquete), "application/vnd.openxmlformats-"
                     "officedocument.spreadsheetml.sheet", f"enquete-{enquete.id}.xlsx")
