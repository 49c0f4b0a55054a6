"""Enrichment: language detection, URL canonicalisation and categories."""

from akhbar.enrich.categories import CATEGORIES, FALLBACK, SLUGS, Category, assign_category, category_of
from akhbar.enrich.language import detect_language
from akhbar.enrich.urls import canonicalize_url

__all__ = [
    "CATEGORIES",
    "FALLBACK",
    "SLUGS",
    "Category",
    "assign_category",
    "canonicalize_url",
    "category_of",
    "detect_language",
]
