"""A resident follows their melding on /meldingen/<token>."""

from __future__ import annotations

from participatie.meldingen.models import Foto, Gebeurtenis
from participatie.meldingen.workflow import Status
from tests.factories import melding
from tests.test_melden import verstuur


def test_volgpagina_toont_status_historie_en_berichten_maar_geen_interne_notities(
    client, db_session  # noqa: F811
):
    m = melding(email="melder@example.nl", locatie_tekst="Bij de glasbak")
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.STATUS, status_naar="gemeld",
                                        tekst="Melding ontvangen", publiek=True))
    m.wijzig_status(Status.INGEPLAND, door=None, bericht="Gildebor komt donderdag.")
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.NOTITIE, publiek=False,
                                        tekst="Bewoner nr 12 belt vaker, interne notitie"))
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.BERICHT, publiek=True,
                                        tekst="Er staat nu een bord bij de container."))
    db_session.flush()

    response = client.get(f"/meldingen/{m.token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Melding {m.nummer}" in html
    assert "Afvaldump" in html
    assert "Ingepland" in html  # the current status label
    assert m.buurt.naam in html
    assert m.wijk.korte_naam in html
    assert "Gildebor komt donderdag." in html
    # Newest last: the message after the status change.
    assert html.index("Melding ontvangen") < html.index("Gildebor komt donderdag.") < html.index(
        "Er staat nu een bord")
    assert "interne notitie" not in html
    assert "melder@example.nl" not in html
    assert "Bij de glasbak" in html  # the text alternative of the map
    assert f"http://participatie.test/meldingen/{m.token}" in html
    assert "private" in response.headers["Cache-Control"]


def test_volgpagina_toont_verwachte_datum_in_het_nederlands(client, db_session):  # noqa: F811
    m = melding()
    html = client.get(f"/meldingen/{m.token}").get_data(as_text=True)
    maanden = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")
    verwacht = f"{m.deadline.day} {maanden[m.deadline.month - 1]} {m.deadline.year}"
    assert f"uiterlijk <time datetime=\"{m.deadline.isoformat()}\">{verwacht}</time>" in html


def test_onbekende_code_geeft_de_vriendelijke_404(client, db_session):  # noqa: F811
    response = client.get("/meldingen/bestaat-niet-" + "x" * 30)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get("/meldingen/" + "y" * 200).status_code == 404


def test_fotos_van_de_melding_maar_niet_de_verborgen(client, db_session, media_dir):  # noqa: F811
    from tests.factories import jpeg

    response = verstuur(client, fotos=[("een.jpg", jpeg()), ("twee.jpg", jpeg(300, 200))])
    token = response.headers["Location"].rsplit("/", 1)[1]
    html = client.get(f"/meldingen/{token}").get_data(as_text=True)
    fotos = db_session.query(Foto).order_by(Foto.id).all()
    assert len(fotos) == 2
    for foto in fotos:
        assert f"/meldingen/{token}/foto/{foto.id}/klein" in html
    groot = client.get(f"/meldingen/{token}/foto/{fotos[0].id}")
    assert groot.status_code == 200 and groot.mimetype == "image/jpeg"
    assert "private" in groot.headers["Cache-Control"]
    assert client.get(f"/meldingen/{token}/foto/{fotos[0].id}/klein").status_code == 200

    fotos[1].verborgen = True
    db_session.flush()
    html = client.get(f"/meldingen/{token}").get_data(as_text=True)
    assert f"/foto/{fotos[1].id}/klein" not in html
    assert client.get(f"/meldingen/{token}/foto/{fotos[1].id}").status_code == 404
    # A photo of another melding is not reachable with this token.
    ander = melding()
    assert client.get(f"/meldingen/{ander.token}/foto/{fotos[0].id}").status_code == 404
