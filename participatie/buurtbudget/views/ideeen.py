"""Residents and ideas: submit one (no account), follow your own by its private link and
answer a question there, read the public ideas of a round and follow one by e-mail."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from participatie import geheimelink, mail, media
from participatie.buurtbudget import bp, ideeen
from participatie.buurtbudget.forms import (
    MAX_IDEE_FOTOS,
    AntwoordForm,
    IdeeForm,
    VolgForm,
)
from participatie.buurtbudget.models import Budgetronde, Idee, IdeeUpdate
from participatie.buurtbudget.permissions import eigen_idee
from participatie.buurtbudget.views.openbaar import ronde_of_404
from participatie.buurtbudget.workflow import (
    IDEE_LABELS,
    Fase,
    IdeeActie,
    UitvoeringStand,
    mag_in_fase,
)
from participatie.extensions import db, limiter
from participatie.gebieden.models import Buurt
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import absolute_url

BEWAARD = media.BewaardeFotos("idee", ideeen.al_bij_een_idee, MAX_IDEE_FOTOS)
bp.add_app_template_global({s.value: s.label for s in UitvoeringStand}, "standen")


@bp.app_template_global("idee_status_label")
def _status_label(status: str) -> str:
    return IDEE_LABELS.get(status, status)


def _limiet() -> str:
    return current_app.config["RATELIMIT_MELDEN"]


# --- Submitting ------------------------------------------------------------------------------


def _formulier(ronde: Budgetronde, form: IdeeForm, fotos=(), status: int = 200):
    form.fotos_bewaard.data, bewaard = BEWAARD.teken(fotos)
    return render_template(
        "buurtbudget/idee_nieuw.html", ronde=ronde, form=form, bewaard=bewaard,
        accept=media.ACCEPT, kan_indienen=mag_in_fase(IdeeActie.INDIENEN, ronde.fase_enum),
        centrum=ideeen.centrum(ronde), indienen_vanaf=ronde.datum_van(Fase.INDIENEN),
        indienen_tot=ronde.datum_van(Fase.BEOORDELEN),
    ), status


def _gegevens(form: IdeeForm, plek, foto) -> ideeen.IdeeGegevens:
    buurt = db.session.get(Buurt, form.buurt.data) if form.buurt.data and not plek else None
    return ideeen.IdeeGegevens(
        titel=form.titel.data, omschrijving=form.omschrijving.data,
        kosten_schatting=form.kosten_schatting.data, plek=plek,
        locatie_tekst=form.locatie_tekst.data or "", buurt=buurt,
        email=form.email.data or None, foto=foto)


@bp.route("/buurtbudget/<ronde>/idee", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def nieuw_idee(ronde: str):
    ronde = ronde_of_404(ronde)
    form = IdeeForm(budget=ronde.budget)
    form.buurt.choices = [SelectChoice("", "Kies de buurt (niet verplicht)")] + [
        SelectChoice(b.code, b.naam) for b in ideeen.gebied_buurten(ronde)]
    if request.method == "GET":
        return _formulier(ronde, form)
    if not mag_in_fase(IdeeActie.INDIENEN, ronde.fase_enum):
        return _formulier(ronde, form, status=409)

    nieuwe_fotos: list[media.VerwerkteFoto] = []
    with media.weg_bij_fout(nieuwe_fotos):
        fotos, foto_fouten = BEWAARD.verwerk(
            form.fotos_bewaard.data, set(request.form.getlist("foto_weg")),
            [form.foto_kies.data], nieuw=nieuwe_fotos)
        geldig = form.validate()
        form.foto_kies.errors = list(form.foto_kies.errors) + foto_fouten
        plek = form.coordinaten()
        if geldig and plek and ideeen.buurt_in_ronde(ronde, plek) is None:
            form.latitude.errors.append(ideeen.buiten_gebied(ronde))
        if form.errors or foto_fouten:
            return _formulier(ronde, form, fotos, status=422)
        try:
            idee = ideeen.dien_in(ronde, _gegevens(form, plek, fotos[0] if fotos else None))
        except ActieGeweigerd as fout:
            db.session.rollback()
            form.latitude.errors.append(str(fout))
            return _formulier(ronde_of_404(ronde.slug), form, fotos, status=422)
        db.session.commit()
    ident, nummer = idee.id, idee.nummer  # before the mail: the idea is stored
    geheimelink.onthoud(idee.token)  # this browser follows it without the secret link
    mail.deliver_pending()
    flash(f"Bedankt! Uw idee {nummer} is ontvangen.", "succes")
    return redirect(url_for("buurtbudget.mijn_idee", idee_id=ident), code=303)


@bp.get("/buurtbudget/<ronde>/idee/foto/<signed>")
def bewaarde_idee_foto(ronde: str, signed: str):
    """The thumbnail of a photo kept on the idea form with errors (media.BewaardeFotos)."""
    return BEWAARD.als_thumbnail_response(signed)


# --- The submitter's private page --------------------------------------------------------------
# The e-mails link to `mijn_idee_link` (the secret link); it sends this browser on to the page
# without the secret (participatie/geheimelink.py), for which `eigen_idee` checks the session.


def _mijn_pagina(idee: Idee, form: AntwoordForm | None = None, status: int = 200, fout=""):
    return geheimelink.prive(current_app.make_response((render_template(
        "buurtbudget/mijn_idee.html", idee=idee, ronde=idee.ronde,
        updates=ideeen.updates_voor_indiener(idee), vraag=ideeen.gestelde_vraag(idee),
        kan_antwoorden=mag_in_fase(IdeeActie.ANTWOORDEN, idee.ronde.fase_enum),
        form=form or AntwoordForm(formdata=None), fout=fout, plek=ideeen.plek_van(idee),
        link=absolute_url("buurtbudget.mijn_idee_link", token=idee.token)), status)))


@bp.get("/buurtbudget/ideeen/<token>")
def mijn_idee_link(token: str):
    idee = ideeen.idee_voor_token(token)
    return geheimelink.doorsturen(idee.token, url_for("buurtbudget.mijn_idee", idee_id=idee.id))


@bp.get("/buurtbudget/ideeen/mijn/<int:idee_id>")
def mijn_idee(idee_id: int):
    return _mijn_pagina(eigen_idee(idee_id))


@bp.post("/buurtbudget/ideeen/mijn/<int:idee_id>/antwoord")
@limiter.limit(_limiet)
def antwoord(idee_id: int):
    idee = eigen_idee(idee_id)
    form = AntwoordForm()
    if not form.validate():
        return _mijn_pagina(idee, form, 422)
    try:
        ideeen.beantwoord(idee, form.antwoord.data)
    except ActieGeweigerd as fout:
        db.session.rollback()
        return _mijn_pagina(eigen_idee(idee_id), form, 409, str(fout))
    db.session.commit()
    flash("Bedankt voor uw antwoord. De gemeente kijkt opnieuw naar uw idee.", "succes")
    return redirect(url_for("buurtbudget.mijn_idee", idee_id=idee.id), code=303)


@bp.get("/buurtbudget/ideeen/mijn/<int:idee_id>/foto/<any(klein, groot):formaat>")
def mijn_idee_foto(idee_id: int, formaat: str):
    return _foto(eigen_idee(idee_id), formaat, publiek=False)


def _foto(bron: Idee | IdeeUpdate, formaat: str, *, publiek: bool):
    naam = bron.foto_thumbnail if formaat == "klein" else bron.foto_bestand
    if not naam:
        abort(404)
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=publiek,
                              max_age=media.PUBLIEKE_FOTO_MAX_AGE if publiek else 600)


# --- Public ----------------------------------------------------------------------------------


def _publieke_pagina(ronde: Budgetronde, idee: Idee, form: VolgForm | None = None,
                     status: int = 200, gevolgd: str = ""):
    return render_template(
        "buurtbudget/idee.html", ronde=ronde, idee=idee, updates=ideeen.openbare_updates(idee),
        voortgang=ideeen.laatste_voortgang(idee), plek=ideeen.plek_van(idee),
        form=form or VolgForm(formdata=None), gevolgd=gevolgd,
        samengevoegd=[i for i in ronde.ideeen if i.samengevoegd_met_id == idee.id]), status


@bp.get("/buurtbudget/<ronde>/ideeen/<int:idee_id>")
def idee(ronde: str, idee_id: int):
    ronde = ronde_of_404(ronde)
    return _publieke_pagina(ronde, ideeen.publiek_idee(ronde, idee_id))


@bp.post("/buurtbudget/<ronde>/ideeen/<int:idee_id>/volgen")
@limiter.limit(_limiet)
def volgen(ronde: str, idee_id: int):
    ronde = ronde_of_404(ronde)
    idee = ideeen.publiek_idee(ronde, idee_id)
    form = VolgForm()
    if not form.validate():
        return _publieke_pagina(ronde, idee, form, 422)
    ideeen.volg(idee, form.email.data)
    db.session.commit()
    mail.deliver_pending()
    # The same answer whether or not the address already followed: it reveals nothing.
    flash(f"U volgt idee {idee.nummer}. U krijgt een e-mail als er nieuws is.", "succes")
    return redirect(url_for("buurtbudget.idee", ronde=ronde.slug, idee_id=idee.id), code=303)


@bp.get("/buurtbudget/<ronde>/ideeen/<int:idee_id>/foto/<any(klein, groot):formaat>")
def idee_foto(ronde: str, idee_id: int, formaat: str):
    idee = ideeen.publiek_idee(ronde_of_404(ronde), idee_id)
    return _foto(idee, formaat, publiek=True)


@bp.get("/buurtbudget/<ronde>/ideeen/<int:idee_id>/voortgang/<int:update_id>/"
        "<any(klein, groot):formaat>")
def voortgang_foto(ronde: str, idee_id: int, update_id: int, formaat: str):
    idee = ideeen.publiek_idee(ronde_of_404(ronde), idee_id)
    update = next((u for u in ideeen.openbare_updates(idee) if u.id == update_id), None)
    if update is None:
        abort(404)
    return _foto(update, formaat, publiek=True)
