"""Store.search: full-text search kept in sync with the upsert, filters, order, paging, any input."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from akhbar.models import Article, Source, SourceSpec
from akhbar.search import SearchQuery, SearchQueryError
from akhbar.store import Store, fts
from akhbar.store import search as fulltext

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CORPUS = [
    # (n, language, category, title, text)
    (1, "fr", "economie", "L'économie du Maroc accélère", "Le gouvernement présente un budget à Rabat."),
    (2, "fr", "sport", "Le Maroc gagne à Casablanca", "Une belle victoire de l'équipe nationale."),
    (3, "ar", "politique", "الحكومةُ تعلن عن إصلاح جديد", "أعلنت الحكومة المغربية في الرباط عن مشروع."),
    (4, "en", "economie", "Morocco's economy grows", "The government presented a budget in Rabat."),
    (5, "es", "sport", "Marruecos gana el partido", "El gobierno felicita al equipo."),
    (6, "fr", "politique", "Élections : le gouvernement prépare la réforme", "Le Maroc débat de la réforme."),
]


@pytest.fixture
def postgresql_url(postgresql_clean_url: str) -> str:
    """Search on the session's emptied PostgreSQL database (a fresh database per test costs seconds)."""
    return postgresql_clean_url


def make(source: Source, n: int, language: str, category: str, title: str, body: str) -> Article:
    """Return a stored-to-be article published n hours after T0."""
    return Article(
        source_id=source.id,
        guid=f"{source.slug}-{n}",
        url=f"https://{source.slug}.example/{n}",
        canonical_url=f"https://{source.slug}.example/{n}",
        title=title,
        text=body,
        language=language,
        category=category,
        published_at=T0 + timedelta(hours=n),
    )


@pytest.fixture
def sources(store: Store) -> tuple[Source, Source]:
    one = store.add_source(SourceSpec(url="https://one.example/", name="One"))
    two = store.add_source(SourceSpec(url="https://two.example/", name="Two"))
    store.save_refresh(one, [make(one, *row) for row in CORPUS if row[0] % 2])
    store.save_refresh(two, [make(two, *row) for row in CORPUS if not row[0] % 2])
    return one, two


def titles(store: Store, **query: object) -> list[str]:
    return [hit.article.title for hit in store.search(SearchQuery(**query)).hits]  # type: ignore[arg-type]


def check_index(store: Store) -> None:
    """Fail when the engine's full-text index disagrees with the articles."""
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 0)"))
            return
        missing = "SELECT count(*) FROM articles a LEFT JOIN article_search s ON s.article_id = a.id"
        assert conn.execute(text(missing + " WHERE s.article_id IS NULL")).scalar_one() == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("economie", ["L'économie du Maroc accélère"]),  # accent-insensitive
        ("ÉCONOMIE MAROC", ["L'économie du Maroc accélère"]),
        ("الحكومه", ["الحكومةُ تعلن عن إصلاح جديد"]),  # ta marbuta and harakat folded
        ("اعلنت", ["الحكومةُ تعلن عن إصلاح جديد"]),  # hamza on alef folded
        ('"budget a rabat"', ["L'économie du Maroc accélère"]),
        ("gouv*", ["Élections : le gouvernement prépare la réforme", "L'économie du Maroc accélère"]),
        ("maroc -economie -casablanca", ["Élections : le gouvernement prépare la réforme"]),
        (
            "rabat OR casablanca",
            ["Morocco's economy grows", "Le Maroc gagne à Casablanca", "L'économie du Maroc accélère"],
        ),
        ("introuvable", []),
    ],
)
def test_search_finds_normalised_words(
    store: Store, sources: tuple[Source, Source], typed: str, expected: list[str]
) -> None:
    assert titles(store, text=typed, sort="date") == expected


def test_title_matches_rank_first(store: Store, sources: tuple[Source, Source]) -> None:
    found = titles(store, text="maroc")
    assert len(found) == 3 and "Maroc" in found[0] and found[-1].startswith("Élections")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"languages": ("fr",)}, {1, 2, 6}),
        ({"languages": ("fr", "en")}, {1, 2, 4, 6}),
        ({"category": "economie"}, {1, 4}),
        ({"since": T0 + timedelta(hours=3), "until": T0 + timedelta(hours=6)}, {3, 4, 5}),
        ({"category": "sport", "languages": ("es",)}, {5}),
    ],
)
def test_filters(
    store: Store, sources: tuple[Source, Source], filters: dict[str, object], expected: set[int]
) -> None:
    every = "maroc OR morocco OR marruecos OR gouvernement OR government OR gobierno OR الحكومة"
    hits = store.search(SearchQuery(every, **filters)).hits  # type: ignore[arg-type]
    assert {int(hit.article.guid.rsplit("-", 1)[1]) for hit in hits} == expected


def test_source_filter(store: Store, sources: tuple[Source, Source]) -> None:
    one, two = sources
    assert titles(store, text="maroc", sources=(two.id,), sort="date") == [
        "Élections : le gouvernement prépare la réforme",
        "Le Maroc gagne à Casablanca",
    ]


def test_hits_carry_source_and_snippets(store: Store, sources: tuple[Source, Source]) -> None:
    [hit] = store.search(SearchQuery("rabat", languages=("fr",))).hits
    assert hit.article.source_name == "One" and hit.article.source_slug
    assert "<mark>Rabat</mark>" in hit.snippet_html
    assert hit.title_html == "L&#x27;économie du Maroc accélère"


def test_pages_and_total(store: Store, sources: tuple[Source, Source]) -> None:
    first = store.search(SearchQuery("maroc", per_page=2, sort="date"))
    second = store.search(SearchQuery("maroc", per_page=2, page=2, sort="date"))
    assert (first.total, first.capped, first.has_next, second.has_next) == (3, False, True, False)
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert {h.article.id for h in first.hits}.isdisjoint({h.article.id for h in second.hits})


def test_window_caps_the_total(
    store: Store, sources: tuple[Source, Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "WINDOW", 2)
    results = store.search(SearchQuery("maroc", sort="date"))
    assert (results.total, results.capped, results.total_label) == (2, True, "2+")
    beyond = store.search(SearchQuery("maroc", page=2, per_page=2))
    assert beyond.hits == [] and "only the 2 newest" in beyond.message


def test_index_follows_updates_and_source_removal(store: Store, sources: tuple[Source, Source]) -> None:
    one, two = sources
    changed = replace(make(one, *CORPUS[0]), title="Le tourisme reprend", text="Les hôtels sont pleins.")
    store.save_refresh(one, [changed])
    assert titles(store, text="tourisme") == ["Le tourisme reprend"]
    assert titles(store, text="accelere") == []
    store.remove_source(one.id)
    assert titles(store, text="tourisme") == []
    assert titles(store, text="maroc", sort="date") == [
        "Élections : le gouvernement prépare la réforme",
        "Le Maroc gagne à Casablanca",
    ]
    check_index(store)


def test_rebuild_indexes_every_article(store: Store, sources: tuple[Source, Source]) -> None:
    assert store.rebuild_search_index() == len(CORPUS)
    assert len(titles(store, text="maroc")) == 3


@pytest.mark.parametrize("typed", ["", "   ", "-maroc", "(((", '"', "*", "-" * 50])
def test_query_without_words_is_a_search_error(store: Store, typed: str) -> None:
    with pytest.raises(SearchQueryError, match="^search: the query has no words"):
        store.search(SearchQuery(typed))


@pytest.mark.parametrize(
    "typed",
    [
        'maroc"',
        "NEAR(maroc rabat, 2)",
        "title:maroc",
        "maroc AND OR NOT",
        "^maroc",
        "ma*roc*",
        "maroc\x00rabat",
        "{title body}: x",
        "x" * 10_000,
        "maroc" + "-" * 50,
        "'; DROP TABLE articles; --",
    ],
)
def test_fts_syntax_is_plain_text(store: Store, sources: tuple[Source, Source], typed: str) -> None:
    results = store.search(SearchQuery(typed))
    assert isinstance(results.hits, list)


def test_fallback_search_without_fts(store: Store, sources: tuple[Source, Source]) -> None:
    with store.engine.connect() as conn:
        results = fulltext.fallback_search(conn, SearchQuery("budget"), fulltext.parse_query("budget"))
    assert {hit.article.title for hit in results.hits} == {
        "L'économie du Maroc accélère",
        "Morocco's economy grows",
    }
    assert "not folded" in results.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=200))
def test_any_text_gives_results_or_a_search_error(store: Store, typed: str) -> None:
    try:
        store.search(SearchQuery(typed, sort="date"))
    except SearchQueryError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC), ["m202503"]),
        (datetime(2025, 3, 1, 5, tzinfo=UTC), datetime(2025, 3, 1, 6, tzinfo=UTC), ["d20250301"]),
        (
            datetime(2024, 12, 31, tzinfo=UTC),
            datetime(2026, 1, 3, tzinfo=UTC),
            ["d20241231", "y2025"] + ["d20260101", "d20260102"],
        ),
        (
            datetime(2025, 2, 27, tzinfo=UTC),
            datetime(2025, 4, 1, 0, 0, 1, tzinfo=UTC),
            ["d20250227", "d20250228", "m202503", "d20250401"],
        ),
        # a zone east of UTC: midnight in Paris is still the previous day in UTC
        (
            datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(2025, 3, 2, tzinfo=UTC),
            ["d20250228", "d20250301"],
        ),
    ],
)
def test_date_cover(since: datetime, until: datetime, expected: list[str]) -> None:
    assert fts.date_cover(since, until) == expected


@settings(max_examples=200, deadline=None)
@given(
    since=st.datetimes(datetime(2019, 1, 1), datetime(2031, 1, 1), timezones=st.just(UTC)),
    length=st.timedeltas(timedelta(microseconds=1), timedelta(days=1500)),
)
def test_date_cover_holds_every_day_once_and_no_other(since: datetime, length: timedelta) -> None:
    until = since + length
    cover = fts.date_cover(since, until, limit=10_000)
    assert cover is not None
    days: list[str] = []
    day = since.date()
    while day <= (until - timedelta(microseconds=1)).date():
        days.append(f"{day:%Y%m%d}")
        day += timedelta(days=1)
    # every day of the range carries exactly one token of the cover; no token reaches outside the range
    held = [[t for t in cover if d.startswith(t[1:])] for d in days]
    assert all(len(tokens) == 1 for tokens in held)
    assert {t for tokens in held for t in tokens} == set(cover)


ARRIVALS = 240
WORDS = ("maroc", "pluie", "budget", "rabat")


@pytest.fixture
def dated(store: Store) -> list[Article]:
    """Store ARRIVALS articles in arrival order over 2024-2026, one in five backfilled with an older date."""
    rng = random.Random(7)
    source = store.add_source(SourceSpec(url="https://dated.example/", name="Dated"))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    made = []
    for n in range(ARRIVALS):
        arrived = start + timedelta(hours=n * 100)
        late = rng.random() < 0.2
        published = arrived - timedelta(hours=rng.randint(500, 9000) if late else rng.randint(0, 3))
        title = " ".join(rng.sample(WORDS, 2))
        body = " ".join(rng.sample(WORDS, 2)) + " nouvelles"
        made.append(replace(make(source, n, "fr", "monde", title.capitalize(), body), published_at=published))
    store.save_refresh(source, made)
    return made


def brute_force(store: Store, word: str, since: datetime | None, until: datetime | None) -> list[int]:
    """Return, newest id first, the ids of every article holding word and published in [since, until)."""
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, title, text, published_at FROM articles")).all()
    found = []
    for article_id, title, body, published in rows:
        when = published if isinstance(published, datetime) else datetime.fromisoformat(published)
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when
        in_range = (since is None or when >= since) and (until is None or when < until)
        if in_range and word in f"{title} {body}".lower().split():
            found.append(int(article_id))
    return sorted(found, reverse=True)


RANGES = [
    (datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 9, 1, tzinfo=UTC)),
    (datetime(2024, 3, 5, 7, tzinfo=UTC), datetime(2025, 1, 2, 3, tzinfo=UTC)),
    (datetime(2024, 12, 31, 23, tzinfo=UTC), datetime(2025, 1, 1, 1, tzinfo=UTC)),
    (datetime(2024, 5, 1, tzinfo=timezone(timedelta(hours=-5))), None),
    (None, datetime(2024, 4, 1, tzinfo=UTC)),
    (None, datetime(2023, 4, 1, tzinfo=UTC)),  # before every article
    (datetime(2030, 1, 1, tzinfo=UTC), None),  # after every article
    (datetime(2023, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    (datetime(1000, 1, 1, tzinfo=UTC), datetime(2025, 6, 30, 12, tzinfo=UTC)),  # narrowed to the data
]


@pytest.mark.parametrize("window", [5, 1000])
@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize(("since", "until"), RANGES)
def test_date_ranges_find_what_a_full_scan_finds(
    store: Store,
    dated: list[Article],
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    sort: str,
    since: datetime | None,
    until: datetime | None,
) -> None:
    monkeypatch.setattr(fulltext, "WINDOW", window)
    expected = brute_force(store, "maroc", since, until)
    pages = [store.search(SearchQuery("maroc", since=since, until=until, sort=sort, per_page=30))]
    while pages[-1].has_next:
        pages.append(store.search(replace(pages[-1].query, page=len(pages) + 1)))
    results, hits = pages[0], [hit for page in pages for hit in page.hits]
    found = [hit.article.id for hit in hits]
    # the window is the newest matches by id, whatever their dates (backfilled articles included)
    assert sorted(found, reverse=True) == expected[:window]
    assert (results.total, results.capped) == (min(len(expected), window), len(expected) > window)
    dates = [hit.article.published_at for hit in hits]
    if sort == "date":
        assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


def test_index_follows_a_changed_publication_date(store: Store, sources: tuple[Source, Source]) -> None:
    one, _ = sources
    moved = replace(make(one, *CORPUS[0]), published_at=datetime(2024, 2, 29, 23, 30, tzinfo=UTC))
    store.save_refresh(one, [moved])
    leap_day = {"since": datetime(2024, 2, 29, tzinfo=UTC), "until": datetime(2024, 3, 1, tzinfo=UTC)}
    assert titles(store, text="economie", **leap_day) == ["L'économie du Maroc accélère"]
    assert titles(store, text="economie", since=T0) == []
    check_index(store)
