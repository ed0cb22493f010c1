"""The speed layers of the MkDocs adapter, and the switch that turns them off.

Each layer is a small mkdocs plugin of its own, in a module of its own whose docstring says
what it saves, as measured (``python bench/bench_site.py --layers``). The repofolio plugin
adds the layers ``[tool.folio.site] cache`` enables to the build's plugins (``true``: all,
the default; ``false``: none; a list: those named). A site built with any of them off is the
same, byte for byte, as one built with all on (tests/site/mkdocs/layers_test.py).

A layer defines no ``on_config`` nor ``on_startup``: it is added while mkdocs runs the
``config`` event, after ``startup``. ``setup`` is called instead.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from repofolio.errors import FolioError

if TYPE_CHECKING:
    from repofolio.site.mkdocs.plugin import RepofolioPlugin

# name -> module:class, in the order they are added (the order of equal-priority events)
LAYERS: dict[str, str] = {
    "writer": "repofolio.site.mkdocs.writer:Writer",
    "stale-site": "repofolio.site.mkdocs.stale_site:StaleSite",
    "body-cache": "repofolio.site.mkdocs.body_cache:BodyCache",
    "markdown-cache": "repofolio.site.mkdocs.markdown_cache:MarkdownCache",
    "search-reuse": "repofolio.site.mkdocs.search_reuse:SearchReuse",
    "template-cache": "repofolio.site.mkdocs.template_cache:TemplateCache",
}


class Layer(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """A speed layer: a plugin that works on the repofolio plugin's build (``site``)."""

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()  # type: ignore[no-untyped-call]

    def __init__(self, site: RepofolioPlugin) -> None:
        super().__init__()
        self.site = site

    def setup(self, config: MkDocsConfig) -> None:
        """Called once the layer is added, in the repofolio plugin's ``on_config``."""


def enabled(setting: bool | tuple[str, ...]) -> list[str]:
    """The layers ``[tool.folio.site] cache`` turns on, in LAYERS' order."""
    if setting is True:
        return list(LAYERS)
    if setting is False:
        return []
    unknown = sorted(set(setting) - LAYERS.keys())
    if unknown:
        raise FolioError(
            f"[tool.folio.site] cache: unknown speed layer '{unknown[0]}'; "
            f"layers: {', '.join(LAYERS)}"
        )
    return [name for name in LAYERS if name in setting]


def add_layers(site: RepofolioPlugin, config: MkDocsConfig, setting: Any) -> list[str]:
    """Add the enabled layers to this build's plugins; their names."""
    names = enabled(setting)
    for name in names:
        module, _, cls = LAYERS[name].partition(":")
        layer: Layer = getattr(import_module(module), cls)(site)
        config.plugins[f"repofolio/{name}"] = layer  # registers its events, as mkdocs does
        layer.setup(config)
    return names
