"""Read feedparser's fixture corpus and check its `Expect:` lines against what akhbar's parse stage stores.

Each fixture carries a Python expression over feedparser's result (`feed`, `entries`, `bozo`, ...). We map
a ParsedFeed to a small feedparser-like view and evaluate only the parts of each expression that speak of a
field we store (see STORED_ENTRY / STORED_FEED). Top-level `and` clauses are judged one by one:
- "stored": every feed/entries access in the clause is a stored field -> kept and evaluated;
- "bozo": the clause only speaks of bozo/bozo_exception (well-formedness) -> dropped, counted;
- "other": anything else (feedparser-only fields, encoding, version, headers...) -> dropped, counted.
An expectation is "considered" when at least one clause is "stored"; it holds when all its stored clauses
hold. Files under wellformed/sanitize/ check feedparser's HTML sanitizer, which the parse stage does not
run by design (content is stored as given and sanitized later with nh3): they are counted apart.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from akhbar.models import FeedItem, ParsedFeed
from akhbar.parse.normalize import plain_text

BASE_URL = "http://127.0.0.1:8097/"  # where feedparser's own test harness serves these files
STORED_ENTRY = {
    ("title",),
    ("title_detail", "value"),
    ("link",),
    ("id",),
    ("guid",),
    ("summary",),
    ("description",),
    ("summary_detail", "value"),
    ("content", "value"),
    ("published_parsed",),
    ("updated_parsed",),
    ("author",),
    ("authors", "name"),
    ("author_detail", "name"),
    ("tags", "term"),
    ("category",),
    ("language",),
    ("image",),
}
STORED_FEED = {("title",), ("title_detail", "value"), ("link",), ("language",)}
SAFE_NAMES = {"len", "isinstance", "str", "int", "list", "tuple", "dict", "True", "False", "None", "u"}
BOZO_NAMES = {"bozo", "bozo_exception", "feedparser"}
_EXPECT = re.compile(r"Expect:\s*(.*?)\s*(?:-->|$)", re.MULTILINE)
_LOCATION = re.compile(r"Header:\s*Content-Location:\s*(\S+)", re.IGNORECASE)


class PlainText(str):
    """A stored title: equal to an expected value when that value, rendered as plain text, is the same.

    Titles are stored as plain text by design, while feedparser keeps their markup; comparing renderings
    checks the words without rewarding or punishing the markup we drop.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and str(self) == plain_text(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


class View(dict[str, Any]):
    """A dict that also answers attribute access and has_key(), as feedparser's result does."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def has_key(self, key: str) -> bool:
        """Return True when `key` is present (the Python 2 spelling some Expect lines use)."""
        return key in self


@dataclass
class Case:
    """One fixture: its path relative to the corpus, its bytes and its Expect expression."""

    name: str
    data: bytes
    expect: str
    url: str  # the document's URL: where the harness serves it, or its Content-Location header


@dataclass
class Tally:
    """How the Expect lines of the corpus fared."""

    considered: int = 0
    held: int = 0
    bozo_only: int = 0
    not_stored: int = 0
    sanitize: int = 0
    sanitize_held: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Return the share of considered expectations that hold."""
        return self.held / self.considered if self.considered else 0.0


def corpus_root(repo: Path) -> Path:
    """Return the feedparser corpus beside the checkout (../shared/corpora/feedparser)."""
    return repo.parent / "shared" / "corpora" / "feedparser"


def read_cases(root: Path) -> Iterator[Case]:
    """Yield every .xml/.json fixture under `root`, sorted, with its Expect line ("" when none)."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".xml", ".json") or not path.is_file():
            continue
        data = path.read_bytes()
        head = data[:4096].decode("latin-1")
        found, location = _EXPECT.search(head), _LOCATION.search(head)
        name = path.relative_to(root).as_posix()
        url = urljoin(BASE_URL + name, location.group(1)) if location else BASE_URL + name
        yield Case(name, data, found.group(1) if found else "", url)


def _timetuple(value: Any) -> Any:
    return value.utctimetuple() if value is not None else None


def entry_view(item: FeedItem) -> View:
    """Return a feedparser-shaped dict for one stored item."""
    view = View(
        {
            "title": PlainText(item.title),
            "title_detail": View(value=PlainText(item.title)),
            "link": item.url,
            "id": item.guid,
            "guid": item.guid,
            "summary": item.summary,
            "description": item.summary,
            "summary_detail": View(value=item.summary),
            "published_parsed": _timetuple(item.published),
            "updated_parsed": _timetuple(item.updated),
            "language": item.language,
            "image": item.image,
            "authors": [View(name=name) for name in item.authors],
            "tags": [View(term=t) for t in item.categories],
        }
    )
    if item.content:
        view["content"] = [View(value=item.content)]
    if item.authors:
        view["author"] = item.authors[0]
        view["author_detail"] = View(name=item.authors[0])
    if item.categories:
        view["category"] = item.categories[0]
    return view


def feed_view(parsed: ParsedFeed) -> View:
    """Return the feedparser-shaped `feed` dict of a parsed feed."""
    view = View(
        title=PlainText(parsed.title), title_detail=View(value=PlainText(parsed.title)), link=parsed.link
    )
    if parsed.language:
        view["language"] = parsed.language  # feedparser leaves the key out when no language is declared
    return view


def _chain(node: ast.AST) -> tuple[str, list[str]] | None:
    """Return (root name, string keys) of a subscript/attribute chain such as entries[0]['tags'][0].term."""
    keys: list[str] = []
    while True:
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                keys.append(node.slice.value)
            node = node.value
        elif isinstance(node, ast.Attribute):
            keys.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, keys[::-1]
        else:
            return None


def _clause_kind(clause: ast.AST) -> str:
    """Return "stored", "bozo" or "other" for one top-level clause of an Expect expression."""
    names = {n.id for n in ast.walk(clause) if isinstance(n, ast.Name)}
    if names and names <= BOZO_NAMES | SAFE_NAMES and names & {"bozo", "bozo_exception"}:
        return "bozo"
    if not names & {"feed", "entries"} or names - SAFE_NAMES - {"feed", "entries"}:
        return "other"
    for node in ast.walk(clause):
        chain = _chain(node) if isinstance(node, ast.Subscript | ast.Attribute) else None
        if chain is None or chain[0] not in ("feed", "entries") or _is_inner(node, clause):
            continue
        keys = tuple(k for k in chain[1] if k != "get")
        if keys and keys not in (STORED_FEED if chain[0] == "feed" else STORED_ENTRY):
            return "other"
    return "stored"


def _is_inner(node: ast.AST, clause: ast.AST) -> bool:
    """Return True when `node` is part of a longer chain (only whole chains are judged)."""
    for parent in ast.walk(clause):
        if isinstance(parent, ast.Subscript | ast.Attribute) and parent.value is node:
            return True
        if isinstance(parent, ast.Call) and parent.func is node:
            return True
    return False


def split_expect(expect: str) -> tuple[list[str], Counter[str]]:
    """Return the stored clauses of `expect` as source strings and a count of every clause kind."""
    try:
        tree = ast.parse(expect, mode="eval").body
    except SyntaxError:
        return [], Counter({"other": 1})
    clauses = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    kinds = Counter(_clause_kind(c) for c in clauses)
    return [ast.unparse(c) for c in clauses if _clause_kind(c) == "stored"], kinds


def holds(clauses: list[str], parsed: ParsedFeed) -> bool:
    """Return True when every clause is true of the parsed feed's view (an exception counts as false)."""
    env = {"feed": feed_view(parsed), "entries": [entry_view(i) for i in parsed.items], "u": str}
    try:
        return all(eval(clause, {"__builtins__": __builtins__}, env) for clause in clauses)  # noqa: S307
    except Exception:  # noqa: BLE001 - a KeyError or IndexError is simply an expectation that does not hold
        return False


def count(tally: Tally, case: Case, parsed: ParsedFeed | None) -> None:
    """Add one fixture's outcome (None: the parse raised FeedError) to `tally`."""
    clauses, kinds = split_expect(case.expect)
    if case.name.startswith("wellformed/sanitize/"):
        tally.sanitize += 1
        tally.sanitize_held += bool(clauses and parsed is not None and holds(clauses, parsed))
    elif clauses:
        tally.considered += 1
        if parsed is not None and holds(clauses, parsed):
            tally.held += 1
        else:
            tally.failures.append(f"{case.name}: {' and '.join(clauses)}"[:300])
    elif set(kinds) == {"bozo"}:
        tally.bozo_only += 1
    else:
        tally.not_stored += 1


def summary(tally: Tally) -> str:
    """Return a one-paragraph report of the tally."""
    refused = ", ".join(f"{kind} {n}" for kind, n in sorted(tally.refused.items())) or "none"
    return (
        f"stored-field expectations: {tally.held}/{tally.considered} hold ({tally.ratio:.1%}); "
        f"skipped: {tally.bozo_only} bozo-only, {tally.not_stored} about fields we do not store, "
        f"{tally.sanitize} sanitizer checks ({tally.sanitize_held} hold with content stored as given); "
        f"refused with FeedError: {refused}"
    )
