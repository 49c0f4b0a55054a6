"""The four editions of the portal (fr at /, ar at /ar/, en, es) and the languages each carries."""

from __future__ import annotations

from dataclasses import dataclass

from akhbar.config import ConfigError, Settings

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


@dataclass(frozen=True)
class Edition:
    """One edition: its code (= UI locale), URL prefix, direction and the article languages it carries."""

    code: str
    prefix: str  # "" for the default (French) edition, else "/ar" ...
    languages: tuple[str, ...]

    @property
    def dir(self) -> str:
        """Return the text direction of the edition's interface."""
        return "rtl" if self.code in RTL_LANGUAGES else "ltr"

    def path(self, rest: str = "/") -> str:
        """Return a path inside this edition ("/" -> "/ar/")."""
        return f"{self.prefix}{rest}"


DEFAULT_EDITION = "fr"
EDITION_CODES = ("fr", "ar", "en", "es")


def parse_editions(spec: str) -> dict[str, Edition]:
    """Read the edition_languages setting ('fr:fr,en,es;ar:ar,fr;...') into editions by code."""
    editions: dict[str, Edition] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        code, _, langs = part.partition(":")
        code = code.strip()
        if code not in EDITION_CODES:
            raise ConfigError(f"config: AKHBAR_EDITION_LANGUAGES names an unknown edition {code!r}")
        languages = tuple(lang.strip() for lang in langs.split(",") if lang.strip()) or (code,)
        prefix = "" if code == DEFAULT_EDITION else f"/{code}"
        editions[code] = Edition(code, prefix, languages)
    for code in EDITION_CODES:  # an edition left out of the setting still exists, carrying its own language
        editions.setdefault(code, Edition(code, "" if code == DEFAULT_EDITION else f"/{code}", (code,)))
    return editions


def editions_of(settings: Settings) -> dict[str, Edition]:
    """Return the editions configured in the settings."""
    return parse_editions(str(settings.edition_languages))
