"""A snippet's own files are published beside its page (a ``kind: snippet`` project is one or
a few small files: shown, and downloaded from the site), and its links to them resolve under
``folio build --strict``; a code project's source stays on GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import commit, good_readme, write_project
from drafts_test import folio

SNIPPET = """\
---
title: Weekday demand shares
summary: A 20-line pandas function that turns order timestamps into demand per weekday.
kind: snippet
date: 2025-03-01
status: completed
tags: [pandas]
skills: [Python, pandas]
links: {}
---

# Weekday demand shares

## What it does

Turns a column of order timestamps into each weekday's share of the week's orders, the
first feature of every demand model I have built.

## Code

The function is in [weekday.py](weekday.py); [its helper](lib/calendar_days.py) knows the
holidays.
"""
WEEKDAY = '''\
"""Each weekday's share of the orders."""

import pandas as pd


def weekday_shares(stamps: pd.Series) -> pd.Series:
    days = pd.to_datetime(stamps).dt.day_name()
    return days.value_counts(normalize=True).sort_index()
'''
HELPER = "HOLIDAYS = {'2025-12-25', '2026-01-01'}\n"


@pytest.mark.slow  # a real folio build --strict
def test_a_snippets_files_are_published_and_its_links_resolve(new_user_repo: Path) -> None:
    root = new_user_repo
    write_project(
        root, "weekday-shares", SNIPPET, {"weekday.py": WEEKDAY, "lib/calendar_days.py": HELPER}
    )
    code = good_readme("Churn model").replace(
        "## How to run\n", "## How to run\n\nStart at [the trainer](train.py).\n"
    )
    write_project(root, "churn-model", code, {"train.py": "print('training')\n"})
    commit(root, "a snippet and a code project")
    result = folio(root, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site/projects"
    assert (site / "weekday-shares/weekday.py").read_text("utf-8") == WEEKDAY
    assert (site / "weekday-shares/lib/calendar_days.py").read_text("utf-8") == HELPER
    page = (site / "weekday-shares/index.html").read_text("utf-8")
    assert 'href="weekday.py"' in page and 'href="lib/calendar_days.py"' in page
    # a code project's source is linked on the repository, not copied
    assert not (site / "churn-model/train.py").exists()
    churn = (site / "churn-model/index.html").read_text("utf-8")
    assert (
        'href="https://github.com/jane-doe/portfolio/blob/main/projects/churn-model/train.py"'
        in churn
    )

    from repofolio.config import load_config
    from repofolio.discover import load_portfolio
    from repofolio.published_files import published_path

    portfolio = load_portfolio(load_config(root))  # the resume's links use the same mapping
    assert published_path(portfolio, "projects/weekday-shares/weekday.py") == (
        "projects/weekday-shares/weekday.py"
    )
    assert published_path(portfolio, "projects/churn-model/train.py") is None
