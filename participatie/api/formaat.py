"""Open311 answers in JSON and XML, from one Python structure, and the spec's errors.

GeoReport v2 defines XML and derives JSON from it (the Spark convention): a list in JSON is,
in XML, an element holding one child per item, named after the list (`services` holds
`service`, `service_requests` holds `request`). `LIJST_ITEMS` is that table.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

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
        element = _element(wortel, data)
        body = ('<?xml version="1.0" encoding="utf-8"?>\n'
                + ElementTree.tostring(element, encoding="unicode"))
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


def _element(naam: str, waarde: Any) -> ElementTree.Element:
    element = ElementTree.Element(naam)
    if isinstance(waarde, dict):
        for sleutel, kind in waarde.items():
            element.append(_element(sleutel, kind))
    elif isinstance(waarde, list | tuple):
        item = LIJST_ITEMS[naam]
        for kind in waarde:
            element.append(_element(item, kind))
    elif isinstance(waarde, bool):
        element.text = "true" if waarde else "false"
    elif waarde is not None:
        element.text = _NIET_IN_XML.sub("", str(waarde))
    return element


def schoon(tekst: str, lengte: int = 80) -> str:
    """Part of what a client sent, fit to quote in an error: short, one line, printable."""
    tekst = "".join(t if t.isprintable() else "?" for t in tekst[:lengte])
    return tekst + ("…" if len(tekst) >= lengte else "")
