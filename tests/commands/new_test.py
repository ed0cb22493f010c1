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


# -- kinds -------------------------------------------------------------------------------------

KINDS = ("code", "notebook", "research", "no-code", "snippet")
SECTIONS = {
    "code": ["Problem", "Approach", "Results", "How to run"],
    "notebook": ["Problem", "Approach", "Results", "How to run"],
    "research": ["Problem", "Approach", "Results"],
    "no-code": ["Problem", "What I did", "Results"],
    "snippet": ["What it does", "Code"],
}


def _headings(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


def _check_json(runner: CliRunner, *paths: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run_cli(runner, "check", "--format", "json", *paths)
    return code, json.loads(out)


def _scaffold_then_fill(root: Path, runner: CliRunner, kind: str) -> None:
    slug = f"my-{kind}"
    code, _, err = run_cli(runner, "new", slug, "--kind", kind)
    assert code == 0, err
    assert f"(kind: {kind}, a draft)" in err and "delete 'draft: true'" in err
    readme = root / "projects" / slug / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert f"\nkind: {kind}\n" in text and "\ndraft: true " in text
    assert _headings(text) == SECTIONS[kind]
    assert ("How to run" in _headings(text)) == (kind in ("code", "notebook"))
    # a fresh scaffold is reported for its placeholders, and for nothing else
    code, found = _check_json(runner, f"projects/{slug}")
    assert code == 1 and found and {d["code"] for d in found} == {"SC004"}
    # each FILL IN at its own line: none hides in a code block, where SC004 does not look
    # (the scaffold's "How to run" hint was in a ```bash block, and published as a command)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if "FILL IN:" in line]
    assert sorted(d["line"] for d in found) == lines
    # written by hand: every placeholder replaced; still a draft, and all good
    readme.write_text(text.replace("FILL IN: ", ""), encoding="utf-8")
    code, found = _check_json(runner, f"projects/{slug}")
    assert (code, found) == (0, [])
    # a required section of the kind taken out: the message names the kind
    first = SECTIONS[kind][1]
    readme.write_text(text.replace("FILL IN: ", "").replace(f"## {first}", "## Notes"))
    code, found = _check_json(runner, f"projects/{slug}")
    assert code == 1
    assert [d["message"] for d in found if d["code"] == "SC001"] == [
        f"missing required section '## {first}' (kind: {kind})"
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_scaffolds_its_sections_and_checks_clean_once_filled(
    repo: Path, runner: CliRunner, kind: str
) -> None:
    _scaffold_then_fill(repo, runner, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_in_a_new_users_repository(
    new_user_repo: Path, runner: CliRunner, kind: str
) -> None:
    _scaffold_then_fill(new_user_repo, runner, kind)


def test_the_default_kind_is_code_and_the_kind_is_in_the_help(
    repo: Path, runner: CliRunner
) -> None:
    code, _, _ = run_cli(runner, "new", "churn-model")
    assert code == 0
    assert "\nkind: code\n" in (repo / "projects/churn-model/README.md").read_text()
    code, out, _ = run_cli(runner, "new", "--help")
    assert "--kind [code|notebook|research|no-code|snippet]" in out
    code, _, err = run_cli(runner, "new", "x", "--kind", "thesis")
    assert code == 2 and "'thesis' is not one of" in err


def test_the_scaffold_follows_the_configured_sections(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.folio]\n"
        'required-sections = ["Problem", "Results"]\n'
        "[tool.folio.kinds.research]\n"
        'required-sections = ["Question", "Method", "Findings"]\n',
        encoding="utf-8",
    )
    run_cli(runner, "new", "thesis", "--kind", "research")
    run_cli(runner, "new", "churn", "--kind", "code")
    run_cli(runner, "new", "build", "--kind", "no-code")
    projects = repo / "projects"
    assert _headings((projects / "thesis/README.md").read_text()) == [
        "Question",
        "Method",
        "Findings",
    ]
    assert _headings((projects / "churn/README.md").read_text()) == ["Problem", "Results"]
    assert _headings((projects / "build/README.md").read_text()) == SECTIONS["no-code"]
    # a section name no hint knows gets the generic placeholder, which check reports
    assert "FILL IN: question." in (projects / "thesis/README.md").read_text()


# -- adopting a folder that holds the work -------------------------------------------------------

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def _front(readme: Path) -> dict[str, object]:
    import yaml

    text = readme.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("fixture", ["repo", "new_user_repo"])
def test_adopting_a_folder_of_notebooks(
    fixture: str, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(fixture)
    folder = root / "projects" / "kaggle-digits"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "eda.ipynb").write_text(NOTEBOOK)
    (folder / "train.ipynb").write_text(NOTEBOOK)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "train-checkpoint.ipynb").write_text(NOTEBOOK)
    (folder / "requirements.txt").write_text("scikit-learn\n")
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    code, _, err = run_cli(runner, "new", "kaggle-digits")
    assert code == 0, err
    assert "Adopted projects/kaggle-digits" in err and "2 notebooks" in err
    front = _front(folder / "README.md")
    assert front["kind"] == "notebook" and front["draft"] is True
    assert front["notebooks"] == ["notebooks/eda.ipynb", "train.ipynb"]
    assert front["requirements"] == "requirements.txt" and "run" not in front
    assert "pip install -r requirements.txt" in (folder / "README.md").read_text()
    # nothing of the owner's was touched: only README.md is new
    after = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    assert after == sorted([*before, Path("README.md")])
    code, found = _check_json(runner, "projects/kaggle-digits")
    assert {d["code"] for d in found} == {"SC004"}, found


def test_adopting_code_with_tests_proposes_pytest(repo: Path, runner: CliRunner) -> None:
    folder = repo / "projects" / "weekcast"
    (folder / "tests").mkdir(parents=True)
    (folder / "weekcast.py").write_text("def forecast():\n    return 1\n")
    (folder / "main.py").write_text("print(1)\n")
    (folder / "tests" / "test_weekcast.py").write_text("def test_it():\n    assert True\n")
    code, _, err = run_cli(runner, "new", "weekcast", "--title", "Weekly forecasts")
    assert code == 0, err
    text = (folder / "README.md").read_text()
    front = _front(folder / "README.md")
    assert front["kind"] == "code" and front["title"] == "Weekly forecasts"
    assert front["run"] == "python -m pytest -q"  # the tests prove more than main.py starting
    assert 'run: "python -m pytest -q"  # proposed by folio new' in text
    assert "```bash\npython -m pytest -q\n```" in text
    code, found = _check_json(runner, "projects/weekcast")
    assert {d["code"] for d in found} == {"SC004"}  # no RN001: a run: was proposed


def test_adopting_a_main_script(repo: Path, runner: CliRunner) -> None:
    folder = repo / "projects" / "ebook-scraper"
    folder.mkdir()
    (folder / "scrape.py").write_text(
        'import sys\n\n\nif __name__ == "__main__":\n    print(sys.argv)\n'
    )
    (folder / "helpers.py").write_text("X = 1\n")
    code, _, err = run_cli(runner, "new", "ebook-scraper")
    assert code == 0, err
    front = _front(folder / "README.md")
    assert front["kind"] == "snippet" and front["run"] == "python scrape.py"
    text = (folder / "README.md").read_text()
    assert "- [`helpers.py`](helpers.py)\n- [`scrape.py`](scrape.py)" in text
    # a bigger program is a code project, its main script the proposal
    (folder / "README.md").unlink()
    for i in range(4):
        (folder / f"mod{i}.py").write_text("X = 1\n")
    (folder / "main.py").write_text("print('hi')\n")
    assert run_cli(runner, "new", "ebook-scraper")[0] == 0
    front = _front(folder / "README.md")
    assert front["kind"] == "code" and front["run"] == "python main.py"


@pytest.mark.parametrize(
    ("files", "kind", "links"),
    [
        ({"thesis.pdf": b"%PDF-1.4\n", "talk.mp4": b"\0"}, "research", {"thesis", "talk"}),
        ({"photos/rig.jpg": b"\xff\xd8", "photos/cover.jpg": b"\xff\xd8"}, "no-code", set()),
    ],
)
def test_adopting_documents_or_photos_guesses_the_kind(
    repo: Path, runner: CliRunner, files: dict[str, bytes], kind: str, links: set[str]
) -> None:
    folder = repo / "projects" / "the-work"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    assert run_cli(runner, "new", "the-work")[0] == 0
    front = _front(folder / "README.md")
    assert front["kind"] == kind
    assert set(front["links"]) == links  # type: ignore[arg-type]
    assert ("cover" in front) == (kind == "no-code")
    text = (folder / "README.md").read_text()
    assert "How to run" not in text
    code, found = _check_json(runner, "projects/the-work")
    assert {d["code"] for d in found} == {"SC004"}, found  # the links and cover resolve


def test_an_explicit_kind_wins_over_the_guess(repo: Path, runner: CliRunner) -> None:
    folder = repo / "projects" / "thesis"
    folder.mkdir()
    (folder / "analysis.ipynb").write_text(NOTEBOOK)
    (folder / "thesis.pdf").write_bytes(b"%PDF-1.4\n")
    assert run_cli(runner, "new", "thesis", "--kind", "research")[0] == 0
    front = _front(folder / "README.md")
    assert front["kind"] == "research" and front["notebooks"] == ["analysis.ipynb"]


@pytest.mark.parametrize("name", ["README.md", "readme.md"])
def test_adoption_refuses_an_existing_readme(repo: Path, runner: CliRunner, name: str) -> None:
    folder = repo / "projects" / "mine"
    folder.mkdir()
    (folder / name).write_text("my own\n")
    (folder / "main.py").write_text("print(1)\n")
    code, _, err = run_cli(runner, "new", "mine")
    assert code == 2 and f"projects/mine/{name} already exists" in err
    assert sorted(p.name for p in folder.iterdir()) == sorted([name, "main.py"])
    assert (folder / name).read_text() == "my own\n"


def test_adoption_refuses_a_file_or_a_symlink_out(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    (repo / "projects" / "a-file").write_text("x\n")
    code, _, err = run_cli(runner, "new", "a-file")
    assert code == 2 and "exists and is not a folder" in err and "Traceback" not in err
    away = tmp_path / "elsewhere"
    away.mkdir()
    (away / "main.py").write_text("print(1)\n")
    (repo / "projects" / "linked").symlink_to(away)
    code, _, err = run_cli(runner, "new", "linked")
    assert code == 2 and "symlink out of the repository" in err
    assert sorted(p.name for p in away.iterdir()) == ["main.py"]


def test_the_committed_project_schema_is_current() -> None:
    from repofolio.metamodel import project_schema

    root = Path(__file__).resolve().parents[2]
    committed = json.loads((root / "schemas" / "project.schema.json").read_text("utf-8"))
    assert committed == project_schema(), "run: folio schema -o schemas/project.schema.json"
    assert committed["properties"]["kind"]["enum"] == list(KINDS)
    assert committed["properties"]["kind"]["default"] == "code"
    assert committed["properties"]["draft"] == {
        "default": False,
        "description": committed["properties"]["draft"]["description"],
        "title": "Draft",
        "type": "boolean",
    }


def test_adoption_never_follows_a_symlink_out_of_the_repository(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    secret = tmp_path / "elsewhere.ipynb"
    secret.write_text(NOTEBOOK)
    folder = repo / "projects" / "mixed"
    folder.mkdir()
    (folder / "eda.ipynb").write_text(NOTEBOOK)
    (folder / "outside.ipynb").symlink_to(secret)
    (folder / "inside.ipynb").symlink_to(folder / "eda.ipynb")
    assert run_cli(runner, "new", "mixed")[0] == 0
    assert _front(folder / "README.md")["notebooks"] == ["eda.ipynb", "inside.ipynb"]


def test_a_title_is_written_as_typed(new_user_repo: Path, runner: CliRunner) -> None:
    """`--title "Priya's R&D <v2>"`: the front matter holds the title as typed, one YAML
    string an editor shows as it is (jinja's tojson wrote \\u0027 and \\u0026 for HTML's sake),
    and the write-up's title is that text."""
    title = 'Priya\'s R&D: "ranking" <v2> — naïve Bayes'
    code, _, err = run_cli(runner, "new", "rnd", "--title", title)
    assert code == 0, err
    text = (new_user_repo / "projects/rnd/README.md").read_text(encoding="utf-8")
    assert 'title: "Priya\'s R&D: \\"ranking\\" <v2> — naïve Bayes"\n' in text
    assert f"\n# {title}\n" in text
    from repofolio.frontmatter import parse

    assert parse(text).data["title"] == title  # type: ignore[index]
