"""Meldingen: residents report an ergernis in the public space and follow what happens."""

from flask import Blueprint

bp = Blueprint("meldingen", __name__)

from participatie.meldingen import kaart, terugkoppeling, views  # noqa: E402,F401
