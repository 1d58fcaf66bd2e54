"""Forms of the buurtbudget: a round (staff) and its phase."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from participatie.accounts.forms import DatumField, VinkjesField
from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze
from participatie.forms import GetalField, strip

MAX_BUDGET = 100_000_000  # euros; well inside PostgreSQL's integer


class RondeForm(FlaskForm):
    naam = StringField("Naam van de ronde", filters=[strip],
                       validators=[DataRequired("Geef de ronde een naam."),
                                   Length(max=120, message="Hoogstens 120 tekens.")])
    uitleg = TextAreaField("Uitleg voor bewoners", filters=[strip],
                           validators=[Optional(), Length(max=4000,
                                                          message="Hoogstens 4000 tekens.")])
    wijk = SelectField("Wijk", validate_choice=False,
                       validators=[DataRequired("Kies de wijk van deze ronde.")])
    buurten = VinkjesField("Buurten", choices=[])
    budget = GetalField(
        "Budget in euro's", fout="Vul het budget in, in hele euro's, bijvoorbeeld 25000.",
        validators=[InputRequired("Vul het budget in, in hele euro's."),
                    NumberRange(1, MAX_BUDGET, "Het budget ligt tussen 1 en 100 miljoen euro.")])
    stemwijze = RadioField(
        "Hoe stemmen bewoners?", default=Stemwijze.BUDGET.value,
        choices=[SelectChoice(s.value, s.label) for s in Stemwijze],
        validators=[DataRequired("Kies hoe bewoners stemmen.")])
    max_keuzes = GetalField(
        "Hoogstens zoveel ideeën kiezen", validators=[
            Optional(), NumberRange(1, 100, "Kies een aantal van 1 tot en met 100.")])
    regel = RadioField(
        "Hoe volgt de uitslag uit de stemmen?", default=Regel.MEESTE_STEMMEN.value,
        choices=[SelectChoice(r.value, r.label) for r in Regel],
        validators=[DataRequired("Kies de regel voor de uitslag.")])
    aanvullen = BooleanField("Wat overblijft gaat naar de ideeën met de meeste stemmen die nog "
                             "passen", default=True)
    indienen_vanaf = DatumField("Ideeën indienen vanaf", render_kw={"type": "date"})
    beoordelen_vanaf = DatumField("Beoordelen vanaf", render_kw={"type": "date"})
    stemmen_vanaf = DatumField("Stemmen vanaf", render_kw={"type": "date"})
    uitslag_vanaf = DatumField("Uitslag vanaf", render_kw={"type": "date"})
    uitvoering_vanaf = DatumField("Uitvoering vanaf", render_kw={"type": "date"})

    def validate_wijk(self, field) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een wijk uit de lijst.")

    def validate(self, extra_validators=None) -> bool:
        geldig = super().validate(extra_validators)
        for fase in Fase:
            veld = self[f"{fase.value}_vanaf"]
            if veld.data is None and not veld.errors:
                veld.errors.append("Vul een datum in.")
                geldig = False
        return geldig

    def data_per_fase(self) -> dict[Fase, object]:
        return {fase: self[f"{fase.value}_vanaf"].data for fase in Fase}


class FaseForm(FlaskForm):
    fase = SelectField("Naar fase", validate_choice=False,
                       validators=[DataRequired("Kies de volgende fase.")])

    def validate_fase(self, field) -> None:
        if field.data not in {f.value for f in Fase}:
            raise ValidationError("Kies een fase uit de lijst.")


class StemcodesForm(FlaskForm):
    aantal = GetalField("Aantal codes", fout="Vul het aantal codes in als heel getal.",
                        validators=[InputRequired("Vul het aantal codes in."),
                                    NumberRange(1, 100_000, "Maak 1 tot en met 100.000 codes "
                                                            "tegelijk.")])
    buurt = SelectField("Voor buurt", validate_choice=False)

    def validate_buurt(self, field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een buurt uit de lijst.")
