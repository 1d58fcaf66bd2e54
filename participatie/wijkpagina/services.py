"""What the public wijk page tells, gathered from the features' own query functions.

Everything here is public already elsewhere (the agenda, a round's page, a published survey
summary) or a count; nothing names a resident or shows an unpublished melding or idea.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from participatie.buurtbudget.ideeen import laatste_voortgang, openbare_updates
from participatie.buurtbudget.models import Budgetronde, Idee, IdeeUpdate
from participatie.buurtbudget.services import RondeInWijk, rondes_in_wijk
from participatie.buurtbudget.workflow import Fase, UitvoeringStand
from participatie.enquetes.models import Enquete
from participatie.enquetes.services import open_enquetes
from participatie.enquetes.uitslag import (
    Meting,
    Samenvatting,
    indicator_verloop,
    openbare_samenvattingen,
)
from participatie.enquetes.workflow import INDICATOREN
from participatie.gebieden.models import Wijk
from participatie.gebieden.services import wijken
from participatie.referentie import referentie
from participatie.tijd import datum_nl, vandaag
from participatie.web import slug_van
from participatie.wijkagenda.models import VraagStatus
from participatie.wijkagenda.services import AgendaRegel, agenda
from participatie.wijkbeeld.openbaar import MeldingenOverzicht, meldingen_laatste_jaar
from participatie.wijkraad.services import OpenbareReactie, openbare_reacties

# How many public reactions of the wijkraad the page shows (the newest).
WIJKRAAD_REACTIES = 5
# Phases in which a round asks something of residents, or is about to.
LOPEND = (Fase.INDIENEN, Fase.BEOORDELEN, Fase.STEMMEN)
# Phases in which a round has funded ideas that are (being) carried out.
UITGEVOERD = (Fase.UITSLAG, Fase.UITVOERING)
# Funded ideas the page lists (newest rounds first); older ones are on their round's page.
MAX_UITGEVOERD = 10


# --- The short URL ---------------------------------------------------------------------------


@referentie("wijk")
def korte_namen() -> dict[str, str]:
    """Every wijk's name in a short URL → its code ("noord" → "WK016402").

    The name comes from `korte_naam`. Should two wijken (of different gemeenten) share one,
    both get their code after it ("centrum-wk036300"): a short URL never points to another
    wijk than the one it was made for.
    """
    per_naam: dict[str, list[str]] = defaultdict(list)
    for wijk in wijken():
        per_naam[slug_van(wijk.korte_naam) or wijk.code.lower()].append(wijk.code)
    uit = {}
    for naam, codes in per_naam.items():
        for code in codes:
            uit[naam if len(codes) == 1 else f"{naam}-{code.lower()}"] = code
    return uit


def korte_naam_van(wijk_code: str) -> str | None:
    """The wijk's name in its short URL (see `korte_namen`); None for a wijk this process
    does not know yet (imported by another process less than `BEWAARTIJD` ago)."""
    return next((naam for naam, code in korte_namen().items() if code == wijk_code), None)


# --- The story -------------------------------------------------------------------------------


@dataclass
class UitgevoerdIdee:
    """A funded idea with how far the work is and its latest photo, as residents may see."""

    idee: Idee
    ronde: Budgetronde
    voortgang: IdeeUpdate | None
    foto: IdeeUpdate | None


@dataclass
class Indicator:
    """One wijkindicator followed over the published surveys, oldest first."""

    naam: str
    metingen: list[Meting]

    @property
    def met_waarde(self) -> list[Meting]:
        return [m for m in self.metingen if m.waarde is not None]


@dataclass
class Wijkverhaal:
    wijk: Wijk
    meldingen: MeldingenOverzicht | None
    rondes: list[RondeInWijk]
    lopende_rondes: list[Budgetronde]
    uitgevoerd: list[UitgevoerdIdee]
    samenvattingen: list[Samenvatting]
    indicatoren: list[Indicator]
    open_enquetes: list[Enquete]
    agenda_open: list[AgendaRegel] = field(default_factory=list)
    agenda_klaar: list[AgendaRegel] = field(default_factory=list)
    wijkraad: list[OpenbareReactie] = field(default_factory=list)

    @property
    def ideeen_ingediend(self) -> int:
        return sum(r.ideeen for r in self.rondes)

    @property
    def uitgevoerd_met_foto(self) -> list[UitgevoerdIdee]:
        """Funded ideas with a photo of the work, the latest photo first."""
        return sorted((u for u in self.uitgevoerd if u.foto),
                      key=lambda u: u.foto.created_at, reverse=True)

    @property
    def uitgevoerd_getoond(self) -> list[UitgevoerdIdee]:
        """The funded ideas the page lists: those of the newest rounds, at most
        MAX_UITGEVOERD (a wijk with years of rounds would otherwise list them all)."""
        return self.uitgevoerd[:MAX_UITGEVOERD]

    @property
    def uitgevoerd_elders(self) -> list[tuple[Budgetronde, int]]:
        """The rounds of the funded ideas not listed, newest first, with how many each."""
        aantallen: dict[int, int] = {}
        rondes: dict[int, Budgetronde] = {}
        for u in self.uitgevoerd[MAX_UITGEVOERD:]:
            aantallen[u.ronde.id] = aantallen.get(u.ronde.id, 0) + 1
            rondes[u.ronde.id] = u.ronde
        return [(rondes[i], aantallen[i]) for i in rondes]

    @property
    def ideeen_klaar(self) -> int:
        return sum(1 for u in self.uitgevoerd
                   if u.voortgang and u.voortgang.status == UitvoeringStand.KLAAR)


def _uitgevoerd(rondes: list[RondeInWijk]) -> list[UitgevoerdIdee]:
    uit = []
    for r in rondes:
        if r.ronde.fase_enum not in UITGEVOERD:
            continue
        for idee in r.gekozen:
            met_foto = [u for u in openbare_updates(idee) if u.foto_thumbnail]
            uit.append(UitgevoerdIdee(idee, r.ronde, laatste_voortgang(idee),
                                      met_foto[-1] if met_foto else None))
    return uit


def _indicatoren(samenvattingen: list[Samenvatting]) -> list[Indicator]:
    """The indicators of the published surveys, each over time (only measured ones)."""
    verloop = indicator_verloop([s.enquete for s in samenvattingen])
    return [Indicator(INDICATOREN.get(naam, naam), metingen)
            for naam, metingen in verloop.items()
            if any(m.waarde is not None for m in metingen)]


def wijkverhaal(wijk: Wijk) -> Wijkverhaal:
    """Everything the public page of `wijk` tells. The meldingen figures are the wijkbeeld's
    kept aggregates (no melding is read); the rest reads small tables of this wijk."""
    rondes = rondes_in_wijk(wijk.code)
    samenvattingen = openbare_samenvattingen(wijk.code)
    regels = agenda(wijk.code)
    return Wijkverhaal(
        wijk=wijk,
        meldingen=meldingen_laatste_jaar(wijk.code),
        rondes=rondes,
        lopende_rondes=[r.ronde for r in rondes if r.ronde.fase_enum in LOPEND],
        uitgevoerd=_uitgevoerd(rondes),
        samenvattingen=samenvattingen,
        indicatoren=_indicatoren(samenvattingen),
        open_enquetes=open_enquetes(vandaag(), wijk.code),
        agenda_open=[r for r in regels if r.vraag.is_open],
        agenda_klaar=[r for r in regels if r.vraag.status_enum == VraagStatus.AFGEROND],
        wijkraad=openbare_reacties(wijk.code, WIJKRAAD_REACTIES),
    )


def _meervoud(aantal: int, een: str, meer: str) -> str:
    return f"{aantal} {een if aantal == 1 else meer}"


def beschrijving(verhaal: Wijkverhaal) -> str:
    """The page's description for search engines and shared links: the wijk and its latest
    figures, in a few short sentences."""
    zinnen = []
    m = verhaal.meldingen
    if m and m.totaal.ontvangen:
        zin = (f"{_meervoud(m.totaal.ontvangen, 'melding', 'meldingen')} sinds "
               f"{datum_nl(m.van)}, {m.totaal.afgehandeld} afgehandeld")
        if m.totaal.binnen_termijn_procent is not None:
            zin += f" ({m.totaal.binnen_termijn_procent:.0f}% binnen de termijn)"
        zinnen.append(zin)
    if verhaal.uitgevoerd:
        zinnen.append(f"{_meervoud(len(verhaal.uitgevoerd), 'idee', 'ideeën')} uit het "
                      f"buurtbudget gekozen, {verhaal.ideeen_klaar} klaar")
    zinnen.append(f"{_meervoud(len(verhaal.agenda_open), 'onderwerp', 'onderwerpen')} op de "
                  "wijkagenda")
    wijk = verhaal.wijk
    return f"Wijk {wijk.korte_naam} in {wijk.gemeente.naam}: " + ". ".join(zinnen) + "."
