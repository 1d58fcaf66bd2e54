"""An idea's staff page (/beheer/ideeen/<id>) and the decisions on it.

The inbox (moderatie) lists ideas through `buurtbudget.inbox`; this page is the idea's own.
Under htmx every endpoint answers with the panel (`_idee.html`) that the inbox shows beside
the list, plus the changed row out of band; without JS it is a page of its own and every
action is a form post followed by a redirect. The decisions are `buurtbudget.beoordeling`.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participatie import audit, mail, media
from participatie.accounts.permissions import staff_route
from participatie.buurtbudget import beoordeling, bp, ideeen
from participatie.buurtbudget.forms import (
    AfwijzenForm,
    HaalbaarheidForm,
    SamenvoegForm,
    VoortgangForm,
    VraagForm,
)
from participatie.buurtbudget.inbox import SOORT, TE_LAAT, urgentie_van
from participatie.buurtbudget.models import Idee, IdeeUpdate
from participatie.buurtbudget.permissions import (
    BEHEER_ROLLEN,
    IDEE_LEZERS,
    mag_idee_beoordelen,
    mag_idee_lezen,
    mag_rondes_beheren,
)
from participatie.buurtbudget.workflow import (
    IDEE_TRANSITIES,
    IdeeActie,
    IdeeStatus,
    UitvoeringStand,
    mag_in_fase,
)
from participatie.extensions import db
from participatie.forms import EmptyForm
from participatie.moderatie import inbox, lijst
from participatie.moderatie.item import eerste_fout, lijst_args, probeer
from participatie.web import wil_fragment

FORMS = {"vraag_form": VraagForm, "afwijzen_form": AfwijzenForm,
         "samenvoeg_form": SamenvoegForm, "haalbaarheid_form": HaalbaarheidForm,
         "voortgang_form": VoortgangForm}


def leesbaar_idee(idee_id: int) -> Idee:
    """The idea, if this user may see it in the inbox; 404 otherwise (it stays hidden)."""
    idee = db.session.scalar(select(Idee).where(Idee.id == idee_id).options(
        selectinload(Idee.updates).selectinload(IdeeUpdate.user), selectinload(Idee.volgers),
        selectinload(Idee.ronde), selectinload(Idee.buurt)))
    if idee is None or not mag_idee_lezen(current_user, idee):
        abort(404)
    return idee


def _kan(idee: Idee, actie: IdeeActie, naar: IdeeStatus | None = None) -> bool:
    """Whether to offer an action: phase rule and status table, as the services check."""
    return mag_in_fase(actie, idee.ronde.fase_enum) and (
        naar is None or naar in IDEE_TRANSITIES[idee.status_enum])


def _context(idee: Idee, oob_rij: bool = False, **extra) -> dict:
    """The panel's context; with `oob_rij` also the idea's row, redrawn after an action."""
    terug = lijst_args()
    f = inbox.Filter.uit_lijst(terug)
    namen = inbox.Namen()
    beoordelen = mag_idee_beoordelen(current_user, idee)
    forms = {naam: extra.pop(naam, None) or form(formdata=None) for naam, form in FORMS.items()}
    return {
        "idee": idee,
        "ronde": idee.ronde,
        "lijst": terug,
        "plek": ideeen.plek_van(idee),
        "te_laat": urgentie_van(False, idee.status, idee.ronde.fase) == 1,
        "te_laat_label": TE_LAAT,
        "volgers": idee.volgers if beoordelen else None,
        "regels": audit.regels_voor("idee", idee.id) if beoordelen else None,
        "updates": list(reversed(idee.updates)),
        "volgende": lijst.volgende(current_user, f, SOORT, idee.id, namen),
        "oob_rij": oob_rij,
        "rij": lijst.rij_voor(current_user, f, SOORT, idee.id, namen) if oob_rij else None,
        "mag_bulk": mag_rondes_beheren(current_user),
        "beoordelen": beoordelen,
        "kan": {
            "publiceren": _kan(idee, IdeeActie.PUBLICEREN, IdeeStatus.GEPUBLICEERD),
            "vragen": _kan(idee, IdeeActie.VRAGEN, IdeeStatus.VRAAG),
            "afwijzen": _kan(idee, IdeeActie.AFWIJZEN, IdeeStatus.AFGEWEZEN),
            "samenvoegen": _kan(idee, IdeeActie.SAMENVOEGEN, IdeeStatus.SAMENGEVOEGD),
            "haalbaarheid": _kan(idee, IdeeActie.HAALBAARHEID) and any(
                s in IDEE_TRANSITIES[idee.status_enum]
                for s in (IdeeStatus.HAALBAAR, IdeeStatus.NIET_HAALBAAR)),
            "voortgang": idee.gekozen and _kan(idee, IdeeActie.VOORTGANG),
        },
        "leeg_form": EmptyForm(formdata=None),
        "item_acties": inbox.item_acties(),
        "fout": extra.get("fout"),
        "succes": extra.get("succes"),
        **forms,
    }


def _toon(idee: Idee, status: int = 200, **extra):
    context = _context(idee, **extra)
    if wil_fragment():
        return render_template("buurtbudget/beheer/_idee.html", **context)
    return render_template("buurtbudget/beheer/idee.html", **context), status


@bp.get("/beheer/ideeen/<int:idee_id>")
@staff_route(*IDEE_LEZERS)
def beheer_idee(idee_id: int):
    return _toon(leesbaar_idee(idee_id))


def _te_wijzigen(idee_id: int) -> Idee:
    idee = leesbaar_idee(idee_id)
    if not mag_idee_beoordelen(current_user, idee):
        abort(403)
    return idee


def _na_actie(idee: Idee, succes: str):
    """Commit once, send the mail, then redirect (plain) or show the panel again (htmx)."""
    db.session.commit()
    mail.deliver_pending()
    if not wil_fragment():
        flash(succes, "succes")
        return redirect(url_for("buurtbudget.beheer_idee", idee_id=idee.id,
                                lijst=lijst_args() or None), code=303)
    return render_template("buurtbudget/beheer/_idee.html", **_context(
        leesbaar_idee(idee.id), oob_rij=True, succes=succes))


def _geweigerd(idee_id: int, fout: str, **forms):
    return _toon(leesbaar_idee(idee_id), 422, fout=fout, **forms)


def _actie(idee_id: int, form_naam: str | None, dienst, succes):
    """The shape of every decision: check the form, run the service in a savepoint, answer."""
    idee = _te_wijzigen(idee_id)
    form = FORMS[form_naam]() if form_naam else EmptyForm()
    forms = {form_naam: form} if form_naam else {}
    if not form.validate():
        return _geweigerd(idee_id, eerste_fout(form), **forms)
    uitkomst = {}
    fout = probeer(lambda: uitkomst.update(mails=dienst(idee, form)))
    if fout:
        return _geweigerd(idee_id, fout, **forms)
    return _na_actie(idee, succes(idee, form, uitkomst["mails"]))


@bp.post("/beheer/ideeen/<int:idee_id>/publiceren")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_publiceren(idee_id: int):
    return _actie(idee_id, None, lambda idee, form: beoordeling.publiceren(current_user, idee),
                  lambda idee, form, n: f"{idee.nummer} staat nu op de pagina van de ronde.")


def _vraag_gesteld(idee: Idee, form, mails: int) -> str:
    if mails:
        return f"De vraag is naar de indiener van {idee.nummer} gemaild."
    return (f"De indiener van {idee.nummer} gaf geen e-mailadres op: de vraag staat alleen op "
            "de eigen pagina van het idee.")


@bp.post("/beheer/ideeen/<int:idee_id>/vraag")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_vraag(idee_id: int):
    return _actie(idee_id, "vraag_form",
                  lambda idee, form: beoordeling.vragen(current_user, idee, form.vraag.data),
                  _vraag_gesteld)


@bp.post("/beheer/ideeen/<int:idee_id>/afwijzen")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_afwijzen(idee_id: int):
    return _actie(idee_id, "afwijzen_form",
                  lambda idee, form: beoordeling.afwijzen(current_user, idee, form.reden.data),
                  lambda idee, form, n: f"{idee.nummer} is afgewezen.")


@bp.post("/beheer/ideeen/<int:idee_id>/samenvoegen")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_samenvoegen(idee_id: int):
    def dienst(idee, form):
        origineel = beoordeling.zoek_idee(form.origineel.data)
        return beoordeling.samenvoegen(current_user, idee, origineel, form.bericht.data or "")

    return _actie(idee_id, "samenvoeg_form", dienst,
                  lambda idee, form, n: f"{idee.nummer} is samengevoegd met "
                  f"{idee.samengevoegd_met.nummer}.")


@bp.post("/beheer/ideeen/<int:idee_id>/haalbaarheid")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_haalbaarheid(idee_id: int):
    return _actie(idee_id, "haalbaarheid_form", lambda idee, form: beoordeling.haalbaarheid(
        current_user, idee, form.uitkomst.data == "haalbaar", form.toelichting.data,
        form.kosten.data), lambda idee, form, n: f"{idee.nummer} is nu "
        f"{idee.status_enum.label.lower()}.")


@bp.post("/beheer/ideeen/<int:idee_id>/voortgang")
@staff_route(*BEHEER_ROLLEN)
def beheer_idee_voortgang(idee_id: int):
    idee = _te_wijzigen(idee_id)
    form = VoortgangForm()
    if not form.validate():
        return _geweigerd(idee_id, eerste_fout(form), voortgang_form=form)
    config = current_app.config
    foto = None
    if form.foto.data and getattr(form.foto.data, "filename", ""):
        try:
            foto = media.verwerk(form.foto.data.stream, config["MEDIA_DIR"],
                                 max_bytes=config["MAX_PHOTO_BYTES"],
                                 max_pixels=config["MAX_PHOTO_PIXELS"])
        except media.FotoFout as fout:
            return _geweigerd(idee_id, f"Foto: {fout}", voortgang_form=form)
    fout = probeer(lambda: beoordeling.voortgang(
        current_user, idee, UitvoeringStand(form.stand.data), form.procent.data,
        form.bericht.data, foto))
    if fout:
        if foto:
            media.verwijder(config["MEDIA_DIR"], foto.bestand, foto.thumbnail)
        return _geweigerd(idee_id, fout, voortgang_form=form)
    return _na_actie(idee, f"De voortgang van {idee.nummer} staat online.")


@bp.get("/beheer/ideeen/<int:idee_id>/foto/<any(klein, groot):formaat>")
@staff_route(*IDEE_LEZERS)
def beheer_idee_foto(idee_id: int, formaat: str):
    idee = leesbaar_idee(idee_id)
    naam = idee.foto_thumbnail if formaat == "klein" else idee.foto_bestand
    if not naam:
        abort(404)
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=False, max_age=600)
