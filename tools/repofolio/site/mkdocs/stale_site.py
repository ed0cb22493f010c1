"""Speed layer ``stale-site``: the last build's site moved aside; what did not change comes
back, the rest is deleted by another process.

mkdocs empties the site folder before a build and writes every file again: for 200
notebooks, a thousand files and folders unlinked on the main thread, then 20 MB written
back, most of it the same bytes (notebook pages and their output images). Instead, the last
build's notebook pages and copied files whose stamps are those it recorded (no one touched
them) are renamed into one hidden folder of the site, everything else into another
(mkdocs' clean skips hidden entries; in the same folder a rename is always a rename), so the
site is as empty as mkdocs' clean leaves it. A notebook page whose HTML is the last build's
(the same SHA-256), or a file copied from the same source, unchanged, is renamed back
instead of written; ``rm -rf`` deletes the rest while the pages render (a process: a thread
deleting held the interpreter lock while the build waited for it). Both folders are gone
before the build ends; a build killed meanwhile leaves hidden ``.folio-stale-*`` folders
that the next build deletes. With ``--dirty`` (mkdocs keeps the old site) it does nothing.

Pinned to mkdocs 1.6: a page put back is one whose ``on_post_page`` output is empty, which
mkdocs does not write and notes as "Page skipped: '<src_uri>'. ..." (hidden for those).

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.07, cold x1.01. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from repofolio.fsio import write_if_changed
from repofolio.site.mkdocs.copies import rename_into
from repofolio.site.mkdocs.layers import Layer

PREFIX = ".folio-stale-"
BUILD_LOG = "mkdocs.commands.build"


class StaleSite(Layer):
    stale: _Stale | None = None

    def setup(self, config: MkDocsConfig) -> None:
        self.hidden = _HideSkipped()

    @event_priority(100)  # before mkdocs empties the site folder
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._finish(save=False)
        if self.site.dirty is False:  # `mkdocs build` said so (not --dirty)
            self.stale = _Stale(config.site_dir, self.site.cache_dir / "stale-site.json")
            logging.getLogger(BUILD_LOG).addFilter(self.hidden)

    @event_priority(10)  # after the other layers' on_files
    def on_files(self, files: Files, config: MkDocsConfig) -> None:
        stale = self.stale
        if stale is not None:
            self.site.copies.kept = lambda file: stale.take(file.dest_uri, _made_from(file))
            stale.start()

    @event_priority(-1000)  # after every other plugin's on_post_page: the final HTML
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        stale, notebooks = self.stale, self.site.notebooks
        if stale is None or notebooks is None or page.file.src_uri not in notebooks.bodies:
            return None
        digest = hashlib.sha256(output.encode("utf-8", "surrogatepass")).hexdigest()
        kept = stale.take(page.file.dest_uri, ["page", digest])
        if kept is not None and rename_into(kept, page.file.abs_dest_path):
            self.hidden.src_uris.add(page.file.src_uri)
            return ""  # mkdocs writes nothing for an empty page
        return None

    @event_priority(99)  # after the writer (100) put the last kept files back
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._finish(save=True)

    @event_priority(99)
    def on_build_error(self, error: Exception) -> None:
        self._finish(save=False)

    def _finish(self, *, save: bool) -> None:
        logging.getLogger(BUILD_LOG).removeFilter(self.hidden)
        self.hidden.src_uris.clear()
        stale, self.stale = self.stale, None
        if stale is not None:
            stale.finish(save=save)


def _made_from(file: File) -> object:
    src = file.abs_src_path
    return ["copy", src, _stamp(src) if src else None]


class _HideSkipped(logging.Filter):
    """Hides mkdocs' "Page skipped" for the notebook pages put back from the last build."""

    def __init__(self) -> None:
        super().__init__()
        self.src_uris: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.src_uris or not str(record.msg).startswith("Page skipped: '"):
            return True
        return record.getMessage().split("'")[1] not in self.src_uris


class _Stale:
    """The last build's site, moved aside into two hidden folders of the site."""

    def __init__(self, site_dir: str, manifest: Path) -> None:
        self.site_dir = site_dir
        self.manifest = manifest
        self.doomed: list[str] = []
        self.kept: dict[str, str] = {}  # site path -> where it waits to come back
        self.wrote: dict[str, object] = {}  # site path -> what this build put there
        self.old: dict[str, Any] = {}
        self.keep: str | None = None
        self.started = False
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        try:
            entries = os.listdir(site_dir)
        except OSError:  # no site yet
            return
        self.doomed = [os.path.join(site_dir, e) for e in entries if e.startswith(PREFIX)]
        live = [e for e in entries if not e.startswith(".")]
        if not live:
            return
        try:
            trash = tempfile.mkdtemp(prefix=PREFIX, dir=site_dir)
            keep = tempfile.mkdtemp(prefix=PREFIX, dir=site_dir)
        except OSError:
            return  # mkdocs cleans as usual
        self.doomed.append(trash)
        self.keep = keep
        self.old = self._load()
        for rel, (_, stamp) in self.old.items():
            path = os.path.join(site_dir, rel)
            if stamp is not None and _site_stamp(path) == stamp:
                kept = os.path.join(keep, str(len(self.kept)))
                try:
                    os.rename(path, kept)
                except OSError:
                    continue
                self.kept[rel] = kept
        for entry in live:
            try:
                os.rename(os.path.join(site_dir, entry), os.path.join(trash, entry))
            except OSError:  # left in place: mkdocs' own clean removes it
                pass

    def _load(self) -> dict[str, Any]:
        try:
            saved = json.loads(self.manifest.read_text(encoding="utf-8"))
            if saved["site"] == os.path.abspath(self.site_dir):
                return {str(k): v for k, v in saved["files"].items() if len(v) == 2}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return {}

    def take(self, rel: str, made_from: object) -> str | None:
        """The last build's ``rel``, if it was made from the same thing, to rename back;
        this build writes ``rel`` (made from ``made_from``) either way."""
        kept = self.kept.pop(rel, None)
        old = self.old.get(rel)
        self.wrote[rel] = made_from
        if kept is None or old is None or old[0] != made_from:
            return None
        return kept

    def start(self) -> None:
        """Delete the rest in another process, or a thread where there is no ``rm``."""
        if self.started or not self.doomed:
            return
        self.started = True
        trees = self.doomed
        try:
            self.process = subprocess.Popen(
                ["rm", "-rf", "--", *trees],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.thread = threading.Thread(
                target=_remove_trees, args=(trees,), name="folio-site-clean", daemon=True
            )
            self.thread.start()

    def finish(self, *, save: bool) -> None:
        """Wait for the deletion, delete what was kept and not used; record this build's."""
        self.start()
        if self.process is not None:
            self.process.wait()
        if self.thread is not None:
            self.thread.join()
        _remove_trees([*self.doomed, *([self.keep] if self.keep else [])])  # and what rm left
        if save:
            files = {
                rel: [made_from, _site_stamp(os.path.join(self.site_dir, rel))]
                for rel, made_from in self.wrote.items()
            }
            saved = {"site": os.path.abspath(self.site_dir), "files": files}
            write_if_changed(self.manifest, json.dumps(saved, sort_keys=True))


def _stamp(path: str) -> list[int] | None:
    """What tells a changed source file: a write changes its mtime, any change its ctime."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size]


def _site_stamp(path: str) -> list[int] | None:
    # a rename keeps all three (not the ctime): a file written or replaced since changes
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _remove_trees(paths: list[str]) -> None:
    for path in paths:
        if os.path.lexists(path):
            shutil.rmtree(path, ignore_errors=True)
