"""Extract an article page: main text, sanitized HTML and metadata, never raising on bad input."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import datetime

from akhbar.extract.dates import date_from_page, utc_now
from akhbar.extract.metadata import read_metadata
from akhbar.extract.page import decode_page, parse_page
from akhbar.extract.sanitize import html_to_blocks, sanitize_html
from akhbar.extract.text import choose_body, drop_title_heading, first_image, main_content_html
from akhbar.models import ExtractedArticle

LOG = logging.getLogger(__name__)


def extract_article(html: bytes | str, url: str) -> ExtractedArticle:
    """Return what can be extracted from an article page; empty fields when the page yields nothing."""
    try:
        return extract_at(html, url, utc_now())
    except Exception as exc:  # the pipeline keeps the feed's summary; one bad page must not stop a refresh
        LOG.warning("extract: cannot extract %s: %s: %s", url, type(exc).__name__, exc)
        return ExtractedArticle()


def extract_at(html: bytes | str, url: str, now: datetime) -> ExtractedArticle:
    """Return the extraction of a page as of the time now (dates after now are refused)."""
    tree = parse_page(decode_page(html))
    if tree is None:
        return ExtractedArticle()
    meta = read_metadata(tree, url, now)
    base = meta.base_url
    body = choose_body(sanitize_html(main_content_html(tree, base), base), meta.body, base)
    body = drop_title_heading(body, meta.title)
    return ExtractedArticle(
        text=html_to_blocks(body),
        html=body,
        title=meta.title,
        author=meta.author,
        published=meta.published or date_from_page(tree, url, now),
        image=meta.image or first_image(body),
        canonical_url=meta.canonical_url,
        language=meta.language,
    )


def render_extracted(article: ExtractedArticle, as_json: bool) -> str:
    """Return an extraction as JSON or as a short human-readable report (for `akhbar extract`)."""
    fields = asdict(article)
    fields["published"] = article.published.isoformat() if article.published else None
    if as_json:
        return json.dumps(fields, ensure_ascii=False, indent=2)
    labels = (("Title", "title"), ("Author", "author"), ("Published", "published"), ("Image", "image"),
              ("Canonical", "canonical_url"), ("Language", "language"))  # fmt: skip
    lines = [f"{label + ':':<11}{fields[key] or '-'}" for label, key in labels]
    return "\n".join([*lines, "", article.text or "(no article text found)"])
