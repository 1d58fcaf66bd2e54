"""The public wijk page ("jullie zeiden, wij deden") and its short URL.

It tells residents what their wijk raised and what was done with it, reading each feature
through the small query functions that feature exports; it changes nothing.
"""

from flask import Blueprint

bp = Blueprint("wijkpagina", __name__)

from participatie.wijkpagina import views  # noqa: E402,F401
