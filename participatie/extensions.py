"""One instance of each Flask extension, bound to the app in create_app()."""

from collections.abc import Iterable

from flask import request
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def sql_lijst(waarden: Iterable[str]) -> str:
    """`'a', 'b'` for a CHECK constraint's IN list; an enum's members give their values."""
    return ", ".join(f"'{w}'" for w in waarden)


def _client_address() -> str:
    # ProxyFix (configured by PROXY_HOPS) has already put the real client in remote_addr.
    return request.remote_addr or "onbekend"


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
limiter = Limiter(key_func=_client_address, default_limits=[])
