"""Static files as a phone on a slow connection wants them: versioned names, cached for a year,
compressed (brotli or gzip) once per process. The same as behind nginx (README, "Deploying").

`url_for("static", filename="css/app.css")` gives `/static/css/app.<hash>.css`, the hash being
the first ten hex digits of the file's SHA-256. A versioned URL never changes its content, so it
is served `immutable` for a year; a new version of the file has a new name. A name without a
hash, or with the hash of an older version (an old page in a cache), gets the current file with
`no-cache` and an ETag, so it is checked again on each use.

In production a name's version is worked out once per process (a deploy starts new processes);
elsewhere each name is checked against the file on disk, so an edited file gets its new name
at once.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

try:  # brotli is smaller than gzip by some 15 % on CSS and JS; gzip does without it
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

HASH_TEKENS = 10
GEVERSIONEERD = re.compile(rf"^(?P<stam>.+)\.(?P<hash>[0-9a-f]{{{HASH_TEKENS}}})(?P<ext>\.\w+)$")
TE_COMPRIMEREN = {".css", ".js", ".svg", ".json", ".webmanifest", ".txt", ".map"}
EEN_JAAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Bestand:
    inhoud: bytes
    versie: str
    mimetype: str
    gzip: bytes | None
    br: bytes | None
    sleutel: tuple[int, int]  # mtime_ns and size: a changed file is read again


class Statisch:
    """The files of the static folder, read, hashed and compressed once (and again when they
    change on disk, as in development)."""

    def __init__(self, map: str | Path, vast: bool = False) -> None:
        self.map = str(map)
        self._bestanden: dict[str, Bestand] = {}
        self._slot = threading.Lock()
        # vast: the files do not change while this process runs, so a name's version is
        # looked up once (every page names some eight files: a stat() each, twice).
        self._namen: dict[str, str] | None = {} if vast else None

    def bestand(self, naam: str) -> Bestand | None:
        pad = safe_join(self.map, naam)
        if pad is None:
            return None
        try:
            stat = Path(pad).stat()
        except OSError:
            return None
        if not Path(pad).is_file():
            return None
        sleutel = (stat.st_mtime_ns, stat.st_size)
        bekend = self._bestanden.get(naam)
        if bekend is not None and bekend.sleutel == sleutel:
            return bekend
        with self._slot:
            bekend = self._bestanden.get(naam)
            if bekend is None or bekend.sleutel != sleutel:
                bekend = self._lees(Path(pad), sleutel)
                self._bestanden[naam] = bekend
            return bekend

    @staticmethod
    def _lees(pad: Path, sleutel: tuple[int, int]) -> Bestand:
        inhoud = pad.read_bytes()
        mimetype = mimetypes.guess_type(pad.name)[0] or "application/octet-stream"
        if pad.suffix == ".js":
            mimetype = "text/javascript"
        klein = gz = None
        if pad.suffix in TE_COMPRIMEREN and len(inhoud) > 512:
            gz = gzip.compress(inhoud, compresslevel=9, mtime=0)
            if brotli is not None:
                klein = brotli.compress(inhoud, quality=11)
        return Bestand(inhoud=inhoud, versie=hashlib.sha256(inhoud).hexdigest()[:HASH_TEKENS],
                       mimetype=mimetype, gzip=gz, br=klein, sleutel=sleutel)

    def geversioneerd(self, naam: str) -> str:
        """`css/app.css` → `css/app.<hash>.css` (unchanged when the file does not exist)."""
        if self._namen is None:
            return self._geversioneerd(naam)
        gevonden = self._namen.get(naam)
        if gevonden is None:
            gevonden = self._geversioneerd(naam)
            if len(self._namen) < 1000:  # names come from templates, not from visitors
                self._namen[naam] = gevonden
        return gevonden

    def _geversioneerd(self, naam: str) -> str:
        bestand = self.bestand(naam)
        if bestand is None:
            return naam
        stam, punt, ext = naam.rpartition(".")
        if not punt or "/" in ext:
            return naam  # no extension: served as it is, checked on each use
        return f"{stam}.{bestand.versie}.{ext}"

    def antwoord(self, filename: str) -> Response:
        """The file for a /static/ URL, compressed as the client accepts, with its cache rule."""
        bestand, onveranderlijk = None, False
        deel = GEVERSIONEERD.match(filename)
        if deel:
            bestand = self.bestand(deel["stam"] + deel["ext"])
            onveranderlijk = bestand is not None and bestand.versie == deel["hash"]
        if bestand is None:
            bestand = self.bestand(filename)
        if bestand is None:
            abort(404)

        inhoud, codering = bestand.inhoud, None
        if bestand.br is not None and request.accept_encodings["br"]:
            inhoud, codering = bestand.br, "br"
        elif bestand.gzip is not None and request.accept_encodings["gzip"]:
            inhoud, codering = bestand.gzip, "gzip"
        response = Response(inhoud, mimetype=bestand.mimetype)
        if codering:
            response.headers["Content-Encoding"] = codering
        if bestand.gzip is not None:
            response.vary.add("Accept-Encoding")
        response.set_etag(f"{bestand.versie}-{codering or 'id'}")
        if onveranderlijk:
            response.cache_control.public = True
            response.cache_control.max_age = EEN_JAAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
        return response.make_conditional(request)


class _SessieBuitenStatisch(SecureCookieSessionInterface):
    """Flask's cookie session, left alone on static files.

    Flask-Login looks into the session after every request, and Flask then answers with
    `Vary: Cookie`: a shared cache (nginx, a proxy) would keep one copy of app.css per visitor.
    A static file neither reads nor changes the session, so it is not saved there.
    """

    def save_session(self, app: Flask, session, response: Response) -> None:
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    statisch = Statisch(app.static_folder, vast=app.config.get("ENV_NAME") == "production")
    app.extensions["statisch"] = statisch
    app.session_interface = _SessieBuitenStatisch()

    @app.url_defaults
    def _versie(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = statisch.geversioneerd(values["filename"])

    app.view_functions["static"] = statisch.antwoord
