"""`flask --app wsgi api-key maak|intrekken`: API keys for apps, from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from participatie.api.sleutels import SleutelFout, maak_sleutel, sleutel_voor_naam, trek_in
from participatie.extensions import db

api_key_cli = AppGroup("api-key", help="API-sleutels voor apps die via Open311 melden.")


@api_key_cli.command("maak")
@click.option("--naam", required=True, help="Naam van de app (staat bij elke melding).")
@click.option("--contact", default="", help="E-mailadres of telefoon van de makers.")
def maak_command(naam: str, contact: str) -> None:
    """Make a key for app NAAM and print it once (only its hash is kept)."""
    try:
        sleutel, platte_sleutel = maak_sleutel(naam, contact, door=None)
    except SleutelFout as fout:
        db.session.rollback()
        raise click.ClickException(str(fout)) from fout
    db.session.commit()
    click.echo(f"Sleutel voor {sleutel.naam} (bewaar hem nu, hij wordt niet nog eens getoond):",
               err=True)
    click.echo(platte_sleutel)


@api_key_cli.command("intrekken")
@click.argument("naam")
def intrekken_command(naam: str) -> None:
    """Revoke the key of app NAAM."""
    sleutel = sleutel_voor_naam(naam)
    if sleutel is None:
        raise click.ClickException(f"Er is geen sleutel voor een app '{naam}'.")
    try:
        trek_in(sleutel, door=None)
    except SleutelFout as fout:
        db.session.rollback()
        raise click.ClickException(str(fout)) from fout
    db.session.commit()
    click.echo(f"De sleutel van {sleutel.naam} is ingetrokken.")
