"""Staff: the surveys (/beheer/enquetes), making and changing one, its questions, opening
and closing it, codes for letters, the summary for the wijk page and the preview."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from participatie.accounts.permissions import staff_route
from participatie.enquetes import bp, services
from participatie.enquetes.forms import CodesForm, EnqueteForm, SamenvattingForm, VraagForm
from participatie.enquetes.models import Enquete, Vraag
from participatie.enquetes.permissions import (
    BEHEER_ROLLEN,
    LEZERS,
    mag_enquete_beheren,
    mag_enquetes_beheren,
    mag_gebied_kiezen,
    mag_lezen,
    mag_uitslag_zien,
)
from participatie.enquetes.workflow import (
    ENQUETE_TRANSITIES,
    VOORWAARDE_TYPES,
    EnqueteStatus,
    VraagType,
)
from participatie.extensions import db
from participatie.forms import EmptyForm
from participatie.gebieden.models import Buurt, Wijk
from participatie.moderatie.item import eerste_fout, probeer

GEMEENTE = "gemeente"


@bp.app_template_global("enquetes_mag_lezen")
def _mag_lezen_in_template() -> bool:
    return mag_lezen(current_user)


def beheerbare_enquete(enquete_id: int) -> Enquete:
    """The survey, if this user may manage it; 404 otherwise (it stays hidden)."""
    enquete = services.enquete_met_vragen(enquete_id)
    if enquete is None or not mag_enquete_beheren(current_user, enquete):
        abort(404)
    return enquete


def leesbare_enquete(enquete_id: int) -> Enquete:
    """The survey, if this user may read its results; 404 otherwise."""
    enquete = services.enquete_met_vragen(enquete_id)
    if enquete is None or not mag_uitslag_zien(current_user, enquete):
        abort(404)
    return enquete


def _gebied_keuzes() -> list[SelectChoice]:
    wijken = db.session.scalars(select(Wijk).order_by(Wijk.naam))
    keuzes = [SelectChoice(GEMEENTE, "Heel Hengelo")] if mag_gebied_kiezen(current_user,
                                                                           None) else []
    return keuzes + [SelectChoice(w.code, f"Wijk {w.korte_naam}") for w in wijken
                     if mag_gebied_kiezen(current_user, w.code)]


def _gegevens(form: EnqueteForm) -> services.EnqueteGegevens:
    wijk = None if form.wijk.data == GEMEENTE else db.session.get(Wijk, form.wijk.data)
    codes = [c.strip().upper() for c in (form.buurten.data or "").split(",") if c.strip()]
    buurten = [db.session.get(Buurt, c) for c in codes if len(c) <= 10]
    if any(b is None for b in buurten) or len(buurten) != len(codes):
        raise services.EnqueteFout("Een of meer buurtcodes bestaan niet, bijvoorbeeld "
                                   "BU01640202.")
    return services.EnqueteGegevens(
        titel=form.titel.data, intro=form.intro.data or "", wijk=wijk, buurten=buurten,
        open_vanaf=form.open_vanaf.data, sluit_op=form.sluit_op.data,
        met_code=form.met_code.data)


@bp.get("/beheer/enquetes")
@staff_route(*LEZERS)
def beheer_lijst():
    return render_template("enquetes/beheer/lijst.html", enquetes=services.enquetes_van(
        current_user), mag_maken=mag_enquetes_beheren(current_user))


@bp.route("/beheer/enquetes/nieuw", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def beheer_nieuw():
    form = EnqueteForm()
    form.wijk.choices = _gebied_keuzes()
    fout = ""
    if form.validate_on_submit():
        enquete = None

        def maak():
            nonlocal enquete
            enquete = services.maak_enquete(_gegevens(form), door=current_user)

        fout = probeer(maak)
        if not fout:
            db.session.commit()
            flash("De enquête is gemaakt. Voeg nu de vragen toe.", "succes")
            return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("enquetes/beheer/nieuw.html", form=form, fout=fout), status


def _voorwaarde_keuzes(enquete: Enquete, vraag: Vraag | None) -> list[SelectChoice]:
    keuzes = [SelectChoice("", "Altijd tonen")]
    for n, v in enumerate(enquete.vragen, start=1):
        if v.type_enum not in VOORWAARDE_TYPES or (vraag is not None and v.id == vraag.id):
            continue
        if v.type_enum == VraagType.JA_NEE:
            keuzes += [SelectChoice(f"{v.id}:1", f"V{n} = Ja"),
                       SelectChoice(f"{v.id}:0", f"V{n} = Nee")]
        else:
            keuzes += [SelectChoice(f"{v.id}:{o.id}", f"V{n} = {o.tekst}") for o in v.opties]
    return keuzes


def _vraag_form(enquete: Enquete, vraag: Vraag | None = None, formdata=None) -> VraagForm:
    if vraag is not None and formdata is None:
        form = VraagForm(formdata=None, obj=vraag, prefix=f"v{vraag.id}")
        form.opties.data = "\n".join(o.tekst for o in vraag.opties)
        form.indicator.data = vraag.indicator or ""
        form.voorwaarde.data = (f"{vraag.toon_als_vraag_id}:{vraag.toon_als_waarde}"
                                if vraag.toon_als_vraag_id else "")
    else:
        form = VraagForm(formdata=formdata, prefix=f"v{vraag.id}" if vraag else "nieuw")
    form.voorwaarde.choices = _voorwaarde_keuzes(enquete, vraag)
    return form


def _vraag_gegevens(form: VraagForm) -> services.VraagGegevens:
    toon_als = None
    if form.voorwaarde.data:
        bron, _, waarde = form.voorwaarde.data.partition(":")
        toon_als = (int(bron), int(waarde))
    return services.VraagGegevens(
        type=VraagType(form.type.data), tekst=form.tekst.data,
        toelichting=form.toelichting.data or "", opties=form.optie_teksten(),
        pagina=form.pagina.data or 1, volgorde=form.volgorde.data or 0,
        verplicht=form.verplicht.data, max_keuzes=form.max_keuzes.data,
        max_lengte=form.max_lengte.data, indicator=form.indicator.data or None,
        naar_inbox=form.naar_inbox.data, toon_als=toon_als)


def _pagina(enquete: Enquete, status: int = 200, **forms):
    form = forms.pop("form", None)
    if form is None:
        form = EnqueteForm(formdata=None, obj=enquete)
        form.wijk.data = enquete.wijk_code or GEMEENTE
        form.buurten.data = ", ".join(b.code for b in enquete.buurten)
    form.wijk.choices = _gebied_keuzes()
    vraag_forms = {v.id: forms.pop(f"vraag_{v.id}", None) or _vraag_form(enquete, v)
                   for v in enquete.vragen}
    codes_form = CodesForm(formdata=None)
    buurten = enquete.buurten or (enquete.wijk.buurten if enquete.wijk else [])
    codes_form.buurt.choices = [SelectChoice("", "Het hele gebied")] + [
        SelectChoice(b.code, b.naam) for b in buurten]
    samenvatting = SamenvattingForm(formdata=None, samenvatting=enquete.samenvatting,
                                    openbaar=enquete.samenvatting_openbaar)
    return render_template(
        "enquetes/beheer/enquete.html", enquete=enquete, form=form, vraag_forms=vraag_forms,
        nieuw_form=forms.pop("nieuw_form", None) or _vraag_form(enquete),
        codes_form=codes_form, samenvatting_form=samenvatting, leeg_form=EmptyForm(),
        beantwoord=services.heeft_responsen(enquete), wat_kan=services.WAT_KAN,
        aantal=services.aantal_verzonden(enquete),
        volgende=[s for s in EnqueteStatus if s in ENQUETE_TRANSITIES[enquete.status_enum]],
        fout=forms.pop("fout", "")), status


@bp.route("/beheer/enquetes/<int:enquete_id>", methods=["GET", "POST"])
@staff_route(*BEHEER_ROLLEN)
def beheer_enquete(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    if request.method == "GET":
        return _pagina(enquete)
    form = EnqueteForm()
    form.wijk.choices = _gebied_keuzes()
    if not form.validate():
        return _pagina(enquete, 422, form=form)
    fout = probeer(lambda: services.wijzig_enquete(enquete, _gegevens(form), door=current_user))
    if fout:
        return _pagina(enquete, 422, form=form, fout=fout)
    db.session.commit()
    flash("De enquête is opgeslagen.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


@bp.post("/beheer/enquetes/<int:enquete_id>/vragen")
@staff_route(*BEHEER_ROLLEN)
def beheer_vraag_nieuw(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    form = _vraag_form(enquete, formdata=request.form)
    if not form.validate():
        return _pagina(enquete, 422, nieuw_form=form, fout=eerste_fout(form))
    fout = probeer(lambda: services.voeg_vraag_toe(enquete, _vraag_gegevens(form),
                                                   door=current_user))
    if fout:
        return _pagina(enquete, 422, nieuw_form=form, fout=fout)
    db.session.commit()
    flash("De vraag is toegevoegd.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


def _vraag_van(enquete: Enquete, enquetevraag_id: int) -> Vraag:
    vraag = next((v for v in enquete.vragen if v.id == enquetevraag_id), None)
    if vraag is None:
        abort(404)
    return vraag


@bp.post("/beheer/enquetes/<int:enquete_id>/vragen/<int:enquetevraag_id>")
@staff_route(*BEHEER_ROLLEN)
def beheer_vraag(enquete_id: int, enquetevraag_id: int):
    enquete = beheerbare_enquete(enquete_id)
    vraag = _vraag_van(enquete, enquetevraag_id)
    form = _vraag_form(enquete, vraag, formdata=request.form)
    if not form.validate():
        return _pagina(enquete, 422, fout=eerste_fout(form), **{f"vraag_{vraag.id}": form})
    fout = probeer(lambda: services.wijzig_vraag(vraag, _vraag_gegevens(form),
                                                 door=current_user))
    if fout:
        db.session.expire_all()
        return _pagina(beheerbare_enquete(enquete_id), 422, fout=fout)
    db.session.commit()
    flash("De vraag is opgeslagen.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


@bp.post("/beheer/enquetes/<int:enquete_id>/vragen/<int:enquetevraag_id>/weg")
@staff_route(*BEHEER_ROLLEN)
def beheer_vraag_weg(enquete_id: int, enquetevraag_id: int):
    enquete = beheerbare_enquete(enquete_id)
    vraag = _vraag_van(enquete, enquetevraag_id)
    if not EmptyForm().validate():
        abort(400)
    fout = probeer(lambda: services.verwijder_vraag(vraag, door=current_user))
    if fout:
        db.session.expire_all()
        return _pagina(beheerbare_enquete(enquete_id), 409, fout=fout)
    db.session.commit()
    flash("De vraag is weggehaald.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


@bp.post("/beheer/enquetes/<int:enquete_id>/status")
@staff_route(*BEHEER_ROLLEN)
def beheer_status(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    naar = request.form.get("naar", "")
    if not EmptyForm().validate() or naar not in {s.value for s in EnqueteStatus}:
        return _pagina(enquete, 400, fout="Kies open of gesloten.")
    fout = probeer(lambda: services.wijzig_status(enquete, EnqueteStatus(naar),
                                                  door=current_user))
    if fout:
        return _pagina(enquete, 409, fout=fout)
    db.session.commit()
    flash(f"De enquête is nu {enquete.status_enum.label.lower()}.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


@bp.post("/beheer/enquetes/<int:enquete_id>/codes")
@staff_route(*BEHEER_ROLLEN)
def beheer_codes(enquete_id: int):
    """Make codes for the letters and hand them out once, as a CSV."""
    enquete = beheerbare_enquete(enquete_id)
    form = CodesForm()
    if not form.validate():
        return _pagina(enquete, 422, fout=eerste_fout(form))
    buurt = db.session.get(Buurt, form.buurt.data[:10]) if form.buurt.data else None
    uit: list[str] = []

    def maak():
        uit.extend(services.maak_codes(enquete, form.aantal.data, buurt=buurt,
                                       door=current_user))

    fout = probeer(maak)
    if fout:
        return _pagina(enquete, 409, fout=fout)
    db.session.commit()
    response = Response("\ufeff" + services.codes_csv(enquete, uit, buurt),
                        mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="enquetecodes-{enquete.id}.csv"'
    response.cache_control.no_store = True
    return response


@bp.post("/beheer/enquetes/<int:enquete_id>/samenvatting")
@staff_route(*BEHEER_ROLLEN)
def beheer_samenvatting(enquete_id: int):
    enquete = beheerbare_enquete(enquete_id)
    form = SamenvattingForm()
    if not form.validate():
        return _pagina(enquete, 422, fout=eerste_fout(form))
    fout = probeer(lambda: services.zet_samenvatting(
        enquete, form.samenvatting.data or "", form.openbaar.data, door=current_user))
    if fout:
        return _pagina(enquete, 409, fout=fout)
    db.session.commit()
    flash("De samenvatting is opgeslagen.", "succes")
    return redirect(url_for("enquetes.beheer_enquete", enquete_id=enquete.id), code=303)


@bp.get("/beheer/enquetes/<int:enquete_id>/voorbeeld")
@staff_route(*BEHEER_ROLLEN)
def beheer_voorbeeld(enquete_id: int):
    """Every page as a resident sees it, conditional questions included."""
    enquete = beheerbare_enquete(enquete_id)
    paginas = sorted({v.pagina for v in enquete.vragen})
    return render_template("enquetes/beheer/voorbeeld.html", enquete=enquete, paginas=paginas)
