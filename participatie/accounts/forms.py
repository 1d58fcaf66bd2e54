from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from participatie.accounts.models import Rol
from participatie.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from participatie.tijd import EERSTE_DAG, LAATSTE_DAG, datum_nl


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul uw e-mailadres in."),
            Email("Dit is geen geldig e-mailadres."),
            Length(max=254),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class VinkjesField(SelectMultipleField):
    """A list of checkboxes; unknown values get a Dutch message instead of WTForms' English."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        bekend = {str(keuze.value) for keuze in self.choices}
        for value in self.data or []:
            if str(value) not in bekend:
                raise ValidationError(f"{value} is geen geldige keuze.")


ROL_KEUZES = [SelectChoice(r.value, r.label) for r in Rol]
_WACHTWOORD_HINT = (
    f"Minstens {MIN_PASSWORD_LENGTH} tekens. Een zin van een paar woorden werkt goed."
)


def _wachtwoord_velden():
    return (
        PasswordField(
            "Wachtwoord",
            validators=[
                DataRequired("Vul een wachtwoord in."),
                Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                       message=f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens."),
            ],
            render_kw={"autocomplete": "new-password"},
            description=_WACHTWOORD_HINT,
        ),
        PasswordField(
            "Herhaal het wachtwoord",
            validators=[
                DataRequired("Vul het wachtwoord nog een keer in."),
                EqualTo("password", "De twee wachtwoorden zijn niet hetzelfde."),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class GebruikerForm(FlaskForm):
    """Name, role, wijken, organisation and whether the account may log in."""

    naam = StringField(
        "Naam",
        validators=[DataRequired("Vul de naam in."),
                    Length(max=120, message="Hoogstens 120 tekens.")],
    )
    rol = SelectField(
        "Rol", choices=ROL_KEUZES,
        validate_choice=False,  # checked below, with a Dutch message
    )
    wijken = VinkjesField("Wijken", choices=[])
    organisatie = SelectField("Organisatie", choices=[], validate_choice=False)
    actief = BooleanField("Account is actief (mag inloggen)")

    def validate_rol(self, field) -> None:
        if field.data not in {r.value for r in Rol}:
            raise ValidationError("Kies een rol.")

    def validate_organisatie(self, field) -> None:
        if field.data and field.data not in {str(c.value) for c in field.choices}:
            raise ValidationError("Kies een organisatie uit de lijst.")


class NieuweGebruikerForm(GebruikerForm):
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul het e-mailadres in."),
            Email("Dit is geen geldig e-mailadres."),
            Length(max=254, message="Hoogstens 254 tekens."),
        ],
    )
    password, password_herhaald = _wachtwoord_velden()


class WachtwoordForm(FlaskForm):
    password, password_herhaald = _wachtwoord_velden()


class DatumField(StringField):
    """A date as YYYY-MM-DD (what <input type=date> sends), with a Dutch message.

    Only the days the app works with (`tijd.EERSTE_DAG` to `tijd.LAATSTE_DAG`): 9999-12-31
    is a valid date, but not one a day can be added to.
    """

    def process_formdata(self, valuelist) -> None:
        self.data = None
        self.raw = valuelist[0].strip() if valuelist else ""
        if self.raw:
            try:
                dag = date.fromisoformat(self.raw)
            except ValueError:
                raise ValueError("Dit is geen geldige datum. Gebruik jjjj-mm-dd.") from None
            if not EERSTE_DAG <= dag <= LAATSTE_DAG:
                raise ValueError(f"Kies een datum tussen {datum_nl(EERSTE_DAG)} en "
                                 f"{datum_nl(LAATSTE_DAG)}.")
            self.data = dag

    def _value(self) -> str:
        return getattr(self, "raw", "") or (self.data.isoformat() if self.data else "")


class AuditFilterForm(FlaskForm):
    """Filters for the audit log; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    actie = StringField("Actie", validators=[Optional(), Length(max=60)],
                        description="Bijvoorbeeld gebruiker.wijzig of alleen gebruiker.")
    object_type = SelectField("Soort object", choices=[], validate_choice=False)
    email = StringField("E-mailadres van de medewerker", validators=[Optional(), Length(max=254)])
    van = DatumField("Vanaf datum", render_kw={"type": "date"})
    tot = DatumField("Tot en met datum", render_kw={"type": "date"})

    def validate_tot(self, field) -> None:
        if self.van.data and field.data and field.data < self.van.data:
            raise ValidationError("Deze datum ligt vóór de datum bij 'Vanaf datum'.")
