"""The buurtbudget blueprint's views: the residents' pages and the staff's."""

from participatie.buurtbudget.views import beheer, beheer_ideeen, ideeen, openbaar  # noqa: F401
