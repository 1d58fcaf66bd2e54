"""The inbox holds every kind of item: a second kind is one registered module, nothing more.

This test registers a kind that moderatie has never heard of (leefbaarheidsvragen, standing
in for buurtbudget ideas and survey answers) and checks that the list, the paging, the
filters and the counts take it in without any change to moderatie.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from participatie.accounts.permissions import wijk_zichtbaar
from participatie.extensions import db
from participatie.moderatie import inbox, lijst
from participatie.moderatie.inbox import Filter, InboxRij, Namen, Segment
from participatie.web import pad
from participatie.wijkagenda.models import OPEN_VRAAG, Leefbaarheidsvraag, VraagStatus
from tests.factories import categorie, gebruiker, leefbaarheidsvraag, login, melding

V = Leefbaarheidsvraag


class VraagBron:
    """A minimal second kind of inbox item, written only against moderatie.inbox."""

    soort = "testvraag"
    naam = "Testvragen"
    velden = ()
    statussen = tuple((s.value, s.label) for s in VraagStatus)
    open_statussen = tuple(s.value for s in VraagStatus if s in OPEN_VRAAG)
    bulk_acties = ()
    bulk_template = ""

    @staticmethod
    def zichtbaar(user) -> bool:
        return True

    def _voorwaarden(self, user, f: Filter) -> list:
        conditions = [wijk_zichtbaar(user, V.wijk_code), V.status.in_(f.statussen_voor(self))]
        if f.wijk:
            conditions.append(V.wijk_code == f.wijk)
        if f.zoek:
            conditions.append(V.titel.ilike(f"%{f.zoek}%"))
        return conditions

    def segmenten(self, user, f: Filter, dag: date) -> list[Segment]:
        return [Segment(inbox.segment(f, 2), V.created_at, V.id,
                        tuple(self._voorwaarden(user, f)))]

    @staticmethod
    def rijen(ids: Sequence[int], f: Filter, dag: date, namen: Namen) -> dict[int, InboxRij]:
        vragen = db.session.scalars(select(V).where(V.id.in_(list(ids))))
        return {v.id: InboxRij(
            soort="testvraag", id=v.id, nummer=f"V-{v.id}", titel=v.titel,
            samenvatting=v.omschrijving, plek="", wijk_code=v.wijk_code, status=v.status,
            status_label=v.status_enum.label, created_at=v.created_at,
            url=pad("wijkagenda.bewerk", vraag_id=v.id), is_open=v.is_open) for v in vragen}

    @staticmethod
    def sleutel(user, id: int, f: Filter, dag: date):
        v = db.session.get(V, id)
        return (inbox.segment(f, 2), v.created_at) if v is not None else None

    def tellingen(self, user, f: Filter, dag: date) -> dict[str, int]:
        rows = db.session.execute(select(V.status, func.count()).where(
            *self._voorwaarden(user, f)).group_by(V.status))
        return dict(rows.all())

    @staticmethod
    def filter_keuzes(user, namen: Namen) -> dict:
        return {}

    @staticmethod
    def mag_bulk(user) -> bool:
        return False


@pytest.fixture
def tweede_soort(app):
    inbox.registreer(app, VraagBron())
    yield
    app.extensions["inbox"].bronnen.pop("testvraag")


def _zelfde_moment(*objecten, moment: datetime) -> None:
    for obj in objecten:
        obj.created_at = moment
    db.session.flush()


def test_een_tweede_soort_staat_in_dezelfde_lijst_met_tellingen(client, db_session,
                                                                tweede_soort):
    regisseur = gebruiker("stadsdeelregisseur")
    m = melding(omschrijving="Container vol")
    vraag = leefbaarheidsvraag(m, titel="Steeds volle containers")
    login(client, regisseur)
    html = client.get("/beheer/").get_data(as_text=True)
    assert f'id="rij-melding-{m.id}"' in html and f'id="rij-testvraag-{vraag.id}"' in html
    assert "Testvragen 1" in html and "Meldingen 1" in html
    assert '<option value="testvraag">Testvragen</option>' in html

    alleen = client.get("/beheer/?soort=testvraag").get_data(as_text=True)
    assert f'id="rij-testvraag-{vraag.id}"' in alleen and f"rij-melding-{m.id}" not in alleen


def test_een_filter_dat_een_soort_niet_kent_laat_die_soort_weg(client, db_session,
                                                              tweede_soort):
    regisseur = gebruiker("stadsdeelregisseur")
    m = melding()
    vraag = leefbaarheidsvraag(m)
    login(client, regisseur)
    html = client.get(f"/beheer/?categorie={categorie().id}").get_data(as_text=True)
    assert f"rij-melding-{m.id}" in html and f"rij-testvraag-{vraag.id}" not in html
    html = client.get("/beheer/?te_laat=1").get_data(as_text=True)
    assert f"rij-testvraag-{vraag.id}" not in html
    # A status of one kind selects only that kind.
    html = client.get("/beheer/?status=nieuw").get_data(as_text=True)
    assert f"rij-testvraag-{vraag.id}" in html and f"rij-melding-{m.id}" not in html


def test_bladeren_over_twee_soorten_met_hetzelfde_moment_slaat_niets_over(db_session,
                                                                         tweede_soort):
    """Ids of two tables collide (melding 5 and vraag 5); the cursor carries the kind."""
    regisseur = gebruiker("stadsdeelregisseur")
    meldingen = [melding(omschrijving=f"Melding {i}") for i in range(3)]
    vragen = [leefbaarheidsvraag(titel=f"Vraag {i}") for i in range(3)]
    moment = datetime.now(UTC) - timedelta(hours=1)
    _zelfde_moment(*meldingen, *vragen, moment=moment)
    f = Filter(sortering="nieuwste")
    paginas = [lijst.pagina(regisseur, f, limit=2)]
    while paginas[-1].na and len(paginas) < 10:
        paginas.append(lijst.pagina(regisseur, f, na=paginas[-1].na, limit=2))
    gezien = [r.sleutel for p in paginas for r in p.rijen]
    verwacht = {f"melding:{m.id}" for m in meldingen} | {f"testvraag:{v.id}" for v in vragen}
    assert len(paginas) == 3
    assert len(gezien) == len(set(gezien)) == 6 and set(gezien) == verwacht
    # Within one moment: kind descending, then id descending.
    assert gezien == sorted(gezien, key=lambda s: (s.split(":")[0], int(s.split(":")[1])),
                            reverse=True)
    # And back from the last page: the middle one.
    terug = lijst.pagina(regisseur, f, voor=paginas[2].voor, limit=2)
    assert [r.sleutel for r in terug.rijen] == gezien[2:4]


def test_volgende_gaat_door_naar_de_andere_soort(db_session, tweede_soort):
    regisseur = gebruiker("stadsdeelregisseur")
    nieuwste = melding()
    oudere = leefbaarheidsvraag(titel="Oudere vraag")
    oudere.created_at = datetime.now(UTC) - timedelta(days=3)
    db.session.flush()
    volgende = lijst.volgende(regisseur, Filter(sortering="nieuwste"), "melding", nieuwste.id)
    assert volgende is not None and volgende.sleutel == f"testvraag:{oudere.id}"
