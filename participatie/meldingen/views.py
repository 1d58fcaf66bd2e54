from participatie.meldingen import bp


@bp.get("/melden")
def nieuw():
    return "melden"
