"""A resident follows their melding: the secret link from the e-mail (/meldingen/<token>) sends
the browser on to /meldingen/volgen/<id>, which shows the melding only in that browser."""

from __future__ import annotations

import logging
import re

from participatie.geheimelink import MAX_LINKS, pad_voor_log
from participatie.meldingen.models import Foto, Gebeurtenis
from participatie.meldingen.workflow import Status
from tests.factories import csrf_token, melding, open_geheime_link
from tests.test_melden import verstuur

LINK_NODIG = "Open de link uit uw e-mail opnieuw om uw melding te volgen."


def _sessie(app, client) -> dict:
    """What this client's session cookie holds (signed, so readable by whoever has it)."""
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_geheime_link_stuurt_door_naar_een_adres_zonder_token(app, client, db_session):
    m = melding(email="melder@example.nl")
    response = client.get(f"/meldingen/{m.token}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/meldingen/volgen/{m.id}"
    # The secret: in no search index, in no Referer, in no cache.
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert m.token not in cookie.value and m.token not in str(_sessie(app, client))

    pagina = client.get(response.headers["Location"])
    html = pagina.get_data(as_text=True)
    assert pagina.status_code == 200
    assert "X-Robots-Tag" not in pagina.headers and 'name="robots"' not in html
    assert pagina.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in pagina.headers["Cache-Control"]
    assert '<html lang="nl">' in html
    assert f"<title>Melding {m.nummer} · Participatie Hengelo</title>" in html
    assert (f'<meta name="description" content="Volg wat de gemeente Hengelo doet met uw '
            f'melding {m.nummer}.">') in html
    # The secret link itself, to keep, folded away; nowhere else on the page.
    assert html.count(m.token) == 1
    assert re.search(r'<details>\s*<summary>Toon de link</summary>\s*<p class="token" '
                     rf'id="volglink">http://participatie.test/meldingen/{m.token}</p>', html)


def test_volgpagina_toont_status_historie_en_berichten_maar_geen_interne_notities(
    client, db_session
):
    m = melding(email="melder@example.nl", locatie_tekst="Bij de glasbak")
    m.wijzig_status(Status.INGEPLAND, door=None, bericht="Gildebor komt donderdag.")
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.NOTITIE, publiek=False,
                                        tekst="Bewoner nr 12 belt vaker, interne notitie"))
    m.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.BERICHT, publiek=True,
                                        tekst="Er staat nu een bord bij de container."))
    db_session.flush()

    response = client.get(open_geheime_link(client, f"/meldingen/{m.token}"))
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
    assert "private" in response.headers["Cache-Control"]


def test_volgpagina_toont_verwachte_datum_in_het_nederlands(client, db_session):
    m = melding()
    html = client.get(open_geheime_link(client, f"/meldingen/{m.token}")).get_data(as_text=True)
    maanden = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")
    verwacht = f"{m.deadline.day} {maanden[m.deadline.month - 1]} {m.deadline.year}"
    assert f"uiterlijk <time datetime=\"{m.deadline.isoformat()}\">{verwacht}</time>" in html


def test_een_andere_browser_ziet_niets_van_de_melding(app, client, db_session):
    m = melding(email="melder@example.nl", omschrijving="Matras bij de achterdeur van nr 12",
                locatie_tekst="Achter de flat")
    m.wijzig_status(Status.INGEPLAND, door=None, bericht="Gildebor komt donderdag.")
    db_session.flush()
    open_geheime_link(client, f"/meldingen/{m.token}")
    assert client.get(f"/meldingen/volgen/{m.id}").status_code == 200

    ander = app.test_client()  # another phone, a crawler, someone who guessed the number
    response = ander.get(f"/meldingen/volgen/{m.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert LINK_NODIG in html
    for prive in ("Matras", "Achter de flat", "Gildebor komt donderdag", "melder@example.nl",
                  m.token, "Ingepland"):
        assert prive not in html
    assert "no-store" in response.headers["Cache-Control"]
    # The melding is on the map, so its public page is offered.
    assert f'href="/kaart/meldingen/{m.id}">de openbare pagina van deze melding</a>' in html


def test_zonder_link_geeft_een_melding_die_niet_bestaat_dezelfde_pagina(client, db_session):
    geannuleerd = melding(status=Status.GEANNULEERD)  # not on the map
    bestaat = client.get(f"/meldingen/volgen/{geannuleerd.id}")
    bestaat_niet = client.get(f"/meldingen/volgen/{geannuleerd.id + 1000}")
    assert bestaat.status_code == bestaat_niet.status_code == 403
    assert LINK_NODIG in bestaat.get_data(as_text=True)
    assert bestaat.get_data() == bestaat_niet.get_data()  # nothing tells whether it exists
    assert "openbare pagina" not in bestaat.get_data(as_text=True)


def test_de_sessie_onthoudt_de_laatste_links(app, client, db_session):
    lijst = [melding() for _ in range(MAX_LINKS + 1)]
    for m in lijst:
        open_geheime_link(client, f"/meldingen/{m.token}")
    assert client.get(f"/meldingen/volgen/{lijst[0].id}").status_code == 403
    assert {client.get(f"/meldingen/volgen/{m.id}").status_code for m in lijst[1:]} == {200}
    assert len(_sessie(app, client)["geheime_links"]) == MAX_LINKS
    assert len(client.get_cookie("session").value) < 1500
    # Opening the oldest link again makes it the newest.
    open_geheime_link(client, f"/meldingen/{lijst[0].token}")
    assert client.get(f"/meldingen/volgen/{lijst[0].id}").status_code == 200
    assert client.get(f"/meldingen/volgen/{lijst[1].id}").status_code == 403


def test_na_afloop_van_de_sessie_vraagt_de_pagina_de_link_opnieuw(app, client, db_session):
    import time

    m = melding()
    m.wijzig_status(Status.REACTIE_GEVRAAGD, door=None, bericht="Waar precies?")
    db_session.flush()
    pagina = open_geheime_link(client, f"/meldingen/{m.token}")
    token = csrf_token(client, pagina)
    oud = app.config["PERMANENT_SESSION_LIFETIME"]
    app.config["PERMANENT_SESSION_LIFETIME"] = 1
    try:
        time.sleep(2.1)  # Flask refuses a session cookie signed longer ago than its lifetime
        response = client.get(pagina)
        assert response.status_code == 403 and LINK_NODIG in response.get_data(as_text=True)
        # The form left open on the phone: the session (and its CSRF token) has ended too.
        response = client.post(f"{pagina}/reactie",
                               data={"csrf_token": token, "antwoord": "Bij de achteringang"})
        assert response.status_code == 400
        assert "Het formulier is verlopen" in response.get_data(as_text=True)
    finally:
        app.config["PERMANENT_SESSION_LIFETIME"] = oud
    db_session.refresh(m)
    assert m.status == Status.REACTIE_GEVRAAGD
    # The link from the e-mail opens it again.
    assert client.get(open_geheime_link(client, f"/meldingen/{m.token}")).status_code == 200


def test_onbekende_code_geeft_de_vriendelijke_404(client, db_session):
    response = client.get("/meldingen/bestaat-niet-" + "x" * 30)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get("/meldingen/" + "y" * 200).status_code == 404
    assert client.get("/meldingen/bestaat-niet/opgelost").status_code == 404
    assert client.get_cookie("session") is None  # nothing was noted


def test_na_het_melden_volgt_deze_browser_de_melding_zonder_link(client, db_session, mailbox):
    response = verstuur(client, email="inwoner@example.nl")
    assert response.status_code == 302
    volgpagina = response.headers["Location"]
    assert re.fullmatch(r"/meldingen/volgen/\d+", volgpagina)
    assert "Bedankt! Uw melding M-" in client.get(volgpagina).get_data(as_text=True)


def test_fotos_van_de_melding_maar_niet_de_verborgen(app, client, db_session, media_dir):
    from tests.factories import jpeg

    response = verstuur(client, fotos=[("een.jpg", jpeg()), ("twee.jpg", jpeg(300, 200))])
    volgpagina = response.headers["Location"]
    html = client.get(volgpagina).get_data(as_text=True)
    fotos = db_session.query(Foto).order_by(Foto.id).all()
    assert len(fotos) == 2
    for foto in fotos:
        assert f'src="{volgpagina}/foto/{foto.id}/klein"' in html
    groot = client.get(f"{volgpagina}/foto/{fotos[0].id}")
    assert groot.status_code == 200 and groot.mimetype == "image/jpeg"
    assert "private" in groot.headers["Cache-Control"]
    assert client.get(f"{volgpagina}/foto/{fotos[0].id}/klein").status_code == 200
    # Not for another browser.
    assert app.test_client().get(f"{volgpagina}/foto/{fotos[0].id}").status_code == 403

    fotos[1].verborgen = True
    db_session.flush()
    html = client.get(volgpagina).get_data(as_text=True)
    assert f"/foto/{fotos[1].id}/klein" not in html
    assert client.get(f"{volgpagina}/foto/{fotos[1].id}").status_code == 404
    # A photo of another melding that this browser follows is not reachable via this one.
    ander = melding()
    open_geheime_link(client, f"/meldingen/{ander.token}")
    assert client.get(f"/meldingen/volgen/{ander.id}/foto/{fotos[0].id}").status_code == 404


def test_logregels_noemen_de_geheime_code_niet(app, db_session):
    m = melding()
    with app.test_request_context(f"/meldingen/{m.token}/opgelost"):
        assert pad_voor_log() == "/meldingen/<token>/opgelost"
    with app.test_request_context(f"/meldingen/volgen/{m.id}"):
        assert pad_voor_log() == f"/meldingen/volgen/{m.id}"
    # The request lines of the web servers: Werkzeug's (development) and gunicorn's access log,
    # through the filters on their loggers.
    werkzeug = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 0, '%s - - [%s] "%s" %s -',
        ("127.0.0.1", "5/Dec/2026", f"GET /buurtbudget/ideeen/{m.token} HTTP/1.1", "303"), None)
    gunicorn = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 0, '%(h)s "%(r)s" %(s)s',
        ({"h": "127.0.0.1", "r": f"GET /meldingen/{m.token}?x=1 HTTP/1.1", "s": "303"},), None)
    for record in (werkzeug, gunicorn):
        assert logging.getLogger(record.name).filter(record)
    assert werkzeug.getMessage() == (
        '127.0.0.1 - - [5/Dec/2026] "GET /buurtbudget/ideeen/<token> HTTP/1.1" 303 -')
    assert gunicorn.getMessage() == '127.0.0.1 "GET /meldingen/<token>?x=1 HTTP/1.1" 303'
