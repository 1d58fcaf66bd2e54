"""The leefbaarheidsvragen on the wijk's agenda and how far they are."""

from __future__ import annotations

from collections import Counter

from participatie.tijd import lokale_datum
from participatie.wijkagenda.models import VraagStatus
from participatie.wijkagenda.services import agenda
from participatie.wijkbeeld.context import Context
from participatie.wijkbeeld.tabel import Kolom, Sectie, Tabel


def sectie(ctx: Context) -> Sectie:
    regels = agenda(ctx.gebied.wijk_code)
    tabel = Tabel("leefbaarheidsvragen", "Leefbaarheidsvragen op de wijkagenda", [
        Kolom("Onderwerp", "tekst"), Kolom("Thema", "tekst"), Kolom("Status", "tekst"),
        Kolom("Wie pakt het op", "tekst"), Kolom("Meldingen"), Kolom("Steunbetuigingen"),
        Kolom("Op de agenda sinds", "tekst"), Kolom("Laatst gewijzigd", "tekst")])
    for r in regels:
        v = r.vraag
        # A name only, never an e-mail address: wijkraadleden read this too.
        eigenaar = (v.eigenaar.naam or "Medewerker van de gemeente") if v.eigenaar else None
        tabel.rijen.append([v.titel, v.thema_enum.label, v.status_enum.label, eigenaar,
                            r.aantal_meldingen,
                            r.aantal_steun, lokale_datum(v.created_at),
                            lokale_datum(v.updated_at)])
    stand = Counter(r.vraag.status_enum for r in regels)
    samen = ", ".join(f"{stand[s]} {s.label.lower()}" for s in VraagStatus if stand[s])
    wijk = "de wijk" if ctx.gebied.is_buurt else f"wijk {ctx.gebied.naam}"
    uitleg = [f"{len(regels)} onderwerpen op de agenda van {wijk}"
              + (f": {samen}." if samen else "."),
              "Leefbaarheidsvragen horen bij de hele wijk, ook als u één buurt bekijkt."
              if ctx.gebied.is_buurt else
              "Een leefbaarheidsvraag is een probleem dat steeds terugkomt. De gemeente zet het "
              "op de wijkagenda, zoekt uit wat helpt en houdt de wijkraad op de hoogte."]
    return Sectie("agenda", "Leefbaarheidsvragen", uitleg=uitleg, tabellen=[tabel])

