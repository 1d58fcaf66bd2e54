"""Small functions that build test data in the current (rolled-back) session."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from participatie import tijd
from participatie.extensions import db
from participatie.gebieden.services import buurt_voor_punt
from participatie.meldingen.models import Categorie, Melding
from participatie.meldingen.services import maak_melding
from participatie.meldingen.workflow import Status, kolommen_na

# Points well inside real Hengelo buurten (checked against the CBS polygons in the tests).
DE_NOORK = (52.2700, 6.8138)
BINNENSTAD = (52.2655, 6.7930)
BUITEN_HENGELO = (52.3702, 4.8952)  # Amsterdam, Dam


def categorie(slug: str = "afvaldump") -> Categorie:
    return db.session.scalar(select(Categorie).where(Categorie.slug == slug))


def melding(
    *,
    slug: str = "afvaldump",
    plek: tuple[float, float] = DE_NOORK,
    omschrijving: str = "Vuilniszakken naast de container",
    status: Status = Status.GEMELD,
    email: str | None = None,
    dagen_geleden: int = 0,
    locatie_tekst: str = "",
) -> Melding:
    """A melding made the one way the app makes them (maak_melding), then put in `status`."""
    buurt = buurt_voor_punt(*plek)
    assert buurt is not None, f"{plek} ligt niet in een buurt"
    m = maak_melding(
        categorie=categorie(slug), omschrijving=omschrijving, buurt=buurt, plek=plek,
        locatie_tekst=locatie_tekst, email=email, bron="test",
        op=datetime.now(UTC) - timedelta(days=dagen_geleden), bevestigen=False,
    )
    if status != Status.GEMELD:
        # Tests need any status without walking the workflow to it.
        for kolom, waarde in kolommen_na(status).items():
            setattr(m, kolom, waarde)
        db.session.flush()
    return m


def vandaag() -> date:
    """Today where the app lives (Europe/Amsterdam), not in UTC."""
    return tijd.vandaag()


WACHTWOORD = "een-lang-wachtwoord-voor-tests"


_VOLGNUMMER = itertools.count(1)  # every generated staff e-mail address is new


def gebruiker(rol: str, *, email: str | None = None, wijken: tuple[str, ...] = ("WK016402",),
              organisatie: str | None = None):
    """A staff user with password WACHTWOORD; stadsdeelregisseur/wijkraadlid get wijk Noord."""
    from participatie.accounts.services import create_user, organisatie_by_naam

    email = email or f"{rol}-{next(_VOLGNUMMER)}@hengelo.nl"
    org = organisatie_by_naam(organisatie) if organisatie else None
    needs_wijk = rol in ("stadsdeelregisseur", "wijkraadlid")
    return create_user(email, WACHTWOORD, rol, naam=rol.title(),
                       wijk_codes=list(wijken) if needs_wijk else [], organisatie=org)


def login(client, user, password: str = WACHTWOORD):
    """Log in through the real login form (CSRF is disabled only by WTF_CSRF_ENABLED)."""
    from flask import current_app

    response = client.get("/login")
    token = _csrf_from(response.get_data(as_text=True)) if current_app.config.get(
        "WTF_CSRF_ENABLED", True) else ""
    response = client.post("/login", data={"email": user.email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def _csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "geen csrf_token in de pagina"
    return match.group(1)


def csrf_token(client, url: str) -> str:
    """The CSRF token from a page, to post a form the way a browser would."""
    return _csrf_from(client.get(url).get_data(as_text=True))


def open_geheime_link(client, link: str) -> str:
    """Open a secret link (from an e-mail) in this client, as a browser does: this client's
    session may now see the private page. Returns the clean address it was sent on to."""
    response = client.get(link.removeprefix("http://participatie.test"))
    assert response.status_code == 303, (link, response.status_code)
    return response.headers["Location"]


def jpeg(breedte: int = 640, hoogte: int = 480, *, met_gps: bool = True) -> bytes:
    """A real JPEG photo, by default with EXIF camera and GPS data as a phone writes it."""
    from io import BytesIO

    from PIL import Image

    beeld = Image.new("RGB", (breedte, hoogte), (120, 160, 90))
    exif = Image.Exif()
    if met_gps:
        exif[0x010F] = "Telefoonmerk"  # Make
        exif[0x0110] = "Model X"  # Model
        exif[0x8825] = {1: "N", 2: (52.0, 16.0, 12.0), 3: "E", 4: (6.0, 48.0, 50.0)}
    uit = BytesIO()
    beeld.save(uit, "JPEG", exif=exif)
    return uit.getvalue()


def leefbaarheidsvraag(*meldingen, titel: str = "Steeds afval bij de containers",
                       omschrijving: str = "Elke week liggen er vuilniszakken naast.",
                       thema: str = "schoon", wijk_code: str = "WK016402",
                       status: str = "nieuw"):
    """A leefbaarheidsvraag on the wijkagenda, with the given meldingen as its bronnen."""
    from participatie.wijkagenda.models import Leefbaarheidsvraag, VraagBron

    vraag = Leefbaarheidsvraag(wijk_code=wijk_code, titel=titel, omschrijving=omschrijving,
                               thema=thema, status=status)
    vraag.bronnen = [VraagBron(bron_type="melding", bron_id=m.id) for m in meldingen]
    db.session.add(vraag)
    db.session.flush()
    return vraag


def budgetronde(*, naam: str = "Buurtbudget De Noork", wijk_code: str = "WK016402",
                buurten: tuple[str, ...] = ("BU01640202",), budget: int = 20_000,
                stemwijze: str = "budget", regel: str = "meeste_stemmen",
                max_keuzes: int | None = None, fase: str = "indienen"):
    """A round made the way staff make one (buurtbudget.services.maak_ronde), then put in
    `fase` without walking the phases."""
    from datetime import timedelta

    from participatie.buurtbudget.services import RondeGegevens, maak_ronde
    from participatie.buurtbudget.workflow import Fase, Regel, Stemwijze
    from participatie.gebieden.models import Buurt, Wijk

    dag = vandaag()
    ronde = maak_ronde(RondeGegevens(
        naam=naam, wijk=db.session.get(Wijk, wijk_code),
        buurten=[db.session.get(Buurt, code) for code in buurten], budget=budget,
        stemwijze=Stemwijze(stemwijze), regel=Regel(regel), max_keuzes=max_keuzes,
        data={f: dag + timedelta(weeks=4 * i) for i, f in enumerate(Fase)}), door=None)
    ronde.fase = fase
    db.session.flush()
    return ronde


def idee(ronde=None, *, titel: str = "Bankjes bij de speeltuin",
         omschrijving: str = "Twee bankjes, zodat ouders erbij kunnen zitten.",
         kosten_schatting: int = 2500, plek: tuple[float, float] | None = DE_NOORK,
         email: str | None = None, status: str = "ingediend", locatie_tekst: str = "",
         foto=None, dagen_geleden: int = 0):
    """An idea submitted the one way residents submit one (buurtbudget.ideeen.dien_in), then
    put in `status` without walking the workflow. A round past indienen takes it as if it
    came in while the round was still open."""
    from participatie.buurtbudget.ideeen import IdeeGegevens, dien_in

    ronde = ronde or budgetronde()
    fase, ronde.fase = ronde.fase, "indienen"
    i = dien_in(ronde, IdeeGegevens(
        titel=titel, omschrijving=omschrijving, kosten_schatting=kosten_schatting, plek=plek,
        locatie_tekst=locatie_tekst, email=email, foto=foto),
        op=datetime.now(UTC) - timedelta(days=dagen_geleden), bevestigen=False)
    ronde.fase = fase
    i.status = status
    db.session.flush()
    return i


def enquete(*, titel: str = "Veilig in De Noork", wijk_code: str | None = "WK016402",
            buurten: tuple[str, ...] = (), status: str = "open", met_code: bool = False,
            vragen: list | None = None):
    """A survey made the way staff make one (enquetes.services), with `vragen` as
    VraagGegevens (default: a scale indicator, a multiple choice and an open inbox question),
    then put in `status` without walking the states."""
    from participatie.enquetes.services import (
        EnqueteGegevens,
        VraagGegevens,
        maak_enquete,
        voeg_vraag_toe,
    )
    from participatie.enquetes.workflow import VraagType
    from participatie.gebieden.models import Buurt, Wijk

    e = maak_enquete(EnqueteGegevens(
        titel=titel, wijk=db.session.get(Wijk, wijk_code) if wijk_code else None,
        buurten=[db.session.get(Buurt, b) for b in buurten], open_vanaf=vandaag(),
        sluit_op=vandaag() + timedelta(days=28), met_code=met_code), door=None)
    vragen = vragen if vragen is not None else [
        VraagGegevens(VraagType.SCHAAL, "Hoe veilig voelt u zich in uw buurt?", verplicht=True,
                      indicator="veiligheidsbeleving"),
        VraagGegevens(VraagType.MEER_KEUZES, "Waar ergert u zich aan?", pagina=2,
                      opties=["Afval", "Hard rijden", "Hondenpoep"]),
        VraagGegevens(VraagType.OPEN, "Wat moet beter?", pagina=2, naar_inbox=True),
    ]
    for g in vragen:
        voeg_vraag_toe(e, g, door=None)
    e.status = status
    db.session.flush()
    db.session.refresh(e)
    return e


def respons(e, antwoorden: dict, *, buurt: str | None = "BU01640202",
            email: str | None = None, browser: str | None = None):
    """A sent response made the way residents send one (enquetes.invullen): `antwoorden` maps
    a question's position (0, 1, ...) to its value (option positions as a list for choices)."""
    import secrets

    from participatie.enquetes import invullen

    r = invullen.begin(e, invullen.browser_hash(browser or secrets.token_urlsafe(32)))
    r.buurt_code = buurt
    waarden = {}
    for positie, waarde in antwoorden.items():
        vraag = e.vragen[positie]
        if vraag.type_enum.met_opties:
            waarde = [vraag.opties[i].id for i in waarde]
        waarden[vraag.id] = waarde
    invullen.sla_op(r, list(e.vragen), waarden)
    assert invullen.verstuur(e, r, email) is None
    db.session.flush()
    return r


def noord_met_verhaal() -> dict:
    """Noord with known figures: six meldingen this year (one with a melder's e-mail), two of
    them afgehandeld (one in time, one late; one "opgelost", one not), an old one and one in
    the Binnenstad that do not count; a round in uitvoering with two funded ideas (one
    finished, with a photo) and an idea nobody may see yet; a round open for voting; an open
    survey and two published ones a year apart; the agenda with an open and a finished vraag,
    and a public reaction of the wijkraad with the gemeente's answer (and one kept private)."""
    from flask import current_app

    from participatie import media
    from participatie.buurtbudget import beoordeling
    from participatie.buurtbudget.workflow import UitvoeringStand
    from participatie.enquetes import services as enquetes
    from participatie.meldingen.services.terugkoppeling import geef_terugkoppeling
    from participatie.wijkraad import onderwerpen
    from participatie.wijkraad import services as wijkraad
    from participatie.wijkraad.models import ReactieSoort

    regisseur = gebruiker("stadsdeelregisseur")
    geheim = melding(email="melder@example.nl", omschrijving="Geheime omschrijving van de melder")
    op_tijd = melding(dagen_geleden=1)
    te_laat = melding(dagen_geleden=20)
    for m in (op_tijd, te_laat):
        m.wijzig_status(Status.AFGEHANDELD, door=regisseur, bericht="Opgeruimd.")
    db.session.flush()
    geef_terugkoppeling(op_tijd, opgelost=True)
    geef_terugkoppeling(te_laat, opgelost=False, reden="Er ligt nog steeds afval.")
    melding(slug="lantaarnpaal-kapot")
    melding(slug="lantaarnpaal-kapot", status=Status.GEANNULEERD)
    melding(slug="jongerenoverlast", status=Status.IN_BEHANDELING)
    melding(dagen_geleden=800)
    melding(slug="zwerfvuil", plek=BINNENSTAD)

    ronde = budgetronde(fase="uitvoering")
    bankjes = idee(ronde, titel="Bankjes bij de speeltuin", status="haalbaar")
    moestuin = idee(ronde, titel="Moestuin achter de school", status="haalbaar")
    idee(ronde, titel="Een zwembad in het park", status="niet_haalbaar")
    idee(ronde, titel="Geheim plan van de buurman", status="ingediend",
         email="indiener@example.nl")
    for i in (bankjes, moestuin):
        i.gekozen, i.kosten = True, 5_000
    foto = media.verwerk(jpeg(), current_app.config["MEDIA_DIR"], max_bytes=10**7,
                         max_pixels=10**7)
    beoordeling.voortgang(regisseur, bankjes, UitvoeringStand.KLAAR, 100,
                          "Klaar! De bankjes staan er.", foto)
    stemronde = budgetronde(naam="Buurtbudget Elsbeek", buurten=("BU01640201",),
                            fase="stemmen")

    open_enquete = enquete(titel="Groen en spelen in Noord")
    eerder = enquete(titel="Veiligheid in Noord, eerste meting")
    for cijfer in (2, 2, 3, 3, 3):
        respons(eerder, {0: cijfer})
    eerder.open_vanaf = eerder.sluit_op = vandaag() - timedelta(days=365)
    later = enquete(titel="Veiligheid in Noord, tweede meting")
    for cijfer in (3, 3, 4, 4, 4):
        respons(later, {0: cijfer})
    later.open_vanaf = later.sluit_op = vandaag() - timedelta(days=1)
    for e, samenvatting in ((eerder, "Veel bewoners voelen zich niet veilig."),
                            (later, "Bewoners voelen zich veiliger.")):
        e.status = "gesloten"
        enquetes.zet_samenvatting(e, samenvatting, True, door=regisseur)
    niet_gepubliceerd = enquete(titel="Nog niet besproken uitkomst", status="gesloten")
    for cijfer in (1, 1, 1, 1, 1):
        respons(niet_gepubliceerd, {0: cijfer})

    afval = leefbaarheidsvraag(geheim, op_tijd, titel="Afval bij de containers",
                               omschrijving="Interne uitleg voor de wijkraad")
    leefbaarheidsvraag(te_laat, titel="Donkere plekken op straat", thema="veilig",
                       status="afgerond")
    leefbaarheidsvraag(titel="Een plan dat niet doorging", status="afgewezen")
    lid = gebruiker("wijkraadlid", email="lid.noord@example.nl")
    openbaar = wijkraad.reageer(onderwerpen.van(afval), soort=ReactieSoort.ADVIES,
                                tekst="Zet er een extra container bij.", door=lid)
    wijkraad.beantwoord(openbaar, "We plaatsen in maart een extra container.", door=regisseur)
    wijkraad.zet_openbaar(openbaar, True, door=lid)
    wijkraad.reageer(onderwerpen.van(afval), soort=ReactieSoort.VRAAG,
                     tekst="Een vraag die de wijkraad voor zich houdt.", door=lid)
    db.session.flush()
    return {"geheim": geheim, "bankjes": bankjes, "moestuin": moestuin, "stemronde": stemronde,
            "open_enquete": open_enquete, "eerder": eerder, "later": later}
