"""Buurtbudget: residents propose ideas for their buurt's budget, vote with a stemcode from a
letter, and everyone can check how the result follows from the votes."""

from flask import Blueprint

bp = Blueprint("buurtbudget", __name__)

from participatie.buurtbudget import views  # noqa: E402,F401
