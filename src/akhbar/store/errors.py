"""Store errors: every failure becomes one line that names what failed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, SQLAlchemyError


class StoreError(Exception):
    """A store operation failed; the message is one line naming the cause."""


class SchemaBehindError(StoreError):
    """The database schema is older than the code and auto-migration is off."""


def cause_of(exc: BaseException) -> str:
    """Return the first line of the underlying database error message."""
    inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(inner).strip().splitlines()
    return lines[0] if lines else type(inner).__name__


@contextmanager
def failing_as(what: str) -> Iterator[None]:
    """Turn a SQLAlchemy error raised inside the block into 'store: cannot <what>: <cause>'."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(f"store: cannot {what}: {cause_of(exc)}") from exc
