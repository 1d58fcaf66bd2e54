"""The beheerder's page for API keys (/beheer/api-sleutels): make one, see use, revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from participatie.accounts.models import Rol
from participatie.accounts.permissions import staff_route
from participatie.api import bp
from participatie.api.forms import SleutelForm
from participatie.api.models import ApiSleutel
from participatie.api.sleutels import SleutelFout, alle_sleutels, maak_sleutel, trek_in
from participatie.extensions import db
from participatie.forms import EmptyForm


def _pagina(form: SleutelForm, nieuw: tuple[ApiSleutel, str] | None = None, status: int = 200):
    response = render_template("api/beheer/sleutels.html", form=form, sleutels=alle_sleutels(),
                               nieuw=nieuw, intrekken_form=EmptyForm(formdata=None))
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/beheer/api-sleutels")
@staff_route(Rol.BEHEERDER)
def sleutels():
    return _pagina(SleutelForm(formdata=None))


@bp.post("/beheer/api-sleutels")
@staff_route(Rol.BEHEERDER)
def sleutel_maken():
    form = SleutelForm()
    if not form.validate():
        return _pagina(form, status=422)
    try:
        nieuw = maak_sleutel(form.naam.data, form.contact.data, door=current_user)
    except SleutelFout as fout:
        form[fout.veld or "naam"].errors.append(str(fout))
        return _pagina(form, status=422)
    db.session.commit()
    # Shown on this answer only: the key is never stored, so it cannot be shown again.
    return _pagina(SleutelForm(formdata=None), nieuw=nieuw, status=201)


@bp.post("/beheer/api-sleutels/<int:sleutel_id>/intrekken")
@staff_route(Rol.BEHEERDER)
def sleutel_intrekken(sleutel_id: int):
    sleutel = db.session.get(ApiSleutel, sleutel_id)
    if sleutel is None:
        abort(404)
    try:
        trek_in(sleutel, door=current_user)
    except SleutelFout as fout:
        flash(str(fout), "fout")
    else:
        db.session.commit()
        flash(f"De sleutel van {sleutel.naam} is ingetrokken. De app kan niet meer melden.",
              "succes")
    return redirect(url_for("api.sleutels"))
