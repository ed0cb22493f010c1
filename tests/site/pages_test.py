"""The site's pages (repofolio.site.pages): which files a site publishes, on a repository made
the way a new user makes one."""

from __future__ import annotations

import re
from pathlib import Path

from build_test import png
from click.testing import CliRunner
from conftest import commit, good_readme, write_project
from repofolio.cli import main

GIF = b"GIF89a\x02\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,"
IMAGES = {
    "cover.png": png(120, 60),
    "images/eda.png": png(30, 30),
    "images/roc.png": png(31, 30),
    "images/calibration.png": png(32, 30),
    "images/nested/pr-curve.png": png(33, 30),
    "figures/architecture.gif": GIF,
    "figures/loss.png": png(34, 30),
}
VISION_BODY = """\
# Vision model

## Problem

Counting cells in microscope images by hand took a lab two days per batch.

## Approach

A U-Net on 600 labelled images. ![EDA](images/eda.png) ![ROC](images/roc.png)

## Results

Counts within 3% of the experts'. ![Loss](figures/loss.png)

## How to run

See [the architecture](figures/architecture.gif).
"""


def _set_projects_dir(root: Path, value: str) -> None:
    toml = root / "folio.toml"
    text = re.sub(r'(?m)^projects-dir = ".*"$', f'projects-dir = "{value}"', toml.read_text())
    assert f'projects-dir = "{value}"' in text
    toml.write_text(text, encoding="utf-8")


def _docs(root: Path, out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["-C", str(root), "docs", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_projects_dir_written_with_dot_slash_publishes_the_same_files(
    new_user_repo: Path, tmp_path: Path
) -> None:
    root = new_user_repo
    write_project(
        root,
        "vision-model",
        good_readme("Vision model", front_extra="cover: cover.png\n", body=VISION_BODY),
        files=IMAGES,
    )
    commit(root, "a project with seven images")
    published = {}
    for value in ("projects", "./projects"):
        _set_projects_dir(root, value)
        published[value] = _docs(root, tmp_path / value.replace("/", "_"))
    assert published["./projects"] == published["projects"]
    for name, data in IMAGES.items():
        assert published["projects"][f"projects/vision-model/{name}"] == data, name
    page = published["projects"]["projects/vision-model/index.md"].decode()
    assert "](images/eda.png)" in page  # the image shown from the site, not from GitHub
    gallery = published["projects"]["projects/index.md"].decode()
    assert re.search(r'<img src="vision-model/cover.png"[^>]* width="120" height="60"', gallery)
