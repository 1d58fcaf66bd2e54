from datetime import UTC, datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from participatie.accounts import bp
from participatie.accounts.forms import LoginForm
from participatie.accounts.services import load_user, password_matches, user_by_email
from participatie.extensions import db, limiter, login_manager

login_manager.user_loader(load_user)
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.login_message_category = "let-op"

MISLUKT = "Deze combinatie van e-mailadres en wachtwoord kennen wij niet."


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("moderatie.inbox")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        now = datetime.now(UTC)
        if user and user.geblokkeerd_tot and user.geblokkeerd_tot > now:
            minuten = max(1, int((user.geblokkeerd_tot - now).total_seconds() // 60) + 1)
            form.password.errors.append(
                f"Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
                f"Probeer het over {minuten} minuten opnieuw."
            )
        elif user and user.actief and password_matches(user, form.password.data):
            user.mislukte_pogingen = 0
            user.geblokkeerd_tot = None
            user.laatst_ingelogd = now
            db.session.commit()
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            session.permanent = True
            return redirect(next_url)
        else:
            if user:
                user.mislukte_pogingen += 1
                if user.mislukte_pogingen >= current_app.config["LOGIN_MAX_FAILURES"]:
                    user.geblokkeerd_tot = now + timedelta(
                        minutes=current_app.config["LOGIN_LOCK_MINUTES"]
                    )
                    user.mislukte_pogingen = 0
                db.session.commit()
            form.password.errors.append(MISLUKT)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "succes")
    return redirect(url_for("web.home"))
