"""Bad input never raises: empty, binary, enormous, body-less and unusual-script pages."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.extract import extract_article
from akhbar.extract.page import MAX_PAGE_BYTES, decode_page, parse_page
from akhbar.models import ExtractedArticle

URL = "https://news.example.ma/2025/05/article.html"
EMPTY = ExtractedArticle()


def assert_well_formed(article: ExtractedArticle) -> None:
    """Fail unless every field has its declared type."""
    assert isinstance(article, ExtractedArticle)
    for name in ("text", "html", "title", "author", "image", "canonical_url", "language"):
        assert isinstance(getattr(article, name), str), name
    assert article.published is None or article.published.tzinfo is not None


@pytest.mark.parametrize(
    "page", ["", b"", "   \n\t ", b"\x00\x00\x00", b"\xff\xfe", "<html></html>", "<!-- -->"]
)
def test_empty_pages_give_an_empty_article(page):
    assert extract_article(page, URL) == EMPTY


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("size", [1, 100, 10_000, 300_000])
def test_random_bytes_never_raise(seed, size):
    article = extract_article(random.Random(seed).randbytes(size), URL)
    assert_well_formed(article)
    assert "<script" not in article.html


@settings(max_examples=60, deadline=None)
@given(
    page=st.one_of(st.binary(max_size=2000), st.text(max_size=2000)),
    url=st.sampled_from([URL, "", "not a url"]),
)
def test_any_input_returns_an_article(page, url):
    assert_well_formed(extract_article(page, url))


@pytest.mark.parametrize(
    "page",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj",
        b'{"headline": "not html", "articleBody": "json"}',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        '<?xml version="1.0" encoding="ISO-8859-1"?><html><body><p>déclaration XML</p></body></html>',
        "<html><head><script type='application/ld+json'>{broken json,,</script></head><body><p>x</p></body>",
        "<p>un\x00nul et des \x01\x02 caractères de contrôle</p>",
        "<" * 10_000 + ">" * 10_000,
        "<div>" * 5_000 + "profond" + "</div>" * 5_000,
    ],
)
def test_odd_inputs_never_raise(page):
    assert_well_formed(extract_article(page, URL))


def test_html_without_body_or_head():
    paragraphs = "".join(
        f"<p>Paragraphe numéro {i} d'un article sans balise body, avec assez de mots pour être retenu.</p>"
        for i in range(8)
    )
    article = extract_article(f"<title>Sans corps</title>{paragraphs}", URL)
    assert article.title == "Sans corps"
    assert "Paragraphe numéro 3" in article.text


def test_head_only_page_keeps_its_metadata():
    page = '<html lang="es"><title>Solo cabecera</title><meta property="og:image" content="/a.jpg"></html>'
    article = extract_article(page, URL)
    assert (article.title, article.language, article.text) == ("Solo cabecera", "es", "")
    assert article.image == "https://news.example.ma/a.jpg"


# Tifinagh (the Amazigh script) has no ISO 639-1 code, so the language stays empty for enrich to decide.
TIFINAGH = "ⴰⵎⵓⵔ ⵏ ⵓⵎⵓⵍⵍⵉ ⴷ ⵉⵏⴻⵍⵎⴰⴷⵏ ⴰⵔ ⵜⵜⵉⵍⵉⵏ ⴳ ⵜⵎⴰⵣⵉⵔⵜ ⵏⵏⵙⵏ ⵙ ⵜⵓⵔⴷⴰ ⵏ ⵓⵙⴳⴳⵯⴰⵙ"
GEORGIAN = "ქალაქის ბაზარი ხელახლა გაიხსნა ექვსთვიანი რემონტის შემდეგ და მოვაჭრეები კმაყოფილნი არიან"


@pytest.mark.parametrize(("lang", "sentence", "want_lang"), [("zgh", TIFINAGH, ""), ("ka", GEORGIAN, "ka")])
def test_page_in_an_unusual_script(lang, sentence, want_lang):
    body = "".join(f"<p>{sentence} {i}.</p>" for i in range(6))
    page = f'<html lang="{lang}"><title>{sentence[:20]}</title><body><article>{body}</article></body></html>'
    article = extract_article(page.encode("utf-8"), URL)
    assert sentence in article.text
    assert article.language == want_lang


@pytest.mark.slow
def test_a_200000_word_page_is_extracted_whole():
    rng = random.Random(7)
    vocabulary = [
        "le",
        "port",
        "la",
        "ville",
        "les",
        "habitants",
        "un",
        "projet",
        "une",
        "route",
        "des",
        "écoles",
        "marché",
    ]
    paragraphs, count = [], 0
    while count < 200_000:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(40, 120))]
        paragraphs.append("<p>" + " ".join(words) + ".</p>")
        count += len(words)
    page = "<html><body><article>" + "".join(paragraphs) + "</article></body></html>"
    article = extract_article(page.encode("utf-8"), URL)
    assert len(article.text.split()) >= 190_000


@pytest.mark.slow
def test_an_enormous_page_is_cut_to_the_size_bound():
    filler = "<div><p>" + "bourrage " * 60 + "</p></div>"
    page = ("<html><body>" + filler * (3 * MAX_PAGE_BYTES // len(filler)) + "</body></html>").encode()
    assert len(page) > 2 * MAX_PAGE_BYTES
    article = extract_article(page, URL)
    assert_well_formed(article)
    assert len(article.text) <= MAX_PAGE_BYTES


def test_decode_bounds_bytes_and_strings():
    assert len(decode_page(b"a" * (MAX_PAGE_BYTES + 100))) == MAX_PAGE_BYTES
    assert len(decode_page("a" * (MAX_PAGE_BYTES + 100))) == MAX_PAGE_BYTES


def test_a_multibyte_character_cut_by_the_bound_is_not_a_decoding_failure():
    page = ("<p>" + "é" * MAX_PAGE_BYTES).encode("utf-8")  # the bound falls inside a two-byte character
    text = decode_page(page)
    assert text.startswith("<p>éé") and "\ufffd" not in text[:-1]


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ('<meta charset="windows-1256"><p>مرحبا</p>'.encode("cp1256"), "مرحبا"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>été</p>'.encode(
                "cp1252"
            ),
            "été",
        ),
        ("<p>sans déclaration, en UTF-8</p>".encode(), "sans déclaration, en UTF-8"),
        ('<meta charset="utf-8"><p>mal déclaré</p>'.encode("cp1252"), "mal déclaré"),
        (b"\xef\xbb\xbf<p>BOM \xc3\xa9</p>", "BOM é"),
        ("<p>utf-16 à la BOM</p>".encode("utf-16"), "utf-16 à la BOM"),
        (b'<meta charset="x-unknown-charset"><p>inconnu</p>', "inconnu"),
    ],
)
def test_decoding(raw, want):
    tree = parse_page(decode_page(raw))
    assert tree is not None
    assert want in tree.text_content()


def test_extract_article_and_its_result_pickle():
    article = extract_article("<title>t</title><p>x</p>", URL)
    assert pickle.loads(pickle.dumps(article)) == article
    assert pickle.loads(pickle.dumps(extract_article)) is extract_article


def test_extract_article_runs_in_a_process_pool():
    raw = (Path(__file__).parent / "data" / "fr_tramway_rabat.html").read_bytes()
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(extract_article, raw, URL).result(timeout=120)
    assert remote == extract_article(raw, URL)
