"""Image bombs: a header claiming huge dimensions is refused before a single pixel is decoded."""

from __future__ import annotations

import struct
import zlib

import pytest
from PIL import ImageFile

images = pytest.importorskip("akhbar.images.process")


def png_header(width: int, height: int) -> bytes:
    """Return a small PNG whose header claims width x height pixels (its data could never fill them)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (7_000, 7_000), (60_000, 1_000)],  # 10 Gpx; just past 40 Mpx; a long strip
)
def test_huge_dimensions_are_refused_before_decoding(width: int, height: int, monkeypatch) -> None:
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(images.ImageError) as caught:
        images.process(png_header(width, height), max_pixels=40_000_000, max_width=1200, quality=80)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("images: ")


def test_pillow_limit_is_set_explicitly() -> None:
    from PIL import Image

    with pytest.raises(images.ImageError):
        images.process(png_header(5_000, 5_000), max_pixels=1_000_000, max_width=1200, quality=80)
    assert Image.MAX_IMAGE_PIXELS == 1_000_000  # ours, not Pillow's default of about 89 Mpx
