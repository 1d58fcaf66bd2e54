"""Imports every model so that Alembic and the tests see the whole schema."""

from participatie.accounts.models import Organisatie, User  # noqa: F401
from participatie.audit import AuditRegel  # noqa: F401
from participatie.gebieden.models import Buurt, Gemeente, Wijk  # noqa: F401
from participatie.mail import Uitgaand  # noqa: F401
from participatie.meldingen.models import (  # noqa: F401
    Categorie,
    CategorieGroep,
    Contact,
    Foto,
    Gebeurtenis,
    Melding,
    MeldingTelling,
)
from participatie.wijkagenda.models import Leefbaarheidsvraag, VraagBron  # noqa: F401
