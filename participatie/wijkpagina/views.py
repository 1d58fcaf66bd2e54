"""`/wijken/<wijkcode>`: the wijk's public page, and `/wijk/<wijknaam>`, its short URL."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from participatie.gebieden.services import wijk_voor_code
from participatie.web import absolute_url
from participatie.wijkpagina import bp, services

# How long a browser or a shared cache may keep the page of a visitor who is not logged in:
# as long as the map's data and Open311's answers (`/kaart/meldingen.geojson`, `api.views`).
CACHE_SECONDEN = 60


@bp.get("/wijk/<wijknaam>")
def kort(wijknaam: str):
    """The short URL to share (on a flyer, in a letter): 301 to the page under its code."""
    code = services.korte_namen().get(wijknaam.strip().lower()[:100])
    if code is None:
        abort(404)
    return redirect(url_for("wijkpagina.wijk", wijkcode=code), code=301)


@bp.get("/wijken/<wijkcode>")
def wijk(wijkcode: str):
    wijk = wijk_voor_code(wijkcode)
    if wijk is None:
        abort(404)
    verhaal = services.wijkverhaal(wijk)
    canonical = absolute_url("wijkpagina.wijk", wijkcode=wijk.code)
    korte_naam = services.korte_naam_van(wijk.code)
    html = render_template(
        "wijkpagina/wijk.html", v=verhaal, beschrijving=services.beschrijving(verhaal),
        canonical=canonical, deel_foto=_deel_foto(verhaal),
        korte_url=absolute_url("wijkpagina.kort", wijknaam=korte_naam) if korte_naam
        else canonical)
    return _met_cache(make_response(html))


def _deel_foto(verhaal: services.Wijkverhaal) -> str:
    """The picture a shared link shows: the latest photo of finished work, or the app's icon."""
    if not verhaal.uitgevoerd_met_foto:
        return absolute_url("static", filename="img/icon-192.png")
    u = verhaal.uitgevoerd_met_foto[0]
    return absolute_url("buurtbudget.voortgang_foto", ronde=u.ronde.slug, idee_id=u.idee.id,
                        update_id=u.foto.id, formaat="groot")


def _met_cache(response):
    """A visitor's page may be kept for a minute, by the browser and by a proxy (an ETag
    answers a revisit with 304); never the version with a staff member's menu."""
    if current_user.is_authenticated:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = CACHE_SECONDEN
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)
