"""The melder follows their melding: the secret link from the e-mail, and the tracking page.

`/meldingen/<token>` is the link in every e-mail; it notes in the session that this browser
may follow the melding and sends it on to `/meldingen/volgen/<id>`, the tracking page without
the secret (participatie/geheimelink.py). The closing e-mail's link to "is het opgelost?"
works the same way.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for

from participatie import geheimelink, media
from participatie.extensions import db
from participatie.meldingen import bp
from participatie.meldingen.models import Foto
from participatie.meldingen.permissions import gevolgde_melding
from participatie.meldingen.services import absolute_url, melding_voor_token, plek_van


@bp.get("/meldingen/<token>")
def volglink(token: str):
    melding = melding_voor_token(token)
    return geheimelink.doorsturen(melding.token, url_for("meldingen.volgen", id=melding.id))


@bp.get("/meldingen/<token>/opgelost")
def volglink_opgelost(token: str):
    """The link in the mail "uw melding is afgehandeld": straight to "is het opgelost?"."""
    melding = melding_voor_token(token)
    return geheimelink.doorsturen(melding.token, url_for("meldingen.opgelost", id=melding.id))


@bp.get("/meldingen/volgen/<int:id>")
def volgen(id: int):
    melding = gevolgde_melding(id)
    historie = [g for g in melding.gebeurtenissen if g.publiek]
    fotos = [f for f in melding.fotos if not f.verborgen]
    return geheimelink.prive(current_app.make_response(render_template(
        "meldingen/volgen.html", melding=melding, historie=historie, fotos=fotos,
        plek=plek_van(melding), link=absolute_url("meldingen.volglink", token=melding.token),
    )))


@bp.get("/meldingen/volgen/<int:id>/foto/<int:foto_id>", defaults={"formaat": "groot"})
@bp.get("/meldingen/volgen/<int:id>/foto/<int:foto_id>/klein", defaults={"formaat": "klein"})
def volg_foto(id: int, foto_id: int, formaat: str):
    melding = gevolgde_melding(id)
    foto = db.session.get(Foto, foto_id)
    if foto is None or foto.melding_id != melding.id or foto.verborgen:
        abort(404)
    naam = foto.bestand if formaat == "groot" else foto.thumbnail
    return media.als_response(current_app.config["MEDIA_DIR"], naam, publiek=False, max_age=3600)
