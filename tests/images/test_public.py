"""What readers are given: signed /img URLs, the placeholder once blocked, rewritten article HTML."""

from __future__ import annotations

import pytest

from akhbar.images import (
    PLACEHOLDER,
    ImageLinks,
    article_image_urls,
    html_image_urls,
    parse_image_path,
    public_src,
    rewrite_html,
)

KEY = "k" * 32
URL = "https://outlet.example/a.jpg"


@pytest.mark.parametrize(
    ("state", "expected_prefix"),
    [
        (None, "/img/"),
        ("pending", "/img/"),
        ("ok", "/img/"),
        ("failed", "/img/"),
        ("blocked", PLACEHOLDER),
        ("confirmed", PLACEHOLDER),
    ],
)
def test_public_src_by_state(state: str | None, expected_prefix: str) -> None:
    states = {URL: state} if state else {}
    assert public_src(URL, states=states, key=KEY).startswith(expected_prefix)


def test_absolute_form_for_feeds_and_opengraph() -> None:
    src = public_src(URL, states={}, key=KEY, base_url="https://portal.example")
    assert src.startswith("https://portal.example/img/")
    assert parse_image_path(KEY, src) == URL
    assert (
        public_src(URL, states={URL: "blocked"}, key=KEY, base_url="https://p.example")
        == "https://p.example" + PLACEHOLDER
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", ""),
        ("/static/logo.png", "/static/logo.png"),
        ("//outlet.example/a.jpg", ""),
        ("data:image/png;base64,AAAA", ""),
        ("javascript:alert(1)", ""),
        ("ftp://outlet.example/a.jpg", ""),
    ],
)
def test_addresses_that_are_not_outlet_images(url: str, expected: str) -> None:
    assert public_src(url, states={}, key=KEY) == expected


HTML = (
    '<p>Texte</p><figure><img src="https://o.example/in.jpg?a=1&amp;b=2" alt="Une photo"></figure>'
    '<p><img alt="x" src="https://o.example/two.png"></p><img src="javascript:alert(1)"><img alt="none">'
)


def test_html_image_urls_unescapes_and_dedups() -> None:
    assert html_image_urls(HTML + HTML) == [
        "https://o.example/in.jpg?a=1&b=2",
        "https://o.example/two.png",
        "javascript:alert(1)",
    ]
    assert article_image_urls("https://o.example/lead.jpg", HTML) == [
        "https://o.example/lead.jpg",
        "https://o.example/in.jpg?a=1&b=2",
        "https://o.example/two.png",
    ]


def test_rewrite_sends_every_image_through_img_and_drops_the_rest() -> None:
    links = ImageLinks(KEY, lambda urls: {"https://o.example/two.png": "blocked"})
    out = str(
        rewrite_html(HTML, links.src, blocked_alt="Image bloquée", after=lambda src: f"<!--{len(src)}-->")
    )
    assert "o.example" not in out and "javascript" not in out
    srcs = [part.split('"')[0] for part in out.split('src="')[1:]]
    assert len(srcs) == 2
    assert parse_image_path(KEY, srcs[0].replace("&amp;", "&")) == "https://o.example/in.jpg?a=1&b=2"
    assert srcs[1] == PLACEHOLDER
    assert 'alt="Image bloquée"' in out and 'alt="x"' not in out and 'alt="Une photo"' in out
    assert out.count("<!--") == 2  # the hook runs after each kept image


def test_image_links_look_states_up_once_per_url() -> None:
    calls: list[list[str]] = []

    def lookup(urls):
        calls.append(list(urls))
        return {}

    links = ImageLinks(KEY, lookup)
    links.prefetch(["https://a.example/1.jpg", "https://a.example/2.jpg", "/static/x.png"])
    links.src("https://a.example/1.jpg")
    links.src("https://a.example/3.jpg")
    assert calls == [["https://a.example/1.jpg", "https://a.example/2.jpg"], ["https://a.example/3.jpg"]]
    assert not links.hidden("https://a.example/1.jpg")
