"""Check and re-encode an outlet's image: sniffed type, bounded dimensions, sane size, no metadata."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Magic numbers of the formats we accept; the Content-Type header of the outlet is not believed.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
OUTPUT_TYPES = {"JPEG": "image/jpeg", "WEBP": "image/webp"}
# Taller than this many widths is a banner or a trap, not an illustration.
MAX_ASPECT = 4


class ImageError(Exception):
    """An image cannot be cached; the message is one line naming the cause."""


@dataclass(frozen=True)
class Processed:
    """A re-encoded image ready to be served, with the hash of the ORIGINAL bytes."""

    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str
    source_type: str


def sniff(data: bytes) -> str:
    """Return JPEG, PNG, GIF or WEBP from the leading bytes; raise ImageError for anything else."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    raise ImageError("images: not a JPEG, PNG, GIF or WebP image")


def _open(data: bytes, kind: str, max_pixels: int) -> Image.Image:
    """Open the image lazily and check its dimensions from the header before any pixel is decoded."""
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb check, set explicitly rather than its default
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"images: cannot read the {kind} image: {exc}") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise ImageError(f"images: {width}x{height} pixels is more than the {max_pixels} allowed")
    return image


def _decoded(image: Image.Image) -> Image.Image:
    """Decode the first frame, turned the way its EXIF says, in a mode the encoders take."""
    try:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image) or image
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow reports truncated/corrupt data this way
        raise ImageError(f"images: broken image data: {exc}") from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if has_alpha else "RGB")


def _resized(image: Image.Image, max_width: int) -> Image.Image:
    if image.width > max_width or image.height > max_width * MAX_ASPECT:
        image.thumbnail((max_width, max_width * MAX_ASPECT), Image.Resampling.LANCZOS)
    return image


def process(data: bytes, *, max_pixels: int, max_width: int, quality: int) -> Processed:
    """Return the image re-encoded (JPEG stays JPEG, the others become WebP), metadata stripped."""
    kind = sniff(data)
    with _open(data, kind, max_pixels) as opened:
        image = _resized(_decoded(opened), max_width)
    image.info.clear()  # EXIF, ICC, XMP and comments: the encoders would otherwise copy some of them
    out_format = "JPEG" if kind == "JPEG" and image.mode == "RGB" else "WEBP"
    buffer = io.BytesIO()
    if out_format == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=quality, method=4)
    return Processed(
        data=buffer.getvalue(),
        content_type=OUTPUT_TYPES[out_format],
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        source_type=kind,
    )
