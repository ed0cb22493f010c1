"""The MkDocs plugin ``repofolio``: adds the generated pages to a build, in memory.

The only module of the toolkit that imports mkdocs (Zensical, Material's successor, reads
``mkdocs.yml`` but not third-party plugins: everything else stays builder-neutral). Pages come
from :func:`repofolio.site.pages.generate`; nothing is written to ``docs/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import sys
import threading
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page as MkPage
from mkdocs.theme import Theme

from repofolio.config import Config, load_config
from repofolio.model import Portfolio
from repofolio.site.inputs import SiteInputs
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import write_if_changed
from repofolio.site.mkdocs.logcount import counting
from repofolio.site.mkdocs.htmlcache import (
    UNHANDLED,
    HtmlCache,
    Uncacheable,
    code_stamp,
    digest,
    file_stamp,
    fingerprint,
    qualified,
)

log = logging.getLogger("mkdocs.plugins.repofolio")

BACKED_BY_FILE = frozenset({"journal/index.md"})
START, END = "<!--folio:notebook:start-->", "<!--folio:notebook:end-->"
URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


class PluginConfig(MkConfig):  # type: ignore[no-untyped-call]
    enabled = config_options.Type(bool, default=True)
    root = config_options.Optional(config_options.Type(str))  # default: mkdocs.yml's folder


class RepofolioPlugin(BasePlugin[PluginConfig]):  # type: ignore[no-untyped-call]
    """Home, gallery, tag index, project and notebook pages, the journal's front page, CV."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.folio: Config | None = None
        # (portfolio, inputs) handed over by `folio build` (repofolio.site.mkdocs.build), which
        # read them first with a progress bar: not read again, their problems not reported
        self.prepared: tuple[Portfolio, SiteInputs] | None = None
        self.own_nav = False  # the navigation is the plugin's (mkdocs.yml has none)
        self.diagnostics: list[Diagnostic] = []
        self.generated = 0
        self.files: Files | None = None
        # notebook page path -> (its body after the privacy filter, the body's HTML cache file)
        self.deferred: dict[str, tuple[str, Path]] = {}
        self._markdown: Any = None
        self._settings: str | None = None  # the Markdown settings, once per build
        self._writer: _BackgroundWriter | None = None
        self._bodies: _BodyRenderer | None = None
        self._pages: _PageCache | None = None
        self._html: HtmlCache | None = None  # notebook pages' template renders
        self._dirty: bool | None = None  # `mkdocs build --dirty` keeps the old site's files
        self._stale: _StaleSite | None = None
        self._reused = _ReusedPages()
        self._build_part: object = None  # this build's part of their keys (config, code, env)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        root = Path(self.config.root).resolve() if self.config.root else base
        self.folio = load_config(root)
        journal_index = Path(config.docs_dir) / "journal" / "index.md"
        blog = config.plugins.get("material/blog")
        if blog is not None and not journal_index.is_file():
            # Material's blog plugin writes a missing index into docs/: no journal, no blog.
            blog.config.enabled = False
        rss = config.plugins.get("rss")
        if rss is not None and not journal_index.is_file():
            rss.config.enabled = False
        self.own_nav = config.nav is None
        if self.own_nav:
            config.nav = default_nav(Path(config.docs_dir), self.folio)
        return config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty

    @event_priority(100)  # before mkdocs empties the site folder
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._finish_clean()
        if self.config.enabled and self._dirty is False and self.folio is not None:
            # not dirty, and mkdocs said so
            manifest = self.folio.root / self.folio.site.cache_dir / "site" / "render" / "site.json"
            self._stale = _StaleSite(config.site_dir, manifest)
            logging.getLogger("mkdocs.commands.build").addFilter(self._reused)

    def _finish_clean(self, *, save: bool = False) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._reused)
        self._reused.src_uris.clear()
        stale, self._stale = self._stale, None
        if stale is not None:
            stale.finish(save=save)

    @event_priority(50)  # before material/blog (-50) and tags read the files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.folio is None:
            return None
        from repofolio.journal import publishable
        from repofolio.site.pages import generate, prose

        self.files = files
        self.deferred = {}
        self._settings = None
        self._markdown = None  # `mkdocs serve` keeps this plugin: settings may have changed
        self._finish_writes()
        self._writer = _BackgroundWriter()

        prepared, self.prepared = self.prepared, None
        if prepared is not None:  # by `folio build`, which reported the inputs' problems
            portfolio, inputs = prepared
        else:  # `mkdocs build`, `mkdocs serve`: read and report here
            from repofolio.discover import load_portfolio
            from repofolio.site.inputs import read_inputs

            portfolio = load_portfolio(self.folio)
            inputs = read_inputs(portfolio)
            for diag in inputs.diagnostics:
                if diag.severity == "error":
                    log.warning("%s", diag.format())
                else:
                    log.info("%s", diag.format())
        self.diagnostics = list(inputs.diagnostics)
        if self.own_nav and inputs.cv is None and config.nav:  # cv.yaml there, but no page
            config.nav = [item for item in config.nav if item != {"CV": "cv.md"}]
        pages = generate(portfolio, inputs)
        for page in pages:
            old = files.get_file_from_path(page.path)
            if old is not None:
                files.remove(old)
            src = page.src
            if src is None and page.path in BACKED_BY_FILE:
                # Material's blog copies its index for pagination: it needs a real file
                src = self.folio.root / self.folio.site.cache_dir / "site" / "pages" / page.path
                write_if_changed(src, page.content or "", _read_or_none(src))
            content = page.content
            if page.body is not None and isinstance(content, str):
                # Notebook pages: mkdocs parses only the prose (search, toc); the full body
                # is rendered once per content, cached, and put in place in on_post_page.
                body = publishable(page.body, self.folio)
                self.deferred[page.path] = (body, self._html_path(body, config))
                light = f"{START}\n\n{prose(page.body)}\n{END}"
                content = content.replace(page.body, light, 1)
            file: File
            if src is not None:
                # images, PDFs, notebook outputs: copied by a thread while pages render
                file = _CopiedFile.generated(config, page.path, abs_src_path=os.fspath(src))
                assert isinstance(file, _CopiedFile)
                file.writer = self._writer
                file.stale = self._stale
            else:
                assert content is not None
                file = File.generated(config, page.path, content=content)
            files.append(file)
        self.generated = len(pages)
        self._prerender(config)
        if self._stale is not None:  # after the fork
            self._stale.start()
        return files

    @event_priority(100)  # before other plugins keep references to the pages
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        """Notebook pages get a page class whose Markdown render is cached (see _NotebookPage)."""
        if not self.config.enabled or self.folio is None or not self.deferred:
            return None
        if any("snippets" in str(ext) for ext in config.markdown_extensions):
            return None  # pymdownx.snippets reads other files while rendering: not cacheable
        key = _page_key_base(config, files, self._html_settings(config))
        self._pages = cache = _PageCache(
            self.folio.root / self.folio.site.cache_dir / "site" / "pages.json"
        )
        if self._writer is not None:  # the site folder is clean now: make page folders early
            self._writer.makedirs(
                os.path.dirname(f.abs_dest_path) for f in files.documentation_pages()
            )
        in_nav = {id(page) for page in nav.pages}
        made = 0
        for src_uri in self.deferred:
            file = files.get_file_from_path(src_uri)
            # mkdocs made a plain Page for each page outside the nav (the short nav leaves
            # every notebook out); a page in a hand-written nav keeps its own
            if file is not None and type(file.page) is MkPage and id(file.page) not in in_nav:
                _NotebookPage(None, file, config, cache, key)
                made += 1
        if made:
            self._html = HtmlCache(self.folio.root / self.folio.site.cache_dir / "site" / "render")
        return None

    @event_priority(100)  # before other plugins load templates (Material's tags renders some)
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """Notebook pages' template renders come from the cache (see repofolio.site.mkdocs.htmlcache).

        mkdocs asks the environment for a page's template just before rendering it: for a
        notebook page, the template it gets renders from the cache when the page's context
        has a cached render. The loader tells the cache every template it loads.
        """
        html = self._html
        if html is None:
            return None
        import jinja2

        loader = env.loader
        if type(loader) is not jinja2.FileSystemLoader:  # another plugin's loader: no cache
            self._html = None
            return None
        load_template = getattr(env, "_load_template", None)
        if load_template is None:  # another Jinja: the templates a render uses are unknown
            self._html = None
            return None
        from jinja2 import meta

        html.watch(
            list(loader.searchpath),
            lambda source: meta.find_undeclared_variables(env.parse(source)),
        )
        get_source, get_template = loader.get_source, env.get_template

        def recording_get_source(environment: Any, name: str) -> Any:
            before = html.stamp(name)
            try:
                found = get_source(environment, name)
            except jinja2.TemplateNotFound:
                html.loaded(name, before, None)
                raise
            html.loaded(name, before, found[0])
            return found

        def recording_load_template(name: Any, globals: Any) -> Any:
            # every template a render asks for, loaded now or from the environment's cache
            try:
                return load_template(name, globals)
            finally:
                if isinstance(name, str):
                    html.used(name)

        def cached_get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
            template = get_template(name, parent, globals)
            page = getattr(config, "_current_page", None)
            # only mkdocs' own call for the page: the first, with no parent template
            if (
                parent is None
                and isinstance(page, _NotebookPage)
                and page.active
                and not page.template_given
                and name == page.meta.get("template", "main.html")
            ):
                page.template_given = True
                return _CachedRender(template, self, page, env)
            return template

        # this build's environment and loader only (mkdocs makes both anew for every build)
        setattr(loader, "get_source", recording_get_source)  # noqa: B010
        setattr(env, "_load_template", recording_load_template)  # noqa: B010
        setattr(env, "get_template", cached_get_template)  # noqa: B010
        return None

    def _render_key(self, context: dict[str, Any], page: _NotebookPage, env: Any) -> str | None:
        """The key of a notebook page's template render, or None: not cacheable."""
        html = self._html
        if html is None:
            return None
        config = context.get("config")
        try:
            if not html.started:
                self._build_part = _build_part(config, env)
                html.start(self._build_part)
            if html.reads_whole_site:
                return None
            # the body put in place of the prose: its HTML (named by its content) and the
            # site's files its links are rewritten against (in the Markdown render's key)
            body = self.deferred[page.file.src_uri][1].name
            parts: list[object] = [["body", body, page.key_base]]
            for name, value in context.items():
                if name == "config" and value is config:
                    continue  # in the build part
                if name in ("pages", "build_date_utc"):
                    continue  # a template that reads them is never cached
                if name == "page" and value is page:
                    parts.append([name, _page_fingerprint(page)])
                else:
                    parts.append([name, fingerprint(value, _refs)])
            return digest(parts)
        except Uncacheable as exc:
            log.debug("notebook page %s: render not cached: %s", page.file.src_uri, exc)
            if not html.started:
                self._html = None
            return None

    def on_page_markdown(
        self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.folio is None:
            return None
        try:  # the journal's privacy filter, on every page
            from repofolio.journal import publishable
        except ImportError:  # pragma: no cover - part of the toolkit
            return markdown
        return publishable(markdown, self.folio)

    @event_priority(100)  # before Material's search plugin indexes the page
    def _search_from_cache(self, context: Any, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        """A notebook page restored from the cache gets its search entries from there too.

        Material's search plugin parses every page's HTML into entries; for a page whose
        HTML, title, URL and front matter are those of a cached render, the entries are
        those it made then. They are put in the index here, in the page's place, and the
        plugin is told to skip the page (``search: exclude`` until _search_done, after the
        search plugin, puts the page's own setting back: the template sees the page's own).
        The first build records them after the plugin ran.
        """
        if not isinstance(page, _NotebookPage) or page.cache_entry is None:
            return None
        index = _search_index(config)
        if index is None or (page.meta.get("search") or {}).get("exclude"):
            return None
        key = _search_key(config, page)
        cached = page.cache_entry.get("search")
        if isinstance(cached, dict) and cached.get("key") == key:
            index.extend(cached["entries"])
            page.search_meta = ("search" in page.meta, page.meta.get("search"))
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        else:
            page.search_capture = (len(index), key)
        return None

    @event_priority(-100)  # after Material's search plugin indexed the page
    def _search_done(self, context: Any, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        if not isinstance(page, _NotebookPage):
            return None
        if page.search_meta is not None:
            had, value = page.search_meta
            page.search_meta = None
            if had:
                page.meta["search"] = value
            else:
                page.meta.pop("search", None)
        if page.search_capture is not None and page.cache_entry is not None:
            start, key = page.search_capture
            page.search_capture = None
            index = _search_index(config)
            if index is not None and self._pages is not None:
                page.cache_entry["search"] = {"key": key, "entries": index[start:]}
                self._pages.changed = True
        return None

    on_page_context = CombinedEvent(_search_from_cache, _search_done)

    def _put_body(self, output: str, page: MkPage, config: MkDocsConfig) -> str | None:
        if isinstance(page, _NotebookPage) and page.has_body:
            return None  # its render came with the body (see _CachedRender)
        return self._with_body(output, page, config)

    @event_priority(-1000)  # after every other plugin's on_post_page
    def _reuse_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str | None:
        """A notebook page the last build wrote from the same render: put back, not written.

        mkdocs writes nothing for an empty output (and logs that it skipped the page, which
        _ReusedPages hides for these pages).
        """
        if not isinstance(page, _NotebookPage):
            return None
        final, page.final_output = page.final_output, None  # not held until the build ends
        stale = self._stale
        if stale is None or final is None:
            return None
        if output is not final and output != final:
            return None  # another plugin changed it: written, and not reused next build
        kept = stale.take(page.file.dest_uri, ["page", page.render_key])
        if kept is not None and stale.put_back(kept, page.file.dest_uri):
            self._reused.src_uris.add(page.file.src_uri)
            return ""
        return None

    on_post_page = CombinedEvent(_put_body, _reuse_page)

    def _with_body(self, output: str, page: MkPage, config: MkDocsConfig) -> str | None:
        """The page's HTML with its notebook's body in place of the prose, or None."""
        deferred = self.deferred.get(page.file.src_uri)
        if deferred is None or self.folio is None:
            return None
        start, end = output.find(START), output.find(END)
        if start < 0 or end < start:
            return None
        html = self._full_html(*deferred, config)
        html = URL_ATTR.sub(lambda m: self._fix_url(m, page), html)
        return output[:start] + html + output[end + len(END) :]

    def _html_settings(self, config: MkDocsConfig) -> str:
        if self._settings is None:
            import markdown  # type: ignore[import-untyped]

            self._settings = json.dumps(
                [markdown.__version__, config.markdown_extensions, config.mdx_configs],
                sort_keys=True,
                default=_stable,
            )
        return self._settings

    def _html_path(self, body: str, config: MkDocsConfig) -> Path:
        assert self.folio is not None
        settings = self._html_settings(config)
        key = hashlib.sha256((settings + "\0" + body).encode()).hexdigest()
        return self.folio.root / self.folio.site.cache_dir / "site" / "html" / f"{key}.html"

    def _prerender(self, config: MkDocsConfig) -> None:
        """Start rendering the notebook bodies missing from the HTML cache in worker processes.

        A cold build has one body per notebook to render (as long as nbconvert took for the
        notebook): one by one in on_post_page they would leave the other cores idle. Forked
        after the imports, the workers render while this process goes on with mkdocs' pages
        (it reads the Markdown of every page before it writes any); on_post_page then reads
        the cache file, waiting only for a body not rendered yet. Anything left missing (a
        worker failed, no fork on this platform) is rendered in on_post_page as before.
        """
        assert self.folio is not None
        self._stop_prerender()
        todo = {path: body for body, path in self.deferred.values()}
        if not todo:
            return
        try:  # one listing, not a stat per body: the warm build renders nothing
            done = set(os.listdir(next(iter(todo)).parent))
        except OSError:
            done = set()
        missing = [(os.fspath(p), body) for p, body in todo.items() if p.name not in done]
        site = self.folio.site
        cores = site.jobs or os.cpu_count() or 1
        if len(missing) < site.parallel_from or cores < 2 or not _can_fork():
            return
        # this process keeps one core busy with mkdocs: the workers take the others
        workers = min(cores - 1, len(missing))
        self._bodies = _BodyRenderer(
            missing, config.markdown_extensions, config.mdx_configs, workers
        )

    def _stop_prerender(self) -> None:
        bodies, self._bodies = self._bodies, None
        if bodies is not None:
            bodies.close()

    def _full_html(self, body: str, path: Path, config: MkDocsConfig) -> str:
        """The notebook body as HTML with the site's Markdown extensions, cached by content."""
        import markdown

        if self._bodies is not None:
            self._bodies.wait_for(path)
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
        if self._markdown is None:
            self._markdown = markdown.Markdown(
                extensions=config.markdown_extensions, extension_configs=config.mdx_configs
            )
        self._markdown.reset()
        html: str = self._markdown.convert(body)
        write_if_changed(path, html)
        return html

    def _fix_url(self, match: re.Match[str], page: MkPage) -> str:
        # what mkdocs does to links in Markdown: a docs path becomes the page's URL
        from mkdocs.utils import get_relative_url

        url = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", url) or self.files is None:
            return match.group(0)
        path, sep, frag = url.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        file = self.files.get_file_from_path(target)
        if file is None:
            return match.group(0)
        new = get_relative_url(file.url, page.url) + (sep + frag if sep else "")
        return f'{match.group(1)}="{new}"'

    @event_priority(100)  # files copied before any other plugin post-processes the site
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._stop_prerender()
        pages, self._pages = self._pages, None
        if pages is not None:
            pages.save()
        html, self._html = self._html, None
        if html is not None:
            html.save()
        self._finish_writes()
        self._finish_clean(save=True)

    def on_build_error(self, error: Exception) -> None:
        self._stop_prerender()
        self._html = None
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close(raise_errors=False)
        self._finish_clean()  # after the writer: it may be putting kept files back

    def _finish_writes(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close(raise_errors=True)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.folio is not None:
            for path in (
                self.folio.projects_path,
                self.folio.root / "pyproject.toml",
                self.folio.root / self.folio.resume.source,
            ):
                if path.exists():
                    server.watch(os.fspath(path))
        return server


class _StaleSite:
    """The last build's site, moved aside: what did not change comes back, the rest is deleted.

    mkdocs empties the site folder before a build and writes every file again: for 200
    notebooks, a thousand files and folders unlinked on the main thread, then 20 MB written
    back, most of it the same bytes (notebook pages and their output images). Instead, the
    last build's notebook pages and output files whose stamps are those it recorded (no one
    touched them) are renamed into one hidden folder of the site, everything else into
    another (mkdocs' clean skips hidden entries; in the same folder a rename is always a
    rename), so the site is as empty as mkdocs' clean leaves it. A page or file of this
    build that is what the last build wrote there (a notebook page: the same cached render,
    a file: the same source, unchanged) is renamed back instead of written; ``rm -rf``
    deletes the rest while the pages render (a process: a thread deleting held the
    interpreter lock while the build waited for it). Both folders are gone before the build
    ends; a build killed meanwhile leaves hidden ``.folio-stale-*`` folders that the next
    build deletes.
    """

    PREFIX = ".folio-stale-"

    def __init__(self, site_dir: str, manifest: Path) -> None:
        import tempfile

        self.site_dir = site_dir
        self.manifest = manifest
        self.doomed: list[str] = []
        self.kept: dict[str, str] = {}  # site path -> where it waits to come back
        self.wrote: dict[str, object] = {}  # site path -> what this build put there
        self.old: dict[str, Any] = {}
        self.keep: str | None = None
        self.started = False
        self.process: Any = None
        self.thread: threading.Thread | None = None
        try:
            entries = os.listdir(site_dir)
        except OSError:  # no site yet
            return
        self.doomed = [os.path.join(site_dir, e) for e in entries if e.startswith(self.PREFIX)]
        live = [e for e in entries if not e.startswith(".")]
        if not live:
            return
        try:
            trash = tempfile.mkdtemp(prefix=self.PREFIX, dir=site_dir)
            keep = tempfile.mkdtemp(prefix=self.PREFIX, dir=site_dir)
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
        """The last build's ``rel``, if it was made from the same thing, to put back with
        put_back; this build writes ``rel`` (made from ``made_from``) either way."""
        kept = self.kept.pop(rel, None)
        old = self.old.get(rel)
        self.wrote[rel] = made_from
        if kept is None or old is None or old[0] != made_from:
            return None
        return kept

    def put_back(self, kept: str, rel: str) -> bool:
        return _rename_into(kept, os.path.join(self.site_dir, rel))

    def start(self) -> None:
        """Delete the rest in another process, or a thread where there is no ``rm``."""
        if self.started or not self.doomed:
            return
        self.started = True
        import subprocess

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


def _rename_into(src: str, dest: str) -> bool:
    try:
        os.rename(src, dest)
    except FileNotFoundError:  # its folder is not made yet
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.rename(src, dest)
        except OSError:
            return False
    except OSError:
        return False
    return True


def _site_stamp(path: str) -> list[int] | None:
    # a rename keeps all three (not the ctime): a file written or replaced since changes
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _remove_trees(paths: list[str]) -> None:
    import shutil

    for path in paths:
        if os.path.lexists(path):
            shutil.rmtree(path, ignore_errors=True)


class _BackgroundWriter:
    """One thread that makes folders and copies files into the site while pages render.

    A warm build spends much of its time in the file system (a folder and a copy per
    notebook image, a folder per page); the thread waits on those calls without the GIL.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="folio-site-writer")
        self._futures: list[Any] = []

    def makedirs(self, folders: Any) -> None:
        self._futures.append(self._pool.submit(_makedirs, sorted(set(folders))))

    def copy(self, src: str, dest: str, *, kept: str | None = None) -> None:
        """Copy ``src`` to ``dest``, or rename ``kept`` (the same file) there."""
        self._futures.append(self._pool.submit(_copy, src, dest, kept))

    def close(self, *, raise_errors: bool) -> None:
        self._pool.shutdown(wait=True)
        if raise_errors:
            for future in self._futures:
                future.result()  # the first failed copy raises here, as mkdocs' own would


def _makedirs(folders: list[str]) -> None:
    for folder in folders:
        os.makedirs(folder, exist_ok=True)


def _copy(src: str, dest: str, kept: str | None = None) -> None:
    import shutil

    if kept is not None and _rename_into(kept, dest):
        return
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    try:
        shutil.copyfile(src, dest)
    except shutil.SameFileError:  # as mkdocs: a plugin may write into the site directly
        pass


class _CopiedFile(File):
    """A generated file backed by a file on disk, copied by the plugin's writer thread."""

    writer: _BackgroundWriter | None = None
    stale: _StaleSite | None = None  # the last build's files

    def copy_file(self, dirty: bool = False) -> None:
        writer, src = self.writer, self.abs_src_path
        if writer is None or src is None or (dirty and not self.is_modified()):
            super().copy_file(dirty)
            return
        kept = None
        if self.stale is not None:
            kept = self.stale.take(self.dest_uri, ["copy", src, file_stamp(src)])
        # the same file from the same source: put back, not copied
        writer.copy(src, self.abs_dest_path, kept=kept)


class _NotebookPage(MkPage):
    """A notebook page whose Markdown render by mkdocs is cached between builds.

    A notebook page's Markdown (its prose: the code and outputs are put in place later) gets
    the same render every build while nothing changed, and that render cost as much as the
    rest of the page. The cache key is the page's final Markdown (after every plugin's
    on_page_markdown), its source and URL, the Markdown settings, mkdocs' link validation
    settings and log level, and every file of the site (links resolve against them). A
    render that logged anything (a broken link) is never cached, so its warning comes back
    every build and ``--strict`` still fails.
    """

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, cache: _PageCache, key: str
    ) -> None:
        super().__init__(title, file, config)
        self._cache = cache
        self.key_base = key
        self.cache_entry: dict[str, Any] | None = None  # this build's render, when cacheable
        self.search_meta: tuple[bool, Any] | None = None  # page.meta["search"] to put back
        self.search_capture: tuple[int, str] | None = None  # (index length before, key)
        self.template_given = False  # mkdocs got this page's template (see on_env)
        self.has_body = False  # the render has the notebook's body in place already
        self.render_key: str | None = None  # its key in the render cache, and the render
        self.final_output: str | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        assert self.markdown is not None
        parts = (self.key_base, self.file.src_uri, self.file.url, self.markdown)
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        saved = self._cache.get(key)
        try:
            if saved is not None and self._restore(saved, files):
                self.cache_entry = saved
                return
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
        with counting(logging.NOTSET) as logged:
            super().render(config, files)
        if logged.count == 0:
            self.cache_entry = self._saved()
            self._cache.put(key, self.cache_entry)

    def _saved(self) -> dict[str, Any]:
        links = self.links_to_anchors
        return {
            "content": self.content,
            "toc": [_toc_token(item) for item in self.toc],
            "title": self._title_from_render,
            "anchors": sorted(self.present_anchor_ids or ()),
            "links": None
            if links is None
            else {file.src_uri: dict(anchors) for file, anchors in links.items()},
        }

    def _restore(self, data: dict[str, Any], files: Files) -> bool:
        from mkdocs.structure.toc import get_toc

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


# _NotebookPage's own attributes: none of them is seen by a template
_OWN_ATTRIBUTES = frozenset(
    {
        "_cache",
        "key_base",
        "cache_entry",
        "search_meta",
        "search_capture",
        "template_given",
        "has_body",
        "render_key",
        "final_output",
    }
)


class _CachedRender:
    """The template mkdocs renders a notebook page with: the cached render when there is one.

    The render is the final page: the notebook's body is put in place here, not in
    on_post_page. A render that logged anything is not cached (its warning comes back every
    build).
    """

    def __init__(
        self, template: Any, plugin: RepofolioPlugin, page: _NotebookPage, env: Any
    ) -> None:
        self.template = template
        self.plugin = plugin
        self.page = page
        self.env = env

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        key = self.plugin._render_key(context, self.page, self.env)
        html = self.plugin._html
        if key is not None and html is not None:
            cached = html.get(key)
            if cached is not None:
                self.page.has_body = True
                self.page.render_key, self.page.final_output = key, cached
                return cached
        if html is not None:
            html.rendering = True
            html.used(self.template.name)
        try:
            with counting(logging.NOTSET) as logged:
                output: str = self.template.render(context)
        finally:
            if html is not None:
                html.rendering = False
        config = context.get("config")
        whole = self.plugin._with_body(output, self.page, config) if config is not None else None
        if whole is not None:
            self.page.has_body = True
            output = whole
        # a template loaded by this render may read the whole site: then it is not kept
        if key is not None and html is not None and not html.reads_whole_site:
            if logged.count == 0:
                html.put(key, output)
                self.page.render_key, self.page.final_output = key, output
        return output


def _refs(value: object, recurse: Any) -> object:
    """mkdocs' objects as the templates see them (a page of the nav: not its content)."""
    if isinstance(value, File):
        return ["file", value.src_uri, value.dest_uri, value.url, value.inclusion.name]
    if isinstance(value, MkPage):
        meta = recurse(value.meta)
        return ["page", value.file.src_uri, value.url, value.title, value.active, meta]
    if isinstance(value, Section):
        return ["section", value.title, value.active, recurse(value.children)]
    if isinstance(value, Link):
        return ["link", value.title, value.url, value.active]
    if isinstance(value, Navigation):
        home = value.homepage
        return ["nav", recurse(value.items), None if home is None else home.file.src_uri]
    if isinstance(value, Theme):
        items = recurse(dict(value.items()))
        return ["theme", value.name, value.dirs, sorted(value.static_templates), items]
    if isinstance(value, BasePlugin):
        return ["plugin", qualified(type(value)), recurse(value.config)]
    return UNHANDLED


def _page_fingerprint(page: MkPage) -> object:
    """The page being rendered: everything it holds, and what its properties compute."""
    attrs = {k: v for k, v in vars(page).items() if k not in _OWN_ATTRIBUTES}
    computed = {
        "title": page.title,
        "url": page.url,
        "is_homepage": page.is_homepage,
        "is_index": page.is_index,
        "ancestors": page.ancestors,
    }
    return fingerprint([attrs, computed], _refs)


def _build_part(config: Any, env: Any) -> object:
    """What every notebook page's template render depends on besides its own context."""
    import jinja2
    import markupsafe
    import mkdocs
    from mkdocs.commands import build
    from mkdocs.structure import files, nav, pages, toc
    from mkdocs.utils import templates

    from repofolio.site.mkdocs import htmlcache

    modules = [mkdocs, build, files, nav, pages, toc, templates, jinja2, markupsafe]
    modules += [sys.modules[__name__], htmlcache]
    for name in ("mkdocs.theme", "jinja2.environment", "jinja2.runtime", "jinja2.filters"):
        modules.append(sys.modules[name])
    theme_module = sys.modules.get(str(getattr(config.theme, "name", None) or ""))
    if theme_module is not None:
        modules.append(theme_module)
    for plugin in config.plugins.values():  # hooks are modules themselves
        is_hook = isinstance(plugin, type(sys))
        module = plugin if is_hook else sys.modules.get(type(plugin).__module__)
        if module is not None:
            modules.append(module)
    tables = {"filters": env.filters, "tests": env.tests, "globals": env.globals}
    environment = [[name, fingerprint(sorted(t.items()), _refs)] for name, t in tables.items()]
    settings = [
        sorted(env.extensions),
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        fingerprint([env.autoescape, env.finalize, env.undefined, env.policies], _refs),
    ]
    return [
        sys.version,
        code_stamp(modules),
        fingerprint(config, _refs),
        environment,
        settings,
    ]


class _PageCache:
    """The notebook pages' renders of the last build, in one file read and written once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self.old: dict[str, Any] = old if isinstance(old, dict) else {}
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        entry = self.old.get(key)
        if isinstance(entry, dict):
            self.used[key] = entry
            return entry
        return None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.used[key] = entry
        self.changed = True

    changed = False  # an entry was added or completed (its search entries)

    def save(self) -> None:
        """Keep this build's entries only (a render is deterministic: same key, same entry)."""
        if self.changed or self.used.keys() != self.old.keys():
            write_if_changed(self.path, json.dumps(self.used))


def _search_index(config: MkDocsConfig) -> list[Any] | None:
    """The entries list of Material's search index, or None (another search plugin)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    if type(plugin).__module__ != "material.plugins.search.plugin":
        return None
    return entries if isinstance(entries, list) else None


def _search_key(config: MkDocsConfig, page: MkPage) -> str:
    """What Material's search entries of a page depend on besides its HTML and headings."""
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
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _toc_token(item: Any) -> dict[str, Any]:
    return {
        "level": item.level,
        "id": item.id,
        "name": item.title,
        "children": [_toc_token(child) for child in item.children],
    }


class _ReusedPages(logging.Filter):
    """Hides mkdocs' "Page skipped" for the notebook pages put back from the last build."""

    def __init__(self) -> None:
        super().__init__()
        self.src_uris: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.src_uris or not str(record.msg).startswith("Page skipped: '"):
            return True
        return record.getMessage().split("'")[1] not in self.src_uris


def _page_key_base(config: MkDocsConfig, files: Files, settings: str) -> str:
    """What every notebook page's mkdocs render depends on besides its own Markdown."""
    from mkdocs import __version__ as mkdocs_version

    site = hashlib.sha256()
    for file in files:
        site.update(f"{file.src_uri}\0{file.dest_uri}\0{file.inclusion.name}\n".encode())
    return json.dumps(
        [
            mkdocs_version,
            settings,
            str(config.validation),
            config.use_directory_urls,
            logging.getLogger("mkdocs").getEffectiveLevel(),
            site.hexdigest(),
        ]
    )


def _stable(value: object) -> object:
    # cache keys: a slugify function's repr has an address; its class and settings do not
    settings = getattr(value, "__dict__", {})
    items = sorted((k, str(v)) for k, v in settings.items())
    return f"{type(value).__module__}.{type(value).__qualname__}:{items}"


def _read_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _can_fork() -> bool:
    # fork copies only the calling thread: with other threads running (mkdocs serve's
    # server) a lock they hold could stay locked in the child forever
    import multiprocessing

    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


# Set in the parent just before forking: the workers inherit it, nothing is pickled.
_RENDER_SETTINGS: tuple[Any, Any] | None = None
_WORKER_MARKDOWN: Any = None


def _render_chunk(chunk: list[tuple[str, str]]) -> int:
    """In a worker: render (cache file, body) pairs with the site's Markdown settings."""
    global _WORKER_MARKDOWN
    import markdown

    if _WORKER_MARKDOWN is None:
        assert _RENDER_SETTINGS is not None
        extensions, configs = _RENDER_SETTINGS
        _WORKER_MARKDOWN = markdown.Markdown(extensions=extensions, extension_configs=configs)
    for path, body in chunk:
        _WORKER_MARKDOWN.reset()
        write_if_changed(Path(path), _WORKER_MARKDOWN.convert(body))
    return len(chunk)


class _BodyRenderer:
    """Notebook bodies rendered into their HTML cache files by forked workers, in order."""

    def __init__(
        self, items: list[tuple[str, str]], extensions: Any, configs: Any, workers: int
    ) -> None:
        global _RENDER_SETTINGS
        import multiprocessing

        _RENDER_SETTINGS = (extensions, configs)
        try:  # the workers are forked here and inherit the settings: nothing is pickled
            self._pool = multiprocessing.get_context("fork").Pool(workers)
        finally:
            _RENDER_SETTINGS = None
        # small chunks in page order: mkdocs writes pages in that order and waits for few
        size = max(1, min(8, len(items) // (workers * 4)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        self._result = self._pool.map_async(_render_chunk, chunks, chunksize=1)

    def wait_for(self, path: Path) -> None:
        while not self._result.ready() and not path.is_file():
            self._result.wait(0.005)

    def close(self) -> None:
        if self._result.ready():
            try:
                self._result.get()
            except Exception as exc:  # rendered again in this process, errors included
                log.debug("rendering notebook pages in processes failed: %s", exc)
            self._pool.close()
        else:  # the build failed before the pages: stop
            self._pool.terminate()
        self._pool.join()


def default_nav(docs: Path, cfg: Config) -> list[dict[str, str]]:
    """The short navigation: never one entry per project or notebook."""
    nav = [{"Home": "index.md"}, {"Projects": "projects/index.md"}, {"Tags": "tags.md"}]
    if (docs / "journal" / "index.md").is_file():
        nav.append({"Journal": "journal/index.md"})
    if (cfg.root / cfg.resume.source).is_file():
        nav.append({"CV": "cv.md"})
    if (docs / "about.md").is_file():
        nav.append({"About": "about.md"})
    return nav
