"""Link previews: what ``og:*`` and ``twitter:*`` say about a page, and its social card.

Every page of the site gets a title, a description (the page's own, else the site's) and an
image: a 1200 x 630 card drawn by :mod:`repofolio.render.social` for that page (the owner's
name and headline on the home page, the project's title, headline result, kind and cover on
a project page, the site's name and the page's title elsewhere). Cards are cached by content
in the site's cache (``.folio-cache/site/social/``): a warm build draws none; a cold one draws
the new ones together, when the pages are done, over forked processes. The image URL
is absolute when ``site_url`` is set (link previews need one), relative to the page
otherwise. ``[tool.folio.site] social-cards = false`` draws none (no ``og:image`` then).

Cost, measured: a warm ``folio build`` of the example portfolio (38 pages, every card cached)
took 1.054x the wall time of the build before previews (median of 9 interleaved pairs), of
which about 55 ms (profiled) are the previews: card keys, and the cards copied into the site.

No mkdocs import: the MkDocs plugin calls :meth:`Previews.preview` for each page it renders.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import Portfolio, Project
    from repofolio.render.social import Card

SOCIAL_DIR = "assets/social"
COVER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def card_path(src_uri: str) -> str:
    """Where a page's card goes in the site: ``assets/social/projects/churn-model/index.png``
    for ``projects/churn-model/index.md``."""
    stem = src_uri.rsplit(".", 1)[0] if "." in posixpath.basename(src_uri) else src_uri
    return f"{SOCIAL_DIR}/{stem}.png"


@dataclass
class Previews:
    """One build's link previews; ``cards``: site path -> the cached PNG to publish there."""

    portfolio: Portfolio
    site_name: str
    site_url: str | None
    cards: dict[str, Path] = field(default_factory=dict)
    # cards not in the cache yet, drawn together (over processes) by draw(): cache path -> card
    pending: dict[Path, Card] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from repofolio.site.pages import project_dir, published_projects

        self.cfg: Config = self.portfolio.config
        self.projects: dict[str, Project] = {
            f"{project_dir(p)}/index.md": p for p in published_projects(self.portfolio)
        }

    @property
    def cache_dir(self) -> Path:
        return self.cfg.root / self.cfg.site.cache_dir / "site"

    def preview(
        self, src_uri: str, url: str, title: str, description: str | None, fallback: str
    ) -> dict[str, str]:
        """``title``, ``description`` (the page's own, else ``fallback``), ``url`` and (cards
        on) ``image`` of the page at ``url`` (site-relative, as mkdocs gives it:
        ``projects/churn-model/``)."""
        out = {"title": title, "description": description or fallback, "url": self._url(url, url)}
        if self.cfg.site.social_cards:
            dest = card_path(src_uri)
            self._want(dest, self.card(src_uri, title, description))
            out["image"] = self._url(dest, url)
        return out

    def error_page(self, base_url: str, title: str, description: str) -> dict[str, str]:
        """The 404 page's preview. The page is served at any URL that has no page, so a
        relative link from it means nothing: ``url`` is the site's root and ``image`` (cards
        on) the home page's card, absolute with a site URL, else from ``base_url`` (where
        MkDocs puts the site root for an error page: the site URL's path, or ``/``)."""
        root = self.site_url.rstrip("/") + "/" if self.site_url else base_url.rstrip("/") + "/"
        out = {"title": title, "description": description, "url": root}
        if self.cfg.site.social_cards:
            dest = card_path("index.md")
            self._want(dest, self.card("index.md", title, description))
            out["image"] = root + dest
            out["image_alt"] = self.cfg.owner  # the card says who, not "Page not found"
        return out

    def _want(self, dest: str, card: Card) -> None:
        """The card published at ``dest``: its cache file, drawn by :meth:`draw` if new."""
        from repofolio.render.social import card_target, is_missing

        target = card_target(card, self.cache_dir / "social")
        if is_missing(target):
            self.pending[target] = card
        self.cards[dest] = target

    def draw(self) -> None:
        """Draw the cards the cache does not have yet, all at once, over processes."""
        if self.pending:
            from repofolio.render.social import draw_cards

            draw_cards([(card, target) for target, card in self.pending.items()])
            self.pending.clear()

    def _url(self, target: str, page_url: str) -> str:
        """``target`` (site-relative) from the page at ``page_url``: absolute with a site URL."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + target
        base = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
        return posixpath.relpath(target or ".", base or ".")

    def card(self, src_uri: str, title: str, description: str | None) -> Card:
        from repofolio.render import social

        cfg = self.cfg
        if src_uri == "index.md":
            return social.home_card(owner=cfg.owner, headline=cfg.headline, site_url=self.site_url)
        project = self.projects.get(src_uri)
        if project is not None and project.meta is not None:
            from repofolio.journal import publishable

            meta = project.meta
            result = meta.results[0] if meta.results else meta.summary
            # the front matter as a card: through the privacy filter, as the page's text is
            return social.project_card(
                title=publishable(meta.title, cfg),
                result=publishable(result, cfg) if result else result,
                site_name=self.site_name,
                site_url=self.site_url,
                kind=meta.kind,
                cover=self._cover(project),
            )
        return social.page_card(
            site_name=self.site_name, title=title, description=description, site_url=self.site_url
        )

    def _cover(self, project: Project) -> bytes | None:
        """The project's cover image, or its PDF's first page (a research project's)."""
        from repofolio.published_files import cover_pdf, published_path
        from repofolio.site.pages import cover_rel

        rel = cover_rel(project)
        root = self.cfg.root
        if rel is not None:
            path = root / rel
            # a symlink out of the repository is never followed
            if rel.lower().endswith(COVER_SUFFIXES) and published_path(self.portfolio, rel):
                try:
                    return path.read_bytes()
                except OSError:
                    return None
            return None
        pdf = cover_pdf(self.portfolio, project)
        if pdf is None:
            return None
        from repofolio.render.pdfcover import pdf_cover

        cover = pdf_cover(root / pdf, self.cache_dir / "covers", width=600, fmt="png", name=pdf)
        return cover.path.read_bytes() if cover.path is not None else None
