"""Form pieces every feature shares: the empty form for buttons, the strip filter and whole
numbers with a Dutch message."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField


class EmptyForm(FlaskForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""


def strip(value):
    """Trim text a user typed; a field that was not sent at all reads as empty, never None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class GetalField(IntegerField):
    """A whole number, with a Dutch message for anything else (WTForms' own is English)."""

    def __init__(self, *args, fout: str = "Vul een heel getal in, zonder punten of komma's.",
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fout = fout

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        tekst = valuelist[0].strip().replace(".", "").replace(" ", "")
        if not tekst.lstrip("-").isdigit() or len(tekst) > 10:
            self.data = None
            raise ValueError(self.fout)
        self.data = int(tekst)
