"""Full-text search on PostgreSQL: unaccent, per-language configurations, a tsvector table with a GIN index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

Nothing happens on SQLite (its FTS5 index is revision 0002). CREATE EXTENSION unaccent needs the CREATE
privilege on the database (unaccent is a trusted extension since PostgreSQL 13); where the application's
role lacks it, an administrator runs `CREATE EXTENSION unaccent;` in the database first.
"""

from __future__ import annotations

from alembic import op

from akhbar.store import pg_search

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Written out here, not imported, so that this revision stays what it was when later ones change the index.
LETTERS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
NUMBERS = "numword, numhword, hword_numpart"
STEMMED = {"akhbar_french": "french", "akhbar_english": "english", "akhbar_spanish": "spanish"}


def _stemmed(name: str, language: str) -> list[str]:
    # A snowball dictionary without StopWords: a quoted phrase keeps its small words, as in FTS5.
    return [
        f"CREATE TEXT SEARCH DICTIONARY {name}_stem (TEMPLATE = snowball, Language = {language})",
        f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})",
        f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {LETTERS} WITH unaccent, {name}_stem",
        f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {NUMBERS} WITH unaccent, simple",
    ]


def _statements() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
    for name, language in STEMMED.items():
        statements += _stemmed(name, language)
    statements += [
        "CREATE TEXT SEARCH CONFIGURATION akhbar_simple (COPY = pg_catalog.simple)",
        f"ALTER TEXT SEARCH CONFIGURATION akhbar_simple ALTER MAPPING FOR {LETTERS}, {NUMBERS} "
        "WITH unaccent, simple",
        "CREATE TABLE article_search ("
        " article_id BIGINT NOT NULL CONSTRAINT pk_article_search PRIMARY KEY"
        " CONSTRAINT fk_article_search_article_id_articles REFERENCES articles (id) ON DELETE CASCADE,"
        " title TSVECTOR NOT NULL, doc TSVECTOR NOT NULL)",
        "CREATE INDEX ix_article_search_doc ON article_search USING gin (doc)",
    ]
    return statements


def upgrade() -> None:
    """Create the configurations, the table and its index on PostgreSQL, and index the stored articles."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in _statements():
        op.execute(statement)
    pg_search.rebuild(conn)


def downgrade() -> None:
    """Drop the table, the configurations and the dictionaries (unaccent stays: an admin may own it)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE article_search")
    for name in (*STEMMED, "akhbar_simple"):
        op.execute(f"DROP TEXT SEARCH CONFIGURATION {name}")
    for name in STEMMED:
        op.execute(f"DROP TEXT SEARCH DICTIONARY {name}_stem")
