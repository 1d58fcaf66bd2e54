"""Which wijkagenda thema a melding's category belongs to: one table, by the category's slug,
with the category's group as the fallback for categories a gemeente adds itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from participatie.extensions import db
from participatie.meldingen.models import Categorie, CategorieGroep
from participatie.referentie import referentie
from participatie.wijkagenda.models import Thema

OVERIG = "overig"

THEMA_VAN_CATEGORIE: dict[str, Thema] = {
    "zwerfvuil": Thema.SCHOON,
    "afvaldump": Thema.SCHOON,
    "volle-afvalbak": Thema.SCHOON,
    "container-kapot": Thema.SCHOON,
    "hondenpoep": Thema.SCHOON,
    "graffiti": Thema.SCHOON,
    "lantaarnpaal-kapot": Thema.HEEL,
    "verlichting-overdag": Thema.HEEL,
    "losse-tegel": Thema.HEEL,
    "gat-in-weg": Thema.HEEL,
    "speeltoestel-kapot": Thema.HEEL,
    "verkeersbord": Thema.VERKEER,
    "fietswrak": Thema.VERKEER,
    "overhangend-groen": Thema.GROEN,
    "boom-kapot": Thema.GROEN,
    "onkruid": Thema.GROEN,
    "jongerenoverlast": Thema.VEILIG,
    "geluidsoverlast": Thema.SAMENLEVEN,
    "woonoverlast": Thema.SAMENLEVEN,
}
THEMA_VAN_GROEP: dict[str, Thema] = {
    "Afval": Thema.SCHOON,
    "Verlichting": Thema.HEEL,
    "Wegen en paden": Thema.HEEL,
    "Spelen": Thema.HEEL,
    "Groen": Thema.GROEN,
    "Overlast": Thema.SAMENLEVEN,
}
# Every thema in the wijkagenda's order, then "overig"; (key, label).
THEMAS: tuple[tuple[str, str], ...] = (*((t.value, t.label) for t in Thema), (OVERIG, "Overig"))


@dataclass(frozen=True)
class CategorieThema:
    id: int
    naam: str
    thema: str  # a Thema value or OVERIG


def thema_van(slug: str, groep: str) -> str:
    thema = THEMA_VAN_CATEGORIE.get(slug) or THEMA_VAN_GROEP.get(groep)
    return thema.value if thema else OVERIG


@referentie("categorie", "categorie_groep")
def categorieen() -> dict[int, CategorieThema]:
    """Every category (inactive ones too: their meldingen keep it) with its thema, by name;
    kept per process."""
    rijen = db.session.execute(
        select(Categorie.id, Categorie.naam, Categorie.slug, CategorieGroep.naam)
        .join(CategorieGroep, CategorieGroep.id == Categorie.groep_id).order_by(Categorie.naam))
    return {i: CategorieThema(i, naam, thema_van(slug, groep)) for i, naam, slug, groep in rijen}
