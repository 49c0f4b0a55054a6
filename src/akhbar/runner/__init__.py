"""Runners: the embedded one-process runner and the scheduling policy."""
