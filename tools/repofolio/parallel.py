"""Split CPU-bound work over forked processes: each child takes a contiguous slice.

Forking after the imports shares the loaded interpreter (pydantic's models, compiled
regexes) with the children for free, where ``spawn`` would import everything again. Each
child pickles its result back through a pipe; a child that dies or fails has its slice redone
in the parent, so a result never goes missing. Where ``fork`` is unsafe or missing (macOS,
Windows) everything runs in the parent.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 4


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a short CPU-bound run, then as it was.

    What such a run builds (parsed write-ups, notebooks as trees of dicts) lives until its
    report, and reference counting frees the rest: the collector would only walk the live
    objects again and again (15% of a 1,000-project check, 8% of cleaning 200 notebooks).
    Forked children inherit the setting.

    On leaving, what the run made is moved to the oldest generation (``gc.freeze()`` then
    ``gc.unfreeze()``: two list splices) before the collector is on again. Left in the
    youngest, where objects made with the collector off stay, the first allocation after
    ``gc.enable()`` walked every one of them: 4.9 ms of a 1,000-project ``folio check``
    (gc callbacks). ``FOLIO_GC_AGE=0`` turns that off; so does anything already frozen, which
    unfreezing would release.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if gc.get_freeze_count() == 0 and os.environ.get("FOLIO_GC_AGE", "") != "0":
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS: fork is unsafe


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def job_count(items: int, per_job: int, configured: int = 0) -> int:
    """Processes for ``items`` pieces of work.

    ``configured`` (a ``jobs`` setting or option) above 0 is taken as asked, up to one
    process a piece; 0 means one per core (at most ``MAX_JOBS``), each with at least
    ``per_job`` pieces, since a process costs more than a few pieces of work.
    """
    if not can_fork() or items < 2:
        return 1
    if configured > 0:
        return min(configured, items)
    return max(1, min(cores(), MAX_JOBS, items // max(per_job, 1)))


def split(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """``jobs`` contiguous slices of about the same length (fewer when there are few items)."""
    n = len(items)
    bounds = [n * k // jobs for k in range(jobs + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def fork_map(func: Callable[[Sequence[T]], R], chunks: Sequence[Sequence[T]]) -> list[R]:
    """``[func(chunk) for chunk in chunks]``, the chunks after the first in forked children."""
    if len(chunks) <= 1 or not can_fork():
        return [func(chunk) for chunk in chunks]
    _flush()
    children = [_fork(partial(func, chunk)) for chunk in chunks[1:]]
    results = [func(chunks[0])]
    for child, chunk in zip(children, chunks[1:], strict=True):
        ok, value = _collect(child)
        results.append(value if ok else func(chunk))  # a failed child: redo its slice here
    return results


def fork_pool(
    func: Callable[[Sequence[T]], R],
    chunks: Sequence[Sequence[T]],
    jobs: int,
    order: Sequence[int] | None = None,
    finish: Callable[[list[R]], list[R]] | None = None,
) -> list[R]:
    """``[func(chunk) for chunk in chunks]`` by ``jobs`` processes that take chunks as they go.

    Chunk numbers wait in a pipe; the parent and each forked child read one at a time (a
    one-byte read from a pipe is atomic), so a process slowed by anything (copy-on-write
    faults after the fork, a busy core) simply takes fewer chunks. Results come back in
    chunk order; a chunk a child took but did not return is redone in the parent.

    ``order``: the chunk numbers in the order they are handed out (default: as they come).
    Largest first, the last chunks taken are small, and no process waits long for another
    that took a big one last.

    ``finish``: run once by each process on the results it computed, in the order it took
    their chunks, when no chunk is left (work that costs less done once for many chunks);
    the list it returns, of the same length, stands for them. Redone chunks are finished
    together in the parent.
    """
    if jobs <= 1 or len(chunks) <= 1 or not can_fork() or len(chunks) > 255:
        results = [func(chunk) for chunk in chunks]
        return _finished(finish, results)
    _flush()
    queue_r, queue_w = os.pipe()
    handed = list(range(len(chunks))) if order is None else list(order)
    assert sorted(handed) == list(range(len(chunks))), "order: each chunk once"
    os.write(queue_w, bytes(handed))
    os.close(queue_w)
    take = partial(_take, func, chunks, queue_r, finish)
    children = [_fork(take) for _ in range(min(jobs, len(chunks)) - 1)]
    results: dict[int, R] = dict(take())
    os.close(queue_r)
    for child in children:
        ok, done = _collect(child)
        if ok:
            results.update(done)
    # what a failed child took is redone here
    missing = [i for i in range(len(chunks)) if i not in results]
    results.update(zip(missing, _finished(finish, [func(chunks[i]) for i in missing]), strict=True))
    return [results[i] for i in range(len(chunks))]


def _finished(finish: Callable[[list[R]], list[R]] | None, results: list[R]) -> list[R]:
    if finish is None or not results:
        return results
    done = finish(results)
    assert len(done) == len(results), "finish: one result for each"
    return done


def _take(
    func: Callable[[Sequence[T]], R],
    chunks: Sequence[Sequence[T]],
    queue: int,
    finish: Callable[[list[R]], list[R]] | None = None,
) -> list[tuple[int, R]]:
    numbers: list[int] = []
    done: list[R] = []
    while True:
        number = os.read(queue, 1)
        if not number:
            return list(zip(numbers, _finished(finish, done), strict=True))
        numbers.append(number[0])
        done.append(func(chunks[number[0]]))


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not inherit, and later print, unwritten output


def _fork(func: Callable[[], object]) -> tuple[int, int]:
    """Fork a child that sends ``func()`` pickled through a pipe: (pid, read end)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, read_fd
    # The child: compute, send the pickled result, and leave without running any cleanup
    # (atexit handlers, buffered streams) that belongs to the parent.
    os.close(read_fd)
    code = 1
    try:
        import pickle

        payload = pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(payload)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent redoes the work
        pass
    finally:
        os._exit(code)


def _collect(child: tuple[int, int]) -> tuple[bool, Any]:
    """Wait for a forked child: (True, its result), or (False, None) when it failed."""
    import pickle

    pid, fd = child
    with os.fdopen(fd, "rb") as fh:
        payload = fh.read()
    _, status = os.waitpid(pid, 0)
    if payload and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        try:
            return True, pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a truncated payload: the caller redoes the work
            pass
    return False, None


class Pending(Generic[R]):
    """``func()`` computed in a forked child while the parent goes on; ``result()`` waits.

    Without ``fork`` (or with other threads running, whose locks a child could inherit
    held) ``func`` runs in the parent when the result is asked for. A child that fails has
    its work redone in the parent, so the result never goes missing.
    """

    def __init__(self, func: Callable[[], R]) -> None:
        import threading

        self._func = func
        self._child: tuple[int, int] | None = None
        if can_fork() and threading.active_count() == 1:
            _flush()
            self._child = _fork(func)

    def cancel(self) -> None:
        """Stop a child whose result is no longer wanted (the caller failed), and reap it."""
        if self._child is None:
            return
        import signal

        pid, fd = self._child
        self._child = None
        os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - it had exited already
            pass
        os.waitpid(pid, 0)

    def result(self) -> R:
        if self._child is None:
            return self._func()
        child, self._child = self._child, None
        ok, value = _collect(child)
        return value if ok else self._func()  # a failed child: computed here
