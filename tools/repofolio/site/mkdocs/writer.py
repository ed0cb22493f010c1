"""Speed layer ``writer``: one thread makes the site's folders and copies the plugin's files
while mkdocs renders the pages.

A build spends much of its time in the file system (a folder and a copy per notebook image,
a folder per page): the thread waits on those calls without the interpreter lock while the
main thread renders. Off, mkdocs copies each file and makes each folder itself, in turn.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.12, cold x1.02. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from repofolio.site.mkdocs.copies import Job
from repofolio.site.mkdocs.layers import Layer


class Writer(Layer):
    pool: ThreadPoolExecutor | None = None
    futures: list[Future[None]]

    @event_priority(40)  # after the repofolio plugin (50) made the copied files
    def on_files(self, files: Files, config: MkDocsConfig) -> None:
        self._close(raise_errors=True)  # a build of `mkdocs serve` that stopped early
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="folio-site-writer")
        self.futures = []
        self.site.copies.submit = self.submit

    @event_priority(100)  # the site folder is clean now: make the pages' folders early
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> None:
        folders = sorted({os.path.dirname(f.abs_dest_path) for f in files.documentation_pages()})
        self.submit(lambda: _makedirs(folders))

    def submit(self, job: Job) -> None:
        assert self.pool is not None
        self.futures.append(self.pool.submit(job))

    @event_priority(100)  # every file copied before anything looks at the site
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._close(raise_errors=True)

    @event_priority(100)
    def on_build_error(self, error: Exception) -> None:
        self._close(raise_errors=False)

    def _close(self, *, raise_errors: bool) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        pool.shutdown(wait=True)
        if raise_errors:
            for future in self.futures:
                future.result()  # the first failed copy raises here, as mkdocs' own would


def _makedirs(folders: list[str]) -> None:
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
