"""The ``folio run`` report: its JSON schema, reading it (cheap) and writing it (atomic).

The report lives at ``[tool.folio.run] report`` (default ``.folio-cache/run-report.json``),
relative to the portfolio root. The README index and the site read it through
:func:`read_statuses` to show a "runs" badge per project; nothing here imports anything heavy.

Schema (``version`` 1)::

    {
      "version": 1,
      "generated": "2026-11-25T23:10:00Z",     # UTC, when `folio run` finished
      "python": "3.11.7",                       # interpreter the environments were built from
      "projects": {
        "<slug>": {
          "status": "passing" | "failing" | "not-runnable",
          "reason": "ok" | "command failed" | "timeout" | "install failed"
                    | "notebook failed" | "output differs" | "no run" | "error",
          "message": "one line a person can act on",
          "duration": 12.3,                     # seconds, whole project (install + commands)
          "env": "<hash>" | null,               # environment folder name under env_dir
          "env_reused": true | false,
          "steps": [                            # one per command / notebook, in order
            {"kind": "install" | "command" | "notebook",
             "name": "python -m pytest -q",     # the command, or the notebook's path
             "status": "passing" | "failing",
             "returncode": 0 | 1 | ... | null,  # null: killed at the timeout
             "duration": 3.2,
             "timed_out": false}
          ],
          "log_tail": "last lines of the log"   # only when status is "failing"
        }
      }
    }

``status`` is what badges show: ``passing`` (every step succeeded), ``failing`` (a step failed,
an install failed, a timeout was hit) or ``not-runnable`` (the project has no ``run:``, or its
front matter is invalid). Readers must ignore unknown keys; a later run of a subset of projects
keeps the entries of the other projects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio.runner.status import Status

if TYPE_CHECKING:
    from repofolio.config import Config

REPORT_VERSION = 1
STATUSES = frozenset(s.value for s in Status)


def report_path(cfg: Config) -> Path:
    return cfg.root / cfg.run.report


def read_report(cfg: Config) -> dict[str, Any]:
    """The whole report, or an empty one when it is missing, unreadable or not ours."""
    try:
        data = json.loads(report_path(cfg).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {"version": REPORT_VERSION, "projects": {}}
    if not isinstance(data, dict) or not isinstance(data.get("projects"), dict):
        return {"version": REPORT_VERSION, "projects": {}}
    return data


def read_statuses(cfg: Config) -> dict[str, str]:
    """Slug -> ``passing`` | ``failing`` | ``not-runnable`` from the last report; ``{}`` if none."""
    projects = read_report(cfg)["projects"]
    statuses: dict[str, str] = {}
    for slug, entry in projects.items():
        status = entry.get("status") if isinstance(entry, dict) else None
        if isinstance(slug, str) and status in STATUSES:
            statuses[slug] = status
    return statuses


def write_report(cfg: Config, entries: dict[str, dict[str, Any]], *, python: str) -> Path:
    """Merge ``entries`` into the report on disk (other projects kept) and write it atomically."""
    import datetime as dt

    from repofolio.fsio import write_if_changed

    path = report_path(cfg)
    old_text = ""
    try:
        old_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    projects = dict(read_report(cfg)["projects"])
    projects.update(entries)
    data = {
        "version": REPORT_VERSION,
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": python,
        "projects": dict(sorted(projects.items())),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", old_text)
    return path
