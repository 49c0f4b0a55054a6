"""The API driven from its own OpenAPI document (schemathesis): no 500 and no response outside the schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app

NOW = datetime.now(UTC)
EXAMPLES = 25  # per operation and mode: the whole file stays well under a minute
# Titles and texts a fuzzer should meet: markup, quotes, Arabic with diacritics, control characters.
TITLES = [
    "Le gouvernement présente le budget",
    "الحكومة تُقدّم مشروع الميزانية",
    'Quote " and <script>alert(1)</script>',
    "Marché\x0b de l'été",
]


def _seed(store: Store) -> None:
    for n, (language, category) in enumerate([("fr", "politique"), ("ar", "economie"), ("en", "monde")]):
        source = store.add_source(
            SourceSpec(f"https://s{n}.example", f"Source {n}", f"https://s{n}.example/rss")
        )
        batch = [
            Article(
                source_id=source.id,
                guid=f"{n}-{i}",
                url=f"https://s{n}.example/{i}",
                canonical_url=f"https://s{n}.example/{i}",
                title=title,
                summary=title,
                text=f"{title}. Texte {i}.",
                html=f"<p>{i}</p>",
                published_at=NOW - timedelta(hours=i),
                language=language,
                category=category,
            )
            for i, title in enumerate(TITLES)
        ]
        source.last_checked_at = source.last_success_at = NOW
        store.save_refresh(source, batch)


@pytest.fixture
def api_schema(settings):
    store = Store.open(settings.database_url_effective)
    _seed(store)
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(settings, store))
    store.close()


OPERATIONS = [
    "/articles", "/articles/{article_id}", "/sources", "/sources/{slug}", "/categories", "/search",
    "/stories", "/stories/{story_id}",
]


def test_every_operation_is_fuzzed(api_schema):
    assert sorted(api_schema.raw_schema["paths"]) == sorted(OPERATIONS)


# A schema-valid request may still be refused by design: an opaque cursor the API never gave, or a query
# with no searchable word, answers 400 with a message. Every other check runs (no 5xx, status codes,
# content types, headers and bodies conform to the document). Schemathesis' pytest plugin trips over
# pytest 9 (Function._nodeid), so each operation runs its own hypothesis test.
@pytest.mark.parametrize(
    ("path", "mode"),
    [(path, GenerationMode.POSITIVE) for path in OPERATIONS]
    + [(path, GenerationMode.NEGATIVE) for path in OPERATIONS if path != "/sources"],  # it takes no parameter
)
def test_api_conforms_to_its_openapi_document(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def check(case):
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
