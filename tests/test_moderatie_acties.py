"""Inbox scoping per role, merging, bulk actions, reopen requests, deadlines and paging."""

from __future__ import annotations

from datetime import date

from participatie.meldingen.models import Contact, Gebeurtenis, Melding
from participatie.meldingen.termijnen import plus_werkdagen
from participatie.meldingen.workflow import Status
from participatie.moderatie import inbox, lijst
from tests.factories import BINNENSTAD, csrf_token, gebruiker, login, melding


def _sleutels(ids) -> list[str]:
    """Inbox checkboxes name their item with its kind: "melding:12"."""
    return [f"melding:{i}" for i in ids]


def _post(client, url, data, **kwargs):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/beheer/")},
                       **kwargs)


def test_partner_ziet_alleen_wat_aan_hem_is_toegewezen(client, db_session):
    partner = gebruiker("partner", organisatie="Gildebor")
    eigen = melding(slug="afvaldump")  # afvaldump gaat naar Gildebor
    ander = melding(slug="lantaarnpaal-kapot", omschrijving="Lamp kapot")
    login(client, partner)
    html = client.get("/beheer/").get_data(as_text=True)
    assert eigen.nummer in html and ander.nummer not in html
    assert client.get(f"/beheer/meldingen/{ander.id}").status_code == 404
    detail = client.get(f"/beheer/meldingen/{eigen.id}").get_data(as_text=True)
    assert "Toewijzen</button>" not in detail
    response = _post(client, f"/beheer/meldingen/{eigen.id}/status",
                     {"status": "ingepland", "bericht": "Staat voor dinsdag gepland."})
    assert response.status_code == 302 and eigen.status == Status.INGEPLAND
    response = _post(client, f"/beheer/meldingen/{eigen.id}/status",
                     {"status": "geannuleerd", "bericht": "Weg ermee."})
    assert response.status_code == 422 and eigen.status == Status.INGEPLAND
    response = _post(client, f"/beheer/meldingen/{eigen.id}/toewijzen", {"organisatie": "1"})
    assert response.status_code == 403


def test_partner_ziet_geen_contactgegevens(client, db_session):
    partner = gebruiker("partner", organisatie="Gildebor")
    m = melding(email="geheim@example.nl")
    login(client, partner)
    assert "geheim@example.nl" not in client.get(f"/beheer/meldingen/{m.id}").get_data(
        as_text=True)


def test_wijkraadlid_leest_maar_wijzigt_niets(client, db_session):
    lid = gebruiker("wijkraadlid")
    m = melding(email="bewoner@example.nl")
    login(client, lid)
    html = client.get(f"/beheer/meldingen/{m.id}").get_data(as_text=True)
    assert "Vuilniszakken naast de container" in html
    assert "Status opslaan" not in html and "bewoner@example.nl" not in html
    for actie in ("status", "bericht", "toewijzen", "samenvoegen", "heropen-verzoek"):
        response = _post(client, f"/beheer/meldingen/{m.id}/{actie}",
                         {"status": "in_behandeling", "tekst": "x", "organisatie": "1"})
        assert response.status_code == 403, actie
    assert m.status == Status.GEMELD and len(m.gebeurtenissen) == 1


def test_dubbele_melding_samenvoegen_laat_melders_het_origineel_volgen(
        client, db_session, mailbox):
    regisseur = gebruiker("stadsdeelregisseur")
    origineel = melding(email="eerste@example.nl")
    dubbel = melding(email="tweede@example.nl")
    login(client, regisseur)
    response = _post(client, f"/beheer/meldingen/{dubbel.id}/samenvoegen",
                     {"origineel": origineel.nummer, "bericht": ""})
    assert response.status_code == 302
    assert dubbel.status == Status.SAMENGEVOEGD and dubbel.samengevoegd_met_id == origineel.id
    assert "tweede@example.nl" in {c.email for c in origineel.contacten}
    [mail] = mailbox.to("tweede@example.nl")
    # The second melder keeps their own secret link; the first melder's is never sent on.
    assert f"/meldingen/{dubbel.token}" in mailbox.body(mail)
    assert origineel.token not in mailbox.body(mail)
    assert f"samen behandeld met {origineel.nummer}" in mailbox.body(mail)
    from participatie.audit import regels_voor

    assert [r.actie for r in regels_voor("melding", dubbel.id)] == ["melding.samenvoegen"]
    assert [r.actie for r in regels_voor("melding", origineel.id)] == ["melding.samengevoegd_in"]
    # The original's history says it was a merge, not that a resident supported it.
    [samen] = [g for g in origineel.gebeurtenissen if g.soort != Gebeurtenis.STATUS]
    assert (samen.soort, samen.tekst) == ("samenvoeging",
                                          f"{dubbel.nummer} is hiermee samengevoegd.")
    html = client.get(f"/beheer/meldingen/{origineel.id}").get_data(as_text=True)
    assert "<strong>Samengevoegd</strong>" in html
    mailbox.clear()
    # Later news about the original reaches them as a supporter of it.
    response = _post(client, f"/beheer/meldingen/{origineel.id}/status",
                     {"status": "in_behandeling", "bericht": "We gaan kijken.", "publiek": "y"})
    assert response.status_code == 302
    [later] = mailbox.to("tweede@example.nl")
    assert origineel.token not in mailbox.body(later)
    assert "We gaan kijken." in mailbox.body(later)


def test_samenvoegen_weigert_zichzelf_gesloten_en_andere_wijk(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    dubbel = melding()
    gesloten = melding(status=Status.AFGEHANDELD)
    stad = melding(plek=BINNENSTAD)
    login(client, regisseur)
    for doel, tekst in ((dubbel, "niet met zichzelf"), (gesloten, "al afgehandeld"),
                        (stad, "buiten uw wijken"), (None, "bestaat niet")):
        nummer = doel.nummer if doel else "M-999999999"
        response = _post(client, f"/beheer/meldingen/{dubbel.id}/samenvoegen",
                         {"origineel": nummer})
        assert response.status_code == 422
        assert tekst in response.get_data(as_text=True)
    assert dubbel.status == Status.GEMELD


def test_bulk_is_alles_of_niets(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    goed = [melding(), melding()]
    fout = melding(status=Status.AFGEHANDELD)
    login(client, regisseur)
    ids = [m.id for m in (*goed, fout)]
    response = _post(client, "/beheer/bulk",
                     {"ids": _sleutels(ids), "actie": "melding:status",
                      "melding-status": "ingepland", "melding-bericht": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er is niets gewijzigd: 1 van de gekozen meldingen kan dit niet." in html
    assert f"{fout.nummer}</strong>: Van &#39;Afgehandeld&#39; naar &#39;Ingepland&#39;" in html
    assert all(m.status == Status.GEMELD for m in goed)
    response = _post(client, "/beheer/bulk",
                     {"ids": _sleutels(m.id for m in goed), "actie": "melding:status",
                      "melding-status": "ingepland"})
    assert response.status_code == 302
    assert all(m.status == Status.INGEPLAND for m in goed)


def test_bulk_toewijzen_aan_partner_met_doorzetten(client, db_session):
    from participatie.accounts.services import organisatie_by_naam

    regisseur = gebruiker("stadsdeelregisseur")
    meldingen = [melding(), melding()]
    welbions = organisatie_by_naam("Welbions")
    login(client, regisseur)
    response = _post(client, "/beheer/bulk", {"ids": _sleutels(m.id for m in meldingen),
                                              "actie": "melding:toewijzen",
                                              "melding-doorzetten": "y",
                                              "melding-organisatie": str(welbions.id)})
    assert response.status_code == 302
    assert all(m.organisatie_id == welbions.id and m.status == Status.DOORGEZET
               for m in meldingen)


def test_heropen_verzoek_staat_bovenaan_en_kan_worden_afgewezen(client, db_session, mailbox):
    regisseur = gebruiker("stadsdeelregisseur")
    nieuw = melding(omschrijving="Nieuwste melding")
    verzoek = melding(status=Status.AFGEHANDELD, email="boos@example.nl", dagen_geleden=30)
    verzoek.heropen_verzoek = True
    verzoek.gebeurtenissen.append(Gebeurtenis(soort=Gebeurtenis.TERUGKOPPELING,
                                              tekst="Het ligt er nog steeds."))
    db_session.flush()
    login(client, regisseur)
    html = client.get("/beheer/?status=alle").get_data(as_text=True)
    assert html.index(verzoek.nummer) < html.index(nieuw.nummer)
    assert "Melder: niet opgelost" in html
    response = _post(client, f"/beheer/meldingen/{verzoek.id}/heropen-verzoek",
                     {"keuze": "afwijzen", "bericht": "De container is leeggehaald."})
    assert response.status_code == 302
    assert verzoek.heropen_verzoek is False and verzoek.status == Status.AFGEHANDELD
    assert "De container is leeggehaald." in mailbox.body(mailbox.to("boos@example.nl")[0])


def test_heropen_verzoek_heropenen(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    m = melding(status=Status.AFGEHANDELD)
    m.heropen_verzoek = True
    db_session.flush()
    login(client, regisseur)
    response = _post(client, f"/beheer/meldingen/{m.id}/heropen-verzoek",
                     {"keuze": "heropenen", "bericht": "We kijken opnieuw."})
    assert response.status_code == 302
    assert m.status == Status.HEROPEND and m.heropen_verzoek is False


def test_vraag_aan_de_melder_gaat_alleen_naar_de_melder(client, db_session, mailbox):
    regisseur = gebruiker("stadsdeelregisseur")
    m = melding(email="melder@example.nl")
    m.contacten.append(Contact(soort=Contact.STEUN, email="steun@example.nl"))
    db_session.flush()
    login(client, regisseur)
    response = _post(client, f"/beheer/meldingen/{m.id}/status",
                     {"status": "reactie_gevraagd", "bericht": "Welke kleur heeft de zak?"})
    assert response.status_code == 302
    [vraag] = [g for g in m.gebeurtenissen if g.soort == Gebeurtenis.VRAAG]
    assert vraag.publiek and vraag.tekst == "Welke kleur heeft de zak?"
    assert "Welke kleur heeft de zak?" in mailbox.body(mailbox.to("melder@example.nl")[0])
    assert mailbox.to("steun@example.nl") == []


def test_termijn_over_kerst_en_filter_over_de_termijn(db_session):
    """3 werkdagen vanaf woensdag 23 december 2026: Kerst telt niet, dus dinsdag 29 december."""
    deadline = plus_werkdagen(date(2026, 12, 23), 3)
    assert deadline == date(2026, 12, 29)
    regisseur = gebruiker("stadsdeelregisseur")
    m = melding()
    m.deadline = deadline
    db_session.flush()
    f = inbox.Filter(extra={"te_laat": True})
    op_tijd = lijst.pagina(regisseur, f, dag=date(2026, 12, 29)).rijen
    te_laat = lijst.pagina(regisseur, f, dag=date(2026, 12, 30)).rijen
    assert m.id not in [r.id for r in op_tijd]
    assert m.id in [r.id for r in te_laat] and "Over de termijn" in te_laat[0].signalen


def test_keyset_bladeren_heen_en_terug(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    meldingen = [melding(dagen_geleden=i % 3) for i in range(7)]
    f = inbox.Filter(sortering="nieuwste")
    verwacht = [m.id for m in sorted(meldingen, key=lambda m: (m.created_at, m.id),
                                     reverse=True)]
    eerste = lijst.pagina(regisseur, f, limit=3)
    tweede = lijst.pagina(regisseur, f, na=eerste.na, limit=3)
    derde = lijst.pagina(regisseur, f, na=tweede.na, limit=3)
    gezien = [r.id for p in (eerste, tweede, derde) for r in p.rijen]
    assert gezien == verwacht and derde.na is None
    terug = lijst.pagina(regisseur, f, voor=derde.voor, limit=3)
    assert [r.id for r in terug.rijen] == [r.id for r in tweede.rijen]
    login(client, regisseur)
    html = client.get(f"/beheer/?sortering=nieuwste&na={eerste.na}").get_data(as_text=True)
    assert "‹ Vorige" in html and "Volgende ›" not in html


def test_filters_en_tellingen(client, db_session):
    regisseur = gebruiker("stadsdeelregisseur")
    raak = melding(omschrijving="Bank met graffiti", status=Status.INGEPLAND)
    melding(slug="lantaarnpaal-kapot", omschrijving="Lamp")
    login(client, regisseur)
    html = client.get("/beheer/?zoek=graffiti").get_data(as_text=True)
    assert raak.nummer in html and "Lamp" not in html
    assert "Ingepland 1" in html
    html = client.get(f"/beheer/?zoek={raak.nummer}").get_data(as_text=True)
    assert raak.nummer in html
    tellingen = lijst.tellingen(regisseur, inbox.Filter())["melding"]
    assert tellingen["ingepland"] >= 1 and tellingen["gemeld"] >= 1
    assert "afgehandeld" not in tellingen
    assert client.get("/beheer/?na=onzin&categorie=x&status=bestaat-niet").status_code == 200


def test_foto_goedkeuren_en_verbergen(client, db_session):
    from participatie.meldingen.models import Foto

    regisseur = gebruiker("stadsdeelregisseur")
    m = melding()
    foto = Foto(bestand="x" * 20 + ".jpg", thumbnail="y" * 20 + ".jpg", breedte=10, hoogte=10)
    m.fotos.append(foto)
    db_session.flush()
    login(client, regisseur)
    assert _post(client, f"/beheer/meldingen/{m.id}/fotos/{foto.id}",
                 {"actie": "publiek"}).status_code == 302
    assert foto.publiek and not foto.verborgen
    assert _post(client, f"/beheer/meldingen/{m.id}/fotos/{foto.id}",
                 {"actie": "verbergen"}).status_code == 302
    assert foto.verborgen and not foto.publiek
    assert db_session.get(Melding, m.id).fotos[0].verborgen
