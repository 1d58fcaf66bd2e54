"""Wijkbeeld: the figures of a wijk in one place, for staff and the wijkraad."""
