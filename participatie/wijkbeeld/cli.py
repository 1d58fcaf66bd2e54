"""`flask --app wsgi gebieden kerncijfers FILE.csv` and `flask --app wsgi wijkbeeld tel-opnieuw`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from participatie.extensions import db
from participatie.wijkbeeld import bijhouden
from participatie.wijkbeeld.kerncijfers import KerncijferFout, importeer

wijkbeeld_cli = AppGroup("wijkbeeld", help="De cijfers van het wijkbeeld.")


@click.command("kerncijfers")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jaar", type=click.IntRange(1990, 2100), default=None,
              help="The year of the figures, if neither the file nor its name says it.")
def kerncijfers_command(bestand: Path, jaar: int | None) -> None:
    """Import CBS's Kerncijfers wijken en buurten (CSV as CBS publishes it); replaces that
    year's figures, all or nothing."""
    try:
        tekst = bestand.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        tekst = bestand.read_text(encoding="latin-1")
    try:
        resultaat = importeer(tekst, jaar=jaar, bestandsnaam=bestand.name)
    except KerncijferFout as fout:
        db.session.rollback()
        raise click.ClickException(f"{bestand.name}: {fout} Er is niets geïmporteerd.") from fout
    db.session.commit()
    click.echo(f"Kerncijfers {resultaat.jaar}: {resultaat.ingelezen} gebieden ingelezen"
               + (f", {resultaat.vervangen} cijfers van dat jaar vervangen" if resultaat.vervangen
                  else "") + ".")
    if resultaat.onbekend:
        click.echo(f"{len(resultaat.onbekend)} gebieden uit het bestand horen niet bij deze "
                   "gemeente en zijn overgeslagen.")


@wijkbeeld_cli.command("tel-opnieuw")
@click.option("--melders", is_flag=True,
              help="Also recount distinct melders from the addresses still stored (retention "
                   "has blanked older ones, so older periods come out lower).")
def tel_opnieuw_command(melders: bool) -> None:
    """Rebuild the wijkbeeld's kept figures from the data."""
    bijhouden.tel_opnieuw(melders=melders)
    db.session.commit()
    click.echo("De cijfers van het wijkbeeld zijn opnieuw geteld.")
