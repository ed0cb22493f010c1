"""discover.load_projects: projects loaded a stage at a time over groups (STAGE_SIZE) give the
same projects and diagnostics, in the same order, as one project at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import good_readme, write_project
from repofolio import discover
from repofolio.config import load_config
from repofolio.discover import load_portfolio


def _mixed_portfolio(repo: Path, outside: Path) -> None:
    """Projects of every outcome of loading, in one folder, so groups mix them."""
    write_project(repo, "a-good")
    write_project(repo, "b-no-front-matter", "# Just a title\n\nSome text.\n")
    write_project(repo, "c-bad-yaml", "---\ntitle: [unclosed\n---\n# T\n")
    write_project(
        repo, "d-schema", good_readme().replace("date: 2024-05-01", "date: March\nsumary: x", 1)
    )
    write_project(repo, "e-binary", b"---\ntitle: x\n---\n\x00\x01 binary")
    write_project(repo, "f-not-utf8", b"---\ntitle: caf\xe9\n---\n")
    (repo / "projects" / "g-no-readme").mkdir()
    (outside / "README.md").write_text(good_readme("Outside"), encoding="utf-8")
    (repo / "projects" / "h-link-out").mkdir()
    os.symlink(outside / "README.md", repo / "projects" / "h-link-out" / "README.md")
    (repo / "projects" / "README.md").write_text("not a project\n", encoding="utf-8")
    write_project(repo, "i-unterminated", "---\ntitle: T\n")
    write_project(repo, "j-date", good_readme().replace("2024-05-01", "2024-02-30", 1))
    for n in range(5):  # more than a group of 2 or 3, to cross their bounds
        write_project(repo, f"k-good-{n}")


def _load(repo: Path, stage: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    monkeypatch.setenv("FOLIO_LOAD_STAGE", stage)
    portfolio = load_portfolio(load_config(repo))
    projects = [
        (
            p.slug,
            p.text is not None,
            p.meta.title if p.meta else None,
            [h.text for h in p.doc.headings] if p.doc else None,
            sorted(p.front.lines.items()) if p.front else None,
        )
        for p in portfolio.projects
    ]
    return projects, [d.format() for d in portfolio.load_diagnostics]


def test_groups_load_what_one_at_a_time_loads(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _mixed_portfolio(repo, outside)
    one_at_a_time = _load(repo, "1", monkeypatch)
    projects, diagnostics = one_at_a_time
    codes = {line.split(" ")[1] for line in diagnostics}
    # every kind of outcome is there to be compared
    assert {"FM001", "FM002", "FM003", "FM007", "PR001", "PR003", "PR006"} <= codes, codes
    assert any(line.split(" ")[1].startswith("FM") and "sumary" in line for line in diagnostics)
    assert len(projects) == 15 and projects[0][2] == "A Good"
    for stage in ("2", "3", str(discover.STAGE_SIZE), "1000"):
        assert _load(repo, stage, monkeypatch) == one_at_a_time, stage


def test_a_stage_size_that_is_not_a_number_is_the_default(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(repo, "churn-model")
    monkeypatch.setenv("FOLIO_LOAD_STAGE", "lots")
    assert discover._stage_size() == discover.STAGE_SIZE
    assert [p.slug for p in load_portfolio(load_config(repo)).projects] == ["churn-model"]
