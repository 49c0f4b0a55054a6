"""The extract stage: article HTML -> text, sanitized HTML, lead image, author, date, canonical URL."""

from akhbar.extract.article import extract_article, render_extracted
from akhbar.extract.sanitize import html_to_text, sanitize_html

__all__ = ["extract_article", "html_to_text", "render_extracted", "sanitize_html"]
