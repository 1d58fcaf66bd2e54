"""The public map and the public page of one melding: what anyone may see, and nothing more."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from participatie import media
from participatie.extensions import db
from participatie.meldingen.models import Foto, Gebeurtenis
from participatie.meldingen.services import maak_melding
from participatie.meldingen.workflow import Status
from tests import factories

# Around De Noork (wijk Noord); the Binnenstad lies outside it.
NOORD_BBOX = "6.80,52.26,6.83,52.28"


def _gesloten(melding, dagen_geleden: int):
    melding.status = Status.AFGEHANDELD.value
    melding.gesloten_op = datetime.now(UTC) - timedelta(days=dagen_geleden)
    db.session.flush()
    return melding


def _ids(response) -> set[int]:
    return {f["properties"]["id"] for f in response.get_json()["features"]
            if not f["properties"].get("cluster")}


def _geojson(client, bbox=NOORD_BBOX, zoom=15, **extra):
    return client.get("/kaart/meldingen.geojson", query_string={"bbox": bbox, "zoom": zoom,
                                                                 **extra})


def test_kaart_toont_open_en_pas_gesloten_meldingen_in_beeld(client, db_session):
    open_melding = factories.melding()
    pas_gesloten = _gesloten(factories.melding(slug="zwerfvuil", dagen_geleden=20), 5)
    lang_gesloten = _gesloten(factories.melding(slug="zwerfvuil", dagen_geleden=90), 60)
    buiten_beeld = factories.melding(plek=factories.BINNENSTAD)
    samengevoegd = factories.melding()
    samengevoegd.status = Status.SAMENGEVOEGD.value
    samengevoegd.samengevoegd_met = open_melding
    samengevoegd.gesloten_op = datetime.now(UTC)
    db_session.flush()

    response = _geojson(client)

    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "max-age=60" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    ids = _ids(response)
    assert open_melding.id in ids
    assert pas_gesloten.id in ids
    assert lang_gesloten.id not in ids
    assert buiten_beeld.id not in ids
    assert samengevoegd.id not in ids
    feature = next(f for f in response.get_json()["features"]
                   if f["properties"]["id"] == open_melding.id)
    assert feature["properties"] == {
        "id": open_melding.id, "categorie": "Afvaldump", "status": "gemeld",
        "status_label": "Gemeld", "datum": feature["properties"]["datum"],
        "url": f"/kaart/meldingen/{open_melding.id}",
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lat, 4), round(lon, 4)) == factories.DE_NOORK


def test_kaart_filtert_op_categorie(client, db_session):
    afval = factories.melding(slug="afvaldump")
    lamp = factories.melding(slug="lantaarnpaal-kapot")
    graffiti = factories.melding(slug="graffiti")

    ids = _ids(_geojson(client, categorie=["lantaarnpaal-kapot", "graffiti"]))

    assert lamp.id in ids and graffiti.id in ids
    assert afval.id not in ids
    assert _ids(_geojson(client, categorie="lantaarnpaal-kapot,graffiti")) == ids


def test_geojson_bevat_geen_persoonlijke_gegevens(client, db_session):
    melding = factories.melding(omschrijving="Mijn buurman Piet Jansen dumpt hier elke week",
                                email="melder@voorbeeld.nl", locatie_tekst="Achter nummer 12")

    body = _geojson(client).get_data(as_text=True)

    assert f'"id":{melding.id}' in body.replace(" ", "")
    assert "Piet Jansen" not in body
    assert "melder@voorbeeld.nl" not in body
    assert "Achter nummer 12" not in body
    assert melding.token not in body


def _veel_meldingen(aantal: int, buurt_code: str, wijk_code: str) -> None:
    """A few hundred meldingen around De Noork in one statement, like the benchmark does."""
    db.session.execute(
        text(
            """
            INSERT INTO melding (token, categorie_id, omschrijving, locatie, locatie_tekst,
                                 buurt_code,
                                 wijk_code, status, deadline, bron, created_at)
            SELECT 'bulk-' || g || '-' || md5(random()::text),
                   (SELECT id FROM categorie WHERE slug = 'zwerfvuil'),
                   'Zwerfvuil ' || g,
                   ST_SetSRID(ST_MakePoint(6.805 + (g % 20) * 0.001,
                                           52.262 + (g / 20) * 0.0008), 4326), '',
                   :buurt, :wijk, 'gemeld', current_date + 5, 'test', now()
            FROM generate_series(1, :aantal) AS g
            """
        ),
        {"aantal": aantal, "buurt": buurt_code, "wijk": wijk_code},
    )


def test_veel_meldingen_worden_clusters_die_optellen(client, db_session):
    eerste = factories.melding()
    _veel_meldingen(400, eerste.buurt_code, eerste.wijk_code)

    features = _geojson(client, zoom=13).get_json()["features"]

    clusters = [f for f in features if f["properties"].get("cluster")]
    enkel = [f for f in features if not f["properties"].get("cluster")]
    assert clusters, "boven de drempel verwacht de kaart clusters"
    assert all(f["properties"]["aantal"] > 1 for f in clusters)
    assert sum(f["properties"]["aantal"] for f in clusters) + len(enkel) == 401
    assert all(set(f["properties"]) == {"cluster", "aantal"} for f in clusters)

    # Zoomed in on one street there are few enough for single meldingen again.
    straat = _geojson(client, bbox="6.8050,52.2620,6.8075,52.2640", zoom=18).get_json()
    assert straat["features"]
    assert not any(f["properties"].get("cluster") for f in straat["features"])


@pytest.mark.parametrize(
    ("query", "woord"),
    [
        ({"bbox": "6.8,52.2,6.9"}, "vier getallen"),
        ({"bbox": "a,b,c,d"}, "vier getallen"),
        ({"bbox": "6.8,52.2,6.9,nan"}, "vier getallen"),
        ({"bbox": "6.9,52.2,6.8,52.3"}, "kloppen niet"),
        ({"bbox": "6.8,52.2,6.9,95"}, "kloppen niet"),
        ({"bbox": "0,40,10,55"}, "te groot"),
        ({"bbox": NOORD_BBOX, "zoom": "21"}, "zoomniveau"),
        ({"bbox": NOORD_BBOX, "zoom": "veertien"}, "zoomniveau"),
        ({"bbox": NOORD_BBOX, "categorie": "bestaat-niet"}, "bestaat niet"),
    ],
)
def test_foute_kaartvraag_geeft_400_met_nederlandse_uitleg(client, db_session, query, woord):
    response = client.get("/kaart/meldingen.geojson", query_string=query)

    assert response.status_code == 400
    assert woord in response.get_json()["message"]


def test_publieke_pagina_toont_historie_maar_geen_persoonlijke_gegevens(client, db_session):
    melding = factories.melding(
        omschrijving="Bij mij voor de deur, ik ben Jan de Vries", email="jan@voorbeeld.nl"
    )
    melding.wijzig_status(Status.INGEPLAND, door=None,
                          bericht="Gildebor komt de vuilniszakken donderdag ophalen.")
    melding.gebeurtenissen.append(
        Gebeurtenis(soort=Gebeurtenis.NOTITIE, tekst="Melder belt vaak, let op", publiek=False)
    )
    db_session.flush()

    html = client.get(f"/kaart/meldingen/{melding.id}").get_data(as_text=True)

    assert "Afvaldump" in html
    assert "Ingepland" in html
    assert "Gildebor komt de vuilniszakken donderdag ophalen." in html
    assert "De Noork" in html and "Noord" in html
    assert "Melder belt vaak" not in html
    assert "Jan de Vries" not in html
    assert "jan@voorbeeld.nl" not in html
    assert melding.token not in html


def test_samengevoegde_melding_verwijst_naar_het_origineel(client, db_session):
    origineel = factories.melding()
    dubbel = factories.melding()
    dubbel.wijzig_status(Status.SAMENGEVOEGD, door=None)
    dubbel.samengevoegd_met = origineel
    db_session.flush()

    response = client.get(f"/kaart/meldingen/{dubbel.id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/kaart/meldingen/{origineel.id}")
    assert client.get("/kaart/meldingen/999999999").status_code == 404


def _samengevoegd(dubbel, origineel):
    dubbel.status = Status.SAMENGEVOEGD.value
    dubbel.samengevoegd_met = origineel
    dubbel.gesloten_op = datetime.now(UTC)
    db.session.flush()
    return dubbel


def _pagina(client, melding) -> int:
    return client.get(f"/kaart/meldingen/{melding.id}").status_code


def test_publieke_pagina_volgt_de_regel_van_de_kaart(client, db_session):
    """Open, or afgehandeld in the last KAART_RECENT_DAYS days: on the map and a page.
    Anything else has neither, however its id is guessed."""
    open_melding = factories.melding()
    pas_gesloten = _gesloten(factories.melding(dagen_geleden=20), 5)
    lang_gesloten = _gesloten(factories.melding(dagen_geleden=90), 60)
    geannuleerd = factories.melding(status=Status.GEANNULEERD)
    zonder_plek = maak_melding(categorie=factories.categorie(), omschrijving="Afval",
                               buurt=open_melding.buurt, plek=None,
                               locatie_tekst="Achter de sporthal", bron="test", bevestigen=False)

    op_de_kaart = _ids(_geojson(client))
    lijst = client.get("/kaart").get_data(as_text=True)

    for melding in (open_melding, pas_gesloten):
        assert _pagina(client, melding) == 200
        assert melding.id in op_de_kaart
        assert f'href="/kaart/meldingen/{melding.id}"' in lijst
    for melding in (lang_gesloten, geannuleerd, zonder_plek):
        assert _pagina(client, melding) == 404
        assert melding.id not in op_de_kaart
        assert f'href="/kaart/meldingen/{melding.id}"' not in lijst


def test_geannuleerd_is_nooit_openbaar_ook_niet_net_geannuleerd(client, db_session):
    melding = factories.melding()
    melding.wijzig_status(Status.GEANNULEERD, door=None, bericht="Dit was een grap.")
    db_session.flush()

    assert _pagina(client, melding) == 404
    assert melding.id not in _ids(_geojson(client))


def test_samengevoegd_verwijst_alleen_naar_een_openbaar_origineel(client, db_session):
    lang_gesloten = _gesloten(factories.melding(dagen_geleden=90), 60)
    naar_gesloten = _samengevoegd(factories.melding(), lang_gesloten)
    naar_geannuleerd = _samengevoegd(factories.melding(),
                                     factories.melding(status=Status.GEANNULEERD))

    assert _pagina(client, naar_gesloten) == 404
    assert _pagina(client, naar_geannuleerd) == 404


def test_samengevoegd_in_een_samengevoegde_gaat_door_naar_het_openbare_einde(client,
                                                                            db_session):
    einde = factories.melding()
    midden = _samengevoegd(factories.melding(), einde)
    begin = _samengevoegd(factories.melding(), midden)

    response = client.get(f"/kaart/meldingen/{begin.id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/kaart/meldingen/{einde.id}")
    _gesloten(einde, 60)
    assert _pagina(client, begin) == 404


def test_goedgekeurde_foto_van_een_geannuleerde_melding_is_niet_openbaar(client, db_session,
                                                                        media_dir):
    melding = factories.melding()
    verwerkt = media.verwerk(factories.jpeg(), media_dir, max_bytes=10**7, max_pixels=10**8)
    foto = Foto(bestand=verwerkt.bestand, thumbnail=verwerkt.thumbnail, breedte=verwerkt.breedte,
                hoogte=verwerkt.hoogte, publiek=True)
    melding.fotos.append(foto)
    db_session.flush()
    assert client.get(f"/kaart/fotos/{foto.id}/klein.jpg").status_code == 200

    melding.wijzig_status(Status.GEANNULEERD, door=None, bericht="Dubbel gemeld bij de politie.")
    db_session.flush()

    assert client.get(f"/kaart/fotos/{foto.id}/klein.jpg").status_code == 404
    assert client.get(f"/kaart/fotos/{foto.id}/groot.jpg").status_code == 404
    media.verwijder(media_dir, verwerkt.bestand, verwerkt.thumbnail)


def test_alleen_goedgekeurde_fotos_zijn_openbaar(client, db_session, media_dir):
    melding = factories.melding()
    fotos = {}
    bestanden = {}
    for naam, publiek, verborgen in [("goed", True, False), ("nieuw", False, False),
                                     ("verborgen", True, True)]:
        # Stored by the real photo pipeline, where the upload flow stores them.
        verwerkt = media.verwerk(factories.jpeg(), media_dir, max_bytes=10**7,
                                 max_pixels=10**8)
        bestanden[naam] = verwerkt
        foto = Foto(bestand=verwerkt.bestand, thumbnail=verwerkt.thumbnail,
                    breedte=verwerkt.breedte, hoogte=verwerkt.hoogte, publiek=publiek,
                    verborgen=verborgen)
        melding.fotos.append(foto)
        fotos[naam] = foto
    db_session.flush()

    html = client.get(f"/kaart/meldingen/{melding.id}").get_data(as_text=True)

    assert f"/kaart/fotos/{fotos['goed'].id}/klein.jpg" in html
    assert f"/kaart/fotos/{fotos['nieuw'].id}/" not in html
    assert f"/kaart/fotos/{fotos['verborgen'].id}/" not in html
    goed = client.get(f"/kaart/fotos/{fotos['goed'].id}/groot.jpg")
    assert goed.status_code == 200
    assert goed.data == media.pad(media_dir, bestanden["goed"].bestand).read_bytes()
    assert "public" in goed.headers["Cache-Control"]
    # A photo that staff withdraw leaves public caches within five minutes.
    assert "max-age=300" in goed.headers["Cache-Control"]
    for naam in ("nieuw", "verborgen"):
        for formaat in ("groot", "klein"):
            assert client.get(f"/kaart/fotos/{fotos[naam].id}/{formaat}.jpg").status_code == 404


def test_lijst_zonder_javascript_volgt_het_filter(client, db_session):
    lamp = factories.melding(slug="lantaarnpaal-kapot")
    afval = factories.melding(slug="afvaldump")
    oud = _gesloten(factories.melding(slug="lantaarnpaal-kapot", dagen_geleden=100), 70)

    html = client.get("/kaart?categorie=lantaarnpaal-kapot").get_data(as_text=True)

    assert f'href="/kaart/meldingen/{lamp.id}"' in html
    assert f'href="/kaart/meldingen/{afval.id}"' not in html
    assert f'href="/kaart/meldingen/{oud.id}"' not in html
    assert 'value="lantaarnpaal-kapot" checked' in html
    alles = client.get("/kaart").get_data(as_text=True)
    assert f'href="/kaart/meldingen/{afval.id}"' in alles


def test_lijst_bladert_met_behoud_van_filter(client, db_session):
    eerste = factories.melding(slug="zwerfvuil")
    _veel_meldingen(45, eerste.buurt_code, eerste.wijk_code)

    html = client.get(f"/kaart?categorie=zwerfvuil&wijk={eerste.wijk_code}").get_data(
        as_text=True)

    assert "46 meldingen gevonden" in html
    assert "Pagina 1 van 3" in html
    assert (f"/kaart?categorie=zwerfvuil&amp;wijk={eerste.wijk_code}&amp;pagina=2"
            in html)
    derde = client.get(f"/kaart?categorie=zwerfvuil&wijk={eerste.wijk_code}&pagina=3")
    assert derde.get_data(as_text=True).count('href="/kaart/meldingen/') == 6
    assert client.get("/kaart?pagina=-4&wijk=<script>").status_code == 200


@pytest.mark.browser
def test_kaart_tekent_meldingen_op_de_telefoon(app, phone):
    with app.app_context():
        for slug, plek in [("afvaldump", (52.2700, 6.8138)), ("zwerfvuil", (52.2690, 6.8110)),
                           ("lantaarnpaal-kapot", (52.2712, 6.8160))]:
            factories.melding(slug=slug, plek=plek)
        factories.melding(slug="graffiti", plek=factories.BINNENSTAD)
        db.session.commit()

    phone.goto("/kaart")

    punten = phone.locator("#meldingenkaart .kaart-punt, #meldingenkaart .cluster-icoon")
    punten.first.wait_for()
    assert punten.count() >= 2
    assert phone.locator("#kaartstatus").inner_text().endswith("meldingen op de kaart.")
    assert "CBS / Kadaster" in phone.locator("#meldingenkaart").inner_text()
    # Each marker is a button whose name says what it is (not only a tooltip).
    phone.locator("#meldingenkaart").get_by_role(
        "button", name=re.compile(r"^Graffiti of vernieling, gemeld, gemeld op ")).click()
    phone.get_by_role("link", name="Bekijk de melding").wait_for()


def test_publieke_pagina_noemt_gemeld_een_keer(client, db_session):
    from participatie.gebieden.services import buurt_voor_punt
    from participatie.meldingen.services import maak_melding

    m = maak_melding(categorie=factories.categorie(), omschrijving="Zakken naast de bak",
                     buurt=buurt_voor_punt(*factories.DE_NOORK), plek=factories.DE_NOORK,
                     locatie_tekst="", email=None, fotos=[])
    html = client.get(f"/kaart/meldingen/{m.id}").get_data(as_text=True)
    assert html.count("<strong>Gemeld</strong>") == 1
    assert "Melding ontvangen" in html
