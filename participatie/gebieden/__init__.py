"""Gemeente, wijk and buurt boundaries; which buurt a point lies in."""

from flask import Blueprint

bp = Blueprint("gebieden", __name__)

from participatie.gebieden import views  # noqa: E402,F401
