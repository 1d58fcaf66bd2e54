"""Nothing a user can send produces a 500: every GET route, fed odd values, as anyone."""

from __future__ import annotations

import re

import pytest

from tests.factories import gebruiker, login, melding

RARE_WAARDEN = ["0", "-1", "99999999999999999999", "abc", "%00", "' OR 1=1 --", "é" * 300]
RARE_QUERY = (
    "?pagina=-5&na=x,y,z&voor=%00&bbox=1,2,3&zoom=99&categorie=<script>&wijk=WK999"
    "&status=bestaat_niet&buurt=1&q=%27%22%3C&van=31-31-2026&tot=gisteren&sort=@"
    "&latitude=NaN&longitude=inf&organisatie=abc&te_laat=ja&met_foto=misschien"
)


def _paden(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments:
            yield rule.rule
            continue
        for waarde in RARE_WAARDEN:
            pad = rule.rule
            for argument in rule.arguments:
                pad = re.sub(rf"<(?:[^:<>]+:)?{argument}>", waarde, pad)
            yield pad


@pytest.mark.parametrize("rol", [None, "beheerder"])
def test_geen_enkele_get_route_geeft_een_500(app, client, db_session, rol):
    melding(email="bewoner@voorbeeld.nl")
    if rol:
        login(client, gebruiker(rol))
    fouten = []
    for pad in _paden(app):
        for url in (pad, pad + RARE_QUERY):
            try:
                status = client.get(url).status_code
            except Exception as error:  # TESTING lets exceptions through: that is a 500
                status = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
            if not isinstance(status, int) or status >= 500:
                fouten.append(f"{url} → {status}")
    assert not fouten, "\n".join(fouten)


def test_nul_teken_in_een_formulier_geeft_een_nette_400(client, db_session):
    from tests.factories import csrf_token

    response = client.post("/melden", data={"csrf_token": csrf_token(client, "/melden"),
                                            "omschrijving": "kapot\x00"})
    assert response.status_code == 400
    assert "teken dat wij niet kunnen lezen" in response.get_data(as_text=True)
