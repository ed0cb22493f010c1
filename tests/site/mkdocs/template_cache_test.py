"""Speed layer template-cache (repofolio.site.mkdocs.template_cache): notebook pages' final
HTML kept between builds.

Real builds of the test portfolio (this repository's mkdocs.yml and overrides) in tmp_path.
A cached render is "poisoned" on disk with a marker: a page that shows the marker came from
the cache, a page without it was rendered again (those builds start from no site, so nothing
is put back from the last one). Every input of a render must make it render again when it
changes; nothing else may.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from site_data import (
    ANALYSIS_PAGE,
    FEATURES_PAGE,
    build_in_process,
    edit,
    hooked_portfolio,
    read_page,
)

MARK = "<!--poisoned by the test-->"
RENDERS = ".folio-cache/site/render/out"


def _poison(root: Path) -> int:
    renders = sorted((root / RENDERS).glob("*.html"))
    for path in renders:
        path.write_text(MARK + path.read_text(encoding="utf-8"), encoding="utf-8")
    return len(renders)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return hooked_portfolio(tmp_path / "portfolio")


class Lacks(str):
    """What the notebook page no longer shows after a change."""


# (what changes, the change, what the notebook page shows after it, and not before)
CHANGES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "the notebook",
        lambda r: edit(
            r / "projects/churn-model/notebooks/analysis.ipynb", "Churn analysis", "Churn study"
        ),
        "Churn study",
    ),
    (
        "an output of the notebook (its body, not its prose)",
        lambda r: edit(
            r / "projects/churn-model/notebooks/analysis.ipynb", "red warning", "blue warning"
        ),
        "blue warning",
    ),
    (
        "a setting of mkdocs.yml",
        lambda r: edit(r / "mkdocs.yml", "copyright: ©", "copyright: Copyright"),
        "Copyright 2026",
    ),
    (
        "the theme's palette",
        lambda r: edit(r / "mkdocs.yml", "primary: custom", "primary: indigo"),
        'data-md-color-primary="indigo"',
    ),
    (
        "the nav",
        lambda r: edit(r / "mkdocs.yml", "  - Tags: tags.md\n", "  - Tag index: tags.md\n"),
        "Tag index",
    ),
    (
        "the title of another page, shown in the nav",
        lambda r: edit(r / "docs/about.md", "# About\n", "# About the owner\n"),
        "About the owner",
    ),
    (
        "a new template in custom_dir shadowing the theme's",
        lambda r: (r / "overrides/partials/copyright.html").write_text(
            "<p>own footer: {{ folio_test_value }}</p>\n", encoding="utf-8"
        ),
        "own footer: first value",
    ),
    (
        "an edited template of custom_dir",
        lambda r: edit(r / "overrides/partials/copyright.html", "own footer", "edited footer"),
        "edited footer: first value",
    ),
    (
        "a global of the template environment",
        lambda r: (r / "value.txt").write_text("second value\n", encoding="utf-8"),
        "edited footer: second value",
    ),
    (
        "a plugin's settings",
        lambda r: edit(r / "mkdocs.yml", "  - search\n", "  - search:\n      enabled: false\n"),
        Lacks('for="__search"'),  # the header's search button
    ),
]


def test_every_input_of_a_render_renders_the_page_again(site: Path) -> None:
    root = site
    build_in_process(root)
    assert _poison(root) == 2  # the two notebook pages, nothing else
    build_in_process(root, fresh_site=True)  # nothing changed: both pages come from the cache
    assert read_page(root).startswith(MARK) and read_page(root, FEATURES_PAGE).startswith(MARK)
    for what, change, shown in CHANGES:
        lacks = isinstance(shown, Lacks)
        assert (shown in read_page(root)) is lacks, what
        _poison(root)
        change(root)
        build_in_process(root, fresh_site=True)
        page = read_page(root)
        assert MARK not in page, f"{what}: the cached render was used"
        assert (shown in page) is not lacks, f"{what}: the page does not show the change"
    # the notebook page's own change renders that page only
    _poison(root)
    edit(root / "projects/churn-model/notebooks/analysis.ipynb", "Churn study", "Churn again")
    build_in_process(root, fresh_site=True)
    assert "Churn again" in read_page(root) and MARK not in read_page(root)
    assert read_page(root, FEATURES_PAGE).startswith(MARK)


def test_a_cached_page_is_byte_identical_to_a_fresh_render(site: Path) -> None:
    root = site
    build_in_process(root)
    build_in_process(root)  # from the cache
    assert len(list((root / RENDERS).glob("*.html"))) == 2
    cached = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    shutil.rmtree(root / ".folio-cache/site/render")
    build_in_process(root)  # rendered again
    fresh = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert fresh.keys() == cached.keys()
    # the RSS plugin's feeds carry the time of the build; every other file is the same
    changed = [p.name for p in fresh if fresh[p] != cached[p]]
    assert [n for n in changed if not n.startswith("feed_")] == []
    assert b"Churn analysis" in fresh[root / ANALYSIS_PAGE]


def test_a_template_reading_the_build_date_or_every_page_is_never_cached(site: Path) -> None:
    root = site
    partial = root / "overrides/partials/copyright.html"
    for text in ("<p>built {{ build_date_utc }}</p>\n", "<p>{{ pages | length }} pages</p>\n"):
        partial.write_text(text, encoding="utf-8")
        build_in_process(root)
        build_in_process(root)
        assert list((root / RENDERS).glob("*.html")) == [], text
    assert re.search(r"<p>\d+ pages</p>", read_page(root))
