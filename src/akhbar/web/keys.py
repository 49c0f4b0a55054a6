"""The portal's secret key: from the secret_key setting, else generated once into <data_dir>/secret_key."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from akhbar.config import ConfigError, Settings

KEY_FILE = "secret_key"
KEY_BYTES = 32


def secret_key(settings: Settings) -> str:
    """Return the key that signs tokens (CSRF): the setting when set, else the data directory's key file."""
    configured = str(settings.secret_key or "")
    if configured:
        return configured
    return _key_file(str(Path(settings.data_dir).expanduser().resolve()))


@lru_cache(maxsize=8)
def _key_file(data_dir: str) -> str:
    """Read <data_dir>/secret_key, creating it (mode 0600) on first start."""
    path = Path(data_dir) / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(KEY_BYTES)
    draft = path.with_name(f".{KEY_FILE}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    try:
        # A link never replaces: when two processes start at once, one key wins and both read it.
        os.link(draft, path)
    except FileExistsError:
        return _read(path)
    finally:
        draft.unlink(missing_ok=True)
    return key


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 16:
        raise ConfigError(f"config: {path} holds no usable secret key (delete it to generate a new one)")
    return key
