"""The ``folio run`` report: its JSON schema, reading it (cheap) and writing it (atomic).

The report lives at ``[tool.folio.run] report`` (default ``.folio-cache/run-report.json``),
relative to the portfolio root. The site reads it through :func:`read_statuses` (a "runs"
badge per project where something runs) and :func:`notebook_failures` (which notebook
failed, and in which cell); nothing here imports anything heavy. The README never reads it:
its badges are images the published site serves (``render/readme_index.py``).

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
          "badge": true | false,                # something runs here (runner/runs.py)
          "duration": 12.3,                     # seconds, whole project (install + commands)
          "env": "<hash>" | null,               # environment folder name under env_dir
          "env_reused": true | false,
          "steps": [                            # one per command / notebook, in order
            {"kind": "install" | "command" | "notebook",
             "name": "python -m pytest -q",     # the command, or the notebook's path
             "status": "passing" | "failing",
             "returncode": 0 | 1 | ... | null,  # null: killed at the timeout
             "duration": 3.2,
             "timed_out": false,
             # failing steps only:
             "reason": "...", "message": "...", "cell": 3,   # cell: notebooks
             # notebook steps not executed by this run:
             "kept": true,                      # the result of an earlier run, kept
             "seen": "saved outputs"}           # an error output saved in the notebook
          ],
          "log_tail": "last lines of the log"   # only when status is "failing"
        }
      }
    }

``status`` is ``passing`` (every step succeeded), ``failing`` (a step failed, an install
failed, a timeout was hit, a notebook holds an error output) or ``not-runnable`` (nothing to
run, or invalid front matter). Readers must ignore unknown keys; a later run of a subset of
projects keeps the entries of the other projects, and a run that does not execute a
project's notebooks keeps their earlier results (:func:`merge_entry`): a run without
notebooks never turns a notebook result into "not runnable".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio.runner.status import Status

if TYPE_CHECKING:
    from repofolio.config import Config

REPORT_VERSION = 1
SHOWN = frozenset({Status.PASSING.value, Status.FAILING.value})  # what a badge shows


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
    """Slug -> ``passing`` | ``failing`` for the projects that show a run badge; ``{}`` if none.

    A project with nothing to run (``badge: false``, or ``not-runnable`` in a report written
    before the key) is left out: no badge at all rather than a grey "not runnable".
    """
    projects = read_report(cfg)["projects"]
    statuses: dict[str, str] = {}
    for slug, entry in projects.items():
        if not isinstance(slug, str) or not isinstance(entry, dict):
            continue
        status = entry.get("status")
        if status not in SHOWN or entry.get("badge", True) is not True:
            continue
        statuses[slug] = status
    return statuses


@dataclass(frozen=True)
class NotebookFailure:
    """Why a notebook failed, for its page: from the last run report."""

    notebook: str  # repo-relative path
    reason: str  # "notebook failed" | "output differs" | "timeout"
    message: str  # "projects/eda/eda.ipynb: cell 3 raised ZeroDivisionError: division by zero"
    cell: int | None  # the cell (numbered as Jupyter shows them), when known
    seen: str  # "run": folio run executed it; "saved outputs": an error output in the file
    kept: bool = False  # from an earlier run than the last


def notebook_failures(cfg: Config) -> dict[str, NotebookFailure]:
    """Repo-relative notebook path -> its failure, for every notebook the report says failed."""
    failures: dict[str, NotebookFailure] = {}
    for entry in read_report(cfg)["projects"].values():
        steps = entry.get("steps") if isinstance(entry, dict) else None
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, dict) or step.get("kind") != "notebook":
                continue
            name = step.get("name")
            if step.get("status") != "failing" or not isinstance(name, str):
                continue
            cell = step.get("cell")
            failures[name] = NotebookFailure(
                name,
                str(step.get("reason") or "notebook failed"),
                str(step.get("message") or f"{name}: failed"),
                cell if isinstance(cell, int) and not isinstance(cell, bool) else None,
                str(step.get("seen") or "run"),
                step.get("kept") is True,
            )
    return failures


def merge_entry(
    old: Any, new: dict[str, Any], *, notebooks_ran: bool, notebooks: Sequence[str]
) -> dict[str, Any]:
    """The report entry of a project after a run: ``new``, with the earlier results of
    ``notebooks`` (the project's notebooks now) kept when this run did not execute them.

    The status is then the worst of both: a kept failing notebook keeps the project failing,
    and a run with nothing else to do shows the kept notebook results instead of
    "not runnable".
    """
    if notebooks_ran or not isinstance(old, dict) or not isinstance(old.get("steps"), list):
        return new
    fresh = {s.get("name") for s in new["steps"] if s.get("kind") == "notebook"}
    kept = [
        {**step, "kept": True}
        for step in old["steps"]
        if isinstance(step, dict)
        and step.get("kind") == "notebook"
        and step.get("name") in notebooks
        and step.get("name") not in fresh
        and not step.get("seen")  # saved outputs are looked at again on every run
    ]
    if not kept:
        return new
    merged = {**new, "steps": [*new["steps"], *kept]}
    if new["status"] == "failing":
        return merged  # this run's own failure comes first
    failed = next((s for s in kept if s.get("status") == "failing"), None)
    if failed is not None:
        merged["status"] = "failing"
        merged["reason"] = failed.get("reason") or "notebook failed"
        merged["message"] = f"{failed.get('message') or failed.get('name')} (an earlier run)"
        if old.get("reason") == merged["reason"] and isinstance(old.get("log_tail"), str):
            merged["log_tail"] = old["log_tail"]
        else:
            merged["log_tail"] = ""
    elif new["status"] == "not-runnable":
        merged["status"], merged["reason"] = "passing", "ok"
        n = len(kept)
        merged["message"] = f"{n} notebook{'s' if n != 1 else ''} passed (an earlier run)"
    return merged


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
