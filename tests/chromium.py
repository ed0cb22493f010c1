"""Built sites opened in headless Chromium: Debian's chromium driven by Playwright through
``executable_path`` (no browser download), the site served on 127.0.0.1.

Without a browser a test skips and says why; ``FOLIO_REQUIRE_BROWSER=1`` (set by CI) makes
that a failure. Shared by the site's browser tests (tests/site/)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def find_chromium() -> str | None:
    env = os.environ.get("CHROME_PATH")
    if env and Path(env).is_file():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable(reason: str) -> None:
    if os.environ.get("FOLIO_REQUIRE_BROWSER", "").strip() in {"1", "true", "yes"}:
        pytest.fail(f"FOLIO_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def launch() -> Iterator[object]:
    """A headless Chromium (Playwright's Browser), or the test skips (see the module)."""
    path = find_chromium()
    if path is None:
        unavailable("no Chromium found (CHROME_PATH, chromium, chromium-browser, google-chrome)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 (a free port): its URL, ending in ``/``."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        thread.join()


def open_page(browser: object, url: str, width: int = 1280, height: int = 900) -> tuple:
    """A new context at ``url`` once the network is idle: (context, page, problems seen)."""
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, problems
