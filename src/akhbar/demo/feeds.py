"""Render a demo outlet's feed in one of four formats: RSS 2.0, Atom 1.0, RSS 1.0 (RDF) or JSON Feed 1.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from akhbar.demo.content import DemoArticle, Outlet
from akhbar.demo.render import article_url, body_html, image_url

FEED_PATHS = {"rss": "/feed", "atom": "/atom.xml", "rdf": "/rss.xml", "json": "/feed.json"}
HIDDEN_FEED_PATH = "/rss.xml"  # where an outlet without <link rel=alternate> keeps its feed, found by probing
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
_XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n'
_NS_DC = "http://purl.org/dc/elements/1.1/"
_NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_NS_MEDIA = "http://search.yahoo.com/mrss/"


def feed_path(outlet: Outlet) -> str:
    """Return the path (without any site prefix) where the outlet publishes its feed."""
    return FEED_PATHS[outlet.feed_format] if outlet.feed_link else HIDDEN_FEED_PATH


def _newest_first(outlet: Outlet) -> list[DemoArticle]:
    return sorted(outlet.articles, key=lambda a: a.published, reverse=True)


def _newest(outlet: Outlet) -> datetime:
    return outlet.newest or datetime(2026, 11, 28).astimezone()


def _media(site_url: str, article: DemoArticle) -> str:
    return (
        f'<media:content url="{image_url(site_url, article.slug)}" medium="image" type="image/jpeg" '
        'width="800" height="450"/>\n'
    )


def _content(outlet: Outlet, article: DemoArticle, site_url: str, tag: str, attrs: str = "") -> str:
    if not outlet.full_content_in_feed:
        return ""
    return f"<{tag}{attrs}>{escape(body_html(article, site_url))}</{tag}>\n"


def _rss_item(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    url = article_url(site_url, article)
    categories = "".join(f"<category>{escape(t)}</category>" for t in [article.category, *article.tags])
    return (
        f"<item>\n<title>{escape(article.title)}</title>\n<link>{url}</link>\n"
        f'<guid isPermaLink="true">{url}</guid>\n<pubDate>{format_datetime(article.published)}</pubDate>\n'
        f"<dc:creator>{escape(article.author)}</dc:creator>\n{categories}\n"
        f"<description>{escape(article.summary)}</description>\n"
        + _content(outlet, article, site_url, "content:encoded")
        + f'<enclosure url="{image_url(site_url, article.slug)}" length="0" type="image/jpeg"/>\n'
        + _media(site_url, article) + "</item>\n"
    )


def render_rss(outlet: Outlet, site_url: str, feed_url: str) -> str:
    """Return an RSS 2.0 feed with Dublin Core authors, images as enclosure and media:content."""
    items = "".join(_rss_item(outlet, a, site_url) for a in _newest_first(outlet))
    return (
        f'{_XML_DECL}<rss version="2.0" xmlns:dc="{_NS_DC}" xmlns:content="{_NS_CONTENT}" '
        f'xmlns:media="{_NS_MEDIA}" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(outlet.name)}</title>\n<link>{site_url}</link>\n"
        f"<description>{escape(outlet.tagline)}</description>\n<language>{outlet.language}</language>\n"
        f"<lastBuildDate>{format_datetime(_newest(outlet))}</lastBuildDate>\n"
        f'<atom:link href={quoteattr(feed_url)} rel="self" type="application/rss+xml"/>\n'
        f"{items}</channel>\n</rss>\n"
    )


def _atom_entry(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    url = article_url(site_url, article)
    categories = "".join(f"<category term={quoteattr(t)}/>" for t in [article.category, *article.tags])
    date = article.published.isoformat()
    return (
        f'<entry>\n<title type="text">{escape(article.title)}</title>\n<id>{url}</id>\n'
        f'<link rel="alternate" type="text/html" href="{url}"/>\n'
        f'<link rel="enclosure" type="image/jpeg" href="{image_url(site_url, article.slug)}"/>\n'
        f"<published>{date}</published>\n<updated>{date}</updated>\n"
        f"<author><name>{escape(article.author or outlet.name)}</name></author>\n{categories}\n"
        f'<summary type="text">{escape(article.summary)}</summary>\n'
        + _content(outlet, article, site_url, "content", ' type="html"')
        + "</entry>\n"
    )


def render_atom(outlet: Outlet, site_url: str, feed_url: str) -> str:
    """Return an Atom 1.0 feed; images are enclosure links."""
    entries = "".join(_atom_entry(outlet, a, site_url) for a in _newest_first(outlet))
    return (
        f'{_XML_DECL}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">\n'
        f"<title>{escape(outlet.name)}</title>\n<subtitle>{escape(outlet.tagline)}</subtitle>\n"
        f"<id>{site_url}</id>\n<updated>{_newest(outlet).isoformat()}</updated>\n"
        f'<link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>\n'
        f'<link rel="alternate" type="text/html" href="{site_url}"/>\n{entries}</feed>\n'
    )


def _rdf_item(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    url = article_url(site_url, article)
    subjects = "".join(f"<dc:subject>{escape(t)}</dc:subject>" for t in [article.category, *article.tags])
    return (
        f'<item rdf:about="{url}">\n<title>{escape(article.title)}</title>\n<link>{url}</link>\n'
        f"<description>{escape(article.summary)}</description>\n"
        f"<dc:date>{article.published.isoformat()}</dc:date>\n"
        f"<dc:creator>{escape(article.author)}</dc:creator>\n{subjects}\n"
        + _content(outlet, article, site_url, "content:encoded") + _media(site_url, article) + "</item>\n"
    )


def render_rdf(outlet: Outlet, site_url: str, feed_url: str) -> str:
    """Return an RSS 1.0 (RDF) feed with dc:date and dc:creator."""
    articles = _newest_first(outlet)
    seq = "".join(f'<rdf:li rdf:resource="{article_url(site_url, a)}"/>' for a in articles)
    return (
        f'{_XML_DECL}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="{_NS_DC}" xmlns:content="{_NS_CONTENT}" '
        f'xmlns:media="{_NS_MEDIA}">\n<channel rdf:about={quoteattr(feed_url)}>\n'
        f"<title>{escape(outlet.name)}</title>\n<link>{site_url}</link>\n"
        f"<description>{escape(outlet.tagline)}</description>\n<dc:language>{outlet.language}</dc:language>\n"
        f"<dc:date>{_newest(outlet).isoformat()}</dc:date>\n<items><rdf:Seq>{seq}</rdf:Seq></items>\n"
        f"</channel>\n" + "".join(_rdf_item(outlet, a, site_url) for a in articles) + "</rdf:RDF>\n"
    )


def _json_item(outlet: Outlet, article: DemoArticle, site_url: str) -> dict[str, object]:
    url = article_url(site_url, article)
    item: dict[str, object] = {
        "id": url,
        "url": url,
        "title": article.title,
        "summary": article.summary,
        "image": image_url(site_url, article.slug),
        "date_published": article.published.isoformat(),
        "authors": [{"name": article.author}] if article.author else [],
        "tags": [article.category, *article.tags],
    }
    if outlet.full_content_in_feed:
        item["content_html"] = body_html(article, site_url)
    else:
        # JSON Feed requires some content: a summary-only feed repeats the summary.
        item["content_text"] = article.summary
    return item


def render_json(outlet: Outlet, site_url: str, feed_url: str) -> str:
    """Return a JSON Feed 1.1 document."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": site_url,
        "feed_url": feed_url,
        "description": outlet.tagline,
        "language": outlet.language,
        "items": [_json_item(outlet, a, site_url) for a in _newest_first(outlet)],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


_RENDERERS: dict[str, Callable[[Outlet, str, str], str]] = {
    "rss": render_rss, "atom": render_atom, "rdf": render_rdf, "json": render_json,
}


def render_feed(outlet: Outlet, site_url: str, feed_url: str) -> bytes:
    """Return the outlet's feed as bytes, cut short and left unclosed when the outlet is broken."""
    text = _RENDERERS[outlet.feed_format](outlet, site_url, feed_url)
    if not outlet.broken:
        return text.encode("utf-8")
    # Cut before the first entry, then tag soup: no XML (or JSON) parser accepts it, and lenient ones
    # recover no item from it, so the portal shows the outlet as failing rather than quietly empty.
    starts = (text.find("<item"), text.find("<entry"), text.find('"items"'))
    first = min((i for i in starts if i > 0), default=0)
    cut = text[: first or max(len(text) // 5, 1)]
    return (cut + "\n<<<item>>> && <<\n").encode("utf-8")
