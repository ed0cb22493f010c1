"""The look that ships in the package, put into a user's MkDocs build by the repofolio plugin.

The package's theme (:mod:`repofolio.site.theme`): template overrides of Material for MkDocs
(``overrides/``: the page head's link previews, the search dialog's name) and stylesheets
(``assets/stylesheets/*.css``: the cards, badges, tag chips). A ``mkdocs.yml`` with
``plugins: [repofolio]`` gets them without a file of its own:

- the overrides go into ``theme.dirs`` after the user's ``custom_dir`` and before Material's
  folders (mkdocs looks a template up in ``theme.dirs`` in order: the user's own still wins,
  Material's stays the fallback): ``[custom_dir, ours, material, mkdocs' own]``;
- each stylesheet is a file of the build (from the package, not from ``docs/``) and goes in
  front of ``extra_css``, so the user's own stylesheets come after it and win.

The page head's link previews (``og:*``, ``twitter:*`` in ``overrides/main.html``) read
``page.meta.folio_preview``, set for each page by :func:`set_preview` from
:mod:`repofolio.site.previews` (the 404 page, rendered with no page: ``folio_preview`` in its
context, :func:`set_error_preview`); the pages' social cards are copied into the site after the
build (:func:`publish_cards`). A site without a ``site_description`` gets the owner's
headline: every page then has a meta description (search engines, Lighthouse's SEO audit).

``folio docs --out DIR`` (Zensical, no plugin) writes the same files (``repofolio.site.theme``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import is_error_template
from mkdocs.utils.templates import TemplateContext

from repofolio.site.theme import OVERRIDES, THEME, stylesheets

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.site.previews import Previews


def add_theme(config: MkDocsConfig, folio: Config) -> None:
    """The package's template folder under the user's ``custom_dir``; its stylesheets first
    in ``extra_css``; a site description. Called in ``on_config``, before mkdocs makes the
    template environment."""
    if not config.site_description:
        config.site_description = folio.headline or f"Portfolio of {folio.owner}"
    dirs: list[str] = config.theme.dirs
    own = os.fspath(OVERRIDES)
    if own not in dirs:
        custom = config.theme.custom_dir
        at = 1 if custom is not None and dirs and dirs[0] == custom else 0
        dirs.insert(at, own)
    css = stylesheets()
    config.extra_css = css + [c for c in config.extra_css if c not in css]


def add_stylesheets(files: Files, config: MkDocsConfig) -> None:
    """The package's stylesheets as files of the build; a file of the user's docs with the
    same path wins."""
    for uri in stylesheets():
        if files.get_file_from_path(uri) is None:
            files.append(File(uri, os.fspath(THEME), config.site_dir, config.use_directory_urls))


def set_preview(previews: Previews, page: Page, config: MkDocsConfig) -> None:
    """``page.meta.folio_preview``: what the page head's link preview says (and its card)."""
    from repofolio.journal import publishable

    meta, folio = page.meta, previews.cfg
    # front matter is not filtered with the page's Markdown: no private name on a card
    title = publishable(str(meta.get("title") or page.title or config.site_name), folio)
    own = meta.get("description")
    meta["folio_preview"] = previews.preview(
        page.file.src_uri,
        page.url,
        title.strip(),
        publishable(str(own), folio).strip() if own else None,
        config.site_description or "",
    )


def set_error_preview(
    previews: Previews, context: TemplateContext, template_name: str, config: MkDocsConfig
) -> None:
    """``folio_preview`` in the context of an error page (``404.html``): the theme renders it
    with no page, hence no ``page.meta``; main.html reads this instead."""
    if not is_error_template(template_name):
        return
    base_url = str(context.get("base_url") or "/")  # the site root, for an error page
    preview = previews.error_page(base_url, "Page not found", config.site_description or "")
    context["folio_preview"] = preview  # type: ignore[typeddict-unknown-key]


def publish_cards(previews: Previews, config: MkDocsConfig) -> None:
    """The social cards of the pages built, drawn when new, copied from the cache into the
    site."""
    previews.draw()
    site = Path(config.site_dir)
    for dest, src in sorted(previews.cards.items()):
        target = site / dest
        try:
            if (
                target.stat().st_size == src.stat().st_size
                and target.read_bytes() == src.read_bytes()
            ):
                continue  # `--dirty`, or the same card
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
