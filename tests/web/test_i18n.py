"""The interface catalogues: every string used is there, translated in ar/en/es; dates and ages per locale."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from akhbar.web.editions import parse_editions
from akhbar.web.i18n import LOCALES, gettext_for, read_catalog
from akhbar.web.rendering import Helpers

WEB = Path(__file__).resolve().parents[2] / "src" / "akhbar" / "web"
CALL = re.compile(r"""\b_\(\s*(?:"([^"]+)"|'([^']+)')\s*\)""")


def used_msgids() -> set[str]:
    """Return every string passed to _() in the reader templates and views."""
    files = [*WEB.glob("templates/*.html"), *WEB.glob("views/*.py"), WEB / "rendering.py"]
    return {a or b for path in files for a, b in CALL.findall(path.read_text(encoding="utf-8"))}


def test_strings_are_found():
    assert {
        "Cliquez ici pour lire l'article depuis sa source",
        "Publié dans {source} le {date}",
    } <= used_msgids()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_used_string_is_in_the_catalogue(locale):
    catalog = read_catalog(locale)
    missing = sorted(m for m in used_msgids() if m not in catalog)
    assert not missing


@pytest.mark.parametrize("locale", ["ar", "en", "es"])
def test_catalogue_is_fully_translated_with_its_placeholders(locale):
    catalog = read_catalog(locale)
    for message in catalog:
        if not message.id:
            continue
        assert message.string, f"{locale}: {message.id!r} is not translated"
        assert set(re.findall(r"{\w+}", message.id)) == set(re.findall(r"{\w+}", message.string))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "Cliquez ici pour lire l'article depuis sa source"),
        ("ar", "انقر هنا لقراءة المقال من مصدره"),
        ("en", "Click here to read the article at its source"),
        ("es", "Haga clic aquí para leer el artículo en su fuente"),
    ],
)
def test_gettext_per_locale(locale, expected):
    assert gettext_for(locale)("Cliquez ici pour lire l'article depuis sa source") == expected


@pytest.mark.parametrize(
    ("locale", "minutes", "expected"),
    [
        ("fr", 5, "il y a 5\xa0min"),
        ("ar", 5, "قبل 5 دقائق"),
        ("en", 5, "5 min. ago"),
        ("es", 5, "hace 5 min"),
        ("fr", 180, "il y a 3\xa0h"),
        ("es", 60 * 49, "hace 2 d"),
    ],
)
def test_relative_ages_per_locale(locale, minutes, expected):
    now = datetime(2025, 1, 30, 12, 0, tzinfo=UTC)
    helpers = Helpers(edition=parse_editions("")[locale], now=now)
    assert helpers.age(now - timedelta(minutes=minutes)) == expected


def test_a_time_in_the_future_never_reads_in_the_future():
    now = datetime(2025, 1, 30, 12, 0, tzinfo=UTC)
    assert Helpers(now=now).age(now + timedelta(minutes=3)).startswith("il y a")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr", "30 janvier 2025"), ("en", "January 30, 2025"), ("es", "30 de enero de 2025")],
)
def test_long_dates_per_locale(locale, expected):
    assert Helpers(edition=parse_editions("")[locale]).long_day(date(2025, 1, 30)) == expected


def test_short_date_is_the_reference_form_in_the_display_zone():
    from zoneinfo import ZoneInfo

    helpers = Helpers(tz=ZoneInfo("Africa/Casablanca"))
    assert helpers.day(datetime(2025, 1, 30, 23, 30, tzinfo=UTC)) == "31 - 01 - 2025"
    assert Helpers().day(datetime(2025, 1, 30, 23, 30, tzinfo=UTC)) == "30 - 01 - 2025"
