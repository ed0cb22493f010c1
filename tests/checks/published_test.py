"""`folio check` on every published file besides the write-ups: the docs pages, the journal,
cv.yaml and the README, in a repository made the way a new user makes one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, run_cli
from repofolio.checks.published import published_files, published_secrets
from repofolio.config import load_config
from repofolio.discover import load_portfolio

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"  # shaped like a GitHub token
AWS = "AKIA" + "Z7QW3R5T2Y8U4I6O"


def found(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run_cli(runner, "check", "--format", "json", *args)
    return code, json.loads(out)


def entry(day: str, body: str) -> str:
    return f"---\ndate: {day}\ncategories: [learning]\n---\n\n# {day}\n\n{body}\n"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_secrets_in_a_journal_entry_and_docs_about_are_reported_masked(
    new_user_repo: Path, runner: CliRunner
) -> None:
    write(
        new_user_repo,
        "docs/journal/posts/2026-11-20.md",
        entry("2026-11-20", f"Set up the API.\n\nMy token for later: {TOKEN}\n"),
    )
    write(new_user_repo, "docs/about.md", f"# About me\n\nI build things.\n\naws = '{AWS}'\n")
    commit(new_user_repo, "oops")
    code, out, err = run_cli(runner, "check")
    assert code == 1, out + err
    lines = out.splitlines()
    journal = [line for line in lines if line.startswith("docs/journal/posts/2026-11-20.md:")]
    about = [line for line in lines if line.startswith("docs/about.md:")]
    assert journal and journal[0].startswith("docs/journal/posts/2026-11-20.md:10:21: SE001 ")
    assert about and about[0].startswith("docs/about.md:5:8: SE001 ")
    assert TOKEN not in out + err and AWS not in out + err  # masked, as folio clean shows them
    assert "ghp_" in journal[0] and "(40 chars)" in journal[0]
    # The same function tells the site which pages to leave out.
    cfg = load_config(new_user_repo)
    secrets = published_secrets(load_portfolio(cfg), cfg)
    assert sorted(secrets) == ["docs/about.md", "docs/journal/posts/2026-11-20.md"]
    assert [(s.line, s.col) for s in secrets["docs/journal/posts/2026-11-20.md"]] == [(10, 21)]
    # A path narrows it, as pre-commit passes files.
    code, data = found(runner, "docs/about.md")
    assert {d["path"] for d in data} == {"docs/about.md"}
    code, data = found(runner, "projects")
    assert not [d for d in data if d["code"] == "SE001"]
    both = {"docs/about.md", "docs/journal/posts/2026-11-20.md"}
    for asked, paths in [
        ("docs/journal", {"docs/journal/posts/2026-11-20.md"}),  # inside the docs folder
        ("docs/journal/posts/2026-11-20.md", {"docs/journal/posts/2026-11-20.md"}),
        ("docs", both),
        (".", both),
    ]:
        code, data = found(runner, asked)
        assert {d["path"] for d in data if d["code"] == "SE001"} == paths, asked


def test_secrets_in_cv_yaml_and_the_readme(new_user_repo: Path, runner: CliRunner) -> None:
    cv = new_user_repo / "cv.yaml"
    cv.write_text(cv.read_text("utf-8") + f"phone: '{TOKEN}'\n", "utf-8")
    readme = new_user_repo / "README.md"
    readme.write_text(readme.read_text("utf-8") + f"\nexport GITHUB_TOKEN={TOKEN}\n", "utf-8")
    code, data = found(runner)
    assert code == 1
    hits = {(d["path"], d["line"]) for d in data if d["code"] == "SE001"}
    cv_line = cv.read_text("utf-8").splitlines().index(f"phone: '{TOKEN}'") + 1
    readme_line = readme.read_text("utf-8").splitlines().index(f"export GITHUB_TOKEN={TOKEN}") + 1
    assert hits == {("cv.yaml", cv_line), ("README.md", readme_line)}


def test_the_baseline_accepts_a_published_false_positive(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """The baseline of folio clean, in its format: `folio clean --update-baseline` writes it."""
    from repofolio.clean.secrets import baseline_json, scan_text

    text = f"# About\n\nAn example token from the docs: {TOKEN}\n"
    write(new_user_repo, "docs/about.md", text)
    assert found(runner)[0] == 1
    accepted = [("docs/about.md", s) for s in scan_text(text, "docs/about.md")]
    write(new_user_repo, ".secrets.baseline", baseline_json(accepted))
    code, data = found(runner)
    assert not [d for d in data if d["code"] == "SE001"], data
    cfg = load_config(new_user_repo)
    assert published_secrets(load_portfolio(cfg), cfg) == {}


def test_placeholders_in_published_files_are_warnings_strict_fails(
    new_user_repo: Path, runner: CliRunner
) -> None:
    write(
        new_user_repo,
        "docs/about.md",
        "# About me\n\nFILL IN: who you are.\n\n"
        "```python\n# TODO in code is code\n```\n\n"
        "Inline `TODO` is a mention. A todo list is a word.\n\n"
        "<!-- TODO: an HTML comment is never shown -->\n",
    )
    write(
        new_user_repo,
        "docs/journal/posts/2026-11-21.md",
        entry(
            "2026-11-21",
            "Applied to two roles. TODO: the cover letter\n\n"
            "<!-- private -->\nTODO call the recruiter back\n<!-- /private -->\n",
        ),
    )
    readme = new_user_repo / "README.md"
    readme.write_text(readme.read_text("utf-8") + "\nTBD: more projects soon.\n", "utf-8")
    cv = new_user_repo / "cv.yaml"
    cv.write_text(cv.read_text("utf-8").replace('headline: "', 'headline: "FILL IN '), "utf-8")
    code, data = found(runner)
    pu = sorted(
        (d["path"], d["line"], d["col"], d["severity"]) for d in data if d["code"] == "PU001"
    )
    readme_line = len(readme.read_text("utf-8").splitlines())
    cv_line = next(
        i for i, line in enumerate(cv.read_text("utf-8").splitlines(), 1) if "FILL IN" in line
    )
    assert pu == [
        ("README.md", readme_line, 1, "warning"),
        ("cv.yaml", cv_line, 12, "warning"),
        ("docs/about.md", 3, 1, "warning"),
        ("docs/journal/posts/2026-11-21.md", 8, 23, "warning"),
    ]
    assert code == 0  # warnings: the site still builds ...
    code, out, err = run_cli(runner, "check", "--strict")
    assert code == 1  # ... and --strict fails on them
    assert "docs/about.md:3:1: PU001 placeholder 'FILL IN' left in the text: it is published" in out
    assert "(--strict: warnings fail)" in err


def test_pages_left_out_of_the_site_are_not_published(
    new_user_repo: Path, runner: CliRunner
) -> None:
    mkdocs = new_user_repo / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8") + "exclude_docs: |\n  toolkit/\n", "utf-8")
    write(new_user_repo, "docs/toolkit/notes.md", "# Notes\n\nTODO: not on the site\n")
    write(new_user_repo, "docs/.drafts/idea.md", "# Idea\n\nFILL IN\n")
    cfg = load_config(new_user_repo)
    names = published_files(cfg)
    assert "docs/toolkit/notes.md" not in names and "docs/.drafts/idea.md" not in names
    assert {"docs/index.md", "docs/journal/index.md", "cv.yaml", "README.md"} <= set(names)
    code, data = found(runner)
    assert not [d for d in data if d["path"].startswith(("docs/toolkit", "docs/.drafts"))]
    # ... but a secret there is in the public repository all the same
    write(new_user_repo, "docs/toolkit/notes.md", f"# Notes\n\ntoken = '{TOKEN}'\n")
    code, data = found(runner)
    assert [(d["path"], d["code"]) for d in data if d["code"] == "SE001"] == [
        ("docs/toolkit/notes.md", "SE001")
    ]


def test_generated_readme_regions_are_checked_in_the_write_ups_not_twice(
    new_user_repo: Path, runner: CliRunner
) -> None:
    readme = new_user_repo / "README.md"
    readme.write_text(
        "# Jane\n\n<!-- folio:projects:start -->\n- TODO from a write-up\n"
        "<!-- folio:projects:end -->\n",
        "utf-8",
    )
    code, data = found(runner, "README.md")
    assert [d for d in data if d["code"] == "PU001"] == []


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_this_portfolio_publishes_no_placeholder(fmt: str, runner: CliRunner) -> None:
    """The example portfolio's own docs, journal, cv.yaml and README pass --strict."""
    root = Path(__file__).resolve().parents[2]
    code, out, err = run_cli(runner, "-C", str(root), "check", "--strict", "--format", fmt)
    assert code == 0, out + err


def test_the_home_pages_stand_in_is_a_warning_until_rewritten(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """folio init's docs/index.md says "This site shows my projects, ..." under the
    headline: the home page shows it as "About me". It passes folio check (a warning, as the
    example project and the draft CV), --strict fails on it, and own words end it."""
    home = new_user_repo / "docs" / "index.md"
    text = home.read_text("utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("This site shows"))
    code, data = found(runner)
    assert code == 0
    assert [(d["path"], d["line"], d["severity"]) for d in data if d["code"] == "PU004"] == [
        ("docs/index.md", line, "warning")
    ]
    code, out, _ = run_cli(runner, "check", "--strict")
    assert code == 1
    assert (
        f"docs/index.md:{line}:1: PU004 the home page still has folio init's stand-in text "
        "(shown as 'About me'): say who you are and the roles you want"
    ) in out
    own = text.split("This site shows")[0] + "I build forecasting systems for retail.\n"
    home.write_text(own, "utf-8")
    code, data = found(runner)
    assert not [d for d in data if d["code"] == "PU004"]


def test_a_cv_yaml_that_is_not_yaml_is_an_error_of_folio_check(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """cv.yaml is published (the CV page, cv.pdf): a new user's unclosed bracket in it made
    `folio check` say "all good" while the build dropped the CV page. It is CV002 at its
    line, as `folio resume lint` says it, and an error."""
    cv = new_user_repo / "cv.yaml"
    text = cv.read_text("utf-8").replace("draft: true\n", "")
    text = text.replace('name: "Jane Doe"', 'name: "Jane Doe"\nlocation: [Uppsala, Sweden')
    cv.write_text(text, "utf-8")
    code, data = found(runner)
    assert code == 1
    lint_code, lint_out, _ = run_cli(runner, "resume", "lint")
    assert lint_code == 1
    cv_findings = [d for d in data if d["path"] == "cv.yaml"]
    assert [(d["code"], d["severity"]) for d in cv_findings] == [("CV002", "error")]
    line, col, message = (cv_findings[0][k] for k in ("line", "col", "message"))
    assert f"cv.yaml:{line}:{col}: CV002 {message}" in lint_out  # the same finding
    assert str(message).startswith("invalid YAML")
    cv.write_text(text.replace("[Uppsala, Sweden", "Uppsala, Sweden"), "utf-8")
    code, data = found(runner)
    assert not [d for d in data if d["path"] == "cv.yaml"], data
