"""Moderatie: the staff inbox where stadsdeelregisseurs triage everything from their wijken."""

from flask import Blueprint

bp = Blueprint("moderatie", __name__, url_prefix="/beheer")

from participatie.moderatie import views  # noqa: E402,F401
