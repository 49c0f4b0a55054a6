"""Editions: the setting that says which languages each edition carries."""

from __future__ import annotations

import pytest

from akhbar.config import ConfigError
from akhbar.web.editions import parse_editions


def test_default_setting_gives_four_editions(settings):
    editions = parse_editions(settings.edition_languages)
    assert set(editions) == {"fr", "ar", "en", "es"}
    assert editions["fr"].prefix == "" and editions["ar"].prefix == "/ar"
    assert editions["ar"].dir == "rtl" and editions["fr"].dir == "ltr"
    assert editions["ar"].languages[0] == "ar" and editions["fr"].languages == ("fr", "en", "es")
    assert editions["en"].path("/source/x") == "/en/source/x"


def test_missing_edition_carries_its_own_language():
    assert parse_editions("fr:fr")["es"].languages == ("es",)


def test_unknown_edition_is_refused():
    with pytest.raises(ConfigError, match="unknown edition"):
        parse_editions("xx:fr")
