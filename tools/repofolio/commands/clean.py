"""``folio clean``: pick the files, run the cleaning pipeline, report, set the exit code.

Files come from git (tracked and untracked-not-ignored, like ``Portfolio.files``) through one
``git ls-files`` limited to the paths asked for; this module does not load the Portfolio
model, whose pydantic import alone would spend the 0.3 s budget of cleaning one notebook.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from repofolio.clean.engine import SKIP_PARTS, Settings, Target, wanted
from repofolio.clean.engine import run as run_engine
from repofolio.config import Config
from repofolio.diagnostics import Report
from repofolio.errors import FolioError
from repofolio.files import list_files
from repofolio.fsio import is_inside


def run(
    cfg: Config,
    paths: Sequence[Path],
    *,
    check_only: bool = False,
    diff: bool = False,
    fix_paths: bool = False,
    fmt: str = "text",
    update_baseline: bool = False,
    quiet: bool = False,
) -> int:
    from repofolio.reporters import emit

    targets = select_targets(cfg, paths)
    settings = Settings(
        check=check_only or update_baseline,
        fix_paths=(fix_paths or cfg.clean.fix_paths) and not update_baseline,
        format_code=cfg.clean.format_code,
    )
    diff_out = (sys.stdout if fmt == "text" else sys.stderr) if diff else None
    outcome = run_engine(
        cfg, targets, settings, diff_out=diff_out, chatter=None if quiet else sys.stderr
    )
    report = Report(outcome.diagnostics, fatal=outcome.fatal)
    if update_baseline:
        return _update_baseline(cfg, outcome)
    if not check_only:
        report.files_changed = list(outcome.changed)
    n = len(outcome.changed)
    verb = "would be cleaned" if check_only else "cleaned"
    summary = f"{len(targets)} files checked, {n} {verb}"
    if outcome.secrets:
        summary += f", {len(outcome.secrets)} possible secrets (shown masked)"
    if report.fatal:
        summary += ", some notebooks could not be processed (left as they were)"
    emit(report, fmt, summary=summary + ".", quiet=quiet)
    return report.exit_code


def _update_baseline(cfg: Config, outcome: object) -> int:
    from repofolio.clean import secrets as secretmod
    from repofolio.fsio import write_if_changed

    path = cfg.root / cfg.clean.secrets_baseline
    old = secretmod.load_baseline(path)
    found = getattr(outcome, "secrets", [])
    text = secretmod.baseline_json(found, old)
    previous = path.read_text(encoding="utf-8") if path.is_file() else None
    write_if_changed(path, text, previous)
    sys.stderr.write(f"Accepted {len(found)} findings in {cfg.clean.secrets_baseline}\n")
    return 0


def select_targets(cfg: Config, paths: Sequence[Path]) -> list[Target]:
    """The files to clean: PATHS (files as given, folders through git), else the projects."""
    root = cfg.root.resolve()
    exts = cfg.clean.extensions
    explicit: list[str] = []
    folders: list[str] = []
    for given in paths:
        absolute = given if given.is_absolute() else Path.cwd() / given
        if not absolute.exists() and not absolute.is_symlink():
            raise FolioError(f"{given}: no such file or folder")
        parent = absolute.parent.resolve()
        if not is_inside(parent, root):
            raise FolioError(f"{given}: outside the repository {root}")
        rel = (parent / absolute.name).relative_to(root).as_posix() if absolute.name else "."
        if absolute.is_dir() and not absolute.is_symlink():
            folders.append(rel)
        else:
            explicit.append(rel)
    if not paths:
        folders = [cfg.projects_dir]
    names = set(explicit)
    if folders:
        names.update(list_files(root, folders, SKIP_PARTS))
    projects = cfg.projects_dir.strip("/") + "/"
    targets = []
    for name in sorted(names):
        if name not in explicit and not wanted(name, exts):
            continue
        if name in explicit and not (wanted(name, exts) or name.endswith(".ipynb")):
            continue
        if name.startswith(projects) and name.count("/") >= 2:
            project = "/".join(name.split("/")[:2])
        else:
            project = name.rsplit("/", 1)[0] if "/" in name else "."
        targets.append(Target(name, project))
    return targets
