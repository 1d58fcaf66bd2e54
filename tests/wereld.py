"""A small world that every route can be walked in, and the URL of any route in it.

Used by the tests that walk every route (`test_rollen_routes.py`, `test_geen_500.py`; the
fixture `wereld` is in conftest). URL arguments are filled by name in ``WAARDEN`` (then by
converter; ``WAARDEN_PER_ROUTE`` first, where a name means something else on one route). A
feature whose route takes an argument that is not there yet adds one line to ``WAARDEN``;
an unknown ``int`` argument falls back to the melding in wijk Noord. The world
has one melding in Noord (assigned to Gildebor) with a photo, a leefbaarheidsvraag with that
melding as its source, a budgetronde in De Noork with one idea (with a photo), an API key,
a survey in Noord (with codes) with one sent response whose open answer is in the inbox,
a second user (a wijkraadlid of Noord) and that wijkraadlid's reaction to the vraag.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from werkzeug.routing import IntegerConverter

from participatie import media
from participatie.accounts.services import organisatie_by_naam
from participatie.api.sleutels import maak_sleutel
from participatie.meldingen.models import Foto
from participatie.wijkraad import onderwerpen
from participatie.wijkraad.models import ReactieSoort
from participatie.wijkraad.services import reageer
from tests.factories import (
    DE_NOORK,
    budgetronde,
    enquete,
    gebruiker,
    idee,
    leefbaarheidsvraag,
    melding,
    respons,
)

NOORD = "WK016402"


@dataclass
class Wereld:
    melding_id: int
    foto_id: int
    ander_id: int
    token: str  # the melding's secret link
    vraag_id: int
    bron_id: int
    ronde: str = ""
    idee_id: int = 0
    idee_token: str = ""  # the idea's secret link
    sleutel_id: int = 0
    enquete_id: int = 0
    enquetevraag_id: int = 0
    antwoord_id: int = 0
    reactie_id: int = 0
    bestanden: tuple[str, ...] = ()


WAARDEN = {
    "id": lambda w: w.melding_id,
    "melding_id": lambda w: w.melding_id,
    "foto_id": lambda w: w.foto_id,
    "user_id": lambda w: w.ander_id,
    "gebruiker_id": lambda w: w.ander_id,
    "vraag_id": lambda w: w.vraag_id,
    "bron_id": lambda w: w.bron_id,
    "wijkcode": lambda w: NOORD,
    "wijknaam": lambda w: "noord",
    "wijk_code": lambda w: NOORD,
    "code": lambda w: NOORD,
    "token": lambda w: w.token,
    "ronde": lambda w: w.ronde,
    "idee_id": lambda w: w.idee_id,
    "sleutel_id": lambda w: w.sleutel_id,
    "enquete_id": lambda w: w.enquete_id,
    "enquetevraag_id": lambda w: w.enquetevraag_id,
    "antwoord_id": lambda w: w.antwoord_id,
    "reactie_id": lambda w: w.reactie_id,
    "tabel": lambda w: "meldingen-per-kwartaal",
}
# Where one name means something else on one route: (endpoint, name).
WAARDEN_PER_ROUTE = {
    ("buurtbudget.mijn_idee_link", "token"): lambda w: w.idee_token,
}


def url_voor(rule, wereld: Wereld) -> str:
    """The path of `rule` with its arguments taken from the world."""
    waarden = {}
    for naam, converter in rule._converters.items():
        if (rule.endpoint, naam) in WAARDEN_PER_ROUTE:
            waarden[naam] = WAARDEN_PER_ROUTE[rule.endpoint, naam](wereld)
        elif naam in WAARDEN:
            waarden[naam] = WAARDEN[naam](wereld)
        elif hasattr(converter, "items"):  # <any(a, b):naam>
            waarden[naam] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            waarden[naam] = wereld.melding_id
        else:
            waarden[naam] = "onbekend"
    return rule.build(waarden)[1]


def maak_wereld(db_session, media_dir) -> Wereld:
    """Build the world and release it into the test's outer transaction."""
    m = melding(plek=DE_NOORK, email="melder@example.nl")
    assert m.wijk_code == NOORD
    # Assigned to Gildebor, so a Gildebor partner has real work on it.
    m.organisatie = organisatie_by_naam("Gildebor")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(png, "PNG")
    verwerkt = media.verwerk(png.getvalue(), media_dir, max_bytes=10**6, max_pixels=10**6)
    foto = Foto(melding=m, bestand=verwerkt.bestand, thumbnail=verwerkt.thumbnail,
                breedte=verwerkt.breedte, hoogte=verwerkt.hoogte)
    db_session.add(foto)
    ander = gebruiker("wijkraadlid", email="ander@hengelo.nl")
    vraag = leefbaarheidsvraag(m)
    ronde = budgetronde()
    idee_foto = media.verwerk(png.getvalue(), media_dir, max_bytes=10**6, max_pixels=10**6)
    plan = idee(ronde, email="indiener@example.nl", foto=idee_foto)
    sleutel, _ = maak_sleutel("Wereld-app", "makers@example.nl", door=None)
    e = enquete(met_code=True)
    r = respons(e, {0: 4, 1: [0, 2], 2: "Meer licht bij het fietspad."},
                email="bewoner@example.nl")
    reactie = reageer(onderwerpen.van(vraag), soort=ReactieSoort.ADVIES,
                      tekst="Betrek de bewoners bij de oplossing.", door=ander)
    db_session.flush()
    antwoord = next(a for a in r.antwoorden if a.inbox_status)
    w = Wereld(melding_id=m.id, foto_id=foto.id, ander_id=ander.id, token=m.token,
               vraag_id=vraag.id, bron_id=vraag.bronnen[0].id, ronde=ronde.slug,
               idee_id=plan.id, idee_token=plan.token, sleutel_id=sleutel.id, enquete_id=e.id,
               enquetevraag_id=e.vragen[0].id, antwoord_id=antwoord.id, reactie_id=reactie.id,
               bestanden=(verwerkt.bestand, verwerkt.thumbnail, idee_foto.bestand,
                          idee_foto.thumbnail))
    # Released into the test's outer transaction, so a view's rollback cannot undo it.
    db_session.commit()
    return w
