"""Forms of the resident's reporting flow: a new melding and "dit is mijn melding ook"."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    MultipleFileField,
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
    Optional,
    StopValidation,
    ValidationError,
)

from participatie.accounts.services import actieve_organisaties
from participatie.forms import (  # noqa: F401 (lees_coordinaten: used by the views)
    PlekMixin,
    email_veld,
    lees_coordinaten,
    strip,
)
from participatie.gebieden.services import WijkNaam
from participatie.meldingen.models import CategorieGroep
from participatie.meldingen.workflow import Status

MAX_FOTOS = 3


def categorie_keuzes(groepen: list[CategorieGroep]) -> list[SelectChoice]:
    """Active categories, one optgroup per group, after an empty first choice."""
    keuzes = [SelectChoice("", "Kies een onderwerp")]
    for groep in groepen:
        for cat in groep.categorieen:
            if cat.actief:
                keuzes.append(SelectChoice(str(cat.id), cat.naam, optgroup=groep.naam))
    return keuzes


def buurt_keuzes(wijken: Iterable[WijkNaam]) -> list[SelectChoice]:
    keuzes = [SelectChoice("", "Kies de buurt")]
    for wijk in wijken:
        for buurt in wijk.buurten:
            keuzes.append(SelectChoice(buurt.code, buurt.naam, optgroup=wijk.korte_naam))
    return keuzes


class NodigZonderPunt:
    """Required when the form has no coordinates: without a map or GPS, text must say where."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not (form.latitude.data or form.longitude.data) and not field.data:
            raise StopValidation(self.message)


class MeldingForm(PlekMixin, FlaskForm):
    categorie = SelectField(
        "Waar gaat het over?",
        validators=[DataRequired("Kies waar uw melding over gaat.")],
        validate_choice=False,
    )
    omschrijving = TextAreaField(
        "Wat is er aan de hand?",
        filters=[strip],
        validators=[
            DataRequired("Beschrijf wat er aan de hand is."),
            Length(5, 1000, "Gebruik minstens 5 en hoogstens 1000 tekens."),
        ],
        render_kw={"rows": 4, "maxlength": 1000},
    )
    foto_camera = FileField("Maak een foto")
    foto_kies = MultipleFileField("Kies een foto")
    fotos_bewaard = HiddenField()
    locatie_tekst = StringField(
        "Adres of omschrijving van de plek",
        filters=[strip],
        validators=[
            NodigZonderPunt(
                "Geef aan waar het is: typ het adres of beschrijf de plek. Met de kaart kan het "
                "ook."
            ),
            Length(max=300, message="Gebruik hoogstens 300 tekens."),
        ],
        render_kw={"autocomplete": "street-address"},
    )
    buurt = SelectField(
        "Buurt",
        validators=[NodigZonderPunt("Kies in welke buurt het is.")],
        validate_choice=False,
    )
    email = email_veld(autocomplete="email", inputmode="email")
    nieuw_bevestigd = HiddenField()

    def validate_categorie(self, field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een onderwerp uit de lijst.")

    def validate_buurt(self, field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een buurt uit de lijst.")


class SteunForm(PlekMixin, FlaskForm):
    """Posted by the "Dit is mijn melding ook" button, from inside the melding form."""

    steun_melding = HiddenField(validators=[InputRequired()])
    categorie = HiddenField(validators=[InputRequired()])
    email = email_veld()


# --- The resident's feedback on the tracking page ------------------------------------------


class ReactieForm(FlaskForm):
    antwoord = TextAreaField(
        "Uw antwoord",
        id="tk-antwoord",
        filters=[strip],
        validators=[
            DataRequired("Schrijf uw antwoord op de vraag."),
            Length(min=5, max=2000, message="Uw antwoord is minstens 5 en hoogstens 2000 tekens."),
        ],
    )


class OpgelostForm(FlaskForm):
    """One form for both buttons: "ja" needs nothing more, "nee" needs a reason."""

    opgelost = HiddenField()
    reden = TextAreaField("Wat is er nog niet goed?", id="tk-reden", filters=[strip])

    def validate_opgelost(self, field) -> None:
        if field.data not in ("ja", "nee"):
            raise ValidationError("Kies ja of nee.")

    def validate_reden(self, field) -> None:
        if self.opgelost.data != "nee":
            return
        if len(field.data or "") < 5:
            raise ValidationError("Schrijf kort wat er nog niet goed is (minstens 5 tekens).")
        if len(field.data) > 2000:
            raise ValidationError("Uw uitleg is hoogstens 2000 tekens.")


# --- Staff: one melding and the inbox's bulk form ------------------------------------------

BERICHT_MAX = 2000
_bericht_lengte = Length(max=BERICHT_MAX, message=f"Een bericht is hoogstens {BERICHT_MAX} tekens.")


class StatusForm(FlaskForm):
    status = SelectField("Nieuwe status", choices=[SelectChoice(s.value, s.label) for s in Status],
                         validators=[DataRequired("Kies een status.")])
    bericht = TextAreaField(
        "Bericht", validators=[Optional(), _bericht_lengte],
        description="Verplicht bij afgehandeld, geannuleerd en heropend. "
                    "Bij 'Reactie gevraagd' is dit de vraag aan de melder.")
    publiek = BooleanField("Stuur dit bericht naar de melder (en wie de melding steunt)",
                           default=True)


class BerichtForm(FlaskForm):
    tekst = TextAreaField("Bericht of notitie",
                          validators=[DataRequired("Schrijf eerst een bericht."),
                                      _bericht_lengte])
    zichtbaarheid = RadioField(
        "Wie ziet dit?", default="intern",
        choices=[SelectChoice("intern", "Interne notitie: alleen medewerkers"),
                 SelectChoice("publiek", "Bericht aan de melder: per e-mail en op de volgpagina")])


class ToewijzenForm(FlaskForm):
    organisatie = SelectField("Toewijzen aan", coerce=int, choices=[],
                              validators=[DataRequired("Kies een team of partner.")])
    doorzetten = BooleanField("Zet de status op 'Doorgezet naar partner'")


class SamenvoegenForm(FlaskForm):
    origineel = StringField("Nummer van de melding waar deze bij hoort",
                            validators=[DataRequired("Vul het nummer in, bijvoorbeeld M-1234."),
                                        Length(max=20)],
                            description="Bijvoorbeeld M-1234. Die melding moet nog open zijn.")
    bericht = TextAreaField("Bericht aan de melder", validators=[Optional(), _bericht_lengte],
                            description="Leeg laten? Dan sturen we een standaardbericht.")


class HeropenForm(FlaskForm):
    keuze = RadioField("Wat doet u met het verzoek?",
                       choices=[SelectChoice("heropenen", "Heropenen"),
                                SelectChoice("afwijzen", "Niet heropenen")],
                       validators=[DataRequired("Kies heropenen of niet heropenen.")])
    bericht = TextAreaField("Bericht aan de melder",
                            validators=[DataRequired("Schrijf de melder waarom."),
                                        _bericht_lengte])


class BulkForm(FlaskForm):
    """The meldingen part of the inbox's bulk form; the inbox posts `actie` and `ids`.

    Its fields carry the prefix "melding-" so other kinds' fields never clash; the inbox's
    own EmptyForm checks the CSRF token of the whole form.
    """

    class Meta:
        csrf = False

    status = SelectField("Nieuwe status", choices=[SelectChoice("", "Kies een status")]
                         + [SelectChoice(s.value, s.label) for s in Status
                            if s != Status.SAMENGEVOEGD],
                         validators=[Optional()])
    organisatie = SelectField("Toewijzen aan", coerce=lambda v: int(v) if v else None,
                              choices=[], validators=[Optional()])
    doorzetten = BooleanField("Zet de status op 'Doorgezet naar partner'")
    bericht = TextAreaField("Bericht", validators=[Optional(), _bericht_lengte])
    publiek = BooleanField("Stuur het bericht naar de melders", default=True)


def organisatie_keuzes() -> list[SelectChoice]:
    """Active organisations to assign to: gemeente teams first, then partners, by name."""
    return [SelectChoice(o.id, o.label) for o in actieve_organisaties()]
