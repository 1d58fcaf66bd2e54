"""Searching the inbox: what a stadsdeelregisseur types finds what they mean, in their wijken.

Dutch word forms and accents the way PostgreSQL's `dutch` configuration with `unaccent` reads
them, melding numbers with and without "M-", streets in the location text; the melding whose
number was typed comes first; paging through a search skips nothing and repeats nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from participatie.extensions import db
from participatie.gebieden.services import buurt_voor_punt
from participatie.meldingen.models import Melding
from participatie.meldingen.workflow import Status
from participatie.moderatie import lijst
from participatie.moderatie.inbox import Filter
from participatie.moderatie.zoeken import Zoekvraag
from tests.factories import BINNENSTAD, gebruiker, login, melding


def _gevonden(user, zoek: str, **filter_args) -> list[int]:
    """The ids a search lists, in order, over every page."""
    f = Filter(zoek=zoek, **filter_args)
    ids, na = [], None
    while True:
        pagina = lijst.pagina(user, f, na=na, tellen=False)
        ids += [r.id for r in pagina.rijen]
        if not pagina.na:
            return ids
        na = pagina.na


@pytest.fixture
def regisseur(db_session):
    return gebruiker("stadsdeelregisseur")  # wijk Noord, where the factory's meldingen are


def test_meervoud_vindt_enkelvoud_en_andersom(regisseur):
    container = melding(omschrijving="Vuilniszakken naast de container")
    containers = melding(omschrijving="Twee containers zitten vol")
    lamp = melding(omschrijving="Lantaarnpaal brandt niet", slug="lantaarnpaal-kapot")
    for zoek in ("containers", "container", "CONTAINER"):
        gevonden = _gevonden(regisseur, zoek)
        assert set(gevonden) == {container.id, containers.id}, zoek
    assert _gevonden(regisseur, "lantaarnpalen") == [lamp.id]


def test_accenten_doen_er_niet_toe(regisseur):
    cafe = melding(omschrijving="Glas op straat bij het café")
    assert _gevonden(regisseur, "cafe") == [cafe.id]
    assert _gevonden(regisseur, "café") == [cafe.id]
    assert _gevonden(regisseur, "CAFÉ") == [cafe.id]


def test_straatnaam_in_de_plek_en_bijvoeglijk_naamwoord_in_de_tekst(regisseur):
    mozartlaan = melding(omschrijving="Losse stoeptegel", locatie_tekst="Mozartlaan 12")
    park = melding(omschrijving="Kapotte bank in het Hengelose park")
    melding(omschrijving="Losse stoeptegel", locatie_tekst="Beethovenlaan 3")
    assert _gevonden(regisseur, "Mozartlaan") == [mozartlaan.id]
    assert _gevonden(regisseur, "mozartlaan 12") == [mozartlaan.id]
    assert _gevonden(regisseur, "hengelose") == [park.id]
    # All words must match, wherever they stand.
    assert _gevonden(regisseur, "stoeptegel mozartlaan") == [mozartlaan.id]


def test_een_half_getypt_woord_vindt_het_hele_na_de_hele_woorden(regisseur):
    laan = melding(omschrijving="Losse stoeptegel", locatie_tekst="Mozartlaan 12")
    mozart = melding(omschrijving="Bord bij het Mozart-plein beklad", dagen_geleden=5)
    # "mozart" is a whole word in the older one: it comes before the completion "Mozartlaan".
    assert _gevonden(regisseur, "mozart") == [mozart.id, laan.id]
    assert _gevonden(regisseur, "Mozartl") == [laan.id]


def test_nummer_met_en_zonder_m_en_het_nummer_eerst(regisseur):
    gezocht = melding(omschrijving="Lantaarnpaal brandt niet", slug="lantaarnpaal-kapot",
                      dagen_geleden=30)
    # A newer melding whose text holds the same number (a house number) comes after it.
    huisnummer = melding(omschrijving="Afval bij de deur",
                         locatie_tekst=f"Drienerstraat {gezocht.id}")
    for zoek in (f"M-{gezocht.id}", f"m{gezocht.id}", f"M {gezocht.id}", f"#{gezocht.id}"):
        assert _gevonden(regisseur, zoek)[0] == gezocht.id, zoek
    # "M-…" asks for that melding only; the bare number also searches the text.
    assert _gevonden(regisseur, f"M-{gezocht.id}") == [gezocht.id]
    assert _gevonden(regisseur, str(gezocht.id)) == [gezocht.id, huisnummer.id]
    assert _gevonden(regisseur, "M-99999999999") == []


def test_zoeken_blijft_binnen_de_wijken_van_de_gebruiker(db_session, client):
    noord = melding(omschrijving="Wespennest in de boom", locatie_tekst="Mozartlaan 3")
    binnenstad = buurt_voor_punt(*BINNENSTAD).wijk_code
    assert binnenstad != noord.wijk_code
    ander = gebruiker("stadsdeelregisseur", wijken=(binnenstad,))
    for zoek in ("wespennest", "Mozartlaan", noord.nummer, str(noord.id), "mozartl"):
        assert _gevonden(ander, zoek, alle_statussen=True) == [], zoek
        assert lijst.tellingen(ander, Filter(zoek=zoek, alle_statussen=True)) == {}, zoek
    assert lijst.volgende(ander, Filter(zoek="wespennest"), "melding", noord.id) is None
    login(client, ander)
    html = client.get("/beheer/?zoek=wespennest&status=alle").get_data(as_text=True)
    assert noord.nummer not in html and "Wespennest" not in html


def test_de_pagina_toont_de_treffers_en_telt_ze(client, regisseur):
    raak = melding(omschrijving="Vuilniszakken naast de containers", status=Status.INGEPLAND)
    melding(omschrijving="Lantaarnpaal brandt niet", slug="lantaarnpaal-kapot")
    login(client, regisseur)
    html = client.get("/beheer/?zoek=container").get_data(as_text=True)
    assert f'id="rij-melding-{raak.id}"' in html and "brandt niet" not in html
    assert "Ingepland 1" in html and "Meldingen 1" in html
    # Odd input is a search like any other: no error, just what matches.
    for zoek in ("!!(&|:*", "' or 1=1 --", "de het een", '"', "-", "a" * 100, "M-0"):
        assert client.get("/beheer/", query_string={"zoek": zoek}).status_code == 200, zoek


def test_tellingen_van_een_zoekopdracht_tellen_alle_lagen_en_het_nummer(regisseur):
    heel = melding(omschrijving="Container vol")
    melding(omschrijving="Containerpark dicht", status=Status.IN_BEHANDELING)
    melding(omschrijving="Lamp kapot", slug="lantaarnpaal-kapot")
    tellingen = lijst.tellingen(regisseur, Filter(zoek="container"))["melding"]
    assert tellingen == {"gemeld": 1, "in_behandeling": 1}
    tellingen = lijst.tellingen(regisseur, Filter(zoek=str(heel.id)))["melding"]
    assert tellingen == {"gemeld": 1}


def test_bladeren_door_een_zoekresultaat_heen_en_terug(regisseur):
    """Number, whole words and completions, each in urgency order: no duplicates, no gaps."""
    nu = datetime.now(UTC)
    treffers = [melding(omschrijving=f"Container {i} vol") for i in range(5)]
    treffers += [melding(omschrijving=f"Containerpark {i} dicht") for i in range(4)]
    melding(omschrijving="Lamp kapot", slug="lantaarnpaal-kapot")
    te_laat = treffers[1]
    te_laat.deadline = nu.date() - timedelta(days=3)
    treffers[6].heropen_verzoek = True
    for i, m in enumerate(treffers):
        m.created_at = nu - timedelta(hours=i % 3)  # several share a moment
    db.session.flush()
    f = Filter(zoek="container")
    paginas = [lijst.pagina(regisseur, f, limit=2, tellen=False)]
    while paginas[-1].na and len(paginas) < 20:
        paginas.append(lijst.pagina(regisseur, f, na=paginas[-1].na, limit=2, tellen=False))
    gezien = [r.id for p in paginas for r in p.rijen]
    assert len(gezien) == len(set(gezien)) == len(treffers)
    heel, aangevuld = treffers[:5], treffers[5:]
    # Whole words first (the late one before the rest), then the completions (the one the
    # resident reopened first), newest first within each.
    assert gezien[:5] == [te_laat.id] + [m.id for m in sorted(
        [m for m in heel if m is not te_laat], key=lambda m: (m.created_at, m.id),
        reverse=True)]
    assert gezien[5] == treffers[6].id and set(gezien[5:]) == {m.id for m in aangevuld}
    # Back from the last page, page by page, to the first.
    terug, voor = [], paginas[-1].voor
    while voor:
        pagina = lijst.pagina(regisseur, f, voor=voor, limit=2, tellen=False)
        terug = [r.id for r in pagina.rijen] + terug
        voor = pagina.voor
    assert terug + [r.id for r in paginas[-1].rijen] == gezien
    # "Volgende" on an item page follows the same order, across the layers.
    volgende = lijst.volgende(regisseur, f, "melding", gezien[4])
    assert volgende is not None and volgende.id == gezien[5]
    # Newest first instead of most urgent first: still whole words before completions.
    nieuwste = _gevonden(regisseur, "container", sortering="nieuwste")
    assert nieuwste == [m.id for m in sorted(heel, key=lambda m: (m.created_at, m.id),
                                             reverse=True)] + [m.id for m in sorted(
        aangevuld, key=lambda m: (m.created_at, m.id), reverse=True)]


def test_de_zoekvraag_leest_nummers_en_getypte_woorden():
    assert Zoekvraag.lees("M-123").nummer_voor("M") == 123
    assert Zoekvraag.lees(" m 123 ").nummer_voor("M") == 123
    assert Zoekvraag.lees("I-12").nummer_voor("M") is None  # another kind's number
    assert Zoekvraag.lees("123").nummer_voor("M") == 123 and Zoekvraag.lees("123").met_tekst
    assert not Zoekvraag.lees("M-123").met_tekst
    assert Zoekvraag.lees("container bij de Mozartl").aanvullen
    assert not Zoekvraag.lees('"de container"').aanvullen
    assert not Zoekvraag.lees("container -lamp").aanvullen
    assert not Zoekvraag.lees("container or").aanvullen
    assert not Zoekvraag.lees("de").aanvullen  # too short to complete


def test_ideeen_zoeken_met_hetzelfde_mechanisme(regisseur):
    """Ideas use moderatie.zoeken too: word forms, their number first, the user's wijken."""
    from tests.factories import budgetronde, idee

    ronde = budgetronde()
    bankjes = idee(ronde, titel="Bankjes bij de vijver", omschrijving="Om even te zitten.")
    tuin = idee(ronde, titel="Moestuin", omschrijving="Een bank bij de moestuin erbij.")

    def sleutels(zoek: str) -> list[str]:
        pagina = lijst.pagina(regisseur, Filter(zoek=zoek, soorten=("idee",)), tellen=False)
        return [r.sleutel for r in pagina.rijen]

    assert f"idee:{bankjes.id}" in sleutels("bankje")  # Dutch stemming, not a substring
    assert sleutels(f"I-{tuin.id}")[0] == f"idee:{tuin.id}"
    assert f"idee:{tuin.id}" not in sleutels("vijver")
    ander = gebruiker("stadsdeelregisseur", wijken=("WK016400",))
    assert lijst.pagina(ander, Filter(zoek="bankjes", soorten=("idee",)), tellen=False).rijen \
        == []


def test_een_bewaarde_vraag_draait_met_de_woorden_en_de_gebruiker_van_dit_verzoek(regisseur):
    """The inbox's statements are built once per shape (participatie.vragen): another word,
    number, page or wijk of the same shape finds its own items, never those of the first."""
    from sqlalchemy.exc import StatementError

    from participatie.vragen import bewaard

    wespen = melding(omschrijving="Wespennest onder de dakgoot")
    lamp = melding(omschrijving="Lantaarnpaal brandt niet", slug="lantaarnpaal-kapot")
    for _ in range(2):  # the second time every statement is one kept from the first
        assert _gevonden(regisseur, "wespennest") == [wespen.id]
        assert _gevonden(regisseur, "lantaarnpaal") == [lamp.id]
        assert _gevonden(regisseur, f"M-{lamp.id}") == [lamp.id]
        assert _gevonden(regisseur, f"M-{wespen.id}") == [wespen.id]
        assert lijst.tellingen(regisseur, Filter(zoek="lantaarnpaal"))["melding"] == {"gemeld": 1}
    ander = gebruiker("stadsdeelregisseur", wijken=("WK016400",))
    assert _gevonden(ander, "wespennest") == [] and lijst.tellingen(
        ander, Filter(zoek="wespennest")) == {}
    # A kept statement run without this request's values fails; it never uses old ones.
    kept = bewaard(("test.zoek",), lambda: select(Melding.id).where(
        Zoekvraag.lees("x").treft(Melding.zoek_tsv, Melding.id, "M")))
    with pytest.raises(StatementError, match="zoek_tekst"):
        db.session.execute(kept).all()
    assert db.session.execute(kept, Zoekvraag.lees("wespennest").parameters()).scalars().all() \
        == [wespen.id]


def test_de_lijst_leest_ook_wat_deze_sessie_nog_niet_wegschreef(regisseur):
    """The inbox reads through the session's connection (participatie.vragen.lees): what the
    session holds is flushed first, as the ORM would, so a changed status counts at once."""
    m = melding(omschrijving="Container vol")
    db.session.flush()
    m.status = Status.IN_BEHANDELING.value  # changed in the session, not yet written
    assert lijst.tellingen(regisseur, Filter())["melding"] == {"in_behandeling": 1}
    assert [r.status for r in lijst.pagina(regisseur, Filter(), tellen=False).rijen] \
        == ["in_behandeling"]
