"""Imports every model so that Alembic and the tests see the whole schema."""

from participatie.accounts.models import Organisatie, User  # noqa: F401
from participatie.api.models import ApiSleutel  # noqa: F401
from participatie.audit import AuditRegel  # noqa: F401
from participatie.buurtbudget.models import (  # noqa: F401
    Budgetronde,
    Idee,
    IdeeUpdate,
    IdeeVolger,
    Stem,
    Stemcode,
    StemKeuze,
)
from participatie.enquetes.models import (  # noqa: F401
    Antwoord,
    Enquete,
    Enquetecode,
    Optie,
    Respons,
    Telling,
    Vraag,
)
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
from participatie.wijkbeeld.models import (  # noqa: F401
    Doorlooptijd,
    Kerncijfer,
    Melders,
    MeldingCijfer,
    StemcodeTelling,
    StemTelling,
)
from participatie.wijkraad.models import Overzichtmail, Reactie, ReactieAntwoord  # noqa: F401

# Indexes that only the migrations write, in SQL the models cannot say as such (covering
# indexes with INCLUDE and DESC keys in 0003/0006/0013). The
# comparison of models and migrations (tests/test_migraties.py, `flask db check`) skips them.
INDEXEN_ALLEEN_IN_MIGRATIES = frozenset({
    "ix_contact_melder_email",
    "ix_melding_heropen_dekkend",
    "ix_melding_open_buurt_dekkend",
    "ix_melding_created",
    "ix_melding_open_created",
    "ix_melding_open_wijk_created",
    "ix_melding_wijk_created",
})
