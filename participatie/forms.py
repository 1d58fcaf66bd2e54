"""Form pieces every feature shares: the empty form for buttons and the strip filter."""

from __future__ import annotations

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""


def strip(value):
    """Trim text a user typed; a field that was not sent at all reads as empty, never None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value
