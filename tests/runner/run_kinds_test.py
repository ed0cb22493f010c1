"""`folio run` on a new user's repository with one project of each kind: what runs, what the
report says, what the README and the site show (real environments, a real Jupyter kernel)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import NOTHING_TO_RUN, RUNS, commit, run_cli, write_each_kind
from nbformat.v4 import new_code_cell, new_output
from repofolio.config import load_config
from repofolio.runreport import notebook_failures, read_statuses
from runfixtures import env_dir, run_json

__all__ = ["env_dir"]  # a fixture

SITE = "https://jane-doe.github.io/portfolio/"
NB = "projects/sales-notebook/notebooks/sales.ipynb"


def set_up(root: Path, env_dir: Path) -> None:
    """What the new user adds after `folio init`: the site, the index markers (init's next
    step for a README of their own); the test adds its shared environments folder."""
    toml = root / "folio.toml"
    text = toml.read_text(encoding="utf-8")
    if "site-url" not in text:
        text = text.replace(
            'projects-dir = "projects"', f'site-url = "{SITE}"\nprojects-dir = "projects"'
        )
    toml.write_text(text + f'\n[run]\nenv-dir = "{env_dir}"\n', encoding="utf-8")
    readme = root / "README.md"
    if "folio:projects:start" not in readme.read_text(encoding="utf-8"):
        with readme.open("a", encoding="utf-8") as fh:
            fh.write(
                "\n## Projects\n\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n"
            )
            fh.write("\n## Journal\n\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n")
    write_each_kind(root)
    commit(root, "projects of each kind")


def badges(root: Path) -> set[str]:
    text = (root / "README.md").read_text(encoding="utf-8")
    return {slug for slug in [*RUNS, *NOTHING_TO_RUN] if f"badges/{slug}.svg" in text}


@pytest.mark.slow
def test_each_kind_runs_what_it_has_and_only_that_gets_a_badge(
    new_user_repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    set_up(root, env_dir)
    assert run_cli(runner, "index")[0] == 1
    readme = (root / "README.md").read_bytes()
    assert badges(root) == set(RUNS)
    assert b"not-runnable" not in readme

    # A plain `folio run`, the publish workflow's command: the notebook project's notebook runs.
    code, report, err = run_json(runner)
    assert code == 0, err
    others = {*NOTHING_TO_RUN, "example-project"}  # init's example has nothing to run
    assert {s: e["status"] for s, e in report.items()} == {
        **{s: "passing" for s in RUNS},
        **{s: "not-runnable" for s in others},
    }
    assert {s for s, e in report.items() if e["badge"]} == set(RUNS)
    kinds = [(s["kind"], s["name"]) for s in report["sales-notebook"]["steps"]]  # type: ignore[index]
    assert kinds[-1] == ("notebook", NB)
    assert "kind: research" in str(report["msc-thesis"]["message"])
    cfg = load_config(root)
    assert read_statuses(cfg) == {s: "passing" for s in RUNS}  # what the site shows
    # ... and the README is as it was: the local report is not its business
    assert run_cli(runner, "index", "--check")[0] == 0
    assert (root / "README.md").read_bytes() == readme

    # A run without notebooks keeps the notebook's result: never "not runnable".
    code, report, _ = run_json(runner, "--no-notebooks")
    assert code == 0
    entry = report["sales-notebook"]
    assert entry["status"] == "passing" and entry["message"] == "1 notebook passed (an earlier run)"
    assert entry["steps"][-1]["kept"] is True  # type: ignore[index]

    # A notebook that raises says so, with its cell, and a run without notebooks keeps it.
    path = root / NB
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell("months = 0\nprint(sum([10, 12, 20]) / months)"))
    nbformat.write(nb, path)
    code, report, _ = run_json(runner, "sales-notebook")
    assert code == 1
    entry = report["sales-notebook"]
    assert (entry["status"], entry["reason"]) == ("failing", "notebook failed")
    assert entry["message"] == f"{NB}: cell 3 raised ZeroDivisionError: division by zero"
    failure = notebook_failures(cfg)[NB]
    assert (failure.cell, failure.seen, failure.kept) == (3, "run", False)
    code, report, _ = run_json(runner, "--no-notebooks")
    assert code == 1 and report["sales-notebook"]["status"] == "failing"
    assert str(report["sales-notebook"]["message"]).endswith("(an earlier run)")
    assert "ZeroDivisionError" in str(report["sales-notebook"]["log_tail"])
    assert read_statuses(cfg)["sales-notebook"] == "failing"
    assert notebook_failures(cfg)[NB].kept is True

    # A notebook of a code project is not run by default; an error output saved in it counts.
    eda = nbformat.v4.new_notebook(
        cells=[
            new_code_cell("import pandas"),
            new_code_cell(
                "df.churned.mean()",
                outputs=[new_output("error", ename="NameError", evalue="name 'df' is not defined")],
            ),
        ]
    )
    nbformat.write(eda, root / "projects/churn-model/eda.ipynb")
    code, report, _ = run_json(runner, "churn-model")
    assert code == 1
    churn = report["churn-model"]
    assert churn["message"] == (
        "projects/churn-model/eda.ipynb: cell 2 raised NameError: name 'df' is not defined "
        "(a saved error output)"
    )
    assert [s.get("seen") for s in churn["steps"]] == [None, "saved outputs"]  # type: ignore[union-attr]
    code, out, _ = run_cli(runner, "check", "--select", "NB016,RN001", "--format", "json")
    found = {(d["path"], d["code"]) for d in json.loads(out)}
    assert found == {
        ("projects/churn-model/eda.ipynb", "NB016"),
        ("projects/old-script/README.md", "RN001"),
    }
    assert run_cli(runner, "index", "--check")[0] == 0
