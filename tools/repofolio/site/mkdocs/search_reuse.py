"""Speed layer ``search-reuse``: Material's search entries of each notebook page, kept.

Material's search plugin parses every page's HTML into entries (a section per heading, its
text stripped of tags). For a notebook page whose HTML (its prose: the body is put in later),
table of contents, URL, title and front matter are those of a page the last build indexed,
with the same plugin version and settings, the entries are those it made then: they are put
in the index here, in the page's place, and the plugin is told to skip the page (its
documented front matter ``search: exclude``, set before the plugin runs and set back after,
so templates see the page's own). Entries live in ``.folio-cache/site/search.json``; a
build keeps only its own. The search index comes out the same, byte for byte.

Pinned to Material for MkDocs 9.6-9.x: the entries are the list ``search_index.entries`` of
Material's search plugin, which ``on_page_context`` extends, a page at a time, in page order.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.14, cold x0.76. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from repofolio.fsio import write_if_changed
from repofolio.site.mkdocs.layers import Layer
from repofolio.site.mkdocs.markdown_cache import toc_token


class SearchReuse(Layer):
    def setup(self, config: MkDocsConfig) -> None:
        self.old: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.path: Path | None = None
        self.meta: dict[str, tuple[bool, Any]] = {}  # src_uri -> page.meta["search"] to put back
        self.capture: dict[str, tuple[int, str]] = {}  # src_uri -> (index length before, key)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.path = self.site.cache_dir / "search.json"
        try:
            old = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self.old = old if isinstance(old, dict) else {}
        self.used = {}

    @event_priority(100)  # before Material's search plugin indexes the page
    def _reuse(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        notebooks = self.site.notebooks
        if notebooks is None or page.file.src_uri not in notebooks.bodies:
            return None
        index = _search_index(config)
        if index is None or (page.meta.get("search") or {}).get("exclude"):
            return None
        key = _key(config, page)
        cached = self.old.get(key)
        if isinstance(cached, list):
            index.extend(cached)
            self.used[key] = cached
            self.meta[page.file.src_uri] = ("search" in page.meta, page.meta.get("search"))
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        else:
            self.capture[page.file.src_uri] = (len(index), key)
        return None

    @event_priority(-100)  # after Material's search plugin indexed the page
    def _done(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        src_uri = page.file.src_uri
        if src_uri in self.meta:
            had, value = self.meta.pop(src_uri)
            if had:
                page.meta["search"] = value
            else:
                page.meta.pop("search", None)
        if src_uri in self.capture:
            start, key = self.capture.pop(src_uri)
            index = _search_index(config)
            if index is not None:
                self.used[key] = index[start:]
        return None

    on_page_context = CombinedEvent(_reuse, _done)

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.path is not None and self.used.keys() != self.old.keys():
            write_if_changed(self.path, json.dumps(self.used))


def _search_index(config: MkDocsConfig) -> list[Any] | None:
    """The entries list of Material's search index, or None (another search plugin)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if type(plugin).__module__ != "material.plugins.search.plugin":
        return None
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def _key(config: MkDocsConfig, page: Page) -> str:
    """What Material's entries of a page depend on: its HTML, headings, URL, title, front
    matter, and the plugin's version and settings."""
    import material  # type: ignore[import-untyped]
    from material.plugins.search import plugin as search  # type: ignore[import-untyped]

    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    settings = dict(getattr(plugin, "config", {}) or {})
    parts = [
        material.__version__,
        search.jieba is not None,
        settings,
        page.url,
        page.title,
        page.meta,
        page.content,
        [toc_token(item) for item in page.toc],
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
