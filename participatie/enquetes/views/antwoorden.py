"""An open answer's staff page (/beheer/enquetes/antwoorden/<id>): the inbox's third kind.

Under htmx every endpoint answers with the panel the inbox shows beside the list; without JS
it is a page of its own and every action a form post followed by a redirect.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participatie import audit, mail
from participatie.accounts.permissions import staff_route
from participatie.enquetes import antwoorden, bp
from participatie.enquetes.forms import AntwoordReactieForm
from participatie.enquetes.inbox import SOORT
from participatie.enquetes.models import Antwoord, Respons, Vraag
from participatie.enquetes.permissions import (
    BEHEER_ROLLEN,
    LEZERS,
    mag_antwoord_behandelen,
    mag_antwoord_lezen,
)
from participatie.enquetes.workflow import ANTWOORD_TRANSITIES, AntwoordStatus
from participatie.extensions import db
from participatie.forms import EmptyForm
from participatie.moderatie import inbox, lijst
from participatie.moderatie.item import eerste_fout, lijst_args, probeer
from participatie.web import wil_fragment


def leesbaar_antwoord(antwoord_id: int) -> Antwoord:
    """The open answer, if it is an inbox item this user may see; 404 otherwise."""
    antwoord = db.session.scalar(select(Antwoord).where(Antwoord.id == antwoord_id).options(
        selectinload(Antwoord.vraag).selectinload(Vraag.enquete),
        selectinload(Antwoord.respons).selectinload(Respons.antwoorden)))
    if antwoord is None or antwoord.inbox_status is None \
            or not mag_antwoord_lezen(current_user, antwoord):
        abort(404)
    return antwoord


def _toon(antwoord: Antwoord, status: int = 200, **extra):
    terug = lijst_args()
    f = inbox.Filter.uit_lijst(terug)
    namen = inbox.Namen()
    behandelen = mag_antwoord_behandelen(current_user, antwoord)
    context = {
        "antwoord": antwoord, "lijst": terug, "behandelen": behandelen,
        "email": antwoord.respons.email if behandelen else None,
        "regels": audit.regels_voor(antwoorden.OBJECT, antwoord.id) if behandelen else None,
        "volgende": lijst.volgende(current_user, f, SOORT, antwoord.id, namen),
        "rij": lijst.rij_voor(current_user, f, SOORT, antwoord.id, namen),
        "naar": [s for s in AntwoordStatus if s in ANTWOORD_TRANSITIES[antwoord.status_enum]
                 and s != AntwoordStatus.BEANTWOORD],
        "reactie_form": extra.pop("reactie_form", None) or AntwoordReactieForm(formdata=None),
        "leeg_form": EmptyForm(formdata=None), "item_acties": inbox.item_acties(),
        "fout": extra.get("fout"), "succes": extra.get("succes"),
        "oob_rij": extra.get("oob_rij", False),
    }
    if wil_fragment():
        return render_template("enquetes/beheer/_antwoord.html", **context)
    return render_template("enquetes/beheer/antwoord.html", **context), status


@bp.get("/beheer/enquetes/antwoorden/<int:antwoord_id>")
@staff_route(*LEZERS)
def beheer_antwoord(antwoord_id: int):
    return _toon(leesbaar_antwoord(antwoord_id))


def _te_behandelen(antwoord_id: int) -> Antwoord:
    antwoord = leesbaar_antwoord(antwoord_id)
    if not mag_antwoord_behandelen(current_user, antwoord):
        abort(403)
    return antwoord


def _klaar(antwoord: Antwoord, succes: str):
    """Commit once, send the mail this request queued, then redirect or show the panel."""
    db.session.commit()
    mail.deliver_pending()
    if wil_fragment():
        return _toon(antwoord, succes=succes, oob_rij=True)
    flash(succes, "succes")
    args = {"lijst": lijst_args()} if lijst_args() else {}
    return redirect(url_for("enquetes.beheer_antwoord", antwoord_id=antwoord.id, **args),
                    code=303)


@bp.post("/beheer/enquetes/antwoorden/<int:antwoord_id>/status")
@staff_route(*BEHEER_ROLLEN)
def beheer_antwoord_status(antwoord_id: int):
    antwoord = _te_behandelen(antwoord_id)
    naar = request.form.get("naar", "")
    if not EmptyForm().validate() or naar not in {s.value for s in AntwoordStatus}:
        return _toon(antwoord, 400, fout="Kies wat er met het antwoord moet gebeuren.")
    fout = probeer(lambda: antwoorden.wijzig_status(antwoord, AntwoordStatus(naar),
                                                    door=current_user))
    if fout:
        return _toon(antwoord, 409, fout=fout)
    return _klaar(antwoord, f"Het antwoord is nu {antwoord.status_enum.label.lower()}.")


@bp.post("/beheer/enquetes/antwoorden/<int:antwoord_id>/beantwoord")
@staff_route(*BEHEER_ROLLEN)
def beheer_antwoord_reactie(antwoord_id: int):
    antwoord = _te_behandelen(antwoord_id)
    form = AntwoordReactieForm()
    if not form.validate():
        return _toon(antwoord, 422, reactie_form=form, fout=eerste_fout(form))
    fout = probeer(lambda: antwoorden.beantwoord(antwoord, form.tekst.data, door=current_user))
    if fout:
        return _toon(antwoord, 409, reactie_form=form, fout=fout)
    return _klaar(antwoord, "Uw antwoord is per e-mail naar de bewoner gestuurd.")
