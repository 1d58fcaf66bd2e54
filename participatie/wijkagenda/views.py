"""The public wijkagenda, and the staff routes that fill the agenda."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from participatie.accounts.permissions import staff_route
from participatie.extensions import db, htmx
from participatie.forms import EmptyForm
from participatie.gebieden.models import Wijk
from participatie.gebieden.services import wijk_voor_code
from participatie.moderatie.inbox import lees_sleutel
from participatie.moderatie.lijst import rijen_van
from participatie.wijkagenda import bp, services
from participatie.wijkagenda.forms import BewerkForm, KoppelForm, VraagForm, status_keuzes
from participatie.wijkagenda.models import (
    BronType,
    OngeldigeVraagOvergang,
    Thema,
    VraagBron,
    VraagStatus,
)
from participatie.wijkagenda.permissions import (
    BEHEER_ROLLEN,
    beheerbare_vraag,
    controleer_wijk,
    mag_agenda_vullen,
    mag_alles_lezen,
    mag_beheren,
)


def _wijk_of_404(wijkcode: str) -> Wijk:
    wijk = wijk_voor_code(wijkcode)
    if wijk is None:
        abort(404)
    return wijk


@bp.app_template_global("wijkagenda_mag_beheren")
def _mag_beheren_in_template(wijk_code: str) -> bool:
    return mag_beheren(current_user, wijk_code)


@bp.app_template_global("wijkagenda_mag_vullen")
def _mag_vullen_in_template() -> bool:
    return mag_agenda_vullen(current_user)


@bp.app_template_global("wijkagenda_vragen_voor")
def _vragen_voor_bron(soort: str, bron_id: int) -> list:
    return services.vragen_voor_bron(soort, bron_id)


# --- Public (the wijk's own page is wijkpagina's) ----------------------------------------


@bp.get("/wijken/<wijkcode>/agenda")
def agenda(wijkcode: str):
    from participatie.wijkraad import permissions as wijkraad
    from participatie.wijkraad.services import gesprekken, openbare_reacties

    wijk = _wijk_of_404(wijkcode)
    # Staff and wijkraad of the wijk read the whole exchange with the wijkraad per vraag;
    # everyone else what the wijkraad made public.
    heel_gesprek = wijkraad.mag_lezen(current_user, wijk.code)
    return render_template(
        "wijkagenda/agenda.html",
        wijk=wijk,
        regels=services.agenda(wijk.code),
        alles=mag_alles_lezen(current_user, wijk.code),
        beheren=mag_beheren(current_user, wijk.code),
        gesprekken=gesprekken(wijk.code) if heel_gesprek else None,
        wijkraad_reacties=[] if heel_gesprek else openbare_reacties(wijk.code, 20),
    )


# --- Staff -------------------------------------------------------------------------------


def _gekozen() -> list[tuple[str, int]]:
    """The ticked inbox items ("melding:12"), as (soort, id); unreadable ones are left out."""
    sleutels = (lees_sleutel(v) for v in request.values.getlist("ids")[:1000])
    return [s for s in sleutels if s is not None]


def _ids(sleutels: list[tuple[str, int]]) -> list[str]:
    return [f"{soort}:{ident}" for soort, ident in sleutels]


@bp.get("/beheer/wijkagenda")
@staff_route(*BEHEER_ROLLEN)
def overzicht():
    return render_template("wijkagenda/overzicht.html",
                           vragen=services.vragen_van_wijken(current_user))


@bp.post("/beheer/wijkagenda/selectie")
@staff_route(*BEHEER_ROLLEN)
def selectie():
    """The inbox's buttons post here; the chooser itself is a plain GET page."""
    doel = url_for("wijkagenda.nieuw", ids=_ids(_gekozen()))
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = doel
        return response
    return redirect(doel, code=303)


@bp.route("/beheer/wijkagenda/nieuw", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def nieuw():
    gekozen = _gekozen()
    try:
        bronnen = services.gekozen_bronnen(current_user, gekozen)
        wijk = services.wijk_van(bronnen)
    except services.WijkagendaFout as fout:
        code = 400 if request.method == "POST" else 200
        return render_template("wijkagenda/nieuw.html", fout=str(fout)), code
    controleer_wijk(current_user, wijk.code)

    form = VraagForm()
    koppel_form = KoppelForm(formdata=None)
    _vul_koppel_keuzes(koppel_form, wijk.code)
    if form.validate_on_submit():
        vraag = services.maak_vraag(
            bronnen, titel=form.titel.data, omschrijving=form.omschrijving.data,
            thema=Thema(form.thema.data), door=current_user,
        )
        db.session.commit()
        flash(f"De leefbaarheidsvraag ‘{vraag.titel}’ staat op de wijkagenda van "
              f"{wijk.korte_naam}.", "succes")
        return redirect(url_for("wijkagenda.bewerk", vraag_id=vraag.id), code=303)
    code = 400 if form.errors else 200
    return render_template("wijkagenda/nieuw.html", form=form, koppel_form=koppel_form,
                           bronnen=bronnen, wijk=wijk, ids=_ids(gekozen)), code


def _vul_koppel_keuzes(form: KoppelForm, wijk_code: str) -> None:
    form.vraag_id.choices = [SelectChoice("", "Kies een vraag")] + [
        SelectChoice(str(v.id), f"{v.titel} ({v.status_enum.label.lower()})")
        for v in services.open_vragen(wijk_code)
    ]


@bp.post("/beheer/wijkagenda/koppel")
@staff_route(*BEHEER_ROLLEN)
def koppel():
    gekozen = _gekozen()
    try:
        bronnen = services.gekozen_bronnen(current_user, gekozen)
        wijk = services.wijk_van(bronnen)
    except services.WijkagendaFout as fout:
        return render_template("wijkagenda/nieuw.html", fout=str(fout)), 400
    controleer_wijk(current_user, wijk.code)

    koppel_form = KoppelForm()
    _vul_koppel_keuzes(koppel_form, wijk.code)
    if koppel_form.validate_on_submit():
        vraag = beheerbare_vraag(current_user, int(koppel_form.vraag_id.data))
        try:
            nieuw_gekoppeld = services.koppel_bronnen(vraag, bronnen, door=current_user)
        except services.WijkagendaFout as fout:
            koppel_form.vraag_id.errors.append(str(fout))
        else:
            db.session.commit()
            if nieuw_gekoppeld:
                flash(f"{len(nieuw_gekoppeld)} item(s) gekoppeld aan ‘{vraag.titel}’.",
                      "succes")
            else:
                flash(f"De gekozen items waren al gekoppeld aan ‘{vraag.titel}’.", "let-op")
            return redirect(url_for("wijkagenda.bewerk", vraag_id=vraag.id), code=303)
    return render_template("wijkagenda/nieuw.html", form=VraagForm(formdata=None),
                           koppel_form=koppel_form, bronnen=bronnen, wijk=wijk,
                           ids=_ids(gekozen)), 400


@bp.route("/beheer/wijkagenda/<int:vraag_id>", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def bewerk(vraag_id: int):
    vraag = beheerbare_vraag(current_user, vraag_id)
    form = BewerkForm(obj=vraag)
    form.status.choices = status_keuzes(vraag.status_enum)
    form.eigenaar.choices = services.eigenaar_keuzes(vraag.wijk_code)
    if request.method == "GET":
        form.eigenaar.data = vraag.eigenaar_sleutel
    if form.validate_on_submit():
        try:
            gewijzigd = services.wijzig_vraag(
                vraag,
                titel=form.titel.data,
                omschrijving=form.omschrijving.data,
                thema=Thema(form.thema.data),
                status=VraagStatus(form.status.data),
                eigenaar=services.eigenaar_uit_sleutel(form.eigenaar.data),
                door=current_user,
            )
        except OngeldigeVraagOvergang as fout:
            form.status.errors.append(str(fout))
        else:
            db.session.commit()
            flash("De wijzigingen zijn opgeslagen." if gewijzigd else "Er was niets gewijzigd.",
                  "succes")
            return redirect(url_for("wijkagenda.bewerk", vraag_id=vraag.id), code=303)
    regel = next(r for r in services.agenda(vraag.wijk_code) if r.vraag.id == vraag.id)
    code = 400 if form.errors else 200
    # Sources of other kinds (ideas, survey answers) as the inbox shows them, with their link.
    andere = {(r.soort, r.id): r for r in rijen_van(current_user, [
        (b.bron_type, b.bron_id) for b in vraag.bronnen if b.bron_type != BronType.MELDING])}
    return render_template("wijkagenda/bewerk.html", vraag=vraag, form=form, regel=regel,
                           leeg=EmptyForm(), andere=andere), code


@bp.post("/beheer/wijkagenda/<int:vraag_id>/bronnen/<int:bron_id>/ontkoppel")
@staff_route(*BEHEER_ROLLEN)
def ontkoppel(vraag_id: int, bron_id: int):
    vraag = beheerbare_vraag(current_user, vraag_id)
    bron = db.session.get(VraagBron, bron_id)
    if bron is None or bron.vraag_id != vraag.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.ontkoppel(bron, door=current_user)
    db.session.commit()
    flash("De bron is losgekoppeld van deze vraag.", "succes")
    return redirect(url_for("wijkagenda.bewerk", vraag_id=vraag.id), code=303)
