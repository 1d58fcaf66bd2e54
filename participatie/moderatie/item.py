"""What every inbox item's staff page shares, whatever its kind (meldingen, ideas, ...):
the inbox's filter carried along as `lijst`, a service run inside a savepoint, and the first
error of a form as one line for the panel."""

from __future__ import annotations

from collections.abc import Callable

from flask import request

from participatie.extensions import db
from participatie.moderatie.inbox import ActieGeweigerd


def lijst_args() -> str:
    """The inbox's query string, carried along so "Volgende" and "Terug" keep the filter."""
    return request.args.get("lijst", "")[:1000]


def probeer(actie: Callable[[], object]) -> str | None:
    """Run a service inside a savepoint; a refusal (ActieGeweigerd, which includes the
    workflows' own refusals) undoes it and comes back as text."""
    try:
        with db.session.begin_nested():
            actie()
    except ActieGeweigerd as fout:
        return str(fout)
    return None


def eerste_fout(form) -> str:
    for naam, fouten in form.errors.items():
        if naam == "csrf_token":
            return "Het formulier was verlopen. Verstuur het nog een keer."
        return fouten[0]
    return "Controleer het formulier."
