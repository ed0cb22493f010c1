"""Counting what mkdocs logs: a build's warnings, a render that warned (never cached)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class LogCounter(logging.Handler):
    """Counts what mkdocs logs at ``level`` or above."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting(level: int) -> Iterator[LogCounter]:
    """A LogCounter on mkdocs' logger for the ``with`` block."""
    counter = LogCounter(level)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
