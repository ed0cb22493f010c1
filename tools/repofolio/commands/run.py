"""``folio run``: prove every project's code (and notebooks) still runs; write the run report.

stdout: one line per project (text) or the report entries of this run (json); progress goes
to stderr. Exit 0 when nothing failed, 1 when a project failed (install, command, timeout,
notebook), 2 on a usage error (unknown project, bad config).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from repofolio.config import Config
from repofolio.discover import load_portfolio
from repofolio.errors import FolioError
from repofolio.fsio import is_inside
from repofolio.model import Notebook, Portfolio, Project
from repofolio.runner.env import KERNEL_EXTRAS, Usage, env_usage, prune_envs, python_tag
from repofolio.runner.plan import Plan, ProjectResult, Settings, run_project
from repofolio.runner.runs import executes_notebooks, has_badge
from repofolio.runner.status import Reason, Status
from repofolio.runreport import merge_entry, read_report, write_report

TEXT_TAIL = 15  # log lines per failure on stdout; the report keeps [tool.folio.run] tail-lines


def plan_project(
    portfolio: Portfolio, project: Project, cfg: Config, *, notebooks: bool | None = None
) -> Plan:
    """What ``folio run`` will do for ``project``: pure, nothing runs here.

    ``notebooks``: execute the project's notebooks (``--notebooks``), or not
    (``--no-notebooks``); ``None``: those of a ``kind: notebook`` project.
    """
    meta = project.meta
    if meta is None:
        return Plan(
            project.slug,
            project.path,
            not_runnable="front matter is missing or invalid; run folio check",
        )
    commands = meta.run_commands
    nbs: tuple[tuple[Path, str], ...] = ()
    if executes_notebooks(project, notebooks):
        nbs = tuple((nb.path, nb.rel) for nb in runnable_notebooks(portfolio, project, cfg))
    if not commands and not nbs:
        return Plan(project.slug, project.path, not_runnable=_nothing_to_run(project, notebooks))
    timeout = meta.timeout or cfg.run.timeout
    requirements: Path | None = None
    error: str | None = None
    if meta.requirements:
        candidate = project.path / meta.requirements
        if not is_inside(candidate, cfg.root.resolve()):
            error = f"requirements '{meta.requirements}' is outside the repository"
        elif not candidate.is_file():
            error = f"requirements file '{meta.requirements}' not found in {project.rel}"
        else:
            requirements = candidate
    return Plan(
        project.slug, project.path, tuple(commands), requirements, timeout, nbs, error=error
    )


def _nothing_to_run(project: Project, notebooks: bool | None) -> str:
    meta = project.meta
    assert meta is not None
    if meta.run is not None:
        return "'run:' is empty"
    if executes_notebooks(project, notebooks):
        return "no 'run:' and no notebook in the project"
    if project.kind == "code":
        return "no 'run:' in the front matter"
    return f"nothing to run (kind: {project.kind}, no 'run:')"


def runnable_notebooks(portfolio: Portfolio, project: Project, cfg: Config) -> list[Notebook]:
    """The project's notebooks that exist inside the repository (never run what lies outside)."""
    root = cfg.root.resolve()
    return [
        nb for nb in portfolio.notebooks(project) if nb.path.is_file() and is_inside(nb.path, root)
    ]


def report_entry(
    portfolio: Portfolio, project: Project, cfg: Config, plan: Plan, result: ProjectResult, old: Any
) -> dict[str, Any]:
    """The report entry of one project after a run: the result, what it did not execute
    (saved error outputs of its notebooks, their earlier results) and whether it shows a badge.
    """
    entry = result.as_dict()
    badge = has_badge(portfolio, project)
    entry["badge"] = badge
    ran = bool(plan.notebooks)
    notebooks = runnable_notebooks(portfolio, project, cfg) if project.meta is not None else []
    if not ran and badge:  # what the notebooks hold counts against the badge of what runs
        saved = _saved_errors(notebooks)
        if saved:
            entry["steps"] = [*entry["steps"], *saved]
            if entry["status"] != Status.FAILING:
                first = saved[0]
                entry["status"], entry["reason"] = Status.FAILING.value, first["reason"]
                entry["message"], entry["log_tail"] = first["message"], ""
    return merge_entry(old, entry, notebooks_ran=ran, notebooks=[nb.rel for nb in notebooks])


def _saved_errors(notebooks: Sequence[Notebook]) -> list[dict[str, Any]]:
    """A failing step for each notebook not run that holds an error output (its first)."""
    from repofolio.raised import raised_in_file

    steps = []
    for nb in notebooks:
        raised = raised_in_file(nb.path)
        if raised:
            steps.append(
                {
                    "kind": "notebook",
                    "name": nb.rel,
                    "status": Status.FAILING.value,
                    "returncode": None,
                    "duration": 0.0,
                    "timed_out": False,
                    "reason": Reason.NOTEBOOK_FAILED.value,
                    "message": f"{nb.rel}: {raised[0].text} (a saved error output)",
                    "cell": raised[0].cell,
                    "seen": "saved outputs",
                }
            )
    return steps


def select_projects(portfolio: Portfolio, slugs: Sequence[str]) -> list[Project]:
    """The projects named by slug or folder (``projects/x`` works too); all when none."""
    if not slugs:
        return list(portfolio.projects)
    known = {p.slug: p for p in portfolio.projects}
    chosen: list[Project] = []
    for raw in slugs:
        slug = Path(raw.rstrip("/")).name if raw.strip("/") else raw
        if slug not in known:
            names = ", ".join(sorted(known)) or "none"
            raise FolioError(f"unknown project '{raw}'; projects: {names}")
        if known[slug] not in chosen:
            chosen.append(known[slug])
    return chosen


class StderrProgress:
    """One line per event on stderr; thread-safe (projects run in parallel with --jobs).

    On a terminal, a rich progress bar over the projects instead, with the current step.
    """

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.done = 0
        self.lock = threading.Lock()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> StderrProgress:
        if not self.quiet and self.total and _is_tty(self.stream):
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("folio run"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
            )
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, slug: str, message: str) -> None:
        if self.quiet:
            return
        with self.lock:
            if self.bar is not None:
                self.bar.update(self.task, description=f"{slug}: {message}"[:80])
                return
            self.stream.write(f"folio run: [{self.done}/{self.total}] {slug}: {message}\n")
            self.stream.flush()

    def finished(self, result: ProjectResult) -> None:
        with self.lock:
            self.done += 1
            line = f"{result.slug}: {result.status} ({result.duration:.1f} s)"
            if self.bar is not None:
                self.bar.console.print(line, markup=False, highlight=False)
                self.bar.advance(self.task)
            elif not self.quiet:
                self.stream.write(f"folio run: [{self.done}/{self.total}] {line}\n")
                self.stream.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_text(entries: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    for slug, e in entries.items():
        reused = " reused env" if e.get("env_reused") else ""
        ran = e["status"] != Status.NOT_RUNNABLE
        timing = f" [{float(e.get('duration') or 0):.1f} s{reused}]" if ran else ""
        lines.append(f"{slug}: {e['status']}: {e['message']}{timing}")
        if e["status"] == Status.FAILING and e.get("log_tail"):
            log = str(e["log_tail"]).splitlines()
            if len(log) > TEXT_TAIL + 1:  # the command line, then the last lines
                log = [
                    log[0],
                    f"[... the last {TEXT_TAIL} lines; the report has more ...]",
                    *log[-TEXT_TAIL:],
                ]
            lines.extend("    " + ln for ln in log)
    return "\n".join(lines) + ("\n" if lines else "")


def run(
    cfg: Config,
    slugs: Sequence[str],
    *,
    notebooks: bool | None = None,
    jobs: int | None = None,
    fmt: str = "text",
    quiet: bool = False,
    out: TextIO | None = None,
) -> int:
    if os.name != "posix":
        raise FolioError("folio run needs a POSIX system (process groups); use WSL on Windows")
    out = out or sys.stdout
    portfolio = load_portfolio(cfg)
    projects = select_projects(portfolio, slugs)
    plans = [plan_project(portfolio, p, cfg, notebooks=notebooks) for p in projects]
    jobs = jobs if jobs is not None else cfg.run.jobs
    jobs = jobs or (os.cpu_count() or 1)
    env_dir = (cfg.root / cfg.run.env_dir).resolve()
    settings = Settings(env_dir, cfg.run.tail_lines, cfg.run.install_timeout)
    progress = StderrProgress(len(plans), quiet=quiet)
    start = time.monotonic()

    def one(plan: Plan) -> ProjectResult:
        result = run_project(plan, settings, progress)
        progress.finished(result)
        return result

    with progress:
        if jobs <= 1 or len(plans) <= 1:
            results = [one(p) for p in plans]
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(jobs, len(plans))) as pool:
                results = list(pool.map(one, plans))
    earlier = read_report(cfg)["projects"]
    by_slug = {p.slug: p for p in projects}
    entries = {
        r.slug: report_entry(portfolio, by_slug[r.slug], cfg, plan, r, earlier.get(r.slug))
        for plan, r in zip(plans, results, strict=True)
    }
    try:
        path = write_report(cfg, entries, python=python_tag())
    except OSError as exc:
        raise FolioError(
            f"{cfg.run.report}: cannot write the run report: {exc.strerror or exc}"
        ) from None
    if fmt == "json":
        out.write(json.dumps(entries, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(format_text(entries))
    failed = sum(e["status"] == Status.FAILING for e in entries.values())
    if not quiet:
        counts = {s.value: sum(e["status"] == s for e in entries.values()) for s in Status}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no projects"
        rel = path.relative_to(cfg.root) if path.is_relative_to(cfg.root) else path
        sys.stderr.write(
            f"folio run: {summary} in {time.monotonic() - start:.1f} s; "
            f"report: {rel.as_posix() if isinstance(rel, Path) else rel}\n"
        )
    return 1 if failed else 0


def prune(
    cfg: Config,
    *,
    check: bool = False,
    fmt: str = "text",
    quiet: bool = False,
    out: TextIO | None = None,
) -> int:
    """``folio run --prune``: remove the environments no project uses now; runs nothing.

    With ``check``, remove nothing: list what would go, exit 1 if anything would.
    """
    if os.name != "posix":
        raise FolioError("folio run needs a POSIX system (file locks); use WSL on Windows")
    out = out or sys.stdout
    portfolio = load_portfolio(cfg)
    in_use: set[Usage] = set()
    for project in portfolio.projects:
        plan = plan_project(portfolio, project, cfg, notebooks=True)
        if plan.not_runnable or plan.error:
            continue
        try:
            if plan.commands:  # `folio run`
                in_use.add(env_usage(plan.requirements))
            if plan.notebooks:  # `folio run --notebooks`: the same requirements and a kernel
                in_use.add(env_usage(plan.requirements, KERNEL_EXTRAS))
        except OSError:
            continue  # an unreadable requirements file: no environment can be its
    env_dir = (cfg.root / cfg.run.env_dir).resolve()
    result = prune_envs(env_dir, in_use, dry_run=check)
    removed = result.removed
    verb = "would remove" if check else "removed"
    if fmt == "json":
        payload = {
            verb.replace(" ", "_"): [
                {"env": r.name, "reason": r.reason, "bytes": r.size} for r in removed
            ],
            "kept": result.kept,
            "errors": result.errors,
        }
        out.write(json.dumps(payload, indent=2) + "\n")
    else:
        for r in removed:
            out.write(f"{verb} {r.name}: {r.reason} ({_megabytes(r.size)})\n")
    for error in result.errors:
        sys.stderr.write(f"folio run --prune: cannot remove {error}\n")
    if not quiet:
        freed = sum(r.size for r in removed)
        sys.stderr.write(
            f"folio run --prune: {verb} {len(removed)} environment"
            f"{'s' if len(removed) != 1 else ''} ({_megabytes(freed)}), kept {len(result.kept)}\n"
        )
    return 1 if result.errors or (check and removed) else 0


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"
