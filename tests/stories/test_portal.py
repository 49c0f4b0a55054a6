"""Stories end to end: placed once, shown on the article, story and home pages, the API and feeds."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from akhbar.config import Settings
from akhbar.enrich.placement import StoryPlacer
from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app

NOW = datetime.now(UTC).replace(microsecond=0)
DISPATCH = (
    "Rabat (DMP) – L'indice des prix à la consommation a augmenté de 1,8 % en glissement annuel au mois "
    "d'octobre, après 2,3 % en septembre, selon une note publiée vendredi par le Haut-Commissariat au Plan. "
    "La baisse des prix des produits alimentaires, en recul de 0,6 % sur un mois, explique ce ralentissement."
)
STORIES = {
    # outlet slug: (language, title, text, minutes ago)
    "vigie": ("fr", "L'inflation ralentit à 1,8 % en octobre au Maroc", DISPATCH, 60),
    "relais": ("fr", "Inflation : 1,8 % sur un an en octobre", DISPATCH + " Avec DMP.", 50),
    "patio": ("fr", "Le HCP annonce une inflation de 1,8 %", "Rabat " + DISPATCH[6:], 40),
    "nafidat": (
        "ar",
        "التضخم يتباطأ إلى 1.8 في المائة في أكتوبر بالمغرب",
        "أعلنت المندوبية السامية للتخطيط أن مؤشر أسعار الاستهلاك ارتفع بنسبة 1.8 في المائة في أكتوبر بعد 2.3 "
        "في المائة في شتنبر، بسبب تراجع أسعار المواد الغذائية بنسبة 0.6 في المائة.",
        30,
    ),
    "ledger": (
        "en",
        "Morocco's inflation slows to 1.8% in October",
        "Consumer prices in Morocco rose 1.8% year on year in October after 2.3% in September, the HCP "
        "said on Friday, as food prices fell 0.6% over the month.",
        20,
    ),
    "gaceta": ("es", "El Raja gana el derbi ante el Wydad en Casablanca", "El Raja venció 2-1 al Wydad.", 10),
}


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    store = Store.open(settings.database_url_effective)
    for slug, (language, title, body, minutes) in STORIES.items():
        source = store.add_source(
            SourceSpec(url=f"https://{slug}.example/", name=slug.title(), language=language)
        )
        url = f"https://{slug}.example/a/1"
        article = Article(
            source_id=source.id, guid=url, url=url, canonical_url=url, title=title, text=body,
            summary=body[:80], language=language, published_at=NOW - timedelta(minutes=minutes),
            category="economie",
        )  # fmt: skip
        store.save_refresh(source, [article])
    StoryPlacer(timedelta(hours=72)).place_pending(store, NOW)
    yield store
    store.close()


def placements(store: Store) -> dict[str, tuple[int | None, int | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT title, story_id, duplicate_of FROM articles"))
        return {title: (story, original) for title, story, original in rows}


def by_title(store: Store, part: str) -> Article:
    return next(a for a in store.latest_headlines(100) if part in a.title)


def test_copies_point_to_the_first_and_languages_share_the_story(store: Store) -> None:
    placed = placements(store)
    first = by_title(store, "L'inflation ralentit").id
    assert placed["Inflation : 1,8 % sur un an en octobre"] == (first, first)
    assert placed["Le HCP annonce une inflation de 1,8 %"] == (first, first)
    assert placed["Morocco's inflation slows to 1.8% in October"] == (first, None)
    assert placed["التضخم يتباطأ إلى 1.8 في المائة في أكتوبر بالمغرب"] == (first, None)
    derby = by_title(store, "derbi")
    assert placed[derby.title] == (derby.id, None)


def test_running_enrich_again_changes_nothing_stored(store: Store) -> None:
    before = placements(store)
    assert StoryPlacer(timedelta(hours=72)).place_pending(store, NOW) == 0
    assert placements(store) == before


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(settings.replace(page_cache_ttl=0.0), store)) as client:
        yield client


def visible(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_article_page_lists_the_same_story_elsewhere(client: TestClient, store: Store) -> None:
    first = by_title(store, "L'inflation ralentit")
    page = visible(client.get(f"/article/{first.id}-x").text)
    assert "Le même sujet dans d'autres sources" in page
    assert "Morocco's inflation slows" in page and "Ledger · en" in page
    assert "Inflation : 1,8 %" not in page  # copies are not "other coverage"


def test_story_page_groups_by_language_in_time_order(client: TestClient, store: Store) -> None:
    first = by_title(store, "L'inflation ralentit")
    response = client.get(f"/story/{first.id}")
    assert response.status_code == 200
    page = visible(response.text)
    assert page.index("L'inflation ralentit") < page.index("Inflation : 1,8 %") < page.index("Le HCP annonce")
    assert page.index("Le HCP annonce") < page.index("التضخم") and page.index("Le HCP") < page.index(
        "Morocco"
    )
    assert client.get("/story/999999").status_code == 404
    assert client.get("/en/story/abc").status_code == 404


def test_home_leads_with_the_story_of_most_sources_and_groups_copies(client: TestClient) -> None:
    page = visible(client.get("/").text)
    assert "Les sujets du moment" in page and "5 sources" in page
    assert "et 2 autres sources" in page
    ticker = client.get("/").text.split('class="ticker"')[1].split("</section>")[0]
    assert "Inflation : 1,8 % sur un an" not in ticker


def test_api_exposes_stories(client: TestClient, store: Store) -> None:
    top = client.get("/api/v1/stories").json()["stories"]
    assert len(top) == 1 and top[0]["sources"] == 5 and top[0]["languages"] == ["ar", "en", "fr"]
    one = client.get(f"/api/v1/stories/{top[0]['id']}").json()
    assert [a["language"] for a in one["articles"]] == ["fr", "fr", "fr", "ar", "en"]
    missing = client.get("/api/v1/stories/424242")
    assert missing.status_code == 404 and missing.json()


def test_feeds_out_show_one_entry_per_copied_text(client: TestClient) -> None:
    feed = client.get("/feed.xml" if client.get("/feed.xml").status_code == 200 else "/rss.xml").text
    assert feed.count("1,8 %") >= 1 and "Inflation : 1,8 % sur un an" not in feed
