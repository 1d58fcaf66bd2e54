"""The wijkraad's pages: react to a vraag or a result, the gemeente's answers, making a
reaction public, the weekly overview's setting, and the opt-out link from that e-mail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from participatie.accounts.permissions import heeft_rol, ingelogde_gebruiker, staff_route
from participatie.extensions import db
from participatie.forms import EmptyForm
from participatie.wijkraad import bp, onderwerpen, services
from participatie.wijkraad.forms import (
    AntwoordForm,
    OpenbaarForm,
    OverzichtmailForm,
    ReactieForm,
)
from participatie.wijkraad.models import OnderwerpSoort, Reactie
from participatie.wijkraad.onderwerpen import Onderwerp
from participatie.wijkraad.permissions import (
    BEANTWOORDERS,
    LEDEN,
    LEZERS,
    beantwoordbare_reactie,
    controleer_reageren,
    eigen_reactie,
    leesbaar_onderwerp,
    mag_beantwoorden,
    mag_lezen,
    mag_openbaar_maken,
    mag_reageren,
    ontvangt_overzicht,
)

# --- What other pages ask (the agenda, the staff pages of a round or survey, the menu) ----


@bp.app_template_global("wijkraad_in_menu")
def _in_menu() -> bool:
    return heeft_rol(current_user, *LEZERS)


@bp.app_template_global("wijkraad_gesprek")
def _gesprek(obj) -> dict | None:
    """The exchange about a vraag, round or survey for its staff page, when the user may
    read it: {"onderwerp": …, "reacties": […]}."""
    onderwerp = onderwerpen.van(obj)
    if not onderwerp.wijk_code or not mag_lezen(current_user, onderwerp.wijk_code):
        return None
    return {"onderwerp": onderwerp, "reacties": services.gesprek(onderwerp)}


@bp.app_template_global("wijkraad_onderwerp")
def _onderwerp(obj) -> Onderwerp:
    return onderwerpen.van(obj)


@bp.app_template_global("wijkraad_resultaten")
def _resultaten(wijk_code: str) -> list[Onderwerp]:
    return onderwerpen.resultaten(wijk_code) if mag_lezen(current_user, wijk_code) else []


@bp.app_template_global("wijkraad_mag_reageren")
def _mag_reageren(onderwerp: Onderwerp) -> bool:
    return mag_reageren(current_user, onderwerp)


@bp.app_template_global("wijkraad_mag_beantwoorden")
def _mag_beantwoorden(wijk_code: str) -> bool:
    return mag_beantwoorden(current_user, wijk_code)


@bp.app_template_global("wijkraad_mag_openbaar_maken")
def _mag_openbaar_maken(reactie: Reactie) -> bool:
    return mag_openbaar_maken(current_user, reactie)


# --- One subject: the exchange and the forms ---------------------------------------------


def _pagina(onderwerp: Onderwerp, *, reactie_form: ReactieForm | None = None,
            antwoord_form: AntwoordForm | None = None, antwoord_voor: int | None = None,
            fout: str = "", code: int = 200):
    return render_template(
        "wijkraad/onderwerp.html", onderwerp=onderwerp,
        reacties=services.gesprek(onderwerp),
        reactie_form=reactie_form or ReactieForm(formdata=None),
        antwoord_form=antwoord_form, antwoord_voor=antwoord_voor, fout=fout,
        mag_reageren=mag_reageren(current_user, onderwerp),
    ), code


def _reageer(onderwerp: Onderwerp):
    controleer_reageren(current_user, onderwerp)
    form = ReactieForm()
    if not form.validate_on_submit():
        return _pagina(onderwerp, reactie_form=form, code=422)
    try:
        services.reageer(onderwerp, soort=form.soort.data, tekst=form.tekst.data,
                         door=ingelogde_gebruiker())
    except services.WijkraadFout as fout:
        return _pagina(onderwerp, reactie_form=form, fout=str(fout), code=409)
    db.session.commit()
    flash("Uw reactie is verstuurd. De gemeente ziet hem en antwoordt op deze pagina.",
          "succes")
    return redirect(onderwerp.pagina + "#reacties", code=303)


def _vraag(vraag_id: int) -> Onderwerp:
    return leesbaar_onderwerp(current_user,
                              onderwerpen.laad(OnderwerpSoort.LEEFBAARHEIDSVRAAG, vraag_id))


def _ronde(slug: str) -> Onderwerp:
    return leesbaar_onderwerp(current_user, onderwerpen.ronde(slug))


def _enquete(enquete_id: int) -> Onderwerp:
    return leesbaar_onderwerp(current_user, onderwerpen.laad(OnderwerpSoort.ENQUETE,
                                                             enquete_id))


@bp.get("/beheer/wijkraad/vragen/<int:vraag_id>")
@staff_route(*LEZERS)
def vraag(vraag_id: int):
    return _pagina(_vraag(vraag_id))


@bp.post("/beheer/wijkraad/vragen/<int:vraag_id>/reacties")
@staff_route(*LEDEN)
def reageer_op_vraag(vraag_id: int):
    return _reageer(_vraag(vraag_id))


@bp.get("/beheer/wijkraad/rondes/<ronde>")
@staff_route(*LEZERS)
def ronde(ronde: str):
    return _pagina(_ronde(ronde))


@bp.post("/beheer/wijkraad/rondes/<ronde>/reacties")
@staff_route(*LEDEN)
def reageer_op_ronde(ronde: str):
    return _reageer(_ronde(ronde))


@bp.get("/beheer/wijkraad/enquetes/<int:enquete_id>")
@staff_route(*LEZERS)
def enquete(enquete_id: int):
    return _pagina(_enquete(enquete_id))


@bp.post("/beheer/wijkraad/enquetes/<int:enquete_id>/reacties")
@staff_route(*LEDEN)
def reageer_op_enquete(enquete_id: int):
    return _reageer(_enquete(enquete_id))


@bp.post("/beheer/wijkraad/reacties/<int:reactie_id>/antwoorden")
@staff_route(*BEANTWOORDERS)
def beantwoord(reactie_id: int):
    reactie = beantwoordbare_reactie(current_user, reactie_id)
    onderwerp = onderwerpen.laad(*reactie.onderwerp_sleutel)
    if onderwerp is None:
        abort(404)
    form = AntwoordForm()
    if not form.validate_on_submit():
        return _pagina(onderwerp, antwoord_form=form, antwoord_voor=reactie.id, code=422)
    services.beantwoord(reactie, form.tekst.data, door=ingelogde_gebruiker())
    db.session.commit()
    flash("Uw antwoord staat bij de reactie van de wijkraad.", "succes")
    return redirect(onderwerp.pagina + f"#reactie-{reactie.id}", code=303)


@bp.post("/beheer/wijkraad/openbaar")
@staff_route(*LEDEN)
def openbaar():
    form = OpenbaarForm()
    if not form.validate_on_submit():
        abort(400)  # only hidden fields: not sent by the page's own button
    reactie = eigen_reactie(current_user, form.reactie_id)
    gewijzigd = services.zet_openbaar(reactie, form.maak_openbaar, door=ingelogde_gebruiker())
    db.session.commit()
    if gewijzigd:
        flash("Uw reactie staat nu op de openbare pagina van de wijk." if reactie.openbaar
              else "Uw reactie is niet meer openbaar.", "succes")
    onderwerp = onderwerpen.laad(*reactie.onderwerp_sleutel)
    doel = onderwerp.pagina if onderwerp else url_for("wijkraad.overzicht")
    return redirect(doel + f"#reactie-{reactie.id}", code=303)


# --- The overview and the weekly e-mail's setting -----------------------------------------


@bp.get("/beheer/wijkraad")
@staff_route(*LEZERS)
def overzicht():
    user = ingelogde_gebruiker()
    lid = ontvangt_overzicht(user)
    form = OverzichtmailForm(formdata=None, ontvangen=lid and services.wil_overzicht(user))
    beantwoorder = heeft_rol(user, *BEANTWOORDERS)
    wachten = services.wachten_op_antwoord(user) if beantwoorder else []
    recent = services.recente_reacties(user)
    return render_template(
        "wijkraad/overzicht.html", wijken=user.wijken, lid=lid, form=form,
        beantwoorder=beantwoorder, wachten=wachten, recent=recent,
        onderwerp_van=onderwerpen.laad_veel(r.onderwerp_sleutel for r in wachten + recent))


@bp.post("/beheer/wijkraad/overzichtmail")
@staff_route(*LEDEN)
def overzichtmail():
    user = ingelogde_gebruiker()
    form = OverzichtmailForm()
    if not form.validate_on_submit():
        abort(400)
    instelling = services.overzichtmail_van(user)
    services.zet_overzichtmail(instelling, bool(form.ontvangen.data), door=user)
    db.session.commit()
    flash("U krijgt elke week een e-mail met wat er veranderde." if instelling.ontvangen
          else "U krijgt de wekelijkse e-mail niet meer.", "succes")
    return redirect(url_for("wijkraad.overzicht") + "#overzichtmail", code=303)


# --- The opt-out link in every weekly e-mail: no login, a button to confirm ----------------


@bp.route("/wijkraad/afmelden/<token>", methods=["GET", "POST"])
def afmelden(token: str):
    instelling = services.instelling_voor_token(token)
    if instelling is None:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        services.zet_overzichtmail(instelling, False, door=instelling.user)
        db.session.commit()
        return render_template("wijkraad/afgemeld.html")
    return render_template("wijkraad/afmelden.html", instelling=instelling, form=form)
