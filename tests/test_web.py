"""The shared layout, security headers and error pages."""

from __future__ import annotations

import re

from participatie import create_app
from tests.conftest import TEST_DATABASE_URL


def test_startpagina_is_nederlands_met_skiplink_manifest_en_zonder_inline_script(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html
    assert 'rel="manifest"' in html
    assert "Doe een melding" in html
    # Every <script> loads a file of our own; no inline code, no CDN.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip()
                           for attrs, body in scripts)
    assert " style=" not in html


def test_beveiligingsheaders_staan_alleen_eigen_bron_en_de_tegelserver_toe(app, client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_csp_laat_de_geconfigureerde_tegelserver_toe():
    app = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": True,
                      "TILE_URL": "https://tegels.example.nl/{z}/{x}/{y}.png"})
    csp = app.test_client().get("/manifest.webmanifest").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tegels.example.nl;" in csp


def test_manifest_beschrijft_de_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    assert response.json["lang"] == "nl"
    assert response.json["start_url"] == "/"


def test_onbekende_pagina_geeft_nederlandse_404_in_de_huisstijl(client):
    response = client.get("/bestaat-niet")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html and 'class="kop"' in html


def test_te_groot_verzoek_geeft_413_met_uitleg(app, client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/login", data={"email": big})
    assert response.status_code == 413
    assert "Te groot" in response.get_data(as_text=True)


def test_verkeerde_methode_geeft_405_pagina(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert "Dat kan hier niet" in response.get_data(as_text=True)


def test_onverwachte_fout_geeft_nette_500_pagina_zonder_details():
    app = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": False})

    @app.get("/kapot")
    def kapot():
        raise RuntimeError("geheim detail uit de stacktrace")

    response = app.test_client().get("/kapot")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in html
    assert "geheim detail" not in html


def test_productie_weigert_te_starten_zonder_secret_key(monkeypatch):
    import pytest

    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_zonder_secret_key_maakt_ontwikkeling_een_eigen_geheime_sleutel(monkeypatch):
    import stat
    from pathlib import Path

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PARTICIPATIE_ENV", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": True})
    bestand = Path(app.instance_path) / "secret_key"
    sleutel = app.config["SECRET_KEY"]
    assert sleutel == bestand.read_text().strip()
    assert len(sleutel) >= 64 and sleutel != "dev-only-not-secret"
    assert stat.S_IMODE(bestand.stat().st_mode) == 0o600
    # The next start (`flask demo`, then `flask run`) keeps the same key, so sessions survive.
    opnieuw = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": True})
    assert opnieuw.config["SECRET_KEY"] == sleutel


def test_elke_installatie_krijgt_een_andere_geheime_sleutel(tmp_path):
    from participatie.config import development_secret_key

    eerste = development_secret_key(tmp_path / "een" / "instance")
    assert development_secret_key(tmp_path / "een" / "instance") == eerste
    assert development_secret_key(tmp_path / "twee" / "instance") != eerste


def test_productie_weigert_te_starten_zonder_public_url(monkeypatch):
    import pytest

    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app()


def test_ontwikkeling_zonder_public_url_maakt_links_naar_het_eigen_adres(monkeypatch):
    from participatie.meldingen.services import absolute_url

    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": True})
    with app.test_request_context("/melden", method="POST", base_url="http://evil.example"):
        link = absolute_url("meldingen.volglink", token="abc")
    assert link == "http://127.0.0.1:5000/meldingen/abc"


def test_productie_antwoordt_alleen_op_de_eigen_hostnamen(monkeypatch):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("PUBLIC_URL", "https://participatie.hengelo.nl/")
    monkeypatch.setenv("TRUSTED_HOSTS", "participatie.intern.hengelo.nl")
    app = create_app({"SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL, "TESTING": True})
    client = app.test_client()
    for host in ("participatie.hengelo.nl", "participatie.intern.hengelo.nl"):
        response = client.get("/manifest.webmanifest", base_url=f"https://{host}")
        assert response.status_code == 200, host
    response = client.get("/privacy", base_url="https://evil.example")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Onbekend webadres.")


def _csrf_token_van(app, client, seconden_geleden: int) -> str:
    """The page's CSRF token as Flask-WTF signs it, but signed `seconden_geleden` ago."""
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class Eerder(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconden_geleden

    client.get("/melden")
    with client.session_transaction() as session:
        geheim = session["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token",
                                  signer=Eerder).dumps(geheim)


def test_formulier_dat_langer_open_stond_dan_een_sessie_duurt_is_verlopen(app, client,
                                                                           db_session):
    levensduur = app.config["PERMANENT_SESSION_LIFETIME"]
    data = {"steun_melding": "x", "categorie": "x", "latitude": "x", "longitude": "x"}
    # A form opened in the morning still posts in the afternoon ...
    middag = client.post("/melden/steun", data={
        **data, "csrf_token": _csrf_token_van(app, client, levensduur - 600)})
    assert middag.status_code == 422
    # ... but a token older than a session is refused, with a Dutch explanation.
    response = client.post("/melden/steun", data={
        **data, "csrf_token": _csrf_token_van(app, client, levensduur + 60)})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
