"""The resident's side of feedback: answer a question from staff, say whether it is solved.

The tracking page (`meldingen.volgen`) includes `meldingen/_terugkoppeling.html`, which asks
the template global `terugkoppeling(melding)` what to show. The forms post here. The mail
that says a melding is afgehandeld (meldingen.services.opgelost_mail) links here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from participatie.extensions import db, limiter
from participatie.meldingen import bp
from participatie.meldingen.forms import strip
from participatie.meldingen.models import Gebeurtenis, Melding
from participatie.meldingen.services import laatste_afhandeling
from participatie.meldingen.views import _melding_voor_token
from participatie.meldingen.workflow import Status

OPGELOST_JA = "opgelost: ja"
GEEN_VRAAG = "Er staat op dit moment geen vraag aan u open bij deze melding."
NIET_AFGEHANDELD = (
    "Deze melding is nu niet afgehandeld, dus u kunt nog niet zeggen of het is opgelost."
)


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


class TerugkoppelingFout(ValueError):
    """Feedback that does not fit the melding's status now; the message is for people."""


# --- Reading -----------------------------------------------------------------------------


def gestelde_vraag(melding: Melding) -> Gebeurtenis | None:
    """The staff's question: the latest public message that came with 'reactie gevraagd'."""
    for g in reversed(melding.gebeurtenissen):
        is_vraag = g.soort == Gebeurtenis.VRAAG or (
            g.soort == Gebeurtenis.STATUS and g.status_naar == Status.REACTIE_GEVRAAGD
        )
        if is_vraag and g.publiek and g.tekst.strip():
            return g
    return None


def gegeven_terugkoppeling(melding: Melding) -> Gebeurtenis | None:
    """The resident's "is het opgelost?" answer since the melding was last closed."""
    afhandeling = laatste_afhandeling(melding)
    if afhandeling is None:
        return None
    for g in reversed(melding.gebeurtenissen):
        if g is afhandeling:
            return None
        if g.soort == Gebeurtenis.TERUGKOPPELING:
            return g
    return None


@dataclass
class Terugkoppeling:
    """What the partial shows: a question to answer, the solved? question, or a thank-you."""

    melding: Melding
    vraag: Gebeurtenis | None
    gegeven: Gebeurtenis | None
    reactie_form: ReactieForm | None
    opgelost_form: OpgelostForm | None

    @property
    def vraagt_reactie(self) -> bool:
        return self.melding.status == Status.REACTIE_GEVRAAGD

    @property
    def vraagt_opgelost(self) -> bool:
        return self.melding.status == Status.AFGEHANDELD and self.gegeven is None

    @property
    def opgelost_ja(self) -> bool:
        return self.gegeven is not None and self.gegeven.tekst == OPGELOST_JA


@bp.app_template_global("terugkoppeling")
def terugkoppeling(melding: Melding, reactie_form=None, opgelost_form=None) -> Terugkoppeling:
    return Terugkoppeling(
        melding=melding,
        vraag=gestelde_vraag(melding),
        gegeven=gegeven_terugkoppeling(melding),
        reactie_form=reactie_form or ReactieForm(formdata=None),
        opgelost_form=opgelost_form or OpgelostForm(formdata=None),
    )


# --- Changing ----------------------------------------------------------------------------


def beantwoord(melding: Melding, antwoord: str) -> Gebeurtenis:
    """Store the resident's answer and move to 'reactie ontvangen' (flushes)."""
    if melding.status != Status.REACTIE_GEVRAAGD:
        raise TerugkoppelingFout(GEEN_VRAAG)
    gebeurtenis = Gebeurtenis(soort=Gebeurtenis.ANTWOORD, tekst=antwoord.strip(), publiek=False)
    melding.gebeurtenissen.append(gebeurtenis)
    melding.wijzig_status(Status.REACTIE_ONTVANGEN, door=None)
    db.session.flush()
    return gebeurtenis


def geef_terugkoppeling(melding: Melding, *, opgelost: bool, reden: str = "") -> bool:
    """Record "opgelost: ja" or a reopen request with its reason, once per closing (flushes).

    Returns False when this closing already had an answer; nothing is stored then.
    """
    if gegeven_terugkoppeling(melding) is not None:
        return False
    if melding.status != Status.AFGEHANDELD:
        raise TerugkoppelingFout(NIET_AFGEHANDELD)
    tekst = OPGELOST_JA if opgelost else reden.strip()
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.TERUGKOPPELING, tekst=tekst, publiek=False)
    )
    if not opgelost:
        melding.heropen_verzoek = True
    db.session.flush()
    return True


# --- Views -------------------------------------------------------------------------------


def _limiet() -> str:
    return current_app.config["RATELIMIT_MELDEN"]


def _pagina(melding: Melding, *, status: int = 200, fout: str = "", reactie_form=None,
            opgelost_form=None):
    return render_template(
        "meldingen/terugkoppeling.html", melding=melding, fout=fout,
        tk_reactie_form=reactie_form, tk_opgelost_form=opgelost_form,
    ), status


def _naar_volgpagina(melding: Melding):
    return redirect(url_for("meldingen.volgen", token=melding.token), code=303)


@bp.route("/meldingen/<token>/reactie", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def reactie(token: str):
    melding = _melding_voor_token(token)
    form = ReactieForm()
    if not form.is_submitted():
        return _pagina(melding)
    if melding.status != Status.REACTIE_GEVRAAGD:
        return _pagina(melding, status=409, fout=GEEN_VRAAG)
    if not form.validate():
        return _pagina(melding, status=422, reactie_form=form)
    beantwoord(melding, form.antwoord.data)
    db.session.commit()
    flash("Bedankt voor uw antwoord. De gemeente gaat verder met uw melding.", "succes")
    return _naar_volgpagina(melding)


@bp.route("/meldingen/<token>/opgelost", methods=["GET", "POST"])
@limiter.limit(_limiet, methods=["POST"])
def opgelost(token: str):
    melding = _melding_voor_token(token)
    form = OpgelostForm()
    if not form.is_submitted():
        return _pagina(melding)
    if not form.validate():
        return _pagina(melding, status=422, opgelost_form=form)
    try:
        nieuw = geef_terugkoppeling(
            melding, opgelost=form.opgelost.data == "ja", reden=form.reden.data or ""
        )
    except TerugkoppelingFout as fout:
        return _pagina(melding, status=409, fout=str(fout))
    db.session.commit()
    if not nieuw:
        flash("Bedankt. Wij hadden uw antwoord al ontvangen.", "succes")
    elif form.opgelost.data == "ja":
        flash("Bedankt! Fijn dat het is opgelost.", "succes")
    else:
        flash("Bedankt. De gemeente bekijkt uw melding opnieuw en laat u weten wat er gebeurt.",
              "succes")
    return _naar_volgpagina(melding)
