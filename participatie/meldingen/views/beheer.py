"""A melding's staff page in the inbox (/beheer/meldingen/<id>) and its triage actions.

The inbox (moderatie) lists meldingen through `meldingen.inbox`; this page is the melding's
own. Under htmx each endpoint answers with the panel (`_item.html`) that the inbox shows
beside the list, plus the changed row out of band; without JS it is a page of its own and
every action is a form post followed by a redirect.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defaultload, joinedload

from participatie import audit, mail, media
from participatie.accounts.models import Organisatie
from participatie.accounts.permissions import ingelogde_gebruiker, staff_route
from participatie.extensions import db
from participatie.forms import EmptyForm
from participatie.meldingen import bp, permissions
from participatie.meldingen.forms import (
    BerichtForm,
    HeropenForm,
    SamenvoegenForm,
    StatusForm,
    ToewijzenForm,
    organisatie_keuzes,
)
from participatie.meldingen.inbox import SOORT
from participatie.meldingen.models import Foto, Gebeurtenis, Melding
from participatie.meldingen.permissions import BEHANDELAARS, LEZERS, REGISSEURS
from participatie.meldingen.services import plek_van, triage
from participatie.meldingen.workflow import TRANSITIES, Status
from participatie.moderatie import inbox, lijst
from participatie.moderatie.item import eerste_fout, lijst_args, probeer
from participatie.tijd import vandaag
from participatie.web import wil_fragment

# What the page shows of one melding: joined in the same statement, and its photos,
# contacts and history (lazily, one plain query each when used) with the history's users.
# Built once, the id a parameter.
_MELDING = select(Melding).where(Melding.id == bindparam("id")).options(
    joinedload(Melding.categorie), joinedload(Melding.buurt), joinedload(Melding.wijk),
    joinedload(Melding.organisatie),
    defaultload(Melding.gebeurtenissen).selectinload(Gebeurtenis.user))


def _melding(id: int) -> Melding:
    """The melding, if this user may see it; 404 otherwise (its existence stays hidden)."""
    melding = db.session.scalar(_MELDING, {"id": id})
    if melding is None or not permissions.can_view(current_user, melding):
        abort(404)
    return melding


def _detail_context(melding: Melding, oob_rij: bool = False, **forms) -> dict:
    """The panel's context; with `oob_rij` also the melding's row, redrawn after an action.

    Only the forms the panel shows to this user are made (one refused keeps its input).
    """
    terug = lijst_args()
    user = ingelogde_gebruiker()
    f = inbox.Filter.uit_lijst(terug)
    namen = inbox.Namen()
    zicht = permissions.zicht(user, melding)
    mag_wijzigen = permissions.can_change(user, melding)
    mag_triage = permissions.can_triage(user, melding)
    mag_samenvoegen = Status.SAMENGEVOEGD in TRANSITIES[melding.status_enum]

    def form(naam: str, nodig: bool, maak):
        return forms.get(naam) or (maak() if nodig else None)

    toewijzen_form = form("toewijzen_form", mag_triage, lambda: ToewijzenForm(
        formdata=None, organisatie=melding.organisatie_id))
    if toewijzen_form is not None:
        toewijzen_form.organisatie.choices = organisatie_keuzes()
    return {
        "melding": melding,
        "lijst": terug,
        "plek": plek_van(melding),
        "te_laat": melding.is_open and melding.deadline < vandaag(),
        "contacten": melding.contacten if zicht.contacten else None,
        "geschiedenis": permissions.geschiedenis(user, melding),
        "regels": audit.regels_voor("melding", melding.id) if zicht.logboek else None,
        "volgende": lijst.volgende(user, f, SOORT, melding.id, namen),
        "statussen": permissions.statussen_voor(user, melding),
        "mag_samenvoegen": mag_samenvoegen,
        "mag_heropenen": Status.HEROPEND in TRANSITIES[melding.status_enum],
        "mag_wijzigen": mag_wijzigen,
        "mag_triage": mag_triage,
        "status_form": form("status_form", mag_wijzigen, lambda: StatusForm(formdata=None)),
        "bericht_form": form("bericht_form", mag_wijzigen, lambda: BerichtForm(formdata=None)),
        "toewijzen_form": toewijzen_form,
        "samenvoegen_form": form("samenvoegen_form", mag_triage and mag_samenvoegen,
                                 lambda: SamenvoegenForm(formdata=None)),
        "heropen_form": form("heropen_form", mag_triage and melding.heropen_verzoek,
                             lambda: HeropenForm(formdata=None)),
        "fout": forms.get("fout"),
        "succes": forms.get("succes"),
        "oob_rij": oob_rij,
        "rij": lijst.rij_voor(user, f, SOORT, melding.id, namen) if oob_rij else None,
        "mag_bulk": permissions.mag_bulk(user),
        "item_acties": inbox.item_acties(),
    }


@bp.get("/beheer/meldingen/<int:id>")
@staff_route(*LEZERS)
def beheer(id: int):
    context = _detail_context(_melding(id))
    if wil_fragment():
        return render_template("meldingen/beheer/_item.html", **context)
    return render_template("meldingen/beheer/melding.html", **context)


def _na_actie(melding: Melding, succes: str):
    """Commit once, send the mail, then redirect (plain) or show the panel again (htmx)."""
    db.session.commit()
    mail.deliver_pending()
    if not wil_fragment():
        flash(succes, "succes")
        return redirect(url_for("meldingen.beheer", id=melding.id, lijst=lijst_args() or None))
    melding = _melding(melding.id)
    return render_template("meldingen/beheer/_item.html", **_detail_context(
        melding, oob_rij=True, succes=succes))


def _geweigerd(melding_id: int, fout: str, **forms):
    melding = _melding(melding_id)
    context = _detail_context(melding, fout=fout, **forms)
    if wil_fragment():
        return render_template("meldingen/beheer/_item.html", **context)
    return render_template("meldingen/beheer/melding.html", **context), 422


def _mag_wijzigen(melding: Melding, alles: bool = False) -> None:
    toegestaan = (permissions.can_triage if alles else permissions.can_change)(
        current_user, melding)
    if not toegestaan:
        abort(403)


@bp.post("/beheer/meldingen/<int:id>/status")
@staff_route(*BEHANDELAARS)
def beheer_status(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding)
    form = StatusForm()
    if not form.validate():
        return _geweigerd(id, eerste_fout(form), status_form=form)
    naar = Status(form.status.data)
    fout = probeer(lambda: triage.wijzig_status(
        current_user, melding, naar, form.bericht.data or "", form.publiek.data))
    if fout:
        return _geweigerd(id, fout, status_form=form)
    return _na_actie(melding, f"{melding.nummer} staat nu op '{naar.label}'.")


@bp.post("/beheer/meldingen/<int:id>/bericht")
@staff_route(*BEHANDELAARS)
def beheer_bericht(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding)
    form = BerichtForm()
    if not form.validate():
        return _geweigerd(id, eerste_fout(form), bericht_form=form)
    publiek = form.zichtbaarheid.data == "publiek"
    fout = probeer(lambda: triage.bericht(current_user, melding, form.tekst.data, publiek))
    if fout:
        return _geweigerd(id, fout, bericht_form=form)
    return _na_actie(melding, "Het bericht is verstuurd." if publiek
                     else "De notitie is opgeslagen.")


@bp.post("/beheer/meldingen/<int:id>/toewijzen")
@staff_route(*REGISSEURS)
def beheer_toewijzen(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, alles=True)
    form = ToewijzenForm()
    form.organisatie.choices = organisatie_keuzes()
    if not form.validate():
        return _geweigerd(id, eerste_fout(form), toewijzen_form=form)
    organisatie = db.session.get(Organisatie, form.organisatie.data)
    fout = probeer(lambda: triage.toewijzen(
        current_user, melding, organisatie, form.doorzetten.data))
    if fout:
        return _geweigerd(id, fout, toewijzen_form=form)
    return _na_actie(melding, f"{melding.nummer} is toegewezen aan {organisatie.naam}.")


@bp.post("/beheer/meldingen/<int:id>/samenvoegen")
@staff_route(*REGISSEURS)
def beheer_samenvoegen(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, alles=True)
    form = SamenvoegenForm()
    if not form.validate():
        return _geweigerd(id, eerste_fout(form), samenvoegen_form=form)
    origineel = triage.zoek_melding(form.origineel.data)
    fout = probeer(lambda: triage.samenvoegen(
        current_user, melding, origineel, form.bericht.data or ""))
    if fout:
        return _geweigerd(id, fout, samenvoegen_form=form)
    return _na_actie(melding, f"{melding.nummer} is samengevoegd met {origineel.nummer}.")


@bp.post("/beheer/meldingen/<int:id>/heropen-verzoek")
@staff_route(*REGISSEURS)
def beheer_heropen_verzoek(id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, alles=True)
    form = HeropenForm()
    if not form.validate():
        return _geweigerd(id, eerste_fout(form), heropen_form=form)
    heropenen = form.keuze.data == "heropenen"
    fout = probeer(lambda: triage.heropen_verzoek(
        current_user, melding, heropenen, form.bericht.data))
    if fout:
        return _geweigerd(id, fout, heropen_form=form)
    return _na_actie(melding, f"{melding.nummer} is heropend." if heropenen
                     else f"{melding.nummer} blijft gesloten; de melder krijgt uw bericht.")


@bp.post("/beheer/meldingen/<int:id>/fotos/<int:foto_id>")
@staff_route(*REGISSEURS)
def beheer_foto(id: int, foto_id: int):
    melding = _melding(id)
    _mag_wijzigen(melding, alles=True)
    form = EmptyForm()
    foto = db.session.get(Foto, foto_id)
    if foto is None or foto.melding_id != melding.id:
        abort(404)
    if not form.validate():
        return _geweigerd(id, eerste_fout(form))
    actie = request.form.get("actie", "")
    fout = probeer(lambda: triage.foto_zetten(current_user, melding, foto, actie))
    if fout:
        return _geweigerd(id, fout)
    label = triage.FOTO_ACTIES[actie][0]
    return _na_actie(melding, f"Foto: {label.lower()}.")


@bp.get("/beheer/meldingen/<int:id>/fotos/<int:foto_id>/<any(klein, groot):formaat>")
@staff_route(*LEZERS)
def beheer_foto_bestand(id: int, foto_id: int, formaat: str):
    melding = _melding(id)
    foto = db.session.get(Foto, foto_id)
    if foto is None or foto.melding_id != melding.id:
        abort(404)
    naam = foto.thumbnail if formaat == "klein" else foto.bestand
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=False, max_age=600)
