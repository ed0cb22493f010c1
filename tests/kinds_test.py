"""Kinds of project: the sections each asks for, set per kind and per write-up; RN001 by kind;
drafts and the model's helpers (Project.kind, required_sections, is_published)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from repofolio.config import KindsConfig, load_config
from repofolio.discover import load_portfolio
from repofolio.kinds import DEFAULT_SECTIONS, KINDS
from repofolio.metamodel import ProjectMeta

RESEARCH_BODY = """\
# Thesis

## Problem

Do conformal sets keep their 90% promise on shifted data?

## Approach

Split conformal prediction over 100 random splits of three datasets.

## Results

Coverage 0.898 at a 0.90 target, where raw probabilities give 0.85.
"""


def messages(runner: CliRunner, code: str = "SC") -> list[str]:
    _, out, _ = run_cli(runner, "check", "--format", "json", "--select", code)
    return [f"{d['code']} {d['message']}" for d in json.loads(out)]


def test_kinds_are_one_list_everywhere() -> None:
    assert tuple(DEFAULT_SECTIONS) == KINDS
    assert [k.replace("_", "-") for k in KindsConfig.fields()] == list(KINDS)
    kind = ProjectMeta.model_json_schema()["properties"]["kind"]
    assert kind["enum"] == list(KINDS)


def test_research_asks_for_no_how_to_run(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "thesis", good_readme("Thesis", "kind: research\n", RESEARCH_BODY))
    write_project(repo, "churn", good_readme("Churn", "", RESEARCH_BODY.replace("Thesis", "C")))
    assert messages(runner) == ["SC001 missing required section '## How to run' (kind: code)"]


def test_sections_per_kind_per_project_and_the_top_level_key(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.folio]\n"
        'required-sections = ["Problem", "Results"]\n'  # kind: code, as before kinds
        "[tool.folio.kinds.research]\n"
        'required-sections = ["Problem", "Approach", "Results", "Talk"]\n'
        "[tool.folio.kinds.no-code]\n"
        'required-sections = ["Problem", "Build"]\n',
        encoding="utf-8",
    )
    write_project(repo, "churn", good_readme("Churn", "", RESEARCH_BODY.replace("Thesis", "C")))
    write_project(repo, "thesis", good_readme("Thesis", "kind: research\n", RESEARCH_BODY))
    rig = RESEARCH_BODY.replace("Thesis", "Rig").replace("## Approach", "## Build")
    write_project(repo, "rig", good_readme("Rig", "kind: no-code\n", rig))
    own = good_readme("Own", "kind: research\nsections: [Results, Problem]\n", RESEARCH_BODY)
    write_project(repo, "own", own)
    assert messages(runner) == [  # sorted by path: own, then thesis
        "SC002 section 'Problem' is out of order: expected 'Results' > 'Problem' "
        "(sections: of this write-up)",
        "SC001 missing required section '## Talk' (kind: research)",
    ]
    cfg = load_config(repo)
    portfolio = load_portfolio(cfg)
    got = {p.slug: p.required_sections(cfg) for p in portfolio.projects}
    assert got == {
        "churn": ("Problem", "Results"),
        "own": ("Results", "Problem"),
        "rig": ("Problem", "Build"),
        "thesis": ("Problem", "Approach", "Results", "Talk"),
    }


def test_a_write_up_with_other_errors_is_still_checked_for_its_kinds_sections(
    repo: Path, runner: CliRunner
) -> None:
    bad = good_readme("Thesis", "kind: research\nstatus: dreaming\n", RESEARCH_BODY)
    write_project(repo, "thesis", bad)
    bad_kind = good_readme("Other", "kind: thesis\n", RESEARCH_BODY.replace("Thesis", "O"))
    write_project(repo, "other", bad_kind)
    _, out, _ = run_cli(runner, "check", "--format", "json")
    found = {(d["path"].split("/")[1], d["code"], d["message"]) for d in json.loads(out)}
    assert ("thesis", "SC001") not in {(p, c) for p, c, _ in found}  # research: complete
    assert (
        "other",
        "SC001",
        "missing required section '## How to run' (kind: code)",  # not a kind: the default
    ) in found
    (kind_error,) = [m for p, c, m in found if p == "other" and c == "FM012"]
    assert kind_error.startswith("'kind': input should be 'code', 'notebook', 'research'")


def test_an_unknown_kinds_table_is_an_error_listing_the_kinds(
    repo: Path, runner: CliRunner
) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio.kinds.thesis]\nrequired-sections = ["Problem"]\n', encoding="utf-8"
    )
    code, _, err = run_cli(runner, "check")
    assert code == 2
    assert "[tool.folio.kinds] unknown key 'thesis'" in err
    assert "valid keys: code, no-code, notebook, research, snippet" in err
    (repo / "pyproject.toml").write_text(
        '[tool.folio.kinds.research]\nrequired-sections = "Problem"\n', encoding="utf-8"
    )
    code, _, err = run_cli(runner, "check")
    assert code == 2
    assert "[tool.folio.kinds.research] key 'required-sections': expected a list" in err


@pytest.mark.parametrize(
    ("kind", "warned"),
    [("code", True), ("notebook", False), ("research", False), ("no-code", False)]
    + [("snippet", False)],
)
def test_rn001_only_where_a_run_is_expected(
    repo: Path, runner: CliRunner, kind: str, warned: bool
) -> None:
    write_project(
        repo, "work", good_readme("Work", f"kind: {kind}\n"), {"analysis.py": "print(1)\n"}
    )
    commit(repo)
    assert bool(messages(runner, "RN")) == warned


def test_drafts_are_checked_and_the_model_says_what_is_published(
    repo: Path, runner: CliRunner
) -> None:
    write_project(repo, "done", good_readme("Done"))
    write_project(repo, "draft", good_readme("Draft", "draft: true\n", body="# Draft\n\nTODO\n"))
    write_project(repo, "broken", "---\ntitle: Broken\n---\n")
    _, out, _ = run_cli(runner, "check", "--format", "json")
    assert {d["code"] for d in json.loads(out) if "/draft/" in d["path"]} == {"SC001", "SC004"}
    portfolio = load_portfolio(load_config(repo))
    assert {p.slug: p.is_published for p in portfolio.projects} == {
        "broken": False,
        "done": True,
        "draft": False,
    }


def test_has_something_to_run(repo: Path) -> None:
    nb = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    write_project(repo, "cmd", good_readme("Cmd", "run: ['  ', python -V]\n"))
    write_project(repo, "blank", good_readme("Blank", "run: '  '\n"))
    write_project(repo, "nbs", good_readme("Nbs", "kind: notebook\n"), {"a.ipynb": nb})
    write_project(repo, "talk", good_readme("Talk", "kind: research\n"), {"talk.pdf": "%PDF"})
    commit(repo)
    portfolio = load_portfolio(load_config(repo))
    assert {p.slug: portfolio.has_something_to_run(p) for p in portfolio.projects} == {
        "blank": False,
        "cmd": True,
        "nbs": True,
        "talk": False,
    }
    cmd = portfolio.project("cmd")
    assert cmd is not None and cmd.meta is not None and cmd.meta.run_commands == ["python -V"]
