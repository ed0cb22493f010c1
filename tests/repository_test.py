"""This repository's own portfolio: it passes `folio check`, its README index is current, and
the README's run badges do not depend on a local run report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import good_readme, run_cli, write_project
from repofolio.render.badge import badge_svg

ROOT = Path(__file__).resolve().parent.parent
REPORT = {"version": 1, "projects": {"churn-model": {"status": "failing", "reason": "timeout"}}}


def folio(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repofolio", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_example_portfolio_passes_folio_check() -> None:
    proc = folio("check", "--format", "json")
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout) == []
    proc = folio("check")
    assert proc.returncode == 0 and "Checked 3 projects" in proc.stderr


def test_readme_index_is_current() -> None:
    proc = folio("index", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_badges_point_at_the_site_whatever_the_local_report(
    repo: Path, runner: CliRunner
) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nsite-url = "https://someone.github.io/portfolio/"\n'
    )
    write_project(repo, "churn-model", good_readme(front_extra="run: python main.py\n"))
    (repo / "README.md").write_text(
        "# Me\n\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n"
        "<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n"
    )
    code, _, err = run_cli(runner, "index")
    assert code == 1, err
    first = (repo / "README.md").read_text()
    badge = (
        "[![runs: see the site](https://someone.github.io/portfolio/badges/churn-model.svg)]"
        "(https://someone.github.io/portfolio/projects/churn-model/)"
    )
    assert badge in first
    report = repo / ".folio-cache" / "run-report.json"
    report.parent.mkdir(exist_ok=True)  # seen made already by index once in CI (not reproduced)
    report.write_text(json.dumps(REPORT))
    from repofolio.config import load_config
    from repofolio.runreport import read_statuses

    assert read_statuses(load_config(repo)) == {"churn-model": "failing"}  # the report is read
    code, _, _ = run_cli(runner, "index", "--check")
    assert code == 0 and (repo / "README.md").read_text() == first


@pytest.mark.parametrize("status", ["passing", "failing", "not-runnable", None])
def test_badge_svg(status: str | None) -> None:
    svg = badge_svg(status)
    shown = status or "not run"
    assert svg.startswith("<svg ") and f"runs: {shown}" in svg and f">{shown}</text>" in svg
    import xml.etree.ElementTree as ET

    ET.fromstring(svg)  # well-formed
