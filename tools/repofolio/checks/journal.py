"""Journal entries: the name is the day, the front matter agrees, tags are known, text exists.

Pure and light: no Jinja2, no mkdocs, so ``folio check`` stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import JournalEntry, Portfolio

# the codes and their meanings are in repofolio.checks.CODES (folio check --list-codes)


def check(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    for entry in portfolio.journal:
        yield from check_entry(entry, cfg)


def _raw_date(value: object) -> object:
    return value.get("created") if isinstance(value, dict) else value


def check_entry(entry: JournalEntry, cfg: Config) -> Iterator[Diagnostic]:
    # imported here: a portfolio without a journal does not pay for it
    from repofolio.journal import HEADING, entry_text, has_unclosed_private

    path = entry.rel
    if entry.day is None:
        yield Diagnostic(
            path,
            0,
            0,
            "JR002",
            f"file name '{entry.path.name}' is not a real day: name entries "
            "YYYY-MM-DD.md, like 2026-11-20.md",
        )
    if entry.front is None:  # unreadable: JR001 came from loading
        return
    fm = entry.front
    if not fm.present:
        yield Diagnostic(
            path,
            1,
            1,
            "JR003",
            "front matter is missing: start with '---', 'date: YYYY-MM-DD', '---'",
        )
        return
    if fm.data is None:  # not YAML or not a mapping: FM00x came from loading
        return
    data = fm.data
    if "date" not in data:
        yield Diagnostic(path, 1, 1, "JR003", "front matter has no 'date: YYYY-MM-DD'")
    else:
        raw = _raw_date(data["date"])
        line = fm.line_of("date")
        if not isinstance(raw, dt.date):
            yield Diagnostic(
                path, line, 1, "JR003", f"date {raw!r} is not a date: write date: YYYY-MM-DD"
            )
        elif entry.day is not None and entry.date != entry.day:
            yield Diagnostic(
                path,
                line,
                1,
                "JR004",
                f"date {entry.date} differs from the file name's {entry.day.isoformat()}",
            )
    known = set(cfg.journal.tags)
    for key in ("categories", "tags"):
        if key not in data:
            continue
        value = data[key]
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield Diagnostic(
                path,
                fm.line_of(key),
                1,
                "JR009",
                f"'{key}' must be a list of strings, like [learning, kaggle]",
            )
            continue
        for i, tag in enumerate(value):
            if tag not in known:
                yield Diagnostic(
                    path,
                    fm.line_of(key, i),
                    1,
                    "JR005",
                    f"unknown {key[:-1] if key == 'tags' else 'category'} "
                    f"'{tag}'; expected one of {', '.join(cfg.journal.tags)}",
                )
    if "hours" in data:
        hours = data["hours"]
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 <= hours <= 24:
            yield Diagnostic(
                path,
                fm.line_of("hours"),
                1,
                "JR008",
                f"hours {hours!r} is not a number from 0 to 24",
            )
    title = data.get("title")
    has_title = isinstance(title, str) and title.strip() or HEADING.search(entry.body)
    if not has_title:
        yield Diagnostic(
            path,
            fm.body_line,
            1,
            "JR007",
            "no title: add a '# Title' line after the front matter",
            severity="warning",
        )
    if not entry_text(entry):
        yield Diagnostic(
            path, fm.body_line, 1, "JR006", "entry is empty: write at least one paragraph"
        )
    unclosed = has_unclosed_private(entry.text)
    if unclosed:
        yield Diagnostic(
            path,
            unclosed,
            1,
            "JR010",
            "'<!-- private -->' is never closed with '<!-- /private -->': "
            "nothing after it is published",
            severity="warning",
        )
