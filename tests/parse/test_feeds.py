"""parse_feed on hand-written feeds: fields, links, dates, images, guids, limits and bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from akhbar.parse import FeedError, NotAFeedError, parse_feed

URL = "https://news.example.org/feeds/main.xml"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def rss(items: str, channel: str = "<title>Wire</title><link>https://news.example.org/</link>") -> bytes:
    """Return an RSS 2.0 document with the given channel fields and items."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


def test_rss_item_fields_are_normalised() -> None:
    data = rss(
        "<item><title>Rain &amp; wind &lt;b&gt;today&lt;/b&gt;</title><link>/2026/storm</link>"
        "<guid isPermaLink='false'>storm-1</guid><description>&lt;p&gt;Short&lt;/p&gt;</description>"
        "<content:encoded><![CDATA[<p>Long <img src='/img/storm.jpg'></p>]]></content:encoded>"
        "<pubDate>Tue, 10 Mar 2026 14:30:00 +0200</pubDate><dc:creator>Lina Haddad</dc:creator>"
        "<category>Weather</category><category>Coast</category></item>",
        channel="<title>Wire</title><link>https://news.example.org/</link><language>FR</language>",
    )
    feed = parse_feed(data, URL, now=NOW)
    item = feed.items[0]
    assert (feed.title, feed.link, feed.language, feed.format) == (
        "Wire",
        "https://news.example.org/",
        "fr",
        "rss",
    )
    assert item.guid == "storm-1"
    assert item.url == "https://news.example.org/2026/storm"
    assert item.title == "Rain & wind today"
    assert item.summary == "<p>Short</p>"
    assert "Long" in item.content
    assert item.published == datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
    assert item.authors == ["Lina Haddad"]
    assert item.categories == ["Weather", "Coast"]
    assert item.image == "https://news.example.org/img/storm.jpg"
    assert item.language == "fr"
    assert item.date_note == ""


def test_atom_uses_xml_base_and_xml_lang() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar" xml:base="https://site.example/ar/">'
        b"<title>Akhbar</title><link href='/'/><entry><id>tag:site.example,2026:1</id>"
        b"<title type='html'>&lt;em&gt;Title&lt;/em&gt;</title><link rel='alternate' href='news/1'/>"
        b"<updated>2026-04-01T08:00:00Z</updated><author><name>Samir</name></author>"
        b"<content type='html'>&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"
    )
    feed = parse_feed(data, URL, now=NOW)
    item = feed.items[0]
    assert feed.format == "atom"
    assert item.url == "https://site.example/ar/news/1"
    assert item.title == "Title"
    assert item.language == "ar"
    assert item.published == datetime(2026, 4, 1, 8, 0, tzinfo=UTC)  # only <updated>: used as published
    assert item.authors == ["Samir"]


def test_rdf_feed_is_recognised() -> None:
    data = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b"<channel rdf:about='https://r.example/'><title>R</title><link>https://r.example/</link></channel>"
        b"<item rdf:about='https://r.example/1'><title>One</title><link>https://r.example/1</link></item>"
        b"</rdf:RDF>"
    )
    feed = parse_feed(data, URL, now=NOW)
    assert feed.format == "rdf"
    assert [i.url for i in feed.items] == ["https://r.example/1"]


def test_json_feed() -> None:
    data = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "es",'
        b' "home_page_url": "https://j.example/", "items": [{"id": 7, "url": "https://j.example/7",'
        b' "title": "Hola & adios", "content_html": "<p><img src=\\"/i.png\\"></p>",'
        b' "date_published": "2026-02-03T04:05:06+01:00", "authors": [{"name": "Ana"}], "tags": ["mundo"]}]}'
    )
    feed = parse_feed(data, URL, now=NOW)
    item = feed.items[0]
    assert (feed.format, feed.language, feed.title) == ("json", "es", "J")
    assert (item.guid, item.title, item.authors, item.categories) == ("7", "Hola & adios", ["Ana"], ["mundo"])
    assert item.published == datetime(2026, 2, 3, 3, 5, 6, tzinfo=UTC)
    assert item.image == "https://j.example/i.png"
    assert item.language == "es"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            "<enclosure url='/e.jpg' type='image/jpeg' length='1'/>"
            "<media:content url='/m.jpg' medium='image'/><media:thumbnail url='/t.jpg'/>"
            "<description>&lt;img src='/d.jpg'&gt;</description>",
            "https://news.example.org/e.jpg",
        ),
        (
            "<enclosure url='/a.mp3' type='audio/mpeg' length='1'/>"
            "<media:content url='/m.jpg' medium='image'/><media:thumbnail url='/t.jpg'/>",
            "https://news.example.org/m.jpg",
        ),
        ("<media:thumbnail url='https://cdn.example/t.jpg'/>", "https://cdn.example/t.jpg"),
        (
            '<description>&lt;p&gt;&lt;img src="pics/d.png"&gt;&lt;/p&gt;</description>',
            "https://news.example.org/feeds/pics/d.png",
        ),
        ("<description>&lt;img src='data:image/png;base64,AAAA'&gt;</description>", ""),
        ("<description>no picture</description>", ""),
    ],
)
def test_image_precedence(markup: str, expected: str) -> None:
    feed = parse_feed(rss(f"<item><guid>x</guid>{markup}</item>"), URL, now=NOW)
    assert feed.items[0].image == expected


@pytest.mark.parametrize(
    ("date", "published", "note"),
    [
        ("<pubDate>Sun, 01 Mar 2026 23:30:00 -0500</pubDate>", datetime(2026, 3, 2, 4, 30, tzinfo=UTC), ""),
        ("<pubDate>Fri, 01 May 2026 12:50:00 GMT</pubDate>", datetime(2026, 5, 1, 12, 50, tzinfo=UTC), ""),
        ("<pubDate>Sat, 01 May 2027 00:00:00 GMT</pubDate>", NOW, "future"),
        ("", None, "missing"),
        ("<pubDate>not a date at all</pubDate>", None, "missing"),
    ],
)
def test_dates_are_utc_and_flagged(date: str, published: datetime | None, note: str) -> None:
    item = parse_feed(rss(f"<item><guid>x</guid>{date}</item>"), URL, now=NOW).items[0]
    assert (item.published, item.date_note) == (published, note)
    assert item.published is None or item.published.tzinfo is not None


def test_guid_falls_back_to_link_then_a_stable_hash() -> None:
    data = rss("<item><link>https://n.example/a</link></item><item><title>No link</title></item>")
    first = parse_feed(data, URL, now=NOW).items
    again = parse_feed(data, URL, now=datetime(2026, 6, 1, tzinfo=UTC)).items
    assert first[0].guid == "https://n.example/a"
    assert first[1].guid.startswith("sha1:")
    assert first[1].guid == again[1].guid


def test_duplicate_guids_keep_the_first_and_warn() -> None:
    data = rss(
        "<item><guid>g</guid><title>first</title></item><item><guid>g</guid><title>second</title></item>"
    )
    feed = parse_feed(data, URL, now=NOW)
    assert [i.title for i in feed.items] == ["first"]
    assert any("guid" in w for w in feed.warnings)


def test_max_items_is_respected() -> None:
    data = rss("".join(f"<item><guid>{n}</guid></item>" for n in range(50)))
    feed = parse_feed(data, URL, now=NOW, max_items=10)
    assert [i.guid for i in feed.items] == [str(n) for n in range(10)]
    assert any("max_items" in w for w in feed.warnings)


def test_ten_thousand_items_are_all_parsed() -> None:
    items = "".join(
        f"<item><guid>id-{n}</guid><title>Item {n}</title><link>https://n.example/{n}</link>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
        for n in range(10000)
    )
    feed = parse_feed(rss(items), URL, now=NOW)
    assert len(feed.items) == 10000
    assert feed.items[-1].url == "https://n.example/9999"


def test_empty_but_valid_feed_has_no_items_and_no_error() -> None:
    feed = parse_feed(rss(""), URL, now=NOW)
    assert (feed.title, feed.items) == ("Wire", [])


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\xef\xbb\xbf  \n"])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "empty"


@pytest.mark.parametrize(
    "data",
    [b"<rss version='2.0'><channel><</channel", b"\x00\x01\x02 binary junk", b"just some words, no markup"],
)
def test_unrecoverable_xml(data: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "not_xml"
    assert "\n" not in str(caught.value)


def test_invalid_xml_error_names_the_line() -> None:
    with pytest.raises(FeedError, match=r"line 3"):
        parse_feed(b"<rss>\n<channel>\n<title>x</tit le>\n", URL)


def test_html_page_suggests_discovery() -> None:
    page = b"<!DOCTYPE html><html><head><title>Site</title></head><body><p>Hello</p></body></html>"
    with pytest.raises(NotAFeedError, match="discovery") as caught:
        parse_feed(page, URL)
    assert caught.value.kind == "html_page"


def test_other_xml_is_unsupported() -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'></svg>", URL)
    assert caught.value.kind == "unsupported"


def test_recoverable_ill_formed_feed_is_read_with_a_warning() -> None:
    data = b"<rss version='2.0'><channel><title>T</title><item><title>A &amp B</title><guid>1</guid></item>"
    feed = parse_feed(data, URL, now=NOW)
    assert [i.guid for i in feed.items] == ["1"]
    assert any("ill-formed" in w for w in feed.warnings)


@pytest.mark.parametrize(
    ("declared", "body", "title"),
    [
        ("iso-8859-1", "أخبار اليوم".encode(), "أخبار اليوم"),  # UTF-8 bytes under a Latin-1 label
        ("utf-8", "Été chaud".encode("latin-1"), "Été chaud"),  # Latin-1 bytes under a UTF-8 label
        ("iso-8859-1", "l\x92été".encode("latin-1"), "l’été"),  # windows-1252 quote under a Latin-1 label
        ("x-no-such-charset", "Año".encode(), "Año"),
    ],
)
def test_wrong_declared_charset_is_still_parsed(declared: str, body: bytes, title: str) -> None:
    data = (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>'.encode()
        + body
        + b"</title><item><guid>1</guid></item></channel></rss>"
    )
    feed = parse_feed(data, URL, now=NOW)
    assert feed.title == title
    assert any("charset" in w or "UTF-8" in w for w in feed.warnings)


def test_utf16_feed() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><rss><channel><title>Nouvelles</title></channel></rss>'
    assert parse_feed(data.encode("utf-16"), URL).title == "Nouvelles"
