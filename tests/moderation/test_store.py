"""Reports, thresholds, weights, protection and moderator actions in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from akhbar.moderation.policy import Policy, crosses

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
POLICY = Policy()


def report(store, image_id, reporter, network, *, now=NOW, policy=POLICY, moderator=""):
    return store.record_image_report(image_id, reporter, network, now=now, policy=policy, moderator=moderator)


def test_fifty_concurrent_reports_from_distinct_reporters_are_all_counted(store, add_article):
    image_id = add_article().image.id
    policy = Policy(min_reporters=1000, rate_limit=1000)

    def one(n: int) -> str:
        return report(store, image_id, f"reporter-{n:02d}", f"10.0.{n}.0/24", policy=policy).status

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses == ["recorded"] * 50
    tally = store.image_report_tally(image_id)
    assert (tally.reporters, tally.networks, tally.weight) == (50, 50, 50.0)


def test_concurrent_reports_block_exactly_when_the_threshold_is_crossed(store, add_article):
    image_id = add_article().image.id
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(lambda n: report(store, image_id, f"r{n}", f"10.{n % 2}.0.0/24"), range(20)))
    assert store.image_by_id(image_id).state == "blocked"
    # Reports on one image are serialised: each saw one more reporter than the one before (no lost update).
    # Threads run in any order, so the crossing may come at the 3rd report or later (three from one network
    # do not cross while M=2): it is the first report whose tally crosses, and it saw the image blocked.
    ordered = sorted(outcomes, key=lambda o: o.tally.reporters)
    assert [o.tally.reporters for o in ordered] == list(range(1, 21))
    crossing = next(n for n, o in enumerate(ordered) if crosses(o.tally, POLICY))
    assert [o.state for o in ordered[crossing:]] == ["blocked"] * (20 - crossing)
    assert "blocked" not in [o.state for o in ordered[:crossing]]


def test_a_repeat_changes_nothing(store, add_article):
    image_id = add_article().image.id
    assert report(store, image_id, "a", "n1").status == "recorded"
    assert report(store, image_id, "a", "n2").status == "repeat"
    assert store.image_report_tally(image_id).networks == 1


def test_copies_of_the_same_bytes_share_reports_and_state(store, add_article):
    first = add_article(sha256="ab" * 32).image.id
    second = add_article(sha256="ab" * 32).image.id
    report(store, first, "a", "n1")
    report(store, second, "b", "n2")
    outcome = report(store, first, "c", "n1")
    assert outcome.state == "blocked"
    assert store.image_by_id(second).state == "blocked"


def test_a_moderators_report_blocks_at_once_and_is_audited(store, add_article):
    image_id = add_article().image.id
    assert report(store, image_id, "m", "n1", moderator="mona").state == "blocked"
    entry = store.audit_entries()[0]
    assert (entry.actor, entry.action, entry.target_id) == ("mona", "report", image_id)


def test_rejected_reporters_count_less_from_then_on(store, add_article):
    first, second = add_article().image.id, add_article().image.id
    for reporter, network in (("a", "n1"), ("b", "n2"), ("c", "n1")):
        report(store, first, reporter, network)
    assert store.image_by_id(first).state == "blocked"
    store.moderate_image(first, "reject", actor="mona", reason="image d'actualité", now=NOW, policy=POLICY)
    assert store.image_by_id(first).state == "ok"
    assert [store.reporter_rejections(r) for r in "abc"] == [1, 1, 1]
    for reporter, network in (("a", "n1"), ("b", "n2"), ("c", "n1"), ("d", "n2")):
        assert report(store, second, reporter, network).state == "ok"  # 0.5 * 3 + 1 = 2.5 < 3
    assert report(store, second, "e", "n3").state == "blocked"  # 3.5
    assert store.image_report_tally(second).weight == pytest.approx(3.5)


def test_restore_protects_from_automatic_reblocking_for_a_time(store, add_article):
    image_id = add_article().image.id
    for reporter, network in (("a", "n1"), ("b", "n2"), ("c", "n1")):
        report(store, image_id, reporter, network)
    store.moderate_image(image_id, "restore", actor="mona", reason="erreur", now=NOW, policy=POLICY)
    image = store.image_by_id(image_id)
    assert image.state == "ok" and image.protected_until == NOW + POLICY.protection
    assert store.image_report_tally(image_id).reporters == 0  # the old reports were cleared
    for reporter, network in (("d", "n1"), ("e", "n2"), ("f", "n1")):
        assert report(store, image_id, reporter, network, now=NOW + timedelta(days=1)).state == "ok"
    later = NOW + POLICY.protection + timedelta(minutes=1)
    assert report(store, image_id, "g", "n3", now=later).state == "blocked"


def test_the_rate_limit_counts_per_reporter_and_per_network_within_the_hour(store, add_article):
    images = [add_article().image.id for _ in range(4)]
    policy = Policy(rate_limit=2, min_reporters=100)
    assert [report(store, i, "a", "n1", policy=policy).status for i in images[:3]] == [
        "recorded",
        "recorded",
        "rate_limited",
    ]
    assert report(store, images[3], "fresh", "n1", policy=policy).status == "rate_limited"
    assert report(store, images[3], "fresh", "n2", policy=policy).status == "recorded"
    later = NOW + timedelta(hours=1, seconds=1)
    assert report(store, images[2], "a", "n1", now=later, policy=policy).status == "recorded"


@pytest.mark.parametrize(
    ("action", "state"), [("confirm", "confirmed"), ("block", "blocked"), ("restore", "ok")]
)
def test_moderator_actions_set_the_state_and_write_the_audit(store, add_article, action, state):
    image_id = add_article().image.id
    assert (
        store.moderate_image(image_id, action, actor="alice", reason="pourquoi", now=NOW, policy=POLICY)
        == state
    )
    assert store.image_by_id(image_id).state == state
    entry = store.audit_entries()[0]
    assert (entry.at, entry.actor, entry.action, entry.target, entry.reason) == (
        NOW,
        "alice",
        action,
        "image",
        "pourquoi",
    )


def test_an_unknown_image_is_no_report_and_no_action(store):
    assert report(store, 999, "a", "n1").status == "unknown"
    assert store.moderate_image(999, "confirm", actor="a", reason="r", now=NOW, policy=POLICY) is None
    assert store.audit_entries() == []


def test_block_all_images_of_an_article_or_a_source_keeps_confirmed_ones(store, add_article):
    one = add_article(source="alpha")
    two = add_article(source="alpha")
    other = add_article(source="beta")
    store.moderate_image(two.image.id, "confirm", actor="a", reason="r", now=NOW, policy=POLICY)
    assert store.block_images_of("article", one.article.id, actor="a", reason="r", now=NOW) == 1
    assert store.block_images_of("source", one.article.source_id, actor="a", reason="lot", now=NOW) == 0
    assert store.image_by_id(two.image.id).state == "confirmed"
    assert store.image_by_id(other.image.id).state == "ok"
    assert store.audit_entries()[0].action == "block_all"


def test_reported_images_list_counts_and_articles(store, add_article):
    shown = add_article()
    blocked = add_article()
    store.moderate_image(blocked.image.id, "block", actor="a", reason="r", now=NOW, policy=POLICY)
    report(store, shown.image.id, "a", "n1")
    report(store, shown.image.id, "b", "n1", now=NOW + timedelta(minutes=5))
    rows = store.reported_images()
    assert [r.image.id for r in rows] == [shown.image.id, blocked.image.id]
    first = rows[0]
    assert (first.tally.reporters, first.tally.networks, first.total_reports) == (2, 1, 2)
    assert (first.first_report_at, first.last_report_at) == (NOW, NOW + timedelta(minutes=5))
    assert first.article_ids == [shown.article.id]
