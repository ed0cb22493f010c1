"""The site's navigation when ``mkdocs.yml`` has none, and a navigation without the pages
a build leaves out (a draft CV, a page withheld for a secret): no link in the menu is
broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repofolio.config import Config


def pruned_nav(nav: list[Any], dropped: set[str]) -> list[Any]:
    """``nav`` without the entries of pages that are not built (no broken link in the menu);
    a section left empty goes too."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, str):
            if item not in dropped:
                out.append(item)
        elif isinstance(item, dict):
            kept = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = pruned_nav(value, dropped)
                    if not value:
                        continue
                elif isinstance(value, str) and value in dropped:
                    continue
                kept[title] = value
            if kept:
                out.append(kept)
        else:
            out.append(item)
    return out


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
