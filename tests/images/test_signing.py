"""Signed /img paths: only the URLs we signed can be served (no open proxy)."""

from __future__ import annotations

import pytest

from akhbar.images import image_path, parse_image_path, verify

KEY = "k" * 32


@pytest.mark.parametrize(
    "url",
    ["https://outlet.example/a.jpg", "http://h.example/p?q=1&r=é", "https://x.example/" + "a" * 1500],
)
def test_signed_path_round_trips(url: str) -> None:
    path = image_path(KEY, url)
    assert path.startswith("/img/")
    signature, token = path.removeprefix("/img/").split("/")
    assert verify(KEY, signature, token) == url
    assert parse_image_path(KEY, "https://portal.example" + path) == url


def test_tampering_is_refused() -> None:
    good = image_path(KEY, "https://outlet.example/a.jpg")
    other = image_path(KEY, "https://evil.example/b.jpg")
    signature, _ = good.removeprefix("/img/").split("/")
    _, token = other.removeprefix("/img/").split("/")
    assert verify(KEY, signature, token) is None
    assert verify("another-key-of-enough-length", *good.removeprefix("/img/").split("/")) is None


@pytest.mark.parametrize("token", ["", "!!!", "a", "%%%%", "w" * 10_000])
def test_garbage_tokens_are_refused(token: str) -> None:
    assert verify(KEY, "AAAAAAAAAAAAAAAAAAAAAA", token) is None


def test_a_path_that_is_not_an_image_path_is_refused() -> None:
    assert parse_image_path(KEY, "/static/site.css") is None
