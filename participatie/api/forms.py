"""The beheerder's form for a new API key."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from participatie.api.sleutels import MAX_NAAM
from participatie.forms import strip


class SleutelForm(FlaskForm):
    naam = StringField(
        "Naam van de app",
        filters=[strip],
        validators=[DataRequired("Geef de naam van de app."),
                    Length(max=MAX_NAAM, message=f"Gebruik hoogstens {MAX_NAAM} tekens.")],
        description="Medewerkers zien bij elke melding van de app: via deze naam.",
    )
    contact = StringField(
        "Contact bij de makers",
        filters=[strip],
        validators=[Length(max=254, message="Gebruik hoogstens 254 tekens.")],
        description="Een e-mailadres of telefoonnummer, voor als er iets mis is met de app.",
    )
