"""RSS 2.0 and Atom 1.0 documents of articles, each item crediting and linking its original source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from lxml import etree

from akhbar.enrich import CATEGORIES
from akhbar.models import Article
from akhbar.web.editions import Edition
from akhbar.web.syndication.links import Links

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
A = f"{{{ATOM_NS}}}"  # Atom elements live in the Atom namespace
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = "akhbar"

# The credit line under each item, in the feed's interface language: "Source: <a>Name</a>".
CREDIT = {
    "fr": "Lire l'article original sur",
    "ar": "اقرأ المقال الأصلي على",
    "en": "Read the original article on",
    "es": "Leer el artículo original en",
}
LABELS = {c.slug: c for c in CATEGORIES}


@dataclass(frozen=True)
class FeedMeta:
    """What a feed says about itself; edition None links each article into the edition of its language."""

    title: str
    description: str
    language: str  # the feed's interface language (fr, ar, en, es)
    page_url: str  # the HTML page this feed follows
    self_url: str  # the feed's own URL
    edition: Edition | None = None


def original_url(article: Article) -> str:
    """Return the URL of the article at its source."""
    return article.canonical_url or article.url


def _when(article: Article) -> datetime:
    return article.published_at or article.fetched_at or datetime.now(UTC)


def _updated(articles: list[Article]) -> datetime:
    return max((_when(a) for a in articles), default=datetime.now(UTC))


def _category_label(slug: str, language: str) -> str:
    category = LABELS.get(slug)
    return category.label(language) if category else slug


def description_html(article: Article, language: str) -> str:
    """Return an item's HTML description: its summary, then a line crediting and linking the source."""
    credit = CREDIT.get(language, CREDIT["en"])
    link = f'<a href="{escape(original_url(article))}">{escape(article.source_name or "source")}</a>'
    summary = f"<p>{escape(article.summary)}</p>" if article.summary else ""
    return f"{summary}<p>{escape(credit)} {link}</p>"


# Characters XML 1.0 forbids (control characters a source may leave in a title); lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """Return value without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", value)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _rss_item(channel: etree._Element, article: Article, meta: FeedMeta, links: Links) -> None:
    item = _sub(channel, "item")
    our_url = links.article(article, meta.edition)
    _sub(item, "title", article.title)
    _sub(item, "link", our_url)
    _sub(item, "guid", our_url, isPermaLink="true")
    _sub(item, "pubDate", format_datetime(_when(article)))
    _sub(item, "description", description_html(article, meta.language))
    if article.author:
        _sub(item, f"{{{DC_NS}}}creator", article.author)
    if article.language:
        _sub(item, f"{{{DC_NS}}}language", article.language)
    if article.category:
        _sub(item, "category", _category_label(article.category, meta.language))
    # RSS <source> names the channel the item came from: the source's own feed on this portal.
    _sub(item, "source", article.source_name, url=links.absolute(f"/source/{article.source_slug}/feed.xml"))
    _sub(item, f"{{{ATOM_NS}}}link", rel="via", href=original_url(article))


def rss(meta: FeedMeta, articles: list[Article], links: Links) -> bytes:
    """Return an RSS 2.0 document of the articles."""
    root = etree.Element("rss", {"version": "2.0"}, nsmap={"atom": ATOM_NS, "dc": DC_NS})
    channel = _sub(root, "channel")
    _sub(channel, "title", meta.title)
    _sub(channel, "link", meta.page_url)
    _sub(channel, "description", meta.description)
    _sub(channel, "language", meta.language)
    _sub(channel, "lastBuildDate", format_datetime(_updated(articles)))
    _sub(channel, "generator", GENERATOR)
    _sub(channel, f"{{{ATOM_NS}}}link", rel="self", type="application/rss+xml", href=meta.self_url)
    for article in articles:
        _rss_item(channel, article, meta, links)
    return _serialize(root)


def _atom_entry(feed: etree._Element, article: Article, meta: FeedMeta, links: Links) -> None:
    entry = _sub(feed, A + "entry")
    if article.language:
        entry.set(XML_LANG, article.language)
    our_url = links.article(article, meta.edition)
    _sub(entry, A + "id", our_url)
    _sub(entry, A + "title", article.title, type="text")
    _sub(entry, A + "link", rel="alternate", type="text/html", href=our_url)
    _sub(entry, A + "link", rel="via", href=original_url(article))
    _sub(entry, A + "published", _when(article).isoformat())
    _sub(entry, A + "updated", (article.updated_at or _when(article)).isoformat())
    author = _sub(entry, A + "author")
    _sub(author, A + "name", article.author or article.source_name or "unknown")
    if article.category:
        term = article.category
        _sub(entry, A + "category", term=term, label=_category_label(term, meta.language))
    _sub(entry, A + "summary", description_html(article, meta.language), type="html")
    source = _sub(entry, A + "source")  # Atom's own way to credit where an entry came from
    _sub(source, A + "id", links.source(article.source_slug))
    _sub(source, A + "title", article.source_name)
    _sub(source, A + "link", rel="alternate", type="text/html", href=links.source(article.source_slug))


def atom(meta: FeedMeta, articles: list[Article], links: Links) -> bytes:
    """Return an Atom 1.0 document of the articles."""
    feed = etree.Element(A + "feed", nsmap={None: ATOM_NS})
    feed.set(XML_LANG, meta.language)
    _sub(feed, A + "id", meta.self_url)
    _sub(feed, A + "title", meta.title)
    _sub(feed, A + "subtitle", meta.description)
    _sub(feed, A + "updated", _updated(articles).isoformat())
    _sub(feed, A + "link", rel="self", type="application/atom+xml", href=meta.self_url)
    _sub(feed, A + "link", rel="alternate", type="text/html", href=meta.page_url)
    _sub(feed, A + "generator", GENERATOR)
    for article in articles:
        _atom_entry(feed, article, meta, links)
    return _serialize(feed)
