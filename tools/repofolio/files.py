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
from typing import Any

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
    return Listing(root, folders, skip).files()


class Listing:
    """:func:`list_files`, asked of git when made and read when :meth:`files` is called.

    ``folio check`` makes one before it loads its checks, so git lists while Python imports
    them: git's ~5 ms come off a one-project check (of ~110 ms) on a machine with 2 cores.
    """

    def __init__(
        self, root: Path, folders: Sequence[str] = (), skip: frozenset[str] = SKIP_DIRS
    ) -> None:
        self.root, self.folders, self.skip = root, tuple(folders), skip
        self._git: Any = None
        if (root / ".git").exists():
            import subprocess  # not for a folder outside git

            args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
            try:
                self._git = subprocess.Popen(
                    ["git", "-C", str(root), *args, "--", *self.folders],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:  # no git: walk
                self._git = None
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            names = self._from_git()
            self._files = self._walk() if names is None else names
        return self._files

    def _from_git(self) -> list[str] | None:
        if self._git is None:
            return None
        import subprocess

        proc, self._git = self._git, None
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None
        if proc.returncode != 0:
            return None
        names = sorted({n for n in out.decode("utf-8", "surrogateescape").split("\0") if n})
        top = os.fspath(self.root)
        lexists, join = os.path.lexists, os.path.join  # strings: no Path per file
        return [n for n in names if lexists(join(top, n))]

    def _walk(self) -> list[str]:
        found: list[str] = []
        top = os.fspath(self.root)
        for folder in self.folders or (".",):
            whole = folder in (".", "")
            base = top if whole else os.path.join(top, folder)
            try:  # one call a folder, strings not Paths: a check lists one folder a project
                mode = os.stat(base).st_mode if whole else os.lstat(base).st_mode
            except OSError:
                continue
            if S_ISDIR(mode):  # lstat: a symlinked folder is not entered, as in the walk
                prefix = "" if whole else folder.rstrip("/") + "/"
                found.extend(prefix + name for name in walk_files(base, self.skip))
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
