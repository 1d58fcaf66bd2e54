"""Staff pages of the buurtbudget: the rounds of one's wijken, a new round, one round."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from participatie.accounts.permissions import mag_wijk_zien, staff_route
from participatie.buurtbudget import bp, services, stemmen
from participatie.buurtbudget.forms import FaseForm, RondeForm, StemcodesForm
from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.permissions import (
    BEHEER_ROLLEN,
    mag_ronde_beheren,
    mag_rondes_beheren,
)
from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.gebieden.services import wijken
from participatie.moderatie.inbox import ActieGeweigerd


@bp.app_template_global("buurtbudget_mag_beheren")
def _mag_beheren_in_template() -> bool:
    return mag_rondes_beheren(current_user)


def beheerbare_ronde(slug: str) -> Budgetronde:
    """The round, if this user may manage it; 404 otherwise (its existence stays hidden)."""
    ronde = services.ronde_voor_slug(slug)
    if ronde is None or not mag_ronde_beheren(current_user, ronde):
        abort(404)
    return ronde


def buurt_keuzes(ronde: Budgetronde) -> list[SelectChoice]:
    """The buurten of a round's area, for codes and the like ("" = the whole area)."""
    buurten = ronde.buurten or ronde.wijk.buurten
    return [SelectChoice("", "Het hele gebied")] + [SelectChoice(b.code, b.naam)
                                                    for b in buurten]


def _keuzes(form: RondeForm) -> None:
    mijn = [w for w in wijken() if mag_wijk_zien(current_user, w.code)]
    form.wijk.choices = [SelectChoice("", "Kies een wijk")] + [
        SelectChoice(w.code, w.korte_naam) for w in mijn]
    form.buurten.choices = [SelectChoice(b.code, f"{b.naam} ({w.korte_naam})")
                            for w in mijn for b in w.buurten]


def _gegevens(form: RondeForm) -> services.RondeGegevens:
    wijk = db.session.get(Wijk, form.wijk.data)
    buurten = [db.session.get(Buurt, code) for code in form.buurten.data or []]
    return services.RondeGegevens(
        naam=form.naam.data, uitleg=form.uitleg.data or "", wijk=wijk,
        buurten=[b for b in buurten if b is not None], budget=form.budget.data,
        stemwijze=Stemwijze(form.stemwijze.data), max_keuzes=form.max_keuzes.data,
        regel=Regel(form.regel.data), aanvullen=form.aanvullen.data,
        data=form.data_per_fase())


@bp.get("/beheer/buurtbudget")
@staff_route(*BEHEER_ROLLEN)
def beheer_rondes():
    return render_template("buurtbudget/beheer/rondes.html",
                           rondes=services.rondes_van(current_user))


@bp.route("/beheer/buurtbudget/nieuw", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def beheer_nieuw():
    form = RondeForm()
    _keuzes(form)
    if form.validate_on_submit():
        try:
            ronde = services.maak_ronde(_gegevens(form), door=current_user)
        except ActieGeweigerd as fout:
            form.form_errors.append(str(fout))
        else:
            db.session.commit()
            flash(f"De ronde ‘{ronde.naam}’ is aangemaakt. Bewoners kunnen nu ideeën indienen.",
                  "succes")
            return redirect(url_for("buurtbudget.beheer_ronde", ronde=ronde.slug), code=303)
    code = 422 if form.errors or form.form_errors else 200
    return render_template("buurtbudget/beheer/nieuw.html", form=form), code


@bp.route("/beheer/buurtbudget/<ronde>", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def beheer_ronde(ronde: str):
    ronde = beheerbare_ronde(ronde)
    form = RondeForm(obj=ronde)
    _keuzes(form)
    if request.method == "GET":
        form.wijk.data = ronde.wijk_code
        form.buurten.data = [b.code for b in ronde.buurten]
    if form.validate_on_submit():
        try:
            gewijzigd = services.wijzig_ronde(ronde, _gegevens(form), door=current_user)
        except ActieGeweigerd as fout:
            db.session.rollback()
            ronde = beheerbare_ronde(ronde.slug)
            form.form_errors.append(str(fout))
        else:
            db.session.commit()
            flash("De wijzigingen zijn opgeslagen." if gewijzigd else "Er was niets gewijzigd.",
                  "succes")
            return redirect(url_for("buurtbudget.beheer_ronde", ronde=ronde.slug), code=303)
    code = 422 if form.errors or form.form_errors else 200
    return _ronde_pagina(ronde, form=form, code=code)


def _ronde_pagina(ronde: Budgetronde, *, form=None, fase_form=None, code=200):
    fase_form = fase_form or FaseForm(formdata=None)
    fase_form.fase.choices = [SelectChoice(f.value, f.label) for f in ronde.volgende_fasen()]
    if form is None:
        form = RondeForm(obj=ronde, formdata=None)
        _keuzes(form)
        form.wijk.data = ronde.wijk_code
        form.buurten.data = [b.code for b in ronde.buurten]
    codes_form = StemcodesForm(formdata=None)
    codes_form.buurt.choices = buurt_keuzes(ronde)
    return render_template(
        "buurtbudget/beheer/ronde.html", ronde=ronde, form=form, fase_form=fase_form,
        codes_form=codes_form,
        opkomst=stemmen.opkomst(ronde), heeft_stemmen=services.heeft_stemmen(ronde),
        aantal_ideeen=services.aantal_ideeen(ronde)), code


@bp.post("/beheer/buurtbudget/<ronde>/fase")
@staff_route(*BEHEER_ROLLEN)
def beheer_fase(ronde: str):
    ronde = beheerbare_ronde(ronde)
    fase_form = FaseForm()
    fase_form.fase.choices = [SelectChoice(f.value, f.label) for f in ronde.volgende_fasen()]
    if fase_form.validate():
        naar = Fase(fase_form.fase.data)
        try:
            services.wijzig_fase(ronde, naar, door=current_user)
        except ActieGeweigerd as fout:
            db.session.rollback()
            fase_form.fase.errors.append(str(fout))
        else:
            db.session.commit()
            flash(f"De ronde staat nu in de fase ‘{naar.label}’.", "succes")
            return redirect(url_for("buurtbudget.beheer_ronde", ronde=ronde.slug), code=303)
    return _ronde_pagina(beheerbare_ronde(ronde.slug), fase_form=fase_form, code=422)
