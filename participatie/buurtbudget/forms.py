"""Forms of the buurtbudget: a round (staff) and its phase; an idea (residents) and the staff's
decisions on it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
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
from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze, UitvoeringStand
from participatie.forms import GetalField, PlekMixin, email_veld, strip

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


# --- Ideas: the resident's form, following, answering -------------------------------------

MAX_IDEE_FOTOS = 1


class IdeeForm(PlekMixin, FlaskForm):
    titel = StringField("Titel van uw idee", filters=[strip],
                        validators=[DataRequired("Geef uw idee een korte titel."),
                                    Length(max=120, message="Gebruik hoogstens 120 tekens.")],
                        render_kw={"maxlength": 120})
    omschrijving = TextAreaField(
        "Wat is uw idee?", filters=[strip],
        validators=[DataRequired("Beschrijf uw idee."),
                    Length(10, 4000, "Gebruik minstens 10 en hoogstens 4000 tekens.")],
        render_kw={"rows": 6, "maxlength": 4000})
    kosten_schatting = GetalField(
        "Wat kost het ongeveer, in euro's?",
        fout="Vul een bedrag in hele euro's in, bijvoorbeeld 2500.",
        validators=[InputRequired("Vul in wat uw idee ongeveer kost, in hele euro's."),
                    NumberRange(0, MAX_BUDGET, "Vul een bedrag in van 0 euro of meer.")])
    locatie_tekst = StringField(
        "Adres of omschrijving van de plek", filters=[strip],
        validators=[Optional(), Length(max=300, message="Gebruik hoogstens 300 tekens.")],
        render_kw={"autocomplete": "street-address"})
    buurt = SelectField("Buurt", validate_choice=False, validators=[Optional()])
    foto_kies = FileField("Kies een foto")
    fotos_bewaard = HiddenField()
    email = email_veld(autocomplete="email", inputmode="email")

    def __init__(self, *args, budget: int = MAX_BUDGET, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget

    def validate_kosten_schatting(self, field) -> None:
        if field.data is not None and field.data > self.budget:
            raise ValidationError(
                f"Het budget van deze ronde is € {self.budget:,}. Uw idee mag niet meer kosten."
                .replace(",", "."))

    def validate_buurt(self, field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een buurt uit de lijst.")


class VolgForm(FlaskForm):
    email = email_veld(verplicht="Vul uw e-mailadres in.", autocomplete="email",
                       inputmode="email")


class AntwoordForm(FlaskForm):
    antwoord = TextAreaField(
        "Uw antwoord", filters=[strip],
        validators=[DataRequired("Schrijf uw antwoord op de vraag."),
                    Length(5, 2000, "Uw antwoord is minstens 5 en hoogstens 2000 tekens.")])


# --- Ideas: staff ---------------------------------------------------------------------------

_tekst = Length(max=2000, message="Hoogstens 2000 tekens.")


class VraagForm(FlaskForm):
    vraag = TextAreaField("Vraag aan de indiener", filters=[strip],
                          validators=[DataRequired("Schrijf de vraag aan de indiener."), _tekst],
                          description="De indiener krijgt de vraag per e-mail en antwoordt op "
                                      "de eigen pagina van het idee.")


class AfwijzenForm(FlaskForm):
    reden = TextAreaField("Reden (openbaar)", filters=[strip],
                          validators=[DataRequired("Schrijf waarom het idee niet door kan."),
                                      _tekst],
                          description="De indiener, de volgers en de buurt lezen deze reden.")


class SamenvoegForm(FlaskForm):
    origineel = StringField("Nummer van het idee waar dit bij hoort", filters=[strip],
                            validators=[DataRequired("Vul het nummer in, bijvoorbeeld I-12."),
                                        Length(max=20)],
                            description="Bijvoorbeeld I-12, uit dezelfde ronde.")
    bericht = TextAreaField("Bericht aan de indiener en volgers", filters=[strip],
                            validators=[Optional(), _tekst],
                            description="Leeg laten? Dan sturen we een standaardbericht.")


class HaalbaarheidForm(FlaskForm):
    uitkomst = RadioField("Uitkomst", choices=[SelectChoice("haalbaar", "Haalbaar"),
                                               SelectChoice("niet_haalbaar", "Niet haalbaar")],
                          validators=[DataRequired("Kies haalbaar of niet haalbaar.")])
    toelichting = TextAreaField("Uitleg (openbaar)", filters=[strip],
                                validators=[DataRequired("Schrijf een uitleg die de buurt kan "
                                                         "lezen."), _tekst])
    kosten = GetalField(
        "Kosten volgens de gemeente, in euro's",
        fout="Vul een bedrag in hele euro's in, bijvoorbeeld 2500.",
        validators=[Optional(),
                    NumberRange(1, MAX_BUDGET, "Vul een bedrag van 1 euro of meer in.")],
        description="Dit bedrag staat op het stembiljet. Verplicht bij haalbaar.")


class VoortgangForm(FlaskForm):
    stand = SelectField("Stand", choices=[SelectChoice(s.value, s.label) for s in UitvoeringStand],
                        validators=[DataRequired("Kies de stand van de uitvoering.")])
    procent = GetalField("Hoe ver, in procent", validators=[
        InputRequired("Vul in hoe ver het is, van 0 tot en met 100."),
        NumberRange(0, 100, "Vul een getal van 0 tot en met 100 in.")])
    bericht = TextAreaField("Bericht (openbaar)", filters=[strip],
                            validators=[DataRequired("Schrijf wat er gebeurd is."), _tekst])
    foto = FileField("Foto")


class IdeeBulkForm(FlaskForm):
    """The ideas' part of the inbox's bulk form: publishing needs no fields. The inbox's own
    EmptyForm checks the CSRF token of the whole form."""

    class Meta:
        csrf = False
