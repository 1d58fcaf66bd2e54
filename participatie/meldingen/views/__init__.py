"""The meldingen blueprint's views: the resident's flow, tracking, the public map, feedback,
and the staff page of one melding."""

from participatie.meldingen.views import (  # noqa: F401
    beheer,
    kaart,
    melden,
    terugkoppeling,
    volgen,
)
