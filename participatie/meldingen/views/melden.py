"""The resident's reporting flow: a new melding and "dit is mijn melding ook"."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from participatie import geheimelink, mail, media
from participatie.extensions import db, limiter
from participatie.gebieden.models import Buurt
from participatie.gebieden.services import buurt_voor_punt, wijken
from participatie.meldingen import bp
from participatie.meldingen.forms import (
    MAX_FOTOS,
    MeldingForm,
    SteunForm,
    buurt_keuzes,
    categorie_keuzes,
    lees_coordinaten,
)
from participatie.meldingen.models import Categorie, CategorieGroep, Foto, Melding
from participatie.meldingen.services import (
    SteunGeweigerd,
    afstand_meters,
    maak_melding,
    steun_melding,
    vergelijkbare_meldingen,
)
from participatie.web import heel_getal

BUITEN_GEMEENTE = (
    "Deze plek ligt buiten de gemeente {gemeente}. Zet de speld op een plek in {gemeente} "
    "of typ het adres."
)


def _melden_limiet() -> str:
    return current_app.config["RATELIMIT_MELDEN"]


def _al_bij_een_melding(namen) -> set[str]:
    """Which of these photo files a melding already has: they are no longer kept photos."""
    rijen = db.session.execute(select(Foto.bestand, Foto.thumbnail).where(
        or_(Foto.bestand.in_(namen), Foto.thumbnail.in_(namen))))
    return {naam for rij in rijen for naam in rij} & set(namen)


BEWAARD = media.BewaardeFotos("melden", _al_bij_een_melding, MAX_FOTOS)


def _verwerk_fotos(
    form: MeldingForm, nieuw: list[media.VerwerkteFoto]
) -> tuple[list[media.VerwerkteFoto], list[str]]:
    """Kept photos minus removed ones, plus this request's uploads (also added to `nieuw`,
    for the cleanup on errors); and the photo errors."""
    return BEWAARD.verwerk(form.fotos_bewaard.data, set(request.form.getlist("foto_weg")),
                           [form.foto_camera.data, *(form.foto_kies.data or [])], nieuw=nieuw)


def _vul_keuzes(form: MeldingForm) -> None:
    groepen = db.session.scalars(
        select(CategorieGroep).order_by(CategorieGroep.volgorde, CategorieGroep.naam)
        .options(selectinload(CategorieGroep.categorieen))
    ).all()
    form.categorie.choices = categorie_keuzes(groepen)
    form.buurt.choices = buurt_keuzes(wijken())


def _met_afstand(meldingen: list[Melding], plek: tuple[float, float]) -> list[tuple]:
    return [(m, round(afstand_meters(m, *plek))) for m in meldingen]


def _toon_formulier(form, fotos, vergelijkbaar=(), plek=None, status=200):
    form.fotos_bewaard.data, bewaard = BEWAARD.teken(fotos)
    return render_template(
        "meldingen/nieuw.html", form=form, bewaard=bewaard, accept=media.ACCEPT,
        max_fotos=MAX_FOTOS, vergelijkbaar=vergelijkbaar, plek=plek,
    ), status


@bp.route("/melden", methods=["GET", "POST"])
@limiter.limit(_melden_limiet, methods=["POST"])
def nieuw():
    form = MeldingForm()
    _vul_keuzes(form)
    if request.method == "GET":
        return _toon_formulier(form, [])

    nieuwe_fotos: list[media.VerwerkteFoto] = []
    with media.weg_bij_fout(nieuwe_fotos):
        fotos, foto_fouten = _verwerk_fotos(form, nieuwe_fotos)
        geldig = form.validate()
        form.foto_kies.errors = list(form.foto_kies.errors) + foto_fouten
        plek = form.coordinaten()
        buurt = None
        if geldig and plek:
            buurt = buurt_voor_punt(*plek)
            if buurt is None:
                gemeente = current_app.config["GEMEENTE_NAAM"]
                form.latitude.errors.append(BUITEN_GEMEENTE.format(gemeente=gemeente))
        elif geldig:
            buurt = db.session.get(Buurt, form.buurt.data)
        if not geldig or foto_fouten or buurt is None:
            return _toon_formulier(form, fotos, status=422)

        categorie = db.session.get(Categorie, int(form.categorie.data))
        if plek and not form.nieuw_bevestigd.data:
            vergelijkbaar = vergelijkbare_meldingen(categorie.id, *plek)
            if vergelijkbaar:
                return _toon_formulier(form, fotos, _met_afstand(vergelijkbaar, plek), plek)

        melding = maak_melding(
            categorie=categorie, omschrijving=form.omschrijving.data, buurt=buurt, plek=plek,
            locatie_tekst=form.locatie_tekst.data or "", email=form.email.data or None,
            fotos=fotos,
        )
        db.session.commit()
    # Read before the mail goes out: the melding is stored, whatever happens to the database
    # while the relay is slow, and the resident must hear that.
    ident, nummer = melding.id, melding.nummer
    geheimelink.onthoud(melding.token)  # this browser follows it without the secret link
    mail.deliver_pending()
    flash(f"Bedankt! Uw melding {nummer} is ontvangen.", "succes")
    return redirect(url_for("meldingen.volgen", id=ident))


@bp.get("/melden/foto/<signed>")
def bewaarde_foto(signed: str):
    """The thumbnail of a photo kept on a form with errors (see media.BewaardeFotos)."""
    return BEWAARD.als_thumbnail_response(signed)


@bp.get("/melden/vergelijkbaar")
def vergelijkbaar():
    """The "is dit al gemeld?" fragment for a category and a point; empty when unknown."""
    gevonden, plek = [], None
    categorie_id = request.args.get("categorie", "")
    try:
        plek = lees_coordinaten(request.args.get("latitude"), request.args.get("longitude"))
    except ValueError:
        plek = None
    if plek and categorie_id.isdigit() and len(categorie_id) < 10:
        gevonden = _met_afstand(vergelijkbare_meldingen(int(categorie_id), *plek), plek)
    return render_template(
        "meldingen/_vergelijkbaar.html", vergelijkbaar=gevonden, plek=plek,
        categorie_id=categorie_id, email=request.args.get("email", "")[:254],
    )


@bp.post("/melden/steun")
@limiter.limit(_melden_limiet, methods=["POST"])
def steun():
    form = SteunForm()
    plek = form.coordinaten() if form.validate() else None
    melding_id, categorie_id = heel_getal(form.steun_melding.data), heel_getal(form.categorie.data)
    if plek is None or melding_id is None or categorie_id is None:
        fout = (form.email.errors[0] if form.email.errors else
                "Wij weten niet goed welke melding of welke plek u bedoelt. Ga terug en "
                "probeer het opnieuw.")
        return render_template("meldingen/steun.html", fout=fout), 422
    try:
        melding = steun_melding(melding_id, categorie_id, *plek, email=form.email.data or None)
    except SteunGeweigerd as fout:
        return render_template("meldingen/steun.html", fout=str(fout)), 409
    db.session.commit()
    mail.deliver_pending()
    return render_template("meldingen/steun.html", melding=melding, email=form.email.data)
