"""What a search returns: the page of hits with their highlighted snippets, and how many there are."""

from __future__ import annotations

from dataclasses import dataclass

from akhbar.models import Article
from akhbar.search.query import SearchQuery


@dataclass
class SearchHit:
    """One found article and its snippet (HTML: matches in <mark>, everything else escaped).

    The article is what a result shows: its html is left out and its text cut to what the snippet read.
    """

    article: Article
    snippet_html: str
    title_html: str = ""  # the title, escaped, matches in <mark>


@dataclass
class SearchResults:
    """A page of hits. total is exact unless capped: then it is a lower bound, shown as "1000+"."""

    hits: list[SearchHit]
    total: int | None
    query: SearchQuery
    message: str = ""  # a note for the reader (query cut, deep page refused, engine limits), "" when none
    capped: bool = False  # True: more than `total` articles match; only the newest `total` are ranked
    has_next: bool = False  # True when a next page exists

    @property
    def total_label(self) -> str:
        """Return the count as a reader sees it: "42", or "1000+" when capped."""
        if self.total is None:
            return ""
        return f"{self.total}+" if self.capped else str(self.total)
