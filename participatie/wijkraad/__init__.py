"""Wijkraad: reactions of the wijkraad to its wijk's leefbaarheidsvragen and published
results, the gemeente's answers, and a weekly overview by e-mail."""

from flask import Blueprint

bp = Blueprint("wijkraad", __name__)

from participatie.wijkraad import views  # noqa: E402,F401
