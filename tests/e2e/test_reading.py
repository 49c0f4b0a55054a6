"""A reader in chromium: home -> article -> original, the mirrored Arabic edition, search without accents."""

from __future__ import annotations

import re
import unicodedata

import pytest

from akhbar.demo.render import article_url

PUBLISHED = re.compile(r"^Publié dans .+ le \d{2} - \d{2} - \d{4}$")
SOURCE_LINK = "Cliquez ici pour lire l'article depuis sa source"


def _demo_article(portal, title):
    """Return (outlet, demo article) whose title the portal shows."""
    for outlet in portal.outlets:
        for article in outlet.articles:
            if article.title == title:
                return outlet, article
    raise AssertionError(f"no demo article is titled {title!r}")


def _fold(text):
    """Drop the accents of a word (é -> e), as a reader typing on a plain keyboard would."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_home_to_article_to_original_source(page, demo_portal, screenshot):
    page.goto(demo_portal.url + "/")
    screenshot(page, "home")
    lead = page.locator("main a.title[href*='/article/']").first  # a lead may open a story page instead
    title = lead.inner_text().strip()
    lead.click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text().strip() == title
    assert PUBLISHED.match(page.locator("article p.meta").inner_text().strip())
    screenshot(page, "article")
    outlet, demo = _demo_article(demo_portal, title)
    original = article_url(demo_portal.wire.site_url(outlet.slug), demo)
    link = page.get_by_role("link", name=SOURCE_LINK)
    assert link.get_attribute("href") == original
    assert set(link.get_attribute("rel").split()) >= {"noopener", "nofollow"}
    link.click()
    page.wait_for_load_state()
    assert page.url == original
    assert page.locator("main h1").inner_text().strip() == demo.title


def test_source_name_on_article_page_leads_to_source_page(page, demo_portal):
    article = demo_portal.headlines()[0]
    page.goto(demo_portal.url + f"/article/{article.id}")
    page.locator("article p.meta a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/source/{article.source_slug}")
    assert article.source_name in page.locator("main").inner_text()


def _box(page, selector):
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not laid out"
    return box


@pytest.mark.parametrize(("path", "direction"), [("/ar/", "rtl"), ("/", "ltr"), ("/en/", "ltr")])
def test_editions_lay_out_in_their_direction(page, demo_portal, screenshot, path, direction):
    page.goto(demo_portal.url + path)
    assert page.locator("html").get_attribute("dir") == direction
    if path == "/ar/":
        screenshot(page, "home-ar")
    # The reading order starts on the right in Arabic: first items sit to the right of the second ones.
    pairs = [
        (".site-bar .brand", ".site-bar .search-form"),
        (".categories li:nth-child(1)", ".categories li:nth-child(2)"),
        (".ticker li:nth-child(1)", ".ticker li:nth-child(2)"),
        (".editions li:nth-child(1)", ".editions li:nth-child(2)"),
    ]
    for first, second in pairs:
        a, b = _box(page, first), _box(page, second)
        first_right = a["x"] > b["x"]
        assert first_right == (direction == "rtl"), f"{first} vs {second} on {path}"


def test_arabic_home_gives_each_headline_its_own_direction(page, demo_portal):
    page.goto(demo_portal.url + "/ar/")
    items = page.locator(".ticker li")
    pairs = {(item.get_attribute("lang"), item.get_attribute("dir")) for item in items.all()}
    assert ("ar", "rtl") in pairs
    assert ("fr", "ltr") in pairs  # a French headline inside the Arabic page still reads left-to-right
    assert {d for lang, d in pairs if lang != "ar"} == {"ltr"}


def _accented_french_word(portal):
    """Return (word, title): a word with an accent taken from a stored French article's title."""
    for article in portal.headlines():
        if article.language != "fr":
            continue
        for word in re.findall(r"\w{6,}", article.title):
            if _fold(word) != word:
                return word, article.title
    raise AssertionError("no stored French title carries an accented word")


def test_search_finds_a_french_article_typed_without_accents(page, demo_portal, screenshot):
    word, title = _accented_french_word(demo_portal)
    plain = _fold(word).lower()
    page.goto(demo_portal.url + "/")
    page.locator("#search-q").fill(plain)
    page.locator("#search-q").press("Enter")
    page.wait_for_load_state()
    assert "/recherche" in page.url
    titles = [t.strip() for t in page.locator(".search-results a.title").all_inner_texts()]
    assert title in titles, f"searching {plain!r} (for {word!r}) did not find {title!r}"
    screenshot(page, "search")
