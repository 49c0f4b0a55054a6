"""Copy one database into another (an embedded SQLite install into PostgreSQL), then prove it with checksums.

Every table the schema declares is copied in foreign-key order, keeping ids, as upserts on the primary key:
running the copy twice changes nothing, and running it again after more ingestion brings the target up to
date. At the end, each table's row count and a checksum of its rows (read back through the same column
types on both sides, so a datetime or a boolean compares equal whatever the engine stores) must match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from akhbar.store.errors import StoreError
from akhbar.store.tables import metadata

# Rows read and written per batch: large enough to amortise round trips, small enough to bound memory.
BATCH = 2000

OnTable = Callable[[str, int], None]


@dataclass(frozen=True)
class TableCheck:
    """One table after the copy: rows on each side and whether their checksums agree."""

    name: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        """Return True when counts and checksums match."""
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def _ordered(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def _rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """Yield the table's rows in batches, in primary-key order."""
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*_ordered(table)))
    for partition in result.mappings().partitions(BATCH):
        yield [dict(row) for row in partition]


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    keys = [c.name for c in table.primary_key.columns]
    others = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys}
    statement = (
        insert.on_conflict_do_update(index_elements=keys, set_=others)
        if others
        else insert.on_conflict_do_nothing(index_elements=keys)
    )
    conn.execute(statement, rows)


def _canonical(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 9))  # PostgreSQL and SQLite may print the last bits of a double differently
    return repr(value)


def checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Return the row count and a SHA-256 of every row, read in primary-key order."""
    digest, count = hashlib.sha256(), 0
    for batch in _rows(conn, table):
        for row in batch:
            digest.update("\x1f".join(_canonical(row[c.name]) for c in table.columns).encode())
            digest.update(b"\x1e")
            count += 1
    return count, digest.hexdigest()


def _reset_sequences(conn: Connection, table: Table) -> None:
    """Move PostgreSQL's id sequence past the copied ids (they were inserted explicitly)."""
    for column in table.primary_key.columns:
        if column.autoincrement is True or (column.autoincrement == "auto" and len(table.primary_key) == 1):
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                top = conn.execute(select(func.max(column))).scalar() or 0
                conn.execute(text("SELECT setval(:s, :v, :called)"), {"s": sequence, "v": max(top, 1),
                                                                        "called": top > 0})


def copy_tables(source: Engine, target: Engine, on_table: OnTable | None = None) -> int:
    """Upsert every declared table of source into target in one target transaction; return rows written."""
    written = 0
    with source.connect() as reader, target.begin() as writer:
        for table in metadata.sorted_tables:
            rows = 0
            for batch in _rows(reader, table):
                _upsert(writer, table, batch)
                rows += len(batch)
            if writer.dialect.name == "postgresql":
                _reset_sequences(writer, table)
            written += rows
            if on_table:
                on_table(table.name, rows)
    return written


def compare_tables(source: Engine, target: Engine) -> list[TableCheck]:
    """Return the count-and-checksum comparison of every declared table."""
    checks = []
    with source.connect() as left, target.connect() as right:
        for table in metadata.sorted_tables:
            (n_left, sum_left), (n_right, sum_right) = checksum(left, table), checksum(right, table)
            checks.append(TableCheck(table.name, n_left, n_right, sum_left, sum_right))
    return checks


def refuse_same(source: Engine, target: Engine) -> None:
    """Refuse to copy a database onto itself."""
    if source.url.render_as_string(hide_password=False) == target.url.render_as_string(hide_password=False):
        raise StoreError("store: cannot copy a database onto itself")
