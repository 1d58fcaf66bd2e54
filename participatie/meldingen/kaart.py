"""The public map of meldingen."""

from participatie.meldingen import bp


@bp.get("/kaart")
def kaart():
    return "kaart"
