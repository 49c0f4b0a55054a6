"""The stories evaluation: labelled articles in, pairwise and BCubed scores out (`make eval-stories`)."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from akhbar.enrich.stories import Doc, Placement, StoryIndex

SCOPES = ("overall", "within", "across")


class EvalSetError(ValueError):
    """A labelled file cannot be used."""


@dataclass(frozen=True)
class Labelled:
    """One labelled article of the evaluation set."""

    id: str
    story: str
    language: str
    source: str
    published: datetime
    title: str
    text: str
    copy_of: str = ""


@dataclass
class Scores:
    """Pairwise precision, recall, F1 and BCubed F1 of one scope (all pairs, same language, across)."""

    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    bcubed_f1: float = 0.0
    pairs: int = 0  # gold pairs in the scope


@dataclass
class Report:
    """Scores per scope plus the near-duplicate check."""

    scopes: dict[str, Scores] = field(default_factory=dict)
    copies_found: int = 0
    copies_gold: int = 0
    copies_wrong: int = 0
    articles: int = 0
    stories: int = 0


def load(paths: Iterable[Path]) -> list[Labelled]:
    """Read labelled articles from TOML files; refuse a file without articles or with a repeated id."""
    items: list[Labelled] = []
    for path in sorted(paths):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            items.extend(_labelled(row) for row in data.get("article", []))
        except KeyError as exc:
            raise EvalSetError(f"eval: cannot read {path.name}: an article has no {exc.args[0]!r}") from exc
        except (tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
            raise EvalSetError(f"eval: cannot read {path.name}: {exc}") from exc
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise EvalSetError("eval: an article id is used twice in the labelled set")
    return items


def _labelled(row: dict[str, object]) -> Labelled:
    published = datetime.fromisoformat(str(row["published"]))
    return Labelled(
        id=str(row["id"]),
        story=str(row["story"]),
        language=str(row["language"]),
        source=str(row.get("source", "")),
        published=published,
        title=str(row.get("title", "")),
        text=str(row.get("text", "")),
        copy_of=str(row.get("copy_of", "") or ""),
    )


def cluster(items: list[Labelled], window: timedelta = timedelta(hours=72)) -> dict[str, Placement]:
    """Place the articles in publication order through a fresh index; return each one's placement."""
    index = StoryIndex(window)
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1].published, pair[0]))
    sources: dict[str, int] = {}
    placed: dict[str, Placement] = {}
    for number, (_, item) in enumerate(ordered, start=1):
        source_id = sources.setdefault(item.source, len(sources) + 1)
        doc = Doc(number, source_id, item.language, item.title, item.text, item.published)
        placed[item.id] = index.place(doc)
    return placed


def score(items: list[Labelled], predicted: dict[str, int]) -> dict[str, Scores]:
    """Return pairwise and BCubed scores overall, within one language and across languages."""
    same_language: Callable[[Labelled, Labelled], bool] = lambda a, b: a.language == b.language  # noqa: E731
    tests: dict[str, Callable[[Labelled, Labelled], bool]] = {
        "overall": lambda a, b: True,
        "within": same_language,
        "across": lambda a, b: not same_language(a, b),
    }
    return {scope: _scope(items, predicted, test) for scope, test in tests.items()}


def _scope(
    items: list[Labelled], predicted: dict[str, int], keep: Callable[[Labelled, Labelled], bool]
) -> Scores:
    true_pos = pred_pos = gold_pos = 0
    for a, b in combinations(items, 2):
        if not keep(a, b):
            continue
        gold = a.story == b.story
        pred = predicted[a.id] == predicted[b.id]
        true_pos += gold and pred
        gold_pos += gold
        pred_pos += pred
    precision = true_pos / pred_pos if pred_pos else 1.0
    recall = true_pos / gold_pos if gold_pos else 1.0
    return Scores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        bcubed_f1=_bcubed(items, predicted, keep),
        pairs=gold_pos,
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _bcubed(
    items: list[Labelled], predicted: dict[str, int], keep: Callable[[Labelled, Labelled], bool]
) -> float:
    """BCubed F1 over the items, each item's clusters restricted to the scope's partners (itself included)."""
    by_pred: dict[int, list[Labelled]] = defaultdict(list)
    by_gold: dict[str, list[Labelled]] = defaultdict(list)
    for item in items:
        by_pred[predicted[item.id]].append(item)
        by_gold[item.story].append(item)
    precisions: list[float] = []
    recalls: list[float] = []
    for item in items:
        pred = [o for o in by_pred[predicted[item.id]] if o is item or keep(item, o)]
        gold = [o for o in by_gold[item.story] if o is item or keep(item, o)]
        both = sum(1 for o in pred if o.story == item.story)
        if keep(item, item):  # a scope that holds the item itself: every item counts
            precisions.append(both / len(pred))
            recalls.append(both / len(gold))
        else:  # across languages: only items with partners in another language count
            if len(pred) > 1:
                precisions.append((both - 1) / (len(pred) - 1))
            if len(gold) > 1:
                recalls.append((both - 1) / (len(gold) - 1))
    precision = sum(precisions) / len(precisions) if precisions else 1.0
    recall = sum(recalls) / len(recalls) if recalls else 1.0
    return _f1(precision, recall)


def evaluate(items: list[Labelled]) -> Report:
    """Cluster the labelled articles and score the stories and the near-duplicates."""
    placed = cluster(items)
    report = Report(scopes=score(items, {k: p.story_id for k, p in placed.items()}), articles=len(items))
    report.stories = len({p.story_id for p in placed.values()})
    copy_of = {item.id: item.copy_of for item in items}
    gold_group = {item.id: _root(item.id, copy_of) for item in items}
    number_to_id = {p.article_id: k for k, p in placed.items()}
    for item in items:
        found = placed[item.id].duplicate_of
        report.copies_gold += bool(item.copy_of)
        if found is None:
            continue
        same = gold_group[number_to_id[found]] == gold_group[item.id]
        report.copies_found += same and bool(item.copy_of)
        report.copies_wrong += not same
    return report


def _root(article: str, copy_of: dict[str, str]) -> str:
    """Follow copy_of links to the text that was first published (a copy of a copy counts)."""
    seen = {article}
    while copy_of.get(article) and copy_of[article] not in seen:
        article = copy_of[article]
        seen.add(article)
    return article


def format_report(report: Report) -> str:
    """Return the report as the lines `make eval-stories` prints."""
    lines = [
        f"{report.articles} articles placed in {report.stories} stories",
        f"{'scope':<8} {'pairs':>6} {'precision':>9} {'recall':>7} {'F1':>6} {'BCubed F1':>9}",
    ]
    for scope in SCOPES:
        s = report.scopes[scope]
        lines.append(
            f"{scope:<8} {s.pairs:>6} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.bcubed_f1:>9.3f}"
        )
    lines.append(
        f"near-duplicates: {report.copies_found}/{report.copies_gold} copies found, "
        f"{report.copies_wrong} false copies"
    )
    return "\n".join(lines)
