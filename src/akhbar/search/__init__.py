"""Search without SQL: text normalisation, query parsing and the search request/result types.

The store runs the searches (akhbar.store.search); the web and the API import these types from here.
"""

from akhbar.search.normalize import normalize, words
from akhbar.search.query import ParsedQuery, SearchQuery, SearchQueryError, Term, parse_query
from akhbar.search.results import SearchHit, SearchResults
from akhbar.search.snippet import highlight_html, snippet_html

__all__ = [
    "ParsedQuery",
    "SearchHit",
    "SearchQuery",
    "SearchQueryError",
    "SearchResults",
    "Term",
    "normalize",
    "parse_query",
    "highlight_html",
    "snippet_html",
    "words",
]
