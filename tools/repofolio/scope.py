"""Which projects a command covers: the folders under ``projects/``, narrowed by PATH arguments.

Light on purpose (no pydantic, no YAML): ``folio check`` decides how to split the work before
the heavy modules load, so forked workers import them side by side instead of one after the
other.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import rel


def project_entries(
    cfg: Config, only: Sequence[str | Path], diags: list[Diagnostic]
) -> tuple[list[os.DirEntry[str]], tuple[str, ...]]:
    """The project folders to load, sorted by name, and the repo-relative folders they cover.

    The scope is empty when every project is wanted; a narrowed ``folio check PATH`` lists
    only those folders' files, not the whole repository's.
    """
    wanted = wanted_slugs(cfg, only)
    projects_dir = cfg.projects_path
    if not projects_dir.is_dir():
        return [], ()
    try:
        entries = sorted(os.scandir(projects_dir), key=lambda e: e.name)
    except OSError as exc:
        diags.append(
            Diagnostic(
                cfg.projects_dir, 0, 0, "PR002", f"cannot list the projects folder: {exc.strerror}"
            )
        )
        return [], ()
    chosen = [
        e for e in entries if not e.name.startswith(".") and (wanted is None or e.name in wanted)
    ]
    return chosen, (() if wanted is None else folders_of(cfg, chosen))


def projects_rel(cfg: Config) -> str:
    """The projects folder relative to the repository, "" when it is the repository itself."""
    base = rel(cfg.projects_path, cfg.root)
    return "" if base == "." else base


def folders_of(cfg: Config, entries: Sequence[os.DirEntry[str]]) -> tuple[str, ...]:
    """The repo-relative folders of some project entries."""
    base = projects_rel(cfg)
    return tuple(f"{base}/{e.name}" if base else e.name for e in entries)


def wanted_slugs(cfg: Config, only: Sequence[str | Path]) -> set[str] | None:
    if not only:
        return None
    slugs: set[str] = set()
    base = cfg.projects_path.resolve()
    for item in only:
        path = Path(item)
        path = (Path.cwd() / path) if not path.is_absolute() else path
        try:
            parts = path.resolve().relative_to(base).parts
        except (ValueError, OSError, RuntimeError):
            parts = ()
            try:  # the projects folder itself, or the repository root: everything
                if base.is_relative_to(path.resolve()):
                    return None
            except (OSError, RuntimeError):
                pass
        if parts:
            slugs.add(parts[0])
    return slugs


def journal_wanted(cfg: Config, only: Sequence[str | Path]) -> bool:
    base = (cfg.root / cfg.journal.dir).resolve()
    for item in only:
        path = Path(item).resolve()
        if path == base or base in path.parents or base.is_relative_to(path):
            return True
    return False
