"""Accessibility in chromium: a keyboard-only pass reaches every link; axe-core finds nothing serious."""

from __future__ import annotations

import pytest

# Give every focused element a stable number, so the Tab loop can tell when it has come back to the start.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__e2eIds = window.__e2eIds || new WeakMap();
  if (!window.__e2eIds.has(el)) window.__e2eIds.set(el, window.__e2eIds.size || 0);
  const links = [...document.querySelectorAll('a[href]')];
  return {index: links.indexOf(el), tag: el.tagName, key: el.outerHTML.slice(0, 200)};
}"""
VISIBLE_LINKS = """() => [...document.querySelectorAll('a[href]')]
  .map((a, i) => [i, a])
  .filter(([i, a]) => a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden')
  .map(([i, a]) => i)"""
SERIOUS = {"serious", "critical"}


def _tab_until_cycle(page, limit):
    """Press Tab until focus comes back to the first element reached; return the link indexes focused."""
    reached, first = set(), None
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue  # focus passed through the document itself between two rounds
        if first is None:
            first = focused["key"]
        elif focused["key"] == first:
            return reached
        if focused["index"] >= 0:
            reached.add(focused["index"])
    raise AssertionError(f"focus did not cycle back within {limit} Tab presses")


@pytest.mark.parametrize("path", ["/", "/ar/"])
def test_keyboard_alone_reaches_every_visible_link(page, demo_portal, path):
    page.goto(demo_portal.url + path)
    visible = set(page.evaluate(VISIBLE_LINKS))
    assert len(visible) > 50
    reached = _tab_until_cycle(page, limit=3 * page.locator("a[href], input, button, select").count() + 20)
    missed = sorted(visible - reached)
    hrefs = [page.locator("a[href]").nth(i).get_attribute("href") for i in missed[:5]]
    assert not missed, f"{len(missed)} links never took the focus, e.g. {hrefs}"


def test_skip_link_is_first_and_moves_to_the_content(page, demo_portal):
    page.goto(demo_portal.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # shown on focus, not left off-screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    return serious, results


def _search_path(portal):
    word = portal.headlines()[0].title.split()[0]
    return f"/recherche?q={word}"


@pytest.mark.parametrize("which", ["home", "article", "search", "arabic home"])
def test_axe_finds_no_serious_violation(page, demo_portal, which):
    paths = {
        "home": "/",
        "article": f"/article/{demo_portal.headlines()[0].id}",
        "search": _search_path(demo_portal),
        "arabic home": "/ar/",
    }
    page.goto(demo_portal.url + paths[which])
    serious, results = _axe(page)
    assert not serious, results.generate_report()
