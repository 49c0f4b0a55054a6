"""The store: tables, intent-named queries and Alembic migrations; the only package that speaks SQL."""

from akhbar.store.articles import UpsertCounts
from akhbar.store.errors import SchemaBehindError, StoreError
from akhbar.store.reading import ArticleQuery, Cursor
from akhbar.store.store import Store

__all__ = ["ArticleQuery", "Cursor", "SchemaBehindError", "Store", "StoreError", "UpsertCounts"]
