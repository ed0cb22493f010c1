"""``folio serve`` (repofolio.site.mkdocs.build.serve_site and the plugin's on_serve): a
changed notebook is rebuilt live, with every speed layer on."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from site_data import build_in_process, edit, hooked_portfolio


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return hooked_portfolio(tmp_path / "portfolio")


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
    build_in_process(
        root
    )  # caches made by `folio build`; the server builds into a folder of its own
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
        edit(root / "projects/churn-model/notebooks/analysis.ipynb", "red warning", "live edit")
        _wait_for(base + "analysis/", "live edit")
        assert "Feature engineering" in (_fetch(base + "features/") or "")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "Page skipped" not in err
