"""Buurtbudget: residents propose ideas for their buurt's budget, vote with a stemcode from a
letter, and everyone can check how the result follows from the votes."""

from flask import Blueprint

bp = Blueprint("buurtbudget", __name__)


@bp.record_once
def _in_de_inbox(state) -> None:
    """Ideas are the inbox's second kind of item (see moderatie.inbox)."""
    from participatie.buurtbudget.inbox import IdeeBron
    from participatie.moderatie.inbox import registreer

    registreer(state.app, IdeeBron())


from participatie.buurtbudget import views  # noqa: E402,F401
