"""`flask --app wsgi enquetes ...`: codes for letters, opening and closing, and the counts.

ENQUETE is the survey's number, as in its URL (/enquetes/<id>).
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup

from participatie.enquetes import services, tellingen, uitslag
from participatie.enquetes.models import Enquete
from participatie.enquetes.workflow import EnqueteStatus
from participatie.extensions import db
from participatie.gebieden.models import Buurt
from participatie.moderatie.inbox import ActieGeweigerd

enquetes_cli = AppGroup("enquetes", help="Enquêtes: codes, openen en sluiten, tellingen.")


def enquete_of_fout(enquete_id: int) -> Enquete:
    enquete = services.enquete_met_vragen(enquete_id) if 0 < enquete_id < 2**31 else None
    if enquete is None:
        raise click.ClickException(f"Er is geen enquête {enquete_id}.")
    return enquete


@enquetes_cli.command("status")
@click.argument("enquete", type=int)
@click.argument("status", type=click.Choice([EnqueteStatus.OPEN.value,
                                             EnqueteStatus.GESLOTEN.value]))
def status_command(enquete: int, status: str) -> None:
    """Open or close ENQUETE (the same table as the staff page)."""
    e = enquete_of_fout(enquete)
    try:
        services.wijzig_status(e, EnqueteStatus(status), door=None)
    except ActieGeweigerd as fout:
        db.session.rollback()
        raise click.ClickException(str(fout)) from fout
    db.session.commit()
    click.echo(f"Enquête {e.id} is nu {e.status_enum.label.lower()}.")


@enquetes_cli.command("codes")
@click.argument("enquete", type=int)
@click.option("--aantal", type=click.IntRange(1, services.MAX_CODES), required=True)
@click.option("--uit", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="A new CSV file (mode 0600) for the mail merge.")
@click.option("--buurt", default=None, help="The buurt printed on these letters (BU…).")
def codes_command(enquete: int, aantal: int, uit: Path, buurt: str | None) -> None:
    """Make codes for letters and write them once to a new CSV; only hashes stay behind."""
    e = enquete_of_fout(enquete)
    b = db.session.get(Buurt, buurt) if buurt else None
    if buurt and b is None:
        raise click.ClickException(f"Er is geen buurt {buurt}.")
    try:
        gemaakt = services.maak_codes(e, aantal, buurt=b, door=None)
        fd = os.open(uit, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (ActieGeweigerd, FileExistsError) as fout:
        db.session.rollback()
        raise click.ClickException(str(fout) if isinstance(fout, ActieGeweigerd)
                                   else f"{uit} bestaat al; kies een nieuw bestand.") from fout
    with os.fdopen(fd, "w", encoding="utf-8") as bestand:
        bestand.write(services.codes_csv(e, gemaakt, b))
    db.session.commit()
    click.echo(f"{len(gemaakt)} codes geschreven naar {uit}.")


@enquetes_cli.command("tel-opnieuw")
@click.argument("enquete", type=int)
def tel_opnieuw_command(enquete: int) -> None:
    """Rebuild the kept counts of ENQUETE from its answers (after an import, or to check)."""
    e = enquete_of_fout(enquete)
    tellingen.tel_opnieuw(e)
    db.session.commit()
    click.echo(f"Enquête {e.id}: {uitslag.respondenten(e)} verstuurde antwoorden geteld.")
