"""`flask --app wsgi buurtbudget ...`: commands for operators and for checking results.

RONDE is the round as it appears in its URL (/buurtbudget/<ronde>).
"""

from __future__ import annotations

import click
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
