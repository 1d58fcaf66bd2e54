"""The public map of meldingen and the public page of one melding."""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for

from participatie import media
from participatie.extensions import limiter
from participatie.gebieden.services import wijken as gebieden_wijken
from participatie.meldingen import bp
from participatie.meldingen.services import plek_van
from participatie.meldingen.services.kaart import (
    OngeldigeVraag,
    categorie_groepen,
    categorie_ids,
    goedgekeurde_foto,
    lees_bbox,
    lees_zoom,
    meldingen_geojson,
    publiek_origineel,
    publieke_fotos,
    publieke_melding,
    recente_meldingen,
    zichtbaar,
)
from participatie.meldingen.workflow import Status


@bp.get("/kaart/meldingen/<int:id>")
def publiek(id: int):
    """A melding's page for as long as the map shows it; a merged one leads to its original."""
    melding = publieke_melding(id)
    if melding is None:
        origineel = publiek_origineel(id)
        if origineel is None:
            abort(404)
        return redirect(url_for("meldingen.publiek", id=origineel))
    historie = [g for g in melding.gebeurtenissen if g.publiek]
    return render_template(
        "meldingen/publiek.html",
        melding=melding,
        status=melding.status_enum,
        historie=historie,
        fotos=publieke_fotos(melding),
        steun=melding.steun_aantal,
        plek=plek_van(melding),
    )


@bp.get("/kaart/fotos/<int:id>/<any(groot, klein):formaat>.jpg")
@limiter.exempt
def publieke_foto(id: int, formaat: str):
    """A photo that staff approved, of a melding the map shows; any other does not exist here."""
    foto = goedgekeurde_foto(id)
    if foto is None:
        abort(404)
    naam = foto.bestand if formaat == "groot" else foto.thumbnail
    # Short: a photo that staff withdraw must leave public caches soon.
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=True,
                              max_age=media.PUBLIEKE_FOTO_MAX_AGE)


@bp.get("/kaart")
def kaart():
    groepen = categorie_groepen()
    bekend = {c.slug: c.id for g in groepen for c in g.categorieen}
    gekozen = [s for s in request.args.getlist("categorie") if s in bekend]
    wijken = gebieden_wijken()
    wijk_code = request.args.get("wijk", "")
    if wijk_code not in {w.code for w in wijken}:
        wijk_code = ""
    lijst = recente_meldingen(zichtbaar([bekend[s] for s in gekozen], wijk_code=wijk_code or None),
                              request.args.get("pagina", 1, type=int))
    return render_template(
        "meldingen/kaart.html",
        groepen=groepen, gekozen=gekozen, wijken=wijken, wijk_code=wijk_code,
        rows=lijst.rows, totaal=lijst.totaal, pagina=lijst.pagina, paginas=lijst.paginas,
        recent_dagen=current_app.config["KAART_RECENT_DAYS"],
        Status=Status,
    )


@bp.get("/kaart/meldingen.geojson")
@limiter.exempt
def kaart_geojson():
    try:
        bbox = lees_bbox(request.args.get("bbox"))
        zoom = lees_zoom(request.args.get("zoom"))
        categorieen = categorie_ids(
            [s for waarde in request.args.getlist("categorie") for s in waarde.split(",")]
        )
    except OngeldigeVraag as fout:
        return jsonify({"error": "Ongeldige vraag", "message": str(fout)}), 400
    response = jsonify(meldingen_geojson(bbox, zoom, categorieen))
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response
