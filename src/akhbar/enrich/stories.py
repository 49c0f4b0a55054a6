"""Stories: each new article joins an open story or starts one, online, inside a time window.

Within one language an article is compared with the story's words in that language (tf-idf stems); across
languages with what survives translation: lexicon concepts, name skeletons (Arabic and Latin script meet) and
numbers. Only the stories of the window are held, so placing an article costs the same at any archive size.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter, mul
from typing import TypeVar

from akhbar.enrich.dedupe import NearDuplicates, signature
from akhbar.enrich.features import Features, extract

# Tuned on tests/stories/eval (`make eval-stories`): see docs/stories.md for the grid and the scores.
SAME_THRESHOLD = 0.19  # score to join a story that already has articles in the article's language
CROSS_THRESHOLD = 0.16  # score to join a story told only in other languages
WORDS_SHARE = 0.65  # within a language: weight of the words against the cross-language keys
CANDIDATE_KEYS = 16  # the article's strongest keys used to find candidate stories
MAX_CANDIDATES = 12  # stories scored in full per article (the best story is among the top hits)
COMMON_SHARE = 0.05  # a key found in more than this share of the window's articles finds no candidates
MIN_DOCS_FOR_IDF = 50  # below this many articles the document frequencies are too noisy: smooth them
# Event evidence (issue 5): a story that has gone quiet cools down, and a story whose distinctive keys the
# article lacks is a neighbour (same place or person, another event), not the same event.
QUIET_HOURS = 24.0  # a story silent for longer than this starts to cool down
COOL_HOURS = 24.0  # then its score decays by e every COOL_HOURS more
DISTINCT_KEYS = 5  # the story's strongest cross-language keys: the event's own names, places and numbers
MISSING_PENALTY = 0.6  # score factor when the article has none of them


@dataclass(frozen=True)
class Doc:
    """What the story index needs of an article."""

    id: int
    source_id: int
    language: str
    title: str
    text: str
    published: datetime


@dataclass(frozen=True)
class Placement:
    """Where an article went: its story (the id of the story's first article) and the original it copies."""

    article_id: int
    story_id: int
    duplicate_of: int | None = None


@dataclass
class Story:
    """An open story: the sum of its articles' vectors, per language for words and shared for cross keys."""

    id: int
    last_seen: datetime
    words: dict[str, dict[str, float]] = field(default_factory=dict)  # language -> stem -> weight
    word_norms: dict[str, float] = field(default_factory=dict)  # language -> squared norm
    cross: dict[str, float] = field(default_factory=dict)
    cross_norm: float = 0.0
    size: int = 0
    distinct: frozenset[str] = frozenset()  # its DISTINCT_KEYS strongest cross keys, refreshed on join


_VALUE = itemgetter(1)
_K = TypeVar("_K")


def _strongest(vector: Mapping[_K, float], n: int) -> list[tuple[_K, float]]:
    """Return the n largest items, ties in insertion order (heapq.nlargest's result, sorted in C)."""
    return sorted(vector.items(), key=_VALUE, reverse=True)[:n]


def _add_into(target: dict[str, float], vector: dict[str, float], norm2: float, fresh: list[str]) -> float:
    """Add vector into target, list its keys new to target, return the new squared norm.

    |t+v|^2 = |t|^2 + 2 t.v + |v|^2, with t.v summed in the same pass: one lookup per key of the vector.
    """
    dot = squares = 0.0
    get = target.get
    for key, value in vector.items():
        old = get(key)
        if old is None:
            target[key] = value
            fresh.append(key)
        else:
            target[key] = old + value
            dot += old * value
        squares += value * value
    return norm2 + 2 * dot + squares


def _score(story: Story, lang: str, word_dot: float, cross_dot: float) -> tuple[float, float]:
    """Return (score, threshold) of an article against a story, from its dot products with the sums."""
    sim_cross = cross_dot / math.sqrt(story.cross_norm) if story.cross_norm > 0 else 0.0
    norm = story.word_norms.get(lang, 0.0)
    if norm <= 0:
        return sim_cross, CROSS_THRESHOLD
    sim_words = word_dot / math.sqrt(norm)
    return WORDS_SHARE * sim_words + (1 - WORDS_SHARE) * sim_cross, SAME_THRESHOLD


def _evidence(story: Story, cross: dict[str, float], when: datetime) -> float:
    """Return the factor of a story's score: it cools when quiet and drops when its own keys are missing."""
    factor = 1.0
    quiet = (when - story.last_seen).total_seconds() / 3600 - QUIET_HOURS
    if quiet > 0:
        factor = math.exp(-quiet / COOL_HOURS)
    if story.distinct and cross and story.distinct.isdisjoint(cross):
        factor *= MISSING_PENALTY
    return factor


class _Frequencies:
    """Document frequencies of keys over the window's articles, for idf."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0

    def weigh(self, counts: dict[str, int]) -> dict[str, float]:
        """Return the L2-normalised tf-idf vector of key counts (sublinear tf, smoothed idf)."""
        docs = max(self.docs, MIN_DOCS_FOR_IDF) + 1
        df, log = self.df.get, math.log
        vector = {key: (1.0 + log(tf)) * (log(docs / (df(key, 0) + 1)) + 1.0) for key, tf in counts.items()}
        values = vector.values()
        norm = math.sqrt(sum(map(mul, values, values)))
        return {key: v / norm for key, v in vector.items()} if norm else {}

    def add(self, keys: tuple[str, ...]) -> None:
        self.docs += 1
        self.df.update(keys)

    def remove(self, keys: tuple[str, ...]) -> None:
        self.docs -= 1
        df = self.df
        for key in keys:  # an article's keys are distinct and were counted when it was added
            count = df[key] - 1
            if count > 0:
                df[key] = count
            else:
                del df[key]


class StoryIndex:
    """The open stories and near-duplicate signatures of the last window, placing articles one at a time."""

    def __init__(self, window: timedelta = timedelta(hours=72)) -> None:
        self.window = window
        self.duplicates = NearDuplicates(window)
        self.stories: dict[int, Story] = {}
        # key -> the stories that have it: one story id, or a set once a second story has it (most keys are
        # one story's: an int instead of a set saves ~200 bytes a key and the garbage collector's time)
        self.postings: dict[str, int | set[int]] = {}
        self.freq = _Frequencies()
        self.expiry: list[tuple[datetime, int]] = []  # heap of (story last seen, story id), lazily checked
        self.doc_keys: deque[tuple[datetime, tuple[str, ...]]] = deque()  # tuples: untracked by the GC
        self.clock: datetime | None = None
        self.last_id = 0  # the highest article id seen, for catching up with the store

    def __len__(self) -> int:
        return len(self.stories)

    def place(self, doc: Doc) -> Placement:
        """Place an article: a copy joins its original's story, others the best story above threshold."""
        if self.clock is not None and doc.published < self.clock - self.window:
            self.last_id = max(self.last_id, doc.id)
            return Placement(doc.id, doc.id)  # older than every open story: it stands alone
        self._advance(doc)
        features = extract(doc.title, doc.text, doc.language)
        minhash = signature(features.tokens)
        group = self.duplicates.group_of(minhash) if minhash is not None else None
        if group is not None:
            placement = Placement(doc.id, group[1], group[0])
        elif features.empty:
            placement = Placement(doc.id, doc.id)
        else:
            placement = Placement(doc.id, self._cluster(doc, features))
        if minhash is not None:
            self.duplicates.add(doc.id, minhash, doc.published, placement.duplicate_of, placement.story_id)
        self.last_id = max(self.last_id, doc.id)
        return placement

    def restore(self, doc: Doc, placement: Placement) -> None:
        """Add an article placed earlier (by this or another process) without deciding anything again."""
        self._advance(doc)
        features = extract(doc.title, doc.text, doc.language)
        minhash = signature(features.tokens)
        if minhash is not None:
            self.duplicates.add(doc.id, minhash, doc.published, placement.duplicate_of, placement.story_id)
        self.last_id = max(self.last_id, doc.id)
        if placement.duplicate_of is not None or features.empty:
            return
        words, cross, keys = self._vectors(features)
        story = self.stories.get(placement.story_id)
        if story is None:
            story = self.stories[placement.story_id] = Story(id=placement.story_id, last_seen=doc.published)
        self._join(story, features.language, words, cross, doc.published)
        self._count(doc, keys)

    # internals

    def _cluster(self, doc: Doc, features: Features) -> int:
        """Join the best open story or start one; return the story id."""
        words, cross, keys = self._vectors(features)
        story = self._best(features.language, words, cross, doc.published)
        if story is None:
            story = self.stories[doc.id] = Story(id=doc.id, last_seen=doc.published)
        self._join(story, features.language, words, cross, doc.published)
        self._count(doc, keys)
        return story.id

    def _count(self, doc: Doc, keys: tuple[str, ...]) -> None:
        self.freq.add(keys)
        self.doc_keys.append((doc.published, keys))

    def _vectors(self, features: Features) -> tuple[dict[str, float], dict[str, float], tuple[str, ...]]:
        # Interned: the window keeps each key once, not once per article that has it (doc_keys, postings).
        prefix = f"{features.language}|"
        word_counts = {sys.intern(prefix + stem): tf for stem, tf in features.words.items()}
        cross_counts = {sys.intern(key): tf for key, tf in features.cross.items()}
        keys = (*word_counts, *cross_counts)
        return self.freq.weigh(word_counts), self.freq.weigh(cross_counts), keys

    def _best(
        self, lang: str, words: dict[str, float], cross: dict[str, float], when: datetime
    ) -> Story | None:
        candidates = self._candidates(words, cross)
        word_dots, cross_dots = self._dots(words, candidates, lang), self._dots(cross, candidates, None)
        best: tuple[float, int] | None = None
        for story_id in candidates:
            story = self.stories[story_id]
            score, threshold = _score(story, lang, word_dots[story_id], cross_dots[story_id])
            score *= _evidence(story, cross, when)
            if score >= threshold and (best is None or (score, -story_id) > (best[0], -best[1])):
                best = (score, story_id)
        return self.stories[best[1]] if best else None

    def _dots(self, vector: dict[str, float], candidates: list[int], lang: str | None) -> dict[int, float]:
        """Return the dot product of a vector with each candidate's words in lang (None: cross keys).

        Key at a time: one postings lookup per key of the article, then only the candidates that share it,
        instead of probing every story's (large) vector for every key of the article.
        """
        dots = dict.fromkeys(candidates, 0.0)
        wanted, postings, stories = dots.keys(), self.postings, self.stories
        for key, weight in vector.items():
            posting = postings.get(key)
            if posting is None:
                continue
            for story_id in (posting,) if isinstance(posting, int) else wanted & posting:  # the smaller side
                if story_id in dots:
                    story = stories[story_id]
                    dots[story_id] += weight * (story.cross if lang is None else story.words[lang])[key]
        return dots

    def _candidates(self, words: dict[str, float], cross: dict[str, float]) -> list[int]:
        limit = COMMON_SHARE * self.freq.docs + 5
        hits: Counter[int] = Counter()
        df, postings = self.freq.df.get, self.postings.get
        for vector in (words, cross):
            for key, _ in _strongest(vector, CANDIDATE_KEYS):
                posting = postings(key)
                if posting is not None and df(key, 0) <= limit:
                    hits.update((posting,) if isinstance(posting, int) else posting)
        return [story_id for story_id, _ in _strongest(hits, MAX_CANDIDATES)]

    def _join(
        self, story: Story, lang: str, words: dict[str, float], cross: dict[str, float], when: datetime
    ) -> None:
        target = story.words.setdefault(lang, {})
        fresh: list[str] = []  # keys new to the story: it is already in the postings of the others
        story.word_norms[lang] = _add_into(target, words, story.word_norms.get(lang, 0.0), fresh)
        story.cross_norm = _add_into(story.cross, cross, story.cross_norm, fresh)
        story.size += 1
        story.distinct = frozenset(key for key, _ in _strongest(story.cross, DISTINCT_KEYS))
        postings = self.postings
        for key in fresh:
            posting = postings.get(key)
            if posting is None:
                postings[key] = story.id
            elif isinstance(posting, int):
                postings[key] = {posting, story.id}  # laid out as {posting}.add(story.id) would be
            else:
                posting.add(story.id)
        story.last_seen = max(story.last_seen, when)
        heapq.heappush(self.expiry, (story.last_seen, story.id))

    def _advance(self, doc: Doc) -> None:
        """Move the clock to the newest publication time seen and drop what fell out of the window."""
        if self.clock is not None and doc.published <= self.clock:
            return
        self.clock = doc.published
        cutoff = doc.published - self.window
        self.duplicates.expire(doc.published)
        while self.doc_keys and self.doc_keys[0][0] < cutoff:
            self.freq.remove(self.doc_keys.popleft()[1])
        while self.expiry and self.expiry[0][0] < cutoff:
            last_seen, story_id = heapq.heappop(self.expiry)
            story = self.stories.get(story_id)
            if story is not None and story.last_seen == last_seen:
                self._drop(story)

    def _drop(self, story: Story) -> None:
        del self.stories[story.id]
        for key in (*(k for words in story.words.values() for k in words), *story.cross):
            posting = self.postings.get(key)
            if posting == story.id:
                del self.postings[key]
            elif isinstance(posting, set):
                posting.discard(story.id)  # a set stays a set, so it keeps the order it would have had
                if not posting:
                    del self.postings[key]
