"""Opt-in public accountability: the job search's weekly counts, and never a name.

With ``[tool.folio.pipeline] publish-stats = true`` every ``folio apply`` command that
changes the store also writes ``stats-file`` (``docs/journal/search-stats.json``) in the
repository: per ISO week the applications sent, interviews and offers, nothing else. The
README's journal region and the site's journal page read that file, not the store, so CI
(which has no store) renders the same counts as the owner's machine, and ``folio index
--check`` agrees everywhere. Hours come from the journal itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from repofolio.errors import FolioError
from repofolio.fsio import read_text, write_if_changed

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import JournalEntry
    from repofolio.pipeline.model import Pipeline

FORMAT = "folio-search-stats"
SCHEMA_VERSION = 1
WEEKS_SHOWN = 8
KEYS = ("applications", "interviews", "offers")


def stats_text(pipeline: Pipeline) -> str:
    from repofolio.pipeline.model import weekly_counts

    data = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "weeks": weekly_counts(pipeline)}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def write_stats(cfg: Config, pipeline: Pipeline) -> str | None:
    """Write the counts when ``publish-stats`` is on; the repo-relative path when written."""
    if not cfg.pipeline.publish_stats:
        return None
    from repofolio.fsio import is_inside

    path = cfg.root / cfg.pipeline.stats_file
    if not is_inside(path, cfg.root.resolve()):
        raise FolioError(
            f"[tool.folio.pipeline] stats-file '{cfg.pipeline.stats_file}' is outside the "
            "repository (a symlink?); not written"
        )
    text = stats_text(pipeline)
    old = read_text(path).text if path.is_file() else None
    return cfg.pipeline.stats_file if write_if_changed(path, text, old) else None


def read_counts(cfg: Config) -> dict[str, dict[str, int]]:
    """The committed weekly counts; empty when the file does not exist yet."""
    path = cfg.root / cfg.pipeline.stats_file
    shown = cfg.pipeline.stats_file
    if not path.exists():
        return {}
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{shown}: {result.problem}")
    try:
        data = json.loads(result.text)
    except json.JSONDecodeError as exc:
        raise FolioError(f"{shown}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    weeks = data.get("weeks") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(weeks, dict):
        raise FolioError(f'{shown}: not the weekly counts folio writes ("format": "{FORMAT}")')
    out: dict[str, dict[str, int]] = {}
    for week, counts in weeks.items():
        if not isinstance(counts, dict) or _monday(week) is None:
            raise FolioError(f"{shown}: week '{week}': expected YYYY-Www and counts")
        # only numbers leave the file: nothing else could be published through it
        out[week] = {k: int(v) for k in KEYS if isinstance(v := counts.get(k, 0), int)}
    return out


def _monday(week: str) -> dt.date | None:
    try:
        year, number = week.split("-W")
        return dt.date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        return None


def weekly_rows(
    cfg: Config, entries: Iterable[JournalEntry], limit: int = WEEKS_SHOWN
) -> list[dict[str, Any]]:
    """The last ``limit`` weeks with anything in them, oldest first; [] when not published.

    Each row: ``week`` (2026-W47), ``monday`` (ISO date), ``applications``, ``interviews``,
    ``offers`` and ``hours`` (from the journal). Weeks without activity in between are kept,
    with zeros: a quiet week is part of an honest record.
    """
    if not cfg.pipeline.publish_stats:
        return []
    from repofolio.journal import dated, iso_week

    counts = read_counts(cfg)
    hours: dict[str, float] = {}
    for day, entry in dated(entries):
        if entry.hours:
            hours[iso_week(day)] = hours.get(iso_week(day), 0.0) + entry.hours
    weeks = sorted(set(counts) | set(hours))
    if not weeks:
        return []
    last = _monday(weeks[-1])
    first = _monday(weeks[0])
    assert last is not None and first is not None
    start = max(first, last - dt.timedelta(weeks=limit - 1))
    rows = []
    monday = start
    while monday <= last:
        week = iso_week(monday)
        row: dict[str, Any] = {"week": week, "monday": monday.isoformat()}
        row.update({k: counts.get(week, {}).get(k, 0) for k in KEYS})
        row["hours"] = f"{round(hours.get(week, 0.0), 2):g}"
        rows.append(row)
        monday += dt.timedelta(weeks=1)
    return rows
