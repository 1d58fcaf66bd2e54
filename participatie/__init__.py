"""Participatie: meldingen, moderatie en de wijkagenda voor een Nederlandse gemeente."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from participatie.config import Config, development_secret_key


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: load settings, bind extensions, register blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(Config().as_dict())
    if config:
        app.config.from_mapping(config)
    if not app.config["SECRET_KEY"]:  # development; Config refuses this in production
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from participatie import cli, geheimelink, mail, statisch, tijd, timing, web
    from participatie.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    timing.init_app(app)  # first: its hooks wrap those of everything below
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    login_manager.init_app(app, add_context_processor=False)  # web.py: a lazy current_user
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    web.init_app(app)
    geheimelink.init_app(app)
    statisch.init_app(app)
    tijd.init_app(app)
    mail.init_app(app)
    cli.init_app(app)

    from participatie.accounts import bp as accounts_bp
    from participatie.api import bp as api_bp
    from participatie.buurtbudget import bp as buurtbudget_bp
    from participatie.enquetes import bp as enquetes_bp
    from participatie.gebieden import bp as gebieden_bp
    from participatie.meldingen import bp as meldingen_bp
    from participatie.moderatie import bp as moderatie_bp
    from participatie.wijkagenda import bp as wijkagenda_bp
    from participatie.wijkbeeld import bp as wijkbeeld_bp
    from participatie.wijkpagina import bp as wijkpagina_bp
    from participatie.wijkraad import bp as wijkraad_bp

    app.register_blueprint(web.bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(gebieden_bp)
    # Meldingen, buurtbudget, enquêtes: the order of registration is the order of the kinds in
    # the inbox (Soort filter, counts, bulk form).
    app.register_blueprint(meldingen_bp)
    app.register_blueprint(buurtbudget_bp)
    app.register_blueprint(enquetes_bp)
    app.register_blueprint(moderatie_bp)
    app.register_blueprint(wijkagenda_bp)
    app.register_blueprint(wijkbeeld_bp)
    app.register_blueprint(wijkpagina_bp)
    app.register_blueprint(wijkraad_bp)
    return app


def _migrations_dir() -> str:
    from participatie.config import PROJECT_DIR

    return str(PROJECT_DIR / "migrations")
