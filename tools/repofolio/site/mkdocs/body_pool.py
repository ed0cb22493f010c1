"""Speed layer ``body-pool``: notebook bodies rendered ahead by forked worker processes.

A cold build has one body per notebook to render (as long as nbconvert took for the
notebook): one by one, as mkdocs writes the pages, they would leave the other cores idle.
Forked once the pages are added, the workers render the bodies missing from the renders'
folder (``body-cache``'s, or a folder of this build's own) while this process goes on with
mkdocs' pages (it reads every page before it writes any); a page then reads its body's
render, waiting only for one not written yet. Anything left missing (a worker failed, no
fork on this platform, threads running) is rendered in this process as before. The workers
inherit the bodies and the Markdown settings through the fork: nothing is pickled but the
ranges of work.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x0.87, cold x0.86. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
On that loaded machine the workers did not pay (off was faster, warm and cold): measure it
again on idle cores before keeping it; ``cache = [the others]`` leaves it out meanwhile.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from repofolio.fsio import write_if_changed
from repofolio.site.mkdocs.layers import Layer

_WORK: list[tuple[str, str]] = []  # in a worker: (render path, body) pairs, inherited
_MARKDOWN: Any = None  # in a worker: its Markdown instance


class BodyPool(Layer):
    pool: Any = None
    own_folder: Path | None = None

    @event_priority(30)  # after the body cache (45) chose the renders' folder
    def on_files(self, files: Files, config: MkDocsConfig) -> None:
        self._close()
        notebooks, folio = self.site.notebooks, self.site.folio
        if notebooks is None or folio is None or not notebooks.bodies:
            return
        site = folio.site
        cores = site.jobs or os.cpu_count() or 1
        if cores < 2 or not _can_fork():
            return
        if notebooks.folder is None:
            self.own_folder = notebooks.folder = Path(tempfile.mkdtemp(prefix="folio-bodies-"))
        try:  # one listing, not a stat per body: a warm build renders nothing
            done = set(os.listdir(notebooks.folder))
        except OSError:
            done = set()
        missing = []
        for src_uri, body in notebooks.bodies.items():
            path = notebooks.path(src_uri)
            if path is not None and path.name not in done:
                missing.append((os.fspath(path), body))
        if len(missing) < site.parallel_from:
            return
        # this process keeps one core busy with mkdocs: the workers take the others
        workers = min(cores - 1, len(missing))
        self.pool = _Pool(missing, config.markdown_extensions, config.mdx_configs, workers)
        notebooks.wait = self.pool.wait_for

    @event_priority(100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._close()

    def on_build_error(self, error: Exception) -> None:
        self._close()

    def _close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()
        if self.site.notebooks is not None:
            self.site.notebooks.wait = None
        folder, self.own_folder = self.own_folder, None
        if folder is not None:
            if self.site.notebooks is not None and self.site.notebooks.folder == folder:
                self.site.notebooks.folder = None
            shutil.rmtree(folder, ignore_errors=True)


def _can_fork() -> bool:
    # fork copies only the calling thread: with other threads running (mkdocs serve's
    # server) a lock they hold could stay locked in the child forever
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _start(work: list[tuple[str, str]], extensions: Any, configs: Any) -> None:
    """In a worker, once: the work and a Markdown instance with the site's settings."""
    global _WORK, _MARKDOWN
    import markdown  # type: ignore[import-untyped]

    _WORK = work
    _MARKDOWN = markdown.Markdown(extensions=extensions, extension_configs=configs)


def _render(span: tuple[int, int]) -> int:
    """In a worker: render the bodies of ``_WORK[start:end]`` into their files."""
    start, end = span
    for path, body in _WORK[start:end]:
        _MARKDOWN.reset()
        write_if_changed(Path(path), _MARKDOWN.convert(body))
    return end - start


class _Pool:
    """Forked workers rendering the bodies into their files, in page order."""

    def __init__(
        self, work: list[tuple[str, str]], extensions: Any, configs: Any, workers: int
    ) -> None:
        # a fork: the arguments of the workers' start are inherited, not pickled
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(workers, _start, (work, extensions, configs))
        # small spans in page order: mkdocs writes pages in that order and waits for few
        size = max(1, min(8, len(work) // (workers * 4)))
        spans = [(i, min(i + size, len(work))) for i in range(0, len(work), size)]
        self._result = self._pool.map_async(_render, spans, chunksize=1)

    def wait_for(self, path: Path) -> None:
        while not self._result.ready() and not path.is_file():
            self._result.wait(0.005)

    def close(self) -> None:
        if self._result.ready():
            try:
                self._result.get()
            except Exception:  # rendered again in this process, errors included
                pass
            self._pool.close()
        else:  # the build failed before the pages: stop
            self._pool.terminate()
        self._pool.join()
