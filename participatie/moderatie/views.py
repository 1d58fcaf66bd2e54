"""The staff inbox (/beheer): one list of every kind of item, its filters and bulk actions.

Every page works as plain HTML with form posts and redirects (PRG). Under htmx the same
endpoints answer with the fragment the page itself includes (`_lijstvak.html`). The items'
own pages belong to their features (e.g. `meldingen.beheer`); this module knows no feature.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from participatie import mail
from participatie.accounts.permissions import ingelogde_gebruiker, mag_wijk_zien, staff_route
from participatie.extensions import db, htmx
from participatie.forms import EmptyForm
from participatie.gebieden.services import wijken
from participatie.moderatie import bp, inbox, lijst
from participatie.moderatie.inbox import ActieGeweigerd
from participatie.web import wil_fragment


def _inbox_context(args, bulk_forms: dict | None = None, rapport=None,
                   actie: str = "") -> dict:
    user = ingelogde_gebruiker()
    f = inbox.Filter.uit_args(args)
    namen = inbox.Namen()
    pagina = lijst.pagina(user, f, na=args.get("na"), voor=args.get("voor"), namen=namen)
    bulk_bronnen = inbox.bulk_bronnen(user)
    bulk_forms = bulk_forms or {}
    soorten = inbox.soort_keuzes(user)
    return {
        "filter": f,
        "pagina": pagina,
        "lijst": urlencode(f.als_args(), doseq=True),
        "wijken": [w for w in wijken() if mag_wijk_zien(user, w.code)],
        "soorten": soorten,
        "status_groepen": inbox.status_keuzes(user),
        "filter_velden": inbox.filter_velden(user, namen),
        "sorteringen": inbox.SORTERINGEN,
        "soort_namen": dict(soorten),
        "bulk_bronnen": bulk_bronnen,
        "bulk_forms": {b.soort: bulk_forms.get(b.soort) or b.bulk_form() for b in bulk_bronnen},
        "bulk_knoppen": inbox.bulk_knoppen(),
        "bulk_actie": actie,
        "rapport": rapport,
        "mag_bulk": {b.soort for b in bulk_bronnen},
    }


@bp.app_template_global("inbox_status_label")
def _status_label(soort: str, status: str) -> str:
    return inbox.status_label(soort, status)


bp.add_app_template_global(inbox.lijst_query, "inbox_lijst_query")


@bp.get("/", endpoint="inbox")
@staff_route()
def inbox_pagina():
    context = _inbox_context(request.args)
    if wil_fragment() and htmx.target == "lijstvak":
        return render_template("beheer/_lijstvak.html", **context)
    return render_template("beheer/inbox.html", **context)


def _lijst_args() -> str:
    return request.args.get("lijst", "")[:1000]


def _bulk_doel(actie: str):
    """The source whose bulk action this is, if this user may use it."""
    bron = inbox.bron(actie.partition(":")[0])
    if bron is None or bron not in inbox.bulk_bronnen(current_user):
        return None
    return bron if actie in {a.naam for a in bron.bulk_acties} else None


def _bulk_uitvoeren(bron, actie: str, form) -> int:
    """Check the form and the ticked items, then run the source's action (raises)."""
    if not EmptyForm().validate() or (form is not None and not form.validate()):
        raise ActieGeweigerd("Het formulier was verlopen of niet goed ingevuld. "
                             "Probeer het opnieuw.")
    if bron is None:
        raise ActieGeweigerd("Kies wat u met de gekozen items wilt doen.")
    sleutels = [inbox.lees_sleutel(s) for s in request.form.getlist("ids")[:1000]]
    if not sleutels:
        raise ActieGeweigerd("Kies eerst één of meer items in de lijst.")
    if any(s is None or s[0] != bron.soort for s in sleutels):
        raise ActieGeweigerd(f"Deze actie geldt alleen voor {bron.naam.lower()}. Haal de "
                             "vinkjes bij andere items weg.")
    with db.session.begin_nested():
        return bron.bulk(current_user, actie, [ident for _, ident in sleutels], form)


@bp.post("/bulk")
@staff_route()
def bulk():
    """One kind's bulk action on the ticked items of that kind; all or nothing."""
    actie = request.form.get("actie", "")[:60]
    bron = _bulk_doel(actie)
    form = bron.bulk_form(request.form) if bron is not None else None
    try:
        aantal = _bulk_uitvoeren(bron, actie, form)
    except ActieGeweigerd as fout:
        rapport = {"fout": str(fout), "weigeringen": getattr(fout, "weigeringen", [])}
        forms = {bron.soort: form} if bron is not None else None
        context = _inbox_context(_lijst_filter_args(), forms, rapport, actie)
        if wil_fragment():
            return render_template("beheer/_lijstvak.html", **context)
        return render_template("beheer/inbox.html", **context), 422
    db.session.commit()
    mail.deliver_pending()
    tekst = f"{aantal} {bron.naam.lower()} zijn gewijzigd."
    if not wil_fragment():
        flash(tekst, "succes")
        terug = _lijst_args()
        return redirect(url_for("moderatie.inbox") + (f"?{terug}" if terug else ""))
    context = _inbox_context(_lijst_filter_args(), rapport={"succes": tekst})
    return render_template("beheer/_lijstvak.html", **context)


def _lijst_filter_args() -> MultiDict:
    """The inbox's filter from the `lijst` that the bulk form carries."""
    return MultiDict(parse_qsl(_lijst_args(), keep_blank_values=False))
