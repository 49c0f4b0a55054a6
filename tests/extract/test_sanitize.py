"""The sanitizer: XSS payloads never survive, allowed markup does, and sanitizing is idempotent."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.extract import html_to_text, sanitize_html
from akhbar.extract.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, IMAGE_SCHEMES, LINK_REL, LINK_SCHEMES

BASE = "https://news.example.ma/politique/2025/article.html"

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    "<svg onload=alert(1)><circle r=4 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:red}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="https://evil.example"><input name=q><button>go</button></form>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    "<body onload=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example" onclick="alert(1)" onmouseover="alert(2)">x</a>',
    '<img """><script>alert(1)</script>">',
    "<p><a href='javascript:alert(1)'><b>nested <i>broken</a> tags",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="vbscript:msgbox(1)">x</a>',
]


def assert_safe(out: str) -> None:
    """Fail when sanitized output holds a tag, attribute or URL outside the allow-list."""
    assert "<script" not in out.lower()
    if not out.strip():
        return
    for root in lxml.html.fragments_fromstring(out):
        if not isinstance(root, lxml.html.HtmlElement):
            continue
        for element in root.iter():
            assert element.tag in ALLOWED_TAGS
            allowed = ALLOWED_ATTRIBUTES.get(element.tag, set()) | ({"rel"} if element.tag == "a" else set())
            assert set(element.attrib) <= allowed, element.attrib
            for attr, schemes in (("href", LINK_SCHEMES), ("src", IMAGE_SCHEMES)):
                if attr in element.attrib:
                    assert element.attrib[attr].split(":", 1)[0] in schemes, element.attrib[attr]


@pytest.mark.parametrize("payload", XSS)
@pytest.mark.parametrize("base", ["", BASE])
def test_xss_payloads_never_survive(payload, base):
    out = sanitize_html(payload, base)
    assert_safe(out)
    assert "javascript" not in out.lower().replace("&#", "")
    assert not re.search(r"\son\w+=", out)
    assert "alert(1)" not in out or "<" not in out.split("alert(1)")[0][-1:]


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            "<p>Un <em>mot</em> et un <strong>autre</strong>, <b>gras</b> <i>italique</i>.</p>",
            "<p>Un <em>mot</em> et un <strong>autre</strong>, <b>gras</b> <i>italique</i>.</p>",
        ),
        ("<h2>Titre</h2><h3>Sous</h3><h6>Petit</h6>", "<h2>Titre</h2><h3>Sous</h3><h6>Petit</h6>"),
        ("<ul><li>un</li></ul><ol><li>deux</li></ol>", "<ul><li>un</li></ul><ol><li>deux</li></ol>"),
        ("<blockquote><p>cité</p></blockquote>", "<blockquote><p>cité</p></blockquote>"),
        (
            '<figure><img src="https://cdn.example/a.jpg" alt="A" width="640" height="360">'
            "<figcaption>Légende</figcaption></figure>",
            '<figure><img src="https://cdn.example/a.jpg" alt="A" width="640" height="360">'
            "<figcaption>Légende</figcaption></figure>",
        ),
        ("<p>ligne<br>suivante</p>", "<p>ligne<br>suivante</p>"),
        (
            "<table><tr><th>a</th><td>1</td></tr></table>",
            "<table><tbody><tr><th>a</th><td>1</td></tr></tbody></table>",
        ),
        ("<p>a &lt; b &amp; c</p>", "<p>a &lt; b &amp; c</p>"),
    ],
)
def test_allowed_markup_survives(html, kept):
    assert sanitize_html(html, BASE) == kept


def test_h1_is_demoted_and_unknown_tags_unwrapped():
    assert sanitize_html('<h1 class="t">Titre</h1><div><span>texte</span></div>') == "<h2>Titre</h2>texte"


@pytest.mark.parametrize(
    ("href", "want"),
    [
        ("https://other.example/x", "https://other.example/x"),
        ("http://other.example/x", "http://other.example/x"),
        ("mailto:redaction@news.example.ma", "mailto:redaction@news.example.ma"),
        ("/societe/autre.html", "https://news.example.ma/societe/autre.html"),
        ("suite.html", "https://news.example.ma/politique/2025/suite.html"),
        ("//cdn.example/x", "https://cdn.example/x"),
    ],
)
def test_links_are_absolute_and_get_the_forced_rel(href, want):
    out = sanitize_html(f'<a href="{href}" rel="follow" target="_blank" title="t">lien</a>', BASE)
    assert out == f'<a href="{want}" rel="{LINK_REL}">lien</a>'


def test_relative_urls_without_a_base_are_dropped():
    out = sanitize_html('<a href="/x">lien</a><img src="img/a.jpg" alt="a">')
    assert "href" not in out and "src" not in out
    assert "lien" in out


@pytest.mark.parametrize(
    "src", ["data:image/png;base64,AAAA", "mailto:a@b.c", "ftp://x.example/a.jpg", "javascript:x"]
)
def test_images_keep_only_http_sources(src):
    assert "src=" not in sanitize_html(f'<img src="{src}" alt="a">', BASE)


@pytest.mark.parametrize("size", ["abc", "100%", "-1", "1e9", "999999"])
def test_implausible_image_sizes_are_dropped(size):
    assert "width" not in sanitize_html(f'<img src="https://a.example/x.jpg" width="{size}">')


@pytest.mark.parametrize(
    "html", XSS + ["<p>a<b>b<p>c</b>d", "<td>1</td>x", "<a><a>x</a></a>", "<li>x<ul>y", "<li><table><li>"]
)
@pytest.mark.parametrize("base", ["", BASE])
def test_sanitizing_twice_changes_nothing(html, base):
    once = sanitize_html(html, base)
    assert sanitize_html(once, base) == once


FRAGMENTS = [
    "<p>",
    "</p>",
    '<a href="',
    '">',
    "<a href=",
    "javascript:",
    "JAVASCRIPT&#58;",
    "data:",
    "<script>",
    "</script>",
    "<img src=",
    " onerror=",
    ' onload="',
    "alert(1)",
    "<svg>",
    "<style>",
    "<iframe>",
    "<h1>",
    "</h1>",
    "<table>",
    "<td>",
    "<tr>",
    "<li>",
    "<ul>",
    "<b>",
    "</i>",
    "<!--",
    "-->",
    "&",
    "&amp;",
    "&#x6A;",
    "<br/>",
    "<figure>",
    "<blockquote>",
    "'",
    '"',
    "<",
    ">",
    "=",
    "/",
    " ",
    "\n",
    "<math>",
    "<noscript>",
    "<textarea>",
    "<title>",
]
HTMLISH = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS), st.text(max_size=6), st.text(alphabet="<>/=\"' abhijprst:&#;", max_size=8)
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(html=HTMLISH, base=st.sampled_from(["", BASE]))
def test_property_output_is_safe_and_stable(html, base):
    out = sanitize_html(html, base)
    assert_safe(out)
    # nh3 writes every attribute as name="value" (with '"' escaped), so tags can be read with a regex.
    for attrs in re.findall(r'<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*/?>', out):
        names = re.findall(r'([a-z-]+)="', attrs)
        assert not [n for n in names if n.startswith("on") or n == "style"], attrs
    for url in re.findall(r'(?:href|src)="([^"]*)"', out):
        assert not url.strip().lower().startswith(("javascript:", "data:", "vbscript:")), url
    assert sanitize_html(out, base) == out


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Bonjour&nbsp;le</p><p>monde</p>", "Bonjour le monde"),
        ("<p>a &amp; b</p>\n\n   <ul><li>un</li><li>deux</li></ul>", "a & b un deux"),
        ("<p>avant<script>alert(1)</script>après</p>", "avantaprès"),
        ("ligne<br>suivante", "ligne suivante"),
        ("", ""),
        ("texte simple", "texte simple"),
        ("<p dir='rtl'>مرحبا   بكم</p>", "مرحبا بكم"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text
