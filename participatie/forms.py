"""Form pieces every feature shares: the empty form for buttons, the strip filter, whole
numbers with a Dutch message, a place on the map and the optional e-mail for updates."""

from __future__ import annotations

import math

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField
from wtforms.validators import DataRequired, Email, Length, Optional

PLEK_ONGELDIG = (
    "De plek op de kaart is niet goed doorgekomen. Zet de speld opnieuw of typ het adres."
)


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


def lees_coordinaten(latitude: str | None, longitude: str | None) -> tuple[float, float] | None:
    """Both coordinates as floats, None when both are empty; ValueError when they are wrong."""
    lat, lon = (latitude or "").strip(), (longitude or "").strip()
    if not lat and not lon:
        return None
    waarden = (float(lat.replace(",", ".")), float(lon.replace(",", ".")))
    if not all(math.isfinite(w) for w in waarden):
        raise ValueError("not finite")
    if not (-90 <= waarden[0] <= 90 and -180 <= waarden[1] <= 180):
        raise ValueError("out of range")
    return waarden


class PlekMixin:
    """The point a resident puts on the map (static/js/melden.js fills the hidden fields);
    every form that asks "waar?" posts `latitude` and `longitude` (see DESIGN.md)."""

    latitude = HiddenField("Breedtegraad", filters=[strip])
    longitude = HiddenField("Lengtegraad", filters=[strip])

    def coordinaten(self) -> tuple[float, float] | None:
        """The point the resident chose; call after validate()."""
        try:
            return lees_coordinaten(self.latitude.data, self.longitude.data)
        except ValueError:
            return None

    def validate_latitude(self, field) -> None:
        try:
            lees_coordinaten(self.latitude.data, self.longitude.data)
        except ValueError:
            field.errors.append(PLEK_ONGELDIG)


def email_veld(label: str = "Uw e-mailadres", *, verplicht: str = "",
               **render_kw) -> EmailField:
    """The e-mail address for updates: the same rules wherever a resident gives it. Optional
    unless `verplicht` gives the message for an empty field."""
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(verplicht) if verplicht else Optional(),
            Email("Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl"),
            Length(max=254, message="Dit e-mailadres is te lang."),
        ],
        render_kw=render_kw or None,
    )
