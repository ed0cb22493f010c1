"""Code and text sources: trailing whitespace, one final newline, and ruff format in batches.

ruff runs as one subprocess per batch (the ``ruff`` binary of the ruff package; it has no
Python API): ``.py`` sources and notebook code cells are copied into a temporary folder,
formatted there, and read back, so ``--check`` and ``--diff`` share the fixing path and the
owner's files are written only by our atomic writer. Code cells go in as small notebooks,
which ruff formats cell by cell and whose IPython magics and shell lines it understands; a
notebook with a cell ruff cannot parse is retried one cell at a time, and that cell is kept
as written.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tempfile

# json, shutil, subprocess and tempfile are imported where ruff runs: `folio check` uses
# only the whitespace tidying here, and those four cost it ~8 ms to import.

_TRAILING = re.compile(r"[ \t]+(?=\r?\n|\Z)")
_MD_HARD_BREAK = re.compile(r"(?<=\S)( {2,})(?=\r?\n)")
_FAILED = re.compile(r"Failed to parse (?:[^\n]*?[/\\])?([nr]\d+(?:c\d+)?\.ipynb|f\d+\.py)")
RUFF_CONFIGS = ("ruff.toml", ".ruff.toml", "pyproject.toml")


def tidy_text(text: str, *, markdown: bool = False) -> str:
    """Strip trailing spaces and tabs; end a non-empty file with exactly one newline.

    In Markdown two trailing spaces are a hard line break, so they are kept (as two).
    """
    if not text:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    if markdown:
        text = _MD_HARD_BREAK.sub("\0\0", text)  # protect, strip the rest, restore
        text = _TRAILING.sub("", text).replace("\0\0", "  ")
    else:
        text = _TRAILING.sub("", text)
    stripped = text.rstrip("\r\n")
    if not stripped.strip():
        return ""
    return stripped + newline


def tidy_lines(source: str) -> str:
    """Trailing whitespace off every line of a cell (a cell has no final newline to add)."""
    return _TRAILING.sub("", source)


def ruff_command() -> list[str] | None:
    """The ruff binary of the ruff package in this environment, else one on PATH."""
    import sysconfig

    names = ("ruff.exe", "ruff") if os.name == "nt" else ("ruff",)
    folders = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    for folder in folders:
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return [str(candidate)]
    import shutil

    found = shutil.which("ruff")
    return [found] if found else None


class ConfigFinder:
    """The nearest ruff configuration of a folder (ruff's own search), cached per folder.

    200 projects share their parents, and reading the root pyproject.toml once per project
    folder showed up in the benchmark; so did pathlib (half of starting ruff), hence plain
    strings. One finder per run: a configuration written since the last run counts.
    """

    def __init__(self, root: Path) -> None:
        self.root = os.fspath(root)
        self.below = self.root if self.root.endswith(os.sep) else self.root + os.sep
        self.cache: dict[str, Path | None] = {}

    def find(self, folder: str) -> Path | None:
        chain = []
        found = None
        while True:
            if folder in self.cache:
                found = self.cache[folder]
                break
            chain.append(folder)
            found = self._here(folder)
            if found is not None or folder == self.root or not folder.startswith(self.below):
                break
            folder = os.path.dirname(folder)
        for seen in chain:  # a folder without a configuration has its parent's
            self.cache[seen] = found
        return found

    @staticmethod
    def _here(folder: str) -> Path | None:
        for name in RUFF_CONFIGS:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _has_ruff_table(Path(candidate)):
                    return Path(candidate)
        return None


def _has_ruff_table(path: Path) -> bool:
    try:
        return "[tool.ruff" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


@dataclass
class FormatJob:
    """What to format under one ruff configuration."""

    config: Path | None
    files: dict[str, str] = field(default_factory=dict)  # key -> Python source
    notebooks: dict[str, list[str]] = field(default_factory=dict)  # key -> code cell sources


@dataclass
class FormatResult:
    """What ruff formatted, by key, or the problem that stopped it."""

    files: dict[str, str] = field(default_factory=dict)  # key -> formatted source
    cells: dict[str, list[str]] = field(default_factory=dict)  # key -> formatted cell sources
    problem: str | None = None  # ruff missing or crashed
    problem_config: Path | None = None  # the ruff configuration ruff was run with then


def run_ruff(jobs: Sequence[FormatJob]) -> FormatResult:
    """Format every job's sources with ruff; unparsable sources come back unchanged."""
    return RuffRun(jobs).result()


NOTEBOOK_CHUNKS = 4  # at most, one ruff process each (and one a core); a few big beat many small


class RuffRun:
    """ruff started in the background: the caller validates notebooks while it formats.

    Code cells of many notebooks travel together in a few temporary notebooks (ruff formats
    each cell on its own), so the temporary files do not cost more than the formatting. A
    chunk with a cell ruff cannot parse is retried notebook by notebook, then cell by cell.

    Each chunk goes through ``ruff format -`` (stdin to stdout) in a process of its own:
    ruff writes a formatted notebook *file* one byte per system call (0.17: 300,000 writes,
    about half a second of system time, for 200 notebooks); to stdout it writes a line at a
    time. ``.py`` files are formatted in place, in one process (ruff writes those whole).
    """

    def __init__(self, jobs: Sequence[FormatJob], *, threads: int | None = None) -> None:
        self.out = FormatResult()
        self.env = None
        if threads:  # one ruff per worker process: rayon's default of one thread per core
            self.env = {**os.environ, "RAYON_NUM_THREADS": str(threads)}  # oversubscribes
        self.jobs = [job for job in jobs if job.files or job.notebooks]
        self.ruff = ruff_command() if self.jobs else None
        self.tmp: tempfile.TemporaryDirectory[str] | None = None
        self.running: list[
            tuple[FormatJob, Path, dict[str, str], dict[str, list[str]], Any, dict[str, Any]]
        ]
        self.running = []
        if not self.jobs:
            return
        if self.ruff is None:
            self.out.problem = "ruff is not installed; code was not formatted"
            return
        prepared = None
        for parent in scratch_parents():
            try:
                import tempfile

                self.tmp = tempfile.TemporaryDirectory(prefix="folio-ruff-", dir=parent)
                prepared = [
                    self._write(Path(self.tmp.name) / f"j{number}", job, threads)
                    for number, job in enumerate(self.jobs)
                ]
                break
            except OSError as exc:  # a full RAM disk: try the next place
                self.out.problem = f"cannot write ruff's temporary files: {exc}"
                if self.tmp is not None:
                    self.tmp.cleanup()
                    self.tmp = None
        if prepared is None:
            return
        self.out.problem = None
        for job, (folder, names, chunks) in zip(self.jobs, prepared, strict=True):
            proc = _start(self.ruff, job.config, folder, list(names), self.env)
            piped = {
                name: _start_stdin(self.ruff, job.config, folder, name, self.env) for name in chunks
            }
            self.running.append((job, folder, names, chunks, proc, piped))

    @staticmethod
    def _write(
        folder: Path, job: FormatJob, threads: int | None
    ) -> tuple[Path, dict[str, str], dict[str, list[str]]]:
        folder.mkdir()
        names = {}
        for i, (key, source) in enumerate(job.files.items()):
            name = f"f{i}.py"
            (folder / name).write_text(source, encoding="utf-8", newline="")
            names[name] = key
        keys = list(job.notebooks)
        chunks: dict[str, list[str]] = {}
        count = min(threads or _cores(), NOTEBOOK_CHUNKS, len(keys))
        for c in range(count):
            members = keys[c::count]
            name = f"n{c}.ipynb"
            cells = [source for key in members for source in job.notebooks[key]]
            (folder / name).write_text(_notebook_json(cells), encoding="utf-8")
            chunks[name] = members
        return folder, names, chunks

    def result(self) -> FormatResult:
        try:
            for job, folder, names, chunks, proc, piped in self.running:
                failed, problem = _wait(proc, list(names))
                for name, chunk_proc in piped.items():
                    if not _wait_stdin(chunk_proc):
                        failed.add(name)  # retried notebook by notebook, then cell by cell
                if problem and not self.out.problem:
                    self.out.problem, self.out.problem_config = problem, job.config
                self._collect(job, folder, names, chunks, failed)
        finally:
            self.running = []
            if self.tmp is not None:
                self.tmp.cleanup()
                self.tmp = None
        return self.out

    def _collect(
        self,
        job: FormatJob,
        folder: Path,
        names: dict[str, str],
        chunks: dict[str, list[str]],
        failed: set[str],
    ) -> None:
        result = self.out
        for name, key in names.items():
            if name not in failed:
                with open(folder / name, encoding="utf-8", newline="") as fh:
                    result.files[key] = fh.read()
        retry: list[str] = []
        for name, members in chunks.items():
            if name in failed:
                retry.extend(members)
                continue
            originals = [source for key in members for source in job.notebooks[key]]
            formatted = _read_cells(folder / f"{name}.out", originals)
            for key in members:
                count = len(job.notebooks[key])
                result.cells[key], formatted = formatted[:count], formatted[count:]
        if retry:
            self._retry(job, folder, retry)

    def _retry(self, job: FormatJob, folder: Path, keys: list[str]) -> None:
        assert self.ruff is not None
        result = self.out
        singles = {}
        for i, key in enumerate(keys):
            name = f"r{i}.ipynb"
            (folder / name).write_text(_notebook_json(job.notebooks[key]), encoding="utf-8")
            singles[name] = key
        failed, problem = _wait(
            _start(self.ruff, job.config, folder, list(singles), self.env), list(singles)
        )
        result.problem = result.problem or problem
        cells: dict[str, tuple[str, int]] = {}
        for name, key in singles.items():
            sources = job.notebooks[key]
            if name not in failed:
                result.cells[key] = _read_cells(folder / name, sources)
                continue
            result.cells[key] = list(sources)
            for c, source in enumerate(sources):  # one cell a notebook: only the bad cell stays
                single = f"{name[:-6]}c{c}.ipynb"
                (folder / single).write_text(_notebook_json([source]), encoding="utf-8")
                cells[single] = (key, c)
        if cells:
            failed, problem = _wait(
                _start(self.ruff, job.config, folder, list(cells), self.env), list(cells)
            )
            result.problem = result.problem or problem
            for single, (key, c) in cells.items():
                if single not in failed:
                    result.cells[key][c] = _read_cells(folder / single, [result.cells[key][c]])[0]


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def scratch_parents() -> list[str | None]:
    """Where ruff's short-lived copies go: a RAM disk first, then the usual temp folder.

    Hundreds of small files are created, rewritten by ruff, read and deleted within a second;
    on a disk file system that cost 0.2 s of system time for 200 projects, on tmpfs almost
    none. A TMPDIR the user set is respected as it is.
    """
    if os.environ.get("TMPDIR") or not sys.platform.startswith("linux"):
        return [None]
    found: list[str | None] = []
    for folder in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):  # noqa: S108 - private dir made below
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            found.append(folder)
    return [*found, None]


def _start(
    ruff: list[str],
    config: Path | None,
    folder: Path,
    names: list[str],
    env: dict[str, str] | None = None,
) -> Any:
    if not names:
        return None
    import subprocess

    settings = ["--config", str(config)] if config else ["--isolated"]
    try:
        return subprocess.Popen(
            [*ruff, "format", "--no-cache", *settings, *names],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as exc:
        return exc


def _start_stdin(
    ruff: list[str],
    config: Path | None,
    folder: Path,
    name: str,
    env: dict[str, str] | None = None,
) -> Any:
    """``ruff format -`` on one notebook: ``name`` in, ``name.out`` out (see RuffRun)."""
    import subprocess

    settings = ["--config", str(config)] if config else ["--isolated"]
    try:
        with open(folder / name, "rb") as src, open(folder / f"{name}.out", "wb") as out:
            return subprocess.Popen(
                [*ruff, "format", "--no-cache", *settings, "--stdin-filename", name, "-"],
                cwd=folder,
                env=env,
                stdin=src,
                stdout=out,
                stderr=subprocess.PIPE,  # its end wakes communicate(), where wait() polls
            )
    except OSError:
        return None


def _wait_stdin(proc: Any) -> bool:
    """True when ruff formatted the notebook (its output is complete)."""
    import subprocess

    if proc is None:
        return False
    try:
        proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return False
    return proc.returncode == 0  # type: ignore[no-any-return]


def _wait(proc: Any, names: list[str]) -> tuple[set[str], str | None]:
    import subprocess

    if proc is None:
        return set(), None
    if isinstance(proc, OSError):
        return set(names), f"ruff could not run: {proc}"
    try:
        _, stderr = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return set(names), "ruff format timed out"
    failed = set(_FAILED.findall(stderr))
    if proc.returncode not in (0, 1) and not failed:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()] or ["no output"]
        why = f"{lines[0]} ({lines[-1]})" if len(lines) > 1 else lines[0]  # first and last say most
        return set(names), f"ruff format failed: {why}"
    return failed, None


def _notebook_json(cells: list[str]) -> str:
    import json

    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb)


def _read_cells(path: Path, fallback: list[str]) -> list[str]:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cells = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in data["cells"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return list(fallback)
    return cells if len(cells) == len(fallback) else list(fallback)
