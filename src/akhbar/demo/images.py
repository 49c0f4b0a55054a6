"""Generate deterministic JPEG illustrations for demo articles with Pillow (no image files shipped)."""

from __future__ import annotations

import hashlib
import io
import random
import unicodedata

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 800, 450


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _ascii(text: str) -> str:
    # The bundled default font covers ASCII only: accents and Arabic would draw as boxes.
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.replace("\u2019", "'").strip()


def _label(caption: str, outlet_name: str, fallback: str) -> str:
    for text in (caption, outlet_name, fallback):
        folded = _ascii(text)
        if folded and folded.isascii():
            return folded if len(folded) <= 60 else folded[:57].rstrip() + "..."
    return fallback


def _background(base: tuple[int, int, int], rng: random.Random) -> Image.Image:
    dark = _mix(base, (0, 0, 0), 0.55)
    light = _mix(base, (255, 255, 255), 0.35)
    mask = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize((WIDTH, HEIGHT))
    size = (WIDTH, HEIGHT)
    return Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, light), mask)


def _shapes(draw: ImageDraw.ImageDraw, base: tuple[int, int, int], rng: random.Random) -> None:
    for _ in range(rng.randint(4, 9)):
        tone = _mix(base, (255, 255, 255) if rng.random() < 0.5 else (0, 0, 0), rng.uniform(0.15, 0.6))
        x, y = rng.randint(-100, WIDTH), rng.randint(-100, HEIGHT)
        size = rng.randint(40, 260)
        box = (x, y, x + size, y + size * rng.uniform(0.5, 1.2))
        kind = rng.choice(("ellipse", "rectangle", "polygon"))
        if kind == "ellipse":
            draw.ellipse(box, fill=tone)
        elif kind == "rectangle":
            draw.rectangle(box, fill=tone)
        else:
            draw.polygon([(x, y + size), (x + size / 2, y), (x + size, y + size)], fill=tone)


def render_image(seed: str, color: str, caption: str, outlet_name: str) -> bytes:
    """Return an 800x450 JPEG drawn from the seed: gradient, shapes and a caption band."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    base = _rgb(color)
    image = _background(base, rng)
    draw = ImageDraw.Draw(image)
    _shapes(draw, base, rng)
    draw.rectangle((0, HEIGHT - 64, WIDTH, HEIGHT), fill=_mix(base, (0, 0, 0), 0.7))
    font = ImageFont.load_default(size=24)
    draw.text((24, HEIGHT - 46), _label(caption, outlet_name, seed), fill=(250, 250, 250), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
