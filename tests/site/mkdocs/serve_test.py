"""``folio serve`` (repofolio.site.mkdocs.build.serve_site and the plugin's on_serve): a
changed notebook is rebuilt live, with every speed layer on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from site_data import build_in_process, edit, fetch, hooked_portfolio, start_serve, wait_for


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return hooked_portfolio(tmp_path / "portfolio")


def test_serve_rebuilds_a_changed_notebook_page_and_keeps_the_rest(site: Path) -> None:
    root = site
    build_in_process(
        root
    )  # caches made by `folio build`; the server builds into a folder of its own
    server, address = start_serve(root)
    try:
        # mkdocs serves under site_url's path (the example's is /portfolio/)
        base = address + "portfolio/projects/churn-model/notebooks/"
        wait_for(base + "analysis/", "Churn analysis")
        time.sleep(1.5)  # mtimes of the edit below differ from the build's
        edit(root / "projects/churn-model/notebooks/analysis.ipynb", "red warning", "live edit")
        wait_for(base + "analysis/", "live edit")
        assert "Feature engineering" in (fetch(base + "features/") or "")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "Page skipped" not in err


def test_serve_rebuilds_when_a_new_users_folio_toml_changes(new_user_repo: Path) -> None:
    """`folio init` puts the settings in folio.toml (no pyproject.toml): the server watches
    that file too, so a changed owner is on the gallery without a restart."""
    root = new_user_repo
    assert (root / "folio.toml").is_file() and not (root / "pyproject.toml").exists()
    server, address = start_serve(root)
    try:
        gallery = address + "portfolio/projects/"  # under site_url's path, from the origin
        wait_for(gallery, "by Jane Doe")
        time.sleep(1.5)  # an mtime apart from the first build's
        edit(root / "folio.toml", 'owner = "Jane Doe"', 'owner = "Jane Q. Doe"')
        wait_for(gallery, "by Jane Q. Doe")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "'folio.toml'" in err  # mkdocs' line "Watching paths for changes: ..."
