"""The MkDocs plugin ``repofolio``: adds the generated pages to a build, in memory.

The only module of the toolkit that imports mkdocs (Zensical, Material's successor, reads
``mkdocs.yml`` but not third-party plugins: everything else stays builder-neutral). Pages come
from :func:`repofolio.site.generator.generate`; nothing is written to ``docs/``.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage

from repofolio.config import Config, load_config
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import write_if_changed

log = logging.getLogger("mkdocs.plugins.repofolio")

# Handed over by `folio build`, which loads and converts first (with a progress bar):
# the plugin then does not load the portfolio a second time.
_PREPARED: dict[str, Any] = {}
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
        self.diagnostics: list[Diagnostic] = []
        self.generated = 0
        self.files: Files | None = None
        self.deferred: dict[str, str] = {}
        self._markdown: Any = None

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
        if config.nav is None:
            config.nav = default_nav(Path(config.docs_dir), self.folio)
        return config

    @event_priority(50)  # before material/blog (-50) and tags read the files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.folio is None:
            return None
        from repofolio.site.generator import generate, prose

        self.files = files
        self.deferred = {}

        portfolio, converted = take_prepared(self.folio)
        reported = portfolio is not None  # `folio build` already reported the notebooks
        if portfolio is None:
            from repofolio.discover import load_portfolio

            portfolio = load_portfolio(self.folio)
        pages, self.diagnostics = generate(portfolio, self.folio, converted=converted)
        for diag in [] if reported else self.diagnostics:
            if diag.severity == "error":
                log.warning("%s", diag.format())
            else:
                log.info("%s", diag.format())
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
                self.deferred[page.path] = page.body
                light = f"{START}\n\n{prose(page.body)}\n{END}"
                content = content.replace(page.body, light, 1)
            if src is not None:
                file = File.generated(config, page.path, abs_src_path=os.fspath(src))
            else:
                assert content is not None
                file = File.generated(config, page.path, content=content)
            files.append(file)
        self.generated = len(pages)
        return files

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

    def on_post_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str | None:
        body = self.deferred.get(page.file.src_uri)
        if body is None or self.folio is None:
            return None
        start, end = output.find(START), output.find(END)
        if start < 0 or end < start:
            return None
        html = self._full_html(body, config)
        html = URL_ATTR.sub(lambda m: self._fix_url(m, page), html)
        return output[:start] + html + output[end + len(END) :]

    def _full_html(self, body: str, config: MkDocsConfig) -> str:
        """The notebook body as HTML with the site's Markdown extensions, cached by content."""
        import hashlib
        import json

        import markdown  # type: ignore[import-untyped]

        assert self.folio is not None
        from repofolio.journal import publishable

        body = publishable(body, self.folio)
        settings = json.dumps(
            [markdown.__version__, config.markdown_extensions, config.mdx_configs],
            sort_keys=True,
            default=_stable,
        )
        key = hashlib.sha256((settings + "\0" + body).encode()).hexdigest()
        path = self.folio.root / self.folio.site.cache_dir / "site" / "html" / f"{key}.html"
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


def prepare(cfg: Config, portfolio: Any, converted: Any) -> None:
    _PREPARED[str(cfg.root)] = (portfolio, converted)


def take_prepared(cfg: Config) -> tuple[Any, Any]:
    found: tuple[Any, Any] = _PREPARED.pop(str(cfg.root), (None, None))
    return found


# -- the builds `folio build` and `folio serve` run ------------------------------------------


class BuildResult:
    def __init__(self, warnings: int, pages: int, site_dir: str) -> None:
        self.warnings = warnings
        self.pages = pages
        self.site_dir = site_dir


def build_site(config_file: Path, *, strict: bool, site_dir: Path | None = None) -> BuildResult:
    """``mkdocs build`` in this process; a failed build is a FolioError, not a traceback."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config

    from repofolio.errors import FolioError

    counter = _WarningCounter()
    shown = logging.StreamHandler(sys.stderr)  # mkdocs' CLI sets this up; we are not it
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    logger.addHandler(shown)
    try:
        overrides: dict[str, Any] = {"strict": strict}
        if site_dir is not None:
            overrides["site_dir"] = os.fspath(site_dir)
        cfg = load_mkdocs_config(os.fspath(config_file), **overrides)
        cfg.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except exceptions.Abort as exc:
        raise FolioError(f"{config_file.name}: site build aborted: {exc}") from None
    except exceptions.ConfigurationError as exc:
        raise FolioError(f"{config_file.name}: {exc}") from None
    finally:
        logger.removeHandler(counter)
        logger.removeHandler(shown)
    plugin = cfg.plugins.get("repofolio")
    pages = getattr(plugin, "generated", 0)
    return BuildResult(counter.warnings, pages, cfg.site_dir)


def serve_site(config_file: Path, *, dev_addr: str | None, open_browser: bool) -> None:
    from mkdocs.commands.serve import serve

    shown = logging.StreamHandler(sys.stderr)  # "Serving on http://...", warnings, rebuilds
    shown.setLevel(logging.INFO)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.addHandler(shown)
    serve(os.fspath(config_file), dev_addr=dev_addr, open_in_browser=open_browser, livereload=True)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += 1
