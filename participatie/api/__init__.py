"""Open311 GeoReport v2 under /open311/v2 (read and write), and the API keys of apps."""

from flask import Blueprint

bp = Blueprint("api", __name__)


@bp.record_once
def _fouten_in_open311_vorm(state) -> None:
    """Every error under /open311/ (also an unknown path, 405, 413, 429, 503) in the spec's
    error format, in the format the path asks for."""
    from participatie.api.formaat import formaat_van_pad, fout_antwoord
    from participatie.web import registreer_foutweergave

    def weergave(code: int, tekst: str, headers: dict | None, pad: str):
        if code == 405:
            tekst = "Deze URL werkt niet met deze HTTP-methode. Zie de README of discovery.json."
        return fout_antwoord(code, tekst, formaat_van_pad(pad), headers=headers)

    registreer_foutweergave(state.app, "/open311/", weergave)


from participatie.api import beheer, views  # noqa: E402,F401
