"""One declarative table of settings, read from AKHBAR_* environment variables and an optional .env file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name (without the AKHBAR_ prefix), type, default and a help line."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env_name(self) -> str:
        """Return the environment variable that sets this setting."""
        return f"AKHBAR_{self.name.upper()}"


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str, "./data", "Directory for the embedded database and caches."),
    Setting("database_url", str, "", "SQLAlchemy URL; empty means SQLite at <data_dir>/akhbar.db."),
    Setting(
        "auto_migrate",
        bool,
        True,
        "Apply pending database migrations at start-up; if off, refuse to run on an old schema.",
    ),
    Setting(
        "base_url",
        str,
        "http://127.0.0.1:8000",
        "Public URL of this portal (used in the User-Agent and links).",
    ),
    Setting("host", str, "127.0.0.1", "Address the web server listens on."),
    Setting("port", int, 8000, "Port the web server listens on."),
    Setting(
        "load_default_sources",
        bool,
        True,
        "On first start with an empty registry, load the shipped list of outlets.",
    ),
    Setting(
        "fetch_allow_private", bool, False, "Allow fetching loopback/private addresses (demo and tests only)."
    ),
    Setting("fetch_user_agent", str, "", "User-Agent; empty means 'akhbar/<version> (+<base_url>)'."),
    Setting("fetch_connect_timeout", float, 10.0, "Seconds allowed to open a connection."),
    Setting("fetch_total_timeout", float, 30.0, "Seconds allowed for a whole request, body included."),
    Setting(
        "fetch_max_bytes", int, 10 * 1024 * 1024, "Largest response body accepted, enforced while streaming."
    ),
    Setting("fetch_max_redirects", int, 5, "Most redirects followed for one request."),
    Setting("fetch_per_host", int, 2, "Concurrent requests allowed to one host."),
    Setting("fetch_concurrency", int, 32, "Concurrent requests allowed in all."),
    Setting("fetch_respect_robots", bool, True, "Obey robots.txt of each host (cached)."),
    Setting("fetch_retries", int, 2, "Retries of a request after 429/503 or a transient network error."),
    Setting(
        "fetch_article_pages",
        str,
        "auto",
        "Fetch article pages: auto (when the feed has only a summary), always or never.",
    ),
    Setting("extract_processes", int, 0, "Processes for article extraction; 0 means one per CPU core."),
    Setting(
        "extract_nice",
        int,
        10,
        "Niceness (0-19) added to the extraction processes, so the web server and fetches get the CPU first.",
    ),
    Setting(
        "ingest_nice",
        int,
        10,
        "Niceness (0-19) of `akhbar run`'s ingestion process (scheduler, fetches, parsing, storing), so page "
        "requests get the CPU first; its extraction processes add extract_nice to it.",
    ),
    Setting("schedule_min_interval", int, 300, "Shortest time between two checks of a source, in seconds."),
    Setting("schedule_max_interval", int, 21600, "Longest time between two checks of a source, in seconds."),
    Setting("schedule_max_failures", int, 10, "Consecutive failures after which a source is disabled."),
    Setting("schedule_tick", float, 5.0, "Seconds between two looks of the scheduler for due sources."),
    Setting("max_items_per_feed", int, 10000, "Most items taken from one feed in one refresh."),
    Setting(
        "story_window_hours",
        int,
        72,
        "Hours an open story (and a text's near-duplicate signature) waits for new articles to join it.",
    ),
    Setting("log_level", str, "INFO", "Logging level (DEBUG, INFO, WARNING, ERROR)."),
    Setting(
        "edition_languages",
        str,
        "fr:fr,en,es;ar:ar,fr;en:en,fr,es;es:es,fr,en",
        "Article languages each edition carries, its own first: 'edition:lang,lang;...'.",
    ),
    Setting("display_timezone", str, "Africa/Casablanca", "Time zone of the dates shown on the pages."),
    Setting(
        "page_cache_ttl",
        float,
        60.0,
        "Seconds a rendered page stays in the response cache (new articles empty it sooner); 0 turns it off.",
    ),
    Setting(
        "page_cache_min_fresh",
        float,
        5.0,
        "Seconds a cached page is served before new articles may have it rendered again (bounds re-renders).",
    ),
    Setting("feed_items", int, 50, "Articles in each RSS/Atom feed the portal publishes."),
    Setting(
        "secret_key",
        str,
        "",
        "Key that signs CSRF tokens; empty means one generated once into <data_dir>/secret_key (mode 0600).",
    ),
    Setting("session_max_age", int, 43200, "Seconds an operator's login session lasts (12 hours)."),
    Setting(
        "broker_url",
        str,
        "redis://127.0.0.1:6379/0",
        "Celery broker of `akhbar worker` and `akhbar scheduler` (RabbitMQ: amqp://user:pass@host:5672//).",
    ),
    Setting(
        "worker_concurrency", int, 0, "Tasks one `akhbar worker` runs at once; 0 means one per CPU core."
    ),
    Setting(
        "broker_visibility_timeout",
        int,
        3600,
        "Seconds before a task taken by a worker that died is handed to another (Redis broker).",
    ),
    Setting(
        "lease_seconds",
        int,
        900,
        "Seconds a source handed to the workers stays reserved; after that the scheduler hands it out again.",
    ),
    Setting(
        "scheduler_batch", int, 500, "Most due sources `akhbar scheduler` hands to the workers per tick."
    ),
    Setting(
        "fetch_verify_tls", bool, True, "Verify the TLS certificates of feeds and pages (off only for tests)."
    ),
    Setting(
        "retention_days",
        int,
        0,
        "Days after which article bodies (text, HTML) are pruned; titles and links stay. 0 keeps all.",
    ),
    Setting(
        "min_free_mb", int, 200, "Free disk space (MB) below which ingestion pauses while the site serves."
    ),
    Setting(
        "trusted_proxies",
        str,
        "",
        "Comma-separated proxy addresses or networks whose X-Forwarded-For is believed; empty trusts none.",
    ),
    Setting("report_min_reporters", int, 3, "Distinct reporters (weighted) whose reports block an image."),
    Setting("report_min_networks", int, 2, "Distinct networks (IPv4 /24, IPv6 /64) the reports come from."),
    Setting("report_rate_limit", int, 20, "Image reports one reporter, or one network, may make in an hour."),
    Setting(
        "report_restore_protection",
        int,
        604800,
        "Seconds a restored image is protected from automatic re-blocking (7 days).",
    ),
    Setting("image_max_bytes", int, 5_000_000, "Largest image (bytes) the image cache downloads."),
    Setting(
        "image_max_pixels",
        int,
        40_000_000,
        "Largest image (width x height) the image cache decodes; bigger ones are refused as bombs.",
    ),
    Setting("image_max_width", int, 1200, "Width (pixels) cached images are scaled down to, at most."),
    Setting("image_quality", int, 80, "JPEG/WebP quality (1-95) of re-encoded cached images."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_PARSERS: dict[type, Callable[[str], Any]] = {bool: _bool, int: int, float: float, str: str}


@dataclass(frozen=True)
class Settings:
    """Effective settings: a value for every entry of SETTINGS."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name == "values":  # not set yet (an instance being unpickled): no recursion through __getattr__
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some values changed (unknown names are refused)."""
        unknown = set(changes) - set(_BY_NAME)
        if unknown:
            raise ConfigError(f"config: unknown setting(s): {', '.join(sorted(unknown))}")
        return Settings({**self.values, **changes})

    @property
    def database_url_effective(self) -> str:
        """Return the database URL, defaulting to SQLite inside data_dir."""
        if self.values["database_url"]:
            return str(self.values["database_url"])
        return f"sqlite:///{Path(self.values['data_dir']) / 'akhbar.db'}"

    @property
    def user_agent(self) -> str:
        """Return the User-Agent string naming the portal and its URL."""
        from akhbar import __version__

        return self.values["fetch_user_agent"] or f"akhbar/{__version__} (+{self.values['base_url']})"


def _parse(setting: Setting, raw: str) -> Any:
    try:
        return _PARSERS[setting.type](raw)
    except ValueError as exc:
        raise ConfigError(
            f"config: {setting.env_name}={raw!r} is not a valid {setting.type.__name__}: {exc}"
        ) from None


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings from a .env file (if present) and the environment; the environment wins."""
    raw: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    raw.update(os.environ if environ is None else environ)
    values = {s.name: _parse(s, raw[s.env_name]) if s.env_name in raw else s.default for s in SETTINGS}
    if values["fetch_article_pages"] not in {"auto", "always", "never"}:
        raise ConfigError("config: AKHBAR_FETCH_ARTICLE_PAGES must be auto, always or never")
    return Settings(values)


def settings_markdown() -> str:
    """Return the settings table as Markdown (docs/configuration.md embeds it)."""
    rows = ["| variable | type | default | what it does |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        rows.append(f"| `{s.env_name}` | {s.type.__name__} | `{s.default!s}` | {s.help} |")
    return "\n".join(rows) + "\n"
