"""Wijkagenda: leefbaarheidsvragen per wijk, their sources, status and owner."""

from flask import Blueprint

bp = Blueprint("wijkagenda", __name__)

from participatie.wijkagenda import views  # noqa: E402,F401
