"""The MkDocs plugin ``repofolio``: adds the generated pages to a build, in memory.

What mkdocs-gen-files does, for the pages of :func:`repofolio.site.pages.generate`: they are
added to mkdocs' files in ``on_files`` and nothing is written to ``docs/``. Besides: the
short navigation when ``mkdocs.yml`` has none, the package's theme under the user's
``custom_dir`` and every page's link preview (``theme``), the journal's privacy filter on
every page, the notebook pages' bodies put in place after their prose (``bodies``), the folders
``mkdocs serve`` watches, and the speed layers the configuration enables (``layers``).
Zensical, Material's successor, reads ``mkdocs.yml`` but runs no third-party plugin: no page
may depend on this plugin running (``folio docs --out DIR`` writes them for it).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils.templates import TemplateContext

from repofolio.config import CONFIG_FILES, Config, load_config
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import write_if_changed
from repofolio.model import Portfolio
from repofolio.site.inputs import SiteInputs
from repofolio.site.mkdocs.bodies import NotebookBodies
from repofolio.site.mkdocs.copies import CopiedFile, Copies
from repofolio.site.mkdocs.nav import default_nav, pruned_nav
from repofolio.site.mkdocs.theme import (
    add_stylesheets,
    add_theme,
    publish_cards,
    set_error_preview,
    set_preview,
)
from repofolio.site.previews import Previews

log = logging.getLogger("mkdocs.plugins.repofolio")
# Material's blog copies its index for pagination: that page needs a real file
BACKED_BY_FILE = frozenset({"journal/index.md"})


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
        self.dirty: bool | None = None  # `--dirty`; None: mkdocs never said (no startup)
        self.serving = False  # `mkdocs serve` / `folio serve`: drafts shown, marked
        self.diagnostics: list[Diagnostic] = []
        self.generated = 0  # pages and files added by the last build
        self.notebooks: NotebookBodies | None = None  # this build's notebook pages
        self.copies = Copies()  # this build's copied files (speed layers may take them over)
        self.layers: list[str] = []  # the speed layers of this build
        self.previews: Previews | None = None  # this build's link previews and social cards

    @property
    def cache_dir(self) -> Path:
        """Where the site's caches live (``.folio-cache/site``)."""
        assert self.folio is not None
        return self.folio.root / self.folio.site.cache_dir / "site"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty
        self.serving = command == "serve"

    @event_priority(100)  # the layers are added before other plugins see the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        root = Path(self.config.root).resolve() if self.config.root else base
        self.folio = load_config(root)
        journal_index = Path(config.docs_dir) / "journal" / "index.md"
        for name in ("material/blog", "rss"):
            other = config.plugins.get(name)
            if other is not None and not journal_index.is_file():
                # Material's blog plugin writes a missing index into docs/: no journal, no blog
                other.config.enabled = False
        add_theme(config, self.folio)
        self.own_nav = config.nav is None
        if self.own_nav:
            config.nav = default_nav(Path(config.docs_dir), self.folio)
        from repofolio.site.mkdocs.layers import add_layers

        self.layers = add_layers(self, config, self.folio.site.cache)
        return config

    @event_priority(50)  # before material/blog (-50) and tags read the files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.folio is None:
            return None
        portfolio, inputs = self._inputs()
        dropped = self._drop_withheld(inputs, files, config)
        if inputs.cv is None:  # cv.yaml there, but no page (a draft, a secret, an error)
            dropped.add("cv.md")
        made = self._add_pages(portfolio, inputs, files, config)
        if config.nav:  # (a withheld docs/index.md: the home page is made without its text)
            config.nav = pruned_nav(config.nav, dropped - made)
        add_stylesheets(files, config)
        self.previews = Previews(portfolio, config.site_name, config.site_url)
        return files

    def _drop_withheld(self, inputs: SiteInputs, files: Files, config: MkDocsConfig) -> set[str]:
        """The hand-written files that hold a secret leave the build (their docs paths)."""
        assert self.folio is not None
        docs = Path(config.docs_dir).resolve()
        root = self.folio.root.resolve()
        dropped = set()
        for rel in inputs.withheld:
            try:
                uri = (root / rel).relative_to(docs).as_posix()
            except ValueError:
                continue  # a project's file: the pages leave it out
            old = files.get_file_from_path(uri)
            if old is not None:
                files.remove(old)
                dropped.add(uri)
        return dropped

    def _inputs(self) -> tuple[Portfolio, SiteInputs]:
        prepared, self.prepared = self.prepared, None
        if prepared is not None:  # by `folio build`, which reports the inputs' problems
            self.diagnostics = list(prepared[1].diagnostics)
            return prepared
        # `mkdocs build`, `mkdocs serve`: read and report here
        from repofolio.discover import load_portfolio
        from repofolio.site.inputs import read_inputs

        assert self.folio is not None
        portfolio = load_portfolio(self.folio)
        inputs = read_inputs(portfolio, drafts=self.serving)
        for diag in inputs.diagnostics:
            log.log(logging.WARNING if diag.severity == "error" else logging.INFO, diag.format())
        self.diagnostics = list(inputs.diagnostics)
        return portfolio, inputs

    def _add_pages(
        self, portfolio: Portfolio, inputs: SiteInputs, files: Files, config: MkDocsConfig
    ) -> set[str]:
        from repofolio.journal import publishable
        from repofolio.site.pages import generate, prose

        assert self.folio is not None
        self.notebooks = NotebookBodies(config, files)
        self.copies = Copies()
        pages = generate(portfolio, inputs)
        for page in pages:
            old = files.get_file_from_path(page.path)
            if old is not None:
                files.remove(old)
            src, content = page.src, page.content
            if src is None and page.path in BACKED_BY_FILE:
                src = self.cache_dir / "pages" / page.path
                write_if_changed(src, page.content or "", _read_or_none(src))
            if page.body is not None and isinstance(content, str):
                # mkdocs parses only the prose (search, toc); the body goes in on_post_page
                body = publishable(page.body, self.folio)
                prose_md = prose(page.body)
                content = self.notebooks.defer(page.path, content, page.body, prose_md, body)
            file: File
            if src is not None:  # images, PDFs, notebook outputs
                file = CopiedFile.generated(config, page.path, abs_src_path=os.fspath(src))
                assert isinstance(file, CopiedFile)
                file.copies = self.copies
            else:
                assert content is not None
                file = File.generated(config, page.path, content=content)
            files.append(file)
        self.generated = len(pages)
        _publishable_posts(files, config, self.folio)
        return {page.path for page in pages}

    def on_page_markdown(
        self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.folio is None:
            return None
        from repofolio.journal import publishable

        return publishable(markdown, self.folio)  # the journal's privacy filter, on every page

    def on_page_context(
        self, context: TemplateContext, /, *, page: MkPage, config: MkDocsConfig, nav: Navigation
    ) -> None:
        if self.previews is not None:
            set_preview(self.previews, page, config)  # og:* and twitter:* in main.html

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        if self.previews is not None:
            set_error_preview(self.previews, context, template_name, config)  # the 404's
        return context

    def on_post_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str | None:
        if self.notebooks is None:
            return None
        return self.notebooks.put_in_place(output, page)  # None: in place already, or none

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.previews is not None:
            publish_cards(self.previews, config)
        if self.folio is not None:
            from repofolio.privacy import save_clean_texts

            save_clean_texts()  # the texts found clean: the next build does not scan them

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.folio is not None:
            for path in (
                self.folio.projects_path,
                # folio.toml too: where `folio init` puts a new user's settings
                *(self.folio.root / name for name in CONFIG_FILES),
                self.folio.root / self.folio.resume.source,
            ):
                if path.exists():
                    server.watch(os.fspath(path))
        return server


def _publishable_posts(files: Files, config: MkDocsConfig, folio: Config) -> None:
    """Journal posts with a private name or block are read from a redacted copy.

    Material's blog reads each post from its file, before ``on_page_markdown`` filters the
    page: the title, the URL slug ("interview-at-initech"), the excerpts of the archive and
    the RSS feed would all come from the names as written. The copy lives in the cache;
    posts without anything private are left as they are.
    """
    from repofolio.journal import publishable

    docs = Path(config.docs_dir).resolve()
    try:
        prefix = (folio.root / folio.journal.dir).resolve().relative_to(docs).as_posix() + "/"
    except ValueError:
        return  # the journal is not in the docs: the blog does not publish it
    cache = folio.root / folio.site.cache_dir / "site" / "posts"
    for file in list(files):
        uri = file.src_uri
        if not uri.startswith(prefix) or not uri.endswith(".md") or file.generated_by:
            continue
        try:
            text = Path(file.abs_src_path or "").read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # `folio check` reports it; the blog will too
        published = publishable(text, folio)
        if published == text:
            continue
        copy = cache / uri
        write_if_changed(copy, published, _read_or_none(copy))
        files.remove(file)
        files.append(File.generated(config, uri, abs_src_path=os.fspath(copy)))


def _read_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
