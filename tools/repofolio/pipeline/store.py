"""The pipeline's one JSON file: read strictly, written atomically, one writer at a time.

JSON, not YAML: the standard library reads it (the site build reads the names without
PyYAML), and ``indent=2`` with a stable key order diffs well in a private backup repository.
A write goes to a temporary file in the same folder, then ``os.replace`` (fsio): a process
killed mid-write leaves the old store or the new one, never half. A lock file keeps two
``folio apply`` commands from losing each other's change. The file is made ``0600`` and its
folder ``0700``: it names companies and people.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from repofolio.errors import FolioError
from repofolio.fsio import read_text, write_if_changed
from repofolio.pipeline.model import Pipeline, from_dict

LOCK_WAIT = 10.0  # seconds to wait for another folio apply to finish


def shown(path: Path) -> str:
    home = Path.home()
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return path.as_posix()


def load(path: Path) -> Pipeline:
    """The pipeline in ``path``; an empty one when the file does not exist yet."""
    if not path.exists() and not path.is_symlink():
        return Pipeline()
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{shown(path)}: {result.problem}; the store was not changed")
    try:
        data = json.loads(result.text)
    except json.JSONDecodeError as exc:
        raise FolioError(
            f"{shown(path)}:{exc.lineno}: not valid JSON ({exc.msg}); the store was not changed"
        ) from None
    return from_dict(data, shown(path))


def dumps(pipeline: Pipeline) -> str:
    return json.dumps(pipeline.as_dict(), indent=2, ensure_ascii=False) + "\n"


def save(path: Path, pipeline: Pipeline, old: str | None = None) -> bool:
    """Write the pipeline atomically when it changed; True when written."""
    text = dumps(pipeline)
    new_file = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = write_if_changed(path, text, old)
    if written and new_file:
        os.chmod(path, 0o600)  # write_if_changed makes new files 0644; this one is private
    return written


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the store's lock file (POSIX ``flock``; no lock where there is none)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one user, one terminal
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a+b") as fh:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise FolioError(
                        f"{shown(path)} is in use by another folio command; try again"
                    ) from None
                time.sleep(0.05)
        try:
            _drop_leftovers(path)
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _drop_leftovers(path: Path) -> None:
    """Temporary files of a write that was killed before its rename (we hold the lock)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def editing(path: Path) -> Iterator[Pipeline]:
    """Load under the lock, let the caller change the pipeline, save it when it changed.

    Nothing is written when the body raises: a command that fails changes nothing.
    """
    with locked(path):
        before = path.read_text(encoding="utf-8") if path.is_file() else None
        pipeline = load(path)
        yield pipeline
        save(path, pipeline, before)
