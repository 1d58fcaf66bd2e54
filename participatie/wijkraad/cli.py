"""`flask --app wsgi wijkraad digest`: the weekly overview for wijkraadleden, from cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from participatie import mail
from participatie.extensions import db

wijkraad_cli = AppGroup("wijkraad", help="Wijkraad: het wekelijkse overzicht per e-mail.")


@wijkraad_cli.command("digest")
def digest_command() -> None:
    """Send this week's overview to every wijkraadlid who wants it and has not had it yet.

    Run it weekly from cron (more often does no harm: once per person per week, only when
    something changed). The overviews go through the outbox and are sent at once.
    """
    from participatie.wijkraad import weekmail

    resultaat = weekmail.verstuur()
    db.session.commit()
    click.echo(f"{resultaat.verstuurd} weekoverzichten klaargezet, "
               f"{resultaat.niets_nieuw} zonder nieuws (geen e-mail), "
               f"{resultaat.al_deze_week} hadden deze week hun overzicht al.")
    if resultaat.verstuurd:
        click.echo(f"{mail.deliver_due()} e-mails verstuurd.")
