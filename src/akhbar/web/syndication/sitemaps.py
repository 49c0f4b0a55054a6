"""Sitemaps (an index, a page of sections, article pages by id range, Google News) and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from akhbar.store.sitemaps import SitemapEntry
from akhbar.web.syndication.feeds import xml_text
from akhbar.web.syndication.links import Links

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
S = f"{{{SITEMAP_NS}}}"
N = f"{{{NEWS_NS}}}"

# The sitemap protocol's limit of URLs per file; article sitemaps cover fixed id ranges of this size, so a
# page's content never shifts as articles arrive and each page is one primary-key range scan.
URLS_PER_SITEMAP = 50_000
# Google News reads articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW_HOURS = 48
NEWS_MAX_URLS = 1000


def article_sitemap_count(max_id: int) -> int:
    """Return how many article sitemaps cover ids 1..max_id."""
    return (max_id + URLS_PER_SITEMAP - 1) // URLS_PER_SITEMAP


def id_range(page: int) -> tuple[int, int]:
    """Return the first and last article id of an article sitemap page (1-based)."""
    return (page - 1) * URLS_PER_SITEMAP + 1, page * URLS_PER_SITEMAP


def _serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = xml_text(text)


def _w3c(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def sitemap_index(links: Links, article_pages: int) -> bytes:
    """Return the sitemap index: the sections sitemap, then one sitemap per article id range."""
    root = etree.Element(S + "sitemapindex", nsmap={None: SITEMAP_NS})
    paths = ["/sitemap-pages.xml"] + [f"/sitemap-articles-{n}.xml" for n in range(1, article_pages + 1)]
    for path in paths:
        _text(etree.SubElement(root, S + "sitemap"), S + "loc", links.absolute(path))
    return _serialize(root)


def urlset(urls: Iterable[tuple[str, datetime | None]]) -> bytes:
    """Return a sitemap of (URL, last modification) pairs."""
    root = etree.Element(S + "urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in urls:
        url = etree.SubElement(root, S + "url")
        _text(url, S + "loc", loc)
        if lastmod is not None:
            _text(url, S + "lastmod", _w3c(lastmod))
    return _serialize(root)


def article_urls(links: Links, entries: Iterable[SitemapEntry]) -> Iterable[tuple[str, datetime | None]]:
    """Yield each article's page URL (in the edition of its language) and its last modification."""
    for entry in entries:
        url = links.article_by_id(entry.id, entry.title, entry.language)
        yield url, entry.updated_at or entry.published_at


def news_sitemap(links: Links, entries: Iterable[SitemapEntry]) -> bytes:
    """Return a Google News sitemap; the publication named is the article's original publisher."""
    root = etree.Element(S + "urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for entry in entries:
        url = etree.SubElement(root, S + "url")
        _text(url, S + "loc", links.article_by_id(entry.id, entry.title, entry.language))
        news = etree.SubElement(url, N + "news")
        publication = etree.SubElement(news, N + "publication")
        _text(publication, N + "name", entry.source_name)
        _text(publication, N + "language", entry.language or "und")
        if entry.published_at is not None:
            _text(news, N + "publication_date", _w3c(entry.published_at))
        _text(news, N + "title", entry.title)
    return _serialize(root)


def robots_txt(links: Links) -> str:
    """Return robots.txt: everything open but the operator's pages, and where the sitemaps are."""
    return (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /admin\n"
        f"Sitemap: {links.absolute('/sitemap.xml')}\n"
        f"Sitemap: {links.absolute('/sitemap-news.xml')}\n"
    )
