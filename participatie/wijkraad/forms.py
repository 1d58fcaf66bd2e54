from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from participatie.forms import strip
from participatie.web import heel_getal
from participatie.wijkraad.models import ReactieSoort

MAX_TEKST = 4000


def _tekst(label: str, leeg: str) -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[
        DataRequired(leeg),
        Length(max=MAX_TEKST, message=f"Schrijf hoogstens {MAX_TEKST} tekens."),
    ])


class ReactieForm(FlaskForm):
    """A wijkraadlid's reaction: what kind (advice, a question, agreement) and the text."""

    # Choices are checked in validate_soort, so the message is Dutch.
    soort = RadioField("Wat voor reactie is het?", validate_choice=False,
                       choices=[SelectChoice(s.value, s.label) for s in ReactieSoort])
    tekst = _tekst("Uw reactie", "Schrijf uw reactie.")

    def validate_soort(self, field) -> None:
        if field.data not in {s.value for s in ReactieSoort}:
            raise ValidationError("Kies of het een advies, een vraag of instemming is.")


class AntwoordForm(FlaskForm):
    """The gemeente's answer to one reaction."""

    tekst = _tekst("Uw antwoord", "Schrijf uw antwoord.")


def _een_id(form, field) -> None:
    """A hidden field naming a reaction: a whole number that can be an id."""
    if heel_getal(field.data) is None:
        raise ValidationError("Deze reactie bestaat niet (meer).")


class OpenbaarForm(FlaskForm):
    """The author's button: make a reaction public, or private again."""

    reactie = HiddenField(validators=[_een_id])
    openbaar = HiddenField()

    @property
    def reactie_id(self) -> int:
        return heel_getal(self.reactie.data) or 0

    @property
    def maak_openbaar(self) -> bool:
        return self.openbaar.data == "ja"


class OverzichtmailForm(FlaskForm):
    ontvangen = BooleanField("Stuur mij elke week een e-mail met wat er in mijn wijk veranderde")
