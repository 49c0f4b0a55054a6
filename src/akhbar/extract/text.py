"""Main text of a page with trafilatura, plus the JSON-LD articleBody fallback."""

from __future__ import annotations

import html as htmllib
import logging
import re

from lxml.html import HtmlElement

from akhbar.extract.sanitize import html_to_text, sanitize_html

LOG = logging.getLogger(__name__)

# When the text trafilatura finds is under this share of the JSON-LD articleBody, the page showed only a
# teaser (paywall, "read more" button, text injected by script) and the articleBody is the better text.
# Measured on tests/extract/data: the paywalled page's teaser is 20% of its articleBody, while a page that
# shows its whole text comes out near 100%; 0.5 sits between with room on both sides.
BODY_SHARE = 0.5
_HAS_TAGS = re.compile(r"</?(?:p|br|div|h[1-6]|ul|ol|li|em|strong|a|span|figure|img)\b", re.IGNORECASE)
_LEADING_HEADING = re.compile(r"^\s*<h([2-6])>(.*?)</h\1>\s*", re.DOTALL)
_FIRST_IMAGE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def main_content_html(tree: HtmlElement, url: str) -> str:
    """Return the main content of a parsed page as (unsanitized) HTML, or "" when none is found."""
    # Imported late: trafilatura is heavy, and only worker processes need it.
    from trafilatura import bare_extraction
    from trafilatura.htmlprocessing import build_html_output

    try:
        # The tree is passed (never a URL string), so trafilatura has nothing to download;
        # bare_extraction copies the tree before pruning it, so ours stays intact for the date search.
        document = bare_extraction(
            tree,
            url=url or None,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_formatting=True,
            include_links=True,
            with_metadata=False,
        )
    except Exception as exc:  # trafilatura is heuristic code; a failure only means "no main text"
        LOG.debug("extract: trafilatura failed on %s: %s", url, exc)
        return ""
    if document is None or isinstance(document, dict) or document.body is None:
        return ""
    return build_html_output(document)


def jsonld_body_html(body: str, base_url: str) -> str:
    """Return a JSON-LD articleBody (plain text or HTML) as sanitized HTML paragraphs."""
    if _HAS_TAGS.search(body):
        return sanitize_html(body, base_url)
    paragraphs = (line.strip() for line in re.split(r"\n+", htmllib.unescape(body)))
    return sanitize_html("".join(f"<p>{htmllib.escape(p)}</p>" for p in paragraphs if p), base_url)


def choose_body(extracted_html: str, jsonld_body: str, base_url: str) -> str:
    """Return the sanitized body to keep: trafilatura's, unless the JSON-LD articleBody is much longer."""
    if not jsonld_body.strip():
        return extracted_html
    ld_html = jsonld_body_html(jsonld_body, base_url)
    if len(html_to_text(extracted_html)) < BODY_SHARE * len(html_to_text(ld_html)):
        return ld_html
    return extracted_html


def first_image(html: str) -> str:
    """Return the src of the first image of a sanitized fragment, else ""."""
    match = _FIRST_IMAGE.search(html)
    return htmllib.unescape(match.group(1)) if match else ""


def drop_title_heading(html: str, title: str) -> str:
    """Return a sanitized body without a leading heading that only repeats the title (shown apart)."""
    match = _LEADING_HEADING.match(html)
    if match and title and html_to_text(match.group(2)).casefold() == title.casefold():
        return html[match.end() :]
    return html
