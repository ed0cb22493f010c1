"""The notebook pages' template renders cached between builds (repofolio.site.htmlcache),
and the last build's notebook pages and outputs put back into the site when unchanged.

Real builds of the example portfolio (the repository's mkdocs.yml and overrides) in
tmp_path. A cached render is "poisoned" on disk with a marker: a page that shows the marker
came from the cache, a page without it was rendered again (those builds start from no site,
so nothing is put back from the last one). Every input of a render must make it render again
when it changes; nothing else may.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from build_test import make_portfolio
from repofolio.site.mkdocs.build import build_site

MARK = "<!--poisoned by the test-->"
ANALYSIS = "site/projects/churn-model/notebooks/analysis/index.html"
FEATURES = "site/projects/churn-model/notebooks/features/index.html"
RENDERS = ".folio-cache/site/render/out"
HOOK = """\
from pathlib import Path


def on_env(env, config, files):
    env.globals["folio_test_value"] = (Path(__file__).parent / "value.txt").read_text().strip()
"""


def _build(root: Path, *, fresh_site: bool = False) -> None:
    if fresh_site:
        shutil.rmtree(root / "site", ignore_errors=True)
    build_site(root / "mkdocs.yml")


def _page(root: Path, rel: str = ANALYSIS) -> str:
    return (root / rel).read_text(encoding="utf-8")


def _poison(root: Path) -> int:
    renders = sorted((root / RENDERS).glob("*.html"))
    for path in renders:
        path.write_text(MARK + path.read_text(encoding="utf-8"), encoding="utf-8")
    return len(renders)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example portfolio; its nav takes the About page's title from the page itself,
    a hook puts a value read from a file into the templates' globals."""
    root = tmp_path / "portfolio"
    make_portfolio(root, big_output=False)
    shutil.rmtree(root / "projects" / "bad-notebooks")
    _edit(root / "mkdocs.yml", "  - About: about.md\n", "  - about.md\n")
    (root / "hooks.py").write_text(HOOK, encoding="utf-8")
    (root / "value.txt").write_text("first value\n", encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nhooks:\n  - hooks.py\n")
    return root


class Lacks(str):
    """What the notebook page no longer shows after a change."""


# (what changes, the change, what the notebook page shows after it, and not before)
CHANGES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "the notebook",
        lambda r: _edit(
            r / "projects/churn-model/notebooks/analysis.ipynb", "Churn analysis", "Churn study"
        ),
        "Churn study",
    ),
    (
        "an output of the notebook (its body, not its prose)",
        lambda r: _edit(
            r / "projects/churn-model/notebooks/analysis.ipynb", "red warning", "blue warning"
        ),
        "blue warning",
    ),
    (
        "a setting of mkdocs.yml",
        lambda r: _edit(r / "mkdocs.yml", "copyright: ©", "copyright: Copyright"),
        "Copyright 2026",
    ),
    (
        "the theme's palette",
        lambda r: _edit(r / "mkdocs.yml", "primary: custom", "primary: indigo"),
        'data-md-color-primary="indigo"',
    ),
    (
        "the nav",
        lambda r: _edit(r / "mkdocs.yml", "  - Tags: tags.md\n", "  - Tag index: tags.md\n"),
        "Tag index",
    ),
    (
        "the title of another page, shown in the nav",
        lambda r: _edit(r / "docs/about.md", "# About\n", "# About the owner\n"),
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
        lambda r: _edit(r / "overrides/partials/copyright.html", "own footer", "edited footer"),
        "edited footer: first value",
    ),
    (
        "a global of the template environment",
        lambda r: (r / "value.txt").write_text("second value\n", encoding="utf-8"),
        "edited footer: second value",
    ),
    (
        "a plugin's settings",
        lambda r: _edit(r / "mkdocs.yml", "  - search\n", "  - search:\n      enabled: false\n"),
        Lacks('for="__search"'),  # the header's search button
    ),
]


def test_every_input_of_a_render_renders_the_page_again(site: Path) -> None:
    root = site
    _build(root)
    assert _poison(root) == 2  # the two notebook pages, nothing else
    _build(root, fresh_site=True)  # nothing changed: both pages come from the cache
    assert _page(root).startswith(MARK) and _page(root, FEATURES).startswith(MARK)
    for what, change, shown in CHANGES:
        lacks = isinstance(shown, Lacks)
        assert (shown in _page(root)) is lacks, what
        _poison(root)
        change(root)
        _build(root, fresh_site=True)
        page = _page(root)
        assert MARK not in page, f"{what}: the cached render was used"
        assert (shown in page) is not lacks, f"{what}: the page does not show the change"
    # the notebook page's own change renders that page only
    _poison(root)
    _edit(root / "projects/churn-model/notebooks/analysis.ipynb", "Churn study", "Churn again")
    _build(root, fresh_site=True)
    assert "Churn again" in _page(root) and MARK not in _page(root)
    assert _page(root, FEATURES).startswith(MARK)


def test_a_cached_page_is_byte_identical_to_a_fresh_render(site: Path) -> None:
    root = site
    _build(root)
    _build(root)  # from the cache
    assert len(list((root / RENDERS).glob("*.html"))) == 2
    cached = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    shutil.rmtree(root / ".folio-cache/site/render")
    _build(root)  # rendered again
    fresh = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert fresh.keys() == cached.keys()
    # the RSS plugin's feeds carry the time of the build; every other file is the same
    changed = [p.name for p in fresh if fresh[p] != cached[p]]
    assert [n for n in changed if not n.startswith("feed_")] == []
    assert b"Churn analysis" in fresh[root / ANALYSIS]


def test_a_template_reading_the_build_date_or_every_page_is_never_cached(site: Path) -> None:
    root = site
    partial = root / "overrides/partials/copyright.html"
    for text in ("<p>built {{ build_date_utc }}</p>\n", "<p>{{ pages | length }} pages</p>\n"):
        partial.write_text(text, encoding="utf-8")
        _build(root)
        _build(root)
        assert list((root / RENDERS).glob("*.html")) == [], text
    assert re.search(r"<p>\d+ pages</p>", _page(root))


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
    _build(root)
    output = next((root / ANALYSIS).parent.glob("*.png")).relative_to(root).as_posix()
    project = "site/projects/churn-model/index.html"
    first = {rel: (root / rel).read_bytes() for rel in (ANALYSIS, FEATURES, output, project)}
    with _pinned(root, first) as before:
        caplog.clear()
        _build(root)
        assert "Documentation built" in caplog.text
        assert "Page skipped" not in caplog.text  # mkdocs' note for an empty page is hidden
        after = {rel: _inode(root, rel) for rel in before}
    # the same files, renamed back; a project page is written again as mkdocs does
    assert [rel for rel in before if before[rel] == after[rel]] == [ANALYSIS, FEATURES, output]
    assert {rel: (root / rel).read_bytes() for rel in before} == first
    # a page someone changed in the site, and a changed notebook: written again
    (root / FEATURES).write_text("edited by hand", encoding="utf-8")
    _edit(root / "projects/churn-model/notebooks/analysis.ipynb", "Churn analysis", "Churn study")
    with _pinned(root, [ANALYSIS]) as kept:
        _build(root)
        assert _inode(root, ANALYSIS) != kept[ANALYSIS] and "Churn study" in _page(root)
    assert _page(root, FEATURES) == first[FEATURES].decode("utf-8")
    assert (root / output).read_bytes() == first[output]
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".folio-stale-")]


def test_the_old_site_is_gone_and_hidden_files_stay(site: Path) -> None:
    root = site
    _build(root)
    (root / "site/stale.html").write_text("from an old build", encoding="utf-8")
    (root / "site/.nojekyll").write_text("", encoding="utf-8")
    killed = root / "site/.folio-stale-killed"  # what a build killed meanwhile leaves
    (killed / "projects").mkdir(parents=True)
    _build(root)
    assert not (root / "site/stale.html").exists()
    assert (root / "site/.nojekyll").exists()  # mkdocs' clean keeps hidden files too
    assert sorted(p.name for p in (root / "site").iterdir() if p.name.startswith(".")) == [
        ".nojekyll"
    ]
    assert (root / ANALYSIS).is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not served at {url} after {seconds} s: {page!r:.300}")


def test_serve_rebuilds_a_changed_notebook_page_and_keeps_the_rest(site: Path) -> None:
    root = site
    _build(root)  # caches made by `folio build`; the server builds into a folder of its own
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "repofolio", "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # mkdocs serves under site_url's path (the example's is /portfolio/)
        base = f"http://127.0.0.1:{port}/portfolio/projects/churn-model/notebooks/"
        _wait_for(base + "analysis/", "Churn analysis")
        time.sleep(1.5)  # mtimes of the edit below differ from the build's
        _edit(root / "projects/churn-model/notebooks/analysis.ipynb", "red warning", "live edit")
        _wait_for(base + "analysis/", "live edit")
        assert "Feature engineering" in (_fetch(base + "features/") or "")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "Page skipped" not in err


def test_a_failed_build_leaves_no_hidden_folder_and_the_next_one_is_whole(site: Path) -> None:
    root = site
    with (root / "hooks.py").open("a", encoding="utf-8") as fh:  # before mkdocs loads it
        fh.write(
            "\n\ndef on_page_context(context, page, config, nav):\n"
            "    if (Path(__file__).parent / 'fail').exists() and 'features' in page.url:\n"
            "        raise RuntimeError('failing on purpose')\n"
        )
    _build(root)
    (root / "fail").write_text("", encoding="utf-8")
    with pytest.raises(RuntimeError, match="on purpose"):
        _build(root)
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".")]
    (root / "fail").unlink()
    _build(root)
    assert "Churn analysis" in _page(root) and "Feature engineering" in _page(root, FEATURES)
    assert not [p for p in (root / "site").iterdir() if p.name.startswith(".")]
