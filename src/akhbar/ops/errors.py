"""The typed error of the operations: one line that names the cause and, where there is one, the remedy."""

from __future__ import annotations


class OpsError(Exception):
    """An operation (backup, restore, prune) cannot be done; the message is one line for the operator."""
