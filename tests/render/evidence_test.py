"""What the site calls for a research project of a new user's repository, end to end on real
files: the PDF that is its cover, page 1 of it rendered, the project's social card with that
cover and its headline result, and one button per target."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import commit, typst_pdf, write_project
from PIL import Image
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.published_files import cover_pdf, project_buttons
from repofolio.render.pdfcover import pdf_cover
from repofolio.render.social import card_file, home_card, project_card

README = """\
---
title: Uncertainty in CT-scan segmentation
summary: A challenge entry that placed 7th of 60 with calibrated segmentation masks.
kind: research
date: 2024-03-01
links:
  paper: paper.pdf
  slides: slides.pdf
  video: https://vimeo.com/123456789
results:
  - Placed 7th of 60 teams; Dice 0.87 with expected calibration error 0.03
---

# Uncertainty in CT-scan segmentation

## Problem

Masks without a confidence are hard to trust.

## Approach

An ensemble of 5 U-Nets; see [the paper](paper.pdf).

## Results

7th of 60.
"""


def test_a_research_projects_cover_card_and_buttons(new_user_repo: Path) -> None:
    write_project(
        new_user_repo,
        "ct-challenge",
        README,
        {
            "paper.pdf": typst_pdf("Uncertainty in CT-scan segmentation", 4),
            "slides.pdf": typst_pdf("Slides", 3, "25.4cm", "14.29cm"),
        },
    )
    commit(new_user_repo)
    cfg = load_config(new_user_repo)
    portfolio = load_portfolio(cfg)
    project = portfolio.project("ct-challenge")
    assert project is not None and project.meta is not None and project.is_published

    # the paper is the cover: page 1 of it, rendered into the site's cache
    pdf = cover_pdf(portfolio, project)
    assert pdf == "projects/ct-challenge/paper.pdf"
    cache = new_user_repo / cfg.site.cache_dir / "covers"
    cover = pdf_cover(new_user_repo / pdf, cache, width=600, fmt="png", name=pdf)
    assert cover.ok and cover.path is not None and cover.width == 600

    # its card: title, the first result, the kind, the cover; cached under its hash
    card = project_card(
        title=project.meta.title,
        result=project.meta.results[0],
        site_name=cfg.owner,
        site_url=cfg.site_url,
        kind=project.meta.kind,
        cover=cover.path.read_bytes(),
    )
    assert card.footer == "jane-doe.github.io/portfolio"  # from init's site-url
    path = card_file(card, new_user_repo / cfg.site.cache_dir / "cards")
    with Image.open(io.BytesIO(path.read_bytes())) as im:
        assert im.size == (1200, 630)
    home = card_file(
        home_card(owner=cfg.owner, headline=cfg.headline, site_url=cfg.site_url),
        new_user_repo / cfg.site.cache_dir / "cards",
    )
    assert home != path

    # one button per target: the paper (also linked from the text) once, slides, the talk
    buttons = project_buttons(portfolio, project, leave_out={"video"})
    assert [(b.label, b.href) for b in buttons] == [
        ("Paper (PDF)", "paper.pdf"),
        ("Slides (PDF)", "slides.pdf"),
    ]
    with_video = project_buttons(portfolio, project)
    assert with_video[-1].label == "Talk (video)"

    # a cover image named in the front matter wins: no PDF cover
    readme = new_user_repo / "projects" / "ct-challenge" / "README.md"
    readme.write_text(README.replace("kind: research\n", "kind: research\ncover: figure.png\n"))
    again = load_portfolio(load_config(new_user_repo)).project("ct-challenge")
    assert again is not None and cover_pdf(portfolio, again) is None
