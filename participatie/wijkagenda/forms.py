from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from participatie.forms import strip
from participatie.wijkagenda.models import VRAAG_TRANSITIES, Thema, VraagStatus

THEMA_KEUZES = [SelectChoice("", "Kies een thema")] + [
    SelectChoice(t.value, t.label) for t in Thema
]


class VraagForm(FlaskForm):
    """A new leefbaarheidsvraag: what is the problem, in a few words, and its theme."""

    titel = StringField(
        "Titel",
        filters=[strip],
        validators=[
            DataRequired("Geef de vraag een korte titel."),
            Length(max=160, message="Een titel heeft hoogstens 160 tekens."),
        ],
    )
    omschrijving = TextAreaField(
        "Omschrijving",
        filters=[strip],
        validators=[Length(max=4000, message="Een omschrijving heeft hoogstens 4000 tekens.")],
    )
    # Choices are checked in validate_thema, so the message is Dutch.
    thema = SelectField("Thema", choices=THEMA_KEUZES, validate_choice=False)

    def validate_thema(self, field) -> None:
        if field.data not in {t.value for t in Thema}:
            raise ValidationError("Kies een thema.")


class BewerkForm(VraagForm):
    status = SelectField("Status", validate_choice=False)
    eigenaar = SelectField("Eigenaar", validate_choice=False)

    def validate_status(self, field) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een van de statussen uit de lijst.")

    def validate_eigenaar(self, field) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een eigenaar uit de lijst.")


def status_keuzes(huidig: VraagStatus) -> list[SelectChoice]:
    """The current status and the ones the transition table allows from it."""
    toegestaan = {huidig} | VRAAG_TRANSITIES[huidig]
    return [SelectChoice(s.value, s.label) for s in VraagStatus if s in toegestaan]


class KoppelForm(FlaskForm):
    vraag_id = SelectField("Bestaande vraag", validate_choice=False)

    def validate_vraag_id(self, field) -> None:
        if field.data not in {c.value for c in field.choices if c.value}:
            raise ValidationError("Kies een vraag uit de lijst.")
