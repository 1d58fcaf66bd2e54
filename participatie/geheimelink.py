"""Private pages behind a secret link, without the secret in the address bar.

A melder's tracking page and a submitter's idea page are opened with a link from an e-mail that
holds a random token (256 bits): the only key to the page, and one that works on any device.
That link (`/meldingen/<token>`) shows nothing itself. It checks the token, notes in this
browser's session that the browser opened it (`onthoud`), and sends the browser on with a 303 to
a clean address (`/meldingen/volgen/<id>`): the capability-URL exchange of magic-link logins.
So the token stays out of the address bar, the history, screenshots and the Referer of what the
page loads or links to; the redirect itself says `X-Robots-Tag: noindex` and `Referrer-Policy:
no-referrer` (`doorsturen`). The clean page shows the private view only to a session that
holds its entry (`geopend`); anyone else (another browser, a crawler, a session that has ended)
gets the "open de link uit uw e-mail opnieuw" page (`LinkNodig`, 403), which shows nothing
private and links to the public page if there is one. The e-mails keep the secret link.

Log lines leave the token out: the app's own (`pad_voor_log`) and the request lines of the web
server, Werkzeug's in development and gunicorn's access log (`_ZonderGeheim`). nginx logs its
own; see the README.

The session is Flask's signed cookie (HttpOnly, SameSite=Lax, Secure in production; see
config.py). It is signed, not encrypted, so it keeps a fingerprint of each token rather than the
token, which also ties the entry to that token: a new token would end it. It holds the last
`MAX_LINKS` pages, and lasts as Flask's session does: until the browser is closed, and at most
SESSION_HOURS after the session last changed (Flask checks the cookie's signature date).
"""

from __future__ import annotations

import hashlib
import logging
import re

from flask import Flask, Response, current_app, redirect, render_template, request, session
from werkzeug.exceptions import Forbidden

SESSIE_SLEUTEL = "geheime_links"
MAX_LINKS = 20
# A token (secrets.token_urlsafe(32): 43 characters) as a segment of a path in a log line.
_TOKEN_IN_PAD = re.compile(r"(?<=/)[A-Za-z0-9_-]{40,64}(?=[/?#\s\"']|$)")
# The loggers of the web servers that log each request line.
SERVER_LOGGERS = ("werkzeug", "gunicorn.access")


def _vingerafdruk(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def _geopende() -> list[str]:
    lijst = session.get(SESSIE_SLEUTEL)
    return lijst if isinstance(lijst, list) else []


def onthoud(token: str) -> None:
    """Note in this browser's session that it opened the secret link with `token`."""
    vinger = _vingerafdruk(token)
    session[SESSIE_SLEUTEL] = [*(v for v in _geopende() if v != vinger), vinger][-MAX_LINKS:]


def geopend(token: str) -> bool:
    """Did this browser open the secret link with `token` (and does its session still last)?"""
    return _vingerafdruk(token) in _geopende()


def prive(response: Response) -> Response:
    """A private page: never stored by the browser or a cache in between."""
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def doorsturen(token: str, locatie: str) -> Response:
    """The answer to the secret link with `token`: this browser may now see the page
    (`onthoud`), and goes on to its clean address `locatie`, the secret in no index, no
    Referer and no cache."""
    onthoud(token)
    response = prive(redirect(locatie, code=303))
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


class LinkNodig(Forbidden):
    """This browser did not open the page's secret link, or its session has ended.

    `wat` names the thing ("melding", "idee"); `publiek_url` is its public page, if it has one.
    """

    def __init__(self, wat: str, publiek_url: str | None = None) -> None:
        super().__init__()
        self.wat = wat
        self.publiek_url = publiek_url


def _toon_link_nodig(fout: LinkNodig):
    html = render_template("geheime_link.html", wat=fout.wat, publiek_url=fout.publiek_url,
                           uren=int(current_app.permanent_session_lifetime.total_seconds()
                                    // 3600))
    return prive(current_app.make_response((html, 403)))


def zonder_geheim(tekst: str) -> str:
    """`tekst` (a path, a log line) with every secret link's token replaced by "<token>"."""
    return _TOKEN_IN_PAD.sub("<token>", tekst)


def pad_voor_log() -> str:
    """This request's path for a log line, without a secret link's token."""
    return zonder_geheim(request.path)


class _ZonderGeheim(logging.Filter):
    """Takes the tokens out of the request lines that a web server logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        bericht = record.getMessage()
        schoon = zonder_geheim(bericht)
        if schoon != bericht:
            record.msg, record.args = schoon, None
        return True


def init_app(app: Flask) -> None:
    app.register_error_handler(LinkNodig, _toon_link_nodig)
    for naam in SERVER_LOGGERS:
        logger = logging.getLogger(naam)
        if not any(isinstance(f, _ZonderGeheim) for f in logger.filters):
            logger.addFilter(_ZonderGeheim())
