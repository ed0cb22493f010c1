"""Speed layer ``markdown-cache``: mkdocs' Markdown render of each notebook page, kept.

A notebook page's Markdown (its prose: the body goes in later, see ``bodies``) gets the same
render every build while nothing changed, and that render cost as much as the rest of the
page. Each notebook page outside a hand-written nav gets a page class whose ``render``
looks the render up in ``.folio-cache/site/pages.json`` under a key of: the page's final
Markdown (after every plugin's ``on_page_markdown``), its source and URL, the Markdown
settings, mkdocs' version, link validation settings and log level, and every file of the
site (links resolve against them). A render that logged anything (a broken link) is never
kept, so its warning comes back every build and ``--strict`` still fails. Not with
``pymdownx.snippets``, which reads other files while rendering.

Pinned to mkdocs 1.6: a render is the page's ``content``, ``toc``, ``present_anchor_ids``,
``links_to_anchors`` and the private ``_title_from_render`` (the title mkdocs takes from the
first heading), restored as ``Page.render`` sets them.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.08, cold x0.89. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from repofolio.fsio import write_if_changed
from repofolio.site.mkdocs.layers import Layer
from repofolio.site.mkdocs.logcount import counting


class MarkdownCache(Layer):
    store: _Store | None = None

    @event_priority(100)  # before other plugins keep references to the pages
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> None:
        notebooks = self.site.notebooks
        if notebooks is None or not notebooks.bodies:
            return
        if any("snippets" in str(ext) for ext in config.markdown_extensions):
            return  # pymdownx.snippets reads other files while rendering: not cacheable
        self.store = store = _Store(self.site.cache_dir / "pages.json")
        key = _key_base(config, notebooks.files_digest, notebooks.settings)
        in_nav = {id(page) for page in nav.pages}
        for src_uri in notebooks.bodies:
            file = files.get_file_from_path(src_uri)
            # mkdocs made a plain Page for each page outside the nav (the short nav leaves
            # every notebook out); a page in a hand-written nav keeps its own
            if file is not None and type(file.page) is Page and id(file.page) not in in_nav:
                _CachedPage(None, file, config, store, key)  # it becomes file.page

    def on_post_build(self, config: MkDocsConfig) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.save()

    def on_build_error(self, error: Exception) -> None:
        self.store = None


class _CachedPage(Page):
    """A notebook page whose Markdown render is looked up in the store first."""

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, store: _Store, key: str
    ) -> None:
        super().__init__(title, file, config)
        # "_folio_": not part of the page as the template cache fingerprints it
        self._folio_store = store
        self._folio_key = key

    def render(self, config: MkDocsConfig, files: Files) -> None:
        assert self.markdown is not None
        parts = (self._folio_key, self.file.src_uri, self.file.url, self.markdown)
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        saved = self._folio_store.get(key)
        try:
            if saved is not None and self._restore(saved, files):
                return
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
        with counting(logging.NOTSET) as logged:
            super().render(config, files)
        if logged.count == 0:
            self._folio_store.put(key, self._saved())

    def _saved(self) -> dict[str, Any]:
        links = self.links_to_anchors
        return {
            "content": self.content,
            "toc": [toc_token(item) for item in self.toc],
            "title": self._title_from_render,
            "anchors": sorted(self.present_anchor_ids or ()),
            "links": None
            if links is None
            else {file.src_uri: dict(anchors) for file, anchors in links.items()},
        }

    def _restore(self, data: dict[str, Any], files: Files) -> bool:
        links: dict[File, dict[str, str]] | None = None
        if data["links"] is not None:
            links = {}
            for src_uri, anchors in data["links"].items():
                target = files.get_file_from_path(src_uri)
                if target is None:
                    return False
                links[target] = dict(anchors)
        self.content = str(data["content"])
        self.toc = get_toc(data["toc"])
        self._title_from_render = data["title"]
        self.present_anchor_ids = set(data["anchors"])
        self.links_to_anchors = links
        return True


def toc_token(item: Any) -> dict[str, Any]:
    """A table of contents entry as JSON (what mkdocs' ``get_toc`` reads back)."""
    return {
        "level": item.level,
        "id": item.id,
        "name": item.title,
        "children": [toc_token(child) for child in item.children],
    }


def _key_base(config: MkDocsConfig, files_digest: str, settings: str) -> str:
    """What every notebook page's mkdocs render depends on besides its own Markdown."""
    from mkdocs import __version__ as mkdocs_version

    return json.dumps(
        [
            mkdocs_version,
            settings,
            str(config.validation),
            config.use_directory_urls,
            logging.getLogger("mkdocs").getEffectiveLevel(),
            files_digest,
        ]
    )


class _Store:
    """The notebook pages' renders of the last build, in one file read and written once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self.old: dict[str, Any] = old if isinstance(old, dict) else {}
        self.used: dict[str, Any] = {}
        self.changed = False

    def get(self, key: str) -> Any:
        entry = self.old.get(key)
        if isinstance(entry, dict):
            self.used[key] = entry
            return entry
        return None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.used[key] = entry
        self.changed = True

    def save(self) -> None:
        """Keep this build's entries only (a render is deterministic: same key, same entry)."""
        if self.changed or self.used.keys() != self.old.keys():
            write_if_changed(self.path, json.dumps(self.used))
