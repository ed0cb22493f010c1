"""The speed layers' switch (repofolio.site.mkdocs.layers): ``[tool.folio.site] cache =
false`` builds the same site, every byte of it, as the layers do, cold and warm and after an
edit; on this repository's example portfolio and on a new user's repository with notebooks.

Builds run as `folio build` does, each in a process of its own, with SOURCE_DATE_EPOCH set
(mkdocs' page dates and the journal's "today" come from it). The one thing a build writes
that depends on the time is the RSS plugin's feeds: their lastBuildDate is the clock's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit, git, good_readme, write_project
from repofolio.errors import FolioError
from repofolio.site.mkdocs.layers import LAYERS, enabled
from site_data import ANALYSIS, FEATURES, ROOT, png

EPOCH = "1767441600"  # 2026-01-03
TIME_DEPENDENT = {"feed_rss_created.xml", "feed_rss_updated.xml"}  # mkdocs-rss-plugin


def _folio_build(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run(
        [sys.executable, "-m", "repofolio", "-C", str(root), "build", "--no-check"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result


def _site(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _differ(on: Path, off: Path) -> set[str]:
    a, b = _site(on), _site(off)
    assert a.keys() == b.keys(), a.keys() ^ b.keys()
    assert any(name.endswith(".html") for name in a) and "search/search_index.json" in a
    assert "sitemap.xml" in a
    return {name for name in a if a[name] != b[name]}


def _switch_off(root: Path, config: str) -> None:
    path = root / config
    text = path.read_text(encoding="utf-8")
    table = "[tool.folio.site]" if config == "pyproject.toml" else "[site]"
    path.write_text(f"{text.rstrip()}\n\n{table}\ncache = false\n", encoding="utf-8")


def _edit_a_notebook(root: Path, rel: str) -> None:
    path = root / rel
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    source = cell["source"]
    cell["source"] = (source if isinstance(source, str) else "".join(source)) + "\n\nEdited."
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def _layers_worked(root: Path) -> None:
    cache = root / ".folio-cache/site"
    assert list((cache / "render/out").glob("*.html")), "no notebook page's render was kept"
    assert json.loads((cache / "search.json").read_text(encoding="utf-8"))
    assert json.loads((cache / "pages.json").read_text(encoding="utf-8"))
    assert list((cache / "html").glob("*.html"))


def _layers_absent(root: Path) -> None:
    cache = root / ".folio-cache/site"
    for made in ("render", "search.json", "pages.json", "html", "stale-site.json"):
        assert not (cache / made).exists(), made


def _compare_both_ways(on: Path, off: Path, notebook: str) -> None:
    _folio_build(on)
    _folio_build(off)
    assert _differ(on, off) <= TIME_DEPENDENT  # cold
    warm = _folio_build(on)  # every layer reuses what the last build left
    assert "from cache" in warm.stderr
    _layers_worked(on)
    _layers_absent(off)
    assert _differ(on, off) <= TIME_DEPENDENT
    for root in (on, off):
        _edit_a_notebook(root, notebook)
        _folio_build(root)
    assert b"Edited." in b"".join(_site(on).values())
    assert _differ(on, off) <= TIME_DEPENDENT


def _copy_tracked(src: Path, dest: Path) -> Path:
    files = git(src, "ls-files", "-z").split("\0")
    for rel in filter(None, files):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, target, follow_symlinks=False)
    return dest


def test_the_example_site_is_the_same_with_every_speed_layer_off(tmp_path: Path) -> None:
    on = _copy_tracked(ROOT, tmp_path / "on")
    off = _copy_tracked(ROOT, tmp_path / "off")
    _switch_off(off, "pyproject.toml")
    notebook = sorted(p.relative_to(on).as_posix() for p in on.glob("projects/*/**/*.ipynb"))[0]
    _compare_both_ways(on, off, notebook)


def test_a_new_users_site_is_the_same_with_every_speed_layer_off(
    new_user_repo: Path, tmp_path: Path
) -> None:
    write_project(
        new_user_repo,
        "churn-model",
        good_readme("Churn model", front_extra="cover: cover.png\n"),
        files={
            "cover.png": png(160, 90),
            "notebooks/analysis.ipynb": ANALYSIS,
            "notebooks/features.ipynb": FEATURES,
        },
    )
    commit(new_user_repo, "a project with notebooks")
    on = new_user_repo
    off = shutil.copytree(on, tmp_path / "off", symlinks=True)
    _switch_off(off, "folio.toml")
    _compare_both_ways(on, off, "projects/churn-model/notebooks/analysis.ipynb")


def test_the_switch_names_layers_and_refuses_unknown_ones() -> None:
    assert enabled(True) == list(LAYERS) and enabled(False) == []
    assert enabled(("template-cache", "writer")) == ["writer", "template-cache"]
    with pytest.raises(FolioError, match="unknown speed layer 'render'; layers: writer"):
        enabled(("render",))
