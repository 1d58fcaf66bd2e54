"""Wijkagenda: leefbaarheidsvragen per wijk, their sources, status and owner."""

from flask import Blueprint

bp = Blueprint("wijkagenda", __name__)


@bp.record_once
def _in_de_inbox(state) -> None:
    """"Op de wijkagenda" on every inbox item's page and in the inbox's bulk form."""
    from participatie.moderatie.inbox import registreer_bulk_knop, registreer_item_actie

    registreer_item_actie(state.app, "wijkagenda/_inbox_actie.html")
    registreer_bulk_knop(state.app, "wijkagenda/_bulk_actie.html")


from participatie.wijkagenda import views  # noqa: E402,F401
