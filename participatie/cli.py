"""Flask commands for the beheerder: demo data, users, boundaries, mail."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from participatie.extensions import db

HENGELO_DIR = Path(__file__).resolve().parent / "data" / "hengelo"
HENGELO_FILES = [HENGELO_DIR / f"{n}.geojson" for n in ("gemeente", "wijken", "buurten")]

gebieden_cli = AppGroup("gebieden", help="Gemeente-, wijk- en buurtgrenzen.")


def _print_import(resultaat) -> None:
    for niveau in ("gemeente", "wijk", "buurt"):
        click.echo(
            f"{niveau:9} {resultaat.toegevoegd[niveau]:4} nieuw, "
            f"{resultaat.bijgewerkt[niveau]:4} bijgewerkt"
        )
    if resultaat.hersteld:
        click.echo(f"Geometrie gerepareerd (ST_MakeValid): {', '.join(resultaat.hersteld)}")
    if resultaat.overgeslagen:
        click.secho(f"Overgeslagen: {len(resultaat.overgeslagen)}", fg="yellow")
        for wat, waarom in resultaat.overgeslagen:
            click.echo(f"  {wat}: {waarom}")


@gebieden_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def import_command(files: tuple[str, ...]) -> None:
    """Import CBS gemeente/wijk/buurt GeoJSON (WGS84 or RD New); existing codes are updated."""
    from participatie.gebieden.services import ImportFout, importeer

    def progress(features):
        with click.progressbar(features, label="Importeren", show_pos=True) as bar:
            yield from bar

    try:
        resultaat = importeer([Path(f) for f in files], progress=progress)
    except ImportFout as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    _print_import(resultaat)


@click.command("basis")
def basis_command() -> None:
    """Load the default teams, partners and categories (idempotent)."""
    from participatie.meldingen.categorieen import zorg_voor_basis

    orgs, cats = zorg_voor_basis()
    db.session.commit()
    click.echo(f"{orgs} organisaties en {cats} categorieën toegevoegd.")


@click.command("demo")
@click.option("--meldingen", "aantal", default=900, show_default=True,
              help="How many demo meldingen to create when there are none yet.")
@click.option("--schaal", default=1.0, show_default=True, type=click.FloatRange(0.05, 1.0),
              help="Fraction of the usual ballots and survey responses (0.25: a quick demo).")
def demo_command(aantal: int, schaal: float) -> None:
    """Load Hengelo's boundaries, the categories and demo content (idempotent)."""
    from participatie import demo
    from participatie.gebieden.services import importeer
    from participatie.meldingen.categorieen import zorg_voor_basis

    resultaat = importeer(HENGELO_FILES)
    click.echo(f"Hengelo: {resultaat.totaal} gebieden geladen (Bron: CBS / Kadaster).")
    zorg_voor_basis()
    gemaakt = demo.vul(aantal, schaal)
    db.session.commit()
    for regel in gemaakt:
        click.echo(regel)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", "rol", required=True,
              type=click.Choice(["beheerder", "stadsdeelregisseur", "partner", "wijkraadlid"]))
@click.option("--wijk", "wijken", multiple=True, help="Wijkcode, e.g. WK016402 (repeatable).")
@click.option("--organisatie", default="", help="Partner organisation, e.g. Gildebor.")
@click.option("--naam", default="")
def create_user_command(email, password, rol, wijken, organisatie, naam) -> None:
    """Create a staff account."""
    from participatie.accounts.services import AccountFout, create_user, organisatie_by_naam

    org = organisatie_by_naam(organisatie) if organisatie else None
    if organisatie and org is None:
        raise click.ClickException(f"Organisatie {organisatie!r} bestaat niet.")
    try:
        user = create_user(email, password, rol, naam=naam, wijk_codes=list(wijken),
                           organisatie=org)
    except AccountFout as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Account {user.email} ({user.rol}) aangemaakt.")


@click.command("mail")
@click.option("--direct", is_flag=True,
              help="Ook e-mail die op een latere poging wacht nu versturen (relay hersteld).")
@click.option("--opnieuw", is_flag=True,
              help="Opgegeven e-mail opnieuw proberen (bijvoorbeeld na een lange storing).")
def mail_command(direct: bool, opnieuw: bool) -> None:
    """Send the e-mail in the outbox that is due; run it from cron every minute."""
    from participatie.mail import deliver_due, retry_given_up

    if opnieuw:
        aantal = retry_given_up()
        db.session.commit()
        click.echo(f"{aantal} opgegeven e-mails staan weer klaar.")
    click.echo(f"{deliver_due(ook_later=direct)} e-mails verstuurd.")


@click.command("retention")
def retention_command() -> None:
    """Apply the AVG retention periods: anonymise contacts, remove old photos and mail."""
    from participatie.retention import pas_bewaartermijnen_toe

    resultaat = pas_bewaartermijnen_toe()
    db.session.commit()
    resultaat.verwijder_bestanden()
    for regel in resultaat.regels():
        click.echo(regel)


def init_app(app: Flask) -> None:
    from participatie.api.cli import api_key_cli
    from participatie.buurtbudget.cli import buurtbudget_cli
    from participatie.enquetes.cli import enquetes_cli
    from participatie.wijkbeeld.cli import kerncijfers_command, wijkbeeld_cli
    from participatie.wijkraad.cli import wijkraad_cli

    gebieden_cli.add_command(kerncijfers_command)
    app.cli.add_command(gebieden_cli)
    app.cli.add_command(wijkbeeld_cli)
    app.cli.add_command(api_key_cli)
    app.cli.add_command(buurtbudget_cli)
    app.cli.add_command(enquetes_cli)
    app.cli.add_command(wijkraad_cli)
    for command in (basis_command, demo_command, create_user_command, mail_command,
                    retention_command):
        app.cli.add_command(command)
