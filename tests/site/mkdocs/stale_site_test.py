"""Speed layer stale-site (repofolio.site.mkdocs.stale_site): the last build's notebook pages
and outputs put back into the site when unchanged, the rest deleted by another process."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
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


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return hooked_portfolio(tmp_path / "portfolio")


def _inode(root: Path, rel: str) -> int:
    return (root / rel).stat().st_ino


@contextlib.contextmanager
def _pinned(root: Path, rels: Iterable[str]) -> Iterator[dict[str, int]]:
    """The inodes of `rels`, held open so that none can be freed and handed to a new file.

    Without this, a file the build deletes and one it writes next can share an inode, and a
    page written again would look renamed back (it happened in CI).
    """
    with contextlib.ExitStack() as stack:
        files = {rel: stack.enter_context((root / rel).open("rb")) for rel in rels}
        yield {rel: os.fstat(f.fileno()).st_ino for rel, f in files.items()}


def test_unchanged_notebook_pages_and_outputs_are_put_back_not_written(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = site
    caplog.set_level("INFO", logger="mkdocs")  # for every build: the level is in the key
    build_in_process(root)
    output = next((root / ANALYSIS_PAGE).parent.glob("*.png")).relative_to(root).as_posix()
    project = "site/projects/churn-model/index.html"
    first = {
        rel: (root / rel).read_bytes() for rel in (ANALYSIS_PAGE, FEATURES_PAGE, output, project)
    }
    with _pinned(root, first) as before:
        caplog.clear()
        build_in_process(root)
        assert "Documentation built" in caplog.text
        assert "Page skipped" not in caplog.text  # mkdocs' note for an empty page is hidden
        after = {rel: _inode(root, rel) for rel in before}
    # the same files, renamed back; a project page is written again as mkdocs does
    assert [rel for rel in before if before[rel] == after[rel]] == [
        ANALYSIS_PAGE,
        FEATURES_PAGE,
        output,
    ]
    assert {rel: (root / rel).read_bytes() for rel in before} == first
    # a page someone changed in the site, and a changed notebook: written again
    (root / FEATURES_PAGE).write_text("edited by hand", encoding="utf-8")
    edit(root / "projects/churn-model/notebooks/analysis.ipynb", "Churn analysis", "Churn study")
    with _pinned(root, [ANALYSIS_PAGE]) as kept:
        build_in_process(root)
        assert _inode(root, ANALYSIS_PAGE) != kept[ANALYSIS_PAGE] and "Churn study" in read_page(
            root
        )
    assert read_page(root, FEATURES_PAGE) == first[FEATURES_PAGE].decode("utf-8")
    assert (root / output).read_bytes() == first[output]
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".folio-stale-")]


def test_the_old_site_is_gone_and_hidden_files_stay(site: Path) -> None:
    root = site
    build_in_process(root)
    (root / "site/stale.html").write_text("from an old build", encoding="utf-8")
    (root / "site/.nojekyll").write_text("", encoding="utf-8")
    killed = root / "site/.folio-stale-killed"  # what a build killed meanwhile leaves
    (killed / "projects").mkdir(parents=True)
    build_in_process(root)
    assert not (root / "site/stale.html").exists()
    assert (root / "site/.nojekyll").exists()  # mkdocs' clean keeps hidden files too
    assert sorted(p.name for p in (root / "site").iterdir() if p.name.startswith(".")) == [
        ".nojekyll"
    ]
    assert (root / ANALYSIS_PAGE).is_file()


def test_a_failed_build_leaves_no_hidden_folder_and_the_next_one_is_whole(site: Path) -> None:
    root = site
    with (root / "hooks.py").open("a", encoding="utf-8") as fh:  # before mkdocs loads it
        fh.write(
            "\n\ndef on_page_context(context, page, config, nav):\n"
            "    if (Path(__file__).parent / 'fail').exists() and 'features' in page.url:\n"
            "        raise RuntimeError('failing on purpose')\n"
        )
    build_in_process(root)
    (root / "fail").write_text("", encoding="utf-8")
    with pytest.raises(RuntimeError, match="on purpose"):
        build_in_process(root)
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".")]
    (root / "fail").unlink()
    build_in_process(root)
    assert "Churn analysis" in read_page(root) and "Feature engineering" in read_page(
        root, FEATURES_PAGE
    )
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".")]
