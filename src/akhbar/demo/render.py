"""Render the HTML pages of a demo outlet: its home page and realistic article pages."""

from __future__ import annotations

import hashlib
import json
from html import escape

from akhbar.demo import chrome
from akhbar.demo.content import CATEGORIES, DemoArticle, Outlet

# Interface words per language; category names follow CATEGORIES' order.
_WORDS: dict[str, dict[str, str]] = {
    "fr": {"home": "Accueil", "by": "Par", "share": "Partager", "related": "À lire aussi",
           "cookies": "Ce site utilise des cookies de mesure d'audience. En poursuivant, vous l'acceptez.",
           "accept": "J'accepte",
           "rights": "Tous droits réservés. Publication fictive de démonstration.",
           "cats": "Politique|Économie|Société|Sport|Culture|Monde|Régions|Technologie|Santé|Météo"},
    "ar": {"home": "الرئيسية", "by": "بقلم", "share": "شارك", "related": "اقرأ أيضا",
           "cookies": "يستخدم هذا الموقع ملفات تعريف الارتباط لقياس الجمهور. بمتابعة التصفح فإنك توافق.",
           "accept": "موافق", "rights": "جميع الحقوق محفوظة. منشور خيالي للعرض.",
           "cats": "سياسة|اقتصاد|مجتمع|رياضة|ثقافة|العالم|جهات|تكنولوجيا|صحة|طقس"},
    "en": {"home": "Home", "by": "By", "share": "Share", "related": "Read also",
           "cookies": "This site uses audience-measurement cookies. By continuing you accept them.",
           "accept": "Accept", "rights": "All rights reserved. A fictional demo publication.",
           "cats": "Politics|Economy|Society|Sport|Culture|World|Regions|Technology|Health|Weather"},
    "es": {"home": "Portada", "by": "Por", "share": "Compartir", "related": "Lea también",
           "cookies": "Este sitio usa cookies de medición de audiencia. Si continúa, las acepta.",
           "accept": "Acepto",
           "rights": "Todos los derechos reservados. Publicación ficticia de demostración.",
           "cats": "Política|Economía|Sociedad|Deporte|Cultura|Mundo|Regiones|Tecnología|Salud|Tiempo"},
}

FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    # Autodiscovery code most often looks for rss+xml; RSS 1.0 sites commonly announce it that way.
    "rdf": "application/rss+xml",
    "json": "application/feed+json",
}


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")


def has_json_ld(outlet: Outlet) -> bool:
    """Return whether the outlet's article pages carry schema.org JSON-LD (about half of them do)."""
    return _hash(outlet.slug) % 2 == 0


def body_image_slug(article: DemoArticle) -> str | None:
    """Return the image slug shown inside the body of about a third of the articles, else None."""
    return f"{article.slug}-2" if _hash(article.slug) % 3 == 0 else None


def article_url(site_url: str, article: DemoArticle) -> str:
    """Return the absolute URL of an article page."""
    return f"{site_url}articles/{article.slug}.html"


def image_url(site_url: str, image_slug: str) -> str:
    """Return the absolute URL of a generated image."""
    return f"{site_url}images/{image_slug}.jpg"


def _words(outlet: Outlet) -> dict[str, str]:
    return _WORDS.get(outlet.language, _WORDS["en"])


def _category_label(outlet: Outlet, category: str) -> str:
    names = _words(outlet)["cats"].split("|")
    return names[CATEGORIES.index(category)] if category in CATEGORIES else category


def _head(outlet: Outlet, title: str, extra: str = "") -> str:
    direction = ' dir="rtl"' if outlet.language == "ar" else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{outlet.language}"{direction}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>body{{font-family:sans-serif;margin:0}}header{{background:{outlet.color};color:#fff;"
        f"padding:1em}}nav a{{margin:0 .5em}}main{{max-width:48em;margin:auto;padding:1em}}"
        f"img{{max-width:100%}}.cookie-notice{{position:fixed;bottom:0;background:#eee;padding:.5em}}</style>\n"
        f"{extra}</head>\n<body>\n"
    )


def _header(outlet: Outlet, site_url: str) -> str:
    words = _words(outlet)
    links = "".join(
        f'<a href="{site_url}#{cat}">{escape(_category_label(outlet, cat))}</a>' for cat in CATEGORIES[:7]
    )
    return (
        f'<header><a class="brand" href="{site_url}">{escape(outlet.name)}</a>'
        f"<p class=\"tagline\">{escape(outlet.tagline)}</p></header>\n"
        f'<nav><a href="{site_url}">{escape(words["home"])}</a>{links}</nav>\n'
    )


def _footer(outlet: Outlet) -> str:
    words = _words(outlet)
    return (
        f"<footer><p>&copy; {escape(outlet.name)}. {escape(words['rights'])}</p></footer>\n"
        f'<div class="cookie-notice" role="dialog"><p>{escape(words["cookies"])}</p>'
        f"<button type=\"button\">{escape(words['accept'])}</button></div>\n</body>\n</html>\n"
    )


def _display_date(outlet: Outlet, article: DemoArticle) -> str:
    if outlet.language == "en":
        return article.published.strftime("%d %b %Y, %H:%M")
    return article.published.strftime("%d/%m/%Y %H:%M")


def home_page(outlet: Outlet, site_url: str, feed_url: str) -> str:
    """Return the outlet's home page; it announces the feed only when the outlet says so."""
    alternate = ""
    if outlet.feed_link:
        alternate = (
            f'<link rel="alternate" type="{FEED_TYPES[outlet.feed_format]}" '
            f'title="{escape(outlet.name)}" href="{escape(feed_url)}">\n'
        )
    items = []
    for article in sorted(outlet.articles, key=lambda a: a.published, reverse=True):
        url = article_url(site_url, article)
        items.append(
            f'<article class="teaser" id="{article.category}"><a href="{url}">'
            f'<img src="{image_url(site_url, article.slug)}" alt="{escape(article.image_caption)}" '
            f'width="400" height="225"></a>\n<h2><a href="{url}">{escape(article.title)}</a></h2>\n'
            f'<time datetime="{article.published.isoformat()}">{_display_date(outlet, article)}</time>\n'
            f"<p>{escape(article.summary)}</p></article>\n"
        )
    return (
        _head(outlet, f"{outlet.name} - {outlet.tagline}", alternate) + _header(outlet, site_url)
        + "<main>\n" + "".join(items) + "</main>\n" + _footer(outlet)
    )


def _meta(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    url = article_url(site_url, article)
    meta = (
        f'<link rel="canonical" href="{url}">\n'
        f'<meta name="description" content="{escape(article.summary)}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:site_name" content="{escape(outlet.name)}">\n'
        f'<meta property="og:title" content="{escape(article.title)}">\n'
        f'<meta property="og:url" content="{url}">\n'
        f'<meta property="og:image" content="{image_url(site_url, article.slug)}">\n'
        f'<meta property="article:published_time" content="{article.published.isoformat()}">\n'
    )
    if has_json_ld(outlet):
        meta += f'<script type="application/ld+json">{_json_ld(outlet, article, site_url)}</script>\n'
    return meta


def _json_ld(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "image": [image_url(site_url, article.slug)],
        "mainEntityOfPage": article_url(site_url, article),
        "inLanguage": outlet.language,
        "publisher": {"@type": "Organization", "name": outlet.name},
    }
    # "</" inside a script element would end it early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _related(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    others = [a for a in outlet.articles if a.slug != article.slug]
    others.sort(key=lambda a: (a.story != article.story or not a.story, a.category != article.category))
    links = "".join(
        f'<li><a href="{article_url(site_url, a)}">{escape(a.title)}</a></li>' for a in others[:3]
    )
    return f'<aside class="related"><h2>{escape(_words(outlet)["related"])}</h2><ul>{links}</ul></aside>\n'


def body_html(article: DemoArticle, site_url: str) -> str:
    """Return the article body as HTML paragraphs, with a second image for some articles."""
    paragraphs = [f"<p>{escape(p)}</p>\n" for p in article.paragraphs]
    extra = body_image_slug(article)
    if extra and len(paragraphs) > 2:
        paragraphs.insert(2, f'<figure><img src="{image_url(site_url, extra)}" alt=""></figure>\n')
    return "".join(paragraphs)


def article_page(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    """Return a full article page: navigation, metadata, byline, lead image, body, share and related links."""
    words = _words(outlet)
    url = article_url(site_url, article)
    share = (
        f'<div class="share"><span>{escape(words["share"])}</span>'
        f'<a href="mailto:?subject={escape(article.title)}&amp;body={url}">Email</a>'
        f'<button type="button" data-share="{url}">Link</button></div>\n'
    )
    return (
        _head(outlet, f"{article.title} | {outlet.name}", _meta(outlet, article, site_url))
        + _header(outlet, site_url)
        + chrome.mega_menu(outlet, site_url)
        + chrome.tracking_script(outlet, article)
        + f'<main>\n<article>\n<p class="kicker">{escape(_category_label(outlet, article.category))}</p>\n'
        f"<h1>{escape(article.title)}</h1>\n"
        f'<p class="byline">{escape(words["by"])} <span class="author">{escape(article.author)}</span>, '
        f'<time datetime="{article.published.isoformat()}">{_display_date(outlet, article)}</time></p>\n'
        f'<p class="lead"><strong>{escape(article.summary)}</strong></p>\n'
        f'<figure class="lead-image"><img src="{image_url(site_url, article.slug)}" '
        f'alt="{escape(article.image_caption)}"><figcaption>{escape(article.image_caption)}</figcaption></figure>\n'
        f'<div class="article-body">\n{body_html(article, site_url)}</div>\n{share}</article>\n'
        + _related(outlet, article, site_url)
        + chrome.most_read(outlet, article, site_url)
        + "</main>\n"
        + chrome.footer_links(outlet, site_url)
        + _footer(outlet)
    )
