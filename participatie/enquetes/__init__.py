"""Wijkenquêtes: short surveys per wijk, answered on a phone, with results a wijkraad can use;
open answers are the inbox's third kind of item."""

from flask import Blueprint

bp = Blueprint("enquetes", __name__)


@bp.record_once
def _in_de_inbox(state) -> None:
    """Open answers are the inbox's third kind of item (see moderatie.inbox)."""
    from participatie.enquetes.inbox import AntwoordBron
    from participatie.moderatie.inbox import registreer

    registreer(state.app, AntwoordBron())


from participatie.enquetes import views  # noqa: E402,F401
