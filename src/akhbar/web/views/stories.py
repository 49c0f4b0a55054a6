"""Stories on the portal: the story page, the same-story block of an article, the home page's top stories."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import groupby

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from akhbar.models import Article
from akhbar.store import Store
from akhbar.web.deps import get_store
from akhbar.web.editions import Edition
from akhbar.web.views.common import base_url, edition_of, page

TOP_HOURS = 24  # the home page leads with what the most sources told in the last day
TOP_COUNT = 5
SAME_STORY_COUNT = 12
STORY_LIMIT = 500


@dataclass
class LanguageGroup:
    """A story's articles in one language, oldest first."""

    language: str
    articles: list[Article]


@dataclass
class TopStory:
    """A story of the day for the home page: its lead article and how many sources tell it."""

    story_id: int
    lead: Article
    sources: int
    articles: int


def story_path(edition: Edition, story_id: int) -> str:
    """Return the page of a story in an edition: /story/{id}."""
    return edition.path(f"/story/{story_id}")


def same_story(store: Store, article: Article) -> list[Article]:
    """Return the other sources' articles of this article's story, newest first (copies left out)."""
    if article.story_id is None:
        return []
    others = [
        a
        for a in store.story_articles(article.story_id, STORY_LIMIT)
        if a.id != article.id and a.source_id != article.source_id and a.duplicate_of is None
    ]
    others.sort(key=lambda a: a.published_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return others[:SAME_STORY_COUNT]


def by_language(articles: list[Article], first: tuple[str, ...]) -> list[LanguageGroup]:
    """Group a story's articles by language (the edition's languages first), each group in time order."""
    rank = {code: i for i, code in enumerate(first)}
    ordered = sorted(articles, key=lambda a: (rank.get(a.language, len(rank)), a.language))
    return [
        LanguageGroup(language, sorted(group, key=lambda a: (a.published_at is None, a.published_at, a.id)))
        for language, group in groupby(ordered, key=lambda a: a.language)
    ]


def top_stories(store: Store, edition: Edition, now: datetime) -> list[TopStory]:
    """Return the stories told by the most distinct sources in the last day, each with a lead article."""
    found = store.top_stories(now - timedelta(hours=TOP_HOURS), limit=TOP_COUNT)
    stories = []
    for top in found:
        members = store.story_articles(top.story_id, STORY_LIMIT)
        if not members:
            continue
        in_edition = [a for a in members if a.language in edition.languages] or members
        lead = max(in_edition, key=lambda a: (a.duplicate_of is None, bool(a.image), a.published_at, a.id))
        stories.append(TopStory(top.story_id, lead, top.sources, top.articles))
    return stories


def with_copies(store: Store, articles: list[Article]) -> dict[int, int]:
    """Return, per listed article id, how many other sources republished it (only those with copies)."""
    ids = [a.id for a in articles if a.id is not None]
    return {k: v for k, v in store.copy_sources(ids).items() if v} if ids else {}


def note_copies(articles: list[Article], copies: dict[int, int], phrase: str) -> list[Article]:
    """Return the articles with "and N other sources" added to the summary of those that were copied."""
    return [
        replace(a, summary=f"{a.summary} ({phrase.format(n=copies[a.id])})".strip()) if a.id in copies else a
        for a in articles
    ]


def story(request: Request, story_id: int) -> HTMLResponse:
    """Show every article of a story in time order, grouped by language."""
    if not 0 < story_id < 2**63:
        raise HTTPException(status_code=404)
    store = get_store(request)
    members = store.story_articles(story_id, STORY_LIMIT)
    if not members:
        raise HTTPException(status_code=404)
    edition = edition_of(request)
    first = min(members, key=lambda a: (a.published_at is None, a.published_at, a.id))
    context = {
        "story_id": story_id,
        "first": first,
        "groups": by_language(members, edition.languages),
        "sources": len({a.source_id for a in members}),
        "count": len(members),
        "canonical": base_url(request) + story_path(edition, story_id),
    }
    return page(request, "story.html", context, edition=edition)
