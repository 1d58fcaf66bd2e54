"""The wijkbeeld page and its CSV downloads, for staff and the wijkraad of the wijk."""

from __future__ import annotations

import re

from flask import Response, abort, render_template, request
from flask_login import current_user

from participatie.accounts.permissions import ingelogde_gebruiker, staff_route
from participatie.gebieden.services import wijken
from participatie.wijkbeeld import beeld, bp
from participatie.wijkbeeld.perioden import Gebied, gebied_van
from participatie.wijkbeeld.permissions import WIJKBEELD_ROLLEN, mag_wijkbeeld_zien

TABELNAAM = re.compile(r"^[a-z-]{1,60}$")


@bp.app_template_global("wijkbeeld_mag_zien")
def _mag_zien_in_template(wijk_code: str) -> bool:
    return mag_wijkbeeld_zien(current_user, wijk_code)


@bp.app_template_global("wijkbeeld_wijken")
def _wijken_in_template() -> list[tuple[str, str]]:
    """(code, short name) of every wijk whose wijkbeeld this user may read."""
    user = ingelogde_gebruiker()
    return [(w.code, w.korte_naam) for w in wijken() if mag_wijkbeeld_zien(user, w.code)]


def _gebied(wijkcode: str) -> Gebied:
    """The wijk (or its buurt from ?buurt=) this user may see: 404 unknown, 403 not theirs."""
    code = wijkcode.strip().upper()[:8]
    wijk = gebied_van(code)
    if wijk is None:
        abort(404)
    if not mag_wijkbeeld_zien(ingelogde_gebruiker(), wijk.code):
        abort(403)
    buurt = request.args.get("buurt", "").strip().upper()[:10]
    if not buurt:
        return wijk
    gebied = gebied_van(wijk.code, buurt)
    if gebied is None:
        abort(404)
    return gebied


@bp.get("/wijken/<wijkcode>/wijkbeeld")
@staff_route(*WIJKBEELD_ROLLEN)
def pagina(wijkcode: str):
    gebied = _gebied(wijkcode)
    wijkbeeld = beeld.maak(gebied)
    wijk = next(w for w in wijken() if w.code == gebied.wijk_code)
    return render_template("wijkbeeld/pagina.html", wijkbeeld=wijkbeeld, gebied=gebied,
                           ctx=wijkbeeld.context,
                           buurt_keuzes=[(b.code, b.naam) for b in wijk.buurten])


@bp.get("/wijken/<wijkcode>/wijkbeeld/<tabel>.csv")
@staff_route(*WIJKBEELD_ROLLEN)
def csv(wijkcode: str, tabel: str):
    gebied = _gebied(wijkcode)
    if not TABELNAAM.match(tabel):
        abort(404)
    gevonden = beeld.maak(gebied).tabellen.get(tabel)
    if gevonden is None:
        abort(404)
    naam = f"wijkbeeld-{gebied.code.lower()}-{tabel}.csv"
    # A BOM, so that Excel reads the accents as UTF-8.
    return Response("\ufeff" + gevonden.als_csv(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{naam}"'})
