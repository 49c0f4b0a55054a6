"""Near-duplicates: MinHash LSH over word shingles finds copies of one text inside a time window.

datasketch is the engine (issue 5): a `MinHash` (affine32 scheme, 64 permutations) per text and a
`MinHashLSH` (14 bands of 4 rows) over the window, with `remove` as the window moves. What stays here is
cheap glue: a shingle's 32-bit hash is a mix of its words' cached hashes, computed for the whole text at once
with numpy, and handed to datasketch through an identity `hashfunc`, so datasketch's permutations run in
numpy (the code before issue 5's speed work made a blake2b call per shingle, part of the quarter of an
article's placement CPU that datasketch was measured at). Each thread fills one datasketch `MinHash` again
for every text (`clear`, `update_batch`) instead of building one, and a text's 14 band keys (the bytes
`MinHashLSH` would make for each band) are made once, with one byteswap, and given to the index's own band
tables for the lookup and for the insert: `query` and `insert` would each make them again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

SHINGLE = 3  # words per shingle: light edits (a dateline, a signature) keep most 3-grams intact
NUM_PERM = 64  # 64 permutations estimate a Jaccard of 0.7 within about +/-0.06, at half the cost of 128
# 14 bands of 4 rows: datasketch's MinHashLSH optimum for a 0.5 threshold at 64 permutations (equal weights
# on false positives and negatives), so candidates above an estimated Jaccard of 0.5 are verified.
BANDS, ROWS = 14, 4
COPY_JACCARD = 0.6  # tuned on the demo's agency dispatch and the eval set's copies (light edits ~0.65-0.9)
MIN_SHINGLES = 12  # a headline alone is too short to call a copy: it goes to story clustering only
MAX_SHINGLES = 600  # the lead of a long page is enough to recognise it (the smallest hashes: a fair sample)
SCHEME = "affine32"
WORD_CACHE = 100_000  # words whose hashes are kept; past it the cache starts again (a text's words repeat)

Values = npt.NDArray[np.uint32]
_U64 = np.uint64
# Odd multipliers that place a word's hash by its position in the shingle (64-bit, from splitmix64); the
# high half of the sum is the shingle's 32-bit hash. Numpy wraps array arithmetic modulo 2^64 silently.
_POSITION = np.array([0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB], dtype=_U64)
_HIGH = _U64(32)
# Drawn once per process (seed 1: the same in every process and run); drawing them for every MinHash cost
# more than hashing the text.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations
_BAND_BYTES = ROWS * np.dtype(np.uint32).itemsize


def _hashed(shingles: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Return the shingles' hashes as they are: they were hashed with the words' cached hashes."""
    return shingles


def _minhash(values: Values | None = None) -> MinHash:
    """Return a datasketch MinHash of this module's scheme, empty or holding a text's values."""
    return MinHash(
        num_perm=NUM_PERM,
        seed=1,
        hashfunc=_hashed,
        hashvalues=values,
        permutations=_PERMUTATIONS,
        scheme=SCHEME,
    )


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash values and its LSH band keys (made once, for the lookup and the insert)."""

    values: Values
    bands: list[bytes]

    @property
    def minhash(self) -> MinHash:
        """Return the signature as a datasketch MinHash (for its own API: `jaccard`, `MinHashLSH.query`)."""
        return _minhash(self.values)


class _Words(dict[str, int]):
    """Word -> 64-bit blake2b hash, computed on a miss; cleared by `signature` once it holds WORD_CACHE."""

    def __missing__(self, word: str) -> int:
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        value = self[word] = int.from_bytes(digest, "little")
        return value


class _Filler(threading.local):
    """One datasketch MinHash per thread, filled again for every text: building one checked its state."""

    def __init__(self) -> None:
        self.minhash = _minhash()


_WORDS = _Words()  # a dict, not an lru_cache: a hit is a dict lookup and a miss has no eviction to book
_FILLER = _Filler()


def signature(tokens: list[str]) -> Signature | None:
    """Return the MinHash of a text's word shingles, or None when the text is too short to judge."""
    count = len(tokens) - SHINGLE + 1
    if count < MIN_SHINGLES:
        return None
    if len(_WORDS) > WORD_CACHE:
        _WORDS.clear()
    words = np.fromiter(map(_WORDS.__getitem__, tokens), dtype=_U64, count=len(tokens))
    mixed = words[:count] * _POSITION[0]
    for position in range(1, SHINGLE):
        mixed += words[position : position + count] * _POSITION[position]
    shingles = np.unique((mixed >> _HIGH).astype(np.uint32))  # sorted: the smallest hashes first
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = _FILLER.minhash
    minhash.clear()  # a new array of values: those of the last text are not written to
    # One batch item, the array of shingle hashes: update_batch turns the hashfunc's outputs into one column
    # of hashes, mixes and permutes it in numpy (a Python call per shingle cost ~0.07 ms a text).
    minhash.update_batch([shingles[:MAX_SHINGLES]])
    values: Values = minhash.hashvalues
    return Signature(values, band_keys(values))


def band_keys(values: Values) -> list[bytes]:
    """Return the key of each band, the bytes MinHashLSH makes of its rows (`_H`), with one byteswap."""
    raw = values[: BANDS * ROWS].byteswap().tobytes()
    return [raw[start : start + _BAND_BYTES] for start in range(0, len(raw), _BAND_BYTES)]


def jaccard(one: Values, other: Values) -> float:
    """Return the Jaccard similarity of two texts as their signatures estimate it."""
    return float(np.count_nonzero(one == other)) / NUM_PERM


class NearDuplicates:
    """The MinHash LSH of the texts seen in the window; a copy is matched to its group's original."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        # the values only, not the MinHash objects: a third of the memory of the full window
        self.signatures: dict[int, Values] = {}
        self.groups: dict[int, tuple[int, int]] = {}  # article id -> (its group's original, story id)
        self.published: dict[int, datetime] = {}
        self.expiry: deque[tuple[datetime, int]] = deque()

    def __len__(self) -> int:
        return len(self.signatures)

    def group_of(self, text: Signature) -> tuple[int, int] | None:
        """Return (original, story) of the copy group this text belongs to (the earliest original), if any."""
        best: tuple[datetime, int, int] | None = None
        values = text.values
        for key in self.candidates(text):
            if jaccard(values, self.signatures[key]) < COPY_JACCARD:
                continue
            original, story = self.groups[key]
            candidate = (self.published.get(original, self.published[key]), original, story)
            best = candidate if best is None or candidate < best else best
        return (best[1], best[2]) if best else None

    def candidates(self, text: Signature) -> set[int]:
        """Return the articles sharing a band with the text: what `MinHashLSH.query` finds, from its keys."""
        found: set[int] = set()
        for table, band in zip(self.lsh.hashtables, text.bands, strict=True):
            found.update(table.get(band))
        return found

    def add(
        self, article_id: int, text: Signature, published: datetime, original: int | None, story: int
    ) -> None:
        """Index an article's signature with its group's original (None: it is one) and its story."""
        if article_id in self.signatures:
            return
        # What MinHashLSH.insert stores (the key's band keys, the key in each band's bucket), from the keys
        # already made; `remove` reads them back when the article leaves the window.
        self.lsh.keys.insert(article_id, *text.bands)
        for table, band in zip(self.lsh.hashtables, text.bands, strict=True):
            table.insert(band, article_id)
        self.signatures[article_id] = text.values
        self.groups[article_id] = (article_id if original is None else original, story)
        self.published[article_id] = published
        self.expiry.append((published, article_id))

    def expire(self, now: datetime) -> None:
        """Forget the signatures published before the window (in insertion order, which is time order)."""
        cutoff = now - self.window
        while self.expiry and self.expiry[0][0] < cutoff:
            _, article_id = self.expiry.popleft()
            if self.signatures.pop(article_id, None) is not None:
                self.lsh.remove(article_id)
                self.groups.pop(article_id, None)
                self.published.pop(article_id, None)
