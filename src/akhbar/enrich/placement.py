"""The enrich step for stories: place every article the store holds unplaced, catching up in id order."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from akhbar.enrich.stories import Doc, Placement, StoryIndex

BATCH = 500  # articles read and placed per store round trip


class StoryRowLike(Protocol):
    """An article row as the store gives it for placing (store.stories.StoryRow)."""

    @property
    def id(self) -> int: ...

    @property
    def source_id(self) -> int: ...

    @property
    def language(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def published_at(self) -> datetime | None: ...

    @property
    def story_id(self) -> int | None: ...

    @property
    def duplicate_of(self) -> int | None: ...


class StoryStore(Protocol):
    """What placing needs of the store (akhbar.store.Store has it); enrich does not import the store."""

    def story_rows_after(self, after_id: int, limit: int = ...) -> Sequence[StoryRowLike]: ...

    def first_story_row_id(self, since: datetime) -> int: ...

    def assign_stories(self, placements: list[tuple[int, int, int | None]]) -> int: ...


class StoryPlacer:
    """One process's story index over the store: reads new articles, places the unplaced, records them.

    Articles placed by another process are restored into the index, not placed again, so several workers
    sharing one database agree, and re-running the step changes nothing stored.
    """

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.index = StoryIndex(window)
        self.lock = threading.Lock()
        self.started = False

    def place_pending(self, store: StoryStore, now: datetime) -> int:
        """Place the articles stored since the last call; return how many were placed."""
        with self.lock:
            if not self.started:
                self.index.last_id = store.first_story_row_id(now - self.window)
                self.started = True
            placed = 0
            while rows := store.story_rows_after(self.index.last_id, BATCH):
                placements = [p for p in (self._one(row, now) for row in rows) if p is not None]
                store.assign_stories([(p.article_id, p.story_id, p.duplicate_of) for p in placements])
                placed += len(placements)
            return placed

    def _one(self, row: StoryRowLike, now: datetime) -> Placement | None:
        doc = Doc(row.id, row.source_id, row.language, row.title, row.text, row.published_at or now)
        if row.story_id is not None:
            self.index.restore(doc, Placement(row.id, row.story_id, row.duplicate_of))
            return None
        return self.index.place(doc)


_PLACERS: weakref.WeakKeyDictionary[object, StoryPlacer] = weakref.WeakKeyDictionary()
_PLACERS_LOCK = threading.Lock()


def placer_for(store: object, window: timedelta) -> StoryPlacer:
    """Return this process's placer for a store (one index per open store, made on first use)."""
    with _PLACERS_LOCK:
        placer = _PLACERS.get(store)
        if placer is None or placer.window != window:
            placer = _PLACERS[store] = StoryPlacer(window)
        return placer
