"""Speed layer ``body-cache``: each notebook body's HTML kept between builds.

A notebook body (its code and outputs) rendered with the site's Markdown extensions costs
as much as nbconvert took for the notebook, and it is the same every build while the body
and the Markdown settings are: the render is kept in ``.folio-cache/site/html/<key>.html``,
the key a SHA-256 of the settings (Markdown's version, the extensions and their options) and
the body. Renders no page of a build used are deleted after it. Off, every body is rendered
again by every build.

Measured (``python bench/bench_site.py --layers --corpus heavy --notebooks 100 --repeat 3``,
2026-12-07, 2 cores shared with other test runs): a build with this layer off against one
with all on, paired: warm (nothing changed) x1.18, cold x1.03. The cold pairs swung
from 3 s to 18 s with the machine's load; only the warm figures are steady enough to read.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from repofolio.site.mkdocs.layers import Layer


class BodyCache(Layer):
    @event_priority(45)  # after the repofolio plugin (50) deferred the bodies
    def on_files(self, files: Files, config: MkDocsConfig) -> None:
        if self.site.notebooks is not None:
            self.site.notebooks.folder = self.site.cache_dir / "html"

    def on_post_build(self, config: MkDocsConfig) -> None:
        notebooks = self.site.notebooks
        if notebooks is None or notebooks.folder is None:
            return
        used = {f"{notebooks.key(src_uri)}.html" for src_uri in notebooks.bodies}
        try:
            names = os.listdir(notebooks.folder)
        except OSError:
            return
        for name in names:
            if name not in used:
                try:
                    os.unlink(notebooks.folder / name)
                except OSError:
                    pass
