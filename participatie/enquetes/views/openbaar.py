"""Residents: the open surveys (/enquetes) and answering one (/enquetes/<id>), page by page,
without JavaScript as well as with it. Every post is a form post followed by a redirect, so a
reload never sends twice and always shows where the resident is."""

from __future__ import annotations

import secrets

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import select

from participatie.enquetes import bp
from participatie.enquetes import invullen as invul
from participatie.enquetes.models import Enquete, Respons
from participatie.enquetes.services import enquete_met_vragen, open_enquetes
from participatie.extensions import db, limiter
from participatie.forms import email_veld
from participatie.gebieden.models import Buurt, Wijk
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.tijd import vandaag
from participatie.web import heel_getal

COOKIE = "enquete_browser"
COOKIE_DAGEN = 366


class VerstuurForm(FlaskForm):
    email = email_veld("Uw e-mailadres (als u antwoord wilt op wat u schreef)",
                       autocomplete="email")


def _limiet() -> str:
    return current_app.config["RATELIMIT_ENQUETES"]


def _browser_hash() -> str | None:
    token = request.cookies.get(COOKIE, "")
    return invul.browser_hash(token) if 20 <= len(token) <= 100 else None


def _enquete_of_404(enquete_id: int) -> Enquete:
    enquete = enquete_met_vragen(enquete_id)
    if enquete is None or enquete.status == "concept":
        abort(404)
    return enquete


@bp.get("/enquetes")
def lijst():
    wijken = list(db.session.scalars(select(Wijk).order_by(Wijk.naam)))
    wijk = request.args.get("wijk", "")[:8]
    if wijk not in {w.code for w in wijken}:
        wijk = ""
    return render_template("enquetes/lijst.html", enquetes=open_enquetes(vandaag(), wijk),
                           wijken=wijken, wijk=wijk)


def _context(enquete: Enquete, respons: Respons | None, pagina: int | None, **extra) -> dict:
    waarden = extra.pop("waarden", None)
    if waarden is None:
        waarden = invul.huidige_waarden(respons)
    stappen = invul.paginas(enquete, invul.huidige_waarden(respons))
    return {"enquete": enquete, "respons": respons, "pagina": pagina, "stappen": stappen,
            "vragen": invul.vragen_op(enquete, pagina, waarden) if pagina else [],
            "waarden": waarden, "fouten": extra.pop("fouten", {}),
            # Questions are numbered through the survey, not per page.
            "eerder": sum(len(invul.vragen_op(enquete, p, waarden)) for p in stappen
                          if pagina and p < pagina),
            "buurten": invul.buurt_keuzes(enquete) if pagina == (stappen or [0])[0]
            and not enquete.met_code else [],
            "form": extra.pop("form", None) or VerstuurForm(formdata=None),
            "code_fout": extra.pop("code_fout", ""), **extra}


@bp.route("/enquetes/<int:enquete_id>", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def invullen(enquete_id: int):
    """GET: the page the resident is on; POST: save a page, a code, or send."""
    if request.method == "POST":
        return _post(enquete_id)
    enquete = _enquete_of_404(enquete_id)
    respons = invul.respons_van(enquete, _browser_hash())
    if respons is not None and respons.verzonden_op is not None:
        return render_template("enquetes/klaar.html", enquete=enquete, al=True)
    if not enquete.neemt_antwoorden(vandaag()):
        return render_template("enquetes/dicht.html", enquete=enquete,
                               nog_niet=enquete.open_vanaf > vandaag())
    if enquete.met_code and (respons is None or respons.code_id is None):
        return render_template("enquetes/invullen.html", **_context(enquete, None, None))
    stappen = invul.paginas(enquete, invul.huidige_waarden(respons))
    gevraagd = request.args.get("pagina", "")
    if gevraagd == "versturen" and respons is not None:
        return render_template("enquetes/invullen.html",
                               **_context(enquete, respons, None, versturen=True))
    pagina = heel_getal(gevraagd) or (respons.pagina if respons else 1)
    bereikt = respons.pagina if respons else 1
    kandidaten = [p for p in stappen if p <= max(bereikt, stappen[0] if stappen else 1)]
    pagina = pagina if pagina in kandidaten else (kandidaten[-1] if kandidaten else None)
    return render_template("enquetes/invullen.html", **_context(enquete, respons, pagina))


def _post(enquete_id: int):
    enquete = _enquete_of_404(enquete_id)
    token = request.cookies.get(COOKIE, "")
    if not 20 <= len(token) <= 100:
        token = secrets.token_urlsafe(32)
    hash_ = invul.browser_hash(token)
    respons = invul.respons_van(enquete, hash_)
    if respons is not None and respons.verzonden_op is not None:
        flash(invul.AL_INGEVULD, "fout")
        return _verder(enquete, token, "")
    if not enquete.neemt_antwoorden(vandaag()):
        return render_template("enquetes/dicht.html", enquete=enquete,
                               nog_niet=enquete.open_vanaf > vandaag()), 409
    actie = request.form.get("actie", "")
    if enquete.met_code and (respons is None or respons.code_id is None or actie == "code"):
        try:
            respons = invul.met_code(enquete, request.form.get("enquetecode", "")[:60],
                                               hash_)
        except ActieGeweigerd as fout:
            db.session.rollback()
            return render_template("enquetes/invullen.html", **_context(
                enquete, None, None, code_fout=str(fout))), 422
        db.session.commit()
        return _verder(enquete, token, str(respons.pagina))
    respons = respons or invul.begin(enquete, hash_)
    if actie == "versturen":
        return _verstuur(enquete, respons, token)
    return _bewaar_pagina(enquete, respons, token, actie)


def _bewaar_pagina(enquete: Enquete, respons: Respons, token: str, actie: str):
    waarden = invul.huidige_waarden(respons)
    stappen = invul.paginas(enquete, waarden)
    pagina = heel_getal(request.form.get("pagina"))
    if pagina not in stappen:
        return _verder(enquete, token, str(respons.pagina))
    vragen = invul.vragen_op(enquete, pagina, waarden)
    gelezen = invul.lees_pagina(vragen, request.form, streng=actie != "vorige")
    buurt_fout = _lees_buurt(enquete, respons, pagina == stappen[0])
    if (gelezen.fouten or buurt_fout) and actie != "vorige":
        db.session.rollback()
        respons = invul.respons_van(enquete, invul.browser_hash(token))
        return render_template("enquetes/invullen.html", **_context(
            enquete, respons, pagina, waarden={**waarden, **gelezen.waarden},
            fouten=gelezen.fouten, buurt_fout=buurt_fout,
            gekozen_buurt=request.form.get("buurt", ""))), 422
    geldig = [v for v in vragen if v.id not in gelezen.fouten]
    invul.sla_op(respons, geldig, gelezen.waarden)
    nieuw = invul.paginas(enquete, {**waarden, **gelezen.waarden})
    if actie == "vorige":
        eerder = [p for p in nieuw if p < pagina]
        naar = str(eerder[-1] if eerder else nieuw[0])
    else:
        later = [p for p in nieuw if p > pagina]
        naar = str(later[0]) if later else "versturen"
        respons.pagina = max(respons.pagina, later[0] if later else pagina)
    db.session.commit()
    return _verder(enquete, token, naar)


def _lees_buurt(enquete: Enquete, respons: Respons, eerste: bool) -> str:
    """The resident's buurt, asked on the first page when no code brings it."""
    if enquete.met_code or not eerste:
        return ""
    code = request.form.get("buurt", "")[:10]
    if not code:
        respons.buurt_code = None
        return ""
    if code not in {b.code for b in invul.buurt_keuzes(enquete)}:
        return "Kies een buurt uit de lijst."
    respons.buurt_code = db.session.get(Buurt, code).code
    return ""


def _verstuur(enquete: Enquete, respons: Respons, token: str):
    form = VerstuurForm()
    if not form.validate():
        return render_template("enquetes/invullen.html", **_context(
            enquete, respons, None, versturen=True, form=form)), 422
    try:
        ontbreekt = invul.verstuur(enquete, respons, form.email.data or None)
    except ActieGeweigerd as fout:
        db.session.rollback()
        flash(str(fout), "fout")
        return _verder(enquete, token, "")
    if ontbreekt is not None:
        db.session.rollback()
        flash("U heeft nog niet alle verplichte vragen beantwoord. Ze staan op deze pagina.",
              "fout")
        return _verder(enquete, token, str(ontbreekt))
    db.session.commit()
    return render_template("enquetes/klaar.html", enquete=enquete, al=False)


def _verder(enquete: Enquete, token: str, pagina: str):
    args = {"pagina": pagina} if pagina else {}
    antwoord = redirect(url_for("enquetes.invullen", enquete_id=enquete.id, **args),
                        code=303)
    antwoord.set_cookie(COOKIE, token, max_age=COOKIE_DAGEN * 86400, httponly=True,
                        samesite="Lax", path="/enquetes",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return antwoord
