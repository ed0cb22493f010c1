"""Portfolios with notebooks for the site's tests: real PNGs, notebooks of every kind (good,
invalid, nbformat 3, malformed widget state, a 50 MB output), symlinks out of the repository,
this repository's mkdocs.yml with a custom_dir of the user's own (empty). Shared by
tests/site/ and tests/site/mkdocs/."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path

from conftest import git, good_readme

ROOT = Path(__file__).resolve().parents[1]


def png(width: int = 40, height: int = 20) -> bytes:
    raw = b"".join(b"\x00" + bytes([200, 60, 60]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def notebook(cells: list[dict[str, object]], **meta: object) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"language_info": {"name": "python"}, **meta},
            "cells": cells,
        },
        indent=1,
    )


def md(text: str, i: int) -> dict[str, object]:
    return {"cell_type": "markdown", "id": f"m{i}", "metadata": {}, "source": text}


def code(source: str, outputs: list[dict[str, object]], i: int) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": f"c{i}",
        "metadata": {},
        "execution_count": i,
        "source": source,
        "outputs": outputs,
    }


ANALYSIS = notebook(
    [
        md(
            "# Churn analysis\n\n"
            "See [the features](features.ipynb) and [the write-up](../README.md).",
            1,
        ),
        code(
            "print('hi')",
            [
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": "\x1b[31mred warning\x1b[0m plain\n",
                }
            ],
            2,
        ),
        code(
            "df",
            [
                {
                    "output_type": "execute_result",
                    "execution_count": 3,
                    "metadata": {},
                    "data": {
                        "text/plain": "   a\n0  1",
                        "text/html": '<table class="dataframe"><tr><td>42</td></tr></table>',
                    },
                }
            ],
            3,
        ),
        code(
            "plot()",
            [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {
                        "image/png": __import__("base64").b64encode(png()).decode(),
                        "text/plain": "<Figure>",
                    },
                }
            ],
            4,
        ),
    ]
)
FEATURES = notebook([md("# Feature engineering\n\nBack to [the analysis](analysis.ipynb).", 1)])
WIDGETS = notebook(
    [md("# Widgets\n\nA slider was here.", 1)],
    widgets={"application/vnd.jupyter.widget-state+json": {"version_major": 2}},  # no 'state'
)
V3 = json.dumps(
    {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "markdown", "source": "# Old notebook"},
                    {
                        "cell_type": "code",
                        "input": "1+1",
                        "language": "python",
                        "outputs": [],
                        "prompt_number": 1,
                    },
                ],
                "metadata": {},
            }
        ],
    }
)

UNICODE_BODY = """\
# Churn model

## Problem

A subscription business lost 4% of customers a month.

## Approach

Gradient boosting on 42 usage features. ![cover](images/cover.png)

## Results

ROC AUC 0.91 against 0.84.

### نتائج النموذج

Arabic heading.

### 模型结果

Chinese heading.

## How to run

Run the [analysis notebook](notebooks/analysis.ipynb); read [the thesis](docs/thesis.pdf).
"""


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def make_portfolio(root: Path, *, big_output: bool = True) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    _write(
        root / "pyproject.toml",
        '[tool.folio]\nowner = "Test Owner"\n'
        'headline = "Data scientist who ships"\n'
        'site-url = "https://owner.example.org/"\n'
        'repo-url = "https://github.com/owner/portfolio"\n'
        '[tool.folio.journal]\nprivate = ["Acme Corp"]\n',
    )
    churn = root / "projects" / "churn-model"
    readme = good_readme(
        "Churn model",
        front_extra="cover: images/cover.png\nhighlight: 1\nrun: python -m pytest -q\n",
        body=UNICODE_BODY,
    ).replace(
        "  repo: https://github.com/example/churn\n",
        "  repo: https://github.com/example/churn\n"
        "  video: https://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
        1,
    )
    _write(churn / "README.md", readme)
    _write(churn / "images" / "cover.png", png(160, 90))
    _write(churn / "docs" / "thesis.pdf", b"%PDF-1.4\n%fake but served\n")
    _write(churn / "notebooks" / "analysis.ipynb", ANALYSIS)
    _write(churn / "notebooks" / "features.ipynb", FEATURES)
    other = root / "projects" / "price-model"
    _write(
        other / "README.md",
        good_readme("Price model", front_extra="run: python -m pytest -q\n").replace(
            "summary: Predicts which customers cancel next month from 18 months of usage logs.",
            "summary: Forecasts elasticity of demand for zanzibarite widgets.",
        ),
    )
    bad = root / "projects" / "bad-notebooks"
    _write(
        bad / "README.md",
        good_readme("Bad notebooks").replace(
            "summary: Predicts which", "summary: Bad notebooks predict which"
        ),
    )
    _write(bad / "invalid.ipynb", '{"cells": [')
    _write(bad / "old-v3.ipynb", V3)
    _write(bad / "widgets.ipynb", WIDGETS)
    if big_output:
        big = notebook(
            [
                code(
                    "spam()",
                    [{"output_type": "stream", "name": "stdout", "text": "x" * (50 * 2**20)}],
                    1,
                )
            ]
        )
        _write(bad / "big-output.ipynb", big)
    docs = root / "docs"
    _write(
        docs / "index.md",
        "# Test Owner\n\nI build models. Working at Acme Corp.\n\nMore about me.\n",
    )
    _write(docs / "about.md", "# About\n\nHello.\n")
    _write(docs / "journal" / "index.md", "# Journal\n\nDaily notes.\n")
    _write(
        docs / "journal" / "posts" / "2026-01-05.md",
        "---\ndate: 2026-01-05\ncategories: [learning]\nhours: 3\n---\n\n# First day\n\n"
        "Talked to Acme Corp today.<!-- private -->secret salary 99k<!-- /private -->\n",
    )
    secret = root.parent / "outside-secret.png"
    _write(secret, b"not for the site")
    (churn / "images" / "leak.png").symlink_to(secret)
    (bad / "leak.ipynb").symlink_to(secret)
    report = {
        "version": 1,
        "projects": {"churn-model": {"status": "passing"}, "price-model": {"status": "failing"}},
    }
    _write(root / ".folio-cache" / "run-report.json", json.dumps(report))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "overrides" / "partials").mkdir(parents=True)  # the user's own custom_dir
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    text = text.replace("  - CV: cv.md\n", "")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


# -- a new user's first project, written by hand (theme tests, bench/lighthouse.py) ------

NEW_USER_PROJECT = """\
---
title: Demand forecasting for a bakery chain
summary: Daily bread orders for 40 shops from two years of sales, weather and holidays.
date: 2025-09-01
tags: [forecasting, time-series, lightgbm]
skills: [Python, pandas, LightGBM]
cover: images/forecast.png
links:
  repo: https://github.com/jane-doe/bakery-forecast
results:
  - Waste down 18% in a 6-week pilot at 5 shops, against the managers' own orders
---

# Demand forecasting for a bakery chain

## Problem

Shop managers ordered bread by feel; a tenth of it went to waste and popular loaves sold out
by noon.

## Approach

A LightGBM model per product family on lagged sales, the weather forecast and school
holidays, validated on the last 12 weeks with a rolling origin.

## Results

| metric | managers | model |
| --- | ---: | ---: |
| MAPE | 23% | 14% |
| waste | 10.2% | 8.4% |

## How to run

```bash
python forecast.py --shops 40
```
"""


def chart_png() -> bytes:
    """A real chart-like PNG (bars on a paper background), 800 x 450."""
    from PIL import Image

    image = Image.new("RGB", (800, 450), "#f4f1ea")
    for i in range(12):
        height = 60 + (i * 37) % 300
        image.paste((40 + i * 15, 90, 160), (40 + i * 60, 420 - height, 80 + i * 60, 420))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# -- one portfolio built again and again in a process (the speed layers' tests) --------------

ANALYSIS_PAGE = "site/projects/churn-model/notebooks/analysis/index.html"
FEATURES_PAGE = "site/projects/churn-model/notebooks/features/index.html"
HOOK = """\
from pathlib import Path


def on_env(env, config, files):
    env.globals["folio_test_value"] = (Path(__file__).parent / "value.txt").read_text().strip()
"""


def build_in_process(root: Path, *, fresh_site: bool = False) -> None:
    """`folio build`'s mkdocs build, in this process (from no site with ``fresh_site``)."""
    from repofolio.site.mkdocs.build import build_site

    if fresh_site:
        shutil.rmtree(root / "site", ignore_errors=True)
    build_site(root / "mkdocs.yml")


def read_page(root: Path, rel: str = ANALYSIS_PAGE) -> str:
    return (root / rel).read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hooked_portfolio(root: Path) -> Path:
    """The test portfolio without its bad notebooks; its nav takes the About page's title
    from the page itself, a hook puts a value read from a file into the templates' globals."""
    make_portfolio(root, big_output=False)
    shutil.rmtree(root / "projects" / "bad-notebooks")
    edit(root / "mkdocs.yml", "  - About: about.md\n", "  - about.md\n")
    (root / "hooks.py").write_text(HOOK, encoding="utf-8")
    (root / "value.txt").write_text("first value\n", encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nhooks:\n  - hooks.py\n")
    return root


# -- a live server ----------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    """The page at ``url`` once it holds ``text`` (a live server builds, then serves)."""
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not served at {url} after {seconds} s: {page!r:.300}")


def start_serve(root: Path) -> tuple[subprocess.Popen[str], str]:
    """``folio serve`` of ``root`` on a free port, in its own process: (the server, its
    address ``http://127.0.0.1:PORT/``). Stop it with ``terminate()``; its stderr is piped."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "repofolio", "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return server, f"http://127.0.0.1:{port}/"


JOURNAL_FEED = """\
  - rss:
      match_path: "journal/posts/.*"
      date_from_meta:
        as_creation: date
      categories:
        - categories
      use_git: false
"""


def with_journal_feed(root: Path) -> None:
    """The journal's RSS feed (mkdocs-rss-plugin) first among the plugins of root/mkdocs.yml."""
    yml = root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert "plugins:\n" in text
    yml.write_text(text.replace("plugins:\n", "plugins:\n" + JOURNAL_FEED, 1), encoding="utf-8")


def zensical_build(config: Path, cwd: Path) -> None:
    """``zensical build -f config`` for real (a test dependency), failing with its output."""
    from conftest import venv_tool

    zensical = venv_tool("zensical")
    assert zensical, "zensical is a test dependency: pip install -e '.[test]'"
    run = subprocess.run(
        [zensical, "build", "-f", str(config)], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
