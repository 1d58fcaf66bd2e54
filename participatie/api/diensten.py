"""Open311 services: one per active melding category, with keywords and, where a category
asks more, attributes (`KENMERKEN`).

Attribute values an app sends are added to the melding's description, one line each
("Soort container: Glas"), so staff read them where they read the rest, the inbox search
finds them, and the melding needs no column that only apps would fill.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from participatie.api.formaat import Open311Fout, schoon
from participatie.extensions import db
from participatie.gebieden.services import wijken
from participatie.meldingen.models import Categorie

# Words residents use for each category, besides its name and group (Open311 `keywords`).
TREFWOORDEN = {
    "zwerfvuil": "afval, rommel, troep, blikjes, papier, plastic",
    "afvaldump": "dumping, grofvuil, vuilniszakken, bijplaatsing, matras, bank",
    "volle-afvalbak": "prullenbak, vuilnisbak, afvalbak, vol",
    "container-kapot": "ondergrondse container, glasbak, papierbak, klep, pas",
    "lantaarnpaal-kapot": "straatverlichting, lamp, lantaarn, donker, knippert",
    "verlichting-overdag": "straatverlichting, lamp, brandt overdag, energie",
    "losse-tegel": "stoep, stoeptegel, trottoir, struikelen, stoeprand",
    "gat-in-weg": "kuil, gat, asfalt, fietspad, wegdek, scheur",
    "verkeersbord": "bord, verkeersbord, paal, scheef, omgereden",
    "overhangend-groen": "takken, struiken, heg, snoeien, doorgang",
    "boom-kapot": "boom, tak, omgewaaid, storm, gevaar",
    "onkruid": "onkruid, gras, groen, stoep",
    "speeltoestel-kapot": "speeltuin, schommel, glijbaan, wip, speelplek",
    "hondenpoep": "hond, poep, uitwerpselen, hondenpoepbak",
    "graffiti": "graffiti, bekladding, vernieling, vandalisme, tag",
    "fietswrak": "fiets, wrak, weesfiets, geparkeerd, stalling",
    "geluidsoverlast": "lawaai, muziek, herrie, geluid",
    "woonoverlast": "buren, woning, overlast, huurwoning",
    "jongerenoverlast": "jongeren, hangjongeren, groep, overlast",
}


@dataclass(frozen=True)
class Kenmerk:
    """One Open311 attribute: what an app asks the resident besides the description."""

    code: str
    vraag: str  # the attribute's description: the question as the resident reads it
    label: str  # how the answer reads in the melding's description
    datatype: str  # string, singlevaluelist or multivaluelist (the ones used here)
    verplicht: bool = False
    waarden: tuple[tuple[str, str], ...] = ()
    max_lengte: int = 100

    def als_open311(self, volgorde: int) -> dict:
        return {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.verplicht,
            "datatype_description": (f"Hoogstens {self.max_lengte} tekens."
                                     if self.datatype == "string" else None),
            "order": volgorde,
            "description": self.vraag,
            "values": [{"key": key, "name": name} for key, name in self.waarden],
        }


_JA_NEE = (("ja", "Ja"), ("nee", "Nee"))

KENMERKEN: dict[str, tuple[Kenmerk, ...]] = {
    "container-kapot": (
        Kenmerk("soort_container", "Wat voor container is het?", "Soort container",
                "singlevaluelist", verplicht=True, waarden=(
                    ("restafval", "Restafval"), ("gft", "Groente-, fruit- en tuinafval"),
                    ("papier", "Papier en karton"), ("glas", "Glas"),
                    ("pmd", "Plastic, metaal en drankpakken"), ("textiel", "Textiel"))),
        Kenmerk("containernummer", "Het nummer op de container, als u het ziet.",
                "Containernummer", "string", max_lengte=30),
    ),
    "afvaldump": (
        Kenmerk("soort_afval", "Wat voor afval ligt er?", "Soort afval", "multivaluelist",
                waarden=(("huisvuil", "Vuilniszakken"), ("grofvuil", "Grofvuil (meubels, "
                         "matrassen)"), ("bouwafval", "Bouwafval"), ("groenafval", "Groenafval"),
                         ("gevaarlijk", "Gevaarlijk afval (verf, olie, chemicaliën)"))),
    ),
    "lantaarnpaal-kapot": (
        Kenmerk("paalnummer", "Het nummer op de lantaarnpaal (een sticker of plaatje).",
                "Paalnummer", "string", max_lengte=30),
        Kenmerk("storing", "Wat is er met de lamp?", "Storing", "singlevaluelist",
                waarden=(("brandt_niet", "Brandt niet"), ("knippert", "Knippert"),
                         ("beschadigd", "Paal of lamp beschadigd"))),
    ),
    "boom-kapot": (
        Kenmerk("op_de_weg", "Ligt de boom of een tak op de weg of het fietspad?",
                "Op de weg of het fietspad", "singlevaluelist", waarden=_JA_NEE),
    ),
    "speeltoestel-kapot": (
        Kenmerk("gevaarlijk", "Kan een kind zich er nu aan bezeren?", "Gevaarlijk",
                "singlevaluelist", waarden=_JA_NEE),
    ),
}


def actieve_categorieen() -> list[Categorie]:
    """Active categories in the order of the form (by group, then within it)."""
    return list(db.session.scalars(
        select(Categorie).where(Categorie.actief).options(selectinload(Categorie.groep))))


def gesorteerd(categorieen: list[Categorie]) -> list[Categorie]:
    return sorted(categorieen, key=lambda c: (c.groep.volgorde, c.groep.naam, c.volgorde,
                                              c.naam))


def dienst(categorie: Categorie) -> dict:
    """A category as an Open311 service (GET services)."""
    woorden = [categorie.groep.naam.lower(),
               *(w.strip() for w in TREFWOORDEN.get(categorie.slug, "").split(","))]
    return {
        "service_code": categorie.slug,
        "service_name": categorie.naam,
        "description": categorie.uitleg or categorie.naam,
        # Every service has at least the buurt attribute (for reports without a point).
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(w for w in dict.fromkeys(woorden) if w),
        "group": categorie.groep.naam,
    }


# A report with only an address (no lat/long) needs its buurt: we cannot turn an address into
# a point, and the buurt decides the wijk, the inbox and the deadline's team. The values are
# the gemeente's buurten, by CBS code.
BUURT = "buurt"


def buurt_kenmerk() -> Kenmerk:
    return Kenmerk(BUURT, "De buurt waar het is. Alleen nodig als u geen lat en long stuurt, "
                   "maar een address_string.", "Buurt", "singlevaluelist", waarden=tuple(
                       (b.code, f"{b.naam} ({w.korte_naam})") for w in wijken()
                       for b in w.buurten))


def definitie(categorie: Categorie) -> dict:
    """The service definition (GET services/<code>): its attributes, in the order to ask."""
    kenmerken = (*KENMERKEN.get(categorie.slug, ()), buurt_kenmerk())
    return {
        "service_code": categorie.slug,
        "attributes": [k.als_open311(n) for n, k in enumerate(kenmerken, start=1)],
    }


def actieve_categorie(code: str) -> Categorie | None:
    if not code or len(code) > 60:
        return None
    return db.session.scalar(
        select(Categorie).where(Categorie.slug == code, Categorie.actief)
        .options(selectinload(Categorie.groep)))


def lees_kenmerken(categorie: Categorie, form: MultiDict) -> list[str]:
    """The attribute[...] values of a POST as lines for the description; Open311Fout (400)
    for an unknown attribute, a missing required one or a value that does not fit."""
    kenmerken = {k.code: k for k in KENMERKEN.get(categorie.slug, ())}
    gestuurd: dict[str, list[str]] = {}
    for sleutel in form:
        if not sleutel.startswith("attribute["):
            continue
        code = sleutel.removeprefix("attribute[").removesuffix("[]").removesuffix("]")
        waarden = [w.strip() for w in form.getlist(sleutel) if w.strip()]
        if code == BUURT:
            continue  # the place, not a line of the description: see api.melden
        if code not in kenmerken:
            raise Open311Fout(400, f"De dienst '{categorie.slug}' kent geen attribute"
                                   f"[{schoon(code, 40)}]. Zie services/{categorie.slug}.json "
                                   "voor de attributen die wij kennen.")
        gestuurd.setdefault(code, []).extend(waarden)
    regels = []
    for kenmerk in kenmerken.values():
        waarden = gestuurd.get(kenmerk.code, [])
        if not waarden:
            if kenmerk.verplicht:
                raise Open311Fout(400, f"attribute[{kenmerk.code}] is verplicht bij "
                                       f"'{categorie.slug}': {kenmerk.vraag}")
            continue
        regels.append(f"{kenmerk.label}: {_lees_waarde(kenmerk, waarden)}")
    return regels


def _lees_waarde(kenmerk: Kenmerk, waarden: list[str]) -> str:
    fout = Open311Fout(400, _uitleg(kenmerk))
    namen = dict(kenmerk.waarden)
    if kenmerk.datatype == "multivaluelist":
        if any(w not in namen for w in waarden):
            raise fout
        return ", ".join(namen[w] for w in dict.fromkeys(waarden))
    if len(waarden) > 1:
        raise Open311Fout(400, f"Stuur bij attribute[{kenmerk.code}] één waarde.")
    waarde = waarden[0]
    if kenmerk.datatype == "singlevaluelist":
        if waarde not in namen:
            raise fout
        return namen[waarde]
    if len(waarde) > kenmerk.max_lengte or not waarde.isprintable():
        raise fout
    return waarde


def _uitleg(kenmerk: Kenmerk) -> str:
    if kenmerk.waarden:
        keuzes = ", ".join(key for key, _ in kenmerk.waarden)
        return f"attribute[{kenmerk.code}] moet een van deze waarden zijn: {keuzes}."
    return (f"attribute[{kenmerk.code}] is hoogstens {kenmerk.max_lengte} tekens, zonder "
            "vreemde tekens.")
