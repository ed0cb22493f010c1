"""Speed layer ``template-cache``: each notebook page's final HTML, kept between builds.

Rendering a page through the theme's Jinja templates (Material's: the header, the nav, the
footer, the search dialog) costs as much as the rest of a warm build's work on it, and a
notebook page's render is the same every build while nothing it depends on changed. The
render is looked up under a key of everything the template can see (the page's context and
the build's settings, code and templates: see ``htmlcache``), in
``.folio-cache/site/render/``. A render that logged anything is never kept (its warning
comes back every build).

Only mkdocs' events and Jinja's public API: a notebook page's ``template`` front matter
names, from ``on_page_content`` to its ``on_page_context``, a template of this layer
(``templates/repofolio-render.html``, in the theme's folders after the theme's own) that
prints the HTML this layer made in ``on_page_context``, after every other plugin's: the
cached render, or the page's own template rendered with the page's context, the notebook's
body in place. The page's front matter is put back before any plugin sees the context.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.44, cold x0.68. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

from repofolio.site.mkdocs.htmlcache import (
    UNHANDLED,
    HtmlCache,
    Uncacheable,
    code_stamp,
    digest,
    fingerprint,
    qualified,
    reads_whole_site,
    templates_part,
)
from repofolio.site.mkdocs.layers import Layer
from repofolio.site.mkdocs.logcount import counting

log = logging.getLogger("mkdocs.plugins.repofolio")
TEMPLATES = Path(__file__).with_name("templates")
PASSTHROUGH = "repofolio-render.html"  # prints ``folio_render``
UNSET = object()


class TemplateCache(Layer):
    def setup(self, config: MkDocsConfig) -> None:
        # before mkdocs makes the build's environment from the theme's folders
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES))
        self.cache: HtmlCache | None = None
        self.env: Any = None
        self.templates: dict[str, Any] = {}  # src_uri -> its own template front matter

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.cache, self.env, self.templates = None, None, {}

    @event_priority(-1000)  # after every plugin's on_page_content: mkdocs picks the template
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> None:
        notebooks = self.site.notebooks
        if notebooks is None or page.file.src_uri not in notebooks.bodies:
            return
        self.templates[page.file.src_uri] = page.meta.get("template", UNSET)
        page.meta["template"] = PASSTHROUGH

    @event_priority(100)  # before other plugins load templates (Material's tags renders some)
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> None:
        import jinja2

        if type(env.loader) is jinja2.FileSystemLoader and env.finalize is None:
            self.env = env
            self.cache = HtmlCache(self.site.cache_dir / "render")
            return
        # another plugin's loader or environment: every page renders its own template
        for file in files.documentation_pages():
            if file.page is not None and file.src_uri in self.templates:
                _put_back(file.page, self.templates.pop(file.src_uri))

    @event_priority(100)  # the page's own front matter before any plugin sees the context
    def _own_template(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if page.file.src_uri in self.templates:
            _put_back(page, self.templates[page.file.src_uri])
        return None

    @event_priority(-10_000)  # after every other plugin's on_page_context: what is rendered
    def _render(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if page.file.src_uri not in self.templates:
            return None
        own = self.templates.pop(page.file.src_uri)
        key = self._key(context, page, config)
        cache = self.cache
        cached = cache.get(key) if key is not None and cache is not None else None
        if cached is None:
            name = "main.html" if own is UNSET else own
            with counting(logging.NOTSET) as logged:
                output = self.env.get_template(name).render(context)
            notebooks = self.site.notebooks
            whole = notebooks.put_in_place(output, page) if notebooks is not None else None
            cached = output if whole is None else whole
            if key is not None and cache is not None and logged.count == 0:
                cache.put(key, cached)
        context["folio_render"] = cached
        return context

    on_page_context = CombinedEvent(_own_template, _render)

    def _key(self, context: dict[str, Any], page: Page, config: MkDocsConfig) -> str | None:
        """The key of a notebook page's render, or None: not cacheable."""
        cache, notebooks = self.cache, self.site.notebooks
        if cache is None or notebooks is None:
            return None
        try:
            if not cache.started:
                searchpath = list(self.env.loader.searchpath)
                build_key = digest([_build_part(config, self.env), templates_part(searchpath)])
                whole = cache.known_whole_site(build_key)
                if whole is None:
                    static = config.theme.static_templates
                    whole = reads_whole_site(searchpath, self._variables, static)
                cache.start(build_key, whole)
            if cache.whole_site:
                return None
            # the body put in place of the prose: its Markdown and settings, and the site's
            # files its links are rewritten against
            key = notebooks.key(page.file.src_uri)
            parts: list[object] = [["body", key, notebooks.files_digest]]
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
            if not cache.started:
                self.cache = None
            return None

    def _variables(self, source: str) -> Any:
        from jinja2 import meta

        return meta.find_undeclared_variables(self.env.parse(source))

    def on_post_build(self, config: MkDocsConfig) -> None:
        cache, self.cache = self.cache, None
        if cache is not None:
            cache.save()

    def on_build_error(self, error: Exception) -> None:
        self.cache = None


def _put_back(page: Page, own: Any) -> None:
    if own is UNSET:
        page.meta.pop("template", None)
    else:
        page.meta["template"] = own


def _refs(value: object, recurse: Any) -> object:
    """mkdocs' objects as the templates see them (a page of the nav: not its content)."""
    if isinstance(value, File):
        return ["file", value.src_uri, value.dest_uri, value.url, value.inclusion.name]
    if isinstance(value, Page):
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


def _page_fingerprint(page: Page) -> object:
    """The page being rendered: everything it holds, and what its properties compute."""
    attrs = {k: v for k, v in vars(page).items() if not k.startswith("_folio_")}
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

    from repofolio.site.mkdocs import bodies, htmlcache

    modules = [mkdocs, build, files, nav, pages, toc, templates, jinja2, markupsafe]
    modules += [sys.modules[__name__], htmlcache, bodies]
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
