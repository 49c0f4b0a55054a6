"""Allow-list HTML sanitizing (nh3) and plain-text conversion of article fragments."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from typing import Literal
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure",
        "figcaption", "em", "strong", "b", "i", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td", "caption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(),  # no generic attributes (nh3 would otherwise keep title and lang everywhere)
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Elements whose content is dropped along with the tag (not just unwrapped).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math",
     "textarea", "select", "button", "title", "head"}
)  # fmt: skip
LINK_REL = "noopener noreferrer nofollow"
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_SIZE = re.compile(r"^\d{1,5}$")
_BLOCKS = re.compile(r"</?(?:p|li|h[1-6]|blockquote|figure|figcaption|tr|caption|ul|ol|table|div)\b",
                     re.IGNORECASE)  # fmt: skip
_BREAK = re.compile(r"<(?:br|/?td|/?th)\b", re.IGNORECASE)  # line breaks and table cells: a space
_SPACES = re.compile(r"\s+")
_MAX_PASSES = 4


def absolute_url(value: str, base_url: str, schemes: frozenset[str] = IMAGE_SCHEMES) -> str:
    """Return value resolved against base_url when its scheme is allowed, else ""."""
    value = value.strip()
    if not value:
        return ""
    try:
        resolved = urljoin(base_url, value) if base_url else value
        parts = urlsplit(resolved)
    except ValueError:
        return ""
    if parts.scheme.lower() not in schemes:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return resolved


def _attribute_filter(base_url: str) -> Callable[[str, str, str], str | None]:
    """Return an nh3 attribute callback that resolves and vets URLs and sizes."""

    def check(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href":
            return absolute_url(value, base_url, LINK_SCHEMES) or None
        if tag == "img" and attr == "src":
            return absolute_url(value, base_url, IMAGE_SCHEMES) or None
        if attr in {"width", "height", "colspan", "rowspan"}:
            return value if _SIZE.match(value.strip()) else None
        return value

    return check


def _relative_policy(base_url: str) -> Literal["deny"] | tuple[Literal["rewrite_with_base"], str]:
    """Return nh3's relative-URL policy: resolve against a usable base, otherwise drop."""
    # Without a base a relative URL would point into our own site once republished, so it goes.
    if absolute_url(base_url, "", frozenset({"http", "https"})):
        return ("rewrite_with_base", base_url.strip())
    return "deny"


def sanitize_html(html: str, base_url: str = "") -> str:
    """Return html cut down to the allow-list, with URLs made absolute and links given a safe rel."""
    cleaned = _clean_once(html or "", base_url)
    # The HTML parser repairs broken nesting (a table's stray <li> moves out of it) in a way that a second
    # parse can repair again differently; cleaning until nothing changes makes the result idempotent.
    # Real pages settle after one extra pass; the bound only guards against a pathological input.
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned, base_url)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(html: str, base_url: str) -> str:
    """Return one nh3 pass over html with our allow-list."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(base_url),
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(LINK_SCHEMES),
        url_relative=_relative_policy(base_url),
    )
    # The page title is shown by the portal itself, so an h1 inside the body becomes a section heading.
    # nh3 writes tags in a canonical form and escapes "<" in text, so this literal replace is exact.
    return cleaned.replace("<h1>", "<h2>").replace("</h1>", "</h2>").strip()


def html_to_text(html: str) -> str:
    """Return the plain text of an HTML fragment on one line, whitespace normalised."""
    return _SPACES.sub(" ", _strip_tags(html)).strip()


def html_to_blocks(html: str) -> str:
    """Return the plain text of an HTML fragment with one blank line between blocks."""
    marked = _BREAK.sub(lambda m: " " + m.group(0), _BLOCKS.sub(lambda m: "\n\n" + m.group(0), html or ""))
    text = htmllib.unescape(nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)))
    blocks = (_SPACES.sub(" ", block).strip() for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(block for block in blocks if block)


def _strip_tags(html: str) -> str:
    """Return the text of html with block boundaries turned into spaces."""
    if not html:
        return ""
    marked = _BREAK.sub(lambda m: " " + m.group(0), _BLOCKS.sub(lambda m: " " + m.group(0), html))
    return htmllib.unescape(nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)))
