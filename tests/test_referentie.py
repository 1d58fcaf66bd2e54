"""Reference data kept per process (participatie.referentie): what staff see after a category,
an organisation or a buurt changes, in this process at once, from elsewhere after the TTL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text, update

from participatie import referentie
from participatie.accounts.models import Organisatie, OrganisatieSoort
from participatie.gebieden.models import Buurt
from tests.factories import categorie, gebruiker, login, melding


@pytest.fixture
def regisseur(client, db_session):
    user = gebruiker("stadsdeelregisseur")
    login(client, user)
    return user


def _rij(html: str, nummer: str) -> str:
    return re.search(rf'<li class="inbox-rij[^"]*" id="rij-melding-{nummer[2:]}".*?</li>', html,
                     re.S)[0]


def _opties(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}".*?</select>', html, re.S)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_hernoemde_categorie_staat_meteen_in_de_inbox(client, regisseur, db_session):
    m = melding(slug="afvaldump")
    assert "Afvaldump" in _rij(client.get("/beheer/").get_data(as_text=True), m.nummer)

    categorie("afvaldump").naam = "Gedumpt afval"
    db_session.flush()

    html = client.get("/beheer/").get_data(as_text=True)
    assert "Gedumpt afval" in _rij(html, m.nummer)
    assert "Gedumpt afval" in _opties(html, "f-categorie")
    assert "Afvaldump" not in _opties(html, "f-categorie")


def test_nieuwe_organisatie_staat_in_het_bulkformulier_en_het_filter(
        client, regisseur, db_session):
    html = client.get("/beheer/").get_data(as_text=True)
    assert "Team Riolering (team gemeente)" not in _opties(html, "melding-organisatie")

    db_session.add(Organisatie(naam="Team Riolering", soort=OrganisatieSoort.TEAM))
    db_session.flush()

    html = client.get("/beheer/").get_data(as_text=True)
    teams = _opties(html, "melding-organisatie")
    assert "Team Riolering (team gemeente)" in teams
    # Gemeente teams first, then partners, each by name.
    assert teams.index("Team Riolering (team gemeente)") < teams.index("Gildebor (partner)")
    assert "Team Riolering" in _opties(html, "f-organisatie")


def test_uitgezette_organisatie_verdwijnt_uit_de_keuzes_van_een_melding(
        client, regisseur, db_session):
    m = melding()
    pagina = f"/beheer/meldingen/{m.id}"
    assert "Politie (partner)" in _opties(client.get(pagina).get_data(as_text=True),
                                          f"organisatie-{m.id}")

    db_session.execute(update(Organisatie).where(Organisatie.naam == "Politie")
                       .values(actief=False))

    html = client.get(pagina).get_data(as_text=True)
    assert "Politie (partner)" not in _opties(html, f"organisatie-{m.id}")
    assert "Politie" not in _opties(client.get("/beheer/").get_data(as_text=True),
                                    "f-organisatie")


def test_hernoemde_buurt_staat_in_het_filter_en_de_rij(client, regisseur, db_session):
    m = melding()
    buurt = db_session.get(Buurt, m.buurt_code)
    client.get("/beheer/")

    buurt.naam = "De Noork-Oost"
    db_session.flush()

    html = client.get("/beheer/").get_data(as_text=True)
    assert "De Noork-Oost" in _opties(html, "f-buurt")
    assert "De Noork-Oost" in _rij(html, m.nummer)


def test_wijziging_buiten_dit_proces_is_er_na_de_bewaartijd(
        client, regisseur, db_session, monkeypatch):
    """psql or another gunicorn worker: this process cannot see the change, so the name it
    kept shows until BEWAARTIJD has passed."""
    m = melding(slug="afvaldump")
    client.get("/beheer/")
    db_session.execute(text("UPDATE categorie SET naam = 'Gedumpt afval' "
                            "WHERE slug = 'afvaldump'"))

    assert "Afvaldump" in _rij(client.get("/beheer/").get_data(as_text=True), m.nummer)

    nu = referentie._nu()
    monkeypatch.setattr(referentie, "_nu", lambda: nu + referentie.BEWAARTIJD + 1)
    assert "Gedumpt afval" in _rij(client.get("/beheer/").get_data(as_text=True), m.nummer)
