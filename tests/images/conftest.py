"""Image-cache fixtures: a fresh store on SQLite and PostgreSQL, and small images made with Pillow."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from akhbar.store import Store

MakeImage = Callable[..., bytes]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a fresh database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'akhbar.db'}"
    return str(request.getfixturevalue("postgresql_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Open a fresh, migrated store; close it after the test."""
    opened = Store.open(db_url)
    yield opened
    opened.close()


def _make_image(
    kind: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    color: tuple[int, ...] = (200, 30, 30),
    *,
    exif: bool = False,
    icc: bool = False,
    mode: str = "RGB",
) -> bytes:
    image = Image.new(mode, size, color)
    options: dict[str, object] = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCameraMaker"  # Make
        tags[0x0132] = "2024:01:01 10:00:00"  # DateTime
        options["exif"] = tags.tobytes()
    if icc:
        options["icc_profile"] = b"\0" * 128 + b"fake-icc-profile"
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


@pytest.fixture
def make_image() -> MakeImage:
    """Return a function that makes image bytes (format, size, colour, with EXIF/ICC on request)."""
    return _make_image
