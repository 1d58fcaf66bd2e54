from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from participatie import audit  # module import: audit itself imports accounts.models
from participatie.accounts import bp
from participatie.accounts.forms import LoginForm
from participatie.accounts.services import controleer_login
from participatie.accounts.sessies import (
    SESSIE_SLEUTEL,
    beeindig_alle_sessies,
    beeindig_sessie,
    begin_sessie,
    load_user,
)
from participatie.extensions import db, htmx, limiter, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.login_message_category = "let-op"

MISLUKT = "Deze combinatie van e-mailadres en wachtwoord kennen wij niet."
GEBLOKKEERD = ("Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
               "Probeer het over {minuten} minuten opnieuw.")


@login_manager.user_loader
def _gebruiker_van_deze_sessie(user_id: str):
    return load_user(user_id, session.get(SESSIE_SLEUTEL))


@login_manager.unauthorized_handler
def niet_ingelogd():
    """Pages go to the login form; htmx requests get 401 and an HX-Redirect to it."""
    next_path = request.full_path.rstrip("?") if request.method == "GET" else request.path
    login_url = url_for("accounts.login", next=next_path)
    if htmx:
        return Response(status=401, headers={"HX-Redirect": login_url})
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url)


def _safe_next(target: str | None) -> str:
    """Where to go after login: `target` if it is a path on this site, else the inbox.

    Only visible ASCII is allowed: browsers drop tabs and newlines from a URL and read a
    backslash as a slash, so "/<tab>/evil.example" or "/<backslash>evil.example" would leave
    the site, and a CR/LF would break the Location header.
    """
    parts = urlsplit(target or "")
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all("!" <= c <= "~" for c in target)
        and not parts.scheme
        and not parts.netloc
    ):
        return target
    return url_for("moderatie.inbox")


def _nieuwe_sessie() -> None:
    session.clear()
    # Flask-WTF caches this request's CSRF token in g; it belonged to the old session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        poging = controleer_login(form.email.data, form.password.data,
                                  request.remote_addr or "onbekend")
        token = begin_sessie(poging.user) if poging.user else None
        db.session.commit()
        if poging.user:
            next_url = _safe_next(request.args.get("next"))
            _nieuwe_sessie()  # no fixation: nothing from before the login survives
            login_user(poging.user)
            session[SESSIE_SLEUTEL] = token
            session.permanent = True
            return redirect(next_url)
        if poging.geblokkeerd_tot:
            seconden = (poging.geblokkeerd_tot - datetime.now(UTC)).total_seconds()
            form.password.errors.append(GEBLOKKEERD.format(minuten=int(seconden // 60) + 1))
        else:
            form.password.errors.append(MISLUKT)
    return render_template("accounts/login.html", form=form)


def _uitloggen(bericht: str):
    logout_user()
    _nieuwe_sessie()
    flash(bericht, "succes")
    return redirect(url_for("web.home"))


@bp.post("/logout")
def logout():
    """End this login (on the server too); the user's other devices stay logged in."""
    if current_user.is_authenticated:
        beeindig_sessie(session.get(SESSIE_SLEUTEL))
        audit.log("logout", door=current_user, object_type="gebruiker", object_id=current_user.id)
        db.session.commit()
    return _uitloggen("U bent uitgelogd.")


@bp.post("/logout/overal")
@login_required
def logout_overal():
    """End every login of this user, on every device (e.g. after losing a phone)."""
    beeindig_alle_sessies(current_user)
    audit.log("logout.overal", door=current_user, object_type="gebruiker",
              object_id=current_user.id)
    db.session.commit()
    return _uitloggen("U bent uitgelogd op al uw apparaten.")
