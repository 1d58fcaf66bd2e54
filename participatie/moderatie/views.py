from flask import render_template

from participatie.accounts.permissions import staff_route
from participatie.moderatie import bp


@bp.get("/")
@staff_route()
def inbox():
    return render_template("beheer/inbox.html")
