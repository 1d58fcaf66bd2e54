"""A resident answers a survey page by page (without JavaScript: plain posts), keeps the draft
across a reload, meets a conditional question, sends once and is refused a second time; with a
code from a letter the buurt comes from the code."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from participatie.enquetes.models import Antwoord, Respons
from participatie.enquetes.services import VraagGegevens, maak_codes
from participatie.enquetes.workflow import VraagType
from participatie.extensions import db
from tests.factories import csrf_token, enquete

DE_NOORK = "BU01640202"


def _met_voorwaarde():
    e = enquete(vragen=[
        VraagGegevens(VraagType.JA_NEE, "Bent u actief in uw buurt?", verplicht=True,
                      indicator="actief_in_buurt"),
        VraagGegevens(VraagType.CIJFER, "Welk cijfer geeft u uw buurt?", pagina=2),
    ])
    actief = e.vragen[0]
    enquete_vraag = VraagGegevens(VraagType.OPEN, "Wat doet u?", pagina=2, max_lengte=200)
    from participatie.enquetes.services import voeg_vraag_toe

    enquete_vraag.toon_als = (actief.id, 1)
    voeg_vraag_toe(e, enquete_vraag, door=None)
    db.session.commit()  # into the test's outer transaction: a view's rollback keeps it
    return e


def _post(client, e, data):
    return client.post(f"/enquetes/{e.id}", data={
        "csrf_token": csrf_token(client, "/melden"), **data})


def test_bewoner_vult_in_herlaadt_en_verstuurt_een_keer(client, db_session):
    e = _met_voorwaarde()
    actief, cijfer, wat = e.vragen
    url = f"/enquetes/{e.id}"

    leeg = _post(client, e, {"pagina": "1", "actie": "volgende"})
    assert leeg.status_code == 422
    assert "Deze vraag is verplicht" in leeg.get_data(as_text=True)

    stap = _post(client, e, {"pagina": "1", "actie": "volgende", f"v{actief.id}": "1",
                             "buurt": DE_NOORK})
    assert stap.status_code == 303 and stap.headers["Location"].endswith("?pagina=2")
    herladen = client.get(url).get_data(as_text=True)  # a reload: where the resident was
    assert "Pagina 2 van 2" in herladen and "Wat doet u?" in herladen
    te_lang = _post(client, e, {"pagina": "2", "actie": "volgende", f"v{cijfer.id}": "8",
                                f"v{wat.id}": "x" * 201})
    assert te_lang.status_code == 422
    html = te_lang.get_data(as_text=True)
    assert "hoogstens 200" in html and 'value="8" checked' in html  # nothing typed is lost
    _post(client, e, {"pagina": "2", "actie": "volgende", f"v{cijfer.id}": "8",
                      f"v{wat.id}": "Ik help bij de buurtmoestuin."})
    verstuurd = _post(client, e, {"actie": "versturen", "email": ""})
    assert "Bedankt voor het invullen" in verstuurd.get_data(as_text=True)

    [r] = db_session.scalars(select(Respons).where(Respons.enquete_id == e.id)).all()
    assert r.verzonden_op is not None and r.buurt_code == DE_NOORK and r.email is None
    nog_eens = _post(client, e, {"pagina": "1", "actie": "volgende", f"v{actief.id}": "0"})
    assert nog_eens.status_code == 303
    assert "al ingevuld" in client.get(url).get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Respons).where(
        Respons.enquete_id == e.id)) == 1
    assert db_session.scalar(select(Antwoord.getal).where(
        Antwoord.vraag_id == actief.id)) == 1  # unchanged


def test_voorwaarde_bepaalt_welke_vragen_er_komen(client, db_session):
    e = _met_voorwaarde()
    actief, cijfer, wat = e.vragen

    _post(client, e, {"pagina": "1", "actie": "volgende", f"v{actief.id}": "0"})
    html = client.get(f"/enquetes/{e.id}?pagina=2").get_data(as_text=True)

    assert "Welk cijfer" in html and "Wat doet u?" not in html


def test_antwoord_van_een_verborgen_vraag_valt_weg_bij_versturen(client, db_session):
    e = _met_voorwaarde()
    actief, cijfer, wat = e.vragen
    _post(client, e, {"pagina": "1", "actie": "volgende", f"v{actief.id}": "1"})
    _post(client, e, {"pagina": "2", "actie": "volgende", f"v{wat.id}": "Voetbaltrainer"})
    _post(client, e, {"pagina": "1", "actie": "volgende", f"v{actief.id}": "0"})
    _post(client, e, {"pagina": "2", "actie": "volgende", f"v{cijfer.id}": "7"})

    _post(client, e, {"actie": "versturen"})

    assert db_session.scalar(select(func.count()).where(Antwoord.vraag_id == wat.id)) == 0


def test_met_een_code_uit_de_brief_komt_de_buurt_uit_de_code(client, db_session):
    from participatie.gebieden.models import Buurt

    e = enquete(met_code=True)
    [code] = maak_codes(e, 1, buurt=db_session.get(Buurt, DE_NOORK), door=None)
    db_session.commit()
    schaal = e.vragen[0]

    anders = "X" if code[-1] != "X" else "W"  # a wrong check symbol, never the right one
    fout = _post(client, e, {"actie": "code", "enquetecode": code[:-1] + anders})
    assert fout.status_code == 422
    assert "tikfout" in fout.get_data(as_text=True) or "kennen wij niet" in fout.get_data(
        as_text=True)
    assert _post(client, e, {"actie": "code", "enquetecode": code.lower()}).status_code == 303
    _post(client, e, {"pagina": "1", "actie": "volgende", f"v{schaal.id}": "4"})
    _post(client, e, {"pagina": "2", "actie": "volgende"})
    _post(client, e, {"actie": "versturen"})
    r = db_session.scalar(select(Respons).where(Respons.enquete_id == e.id))
    assert r.verzonden_op is not None and r.buurt_code == DE_NOORK

    client.delete_cookie("enquete_browser", path="/enquetes")  # another phone, same letter
    antwoord = _post(client, e, {"actie": "code", "enquetecode": code})
    assert antwoord.status_code == 422
    assert "al ingevuld" in antwoord.get_data(as_text=True)


def test_lijst_toont_open_enquetes_per_wijk(client, db_session):
    open_ = enquete(titel="Groen in Noord")
    enquete(titel="Nog een concept", status="concept")
    db_session.commit()

    html = client.get("/enquetes?wijk=WK016402").get_data(as_text=True)
    binnenstad = client.get("/enquetes?wijk=WK016400").get_data(as_text=True)

    assert "Groen in Noord" in html and "Nog een concept" not in html
    assert "Groen in Noord" not in binnenstad
    assert client.get(f"/enquetes/{open_.id}").status_code == 200
    assert re.search(r"Wat bewaren wij", html) is None  # the statement is on the survey
    assert "Wat bewaren wij?" in client.get(f"/enquetes/{open_.id}").get_data(as_text=True)


def test_bewaartermijn_vergeet_e_mail_en_concepten_van_oude_enquetes(db_session):
    from datetime import timedelta

    from participatie.enquetes import invullen
    from participatie.retention import pas_bewaartermijnen_toe
    from tests.factories import respons, vandaag

    oud, nieuw = enquete(titel="Oud"), enquete(titel="Nieuw")
    verstuurd = respons(oud, {0: 3, 2: "Meer licht"}, email="oud@example.nl")
    concept = invullen.begin(oud, invullen.browser_hash("x" * 40))
    recent = respons(nieuw, {0: 3}, email="nieuw@example.nl")
    oud.open_vanaf = oud.sluit_op = vandaag() - timedelta(days=400)
    db_session.flush()
    concept_id = concept.id

    resultaat = pas_bewaartermijnen_toe()

    assert (resultaat.enquete_mails, resultaat.enquete_concepten) == (1, 1)
    assert db_session.get(Respons, verstuurd.id).email is None
    assert db_session.get(Respons, concept_id) is None
    assert db_session.get(Respons, recent.id).email == "nieuw@example.nl"
