"""Page weight in chromium: the home page asks nothing of a third party, weighs under 100 KB before images."""

from __future__ import annotations

import pytest

BUDGET = 100 * 1024  # HTML + CSS + JS, images excluded (issue 3, point 11)
COUNTED = {"document", "stylesheet", "script"}


def _record(page):
    """Collect (url, resource type, body bytes) for every response the page receives."""
    seen = []

    def on_response(response):
        request = response.request
        size = len(response.body()) if response.status < 300 else 0
        seen.append((response.url, request.resource_type, size))

    page.on("response", on_response)
    return seen


@pytest.mark.parametrize("path", ["/", "/ar/"])
def test_home_stays_on_its_origin_and_under_the_budget(page, demo_portal, path):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    seen = _record(page)
    page.goto(demo_portal.url + path)
    page.wait_for_load_state("networkidle")
    foreign = [u for u in requested if not u.startswith((demo_portal.url + "/", "data:"))]
    assert not foreign, f"requests to another origin: {foreign}"
    weight = sum(size for _, kind, size in seen if kind in COUNTED)
    assert any(kind == "stylesheet" for _, kind, _ in seen)
    print(f"{path}: {weight} bytes of HTML + CSS + JS, {len(requested)} requests")  # shown with -s
    assert 10_000 < weight < BUDGET, f"{path}: {weight} bytes of HTML, CSS and JS"
