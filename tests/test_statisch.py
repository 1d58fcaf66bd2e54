"""Static files: versioned names in the pages, a year's cache, compressed as the phone asks."""

from __future__ import annotations

import gzip
import re

import brotli


def _css_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    [url] = re.findall(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', html)
    return url


def test_pagina_noemt_geversioneerde_bestanden_die_een_jaar_blijven(client):
    url = _css_url(client)
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Vary"] == "Accept-Encoding"  # no Cookie: one copy for everyone
    assert "Set-Cookie" not in response.headers
    assert brotli.decompress(response.data) == client.get("/static/css/app.css").data

    zip_ = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zip_.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zip_.data).startswith(b"/* Participatie")
    assert "Content-Encoding" not in client.get(url).headers  # asks for nothing: plain

    nog_eens = client.get(url, headers={"Accept-Encoding": "gzip",
                                        "If-None-Match": zip_.headers["ETag"]})
    assert nog_eens.status_code == 304


def test_naam_zonder_of_met_oude_versie_krijgt_het_huidige_bestand_zonder_lange_cache(client):
    for url in ("/static/css/app.css", "/static/css/app.0123456789.css"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
        assert response.data.startswith(b"/* Participatie")
        assert response.headers["ETag"]


def test_alleen_bestanden_uit_de_statische_map(client):
    assert client.get("/static/../web.py").status_code == 404
    assert client.get("/static/css/bestaat-niet.css").status_code == 404
    assert client.get("/static/css").status_code == 404


def test_scripts_en_plaatjes_krijgen_hun_type(client):
    js = client.get("/static/js/app.js", headers={"Accept-Encoding": "gzip"})
    assert js.mimetype == "text/javascript" and js.headers["Content-Encoding"] == "gzip"
    png = client.get("/static/img/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert png.mimetype == "image/png" and "Content-Encoding" not in png.headers


def test_in_productie_staat_de_versie_van_een_naam_eens_per_proces_vast(tmp_path):
    from participatie.statisch import Statisch

    (tmp_path / "a.css").write_text("body { color: black }")
    elders, productie = Statisch(tmp_path), Statisch(tmp_path, vast=True)
    eerst = productie.geversioneerd("a.css")
    assert re.fullmatch(r"a\.[0-9a-f]{10}\.css", eerst) and elders.geversioneerd("a.css") == eerst

    (tmp_path / "a.css").write_text("body { color: navy }")
    assert elders.geversioneerd("a.css") not in (eerst, "a.css")  # edited: a new name at once
    assert productie.geversioneerd("a.css") == eerst  # a deploy starts a new process
    # The file itself is read anew: under the old name it is served without the year's cache.
    assert productie.bestand("a.css").inhoud.endswith(b"navy }")
    assert productie.geversioneerd("bestaat-niet.css") == "bestaat-niet.css"
