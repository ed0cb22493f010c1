"""repofolio.published_files: where a repository file is published, its absolute URL, the link on a
site page, and one button per target, on a new user's repository with real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import commit, typst_pdf, write_project
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.model import Portfolio
from repofolio.published_files import (
    Button,
    file_href,
    file_url,
    page_url,
    project_buttons,
    published_path,
    relative_href,
    repo_path,
)

SITE = "https://jane-doe.github.io/portfolio/"
REPO = "https://github.com/jane-doe/portfolio"

RESEARCH = """\
---
title: MSc thesis
summary: Conformal prediction on three medical datasets.
kind: research
date: 2023-06-01
links:
  thesis: thesis.pdf
  slides: talk/slides.pdf
  video: https://www.youtube.com/watch?v=dQw4w9WgXcQ
  repo: https://github.com/jane-doe/thesis-code
  code: https://github.com/jane-doe/thesis-code
  data: data/coverage.csv
  script: analysis.py
  gone: missing.pdf
results: [Coverage 0.90 at a 0.90 target]
---

# MSc thesis

## Problem

P.

## Approach

A.

## Results

R.
"""


@pytest.fixture
def portfolio(new_user_repo: Path) -> Portfolio:
    pdf = typst_pdf("Thesis")
    write_project(
        new_user_repo,
        "msc-thesis",
        RESEARCH,
        {
            "thesis.pdf": pdf,
            "talk/slides.pdf": typst_pdf("Slides", 2),
            "appendix-b.pdf": typst_pdf("Appendix B"),
            ".private/notes.pdf": pdf,
            "data/coverage.csv": "alpha,coverage\n0.1,0.90\n",
            "analysis.py": "print('coverage 0.90')\n",
            "notebooks/coverage.ipynb": "{}",
        },
    )
    write_project(
        new_user_repo,
        "wip",
        RESEARCH.replace("kind: research\n", "kind: research\ndraft: true\n"),
        {"thesis.pdf": pdf},
    )
    (new_user_repo / "docs" / "files").mkdir(parents=True, exist_ok=True)
    (new_user_repo / "docs" / "files" / "award.pdf").write_bytes(pdf)
    (new_user_repo / "certificates").mkdir()
    (new_user_repo / "certificates" / "aws.pdf").write_bytes(pdf)
    commit(new_user_repo)
    return load_portfolio(load_config(new_user_repo))


@pytest.mark.parametrize(
    ("base", "target", "expected"),
    [
        ("projects/a", "thesis.pdf", "projects/a/thesis.pdf"),
        ("projects/a", "./talk/../talk/slides.pdf#page=3", "projects/a/talk/slides.pdf"),
        ("projects/a", "my%20thesis.pdf?raw=1", "projects/a/my thesis.pdf"),
        ("projects/a", "../b/report.pdf", "projects/b/report.pdf"),
        ("projects/a", "/certificates/aws.pdf", "certificates/aws.pdf"),
        ("", "certificates/aws.pdf", "certificates/aws.pdf"),
        ("projects/a", "../../../etc/passwd", None),
        ("projects/a", "https://example.org/x.pdf", None),
        ("projects/a", "mailto:jane@example.org", None),
        ("projects/a", "//cdn.example.org/x.pdf", None),
        ("projects/a", "#results", None),
        ("projects/a", "", None),
    ],
)
def test_repo_path(base: str, target: str, expected: str | None) -> None:
    assert repo_path(base, target) == expected


def test_published_path_is_where_the_site_puts_each_file(portfolio: Portfolio) -> None:
    p = "projects/msc-thesis"
    assert published_path(portfolio, f"{p}/thesis.pdf") == f"{p}/thesis.pdf"
    assert published_path(portfolio, f"{p}/talk/slides.pdf") == f"{p}/talk/slides.pdf"
    assert published_path(portfolio, f"{p}/data/coverage.csv") == f"{p}/data/coverage.csv"
    assert published_path(portfolio, f"{p}/README.md") == f"{p}/index.md"
    assert published_path(portfolio, p) == f"{p}/index.md"
    assert (
        published_path(portfolio, f"{p}/notebooks/coverage.ipynb") == f"{p}/notebooks/coverage.md"
    )
    assert published_path(portfolio, "docs/files/award.pdf") == "files/award.pdf"
    # not copied by the site: code, hidden folders, files that do not exist, drafts, the rest
    assert published_path(portfolio, f"{p}/analysis.py") is None
    assert published_path(portfolio, f"{p}/.private/notes.pdf") is None
    assert published_path(portfolio, f"{p}/missing.pdf") is None
    assert published_path(portfolio, "projects/wip/thesis.pdf") is None
    assert published_path(portfolio, "certificates/aws.pdf") is None


def test_a_symlink_out_of_the_repository_is_never_published(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 private")
    (portfolio.root / "projects" / "msc-thesis" / "leak.pdf").symlink_to(outside)
    commit(portfolio.root)
    fresh = load_portfolio(load_config(portfolio.root))
    assert "projects/msc-thesis/leak.pdf" in fresh.files()
    assert published_path(fresh, "projects/msc-thesis/leak.pdf") is None
    found = file_url(fresh, "projects/msc-thesis/leak.pdf")
    assert found.url is None or found.url.startswith(f"{REPO}/blob/")  # never the site's copy


def test_file_url_is_absolute_or_says_why_not(portfolio: Portfolio) -> None:
    found = file_url(portfolio, "projects/msc-thesis/talk/slides.pdf")
    assert found.url == f"{SITE}projects/msc-thesis/talk/slides.pdf" and found.problem is None
    assert file_url(portfolio, "projects/msc-thesis/README.md").url == f"{SITE}projects/msc-thesis/"
    assert file_url(portfolio, "docs/files/award.pdf").url == f"{SITE}files/award.pdf"
    # the site does not publish it: its page on GitHub, which shows a PDF or code
    assert file_url(portfolio, "certificates/aws.pdf").url == (
        f"{REPO}/blob/main/certificates/aws.pdf"
    )
    assert file_url(portfolio, "projects/msc-thesis/analysis.py").url == (
        f"{REPO}/blob/main/projects/msc-thesis/analysis.py"
    )
    gone = file_url(portfolio, "projects/msc-thesis/missing.pdf")
    assert gone.url is None and gone.problem == "projects/msc-thesis/missing.pdf does not exist"


def test_without_site_url_or_repo_url_a_file_has_no_url(portfolio: Portfolio) -> None:
    import dataclasses

    cfg = dataclasses.replace(portfolio.config, site_url=None)
    bare = dataclasses.replace(portfolio, config=cfg)
    found = file_url(bare, "projects/msc-thesis/thesis.pdf")
    assert found.url is None
    assert found.problem == (
        "projects/msc-thesis/thesis.pdf: no site-url in [tool.folio] to link it at; left out"
    )
    assert found.docs_path == "projects/msc-thesis/thesis.pdf"  # the site still has it
    cfg = dataclasses.replace(cfg, repo_url=None)
    bare = dataclasses.replace(portfolio, config=cfg)
    assert file_url(bare, "certificates/aws.pdf").problem == (
        "certificates/aws.pdf: not on the site and no repo-url in [tool.folio] to link it at; "
        "left out"
    )


def test_file_href_on_a_site_page(portfolio: Portfolio) -> None:
    pdf = "projects/msc-thesis/thesis.pdf"
    # raw HTML on /cv/ (the page cv.md) and on /projects/msc-thesis/ (its index.md)
    assert file_href(portfolio, pdf, "cv.md") == "../projects/msc-thesis/thesis.pdf"
    assert file_href(portfolio, pdf, "projects/msc-thesis/index.md") == "thesis.pdf"
    assert file_href(portfolio, pdf, "index.md") == "projects/msc-thesis/thesis.pdf"
    # Markdown, resolved by MkDocs from the page's file
    assert file_href(portfolio, pdf, "cv.md", markdown=True) == "projects/msc-thesis/thesis.pdf"
    assert file_href(portfolio, pdf, "projects/index.md", markdown=True) == "msc-thesis/thesis.pdf"
    assert file_href(portfolio, "certificates/aws.pdf", "cv.md") == (
        f"{REPO}/blob/main/certificates/aws.pdf"
    )
    assert file_href(portfolio, "projects/msc-thesis/missing.pdf", "cv.md") is None


def test_page_url_and_relative_href() -> None:
    assert page_url("index.md") == ""
    assert page_url("projects/a/index.md") == "projects/a/"
    assert page_url("cv.md") == "cv/"
    assert page_url("projects/a/x.pdf") == "projects/a/x.pdf"
    assert relative_href("projects/a/index.md", "projects/index.md") == "../"
    assert relative_href("projects/a/index.md", "projects/a/index.md") == "./"
    assert relative_href("projects/a/nb.md", "projects/a/my file.pdf") == "../my%20file.pdf"


def test_one_button_per_target_with_the_kinds_labels(portfolio: Portfolio) -> None:
    project = portfolio.project("msc-thesis")
    assert project is not None
    buttons = project_buttons(portfolio, project)
    assert [(b.label, b.href) for b in buttons] == [
        ("Thesis (PDF)", "thesis.pdf"),
        ("Slides (PDF)", "talk/slides.pdf"),
        ("Talk (video)", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("Code", "https://github.com/jane-doe/thesis-code"),  # repo and code: one button
        ("Dataset", "data/coverage.csv"),
        ("Script", f"{REPO}/blob/main/projects/msc-thesis/analysis.py"),
        ("Appendix b (PDF)", "appendix-b.pdf"),  # a PDF no link names; thesis.pdf once
    ]
    assert [b.primary for b in buttons] == [True] + [False] * 6
    assert [b.download for b in buttons] == [True, True, False, False, True, False, True]
    # the page embeds the video: leave that key out; the first one left is primary
    shown = project_buttons(portfolio, project, leave_out={"video", "thesis"})
    assert [b.label for b in shown] == [
        "Slides (PDF)",
        "Code",
        "Dataset",
        "Script",
        "Appendix b (PDF)",
        "Thesis (PDF)",  # not a link any more, still a PDF of the project: one button
    ]
    assert shown[0].primary and not any(b.primary for b in shown[1:])
    # on another page (the home page's card), the same targets, relative to that page
    home = project_buttons(portfolio, project, "index.md")
    assert home[0] == Button(
        "Thesis (PDF)",
        "projects/msc-thesis/thesis.pdf",
        "thesis",
        primary=True,
        download=True,
        target="projects/msc-thesis/thesis.pdf",
    )


def test_labels_follow_the_kind(portfolio: Portfolio) -> None:
    root = portfolio.root
    write_project(
        root,
        "demo",
        RESEARCH.replace("kind: research\n", "kind: no-code\n").replace("MSc thesis", "Demo"),
        {"thesis.pdf": typst_pdf("Report"), "talk/slides.pdf": typst_pdf("Slides")},
    )
    commit(root)
    fresh = load_portfolio(load_config(root))
    demo = fresh.project("demo")
    assert demo is not None
    labels = [b.label for b in project_buttons(fresh, demo)]
    assert labels[:3] == ["Thesis (PDF)", "Slides (PDF)", "Video"]  # no talk for no-code


def test_a_draft_or_invalid_project_has_no_buttons_to_files(portfolio: Portfolio) -> None:
    wip = portfolio.project("wip")
    assert wip is not None
    buttons = project_buttons(portfolio, wip)
    # a draft's files are not on the site: a file button goes to GitHub, never a dead link
    thesis = next(b for b in buttons if b.key == "thesis")
    assert thesis.href == f"{REPO}/blob/main/projects/wip/thesis.pdf"
