"""The buurtbudget blueprint's views: the residents' pages and the staff's."""

from participatie.buurtbudget.views import (  # noqa: F401
    beheer,
    beheer_ideeen,
    ideeen,
    openbaar,
    stemmen,
    uitslag,
)
