from flask import jsonify

from participatie.extensions import limiter
from participatie.gebieden import bp
from participatie.gebieden.services import grenzen_geojson


@bp.get("/kaart/wijken.geojson")
@limiter.exempt
def wijken_geojson():
    response = jsonify(grenzen_geojson())
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
