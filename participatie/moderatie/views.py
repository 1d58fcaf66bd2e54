"""The staff inbox (/beheer): list, detail and triage actions.

Every page works as plain HTML with form posts and redirects (PRG). Under htmx the same
endpoints answer with the fragment the page itself includes: the list (`_lijstvak.html`) or
the detail panel (`_item.html`, plus the changed row out of band).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from participatie import audit, mail, media
from participatie.accounts.models import Organisatie
from participatie.accounts.permissions import staff_route
from participatie.extensions import db, htmx
from participatie.meldingen.models import Foto, Gebeurtenis, Melding
from participatie.meldingen.services import plek_van
from participatie.meldingen.workflow import Status
from participatie.moderatie import bp, permissions, queries, services
from participatie.moderatie.forms import (
    BerichtForm,
    BulkForm,
    EmptyForm,
    HeropenForm,
    SamenvoegenForm,
    StatusForm,
    ToewijzenForm,
)
from participatie.moderatie.permissions import BEHANDELAARS, LEZERS, REGISSEURS
from participatie.moderatie.services import ActieGeweigerd
from participatie.tijd import vandaag


def _fragment() -> bool:
    """An htmx request that wants a fragment (a history restore wants the full page)."""
    return bool(htmx) and not htmx.history_restore_request


def _lijst_args() -> str:
    """The inbox's query string, carried along so "Volgende" and "Terug" keep the filter."""
    return request.args.get("lijst", "")[:1000]


def _args_uit(lijst: str) -> MultiDict:
    return MultiDict([(k, v) for k, vs in parse_qs(lijst).items() for v in vs])


def _filter_uit(lijst: str) -> queries.Filter:
    return queries.Filter.uit_args(_args_uit(lijst))


def _organisatie_keuzes(namen: queries.Referentie | None = None) -> list[tuple[int, str]]:
    """Active organisations: gemeente teams first, then partners, each by name."""
    actief = [o for o in (namen or queries.Referentie()).organisaties if o.actief]
    actief.sort(key=lambda o: o.soort != "team")  # a stable sort keeps the name order
    return [(o.id, f"{o.naam} ({'partner' if o.soort == 'partner' else 'team gemeente'})")
            for o in actief]


# --- the list ----------------------------------------------------------------------------


def _inbox_context(args, bulk_form: BulkForm | None = None, rapport=None) -> dict:
    f = queries.Filter.uit_args(args)
    namen = queries.Referentie()
    pagina = queries.pagina(current_user, f, na=args.get("na"), voor=args.get("voor"),
                            namen=namen)
    lijst = urlencode(f.als_args(), doseq=True)
    if bulk_form is None:
        bulk_form = BulkForm(formdata=None)
    bulk_form.organisatie.choices = [("", "Kies een team of partner")] + _organisatie_keuzes(
        namen)
    return {
        "filter": f,
        "pagina": pagina,
        "lijst": lijst,
        "keuzes": queries.keuzes(current_user, namen),
        "sorteringen": queries.SORTERINGEN,
        "statussen": list(Status),
        "status_labels": {s.value: s.label for s in Status},
        "bulk_form": bulk_form,
        "rapport": rapport,
        "mag_bulk": current_user.rol_enum in REGISSEURS,
    }


@bp.get("/")
@staff_route(*LEZERS)
def inbox():
    context = _inbox_context(request.args)
    if _fragment() and htmx.target == "lijstvak":
        return render_template("beheer/_lijstvak.html", **context)
    return render_template("beheer/inbox.html", **context)


@bp.post("/bulk")
@staff_route(*REGISSEURS)
def bulk():
    form = BulkForm()
    form.organisatie.choices = [("", "")] + _organisatie_keuzes()
    ids = request.form.getlist("ids", type=int)[:1000]
    fout = None
    aantal = 0
    if not form.validate():
        fout = "Het formulier was verlopen of niet goed ingevuld. Probeer het opnieuw."
    elif not ids:
        fout = "Kies eerst één of meer meldingen in de lijst."
    else:
        try:
            with db.session.begin_nested():
                aantal = _bulk_uitvoeren(form, ids)
        except ActieGeweigerd as geweigerd:
            fout = geweigerd
    if fout is None:
        db.session.commit()
        mail.deliver_pending()
        tekst = f"{aantal} meldingen zijn gewijzigd."
        if not _fragment():
            flash(tekst, "succes")
            return redirect(url_for("moderatie.inbox") + _query(_lijst_args()))
        rapport = {"succes": tekst}
    else:
        rapport = {"fout": str(fout), "weigeringen": getattr(fout, "weigeringen", [])}
    context = _inbox_context(_args_uit(_lijst_args()), form if fout else None, rapport)
    if _fragment():
        return render_template("beheer/_lijstvak.html", **context)
    return render_template("beheer/inbox.html", **context), 422


def _bulk_uitvoeren(form: BulkForm, ids: list[int]) -> int:
    meldingen = services.meldingen_voor_bulk(ids)
    if len(meldingen) != len(set(ids)):
        raise ActieGeweigerd("Een of meer gekozen meldingen bestaan niet meer.")
    if form.actie.data == "toewijzen":
        organisatie = db.session.get(Organisatie, form.organisatie.data or 0)
        if organisatie is None:
            raise ActieGeweigerd("Kies een team of partner om aan toe te wijzen.")
        return services.bulk_toewijzen(current_user, meldingen, organisatie,
                                       form.doorzetten.data)
    if not form.status.data:
        raise ActieGeweigerd("Kies de nieuwe status.")
    return services.bulk_status(current_user, meldingen, Status(form.status.data),
                                form.bericht.data or "", form.publiek.data)


def _query(lijst: str) -> str:
    return f"?{lijst}" if lijst else ""


# --- one melding ---------------------------------------------------------------------------


def _melding(id: int) -> Melding:
    """The melding, if this user may see it; 404 otherwise (its existence stays hidden)."""
    melding = db.session.scalar(
        select(Melding).where(Melding.id == id).options(
            selectinload(Melding.contacten), selectinload(Melding.fotos),
            selectinload(Melding.gebeurtenissen).selectinload(Gebeurtenis.user))
    )
    if melding is None or not permissions.can_view(current_user, melding):
        abort(404)
    return melding


def _detail_context(melding: Melding, **forms) -> dict:
    lijst = _lijst_args()
    user = current_user
    f = _filter_uit(lijst)
    namen = queries.Referentie()
    status_form = forms.get("status_form") or StatusForm(formdata=None)
    toewijzen_form = forms.get("toewijzen_form") or ToewijzenForm(
        formdata=None, organisatie=melding.organisatie_id)
    toewijzen_form.organisatie.choices = _organisatie_keuzes(namen)
    return {
        "melding": melding,
        "lijst": lijst,
        "plek": plek_van(melding),
        "te_laat": melding.is_open and melding.deadline < vandaag(),
        "contacten": melding.contacten if permissions.can_see_contacts(user, melding) else None,
        "regels": audit.regels_voor("melding", melding.id),
        "volgende": queries.volgende(user, f, melding, namen),
        "statussen": permissions.statussen_voor(user, melding),
        "mag_wijzigen": permissions.can_change(user, melding),
        "mag_triage": permissions.can_triage(user, melding),
        "status_form": status_form,
        "bericht_form": forms.get("bericht_form") or BerichtForm(formdata=None),
        "toewijzen_form": toewijzen_form,
        "samenvoegen_form": forms.get("samenvoegen_form") or SamenvoegenForm(formdata=None),
        "heropen_form": forms.get("heropen_form") or HeropenForm(formdata=None),
        "foto_form": EmptyForm(formdata=None),
        "fout": forms.get("fout"),
        "succes": forms.get("succes"),
        "rij": queries.rij_voor(melding, f, namen),
    }


@bp.get("/meldingen/<int:id>")
@staff_route(*LEZERS)
def melding(id: int):
    context = _detail_context(_melding(id))
    if _fragment():
        return render_template("beheer/_item.html", **context)
    return render_template("beheer/melding.html", **context)


def _na_actie(melding: Melding, succes: str):
    """Commit once, send the mail, then redirect (plain) or show the panel again (htmx)."""
    db.session.commit()
    mail.deliver_pending()
    if not _fragment():
        flash(succes, "succes")
        return redirect(url_for("moderatie.melding", id=melding.id, lijst=_lijst_args() or None))
    melding = _melding(melding.id)
    return render_template("beheer/_item.html", oob_rij=True, **_detail_context(
        melding, succes=succes))


def _probeer(actie) -> str | None:
    """Run a service inside a savepoint; a refusal undoes it and comes back as text."""
    try:
        with db.session.begin_nested():
            actie()
    except ActieGeweigerd as fout:
        return str(fout)
    return None


def _geweigerd(melding_id: int, fout: str, **forms):
    melding = _melding(melding_id)
    context = _detail_context(melding, fout=fout, **forms)
    if _fragment():
        return render_template("beheer/_item.html", **context)
    return render_template("beheer/melding.html", **context), 422


def _eerste_fout(form) -> str:
    for naam, fouten in form.errors.items():
        if naam == "csrf_token":
            return "Het formulier was verlopen. Verstuur het nog een keer."
        return fouten[0]
    return "Controleer het formulier."


def _mag_wijzigen(melding: Melding, triage: bool = False) -> None:
    toegestaan = (permissions.can_triage if triage else permissions.can_change)(
        current_user, melding)
    if not toegestaan:
        abort(403)


@bp.post("/meldingen/<int:id>/status")
@staff_route(*BEHANDELAARS)
def status(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding)
    form = StatusForm()
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form), status_form=form)
    naar = Status(form.status.data)
    fout = _probeer(lambda: services.wijzig_status(
        current_user, melding, naar, form.bericht.data or "", form.publiek.data))
    if fout:
        return _geweigerd(id, fout, status_form=form)
    return _na_actie(melding, f"{melding.nummer} staat nu op '{naar.label}'.")


@bp.post("/meldingen/<int:id>/bericht")
@staff_route(*BEHANDELAARS)
def bericht(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding)
    form = BerichtForm()
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form), bericht_form=form)
    publiek = form.zichtbaarheid.data == "publiek"
    fout = _probeer(lambda: services.bericht(current_user, melding, form.tekst.data, publiek))
    if fout:
        return _geweigerd(id, fout, bericht_form=form)
    return _na_actie(melding, "Het bericht is verstuurd." if publiek
                     else "De notitie is opgeslagen.")


@bp.post("/meldingen/<int:id>/toewijzen")
@staff_route(*REGISSEURS)
def toewijzen(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, triage=True)
    form = ToewijzenForm()
    form.organisatie.choices = _organisatie_keuzes()
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form), toewijzen_form=form)
    organisatie = db.session.get(Organisatie, form.organisatie.data)
    fout = _probeer(lambda: services.toewijzen(
        current_user, melding, organisatie, form.doorzetten.data))
    if fout:
        return _geweigerd(id, fout, toewijzen_form=form)
    return _na_actie(melding, f"{melding.nummer} is toegewezen aan {organisatie.naam}.")


@bp.post("/meldingen/<int:id>/samenvoegen")
@staff_route(*REGISSEURS)
def samenvoegen(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, triage=True)
    form = SamenvoegenForm()
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form), samenvoegen_form=form)
    origineel = services.zoek_melding(form.origineel.data)
    fout = _probeer(lambda: services.samenvoegen(
        current_user, melding, origineel, form.bericht.data or ""))
    if fout:
        return _geweigerd(id, fout, samenvoegen_form=form)
    return _na_actie(melding, f"{melding.nummer} is samengevoegd met {origineel.nummer}.")


@bp.post("/meldingen/<int:id>/heropen-verzoek")
@staff_route(*REGISSEURS)
def heropen_verzoek(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, triage=True)
    form = HeropenForm()
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form), heropen_form=form)
    heropenen = form.keuze.data == "heropenen"
    fout = _probeer(lambda: services.heropen_verzoek(
        current_user, melding, heropenen, form.bericht.data))
    if fout:
        return _geweigerd(id, fout, heropen_form=form)
    return _na_actie(melding, f"{melding.nummer} is heropend." if heropenen
                     else f"{melding.nummer} blijft gesloten; de melder krijgt uw bericht.")


@bp.post("/meldingen/<int:id>/fotos/<int:foto_id>")
@staff_route(*REGISSEURS)
def foto(id: int, foto_id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, triage=True)
    form = EmptyForm()
    foto = db.session.get(Foto, foto_id)
    if foto is None or foto.melding_id != melding.id:
        abort(404)
    if not form.validate():
        return _geweigerd(id, _eerste_fout(form))
    actie = request.form.get("actie", "")
    fout = _probeer(lambda: services.foto_zetten(current_user, melding, foto, actie))
    if fout:
        return _geweigerd(id, fout)
    label = services.FOTO_ACTIES[actie][0]
    return _na_actie(melding, f"Foto: {label.lower()}.")


@bp.get("/meldingen/<int:id>/fotos/<int:foto_id>/<any(klein, groot):formaat>")
@staff_route(*LEZERS)
def foto_bestand(id: int, foto_id: int, formaat: str):
    melding = _melding(id)
    foto = db.session.get(Foto, foto_id)
    if foto is None or foto.melding_id != melding.id:
        abort(404)
    naam = foto.thumbnail if formaat == "klein" else foto.bestand
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=False, max_age=600)
