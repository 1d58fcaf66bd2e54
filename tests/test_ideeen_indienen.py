"""A resident submits an idea for a buurtbudget, follows it by its private link, and the
neighbourhood reads and follows the public ideas of the round."""

from __future__ import annotations

import re
from io import BytesIO

from sqlalchemy import func, select

from participatie import media
from participatie.buurtbudget import beoordeling
from participatie.buurtbudget.models import Idee, IdeeVolger
from tests.factories import (
    BINNENSTAD,
    BUITEN_HENGELO,
    DE_NOORK,
    budgetronde,
    csrf_token,
    gebruiker,
    idee,
    jpeg,
    open_geheime_link,
)

DE_NOORK_CODE = "BU01640202"


def verstuur(client, ronde, *, plek=DE_NOORK, foto: bytes | None = None, **velden):
    """Post the idea form the way a phone does (multipart, with the page's CSRF token)."""
    url = f"/buurtbudget/{ronde.slug}/idee"
    data = {
        "csrf_token": csrf_token(client, url),
        "titel": "Bankjes bij de speeltuin",
        "omschrijving": "Twee bankjes bij de speeltuin, zodat ouders erbij kunnen zitten.",
        "kosten_schatting": "2.500",
        "latitude": str(plek[0]) if plek else "",
        "longitude": str(plek[1]) if plek else "",
        "locatie_tekst": "", "buurt": "", "email": "",
    }
    data.update(velden)
    if foto is not None:
        data["foto_kies"] = (BytesIO(foto), "speeltuin.jpg")
    return client.post(url, data=data, content_type="multipart/form-data")


def tekst(response) -> str:
    return response.get_data(as_text=True)


def fout_bij(html: str, veld_id: str) -> str:
    match = re.search(rf'<p class="veld__fout" id="{veld_id}-fout">.*?</span>(.*?)</p>', html,
                      re.S)
    assert match, f"geen foutmelding bij {veld_id}"
    return match.group(1)


def aantal(db_session) -> int:
    return db_session.scalar(select(func.count(Idee.id)))


def test_het_formulier_werkt_zonder_javascript(client, db_session):
    ronde = budgetronde()
    html = tekst(client.get(f"/buurtbudget/{ronde.slug}/idee"))
    assert 'id="idee-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert 'name="locatie_tekst"' in html and 'name="foto_kies"' in html
    # The map part waits for JavaScript (css/zonder-js.css hides it), and so does Leaflet.
    assert 'class="plek__kaartdeel alleen-met-js" id="plek-kaartdeel"' in html
    assert not re.search(r'<(script|link)[^>]+leaflet', html)
    assert "De Noork" in html and "€ 20.000" in html
    # The round page invites residents while ideas can come in.
    assert f'href="/buurtbudget/{ronde.slug}/idee"' in tekst(
        client.get(f"/buurtbudget/{ronde.slug}"))


def test_inwoner_dient_een_idee_in_met_speld_foto_en_email(client, db_session, mailbox,
                                                          media_dir):
    ronde = budgetronde()
    response = verstuur(client, ronde, foto=jpeg(), email="bewoner@example.nl")
    assert response.status_code == 303
    plan = db_session.scalar(select(Idee))
    eigen_pagina = response.headers["Location"]
    assert eigen_pagina == f"/buurtbudget/ideeen/mijn/{plan.id}"  # no secret in the address
    assert (plan.titel, plan.kosten_schatting, plan.status) == (
        "Bankjes bij de speeltuin", 2500, "ingediend")
    assert (plan.buurt_code, plan.wijk_code, plan.locatie is not None) == (
        DE_NOORK_CODE, "WK016402", True)
    assert media.pad(media_dir, plan.foto_bestand).is_file()
    assert [(v.email, v.indiener) for v in plan.volgers] == [("bewoner@example.nl", True)]

    [bericht] = mailbox.to("bewoner@example.nl")
    assert bericht["Subject"] == f"Uw idee {plan.nummer} is ontvangen"
    assert f"http://participatie.test/buurtbudget/ideeen/{plan.token}" in mailbox.body(bericht)

    pagina = tekst(client.get(eigen_pagina))
    assert f"Bedankt! Uw idee {plan.nummer} is ontvangen." in pagina
    assert "Bewaar de link naar uw idee" in pagina and "Bankjes bij de speeltuin" in pagina
    assert f'id="volglink">http://participatie.test/buurtbudget/ideeen/{plan.token}<' in pagina
    assert 'name="robots"' not in pagina
    assert client.get(f"{eigen_pagina}/foto/klein").status_code == 200
    # Not public before staff publish it.
    assert client.get(f"/buurtbudget/{ronde.slug}/ideeen/{plan.id}").status_code == 404
    assert "Bankjes bij de speeltuin" not in tekst(client.get(f"/buurtbudget/{ronde.slug}"))


def test_zonder_kaart_met_adres_en_buurt(client, db_session):
    ronde = budgetronde(buurten=(DE_NOORK_CODE, "BU01640201"))
    response = verstuur(client, ronde, plek=None, locatie_tekst="Grasveld achter de school",
                        buurt=DE_NOORK_CODE)
    assert response.status_code == 303
    plan = db_session.scalar(select(Idee))
    assert plan.locatie is None and plan.locatie_tekst == "Grasveld achter de school"
    assert plan.buurt_code == DE_NOORK_CODE and plan.volgers == []


def test_fouten_staan_bij_het_veld_en_alles_blijft_staan_ook_de_foto(client, db_session):
    ronde = budgetronde()
    response = verstuur(client, ronde, foto=jpeg(), titel="", kosten_schatting="veel",
                        omschrijving="Een speeltuin voor de kleintjes", email="geen-adres")
    html = tekst(response)
    assert response.status_code == 422 and aantal(db_session) == 0
    assert 'class="foutsamenvatting"' in html
    assert fout_bij(html, "titel") == "Geef uw idee een korte titel."
    assert fout_bij(html, "kosten_schatting").startswith("Vul een bedrag in hele euro")
    assert fout_bij(html, "email").startswith("Dit is geen geldig e-mailadres")
    assert "Een speeltuin voor de kleintjes" in html and 'value="geen-adres"' in html
    assert f'name="latitude" type="hidden" value="{DE_NOORK[0]}"' in html
    assert "Deze foto hebben wij al." in html
    bewaard = re.search(r'name="fotos_bewaard" type="hidden" value="([^"]+)"', html).group(1)
    thumbnail = re.search(r'<img src="(/buurtbudget/[^"]+/idee/foto/[^"]+)"', html).group(1)
    assert client.get(thumbnail).status_code == 200

    response = verstuur(client, ronde, fotos_bewaard=bewaard,
                        omschrijving="Een speeltuin voor de kleintjes")
    assert response.status_code == 303
    plan = db_session.scalar(select(Idee))
    assert plan.foto_bestand is not None
    # Once it belongs to the idea, the kept reference shows nothing any more.
    assert client.get(thumbnail).status_code == 404


def test_een_plek_buiten_het_gebied_wordt_geweigerd(client, db_session):
    ronde = budgetronde()  # De Noork only
    for plek in (BINNENSTAD, BUITEN_HENGELO):
        html = tekst(verstuur(client, ronde, plek=plek))
        assert "Deze plek ligt buiten het gebied van deze ronde (De Noork)" in html
        assert 'id="plek-fout"' in html and 'value="Bankjes bij de speeltuin"' in html
    assert aantal(db_session) == 0


def test_kosten_boven_het_budget_worden_geweigerd(client, db_session):
    ronde = budgetronde(budget=10_000)
    html = tekst(verstuur(client, ronde, kosten_schatting="25000"))
    assert "Het budget van deze ronde is € 10.000. Uw idee mag niet meer kosten." in html
    assert aantal(db_session) == 0


def test_buiten_de_fase_indienen_geen_formulier_en_geen_idee(client, db_session):
    ronde = budgetronde(fase="beoordelen")
    html = tekst(client.get(f"/buurtbudget/{ronde.slug}/idee"))
    assert "U kunt geen idee meer indienen." in html and 'id="idee-form"' not in html
    assert "Ideeën indienen kon van" in html
    token = csrf_token(client, "/melden")  # the closed page has no form of its own
    response = client.post(f"/buurtbudget/{ronde.slug}/idee", data={
        "csrf_token": token, "titel": "Toch nog", "omschrijving": "Een idee te laat ingediend.",
        "kosten_schatting": "100"})
    assert response.status_code == 409 and aantal(db_session) == 0
    assert "Dien een idee in</a>" not in tekst(client.get(f"/buurtbudget/{ronde.slug}"))


def test_indiener_beantwoordt_een_vraag_op_de_eigen_pagina(client, db_session, mailbox):
    regisseur = gebruiker("stadsdeelregisseur")
    plan = idee(email="indiener@example.nl")
    beoordeling.vragen(regisseur, plan, "Waar precies bij de speeltuin?")
    db_session.flush()
    url = open_geheime_link(client, f"/buurtbudget/ideeen/{plan.token}")
    html = tekst(client.get(url))
    assert "De gemeente heeft een vraag aan u" in html and "Waar precies bij de speeltuin?" in html

    te_kort = client.post(f"{url}/antwoord", data={"csrf_token": csrf_token(client, url),
                                                   "antwoord": "Ja"})
    assert te_kort.status_code == 422 and plan.status == "vraag"
    response = client.post(f"{url}/antwoord", data={
        "csrf_token": csrf_token(client, url), "antwoord": "Naast de zandbak, bij de ingang."})
    assert response.status_code == 303
    assert (plan.status, plan.antwoord_ontvangen) == ("ingediend", True)
    assert plan.updates[-1].soort == "antwoord" and not plan.updates[-1].publiek
    html = tekst(client.get(url))
    assert "Bedankt voor uw antwoord" in html and "Naast de zandbak" in html
    assert "De gemeente heeft een vraag aan u" not in html
    # Without an open question there is nothing to answer.
    nog_eens = client.post(f"{url}/antwoord", data={
        "csrf_token": csrf_token(client, "/melden"), "antwoord": "Nog een antwoord erachter."})
    assert nog_eens.status_code == 409 and "geen vraag aan u open" in tekst(nog_eens)


def test_de_link_uit_de_mail_opent_de_eigen_pagina_zonder_geheim_in_het_adres(
        app, client, db_session):
    plan = idee(email="indiener@example.nl", titel="Moestuin achter de school")
    response = client.get(f"/buurtbudget/ideeen/{plan.token}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/buurtbudget/ideeen/mijn/{plan.id}"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    pagina = client.get(response.headers["Location"])
    html = tekst(pagina)
    assert pagina.status_code == 200 and "X-Robots-Tag" not in pagina.headers
    assert "Uw idee: Moestuin achter de school" in html and 'name="robots"' not in html
    assert (f'<meta name="description" content="Volg wat de gemeente Hengelo doet met uw idee '
            f'{plan.nummer} voor {plan.ronde.naam}.">') in html
    assert client.get("/buurtbudget/ideeen/bestaat-niet-" + "x" * 30).status_code == 404


def test_een_andere_browser_ziet_het_idee_niet_en_kan_niet_antwoorden(app, client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    plan = idee(email="indiener@example.nl", titel="Moestuin achter de school")
    beoordeling.vragen(regisseur, plan, "Wie gaat de moestuin bijhouden?")
    db_session.flush()
    eigen_pagina = open_geheime_link(client, f"/buurtbudget/ideeen/{plan.token}")
    ander = app.test_client()
    response = ander.get(eigen_pagina)
    html = tekst(response)
    assert response.status_code == 403
    assert "Open de link uit uw e-mail opnieuw om uw idee te volgen." in html
    assert "Moestuin" not in html and "bijhouden" not in html and plan.token not in html
    assert "openbare pagina" not in html  # not published
    assert ander.get(f"{eigen_pagina}/foto/klein").status_code == 403
    response = ander.post(f"{eigen_pagina}/antwoord", data={
        "csrf_token": csrf_token(ander, "/melden"), "antwoord": "De buren samen, om de beurt."})
    assert response.status_code == 403 and plan.status == "vraag"

    plan.status = "gepubliceerd"
    db_session.flush()
    assert (f'href="/buurtbudget/{plan.ronde.slug}/ideeen/{plan.id}">de openbare pagina van dit '
            'idee</a>') in tekst(ander.get(eigen_pagina))


def test_de_ronde_toont_openbare_ideeen_met_kosten_status_en_uitleg(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    ronde = budgetronde()
    haalbaar = idee(ronde, titel="Bankjes bij de speeltuin", status="gepubliceerd")
    beoordeling.haalbaarheid(regisseur, haalbaar, True, "Kan in het voorjaar.", 3200)
    afgewezen = idee(ronde, titel="Een zwembad", status="gepubliceerd")
    beoordeling.afwijzen(regisseur, afgewezen, "Past niet in het budget.")
    verborgen = idee(ronde, titel="Nog niet bekeken")
    met_vraag = idee(ronde, titel="Met een vraag")
    beoordeling.vragen(regisseur, met_vraag, "Geheime vraag aan de indiener")

    html = tekst(client.get(f"/buurtbudget/{ronde.slug}"))
    assert "Bankjes bij de speeltuin" in html and "€ 3.200" in html and "Haalbaar" in html
    assert "Kan in het voorjaar." in html
    assert "Een zwembad" in html and "Past niet in het budget." in html
    assert "Nog niet bekeken" not in html and "Met een vraag" not in html
    assert "Geheime vraag" not in html

    pagina = tekst(client.get(f"/buurtbudget/{ronde.slug}/ideeen/{haalbaar.id}"))
    assert "€ 3.200" in pagina and "(berekend door de gemeente)" in pagina
    assert "Kan in het voorjaar." in pagina and "Volg dit idee" in pagina
    for niet in (verborgen, met_vraag):
        assert client.get(f"/buurtbudget/{ronde.slug}/ideeen/{niet.id}").status_code == 404
    ander = budgetronde(naam="Andere ronde")
    assert client.get(f"/buurtbudget/{ander.slug}/ideeen/{haalbaar.id}").status_code == 404


def test_buurtbewoner_volgt_een_openbaar_idee(client, db_session, mailbox):
    ronde = budgetronde()
    plan = idee(ronde, status="gepubliceerd", email="indiener@example.nl")
    url = f"/buurtbudget/{ronde.slug}/ideeen/{plan.id}"
    fout = client.post(f"{url}/volgen", data={"csrf_token": csrf_token(client, url),
                                              "email": ""})
    assert fout.status_code == 422 and "Vul uw e-mailadres in." in tekst(fout)
    for _ in range(2):
        response = client.post(f"{url}/volgen", data={"csrf_token": csrf_token(client, url),
                                                      "email": "buur@example.nl"})
        assert response.status_code == 303
        assert f"U volgt idee {plan.nummer}" in tekst(client.get(url))
    volgers = db_session.scalars(select(IdeeVolger).where(IdeeVolger.idee_id == plan.id)).all()
    assert sorted((v.email, v.indiener) for v in volgers) == [
        ("buur@example.nl", False), ("indiener@example.nl", True)]
    [bericht] = mailbox.to("buur@example.nl")
    assert f"http://participatie.test{url}" in mailbox.body(bericht)
    # Without the form's token the request is refused.
    assert client.post(f"{url}/volgen", data={"email": "x@example.nl"}).status_code == 400


def test_te_veel_ideeen_of_volgverzoeken_achter_elkaar_moeten_wachten(app, client, db_session):
    ronde = budgetronde()
    plan = idee(ronde, status="gepubliceerd")
    url = f"/buurtbudget/{ronde.slug}/ideeen/{plan.id}"
    oud = app.config["RATELIMIT_MELDEN"]
    app.config["RATELIMIT_MELDEN"] = "2 per minute"
    try:
        assert verstuur(client, ronde, titel="").status_code == 422
        assert verstuur(client, ronde, titel="").status_code == 422
        response = verstuur(client, ronde)
        assert response.status_code == 429 and "Even wachten" in tekst(response)
        assert client.get(f"/buurtbudget/{ronde.slug}/idee").status_code == 200
        for status in (303, 303, 429):
            assert client.post(f"{url}/volgen", data={
                "csrf_token": csrf_token(client, url), "email": "buur@example.nl"},
            ).status_code == status
    finally:
        app.config["RATELIMIT_MELDEN"] = oud
    assert aantal(db_session) == 1
