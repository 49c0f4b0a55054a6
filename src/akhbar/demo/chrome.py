"""The weight real news pages carry around an article: mega-menus, "most read", scripts, footer link farms.

Real article pages weigh 50-200 KB of HTML for a few KB of text; extraction time depends on that weight,
so the demo and benchmark pages carry a comparable amount (about 45 KB) to keep the ingestion figures honest.
"""

from __future__ import annotations

import hashlib
import json
from html import escape

from akhbar.demo.content import DemoArticle, Outlet

MENU_SECTIONS = 16
LINKS_PER_SECTION = 8
MOST_READ = 10
FOOTER_LINKS = 60
TRACKING_KEYS = 400


def _token(seed: str, n: int) -> str:
    return hashlib.sha1(f"{seed}:{n}".encode()).hexdigest()[:10]


def mega_menu(outlet: Outlet, site_url: str) -> str:
    """Return a drop-down menu of sections and sub-sections, as news sites have."""
    sections = []
    for s in range(MENU_SECTIONS):
        links = "".join(
            f'<li><a href="{site_url}rubrique/{_token(outlet.slug, s * 100 + i)}/">'
            f"{escape(outlet.name.split()[-1])} {s + 1}.{i + 1}</a></li>"
            for i in range(LINKS_PER_SECTION)
        )
        sections.append(f'<li class="menu-section"><span>{s + 1}</span><ul class="submenu">{links}</ul></li>')
    return f'<nav class="mega-menu" aria-label="menu"><ul>{"".join(sections)}</ul></nav>\n'


def tracking_script(outlet: Outlet, article: DemoArticle) -> str:
    """Return the inline configuration blob of ad and analytics scripts (never executed by the portal)."""
    config = {f"k{_token(article.slug, n)}": _token(outlet.slug, n) * 3 for n in range(TRACKING_KEYS)}
    blob = json.dumps({"site": outlet.slug, "page": article.slug, "slots": config})
    bundle = f"/static/app.{_token(outlet.slug, 0)}.js"
    return f'<script>window.__CONFIG__ = {blob};</script>\n<script src="{bundle}" defer></script>\n'


def most_read(outlet: Outlet, article: DemoArticle, site_url: str) -> str:
    """Return a "most read" box of other headlines of the outlet."""
    others = [a for a in outlet.articles if a.slug != article.slug][:MOST_READ]
    items = "".join(
        f'<li><a href="{site_url}articles/{a.slug}.html">{escape(a.title)}</a> '
        f'<span class="count">{n + 1}</span></li>'
        for n, a in enumerate(others)
    )
    return f'<aside class="most-read"><h2>Top</h2><ol>{items}</ol></aside>\n'


def footer_links(outlet: Outlet, site_url: str) -> str:
    """Return the footer's site map of links (services, legal notices, partner sites)."""
    links = "".join(
        f'<li><a href="{site_url}page/{_token(outlet.name, n)}">{escape(outlet.name)} · {n + 1}</a></li>'
        for n in range(FOOTER_LINKS)
    )
    newsletter = (
        f'<form class="newsletter" action="{site_url}newsletter" method="post">'
        '<input type="email" name="email"><button type="submit">OK</button></form>'
    )
    return f'<div class="site-map"><ul>{links}</ul>{newsletter}</div>\n'
