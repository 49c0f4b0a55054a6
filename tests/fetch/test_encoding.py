"""decode_body: header charset, XML prolog, <meta charset>, and detection when a declaration is wrong."""

from __future__ import annotations

import codecs

import pytest

from akhbar.fetch import decode_body

ARABIC = "افتتح المجلس البلدي اليوم مكتبة جديدة في وسط المدينة، وقال رئيس المجلس إن القراءة حق للجميع."
FRENCH = "Le conseil municipal a inauguré une médiathèque près de la gare ; l'entrée reste gratuite à l'été."
SPANISH = "El ayuntamiento abrió una biblioteca junto a la estación; la entrada será gratuita en otoño."


@pytest.mark.parametrize(
    ("text", "charset"),
    [(ARABIC, "windows-1256"), (FRENCH, "iso-8859-1"), (SPANISH, "iso-8859-15"), (ARABIC, "utf-8")],
)
def test_header_charset_is_used(text: str, charset: str) -> None:
    body = f"<p>{text}</p>".encode(charset)
    assert decode_body(body, f"text/html; charset={charset}") == f"<p>{text}</p>"


@pytest.mark.parametrize(("text", "charset"), [(ARABIC, "windows-1256"), (FRENCH, "ISO-8859-1")])
def test_xml_prolog_encoding_is_used(text: str, charset: str) -> None:
    doc = f'<?xml version="1.0" encoding="{charset}"?>\n<rss><channel><title>{text}</title></channel></rss>'
    assert decode_body(doc.encode(charset), "application/rss+xml") == doc


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1256">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
    ],
)
def test_meta_charset_is_used(meta: str) -> None:
    page = f"<html><head>{meta}<title>خبر</title></head><body><p>{ARABIC}</p></body></html>"
    assert decode_body(page.encode("windows-1256"), "text/html") == page


def test_header_wins_over_document_declaration() -> None:
    doc = f'<?xml version="1.0" encoding="iso-8859-1"?><t>{ARABIC}</t>'
    assert decode_body(doc.encode("utf-8"), "text/xml; charset=utf-8") == doc


def test_iso_8859_1_is_read_as_windows_1252() -> None:
    # Sites that declare latin-1 often use windows-1252 curly quotes; browsers read them that way too.
    text = "L’été « chaud » – 3 €"
    assert decode_body(text.encode("cp1252"), "text/html; charset=ISO-8859-1") == text


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    body = ("<p>" + " ".join([ARABIC] * 4) + "</p>").encode("windows-1256")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    decoded = decode_body(body, "text/html; charset=utf-8")
    assert "المجلس البلدي" in decoded
    assert "\ufffd" not in decoded


def test_wrong_prolog_falls_through_to_meta_or_detection() -> None:
    doc = f'<?xml version="1.0" encoding="utf-8"?><t>{FRENCH} {FRENCH}</t>'
    decoded = decode_body(doc.encode("cp1252"))
    assert "médiathèque" in decoded


@pytest.mark.parametrize("label", ["no-such-charset", "x-unknown"])
def test_unknown_charset_label_is_skipped(label: str) -> None:
    assert decode_body(ARABIC.encode("utf-8"), f"text/plain; charset={label}") == ARABIC


def test_byte_order_mark_wins() -> None:
    assert decode_body(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "text/html; charset=iso-8859-1") == FRENCH
    assert decode_body(codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le")) == ARABIC


def test_in_document_utf16_label_on_ascii_bytes_is_ignored() -> None:
    doc = '<?xml version="1.0" encoding="UTF-16"?><t>plain</t>'
    assert decode_body(doc.encode("utf-8")) == doc


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_body(bytes(range(256)) * 3, "text/html; charset=utf-8"), str)
    assert decode_body(b"") == ""
