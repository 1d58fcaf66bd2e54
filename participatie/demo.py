"""Realistic demo content for Hengelo (used by `flask --app wsgi demo`)."""

from __future__ import annotations


def vul(aantal_meldingen: int) -> list[str]:
    """Create demo content once (flushes); returns lines to print."""
    return []
