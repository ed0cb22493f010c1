"""Notebook pages' bodies: mkdocs parses their prose; the code and outputs go in afterwards.

A notebook page's Markdown holds its code cells and outputs (tables, long text, images): a
search index and a table of contents want none of that, and mkdocs would parse all of it
again for every page. The plugin hands mkdocs the page's prose only (its headings and text,
:func:`repofolio.site.pages.prose`), between two markers; the body is rendered apart with
the site's own Markdown extensions and put in place of the markers in the page's HTML, its
links rewritten as mkdocs rewrites them in Markdown. This is how the pages are made, not a
speed layer: the search index and the headings' ids are the same with every cache off.

A speed layer may keep the renders between builds (``folder``, see ``body_cache``).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from repofolio.fsio import write_if_changed

START, END = "<!--folio:notebook:start-->", "<!--folio:notebook:end-->"
URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


class NotebookBodies:
    """This build's notebook bodies, by the page's source path."""

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        self.config = config
        self.files = files
        self.bodies: dict[str, str] = {}  # src_uri -> the body's Markdown (privacy filtered)
        self.folder: Path | None = None  # where renders are kept, named by their key
        self._settings: str | None = None
        self._files_digest: str | None = None
        self._markdown: Any = None

    def defer(self, src_uri: str, content: str, body: str, prose: str, shown: str) -> str:
        """The page's Markdown for mkdocs: ``body`` (as ``content`` holds it) replaced by
        its prose between the markers; ``shown`` is the body to put in place later."""
        self.bodies[src_uri] = shown
        return content.replace(body, f"{START}\n\n{prose}\n{END}", 1)

    @property
    def settings(self) -> str:
        """What a body's render depends on besides its Markdown: the Markdown settings."""
        if self._settings is None:
            import markdown  # type: ignore[import-untyped]

            self._settings = json.dumps(
                [markdown.__version__, self.config.markdown_extensions, self.config.mdx_configs],
                sort_keys=True,
                default=_stable,
            )
        return self._settings

    @property
    def files_digest(self) -> str:
        """The site's files, as links resolve against them (source, destination, inclusion)."""
        if self._files_digest is None:
            site = hashlib.sha256()
            for file in self.files:
                site.update(f"{file.src_uri}\0{file.dest_uri}\0{file.inclusion.name}\n".encode())
            self._files_digest = site.hexdigest()
        return self._files_digest

    def key(self, src_uri: str) -> str:
        body = self.bodies[src_uri]
        return hashlib.sha256((self.settings + "\0" + body).encode()).hexdigest()

    def path(self, src_uri: str) -> Path | None:
        """Where the body's render is kept (None: rendered when needed, kept nowhere)."""
        return None if self.folder is None else self.folder / f"{self.key(src_uri)}.html"

    def html(self, src_uri: str) -> str:
        """The body as HTML with the site's Markdown extensions (its links not rewritten)."""
        path = self.path(src_uri)
        if path is not None:
            try:
                return path.read_text(encoding="utf-8")
            except OSError:
                pass
        if self._markdown is None:
            import markdown

            self._markdown = markdown.Markdown(
                extensions=self.config.markdown_extensions,
                extension_configs=self.config.mdx_configs,
            )
        self._markdown.reset()
        html: str = self._markdown.convert(self.bodies[src_uri])
        if path is not None:
            write_if_changed(path, html)
        return html

    def put_in_place(self, output: str, page: Page) -> str | None:
        """The page's HTML with its notebook's body in place of the prose, or None."""
        if page.file.src_uri not in self.bodies:
            return None
        start, end = output.find(START), output.find(END)
        if start < 0 or end < start:
            return None
        html = URL_ATTR.sub(lambda m: self._fix_url(m, page), self.html(page.file.src_uri))
        return output[:start] + html + output[end + len(END) :]

    def _fix_url(self, match: re.Match[str], page: Page) -> str:
        # what mkdocs does to links in Markdown: a docs path becomes the page's URL
        url = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", url):
            return match.group(0)
        path, sep, frag = url.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        file = self.files.get_file_from_path(target)
        if file is None:
            return match.group(0)
        new = get_relative_url(file.url, page.url) + (sep + frag if sep else "")
        return f'{match.group(1)}="{new}"'


def _stable(value: object) -> object:
    # a slugify function's repr has an address; its class and settings do not
    settings = getattr(value, "__dict__", {})
    items = sorted((k, str(v)) for k, v in settings.items())
    return f"{type(value).__module__}.{type(value).__qualname__}:{items}"
