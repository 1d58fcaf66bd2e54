"""Open311 answers in JSON and XML, from one Python structure, and the spec's errors.

GeoReport v2 defines XML and derives JSON from it (the Spark convention): a list in JSON is,
in XML, an element holding one child per item, named after the list (`services` holds
`service`, `service_requests` holds `request`). `LIJST_ITEMS` is that table.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

from flask import Response

FORMATEN = ("json", "xml")
MIME = {"json": "application/json", "xml": "text/xml"}

LIJST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# XML 1.0 cannot hold these characters at all, not even escaped.
_NIET_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Fout(Exception):
    """An answer in the spec's error format: HTTP 400, 403 or 404 with a Dutch description."""

    def __init__(self, status: int, beschrijving: str, code: int | None = None) -> None:
        super().__init__(beschrijving)
        self.status = status
        self.beschrijving = beschrijving
        self.code = code if code is not None else status


def antwoord(wortel: str, data: Any, formaat: str, status: int = 200,
             headers: dict | None = None) -> Response:
    """`data` as JSON, or as XML under the element `wortel` (lists per LIJST_ITEMS)."""
    if formaat == "xml":
        delen = ['<?xml version="1.0" encoding="utf-8"?>\n']
        _xml(wortel, data, delen)
        body = "".join(delen)
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, headers=headers or {},
                        content_type=f"{MIME[formaat]}; charset=utf-8")
    return response


def fout_antwoord(status: int, beschrijving: str, formaat: str, code: int | None = None,
                  headers: dict | None = None) -> Response:
    """The spec's error answer: a list of errors, each with a code and a description."""
    fouten = [{"code": code if code is not None else status, "description": beschrijving}]
    return antwoord("errors", fouten, formaat, status=status, headers=headers)


def formaat_van_pad(pad: str) -> str:
    """The format a path asks for (…/requests.xml); JSON when it asks for neither."""
    return "xml" if pad.rstrip("/").endswith(".xml") else "json"


def _xml(naam: str, waarde: Any, delen: list[str]) -> None:
    """Append `waarde` as the element `naam` (names are ours; text is escaped)."""
    if isinstance(waarde, dict):
        delen.append(f"<{naam}>")
        for sleutel, kind in waarde.items():
            _xml(sleutel, kind, delen)
        delen.append(f"</{naam}>")
    elif isinstance(waarde, list | tuple):
        item = LIJST_ITEMS[naam]
        delen.append(f"<{naam}>")
        for kind in waarde:
            _xml(item, kind, delen)
        delen.append(f"</{naam}>")
    elif waarde is None:
        delen.append(f"<{naam}/>")
    else:
        tekst = ("true" if waarde else "false") if isinstance(waarde, bool) else str(waarde)
        delen.append(f"<{naam}>{escape(_NIET_IN_XML.sub('', tekst))}</{naam}>")


def schoon(tekst: str, lengte: int = 80) -> str:
    """Part of what a client sent, fit to quote in an error: short, one line, printable."""
    tekst = "".join(t if t.isprintable() else "?" for t in tekst[:lengte])
    return tekst + ("…" if len(tekst) >= lengte else "")
