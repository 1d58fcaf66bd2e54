"""The buurtbudget blueprint's views: the residents' pages and the staff's."""

from participatie.buurtbudget.views import beheer, openbaar, stemmen, uitslag  # noqa: F401
