"""XSS in a real browser: a hostile feed is ingested and its pages opened in chromium; nothing of it runs.

The pages are opened twice: under the portal's CSP, and with the CSP bypassed, so the escaping and the
sanitizer are checked on their own and not only behind the policy.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

import pytest

from akhbar.models import SourceSpec

TRIP = "window.__xss=1;alert(1)"
# Each payload, when it ran, would set the tripwire and open a dialog.
PAYLOADS = [
    f"<script>{TRIP}</script>",
    f"<img src=x onerror={TRIP}>",
    f"<svg onload={TRIP}>",
    f'"><script>{TRIP}</script>',
    f"'><img src=x onerror='{TRIP}'>",
    f"</script><script>{TRIP}</script>",
    f"</title><script>{TRIP}</script>",
    f'<a href="javascript:{TRIP}">lien piégé</a>',
    f'" autofocus onfocus="{TRIP}" x="',
    f'<iframe srcdoc="<script>parent.{TRIP}</script>"></iframe>',
    f"<details open ontoggle={TRIP}>",
    f'{{"@context": "x"}}</script><script>{TRIP}</script>',
]
FILLER = (
    "Le conseil municipal a examiné ce matin le budget des transports, la réfection des trottoirs et "
    "l'éclairage des quartiers périphériques. Les élus ont promis un calendrier précis avant la fin du mois. "
)
SECURITY = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "",
}
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && /^\\s*(javascript|vbscript|data:text)/i.test(attr.value)) bad.push(el.tagName + ' ' + attr.name);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'svg'].includes(el.tagName)) bad.push(el.tagName);
  }
  for (const a of document.querySelectorAll('a.source-link')) {
    const href = a.getAttribute('href') || '';
    if (!/^https?:[/][/]/.test(href)) bad.push('source link ' + href);
  }
  for (const s of document.scripts) {
    if (s.type === 'application/ld+json') {
      try { JSON.parse(s.textContent); } catch (e) { bad.push('ld+json'); }
    } else if (!s.src || new URL(s.src).origin !== location.origin) {
      bad.push('script ' + s.outerHTML.slice(0, 80));
    }
  }
  return bad;
}"""


def _item(n, base, title, html, link=None):
    """Return one RSS item whose title and summary hold the payload as text, and whose content is HTML."""
    link = link or f"{base}/articles/a{n}.html"
    return (
        f"<item><title>{escape(escape(escape(title)))}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">hostile-{n}</guid>'
        f"<pubDate>Mon, 0{1 + n % 9} Dec 2026 10:00:00 GMT</pubDate>"
        f"<category>{escape(title)}</category>"
        f"<description>{escape(escape(title + ' ' + html))}</description>"
        f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        f'<enclosure url="{escape("/i.png" + chr(34) + " onerror=" + chr(34) + TRIP)}" type="image/png"/>'
        "</item>"
    )


def hostile_feed(base):
    """Return an RSS feed whose every field carries a payload; long contents, so no page is fetched."""
    items = [
        _item(n, base, f"Alerte {n} {payload}", f"<p>{payload}</p><p>{FILLER * 4}</p><p>{payload}</p>")
        for n, payload in enumerate(PAYLOADS)
    ]
    items.append(_item(90, base, "Lien javascript", f"<p>{FILLER * 4}</p>", link=f"javascript:{TRIP}"))
    items.append(_item(91, base, f"Page piégée {PAYLOADS[0]}", "<p>court</p>"))  # short: the page is fetched
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(escape(escape(PAYLOADS[3])))}</title><link>{base}/</link>"
        f"<description>{escape(PAYLOADS[1])}</description><language>fr</language>"
        + "".join(items)
        + "</channel></rss>"
    )


def hostile_page(base):
    """Return an article page whose metadata, JSON-LD and body all carry payloads."""
    ld = '{"@type": "NewsArticle", "headline": "' + PAYLOADS[5].replace('"', "'") + '"}'
    body = "".join(f"<p>{FILLER}</p><p>{p}</p>" for p in PAYLOADS)
    return (
        f"<!doctype html><html lang=fr><head><title>{PAYLOADS[6]}</title>"
        f'<meta property="og:title" content="{escape(PAYLOADS[3])}">'
        f'<meta property="og:image" content="javascript:{TRIP}">'
        f'<script type="application/ld+json">{ld}</script></head>'
        f"<body><article><h1>Page piégée {PAYLOADS[0]}</h1>{body}</article></body></html>"
    )


@pytest.fixture
def hostile_portal(loopback, build_portal):
    """Serve a hostile feed on loopback, ingest it into a fresh database and serve a portal over it."""
    loopback.reply("/feed", hostile_feed(loopback.url))
    loopback.reply("/articles/a91.html", hostile_page(loopback.url), content_type="text/html; charset=utf-8")
    feed = loopback.url + "/feed"
    spec = SourceSpec(url=loopback.url + "/", name="", language="fr", feed_url=feed, category="")
    return build_portal([spec])


def _pages(portal):
    """Return the paths that show the hostile content: lists, articles in two editions, searches."""
    articles = portal.headlines()
    source = articles[0].source_slug
    paths = ["/", "/ar/", "/sources", f"/source/{source}", "/recherche?q=alerte"]
    paths += [f"/article/{a.id}" for a in articles] + [f"/ar/article/{articles[0].id}"]
    paths += [f"/recherche?q={quote(p)}" for p in PAYLOADS] + [f"/en/search?q={quote(PAYLOADS[0])}"]
    hostile = quote(PAYLOADS[3])
    filters = "&".join(f"{name}={hostile}" for name in ("source", "lang", "cat", "sort", "start", "end"))
    paths += [f"/recherche?q=alerte&{filters}"]
    paths += [f"/{quote(PAYLOADS[0])}", f"/article/{quote(PAYLOADS[1])}"]  # 404 pages
    return paths


def _visit(page, url, dialogs):
    """Open a page and return what ran, or what the DOM would let run."""
    if url:
        page.goto(url)
    page.wait_for_load_state("load")
    problems = [f"dialog {d}" for d in dialogs]
    if page.evaluate("window.__xss") is not None:
        problems.append("tripwire")
    problems += page.evaluate(DOM_CHECK)
    dialogs.clear()
    return problems


def _browse(browser, portal, paths, typed, bypass_csp):
    """Visit the paths and type the queries into the search box; return the problems found, by page."""
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    found = {}
    for path in paths:
        found[path] = _visit(page, portal.url + path, dialogs)
    for query in typed:
        page.goto(portal.url + "/")
        page.locator("#search-q").fill(query)
        page.locator("#search-q").press("Enter")
        found["typed " + query] = _visit(page, "", dialogs)
    context.close()
    return {where: problems for where, problems in found.items() if problems}


def test_no_payload_runs_in_the_browser(browser, hostile_portal):
    titles = [a.title for a in hostile_portal.headlines()]
    assert len(titles) >= len(PAYLOADS)
    assert sum("<script>" in t for t in titles) >= 3, titles  # the payloads reach the pages, as text
    paths = _pages(hostile_portal)
    # Without the CSP every page must still be inert (escaping and sanitizing alone); with it, a sample.
    found = _browse(browser, hostile_portal, paths, PAYLOADS[:3], bypass_csp=True)
    found |= {f"{k} (csp)": v for k, v in _browse(browser, hostile_portal, paths[:8], [], False).items()}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def _missing_headers(response):
    headers = response.headers
    missing = [name for name, part in SECURITY.items() if name not in headers or part not in headers[name]]
    csp = headers.get("content-security-policy", "")
    if "'unsafe-inline'" in csp or "script-src 'self'" not in csp:
        missing.append("strict script-src")
    return missing


def test_every_response_carries_the_security_headers(page, demo_portal):
    article = demo_portal.headlines()[0]
    seen = {}
    page.on("response", lambda r: seen.setdefault(r.url, _missing_headers(r)))
    pages = [
        "/",
        "/ar/",
        f"/article/{article.id}",
        f"/source/{article.source_slug}",
        "/recherche?q=maroc",
        "/sources",
        "/no-such-page",
        "/admin/login",
    ]
    for path in pages:
        page.goto(demo_portal.url + path)
    etag = ""
    for path in [
        "/feed.xml",
        "/ar/atom.xml",
        "/sources.opml",
        "/robots.txt",
        "/sitemap.xml",
        "/api/v1/articles",
        f"/api/v1/articles/{article.id}",
        "/api/v1/nope",
        "/",
    ]:
        response = page.request.get(demo_portal.url + path)
        seen[path] = _missing_headers(response)
        etag = response.headers.get("etag", etag)
    not_modified = page.request.get(demo_portal.url + "/", headers={"If-None-Match": etag})
    seen["/ (304)"] = _missing_headers(not_modified)
    assert not_modified.status == 304
    ours = {
        url: missing
        for url, missing in seen.items()
        if not url.startswith("http") or url.startswith(demo_portal.url)
    }
    assert len(ours) >= 17  # the pages, their stylesheet, the feeds, the API
    assert not {url: missing for url, missing in ours.items() if missing}
