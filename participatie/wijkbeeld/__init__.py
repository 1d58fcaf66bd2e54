"""Wijkbeeld: the figures of a wijk in one place, for staff and the wijkraad."""

from flask import Blueprint

bp = Blueprint("wijkbeeld", __name__)

from participatie.wijkbeeld import views  # noqa: E402,F401
