"""Near-duplicates: the datasketch MinHash estimate, short and repetitive texts, the LSH and its window."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from datasketch import MinHash, MinHashLSH

from akhbar.enrich.dedupe import BANDS, NUM_PERM, ROWS, SHINGLE, NearDuplicates, jaccard, signature

WHEN = datetime(2026, 11, 20, tzinfo=UTC)
VOCABULARY = [f"mot{i}" for i in range(5000)]


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def edited(tokens: list[str], share: float, rng: random.Random) -> list[str]:
    """Return the tokens with a share of them replaced by other words."""
    return [rng.choice(VOCABULARY) if rng.random() < share else t for t in tokens]


def test_the_estimate_is_unbiased_and_as_close_as_64_permutations_allow() -> None:
    rng = random.Random(5)
    errors = []
    for _ in range(300):
        text = [rng.choice(VOCABULARY) for _ in range(200)]
        copy = edited(text, rng.uniform(0.0, 0.3), rng)
        one, other = signature(text), signature(copy)
        assert one is not None and other is not None
        exact = len(shingles(text) & shingles(copy)) / len(shingles(text) | shingles(copy))
        errors.append(jaccard(one.values, other.values) - exact)
    mean = sum(errors) / len(errors)
    spread = (sum(e * e for e in errors) / len(errors)) ** 0.5
    assert abs(mean) < 0.015  # bias: the hash of a shingle behaves like a random one
    assert spread < 0.5 / NUM_PERM**0.5  # sqrt(J(1-J)/k) is at most 0.5/sqrt(k)


def test_a_signature_is_the_same_in_every_call() -> None:
    tokens = VOCABULARY[:40]
    one, two = signature(tokens), signature(list(tokens))
    assert one is not None and two is not None
    assert one.values.tolist() == two.values.tolist()
    assert one.minhash.jaccard(two.minhash) == 1.0  # datasketch reads them as one text


def test_a_signature_is_a_datasketch_minhash_of_the_shingles() -> None:
    text = signature(VOCABULARY[:60])
    assert text is not None
    assert isinstance(text.minhash, MinHash) and text.minhash.scheme == "affine32"
    assert len(text.minhash) == NUM_PERM and text.values.dtype == "uint32"


@pytest.mark.parametrize("tokens", [[], ["un", "deux"], VOCABULARY[:13], ["mot", "mot"] * 100])
def test_a_short_or_repetitive_text_has_no_signature(tokens: list[str]) -> None:
    assert signature(tokens) is None


def test_a_text_sharing_every_band_is_found_and_survives_the_other_leaving() -> None:
    index = NearDuplicates(timedelta(hours=72))
    text = signature(VOCABULARY[:60])
    assert text is not None
    index.add(1, text, WHEN, None, 1)
    index.add(2, text, WHEN + timedelta(hours=1), 1, 1)  # a copy: same buckets as its original
    index.add(3, text, WHEN + timedelta(hours=2), 1, 1)
    assert index.group_of(text) == (1, 1)
    index.expire(WHEN + timedelta(hours=72, minutes=30))  # the original leaves the window
    assert len(index) == 2
    assert index.group_of(text) == (1, 1)  # its copies still name it
    index.expire(WHEN + timedelta(hours=75))
    assert len(index) == 0 and index.group_of(text) is None
    assert all(table.size() == 0 for table in index.lsh.hashtables)  # every band's bucket is gone
    assert index.lsh.keys.size() == 0 and not index.groups and not index.published


def test_an_unrelated_text_is_not_a_copy() -> None:
    index = NearDuplicates(timedelta(hours=72))
    first, other = signature(VOCABULARY[:80]), signature(VOCABULARY[1000:1080])
    assert first is not None and other is not None
    index.add(1, first, WHEN, None, 1)
    assert index.group_of(other) is None


def test_the_index_is_datasketch_lsh_with_the_tuned_bands() -> None:
    index = NearDuplicates(timedelta(hours=72))
    assert isinstance(index.lsh, MinHashLSH) and (index.lsh.b, index.lsh.r) == (BANDS, ROWS)
    text = signature(VOCABULARY[:60])
    assert text is not None
    index.add(7, text, WHEN, None, 3)
    index.add(7, text, WHEN, None, 3)  # an article placed twice is indexed once
    assert index.lsh.query(text.minhash) == [7] and len(index) == 1
