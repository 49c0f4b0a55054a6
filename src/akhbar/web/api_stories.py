"""The API's stories: the stories told by the most sources lately, and one story's articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Query, Request
from pydantic import BaseModel, Field

from akhbar.web.api_models import ArticleOut, article_out
from akhbar.web.deps import get_settings, get_store
from akhbar.web.images import image_links
from akhbar.web.syndication.links import Links

MAX_STORIES = 50
STORY_ARTICLES = 500


class StoryOut(BaseModel):
    """A story: the articles of every outlet and language that tell one event, oldest first."""

    id: int
    sources: int = Field(description="Distinct sources that tell it.")
    languages: list[str]
    articles: list[ArticleOut]


class StoriesOut(BaseModel):
    """The stories told by the most distinct sources in the last hours, most first."""

    stories: list[StoryOut]


class StoryNotFound(LookupError):
    """No story has this id."""


def _story_out(request: Request, story_id: int) -> StoryOut | None:
    members = get_store(request).story_articles(story_id, STORY_ARTICLES)
    if not members:
        return None
    links, images = Links.of(get_settings(request)), image_links(request, absolute=True)
    images.prefetch(a.image for a in members)
    return StoryOut(
        id=story_id,
        sources=len({a.source_id for a in members}),
        languages=sorted({a.language for a in members if a.language}),
        articles=[article_out(a, links, images) for a in members],
    )


def list_stories(
    request: Request,
    hours: Annotated[int, Query(ge=1, le=168, description="Look back this many hours.")] = 24,
    language: Annotated[
        str | None, Query(pattern=r"^[a-z]{2,3}(,[a-z]{2,3})*$", description="Count only these languages.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_STORIES, description="Stories to return.")] = 10,
) -> StoriesOut:
    """List the stories told by the most distinct sources lately (two sources at least)."""
    since = datetime.now(UTC) - timedelta(hours=hours)
    languages = tuple(language.split(",")) if language else ()
    top = get_store(request).top_stories(since, languages, limit)
    found = (_story_out(request, story.story_id) for story in top)
    return StoriesOut(stories=[story for story in found if story is not None])


def get_story(request: Request, story_id: int) -> StoryOut:
    """Return one story with all its articles, oldest first."""
    story = _story_out(request, story_id) if 0 < story_id < 2**63 else None
    if story is None:
        raise StoryNotFound(f"api: no story {story_id}")
    return story
