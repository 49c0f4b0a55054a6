"""The whole chain on a loopback server: good sources land, each bad one says why on its health."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from akhbar.fetch import Fetcher
from akhbar.models import SourceSpec
from akhbar.pipeline import refresh_source, wants_page
from akhbar.runner.local import pipeline_context, refresh_many
from akhbar.store import Store

NOW = datetime.now(UTC)


async def offline_resolver(host: str, port: int) -> list[str]:
    """Resolve only loopback names, as a machine without DNS would (no query leaves the machine)."""
    if host in ("127.0.0.1", "localhost"):
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def rss(items: list[tuple[str, str]], base: str = "http://127.0.0.1:9") -> str:
    """Return an RSS 2.0 feed of (guid, title) items, newest first, linking to pages under base."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{base}/articles/{guid}</link>"
        f"<description>Résumé de {title}, avec quelques mots de plus pour faire une phrase.</description>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=n))}</pubDate></item>"
        for n, (guid, title) in enumerate(items)
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
    return f"{head}{entries}</channel></rss>"


GOOD = rss([("a1", "Le budget adopté au Parlement"), ("a2", "La saison des pluies commence au nord")])


@pytest.fixture
def store(settings):
    store = Store.open(settings.database_url_effective)
    yield store
    store.close()


def add(store: Store, url: str, feed_url: str = "", name: str = "") -> int:
    return store.add_source(SourceSpec(url=url, feed_url=feed_url or url, name=name or url)).id


def bad_input_routes(loopback) -> dict[str, str]:
    """Serve one path per bad case; return path -> a word the health line must contain."""
    loopback.reply("/good", GOOD)
    loopback.reply("/404", "", status=404)
    loopback.reply("/500", "oops", status=500)
    loopback.reply("/410", "", status=410)
    loopback.reply("/429", "", status=429, headers={"Retry-After": "3600"})
    loopback.reply("/invalid", '<?xml version="1.0"?><rss><channel><<<>>></rss>')
    loopback.reply(
        "/html",
        "<!doctype html><html><head><title>Accueil</title></head><body>Bonjour</body></html>",
        content_type="text/html",
    )
    loopback.reply("/empty", "")
    loopback.reply("/big", b"<rss>" + b" " * (3 * 1024 * 1024), content_type="application/rss+xml")
    loopback.reply("/loop", "", status=302, headers={"Location": "/loop"})
    return {
        "/404": "404",
        "/500": "500",
        "/410": "410",
        "/429": "429",
        "/invalid": "xml",
        "/html": "discover",
        "/empty": "empty",
        "/big": "cap",
        "/loop": "redirect",
    }


async def test_bad_sources_report_one_line_and_others_go_on(settings, store, loopback):
    settings = settings.replace(fetch_max_bytes=1024 * 1024)
    expected = bad_input_routes(loopback)
    good = add(store, loopback.url + "/good", name="good")
    bad = {add(store, loopback.url + path, name=path): word for path, word in expected.items()}
    bad[add(store, "http://127.0.0.1:9/feed", name="refused")] = "refused"
    bad[add(store, "http://no-such-host.invalid/feed", name="dns")] = "resolve"
    async with pipeline_context(settings, store, Fetcher(settings, resolver=offline_resolver)) as ctx:
        reports = await refresh_many(ctx, store.all_sources())
    assert {r.slug for r in reports if r.ok} == {store.source_by_id(good).slug}
    assert store.count_articles(good) == 2
    for source_id, word in bad.items():
        source = store.source_by_id(source_id)
        assert "\n" not in source.last_error and "Traceback" not in source.last_error
        assert word.lower() in source.last_error.lower(), (word, source.last_error)
        assert source.consecutive_failures == 1
    assert not store.source_by_id(next(k for k, w in bad.items() if w == "410")).enabled


async def test_a_site_without_dns_is_unreachable_in_one_request(settings, store):
    source_id = store.add_source(SourceSpec(url="https://www.no-such-outlet.invalid/", name="gone")).id
    lookups: list[str] = []

    async def counting_resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return await offline_resolver(host, port)

    async with pipeline_context(settings, store, Fetcher(settings, resolver=counting_resolver)) as ctx:
        report = await refresh_source(store.source_by_id(source_id), ctx)
    error = store.source_by_id(source_id).last_error
    assert not report.ok and error == report.error
    assert error.startswith("sources: site unreachable: fetch: cannot resolve www.no-such-outlet.invalid")
    assert len(lookups) == 1  # the usual feed paths are not probed on a host that does not resolve


async def test_second_refresh_is_not_modified_and_stores_nothing_twice(settings, store, loopback):
    loopback.reply("/good", GOOD, headers={"ETag": '"v1"'})
    source_id = add(store, loopback.url + "/good")
    async with pipeline_context(settings, store) as ctx:
        first = await refresh_source(store.source_by_id(source_id), ctx)
        loopback.routes["/good"] = _etag_aware(GOOD, '"v1"')
        second = await refresh_source(store.source_by_id(source_id), ctx)
    assert (first.new, second.not_modified) == (2, True)
    assert store.count_articles(source_id) == 2


def _etag_aware(body: str, etag: str):
    def handler(req):
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.end_headers()
            return
        data = body.encode()
        req.send_response(200)
        req.send_header("ETag", etag)
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    return handler


async def test_duplicate_guids_and_tracking_urls_make_one_article(settings, store, loopback):
    feed = rss([("same", "Un titre de dépêche répété"), ("same", "Un titre de dépêche répété")])
    loopback.reply("/dups", feed)
    source_id = add(store, loopback.url + "/dups")
    async with pipeline_context(settings.replace(fetch_article_pages="never"), store) as ctx:
        report = await refresh_source(store.source_by_id(source_id), ctx)
    assert report.ok and store.count_articles(source_id) == 1


async def test_feed_of_ten_thousand_items_is_stored(settings, store, loopback):
    loopback.reply("/huge", rss([(f"g{i}", f"Dépêche numéro {i} du fil") for i in range(10_000)]))
    source_id = add(store, loopback.url + "/huge")
    started = time.monotonic()
    async with pipeline_context(settings.replace(fetch_article_pages="never"), store) as ctx:
        report = await refresh_source(store.source_by_id(source_id), ctx)
    assert report.ok, report.error
    assert store.count_articles(source_id) == 10_000
    assert time.monotonic() - started < 600  # a generous bound: this checks it finishes, it is no benchmark


async def test_summary_only_when_article_page_is_unreachable(settings, store, loopback):
    loopback.reply("/feed", rss([("x1", "Une dépêche dont la page ne répond pas")], base=loopback.url))
    source_id = add(store, loopback.url + "/feed")
    async with pipeline_context(settings, store) as ctx:
        await refresh_source(store.source_by_id(source_id), ctx)
    [article] = store.latest_headlines(5)
    assert article.summary_only and article.text.startswith("Résumé de")


@pytest.mark.parametrize(
    ("content", "mode", "expected"),
    [
        ("", "auto", True),
        ("<p>" + "mot " * 400 + "</p>", "auto", False),
        ("", "never", False),
        ("<p>" + "mot " * 400 + "</p>", "always", True),
    ],
)
def test_wants_page_follows_the_mode(content, mode, expected):
    from akhbar.models import FeedItem

    assert wants_page(FeedItem(guid="g", url="http://example.org/a", content=content), mode) is expected


def test_broken_feed_with_no_usable_item_is_an_error():
    from akhbar.parse import FeedError, parse_feed
    from akhbar.pipeline import usable_items

    feed = parse_feed(b'<?xml version="1.0"?><rss><channel><title>t</title>\n<<<item>>> && <<\n', "http://x/")
    with pytest.raises(FeedError, match="broken feed with no usable item: invalid XML"):
        usable_items(feed)


async def test_story_step_serves_every_waiting_refresh_with_one_run():
    import asyncio

    from akhbar.pipeline import StoryStep

    step, runs = StoryStep(), []

    async def place() -> None:
        runs.append(len(runs))
        await asyncio.sleep(0.01)

    await asyncio.gather(*(step.run(place) for _ in range(10)))
    assert runs == [0, 1]  # the first request's run, then one run for the nine that asked during it
    await step.run(place)
    assert runs == [0, 1, 2]  # a later request is never served by an earlier run


async def test_concurrent_refreshes_place_every_article(settings, store, loopback):
    for n in range(4):
        items = [(f"w{n}-{i}", f"Dépêche {i} du fil {n} sur le budget") for i in range(3)]
        loopback.reply(f"/w{n}", rss(items))
    sources = [store.source_by_id(add(store, f"{loopback.url}/w{n}")) for n in range(4)]
    async with pipeline_context(settings.replace(fetch_article_pages="never"), store) as ctx:
        reports = await refresh_many(ctx, sources)
    assert all(r.ok for r in reports)
    rows = store.story_rows_after(0)
    assert len(rows) == 12 and all(row.story_id is not None for row in rows)


class CountingStore:
    """A stand-in store that records each batch of states written, slowly, and fails the ids it is told."""

    def __init__(self, failing: frozenset[int] = frozenset()) -> None:
        self.batches: list[list[int]] = []
        self.failing = failing

    def save_states(self, sources):
        from akhbar.store import StoreError

        time.sleep(0.02)
        self.batches.append([s.id for s in sources])
        failing = [s.id for s in sources if s.id in self.failing]
        return {n: StoreError(f"store: cannot save source {n}") for n in failing}


def source_numbered(n: int):
    from akhbar.models import Source

    return Source(id=n, slug=f"s{n}", name=f"S{n}", url=f"http://s{n}.example/")


async def test_state_writes_group_concurrent_refreshes_into_few_transactions():
    import asyncio

    from akhbar.pipeline import StateWrites

    states, fake = StateWrites(), CountingStore()
    await asyncio.gather(*(states.save(fake, source_numbered(n)) for n in range(20)))
    assert fake.batches == [[0], list(range(1, 20))]  # the first at once, the others together
    await states.save(fake, source_numbered(20))
    assert fake.batches[-1] == [20]  # a later refresh is written by a transaction of its own


async def test_state_writes_fail_only_the_source_that_failed():
    import asyncio

    from akhbar.pipeline import StateWrites
    from akhbar.store import StoreError

    states, fake = StateWrites(), CountingStore(failing=frozenset({3}))
    outcomes = await asyncio.gather(
        *(states.save(fake, source_numbered(n)) for n in range(6)), return_exceptions=True
    )
    assert [type(o).__name__ for o in outcomes] == ["NoneType"] * 3 + ["StoreError"] + ["NoneType"] * 2
    assert isinstance(outcomes[3], StoreError)


async def test_state_writes_survive_the_cancelled_refresh_that_was_writing():
    import asyncio

    from akhbar.pipeline import StateWrites

    states, fake = StateWrites(), CountingStore()
    first = asyncio.create_task(states.save(fake, source_numbered(0)))
    await asyncio.sleep(0.005)  # the first refresh is writing; the others queue behind it
    others = [asyncio.create_task(states.save(fake, source_numbered(n))) for n in range(1, 4)]
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.wait_for(asyncio.gather(*others), timeout=5)  # neither lost nor left waiting
    assert sorted(n for batch in fake.batches for n in batch) == [0, 1, 2, 3]


async def test_a_pass_with_nothing_new_saves_states_in_few_transactions(settings, store, loopback):
    calls: list[int] = []
    for n in range(12):  # half the feeds answer 304, the other half the same items again
        feed = rss([(f"f{n}-{i}", f"Dépêche {i} du fil {n}") for i in range(2)])
        loopback.routes[f"/f{n}"] = _etag_aware(feed, f'"v{n}"' if n % 2 else "")
    ids = [add(store, f"{loopback.url}/f{n}") for n in range(12)]
    async with pipeline_context(settings.replace(fetch_article_pages="never"), store) as ctx:
        await refresh_many(ctx, [store.source_by_id(i) for i in ids])
        save_states = store.save_states

        def counted(sources):
            calls.append(len(sources))
            time.sleep(0.05)  # a write that takes a while: the refreshes arriving meanwhile are grouped
            return save_states(sources)

        store.save_states = counted  # type: ignore[method-assign]
        later = datetime.now(UTC)
        reports = await refresh_many(ctx, [store.source_by_id(i) for i in ids])
    assert [r.not_modified for r in reports] == [bool(n % 2) for n in range(12)]
    assert all(r.ok and r.new == 0 for r in reports), reports
    assert sum(calls) == 12 and len(calls) < 12
    assert all(store.source_by_id(i).last_checked_at >= later for i in ids)  # type: ignore[union-attr]
