"""Which files the repository has: git's view (tracked + untracked, not ignored), else a walk.

A light module (no pydantic, no model) so `folio clean` and `folio check` share it without
paying for each other's imports. Folders are walked with an explicit stack (1,200 nested
folders make os.walk and rglob recurse too deep) and symlinked folders are never entered.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from stat import S_ISDIR

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".ipynb_checkpoints",
        "site",
        ".folio-cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)


def list_files(
    root: Path, folders: Sequence[str] = (), skip: frozenset[str] = SKIP_DIRS
) -> list[str]:
    """Repo-relative POSIX paths under ``folders`` (all when empty), sorted, existing only."""
    if (root / ".git").exists():
        import subprocess  # not for a folder outside git

        try:
            out = subprocess.run(
                [
                    "git",
                    "-C",
                    str(root),
                    "ls-files",
                    "-z",
                    "--cached",
                    "--others",
                    "--exclude-standard",
                    "--",
                    *folders,
                ],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout
        except (subprocess.SubprocessError, OSError):
            pass
        else:
            names = sorted({n for n in out.decode("utf-8", "surrogateescape").split("\0") if n})
            top = os.fspath(root)
            lexists, join = os.path.lexists, os.path.join  # strings: no Path per file
            return [n for n in names if lexists(join(top, n))]
    found: list[str] = []
    top = os.fspath(root)
    for folder in folders or (".",):
        whole = folder in (".", "")
        base = top if whole else os.path.join(top, folder)
        try:  # one call a folder, strings not Paths: a check lists one folder a project
            mode = os.stat(base).st_mode if whole else os.lstat(base).st_mode
        except OSError:
            continue
        if S_ISDIR(mode):  # lstat: a symlinked folder is not entered, as in the walk
            prefix = "" if whole else folder.rstrip("/") + "/"
            found.extend(prefix + name for name in walk_files(base, skip))
    return sorted(set(found))


def walk_files(root: str | os.PathLike[str], skip: frozenset[str] = SKIP_DIRS) -> list[str]:
    """Every file below ``root`` without recursion and without following symlinked folders."""
    found: list[str] = []
    stack = [(os.fspath(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip:
                        stack.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
                    found.append(prefix + entry.name)
            except OSError:
                continue
    return sorted(found)
