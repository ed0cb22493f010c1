"""The site's look, shipped in the package: Material for MkDocs' template overrides
(``overrides/``) and stylesheets (``assets/stylesheets/*.css``).

The MkDocs plugin layers them under the user's ``custom_dir`` (:mod:`repofolio.site.mkdocs.theme`);
``folio docs --out DIR`` writes them for a builder without the plugin (Zensical): the
stylesheets into the docs, the templates (the user's ``custom_dir`` on top of them) into
``DIR/.folio-theme/``, a hidden folder that MkDocs and Zensical do not publish. No mkdocs import.
"""

from __future__ import annotations

from pathlib import Path

THEME = Path(__file__).resolve().parent
OVERRIDES = THEME / "overrides"
STYLESHEETS = THEME / "assets" / "stylesheets"
BUILDER_THEME_DIR = ".folio-theme"  # in `folio docs --out DIR`: the templates for Zensical
# Material's own partials with a fix of ours, for Material only: Zensical's differ (its header
# search is a button; Material's search form in its place renders unstyled) and already have
# the fix (a name for the search dialog)
MATERIAL_ONLY = frozenset({"partials/search.html"})


BASE_STYLESHEET = "folio.css"  # the cards, badges, chips: the others build on its rules


def stylesheets() -> list[str]:
    """The package's stylesheets as site paths, in the order pages load them:
    ``assets/stylesheets/folio.css`` first, then the others by name. A later sheet's rule of
    the same specificity wins, so ``folio-kinds.css`` (which sorts before ``folio.css``:
    ``-`` < ``.``) overrides the base, as a PDF cover on a card needs."""
    found = sorted(p.name for p in STYLESHEETS.glob("*.css") if p.is_file())
    ordered = sorted(found, key=lambda name: name != BASE_STYLESHEET)  # stable: the rest by name
    return [(STYLESHEETS / name).relative_to(THEME).as_posix() for name in ordered]


def templates(*, material: bool = True) -> dict[str, Path]:
    """The package's template overrides by their path in a theme folder (``main.html``,
    ``partials/search.html``); ``material=False``: those for Zensical's templates."""
    found = {
        p.relative_to(OVERRIDES).as_posix(): p
        for p in sorted(OVERRIDES.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    return {rel: p for rel, p in found.items() if material or rel not in MATERIAL_ONLY}
