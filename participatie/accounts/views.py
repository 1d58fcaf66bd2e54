from datetime import UTC, datetime, timedelta
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
from flask_login import current_user, login_user, logout_user

from participatie import audit  # module import: audit itself imports accounts.models
from participatie.accounts import bp
from participatie.accounts.forms import LoginForm
from participatie.accounts.services import load_user, password_matches, user_by_email
from participatie.extensions import db, htmx, limiter, login_manager

login_manager.user_loader(load_user)
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.login_message_category = "let-op"

MISLUKT = "Deze combinatie van e-mailadres en wachtwoord kennen wij niet."


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


def _poging(email: str, **extra) -> dict:
    return {"email": email, "ip": request.remote_addr or "onbekend", **extra}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = user_by_email(email)
        object_id = user.id if user else "onbekend"
        now = datetime.now(UTC)
        if user and user.geblokkeerd_tot and user.geblokkeerd_tot > now:
            minuten = max(1, int((user.geblokkeerd_tot - now).total_seconds() // 60) + 1)
            form.password.errors.append(
                f"Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
                f"Probeer het over {minuten} minuten opnieuw."
            )
            audit.log("login.mislukt", door=None, object_type="gebruiker", object_id=object_id,
                na=_poging(email, reden="geblokkeerd"))
            db.session.commit()
        elif password_matches(user, form.password.data) and user.actief:
            user.mislukte_pogingen = 0
            user.geblokkeerd_tot = None
            user.laatst_ingelogd = now
            audit.log("login", door=user, object_type="gebruiker", object_id=user.id,
                na={"ip": request.remote_addr or "onbekend"})
            db.session.commit()
            next_url = _safe_next(request.args.get("next"))
            _nieuwe_sessie()  # no fixation: nothing from before the login survives
            login_user(user)
            session.permanent = True
            return redirect(next_url)
        else:
            reden = "onbekend e-mailadres" if user is None else (
                "account staat uit" if not user.actief else "verkeerd wachtwoord")
            audit.log("login.mislukt", door=None, object_type="gebruiker", object_id=object_id,
                na=_poging(email, reden=reden))
            if user:
                user.mislukte_pogingen += 1
                if user.mislukte_pogingen >= current_app.config["LOGIN_MAX_FAILURES"]:
                    user.geblokkeerd_tot = now + timedelta(
                        minutes=current_app.config["LOGIN_LOCK_MINUTES"]
                    )
                    user.mislukte_pogingen = 0
                    audit.log("login.geblokkeerd", door=None, object_type="gebruiker",
                        object_id=user.id,
                        na=_poging(email, tot=user.geblokkeerd_tot.isoformat()))
            db.session.commit()
            form.password.errors.append(MISLUKT)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        audit.log("logout", door=current_user, object_type="gebruiker", object_id=current_user.id)
        db.session.commit()
    logout_user()
    _nieuwe_sessie()
    flash("U bent uitgelogd.", "succes")
    return redirect(url_for("web.home"))

