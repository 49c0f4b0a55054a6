"""A short run of the fuzz targets (fuzz/targets.py; `make fuzz` runs them for minutes) and their
properties checked on known attack strings."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings

from akhbar.extract import sanitize_html


def load_targets() -> ModuleType:
    """Import fuzz/targets.py by path (fuzz/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "fuzz" / "targets.py"
    spec = importlib.util.spec_from_file_location("akhbar_fuzz_targets", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TARGETS = load_targets()
EXAMPLES = {"parse_feed": 150, "extract_article": 40, "sanitizer": 150, "search_query": 300}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_fuzz_target_short_run(name: str) -> None:
    check, strategy = TARGETS.TARGETS[name]

    @settings(max_examples=EXAMPLES[name], deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: object) -> None:
        check(value)

    run()


ATTACKS = [
    "<script>alert(1)</script><p>x</p>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href=' jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD4='>x</a>",
    "<img src='data:image/svg+xml,<svg onload=alert(1)>'>",
    "<svg><script>alert(1)</script></svg>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<p style='background:url(javascript:alert(1))' onclick='x()'>t</p>",
    "<table><li>moved</li></table><h1>T</h1>",
]


@pytest.mark.parametrize("html", ATTACKS)
def test_sanitizer_properties_on_known_attacks(html: str) -> None:
    TARGETS.check_sanitizer(html)
    TARGETS.check_extract(f"<html><body><article>{html}<p>{'Texte. ' * 40}</p></article></body></html>")


def test_the_property_checker_catches_unsafe_html() -> None:
    unsafe_samples = (
        "<script>x</script>",
        "<a href='javascript:x'>y</a>",
        "<p onclick=x>y</p>",
        "<div>x</div>",
    )
    for unsafe in unsafe_samples:
        with pytest.raises(AssertionError):
            TARGETS.assert_safe_html(unsafe)
    TARGETS.assert_safe_html(sanitize_html("<p>fine <a href='https://x.org/'>link</a></p>"))
