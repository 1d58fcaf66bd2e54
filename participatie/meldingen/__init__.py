"""Meldingen: residents report an ergernis in the public space and follow what happens."""

from flask import Blueprint

bp = Blueprint("meldingen", __name__)


@bp.record_once
def _in_de_inbox(state) -> None:
    """Meldingen are the inbox's first kind of item (see moderatie.inbox)."""
    from participatie.meldingen.inbox import MeldingBron
    from participatie.moderatie.inbox import registreer

    registreer(state.app, MeldingBron())


from participatie.meldingen import views  # noqa: E402,F401
