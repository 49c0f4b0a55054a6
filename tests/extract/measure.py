"""Print the extraction scores on the fixture pages and a few timings (the figures in docs/extract.md)."""

from __future__ import annotations

import random
import time

from test_quality import DATA, NOW, PAGES, expected, precision_recall

from akhbar.extract import extract_article
from akhbar.extract.article import extract_at


def timed(page: bytes, repeat: int = 1) -> float:
    """Return the mean seconds one extraction of page takes."""
    start = time.perf_counter()
    for _ in range(repeat):
        extract_article(page, "https://news.example.ma/a.html")
    return (time.perf_counter() - start) / repeat


def long_page(words: int) -> bytes:
    """Return an article page of about the given number of words."""
    rng = random.Random(7)
    vocabulary = ("le", "port", "la", "ville", "les", "habitants", "un", "projet", "une", "route", "marché")
    paragraphs, count = [], 0
    while count < words:
        chosen = [rng.choice(vocabulary) for _ in range(rng.randint(40, 120))]
        paragraphs.append("<p>" + " ".join(chosen) + ".</p>")
        count += len(chosen)
    return ("<html><body><article>" + "".join(paragraphs) + "</article></body></html>").encode()


def main() -> None:
    """Print per-page scores, then timings."""
    for name in PAGES:
        text = extract_at((DATA / f"{name}.html").read_bytes(), expected(name)["url"], NOW).text
        p, r = precision_recall(text, expected(name)["body"])
        print(f"{name:<26} precision {p:.3f}  recall {r:.3f}")
    fixtures = [(DATA / f"{n}.html").read_bytes() for n in PAGES]
    timed(fixtures[0])  # warm-up: imports trafilatura and htmldate
    mean = sum(timed(page, 10) for page in fixtures) / len(fixtures)
    print(f"fixture page, mean: {mean * 1000:.1f} ms")
    print(f"200,000-word page: {timed(long_page(200_000)):.2f} s")
    filler = "<div><p>" + "bourrage " * 60 + "</p></div>"
    print(f"50 MB page (cut to the bound): {timed(('<html><body>' + filler * 100_000).encode()):.2f} s")


if __name__ == "__main__":
    main()
