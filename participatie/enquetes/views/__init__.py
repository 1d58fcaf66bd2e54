"""The enquêtes blueprint's views: residents answering, staff building, results, answers."""

from participatie.enquetes.views import antwoorden, beheer, openbaar, uitslag  # noqa: F401
