"""Which files the repository has: git's view in a repository, a safe walk elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from repofolio.files import list_files


def _tree(root: Path) -> None:
    (root / ".gitignore").write_text("*.ckpt\n")
    (root / "projects/a/src").mkdir(parents=True)
    (root / "projects/a/README.md").write_text("# A\n")
    (root / "projects/a/src/train.py").write_text("print(1)\n")
    (root / "projects/a/model.ckpt").write_bytes(b"\0")
    (root / "projects/b").mkdir()
    (root / "projects/b/README.md").write_text("# B\n")
    (root / "projects/not-a-folder").write_text("a file where a folder was asked\n")


def test_git_view_leaves_out_ignored_files(repo: Path) -> None:
    _tree(repo)
    assert list_files(repo, ["projects/a", "projects/b"]) == [
        "projects/a/README.md",
        "projects/a/src/train.py",
        "projects/b/README.md",
    ]


def test_without_git_the_walk_lists_the_folders(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x\n")
    os.symlink(outside, repo / "projects/linked")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no git on PATH: the listing still works
    listed = list_files(repo, ["projects/a", "projects/linked", "projects/not-a-folder", "nope"])
    # every file of the folder (no .gitignore without git), a symlinked folder never entered,
    # a file or a missing path asked for as a folder skipped
    assert listed == ["projects/a/README.md", "projects/a/model.ckpt", "projects/a/src/train.py"]
    whole = list_files(repo)
    assert "projects/b/README.md" in whole and not any("secret" in f for f in whole)
