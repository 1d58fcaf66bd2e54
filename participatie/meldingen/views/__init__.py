"""The meldingen blueprint's views: the resident's flow, the public map, feedback, and the
staff page of one melding."""

from participatie.meldingen.views import beheer, kaart, melden, terugkoppeling  # noqa: F401
