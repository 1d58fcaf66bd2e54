"""The weekly overview for wijkraadleden: what changed on their wijk's agenda and results
since the last one, queued in the outbox (participatie.mail) in the same transaction that
records how far it reported.

What changed is read from where it is kept: new leefbaarheidsvragen from the agenda itself;
status and other changes of a vraag, a round reaching its uitslag, a survey closing or its
summary being published from the audit log, where every such change is written with its
before and after; the gemeente's answers from the wijkraad's own table.

`flask --app wsgi wijkraad digest` runs it from cron. Per person it runs once per
calendar week (Europe/Amsterdam): a second run in the same week sends nothing, and nothing
is lost, because the next week's overview starts where this one stopped. A person for
whom nothing changed gets no e-mail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import selectinload

from participatie import mail
from participatie.accounts.models import Rol, User
from participatie.audit import AuditRegel, log_many
from participatie.buurtbudget.workflow import Fase
from participatie.enquetes.workflow import EnqueteStatus
from participatie.extensions import db
from participatie.gebieden.models import Wijk
from participatie.tijd import TIJDZONE
from participatie.web import absolute_url
from participatie.wijkagenda.models import Leefbaarheidsvraag, Thema, VraagStatus
from participatie.wijkraad import onderwerpen
from participatie.wijkraad.models import (
    MARGE,
    OnderwerpSoort,
    Overzichtmail,
    Reactie,
    ReactieAntwoord,
    nieuw_token,
)

EERSTE_KEER = timedelta(days=7)  # a first overview covers the week before it
# The audit lines that say something changed on an agenda or a result.
ACTIES = ("wijkagenda.vraag_gewijzigd", "budgetronde.fase", "enquete.status",
          "enquete.samenvatting")
VELDEN = {"titel": "titel", "omschrijving": "omschrijving", "thema": "thema",
          "eigenaar": "eigenaar"}


@dataclass
class Wijziging:
    """One line of the overview."""

    deel: str  # "agenda", "antwoord" or "uitslag": the heading it goes under
    moment: datetime
    tekst: str
    link: str
    detail: str = ""


@dataclass
class Resultaat:
    verstuurd: int = 0
    niets_nieuw: int = 0
    al_deze_week: int = 0
    wijken: set[str] = field(default_factory=set)


def week_van(moment: datetime) -> tuple[int, int]:
    """(year, week) of the ISO calendar week the moment falls in, in Dutch local time."""
    jaar, week, _ = moment.astimezone(TIJDZONE).isocalendar()
    return jaar, week


# --- What changed in one wijk ---------------------------------------------------------------


def _nieuwe_vragen(vragen: list[Leefbaarheidsvraag]) -> list[Wijziging]:
    return [Wijziging("agenda", v.created_at,
                      f"Nieuw op de wijkagenda: ‘{v.titel}’ ({v.thema_enum.label}, "
                      f"{v.status_enum.label.lower()}).",
                      onderwerpen.van(v).link()) for v in vragen]


def _audit(van: datetime, tot: datetime) -> list[AuditRegel]:
    return list(db.session.scalars(select(AuditRegel).where(
        AuditRegel.created_at > van, AuditRegel.created_at <= tot,
        AuditRegel.actie.in_(ACTIES)).order_by(AuditRegel.id)))


def _vraag_wijzigingen(regels: list[AuditRegel], wijk_code: str,
                       nieuw: set[int]) -> list[Wijziging]:
    """Per vraag the changes of the window taken together: from the first 'before' to the
    last 'after'. A vraag that is new in the window is reported as new only."""
    eerst: dict[int, AuditRegel] = {}
    laatst: dict[int, AuditRegel] = {}
    for r in regels:
        if r.actie == "wijkagenda.vraag_gewijzigd" and r.object_id.isdigit():
            eerst.setdefault(int(r.object_id), r)
            laatst[int(r.object_id)] = r
    ids = [i for i in eerst if i not in nieuw]
    if not ids:
        return []
    vragen = {v.id: v for v in db.session.scalars(select(Leefbaarheidsvraag).where(
        Leefbaarheidsvraag.id.in_(ids), Leefbaarheidsvraag.wijk_code == wijk_code))}
    uit = []
    for ident in ids:
        vraag = vragen.get(ident)
        voor, na = eerst[ident].voor or {}, laatst[ident].na or {}
        if vraag is None or voor == na:
            continue
        link = onderwerpen.van(vraag).link()
        if voor.get("status") != na.get("status"):
            tekst = (f"‘{vraag.titel}’: de status is nu {_status(na.get('status'))} "
                     f"(was {_status(voor.get('status'))}).")
        else:
            wat = [naam for sleutel, naam in VELDEN.items() if voor.get(sleutel) != na.get(sleutel)]
            tekst = f"‘{vraag.titel}’ is gewijzigd: {', '.join(wat) or 'bronnen'}."
            if "thema" in wat:
                tekst = tekst[:-1] + f" (nu {Thema(vraag.thema).label})."
        uit.append(Wijziging("agenda", laatst[ident].created_at, tekst, link))
    return uit


def _status(waarde) -> str:
    try:
        return VraagStatus(waarde).label.lower()
    except ValueError:
        return str(waarde)


def _uitslagen(regels: list[AuditRegel], wijk_code: str) -> list[Wijziging]:
    """Rounds that reached their uitslag, surveys that closed or whose summary was published."""
    per_soort: dict[str, dict[int, AuditRegel]] = defaultdict(dict)
    for r in regels:
        na, voor = r.na or {}, r.voor or {}
        if not r.object_id.isdigit():
            continue
        if r.actie == "budgetronde.fase" and na.get("fase") == Fase.UITSLAG.value:
            per_soort["uitslag"][int(r.object_id)] = r
        elif r.actie == "enquete.status" and na.get("status") == EnqueteStatus.GESLOTEN.value:
            per_soort["gesloten"][int(r.object_id)] = r
        elif r.actie == "enquete.samenvatting" and na.get("openbaar") and not voor.get(
                "openbaar"):
            per_soort["samenvatting"][int(r.object_id)] = r
    gevonden = onderwerpen.laad_veel(
        [(OnderwerpSoort.BUDGETRONDE.value, i) for i in per_soort["uitslag"]]
        + [(OnderwerpSoort.ENQUETE.value, i) for soort in ("gesloten", "samenvatting")
           for i in per_soort[soort]])
    uit = []
    for soort, regels_per_id in per_soort.items():
        onderwerp_soort = OnderwerpSoort.BUDGETRONDE if soort == "uitslag" else \
            OnderwerpSoort.ENQUETE
        for ident, regel in regels_per_id.items():
            o = gevonden.get((onderwerp_soort.value, ident))
            if o is None or o.wijk_code != wijk_code:
                continue
            tekst = {
                "uitslag": f"De uitslag van ‘{o.titel}’ is bekend.",
                "gesloten": f"De enquête ‘{o.titel}’ is gesloten. De uitkomsten staan klaar.",
                "samenvatting": f"De samenvatting van de enquête ‘{o.titel}’ staat nu op de "
                                "pagina van de wijk.",
            }[soort]
            uit.append(Wijziging("uitslag", regel.created_at, tekst, o.link()))
    return uit


def _antwoorden(wijk_code: str, van: datetime, tot: datetime) -> list[Wijziging]:
    antwoorden = list(db.session.scalars(
        select(ReactieAntwoord).join(Reactie).where(
            Reactie.wijk_code == wijk_code, ReactieAntwoord.created_at > van,
            ReactieAntwoord.created_at <= tot)
        .order_by(ReactieAntwoord.id)
        .options(selectinload(ReactieAntwoord.reactie).selectinload(Reactie.auteur))))
    gevonden = onderwerpen.laad_veel(a.reactie.onderwerp_sleutel for a in antwoorden)
    uit = []
    for a in antwoorden:
        o = gevonden.get(a.reactie.onderwerp_sleutel)
        if o is None:
            continue
        r = a.reactie
        uit.append(Wijziging(
            "antwoord", a.created_at,
            f"De gemeente antwoordde op {r.soort_enum.met_lidwoord} van {r.auteur_naam} over "
            f"{o.beschrijving}:", o.link() + f"#reactie-{r.id}", a.tekst))
    return uit


def wijzigingen(wijk_code: str, van: datetime, tot: datetime) -> list[Wijziging]:
    """Everything the overview reports for one wijk in (van, tot], oldest first."""
    nieuw = list(db.session.scalars(select(Leefbaarheidsvraag).where(
        Leefbaarheidsvraag.wijk_code == wijk_code, Leefbaarheidsvraag.created_at > van,
        Leefbaarheidsvraag.created_at <= tot).order_by(Leefbaarheidsvraag.id)))
    regels = _audit(van, tot)
    alles = (_nieuwe_vragen(nieuw) + _vraag_wijzigingen(regels, wijk_code, {v.id for v in nieuw})
             + _antwoorden(wijk_code, van, tot) + _uitslagen(regels, wijk_code))
    return sorted(alles, key=lambda w: w.moment)


# --- Sending ---------------------------------------------------------------------------------


def verstuur(nu: datetime | None = None) -> Resultaat:
    """Queue this week's overview for every wijkraadlid who wants one and has not had this
    week's yet, with what changed in their wijken since their last one (flushes; the caller
    commits, so the mail and how far it reported are stored together)."""
    nu = nu or datetime.now(UTC)
    tot = nu - MARGE
    _maak_ontbrekende_instellingen()
    instellingen = db.session.scalars(
        select(Overzichtmail).join(User)
        .where(User.rol == Rol.WIJKRAADLID.value, User.actief, Overzichtmail.ontvangen)
        .order_by(Overzichtmail.user_id)
        .with_for_update(of=Overzichtmail, skip_locked=True)
        .options(selectinload(Overzichtmail.user).selectinload(User.wijken))).all()
    resultaat = Resultaat()
    berichten, logregels = [], []
    bekend: dict[tuple[str, datetime], list[Wijziging]] = {}
    for instelling in instellingen:
        # verwerkt_tot is MARGE before the run that set it: that run's week is the week of both.
        if instelling.verwerkt_tot and week_van(instelling.verwerkt_tot + MARGE) == week_van(nu):
            resultaat.al_deze_week += 1
            continue
        van = instelling.verwerkt_tot or nu - EERSTE_KEER - MARGE
        per_wijk: list[tuple[Wijk, list[Wijziging]]] = []
        for wijk in instelling.user.wijken:
            if (wijk.code, van) not in bekend:
                bekend[(wijk.code, van)] = wijzigingen(wijk.code, van, tot)
            if bekend[(wijk.code, van)]:
                per_wijk.append((wijk, bekend[(wijk.code, van)]))
        instelling.verwerkt_tot = tot
        if not per_wijk:
            resultaat.niets_nieuw += 1
            continue
        instelling.laatst_verstuurd = nu
        berichten.append(_bericht(instelling, per_wijk, van, tot))
        logregels.append((instelling.user_id, None, {
            "wijken": [w.code for w, _ in per_wijk],
            "regels": sum(len(r) for _, r in per_wijk), "van": van.isoformat()}))
        resultaat.verstuurd += 1
        resultaat.wijken.update(w.code for w, _ in per_wijk)
    db.session.flush()
    mail.queue_many(berichten)
    log_many("wijkraad.weekoverzicht", door=None, object_type="app_user", regels=logregels)
    return resultaat


def _maak_ontbrekende_instellingen() -> None:
    """Every active wijkraadlid without a setting gets one: wanted, nothing reported yet."""
    zonder = db.session.scalars(select(User.id).where(
        User.rol == Rol.WIJKRAADLID.value, User.actief,
        ~select(Overzichtmail.user_id).where(Overzichtmail.user_id == User.id).exists())).all()
    if zonder:
        db.session.execute(insert(Overzichtmail).values([
            {"user_id": ident, "ontvangen": True, "afmeld_token": nieuw_token()}
            for ident in zonder]).on_conflict_do_nothing(index_elements=["user_id"]))


def _bericht(instelling: Overzichtmail, per_wijk: list[tuple[Wijk, list[Wijziging]]],
             van: datetime, tot: datetime) -> tuple[str, str, str]:
    namen = " en ".join(w.korte_naam for w, _ in per_wijk)
    onderwerp = f"Weekoverzicht wijkraad {namen}"
    tekst = render_template(
        "wijkraad/mail/weekoverzicht.txt", user=instelling.user, per_wijk=per_wijk,
        van=van, tot=tot, gemeente_naam=current_app.config["GEMEENTE_NAAM"],
        afmelden=absolute_url("wijkraad.afmelden", token=instelling.afmeld_token),
        instellingen=absolute_url("wijkraad.overzicht") + "#overzichtmail")
    return instelling.user.email, onderwerp, tekst
