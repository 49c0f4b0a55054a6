"""Checking and re-encoding: sniffed types, bomb limits, sane sizes, metadata stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from akhbar.images import ImageError, process, sniff

LIMITS = {"max_pixels": 4_000_000, "max_width": 1200, "quality": 80}


@pytest.mark.parametrize(
    ("kind", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("GIF", "GIF"), ("WEBP", "WEBP")]
)
def test_sniff_recognises_the_four_formats(make_image, kind: str, expected: str) -> None:
    assert sniff(make_image(kind)) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>not an image</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"BM" + b"\0" * 64,  # BMP: a real image format, but not one we accept
        b"",
    ],
)
def test_other_content_is_refused_whatever_it_claims(data: bytes) -> None:
    with pytest.raises(ImageError, match="not a JPEG, PNG, GIF or WebP"):
        process(data, **LIMITS)


def test_jpeg_is_reencoded_without_exif_or_icc(make_image) -> None:
    original = make_image("JPEG", (300, 200), exif=True, icc=True)
    assert b"SecretCameraMaker" in original
    done = process(original, **LIMITS)
    assert done.content_type == "image/jpeg"
    assert b"SecretCameraMaker" not in done.data and b"fake-icc-profile" not in done.data
    with Image.open(io.BytesIO(done.data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "icc_profile" not in image.info
    assert (done.width, done.height) == (300, 200)


@pytest.mark.parametrize("kind", ["PNG", "GIF", "WEBP"])
def test_other_formats_become_webp(make_image, kind: str) -> None:
    done = process(make_image(kind, (50, 40)), **LIMITS)
    assert done.content_type == "image/webp"
    with Image.open(io.BytesIO(done.data)) as image:
        assert image.format == "WEBP" and image.size == (50, 40)


def test_transparent_png_keeps_its_alpha(make_image) -> None:
    done = process(make_image("PNG", (20, 20), (0, 0, 0, 0), mode="RGBA"), **LIMITS)
    with Image.open(io.BytesIO(done.data)) as image:
        assert image.mode == "RGBA"


def test_wide_images_are_scaled_down_keeping_the_ratio(make_image) -> None:
    done = process(make_image("JPEG", (2400, 1000)), **LIMITS)
    assert (done.width, done.height) == (1200, 500)


def test_hash_is_of_the_original_bytes(make_image) -> None:
    import hashlib

    original = make_image("PNG")
    assert process(original, **LIMITS).sha256 == hashlib.sha256(original).hexdigest()


def test_a_decompression_bomb_is_refused_from_its_header(make_image) -> None:
    # A plain 5000x5000 PNG compresses to a few kB but would decode to 75 MB.
    bomb = make_image("PNG", (5000, 5000), (255, 255, 255))
    assert len(bomb) < 200_000
    with pytest.raises(ImageError, match=r"5000x5000 pixels is more than the 1000000 allowed|cannot read"):
        process(bomb, max_pixels=1_000_000, max_width=1200, quality=80)


def test_truncated_data_is_a_clear_error(make_image) -> None:
    data = make_image("PNG", (200, 200))
    with pytest.raises(ImageError, match="images: "):
        process(data[: len(data) // 2], **LIMITS)
