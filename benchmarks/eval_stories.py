"""Print the stories scores on the labelled set: `make eval-stories` (or pass TOML files or --demo)."""

from __future__ import annotations

import argparse
import sys
import tomllib
from datetime import datetime
from pathlib import Path

from akhbar.enrich.evaluate import EvalSetError, Labelled, evaluate, format_report, load

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "stories" / "eval"
DEMO_DIR = ROOT / "src" / "akhbar" / "demo" / "outlets"


def demo_set() -> list[Labelled]:
    """Return the demo outlets' articles labelled by their `story` key (unlabelled ones stand alone)."""
    items: list[Labelled] = []
    for path in sorted(DEMO_DIR.glob("*.toml")):
        outlet = tomllib.loads(path.read_text(encoding="utf-8"))
        for row in outlet.get("article", []):
            items.append(
                Labelled(
                    id=f"{outlet['slug']}/{row['slug']}",
                    story=row.get("story") or f"alone-{outlet['slug']}/{row['slug']}",
                    language=outlet["language"],
                    source=outlet["name"],
                    published=datetime.fromisoformat(row["published"]),
                    title=row["title"],
                    text=row.get("body", ""),
                )
            )
    return items


def main(argv: list[str]) -> int:
    """Score the labelled set and print the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="labelled TOML files (default: the eval set)")
    parser.add_argument("--demo", action="store_true", help="score the demo outlets instead")
    args = parser.parse_args(argv)
    try:
        items = demo_set() if args.demo else load(args.files or EVAL_DIR.glob("*.toml"))
    except EvalSetError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not items:
        print(f"eval: no labelled articles under {EVAL_DIR}", file=sys.stderr)
        return 1
    print(format_report(evaluate(items)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
