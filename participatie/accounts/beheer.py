"""The beheerder's pages: staff accounts (/beheer/gebruikers) and the audit log (/beheer/audit)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from participatie import audit as auditlog  # a module import: audit imports accounts.models
from participatie.accounts import bp
from participatie.accounts.forms import (
    AuditFilterForm,
    GebruikerForm,
    NieuweGebruikerForm,
    WachtwoordForm,
)
from participatie.accounts.models import Organisatie, Rol, User
from participatie.accounts.permissions import is_beheerder, staff_route
from participatie.accounts.services import (
    AccountFout,
    actieve_organisaties,
    create_user,
    gebruikers,
    set_password,
    update_user,
)
from participatie.extensions import db
from participatie.gebieden.services import wijken
from participatie.tijd import TIJDZONE
from participatie.web import heel_getal

AUDIT_PER_PAGINA = 50


@bp.app_template_global("is_beheerder")
def _is_beheerder(user) -> bool:
    """For the navigation: templates ask a yes/no, never a role name."""
    return is_beheerder(user)


def _keuzes(form: GebruikerForm) -> None:
    form.wijken.choices = [SelectChoice(w.code, w.korte_naam) for w in wijken()]
    form.organisatie.choices = [SelectChoice("", "Geen")] + [
        SelectChoice(str(o.id), o.label) for o in actieve_organisaties()
    ]


def _organisatie(form: GebruikerForm) -> Organisatie | None:
    if not form.organisatie.data:
        return None
    return db.session.get(Organisatie, int(form.organisatie.data))


def _fout_bij_veld(form, fout: AccountFout) -> None:
    veld = form[fout.veld] if fout.veld and fout.veld in form else None
    if veld is None:
        flash(str(fout), "fout")
    else:
        veld.errors = [*veld.errors, str(fout)]


def _gebruiker(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/beheer/gebruikers")
@staff_route(Rol.BEHEERDER)
def gebruikers_lijst():
    return render_template("beheer/gebruikers.html", gebruikers=gebruikers())


@bp.route("/beheer/gebruikers/nieuw", methods=["GET", "POST"])
@staff_route(Rol.BEHEERDER)
def gebruiker_nieuw():
    form = NieuweGebruikerForm()
    _keuzes(form)
    if request.method == "GET":
        form.actief.data = True
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data, form.password.data, form.rol.data, naam=form.naam.data,
                wijk_codes=form.wijken.data, organisatie=_organisatie(form), door=current_user,
            )
            if not form.actief.data:
                update_user(user, door=current_user, naam=user.naam, rol=user.rol,
                            wijk_codes=user.wijk_codes, organisatie=user.organisatie,
                            actief=False)
        except AccountFout as fout:  # raised before anything changed
            _fout_bij_veld(form, fout)
        else:
            db.session.commit()
            flash(f"Het account van {user.email} is aangemaakt.", "succes")
            return redirect(url_for("accounts.gebruikers_lijst"))
    return render_template("beheer/gebruikers_nieuw.html", form=form)


@bp.route("/beheer/gebruikers/<int:user_id>", methods=["GET", "POST"])
@staff_route(Rol.BEHEERDER)
def gebruiker_bewerk(user_id: int):
    user = _gebruiker(user_id)
    form = GebruikerForm(obj=None if request.method == "POST" else user)
    _keuzes(form)
    if request.method == "GET":
        form.wijken.data = user.wijk_codes
        form.organisatie.data = str(user.organisatie_id or "")
    if form.validate_on_submit():
        try:
            update_user(user, door=current_user, naam=form.naam.data, rol=form.rol.data,
                        wijk_codes=form.wijken.data, organisatie=_organisatie(form),
                        actief=form.actief.data)
        except AccountFout as fout:  # raised before anything changed
            _fout_bij_veld(form, fout)
        else:
            db.session.commit()
            flash(f"De wijzigingen voor {user.email} zijn opgeslagen.", "succes")
            return redirect(url_for("accounts.gebruikers_lijst"))
    return render_template("beheer/gebruikers_bewerk.html", form=form, gebruiker=user)


@bp.route("/beheer/gebruikers/<int:user_id>/wachtwoord", methods=["GET", "POST"])
@staff_route(Rol.BEHEERDER)
def gebruiker_wachtwoord(user_id: int):
    user = _gebruiker(user_id)
    form = WachtwoordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data, door=current_user)
        except AccountFout as fout:  # raised before anything changed
            _fout_bij_veld(form, fout)
        else:
            db.session.commit()
            flash(f"{user.email} heeft een nieuw wachtwoord. Wie met dit account was "
                  "ingelogd, moet opnieuw inloggen.", "succes")
            if user.id == current_user.id:
                return redirect(url_for("accounts.login"))
            return redirect(url_for("accounts.gebruiker_bewerk", user_id=user.id))
    return render_template("beheer/gebruikers_wachtwoord.html", form=form, gebruiker=user)


def _begin_van(dag) -> datetime:
    return datetime.combine(dag, time.min, tzinfo=TIJDZONE)


@bp.get("/beheer/audit")
@staff_route(Rol.BEHEERDER)
def audit():
    form = AuditFilterForm(request.args)
    form.object_type.choices = [SelectChoice("", "Alle")] + [
        SelectChoice(t, t) for t in auditlog.object_types()]
    ouder_dan = heel_getal(request.args.get("ouder_dan"))
    regels = []
    if form.validate():
        regels = auditlog.zoek(
            actie=(form.actie.data or "").strip(),
            object_type=form.object_type.data or "",
            email=form.email.data or "",
            van=_begin_van(form.van.data) if form.van.data else None,
            tot=_begin_van(form.tot.data + timedelta(days=1)) if form.tot.data else None,
            ouder_dan=ouder_dan,
            limit=AUDIT_PER_PAGINA + 1,
        )
    volgende = None
    if len(regels) > AUDIT_PER_PAGINA:
        regels = regels[:AUDIT_PER_PAGINA]
        filters = {k: v for k, v in request.args.items() if k != "ouder_dan" and v}
        volgende = url_for("accounts.audit", **filters, ouder_dan=regels[-1].id)
    return render_template("beheer/audit.html", form=form, regels=regels, volgende=volgende,
                           eerste=url_for("accounts.audit", **{
                               k: v for k, v in request.args.items()
                               if k != "ouder_dan" and v}) if ouder_dan else None)
