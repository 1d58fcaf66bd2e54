"""What residents see: the current rounds, and one round with what can be done now."""

from __future__ import annotations

from flask import abort, render_template

from participatie.buurtbudget import bp, services
from participatie.buurtbudget.ideeen import laatste_voortgang, publieke_ideeen
from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.workflow import Fase, IdeeActie, mag_in_fase
from participatie.tijd import vandaag

# What a resident can do in each phase, in one sentence.
WAT_NU = {
    Fase.INDIENEN: "U kunt nu een idee indienen.",
    Fase.BEOORDELEN: "De gemeente bekijkt nu welke ideeën haalbaar zijn en wat ze kosten.",
    Fase.STEMMEN: "U kunt nu stemmen met de stemcode uit uw brief.",
    Fase.UITSLAG: "De uitslag is bekend.",
    Fase.UITVOERING: "De gekozen ideeën worden uitgevoerd.",
}


def ronde_of_404(slug: str) -> Budgetronde:
    ronde = services.ronde_voor_slug(slug)
    if ronde is None:
        abort(404)
    return ronde


def tijdlijn(ronde: Budgetronde) -> list[dict]:
    """The phases with their dates and whether each is past, now or to come."""
    nu = list(Fase).index(ronde.fase_enum)
    return [{"fase": fase, "vanaf": ronde.datum_van(fase),
             "stand": "voorbij" if i < nu else "nu" if i == nu else "straks"}
            for i, fase in enumerate(Fase)]


@bp.get("/buurtbudget")
def rondes():
    return render_template("buurtbudget/rondes.html", rondes=services.lopende_rondes(),
                           wat_nu=WAT_NU, vandaag=vandaag())


@bp.get("/buurtbudget/<ronde>")
def ronde(ronde: str):
    ronde = ronde_of_404(ronde)
    lijst = publieke_ideeen(ronde)
    return render_template("buurtbudget/ronde.html", ronde=ronde, tijdlijn=tijdlijn(ronde),
                           wat_nu=WAT_NU[ronde.fase_enum], ideeen=lijst,
                           voortgang={i.id: laatste_voortgang(i) for i in lijst},
                           kan_indienen=mag_in_fase(IdeeActie.INDIENEN, ronde.fase_enum))
