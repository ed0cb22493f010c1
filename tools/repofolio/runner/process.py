"""A command in its own process group, with bounded output, killed whole at its timeout.

Every command runs in a new session (its own process group), stdin closed, stdout and stderr
read together into a :class:`Tail` of the last 64 KB, whatever the command prints. At the
timeout the whole group gets SIGTERM, then SIGKILL; after a normal exit, stragglers left in
the group are killed too.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TAIL_BYTES = 64 * 1024  # raw bytes kept per step, whatever the command prints
LINE_CHARS = 500  # one line of the tail, at most
KILL_GRACE = 2.0  # seconds between SIGTERM and SIGKILL
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
ERROR_LINE = re.compile(
    r"^\s*(?:E\s+)?([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)|ERROR|FAILED|error)\b[:\s].*"
)
FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')


class Tail:
    """The last ``max_bytes`` bytes of a stream, and how much came before them."""

    def __init__(self, max_bytes: int = TAIL_BYTES) -> None:
        self.max_bytes = max_bytes
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self.total = 0
        self._lock = threading.Lock()

    def feed(self, data: bytes) -> None:
        with self._lock:
            self.total += len(data)
            if len(data) >= self.max_bytes:
                self._chunks.clear()
                self._chunks.append(data[-self.max_bytes :])
                self._size = self.max_bytes
                return
            self._chunks.append(data)
            self._size += len(data)
            while self._size - len(self._chunks[0]) >= self.max_bytes:
                self._size -= len(self._chunks.popleft())

    @property
    def kept(self) -> int:
        """Bytes held now (at most ``max_bytes`` plus one chunk)."""
        with self._lock:
            return self._size

    @property
    def dropped(self) -> int:
        with self._lock:
            return max(0, self.total - self._size)

    def lines(self, n: int) -> list[str]:
        """The last ``n`` lines, ANSI colours removed, carriage-return progress collapsed."""
        with self._lock:
            data = b"".join(self._chunks)
        text = codecs.decode(data, "utf-8", "replace")
        out: list[str] = []
        for raw in ANSI.sub("", text).split("\n"):
            line = raw.rstrip("\r").rsplit("\r", 1)[-1].rstrip()
            if len(line) > LINE_CHARS:
                line = line[:LINE_CHARS] + f" [... {len(line) - LINE_CHARS} more characters]"
            out.append(line)
        while out and not out[-1]:
            out.pop()
        return out[-n:] if n else []

    def text(self, n: int) -> str:
        """The last ``n`` lines, with a first line saying when earlier output was left out."""
        every = self.lines(10**9)
        lines = every[-n:] if n else []
        if self.dropped or len(every) > len(lines):
            size = f"{self.total / 1e6:.1f} MB" if self.total >= 1e6 else f"{self.total} bytes"
            lines.insert(0, f"[... {size} of output; the last {len(lines)} lines ...]")
        return "\n".join(lines)


def _pump(stream: IO[bytes], tail: Tail) -> None:
    fd = stream.fileno()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        tail.feed(chunk)


@dataclass
class ProcessResult:
    returncode: int | None  # None: killed at the timeout, or never started
    duration: float
    timed_out: bool
    error: str | None = None  # could not start at all

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and self.error is None


def kill_group(
    pgid: int, leader: subprocess.Popen[bytes] | None = None, grace: float = KILL_GRACE
) -> None:
    """SIGTERM the process group, give it ``grace`` seconds, then SIGKILL what is left."""
    try:
        os.killpg(pgid, signal.SIGTERM if grace else signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    if not grace:
        return
    deadline = time.monotonic() + grace
    if leader is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            leader.wait(grace)
    while time.monotonic() < deadline and _group_alive(pgid):
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def run_process(
    cmd: str | Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    tail: Tail,
    on_timeout: Callable[[], None] | None = None,
) -> ProcessResult:
    """Run ``cmd`` (a string goes through ``/bin/sh -c``) in its own process group.

    Output (stdout and stderr, interleaved) goes into ``tail``; at ``timeout`` the whole group
    is killed and ``on_timeout`` runs (to kill processes that left the group, like kernels).
    """
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            cmd if isinstance(cmd, str) else list(cmd),
            shell=isinstance(cmd, str),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a new process group: a timeout kills children too
        )
    except OSError as exc:
        return ProcessResult(None, time.monotonic() - start, False, f"cannot start: {exc}")
    assert proc.stdout is not None
    reader = threading.Thread(target=_pump, args=(proc.stdout, tail), daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        if on_timeout is not None:
            on_timeout()
        kill_group(proc.pid, proc)
        proc.wait()
    except BaseException:  # Ctrl-C: leave nothing running behind
        kill_group(proc.pid, proc, grace=0)
        proc.wait()
        raise
    finally:
        # Stragglers (a background child still holding the pipe) would block the reader.
        kill_group(proc.pid, None, grace=0)
    reader.join(5)
    proc.stdout.close()
    duration = time.monotonic() - start
    return ProcessResult(None if timed_out else proc.returncode, duration, timed_out)


def error_line(tail_text: str, folder: Path | None = None) -> str | None:
    """The most useful line of a failure's output: the last exception or ERROR line.

    For a traceback through the project's own files, ``(file.py:LINE)`` of the last frame in
    the project is added: the place to look first.
    """
    lines = [ln for ln in tail_text.splitlines() if ln.strip()]
    for at in range(len(lines) - 1, -1, -1):
        line = lines[at]
        if not ERROR_LINE.match(line) or line.lstrip().startswith("[..."):
            continue
        text = line.strip()
        text = text[2:].strip() if text.startswith("E ") else text
        text = text[:300]
        if folder is not None:
            where = _last_frame(lines[:at], folder)
            if where:
                text += f" ({where})"
        return text
    return None


def _last_frame(lines: list[str], folder: Path) -> str | None:
    for line in reversed(lines[-60:]):
        match = FRAME.match(line)
        if match is None:
            continue
        file = Path(match["file"])
        file = file if file.is_absolute() else folder / file
        try:
            rel = file.resolve().relative_to(folder.resolve()).as_posix()
        except (ValueError, OSError):
            continue
        return f"{rel}:{match['line']}"
    return None
