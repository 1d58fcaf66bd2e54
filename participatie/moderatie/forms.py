"""Forms of the inbox. Every change is a POST with a CSRF token (Flask-WTF)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from participatie.meldingen.workflow import Status

BERICHT_MAX = 2000
_bericht_lengte = Length(max=BERICHT_MAX, message=f"Een bericht is hoogstens {BERICHT_MAX} tekens.")


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post without fields."""


class StatusForm(FlaskForm):
    status = SelectField("Nieuwe status", choices=[(s.value, s.label) for s in Status],
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
        choices=[("intern", "Interne notitie: alleen medewerkers"),
                 ("publiek", "Bericht aan de melder: per e-mail en op de volgpagina")])


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
                       choices=[("heropenen", "Heropenen"),
                                ("afwijzen", "Niet heropenen")],
                       validators=[DataRequired("Kies heropenen of niet heropenen.")])
    bericht = TextAreaField("Bericht aan de melder",
                            validators=[DataRequired("Schrijf de melder waarom."),
                                        _bericht_lengte])


class BulkForm(FlaskForm):
    actie = RadioField("Wat wilt u doen met de gekozen meldingen?", default="status",
                       choices=[("status", "Status wijzigen"), ("toewijzen", "Toewijzen")])
    status = SelectField("Nieuwe status", choices=[("", "Kies een status")]
                         + [(s.value, s.label) for s in Status if s != Status.SAMENGEVOEGD],
                         validators=[Optional()])
    organisatie = SelectField("Toewijzen aan", coerce=lambda v: int(v) if v else None,
                              choices=[], validators=[Optional()])
    doorzetten = BooleanField("Zet de status op 'Doorgezet naar partner'")
    bericht = TextAreaField("Bericht", validators=[Optional(), _bericht_lengte])
    publiek = BooleanField("Stuur het bericht naar de melders", default=True)
