"""The staff forms of enquêtes (survey, question, codes, summary, answer handling). The
resident's answers are not a fixed form: `invullen.lees_pagina` reads them per question."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participatie.enquetes.workflow import INDICATOREN, VraagType
from participatie.forms import GetalField, strip
from participatie.tijd import EERSTE_DAG, LAATSTE_DAG

DATUM_FOUT = "Vul een datum in, bijvoorbeeld 2026-03-01."


def een_regel(value):
    """A title is one line: line breaks and runs of spaces become one space."""
    return " ".join(value.split()) if isinstance(value, str) else strip(value)


def _datum_binnen_bereik(form, field) -> None:
    if field.data and not EERSTE_DAG <= field.data <= LAATSTE_DAG:
        field.errors.append("Kies een datum tussen 1 januari 2000 en 31 december 2199.")


class EnqueteForm(FlaskForm):
    titel = StringField("Titel", filters=[een_regel], validators=[
        DataRequired("Geef de enquête een titel."),
        Length(max=160, message="Hoogstens 160 tekens.")])
    intro = TextAreaField("Uitleg voor bewoners", filters=[strip], validators=[
        Length(max=4000, message="Hoogstens 4000 tekens.")])
    wijk = SelectField("Wijk", choices=[], validate_choice=False)
    buurten = StringField("Buurten (codes, gescheiden door komma's; leeg: de hele wijk)",
                          filters=[strip], validators=[Length(max=500)])
    open_vanaf = DateField("Open vanaf", validators=[InputRequired(DATUM_FOUT)],
                           render_kw={"type": "date"})
    sluit_op = DateField("Laatste dag", validators=[InputRequired(DATUM_FOUT)],
                         render_kw={"type": "date"})
    met_code = BooleanField("Alleen met een code uit een brief (één antwoord per brief)")

    def validate_open_vanaf(self, field) -> None:
        _datum_binnen_bereik(self, field)

    def validate_sluit_op(self, field) -> None:
        _datum_binnen_bereik(self, field)
        if field.data and self.open_vanaf.data and field.data < self.open_vanaf.data:
            field.errors.append("De laatste dag ligt na de eerste dag.")

    def validate_wijk(self, field) -> None:
        if not field.data or field.data not in {keuze.value for keuze in field.choices}:
            field.errors.append("Kies een gebied uit de lijst.")


class VraagForm(FlaskForm):
    tekst = StringField("Vraag", filters=[een_regel], validators=[
        DataRequired("Typ de vraag."), Length(max=300, message="Hoogstens 300 tekens.")])
    toelichting = TextAreaField("Uitleg bij de vraag", filters=[strip],
                                validators=[Length(max=1000)])
    type = SelectField("Soort vraag", choices=[SelectChoice(t.value, t.label) for t in VraagType],
                       validate_choice=False)
    opties = TextAreaField("Antwoorden om uit te kiezen (één per regel)", filters=[strip],
                           validators=[Length(max=4000)])
    pagina = GetalField("Pagina", default=1, validators=[
        Optional(), NumberRange(1, 50, "Kies een pagina van 1 tot en met 50.")])
    volgorde = GetalField("Volgorde op de pagina", default=0, validators=[
        Optional(), NumberRange(0, 1000, "Kies een getal van 0 tot en met 1000.")])
    verplicht = BooleanField("Verplicht")
    max_keuzes = GetalField("Hoogstens zoveel keuzes", validators=[
        Optional(), NumberRange(1, 50, "Kies een getal van 1 tot en met 50.")])
    max_lengte = GetalField("Hoogstens zoveel tekens", validators=[
        Optional(), NumberRange(1, 5000, "Kies een getal van 1 tot en met 5000.")])
    indicator = SelectField("Wijkindicator", choices=[SelectChoice("", "Geen"),
                                     *(SelectChoice(k, v) for k, v in INDICATOREN.items())],
                            validate_choice=False)
    naar_inbox = BooleanField("Open antwoorden in de inbox")
    voorwaarde = SelectField("Alleen tonen als", choices=[SelectChoice("", "Altijd tonen")],
                             validate_choice=False)

    def validate_voorwaarde(self, field) -> None:
        field.data = field.data or ""
        if field.data not in {keuze.value for keuze in field.choices}:
            field.errors.append("Kies een voorwaarde uit de lijst.")

    def validate_type(self, field) -> None:
        if field.data not in {t.value for t in VraagType}:
            field.errors.append("Kies een soort vraag uit de lijst.")

    def validate_indicator(self, field) -> None:
        field.data = field.data or ""
        if field.data and field.data not in INDICATOREN:
            field.errors.append("Kies een wijkindicator uit de lijst.")

    def optie_teksten(self) -> list[str]:
        return [regel.strip() for regel in (self.opties.data or "").splitlines()
                if regel.strip()]


class CodesForm(FlaskForm):
    aantal = GetalField("Aantal codes", validators=[
        InputRequired("Vul in hoeveel codes u wilt maken."),
        NumberRange(1, 100_000, "Maak 1 tot en met 100.000 codes tegelijk.")])
    buurt = SelectField("Buurt op de brief", choices=[SelectChoice("", "Het hele gebied")],
                        validate_choice=False)

    def validate_buurt(self, field) -> None:
        field.data = (field.data or "")[:10]


class SamenvattingForm(FlaskForm):
    samenvatting = TextAreaField("Samenvatting voor de wijkpagina", filters=[strip],
                                 validators=[Length(max=8000, message="Hoogstens 8000 tekens.")])
    openbaar = BooleanField("Op de openbare wijkpagina zetten")


class AntwoordReactieForm(FlaskForm):
    tekst = TextAreaField("Uw antwoord aan de bewoner", filters=[strip], validators=[
        DataRequired("Typ uw antwoord."), Length(max=4000, message="Hoogstens 4000 tekens.")])


class AntwoordBulkForm(FlaskForm):
    """No bulk actions on answers (yet): the inbox's bulk form needs a form all the same."""
