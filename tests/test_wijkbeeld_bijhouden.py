"""The wijkbeeld's kept figures: what the triggers keep equals a fresh count of the data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from participatie.extensions import db
from participatie.meldingen.services import terugkoppeling, triage
from participatie.meldingen.workflow import Status
from participatie.wijkbeeld.bijhouden import tel_opnieuw
from tests import factories as f

TABELLEN = ("wijkbeeld_melding", "wijkbeeld_doorlooptijd", "wijkbeeld_melders",
            "wijkbeeld_stem", "wijkbeeld_stemcode")


def _inhoud() -> dict[str, set[tuple]]:
    return {tabel: {tuple(r) for r in db.session.execute(
        text(f"SELECT * FROM {tabel}"))} for tabel in TABELLEN}  # noqa: S608


def _zonder_nullen(inhoud: dict[str, set[tuple]]) -> dict[str, set[tuple]]:
    tellers = {"wijkbeeld_melding": slice(4, None), "wijkbeeld_doorlooptijd": slice(3, None),
               "wijkbeeld_melders": slice(3, None), "wijkbeeld_stem": slice(3, None),
               "wijkbeeld_stemcode": slice(2, None)}
    return {t: {r for r in rijen if any(r[tellers[t]])} for t, rijen in inhoud.items()}


def _bijgehouden_is_opnieuw_geteld(melders: bool = True):
    db.session.flush()
    bijgehouden = _zonder_nullen(_inhoud())
    tel_opnieuw(melders=melders)
    assert _zonder_nullen(_inhoud()) == bijgehouden
    return bijgehouden


def _sluit(melding, dagen_na_melden: int):
    """Close as afgehandeld `dagen_na_melden` days after it came in, the way staff do."""
    melding.wijzig_status(Status.AFGEHANDELD, door=None, bericht="Opgeruimd.")
    melding.gesloten_op = melding.created_at + timedelta(days=dagen_na_melden)
    db.session.flush()


def test_triggers_houden_bij_wat_een_nieuwe_telling_geeft(db_session):
    regisseur = f.gebruiker("stadsdeelregisseur")
    a = f.melding(email="Piet@Example.nl", dagen_geleden=40)
    b = f.melding(slug="zwerfvuil", email="piet@example.nl", dagen_geleden=39)
    c = f.melding(plek=f.BINNENSTAD, email="an@example.nl", dagen_geleden=200)
    d = f.melding(slug="graffiti", dagen_geleden=3)
    _sluit(a, 2)
    _sluit(c, 30)
    # The resident says it is not solved; staff reopen it; it is closed again.
    assert terugkoppeling.geef_terugkoppeling(a, opgelost=False, reden="Ligt er nog.")
    triage.heropen_verzoek(regisseur, a, True, "We gaan nog een keer kijken.")
    _sluit(a, 9)
    assert terugkoppeling.geef_terugkoppeling(a, opgelost=True)
    # Another category and buurt: the melding takes its answers along.
    c_ja = terugkoppeling.geef_terugkoppeling(c, opgelost=True)
    assert c_ja
    c.categorie = f.categorie("onkruid")
    db.session.flush()
    triage.samenvoegen(regisseur, b, d, "")
    _bijgehouden_is_opnieuw_geteld()


def test_een_verwijderde_melding_neemt_haar_cijfers_mee(db_session):
    m = f.melding(email="weg@example.nl", dagen_geleden=10)
    _sluit(m, 1)
    terugkoppeling.geef_terugkoppeling(m, opgelost=False, reden="Nee")
    db.session.delete(m)
    db.session.flush()
    # The melder stays counted: only counts of people are kept, and a person who reported
    # did report. Everything else is gone.
    rijen = _bijgehouden_is_opnieuw_geteld(melders=False)
    assert len(rijen["wijkbeeld_melders"]) == 6
    assert rijen["wijkbeeld_melding"] == set()
    assert rijen["wijkbeeld_doorlooptijd"] == set()


def test_stemmen_en_stemcodes_per_ronde_en_buurt(db_session):
    from participatie.buurtbudget import stemmen as stemmen_mod
    from participatie.gebieden.models import Buurt

    ronde = f.budgetronde(fase="stemmen")
    idee = f.idee(ronde, status="haalbaar")
    codes = stemmen_mod.maak_stemcodes(ronde, 6, buurt=db.session.get(Buurt, "BU01640202"),
                                       door=None)
    stemmen_mod.maak_stemcodes(ronde, 2, buurt=None, door=None)
    for code in codes[:3]:
        stemcode = stemmen_mod.zoek_stemcode(ronde, code)
        keuze = stemmen_mod.controleer_keuze(ronde, [idee.id])
        stemmen_mod.breng_uit(ronde, stemcode, keuze)
    # Voting again replaces the ballot: still three.
    stemmen_mod.breng_uit(ronde, stemmen_mod.zoek_stemcode(ronde, codes[0]),
                          stemmen_mod.controleer_keuze(ronde, [idee.id]))
    rijen = _bijgehouden_is_opnieuw_geteld()
    assert {(r[1], r[3]) for r in rijen["wijkbeeld_stem"]} == {("BU01640202", 3)}
    assert {r[1:] for r in rijen["wijkbeeld_stemcode"]} == {("BU01640202", 6), ("", 2)}


def test_een_melder_telt_een_keer_per_gebied_en_periode(db_session):
    for _ in range(3):
        f.melding(email="Zelfde@Example.nl")
    f.melding(email="ander@example.nl")
    f.melding()  # without an address: nobody to count
    f.melding(plek=f.BINNENSTAD, email="zelfde@example.nl")
    rijen = _bijgehouden_is_opnieuw_geteld()["wijkbeeld_melders"]
    jaar = f.vandaag().replace(month=1, day=1)
    per_gebied = {r[0]: r[3] for r in rijen if r[1] == "jaar" and r[2] == jaar}
    # The same address in the Binnenstad counts there too, and once in the gemeente.
    assert per_gebied == {"BU01640202": 2, "WK016402": 2, "GM0164": 2,
                          "BU01640000": 1, "WK016400": 1}
