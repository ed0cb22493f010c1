"""`folio new` and `folio schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_cli, write_project


def test_fresh_scaffold_fails_only_on_placeholders(repo: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "new", "churn-model", "--title", "Churn: a model")
    assert code == 0 and "Created projects/churn-model/README.md" in err
    text = (repo / "projects/churn-model/README.md").read_text()
    assert 'title: "Churn: a model"' in text
    assert "# yaml-language-server: $schema=../../schemas/project.schema.json" in text
    schema = json.loads((repo / "schemas/project.schema.json").read_text())
    assert "title" in schema["properties"]
    code, out, _ = run_cli(runner, "check", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found
    assert {d["code"] for d in found} == {"SC004"}
    # Filling every placeholder makes it pass.
    filled = text.replace("FILL IN: ", "").replace("the main metric", "AUC 0.91")
    filled = filled.replace("numbers first", "AUC 0.91 first")
    (repo / "projects/churn-model/README.md").write_text(filled)
    code, out, _ = run_cli(runner, "check")
    assert code == 0, out


@pytest.mark.parametrize("slug", ["../evil", "a/b", "-dash", "Upper", "two--dashes", "a b", ""])
def test_bad_slugs_are_refused(repo: Path, runner: CliRunner, slug: str) -> None:
    code, out, err = (
        run_cli(runner, "new", "--", slug) if slug.startswith("-") else run_cli(runner, "new", slug)
    )
    assert code == 2
    assert "invalid slug" in err and "Traceback" not in err
    assert sorted(p.name for p in (repo / "projects").iterdir()) == []


def test_new_never_overwrites(repo: Path, runner: CliRunner) -> None:
    folder = write_project(repo, "churn-model", "mine\n")
    code, _, err = run_cli(runner, "new", "churn-model")
    assert code == 2 and "already exists" in err
    assert (folder / "README.md").read_text() == "mine\n"


def test_schema_command(runner: CliRunner, repo: Path) -> None:
    code, out, _ = run_cli(runner, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"].startswith("https://json-schema.org/")
    assert {"title", "summary", "links", "results"} <= set(schema["properties"])
    assert "title" in schema["required"]
    code, _, _ = run_cli(runner, "schema", "-o", "s.json")
    assert json.loads((repo / "s.json").read_text()) == schema
