"""Gettext catalogues of the interface (French msgids), read from .po files at start: no compile step."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

CATALOGUE_DIR = Path(__file__).parent
DOMAIN = "messages"
LOCALES = ("fr", "ar", "en", "es")


def po_path(locale: str) -> Path:
    """Return the .po file of a locale."""
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locale: str) -> Catalog:
    """Read the .po catalogue of a locale."""
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


@cache
def translations(locale: str) -> Translations:
    """Return the translations of a locale, built in memory from its .po file (cached)."""
    if locale not in LOCALES:
        return Translations()
    buffer = BytesIO()
    write_mo(buffer, read_catalog(locale))
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext_for(locale: str) -> Callable[[str], str]:
    """Return the gettext function of a locale (the msgid itself when a message is missing)."""
    return translations(locale).gettext
