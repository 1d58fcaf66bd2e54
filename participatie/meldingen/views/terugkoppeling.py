"""The resident answers a question from staff, or says whether a melding is solved.

The tracking page (`meldingen.volgen`) includes `meldingen/_terugkoppeling.html`, which asks
the template global `terugkoppeling(melding)` what to show; its forms post here. Like the
tracking page, these are for the browser that opened the melding's secret link
(`permissions.gevolgde_melding`); the closing e-mail links to `meldingen.volglink_opgelost`.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from participatie import geheimelink
from participatie.extensions import db, limiter
from participatie.meldingen import bp
from participatie.meldingen.forms import OpgelostForm, ReactieForm
from participatie.meldingen.models import Melding
from participatie.meldingen.permissions import gevolgde_melding
from participatie.meldingen.services.terugkoppeling import (
    GEEN_VRAAG,
    Terugkoppeling,
    TerugkoppelingFout,
    beantwoord,
    geef_terugkoppeling,
    gegeven_terugkoppeling,
    gestelde_vraag,
)
from participatie.meldingen.workflow import Status


@bp.app_template_global("terugkoppeling")
def terugkoppeling(melding: Melding, reactie_form=None, opgelost_form=None) -> Terugkoppeling:
    return Terugkoppeling(
        melding=melding,
        vraag=gestelde_vraag(melding),
        gegeven=gegeven_terugkoppeling(melding),
        reactie_form=reactie_form or ReactieForm(formdata=None),
        opgelost_form=opgelost_form or OpgelostForm(formdata=None),
    )


def _limiet() -> str:
    return current_app.config["RATELIMIT_MELDEN"]


def _pagina(melding: Melding, *, status: int = 200, fout: str = "", reactie_form=None,
            opgelost_form=None):
    return geheimelink.prive(current_app.make_response((render_template(
        "meldingen/terugkoppeling.html", melding=melding, fout=fout,
        tk_reactie_form=reactie_form, tk_opgelost_form=opgelost_form,
    ), status)))


def _naar_volgpagina(melding: Melding):
    return redirect(url_for("meldingen.volgen", id=melding.id), code=303)


@bp.route("/meldingen/volgen/<int:id>/reactie", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def reactie(id: int):
    melding = gevolgde_melding(id)
    form = ReactieForm()
    if not form.is_submitted():
        return _pagina(melding)
    if melding.status != Status.REACTIE_GEVRAAGD:
        return _pagina(melding, status=409, fout=GEEN_VRAAG)
    if not form.validate():
        return _pagina(melding, status=422, reactie_form=form)
    beantwoord(melding, form.antwoord.data)
    db.session.commit()
    flash("Bedankt voor uw antwoord. De gemeente gaat verder met uw melding.", "succes")
    return _naar_volgpagina(melding)


@bp.route("/meldingen/volgen/<int:id>/opgelost", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def opgelost(id: int):
    melding = gevolgde_melding(id)
    form = OpgelostForm()
    if not form.is_submitted():
        return _pagina(melding)
    if not form.validate():
        return _pagina(melding, status=422, opgelost_form=form)
    try:
        nieuw = geef_terugkoppeling(
            melding, opgelost=form.opgelost.data == "ja", reden=form.reden.data or ""
        )
    except TerugkoppelingFout as fout:
        return _pagina(melding, status=409, fout=str(fout))
    db.session.commit()
    if not nieuw:
        flash("Bedankt. Wij hadden uw antwoord al ontvangen.", "succes")
    elif form.opgelost.data == "ja":
        flash("Bedankt! Fijn dat het is opgelost.", "succes")
    else:
        flash("Bedankt. De gemeente bekijkt uw melding opnieuw en laat u weten wat er gebeurt.",
              "succes")
    return _naar_volgpagina(melding)
