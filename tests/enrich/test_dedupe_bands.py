"""Near-duplicates: the band keys made once per text are datasketch's, and the index they fill is its own."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

from datasketch import MinHashLSH

from akhbar.enrich import dedupe
from akhbar.enrich.dedupe import BANDS, NUM_PERM, ROWS, NearDuplicates, signature

WHEN = datetime(2026, 11, 20, tzinfo=UTC)
VOCABULARY = [f"mot{i}" for i in range(3000)]


def texts(count: int, seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(VOCABULARY) for _ in range(rng.randint(20, 120))] for _ in range(count)]


def test_band_keys_are_the_keys_minhashlsh_makes_for_each_band() -> None:
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    for tokens in texts(50):
        text = signature(tokens)
        assert text is not None
        values = text.minhash.hashvalues
        assert text.bands == [lsh._H(values[start:end]) for start, end in lsh.hashranges]


def test_the_index_filled_from_band_keys_answers_as_datasketch_would() -> None:
    index = NearDuplicates(timedelta(hours=72))
    reference = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    corpus = texts(80)
    signatures = [signature(tokens) for tokens in corpus]
    for article_id, text in enumerate(signatures):
        assert text is not None
        index.add(article_id, text, WHEN, None, article_id)
        reference.insert(article_id, text.minhash)
    copy = signature(corpus[5][:-2] + ["autre", "mot"])
    assert copy is not None
    for text in [*signatures[:20], copy]:
        assert text is not None
        expected = set(reference.query(text.minhash))
        assert index.candidates(text) == expected == set(index.lsh.query(text.minhash))
    assert 5 in index.candidates(copy)
    for article_id in range(80):  # datasketch's own remove empties what the band keys filled
        index.lsh.remove(article_id)
    assert all(table.size() == 0 for table in index.lsh.hashtables) and index.lsh.keys.size() == 0


def test_a_signature_keeps_its_values_when_the_next_text_is_hashed() -> None:
    first = signature(VOCABULARY[:60])
    assert first is not None
    kept = first.values.copy()
    assert signature(VOCABULARY[500:600]) is not None
    assert first.values.tolist() == kept.tolist()


def test_signatures_are_the_same_in_every_thread_and_after_the_word_cache_restarts() -> None:
    tokens = VOCABULARY[100:180]
    here = signature(tokens)
    assert here is not None
    found: list[list[int]] = []
    thread = threading.Thread(target=lambda: found.append(signature(tokens).values.tolist()))  # type: ignore[union-attr]
    thread.start()
    thread.join()
    dedupe._WORDS.clear()
    again = signature(tokens)
    assert again is not None
    assert found == [here.values.tolist()] and again.values.tolist() == here.values.tolist()


def test_the_word_cache_starts_again_past_its_size(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dedupe, "WORD_CACHE", 50)
    dedupe._WORDS.clear()
    for tokens in texts(10, seed=9):
        assert signature(tokens) is not None
        assert len(dedupe._WORDS) <= 50 + 120  # cleared before a text once it holds more than WORD_CACHE
