"""A round in the pabulib format: the uitslag as a file anyone can recompute, and finished
rounds of other years or places imported from such a file."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import insert

from participatie import codes
from participatie.buurtbudget import pabulib, services, uitslag
from participatie.buurtbudget.models import Budgetronde, Idee, Stem, Stemcode, StemKeuze
from participatie.buurtbudget.workflow import Fase, IdeeStatus, Regel, Stemwijze
from participatie.extensions import db
from participatie.gebieden.models import Buurt, Wijk
from participatie.tijd import vandaag

# pabulib's META rule. MES is written as equalshares.net names its completions: "add1" is
# Add1 alone (so Assen's Top Idee 2024 file: its "selected" column leaves the rest unspent),
# "add1u" is Add1 and then the money left by votes (utilitarian completion).
PABULIB_REGEL = {Regel.MEESTE_STEMMEN: "greedy", Regel.MES: "equalshares/add1"}
PABULIB_MES_AANGEVULD = "equalshares/add1u"


def _pabulib_regel(ronde: Budgetronde) -> str:
    if ronde.regel_enum == Regel.MES and ronde.aanvullen:
        return PABULIB_MES_AANGEVULD
    return PABULIB_REGEL[ronde.regel_enum]


def als_pabulib(ronde: Budgetronde) -> str:
    """The round's ideas, anonymous ballots and outcome as a pabulib file.

    Project ids are the idea ids padded to seven digits, so the tie-break order (lowest id
    first, compared as text) is the same for anyone who recomputes it.
    """
    u = uitslag.bereken(ronde)
    meta = {
        "description": f"Buurtbudget {ronde.naam}",
        "country": "Netherlands",
        "unit": current_app.config["GEMEENTE_NAAM"],
        "subunit": ronde.gebied,
        "instance": str(ronde.stemmen_vanaf.year),
        "num_projects": str(len(u.regels)),
        "num_votes": str(u.stemmers),
        "budget": str(ronde.budget),
        "vote_type": "approval",
        "rule": _pabulib_regel(ronde),
        "date_begin": ronde.stemmen_vanaf.strftime("%d.%m.%Y"),
        "date_end": (ronde.uitslag_vanaf - timedelta(days=1)).strftime("%d.%m.%Y"),
        "language": "nl",
        "currency": "EUR",
    }
    if ronde.regel_enum == Regel.MES:
        meta["comment"] = ("Method of Equal Shares, cost satisfaction, Add1 completion"
                           + ("; then greedy on what is left" if ronde.aanvullen else ""))
    if ronde.stemwijze_enum == Stemwijze.BUDGET:
        meta["max_sum_cost"] = str(ronde.budget)
    elif ronde.max_keuzes:
        meta["max_length"] = str(ronde.max_keuzes)
    projecten = [{"project_id": uitslag.project_id(r.idee.id), "cost": str(r.idee.ballotkosten),
                  "votes": str(r.stemmen), "name": r.idee.titel,
                  "selected": "1" if r.gekozen else "0"}
                 for r in sorted(u.regels, key=lambda r: r.idee.id)]
    stemmen = [{"voter_id": str(n), "vote": ",".join(sorted(biljet)),
                "neighborhood": buurt or ""}
               for n, (biljet, buurt, _papier) in enumerate(uitslag.stembiljetten(ronde),
                                                            start=1) if biljet]
    return pabulib.schrijf(pabulib.PabulibBestand(meta=meta, projecten=projecten,
                                                  stemmen=stemmen))


def importeer(tekst: str, *, wijk: Wijk, buurt: Buurt | None = None,
              regel: Regel | None = None, naam: str | None = None) -> Budgetronde:
    """Make a finished round (phase uitslag) from a pabulib file: its ideas, its ballots.

    Raises pabulib.PabulibFout (Dutch, naming the line) for a bad file; the caller rolls
    back, so nothing is half-imported. The ballots get fresh random code hashes: they stand
    for letters that were never ours. The rule is META's: "equalshares..." is MES with Add1
    (spending the rest by votes only for "equalshares/add1u"), anything else meeste stemmen;
    ``regel`` overrides it.
    """
    bestand = pabulib.lees(tekst)
    projecten, stemmen, budget = pabulib.projecten_en_stemmen(bestand)
    if budget <= 0:
        raise pabulib.PabulibFout("Het budget in META moet groter dan 0 zijn.")
    regel_in_bestand = bestand.meta.get("rule", "")
    mes_in_bestand = regel_in_bestand.startswith("equalshares")
    regel = regel or (Regel.MES if mes_in_bestand else Regel.MEESTE_STEMMEN)
    # Spend what MES leaves by votes only where the file says so ("add1u"); a file with MES
    # and nothing more ("equalshares/add1", as Assen publishes) leaves it. Without MES in
    # the file, a round imported as MES gets the platform's default.
    aanvullen = regel_in_bestand == PABULIB_MES_AANGEVULD or not mes_in_bestand
    dag = _datum(bestand.meta.get("date_end")) or vandaag()
    data = {f: dag for f in Fase}
    ronde = services.maak_ronde(services.RondeGegevens(
        naam=naam or bestand.meta.get("description", "Geïmporteerde ronde")[:120],
        uitleg="Ingelezen uit een pabulib-bestand.", wijk=wijk,
        buurten=[buurt] if buurt else [], budget=budget,
        stemwijze=Stemwijze.BUDGET if "max_sum_cost" in bestand.meta else Stemwijze.KEUZE,
        regel=regel, aanvullen=aanvullen, data=data), door=None)
    namen = {rij["project_id"]: rij.get("name") or rij["project_id"]
             for rij in bestand.projecten}
    idee_id = {}
    # In the order of the project ids as text (pabulib's and pabutools' tie-break order),
    # so the ideas' numbers break ties as the file's own count did.
    for project in sorted(projecten, key=lambda p: p.id):
        idee = Idee(ronde=ronde, titel=namen[project.id][:120] or project.id,
                    omschrijving=namen[project.id], kosten_schatting=project.kosten,
                    kosten=project.kosten, wijk_code=wijk.code,
                    buurt_code=buurt.code if buurt else None,
                    status=IdeeStatus.HAALBAAR.value, toelichting="Uit het pabulib-bestand.")
        db.session.add(idee)
        db.session.flush()
        idee_id[project.id] = idee.id
    _stemmen(ronde, [s for s in stemmen if s], idee_id, dag, buurt)
    ronde.fase = Fase.STEMMEN.value
    db.session.flush()
    services.wijzig_fase(ronde, Fase.UITSLAG, door=None)
    return ronde


def _stemmen(ronde: Budgetronde, stemmen, idee_id: dict[str, int], dag: date,
             buurt: Buurt | None) -> None:
    """All ballots in a few statements (a real round has thousands)."""
    sleutel = secrets.token_bytes(32)
    hashes = [codes.hash_code(codes.maak_code(), sleutel) for _ in stemmen]
    if not stemmen:
        return
    gebied = buurt.code if buurt else None
    code_ids = db.session.scalars(
        insert(Stemcode).returning(Stemcode.id, sort_by_parameter_order=True),
        [{"ronde_id": ronde.id, "code_hash": h, "buurt_code": gebied} for h in hashes]).all()
    stem_ids = db.session.scalars(
        insert(Stem).returning(Stem.id, sort_by_parameter_order=True),
        [{"ronde_id": ronde.id, "stemcode_id": c, "dag": dag, "buurt_code": gebied,
          "papier": False} for c in code_ids]).all()
    keuzes = [{"stem_id": stem_id, "idee_id": idee_id[p]}
              for stem_id, stem in zip(stem_ids, stemmen, strict=True) for p in stem]
    if keuzes:
        db.session.execute(insert(StemKeuze), keuzes)


def _datum(tekst: str | None) -> date | None:
    """pabulib writes dates as dd.mm.yyyy."""
    try:
        dag, maand, jaar = (int(d) for d in (tekst or "").split("."))
        return date(jaar, maand, dag)
    except ValueError:
        return None
