"""Staff accounts, roles, organisations (teams and partners), login and logout."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from participatie.accounts import beheer, views  # noqa: E402,F401
