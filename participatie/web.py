"""What every page shares: the home page, security headers, error pages and the manifest."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.routing import IntegerConverter

from participatie.extensions import db, htmx
from participatie.geheimelink import pad_voor_log

bp = Blueprint("web", __name__)

ERROR_TEXTS = {
    400: ("Er ging iets mis met uw verzoek", "De pagina kon uw gegevens niet lezen. "
          "Ga terug en probeer het nog een keer."),
    403: ("Geen toegang", "U mag deze pagina niet bekijken of dit niet doen."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Dat kan hier niet", "Deze pagina werkt niet op deze manier. Ga terug en probeer het "
          "opnieuw."),
    413: ("Te groot", "Wat u stuurde is te groot. Foto's mogen samen niet groter zijn dan "
          "{mb} MB. Kies kleinere of minder foto's en probeer het opnieuw."),
    429: ("Even wachten", "U heeft in korte tijd veel verstuurd. Wacht een paar minuten en "
          "probeer het dan opnieuw. Is het dringend? Bel dan 14 074."),
    500: ("Er ging bij ons iets mis", "Dit is onze fout, niet de uwe. Probeer het later nog "
          "eens. Is het dringend? Bel dan 14 074."),
    503: ("Even niet bereikbaar", "We kunnen even niet bij onze gegevens. Probeer het over een "
          "minuut opnieuw. Is het dringend? Bel dan 14 074."),
}
# How long a client should wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDEN = 60


def pad(endpoint: str, **values) -> str:
    """The path of a page, also outside a request (CLI commands, benchmarks, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def pad_per_id(endpoint: str, naam: str = "id") -> Callable[[int], str]:
    """`pad(endpoint, **{naam: id})` for many ids at the cost of one: a list of 50 items
    builds its links without asking the URL map 50 times."""
    voorbeeld = pad(endpoint, **{naam: POSTGRES_INT_MAX})
    voor, _, na = voorbeeld.rpartition(str(POSTGRES_INT_MAX))
    return lambda ident: f"{voor}{int(ident)}{na}"


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: PUBLIC_URL plus the path, inside or outside a request.

    Never the request's Host header: anyone can send any Host, and a link in an official
    e-mail must not point elsewhere.
    """
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_URL"] + path


def slug_van(tekst: str, lengte: int = 70) -> str:
    """Words for a URL: "Buurtbudget De Noork 2026" → "buurtbudget-de-noork-2026" (accents
    dropped, at most `lengte` characters; "" when nothing is left)."""
    ascii_ = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:lengte].strip("-")


def getal(waarde: int) -> str:
    """12345 → "12.345", as Dutch readers expect (also the template filter `getal`)."""
    return f"{waarde:,}".replace(",", ".")


def wil_fragment() -> bool:
    """An htmx request that wants a fragment (a history restore wants the full page)."""
    return bool(htmx) and not htmx.history_restore_request


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html")


@bp.get("/manifest.webmanifest")
def manifest():
    response = jsonify(
        {
            "name": f"Participatie {current_app.config['GEMEENTE_NAAM']}",
            "short_name": "Participatie",
            "lang": "nl",
            "start_url": url_for("web.home"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#00477f",
            "icons": [
                {"src": url_for("static", filename="img/icon.svg"), "sizes": "any",
                 "type": "image/svg+xml"},
                {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192",
                 "type": "image/png"},
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


def tile_origin(tile_url: str) -> str:
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


@functools.lru_cache(maxsize=8)
def _content_security_policy(tile_url: str) -> str:
    """The policy for a map tile server (the same for every response: made once)."""
    img_src = " ".join(filter(None, ["'self'", "data:", "blob:", tile_origin(tile_url)]))
    return (
        "default-src 'self'; "
        f"img-src {img_src}; "
        "script-src 'self'; style-src 'self'; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def _security_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy", _content_security_policy(current_app.config["TILE_URL"]))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Permissions-Policy", "geolocation=(self), camera=(self), microphone=()"
    )
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def registreer_foutweergave(app: Flask, voorvoegsel: str, weergave) -> None:
    """Errors under `voorvoegsel` are rendered by `weergave(code, tekst, headers, pad)` (an API
    with its own error format); everything else by `render_error`'s page or JSON."""
    app.extensions.setdefault("participatie.foutweergave", {})[voorvoegsel] = weergave


def render_error(code: int, description: str | None = None, headers: dict | None = None):
    """The error page (or JSON) for `code`. From 500 on the page does not need the database:
    it leaves out who is logged in, since finding that out may be what failed."""
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if code == 413:
        text = text.format(mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
    if description:
        text = description
    for voorvoegsel, weergave in current_app.extensions.get(
            "participatie.foutweergave", {}).items():
        if request.path.startswith(voorvoegsel):
            return weergave(code, text, headers, request.path)
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".geojson"):
        return jsonify({"error": title, "message": text}), code, headers or {}
    html = render_template("error.html", code=code, title=title, text=text,
                           zonder_database=code >= 500)
    return html, code, headers or {}


def _handle_http_error(error: HTTPException):
    code = error.code or 500
    if code not in ERROR_TEXTS:
        code = 400 if 400 <= code < 500 else 500
    return render_error(code)


def _handle_csrf_error(error: CSRFError):
    return render_error(
        400,
        "Het formulier is verlopen of kwam niet van deze website. Ga terug, ververs de pagina "
        "en verstuur het opnieuw.",
    )


def _handle_untrusted_host(error: SecurityError):
    """A Host header that is not ours (TRUSTED_HOSTS): no page, since no URL can be built."""
    return Response("Onbekend webadres. Gebruik het adres van de gemeente.\n", status=400,
                    mimetype="text/plain")


def _handle_database_weg(error: Exception):
    """PostgreSQL cannot be reached (a restart, the network, every connection in use): 503."""
    # The driver's message only: SQLAlchemy's would add the statement's parameters (e-mail).
    current_app.logger.warning("Database onbereikbaar bij %s %s: %s", request.method,
                               pad_voor_log(), str(getattr(error, "orig", None) or error).strip())
    return render_error(503, headers={"Retry-After": str(RETRY_AFTER_SECONDEN)})


def _handle_unexpected(error: Exception):
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return _handle_database_weg(error)
    current_app.logger.exception("Onverwachte fout bij %s %s", request.method, pad_voor_log())
    return render_error(500)


def _sluit_databasesessie(error: BaseException | None) -> None:
    """End the session's transaction before Flask-SQLAlchemy's own teardown does.

    Should PostgreSQL go away after the answer was made, rolling back raises, and an exception
    in a teardown throws away a finished answer (gunicorn sends an empty 500 instead of, say,
    the redirect to a melding that was stored). Forgetting the connection is enough then.
    """
    try:
        db.session.close()
    except SQLAlchemyError:
        db.session().invalidate()


# The largest value of PostgreSQL's `integer`, the type of every id: a larger number from a
# user must never reach a query, where it is an error instead of "not found".
POSTGRES_INT_MAX = 2**31 - 1


class PostgresInt(IntegerConverter):
    """`<int:…>` that fits PostgreSQL's integer: a huge id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", POSTGRES_INT_MAX)
        super().__init__(map, *args, **kwargs)


def heel_getal(waarde) -> int | None:
    """A positive whole number that fits PostgreSQL's integer (an id, a page), or None.

    For ids and numbers in query strings and forms, as `PostgresInt` is for paths.
    """
    try:
        getal = int(waarde) if waarde not in (None, "") else None
    except (TypeError, ValueError):  # also a string of more digits than Python converts
        return None
    return getal if getal is not None and 0 < getal <= POSTGRES_INT_MAX else None


def _weiger_nul_tekens():
    """No real text contains a NUL character, and PostgreSQL refuses it in text columns."""
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        return render_error(404)
    values = [*request.args.values(), *(request.form.values() if request.form else [])]
    if any("\x00" in value for value in values):
        return render_error(400, "Uw verzoek bevat een teken dat wij niet kunnen lezen. "
                                 "Ga terug en probeer het opnieuw.")
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_filter(getal, "getal")
    app.url_map.converters["int"] = PostgresInt
    app.before_request(_weiger_nul_tekens)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(SecurityError, _handle_untrusted_host)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(OperationalError, _handle_database_weg)
    app.register_error_handler(PoolTimeoutError, _handle_database_weg)
    # Registered after db.init_app(), so it runs before Flask-SQLAlchemy's teardown.
    app.teardown_appcontext(_sluit_databasesessie)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)

    @app.context_processor
    def _layout_context():
        return {
            # Flask-Login's own context processor loads the user for every template, also
            # for an error page when the database is gone; this proxy loads it when used.
            "current_user": current_user,
            "gemeente_naam": app.config["GEMEENTE_NAAM"],
            "tile_url": app.config["TILE_URL"],
            "tile_attribution": app.config["TILE_ATTRIBUTION"],
        }
