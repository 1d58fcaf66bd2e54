"""Voting: the ballot with a stemcode (residents), codes and paper ballots (staff)."""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from participatie.accounts.permissions import staff_route
from participatie.buurtbudget import bp, stemmen
from participatie.buurtbudget.forms import StemcodesForm
from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.permissions import BEHEER_ROLLEN
from participatie.buurtbudget.views.beheer import beheerbare_ronde, buurt_keuzes
from participatie.buurtbudget.views.openbaar import ronde_of_404
from participatie.buurtbudget.workflow import Fase
from participatie.extensions import db, limiter
from participatie.forms import strip
from participatie.gebieden.models import Buurt
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import heel_getal


class StemForm(FlaskForm):
    """The stemcode; the chosen ideas come as checkboxes named `idee` (checked by the
    service against the round's rule, so the same check serves paper ballots)."""

    stemcode = StringField("Uw stemcode", filters=[strip],
                           validators=[DataRequired("Vul uw stemcode in. U vindt de code in "
                                                    "de brief."),
                                       Length(max=40, message="Een stemcode is korter.")],
                           render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "inputmode": "text"})


def _gekozen_ids() -> list[int]:
    ids = (heel_getal(v) for v in request.form.getlist("idee")[:200])
    return [i for i in ids if i is not None]


def _stemmen_limiet() -> str:
    return current_app.config["RATELIMIT_STEMMEN"]


def _stem_pagina(ronde: Budgetronde, form: StemForm, gekozen: list[int], *, fout: str = "",
                 status: int = 200, papier: bool = False):
    op_lijst = stemmen.stemlijst(ronde)
    totaal = sum(i.ballotkosten for i in op_lijst if i.id in gekozen)
    template = "buurtbudget/beheer/papier.html" if papier else "buurtbudget/stemmen.html"
    return render_template(template, ronde=ronde, form=form, ideeen=op_lijst,
                           gekozen=set(gekozen), totaal=totaal, fout=fout), status


def _verwerk(ronde: Budgetronde, form: StemForm, *, papier: bool):
    """Check code and choice together, so the resident sees every problem at once."""
    gekozen = _gekozen_ids()
    fout = ""
    stemcode = keuze = None
    try:
        keuze = stemmen.controleer_keuze(ronde, gekozen)
    except ActieGeweigerd as geweigerd:
        fout = str(geweigerd)
    if form.validate():
        try:
            stemcode = stemmen.zoek_stemcode(ronde, form.stemcode.data or "")
        except ActieGeweigerd as geweigerd:
            form.stemcode.errors = [*form.stemcode.errors, str(geweigerd)]
    if keuze is None or stemcode is None:
        return None, _stem_pagina(ronde, form, gekozen, fout=fout, status=422, papier=papier)
    try:
        vervangen = stemmen.breng_uit(ronde, stemcode, keuze, papier=papier)
    except ActieGeweigerd as geweigerd:
        db.session.rollback()
        return None, _stem_pagina(ronde, form, gekozen, fout=str(geweigerd), status=409,
                                  papier=papier)
    db.session.commit()
    return vervangen, None


@bp.route("/buurtbudget/<ronde>/stemmen", methods=["GET", "POST"])
@limiter.limit(_stemmen_limiet, methods=["POST"])
def stem(ronde: str):
    ronde = ronde_of_404(ronde)
    form = StemForm()
    if ronde.fase_enum != Fase.STEMMEN:
        return render_template("buurtbudget/stemmen.html", ronde=ronde, form=None,
                               ideeen=[], gekozen=set(), totaal=0, fout=""), (
            409 if request.method == "POST" else 200)
    if request.method == "GET":
        return _stem_pagina(ronde, form, [])
    vervangen, antwoord = _verwerk(ronde, form, papier=False)
    if antwoord is not None:
        return antwoord
    flash("Uw stem is opgeslagen. Uw eerdere stem met deze code telt niet meer: alleen deze "
          "telt." if vervangen else "Uw stem is opgeslagen. Bedankt voor het stemmen!", "succes")
    return redirect(url_for("buurtbudget.ronde", ronde=ronde.slug), code=303)


# --- Staff -----------------------------------------------------------------------------------


@bp.post("/beheer/buurtbudget/<ronde>/stemcodes")
@staff_route(*BEHEER_ROLLEN)
def beheer_stemcodes(ronde: str):
    """Make codes and hand them out as a CSV, once: only their hashes stay behind."""
    ronde = beheerbare_ronde(ronde)
    form = StemcodesForm()
    form.buurt.choices = buurt_keuzes(ronde)
    if not form.validate():
        flash(" ".join(e for fouten in form.errors.values() for e in fouten), "fout")
        return redirect(url_for("buurtbudget.beheer_ronde", ronde=ronde.slug), code=303)
    buurt = db.session.get(Buurt, form.buurt.data) if form.buurt.data else None
    try:
        uit = stemmen.maak_stemcodes(ronde, form.aantal.data, buurt=buurt, door=current_user)
    except ActieGeweigerd as fout:
        db.session.rollback()
        flash(str(fout), "fout")
        return redirect(url_for("buurtbudget.beheer_ronde", ronde=ronde.slug), code=303)
    db.session.commit()
    return csv_antwoord(stemmen.codes_csv(ronde, uit, buurt), f"stemcodes-{ronde.slug}.csv")


def csv_antwoord(tekst: str, naam: str) -> Response:
    response = Response("\ufeff" + tekst, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{naam}"'
    response.cache_control.no_store = True
    return response


@bp.route("/beheer/buurtbudget/<ronde>/papier", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def beheer_papier(ronde: str):
    """Staff type in a paper ballot with its code, so residents without a phone count."""
    ronde = beheerbare_ronde(ronde)
    form = StemForm()
    if request.method == "GET" or ronde.fase_enum != Fase.STEMMEN:
        return _stem_pagina(ronde, form, [], papier=True, fout="" if ronde.fase_enum ==
                            Fase.STEMMEN else "Papieren stemmen kunnen alleen tijdens het "
                            "stemmen worden ingevoerd.")
    vervangen, antwoord = _verwerk(ronde, form, papier=True)
    if antwoord is not None:
        return antwoord
    flash("De papieren stem is opgeslagen" + (" en vervangt een eerdere stem met deze code."
                                              if vervangen else "."), "succes")
    return redirect(url_for("buurtbudget.beheer_papier", ronde=ronde.slug), code=303)
