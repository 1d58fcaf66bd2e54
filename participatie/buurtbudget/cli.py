"""`flask --app wsgi buurtbudget ...`: commands for operators and for checking results.

RONDE is the round as it appears in its URL (/buurtbudget/<ronde>).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from participatie.buurtbudget import services, stemmen
from participatie.buurtbudget.models import Budgetronde
from participatie.buurtbudget.workflow import Fase
from participatie.extensions import db
from participatie.moderatie.inbox import ActieGeweigerd

buurtbudget_cli = AppGroup("buurtbudget", help="Buurtbudget: rondes, stemcodes, uitslag.")


def ronde_of_fout(slug: str) -> Budgetronde:
    ronde = services.ronde_voor_slug(slug)
    if ronde is None:
        raise click.ClickException(f"Er is geen ronde '{slug}'. Gebruik de naam uit de URL "
                                   "/buurtbudget/<ronde>.")
    return ronde


@buurtbudget_cli.command("fase")
@click.argument("ronde")
@click.argument("fase", type=click.Choice([f.value for f in Fase]))
def fase_command(ronde: str, fase: str) -> None:
    """Move RONDE on to FASE (the same rules as the staff page)."""
    r = ronde_of_fout(ronde)
    try:
        services.wijzig_fase(r, Fase(fase), door=None)
    except ActieGeweigerd as fout:
        db.session.rollback()
        raise click.ClickException(str(fout)) from fout
    db.session.commit()
    click.echo(f"{r.naam} staat nu in de fase '{Fase(fase).label}'.")


@buurtbudget_cli.command("opkomst")
@click.argument("ronde")
def opkomst_command(ronde: str) -> None:
    """Print ballots cast and codes issued, in total and per buurt."""
    r = ronde_of_fout(ronde)
    o = stemmen.opkomst(r)
    procent = f" ({o.procent:.1f}%)" if o.procent is not None else ""
    click.echo(f"{r.naam}: {o.stemmen} stemmen van {o.codes} codes{procent}")
    for buurt, (gestemd, uitgedeeld) in o.per_buurt.items():
        click.echo(f"  {buurt or 'hele gebied':12} {gestemd:6} van {uitgedeeld:6}")


@buurtbudget_cli.command("stemcodes")
@click.argument("ronde")
@click.option("--aantal", type=click.IntRange(1, 100_000), required=True,
              help="Hoeveel codes (één per brief).")
@click.option("--uit", "uitvoer", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Het CSV-bestand voor de brieven (wordt niet overschreven).")
@click.option("--buurt", default=None, help="Buurtcode (BU…) als de codes voor één buurt zijn.")
def stemcodes_command(ronde: str, aantal: int, uitvoer: str, buurt: str | None) -> None:
    """Make codes for RONDE and write them once to a CSV; only their hashes are kept."""
    from pathlib import Path

    from participatie.buurtbudget.stemmen import codes_csv, maak_stemcodes
    from participatie.gebieden.models import Buurt

    r = ronde_of_fout(ronde)
    pad = Path(uitvoer)
    if pad.exists():
        raise click.ClickException(f"{pad} bestaat al; kies een nieuw bestand, zodat geen "
                                   "codes verloren gaan.")
    gebied = None
    if buurt:
        gebied = db.session.get(Buurt, buurt.strip().upper())
        if gebied is None:
            raise click.ClickException(f"Buurt {buurt} bestaat niet.")
    try:
        uit = maak_stemcodes(r, aantal, buurt=gebied, door=None)
    except ActieGeweigerd as fout:
        db.session.rollback()
        raise click.ClickException(str(fout)) from fout
    # Write the file before the commit: a failed write leaves no codes nobody has.
    with pad.open("x", encoding="utf-8", newline="") as bestand:
        bestand.write(codes_csv(r, uit, gebied))
    pad.chmod(0o600)
    db.session.commit()
    click.echo(f"{len(uit)} stemcodes voor {r.naam} geschreven naar {pad}.")


@buurtbudget_cli.command("importeer")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False))
@click.option("--wijk", default=None, help="Wijkcode (WK…) van de ronde.")
@click.option("--buurt", default=None, help="Buurtcode (BU…) als de ronde één buurt was.")
@click.option("--regel", type=click.Choice(["meeste-stemmen", "mes"]), default=None,
              help="De regel voor de uitslag (anders: wat het bestand zegt).")
def importeer_command(bestand: str, wijk: str | None, buurt: str | None,
                      regel: str | None) -> None:
    """Import a finished round from a pabulib file into the uitslag phase."""
    from pathlib import Path

    from participatie.buurtbudget import archief, pabulib
    from participatie.buurtbudget.workflow import Regel
    from participatie.gebieden.models import Buurt, Wijk
    from participatie.web import pad

    gebied = db.session.get(Buurt, buurt.strip().upper()) if buurt else None
    if buurt and gebied is None:
        raise click.ClickException(f"Buurt {buurt} bestaat niet.")
    code = gebied.wijk_code if gebied else (wijk or "").strip().upper()
    w = db.session.get(Wijk, code) if code else None
    if w is None:
        raise click.ClickException("Geef de wijk (--wijk WK…) of de buurt (--buurt BU…).")
    try:
        tekst = Path(bestand).read_text(encoding="utf-8")
        r = archief.importeer(tekst, wijk=w, buurt=gebied, regel={
            "meeste-stemmen": Regel.MEESTE_STEMMEN, "mes": Regel.MES}.get(regel or ""))
    except (pabulib.PabulibFout, UnicodeDecodeError, ActieGeweigerd) as fout:
        db.session.rollback()
        raise click.ClickException(f"{bestand}: {fout}") from fout
    db.session.commit()
    click.echo(f"{r.naam}: {len(r.ideeen)} ideeën, ingelezen in de fase uitslag.")
    click.echo(current_app.config["PUBLIC_URL"] + pad("buurtbudget.uitslag_pagina", ronde=r.slug))
