"""The image cache: signed /img URLs, guarded fetching, re-encoding, and blocked images kept out of sight."""

from akhbar.images.cache import ImageCache, Served
from akhbar.images.process import ImageError, Processed, process, sniff
from akhbar.images.public import (
    PLACEHOLDER,
    ImageLinks,
    article_image_urls,
    html_image_urls,
    is_hidden,
    public_src,
    rewrite_html,
)
from akhbar.images.signing import image_path, parse_image_path, verify

__all__ = [
    "PLACEHOLDER",
    "ImageCache",
    "ImageError",
    "ImageLinks",
    "Processed",
    "Served",
    "article_image_urls",
    "html_image_urls",
    "image_path",
    "is_hidden",
    "parse_image_path",
    "process",
    "public_src",
    "rewrite_html",
    "sniff",
    "verify",
]
