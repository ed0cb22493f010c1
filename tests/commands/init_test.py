"""``folio init``: the layout added to real git repositories, nothing existing ever changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import git, run_cli
from repofolio.cli import main

LAYOUT = (
    "folio.toml",
    "mkdocs.yml",
    "docs/index.md",
    "docs/journal/index.md",
    "projects/example-project/README.md",
    "README.md",
    "cv.yaml",
    "schemas/cv.schema.json",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".github/workflows/publish.yml",
    "requirements-folio.txt",
    ".gitignore",
)


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An existing repository that knows nothing of repofolio."""
    root = tmp_path / "mine"
    root.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


def mkdocs_build_strict(root: Path) -> None:
    """A real `mkdocs build --strict` of the repository at ``root``, into root/site."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def test_init_creates_the_layout_and_prints_next_steps(bare: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(
        runner,
        "init",
        str(bare),
        "--owner",
        "Ada Example",
        "--headline",
        "ML engineer: forecasting",
    )
    assert code == 0, err
    assert out == ""  # chatter on stderr
    for rel in LAYOUT:
        assert (bare / rel).is_file(), rel
        assert f"Created {rel}" in err
    assert "Next steps:" in err
    assert "Settings > Pages" in err
    assert "Skipped" not in err
    assert 'owner = "Ada Example"' in (bare / "folio.toml").read_text("utf-8")
    assert "ML engineer: forecasting" in (bare / "docs/index.md").read_text("utf-8")
    from repofolio.installed import toolkit_requirement

    wanted = toolkit_requirement()
    assert (bare / "requirements-folio.txt").read_text("utf-8").strip().endswith(wanted.spec)
    assert f"requirements-folio.txt: {wanted.spec} ({wanted.why})." in err


def test_init_result_passes_check_and_index(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare), "--owner", "Ada")[0] == 0
    code, out, err = run_cli(runner, "-C", str(bare), "check")
    assert code == 0, out + err
    assert "1 project" in err
    code, out, err = run_cli(runner, "-C", str(bare), "index", "--check")
    assert code == 0, out + err  # the README's regions were filled at init
    readme = (bare / "README.md").read_text("utf-8")
    assert "Example project" not in readme  # a draft: never in the index


def test_init_result_builds_with_mkdocs(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare), "--owner", "Ada")[0] == 0
    code, _, err = run_cli(
        runner,
        "-C",
        str(bare),
        "journal",
        "add",
        "--date",
        "2026-11-20",
        "--tag",
        "learning",
        "Read about conformal prediction",
    )
    assert code == 0, err
    mkdocs_build_strict(bare)
    assert (bare / "site/index.html").is_file()
    posts = [p.read_text("utf-8") for p in (bare / "site/journal").rglob("index.html")]
    assert any("Read about conformal prediction" in text for text in posts)


def test_init_pre_commit_config_is_valid(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare))[0] == 0
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=bare,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_changes_no_existing_file(bare: Path, runner: CliRunner) -> None:
    existing = {
        "README.md": "# My thing\n\nHand-written, no markers.\n",
        "pyproject.toml": '[project]\nname = "mine"\nversion = "1.0"\n',
        "mkdocs.yml": "site_name: Mine\n",
        ".gitignore": "*.log\n",
        ".github/workflows/ci.yml": "name: mine\non: push\n",
        "docs/index.md": "# Mine\r\nCRLF kept\r\n",
        "projects/example-project/README.md": "---\ntitle: Mine\n---\n",
    }
    for rel, text in existing.items():
        path = bare / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    git(bare, "add", "-A")
    git(bare, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "mine")
    before = snapshot(bare)

    code, out, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    after = snapshot(bare)
    for rel, state in before.items():
        assert after[rel] == state, f"{rel} was changed"
    for rel in set(existing) - {"pyproject.toml"}:  # pyproject.toml is not in the layout
        assert f"Skipped {rel}" in err
    # pyproject.toml has no [tool.folio]: the config goes to a new folio.toml, never into it.
    assert "Created folio.toml" in err
    created = set(after) - set(before)
    assert created == {
        "folio.toml",
        "cv.yaml",
        "schemas/cv.schema.json",
        "docs/journal/index.md",
        ".pre-commit-config.yaml",
        ".github/workflows/publish.yml",
        "requirements-folio.txt",
    }
    assert "Add the index regions to your README.md" in err
    assert "Add 'site/', 'dist/' and '.folio-cache/' to your .gitignore" in err
    assert git(bare, "status", "--porcelain", "--untracked-files=no") == ""


def test_init_keeps_tool_folio_in_pyproject(bare: Path, runner: CliRunner) -> None:
    (bare / "pyproject.toml").write_text('[tool.folio]\nowner = "Already Here"\n', "utf-8")
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    assert not (bare / "folio.toml").exists()
    assert "folio.toml" not in err
    assert "Already Here" in (bare / "README.md").read_text("utf-8")


def test_init_check_writes_nothing(bare: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "init", "--check", str(bare))
    assert code == 1
    assert "Would create mkdocs.yml" in err
    assert snapshot(bare) == {}
    assert run_cli(runner, "init", str(bare))[0] == 0
    code, out, err = run_cli(runner, "init", "--check", str(bare))
    assert code == 0
    assert "Would create" not in err


def test_init_twice_changes_nothing(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare))[0] == 0
    before = snapshot(bare)
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0
    assert "Nothing to do" in err
    assert snapshot(bare) == before


def test_init_never_writes_through_a_symlink(bare: Path, tmp_path: Path, runner: CliRunner) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (bare / ".github").symlink_to(outside, target_is_directory=True)
    (bare / "mkdocs.yml").symlink_to(tmp_path / "nowhere.yml")  # dangling
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "nowhere.yml").exists()
    assert "Skipped .github/workflows/ci.yml  (outside the repository" in err
    assert "Skipped mkdocs.yml  (symlink" in err


def test_init_default_directory_is_the_current_one(bare: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "init")
    assert code == 0, err
    assert (bare / "mkdocs.yml").is_file()


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_init_bad_directory_is_one_line_exit_2(bare: Path, runner: CliRunner, kind: str) -> None:
    target = bare / "nope"
    if kind == "file":
        target.write_text("x", "utf-8")
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope" in result.stderr


def test_init_help_has_examples(runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "init", "--help")
    assert code == 0
    assert "Examples:" in out
    assert "never overwrites" in out


# -- what init learns from the repository ------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "site_url", "repo_url"),
    [
        (
            "https://github.com/Jane-Doe/portfolio.git",
            "https://jane-doe.github.io/portfolio/",
            "https://github.com/Jane-Doe/portfolio",
        ),
        (
            "https://github.com/jane/ml-work",
            "https://jane.github.io/ml-work/",
            "https://github.com/jane/ml-work",
        ),
        (
            "git@github.com:jane/portfolio.git",
            "https://jane.github.io/portfolio/",
            "https://github.com/jane/portfolio",
        ),
        (
            "ssh://git@github.com/jane/portfolio.git",
            "https://jane.github.io/portfolio/",
            "https://github.com/jane/portfolio",
        ),
        ("git@github.com:Jane/Jane.github.io.git", "https://jane.github.io/", None),
        ("https://gitlab.com/jane/portfolio.git", None, None),
        (None, None, None),
    ],
    ids=["https-git", "https", "scp", "ssh", "user-site", "gitlab", "no-remote"],
)
def test_init_derives_the_urls_from_origin(
    bare: Path, runner: CliRunner, remote: str | None, site_url: str | None, repo_url: str | None
) -> None:
    if remote is not None:
        git(bare, "remote", "add", "origin", remote)
    if remote and remote.endswith("Jane.github.io.git"):
        repo_url = "https://github.com/Jane/Jane.github.io"
    code, _, err = run_cli(runner, "init", "--owner", "Jane Doe", "--headline", "ML engineer")
    assert code == 0, err
    toml = (bare / "folio.toml").read_text("utf-8")
    mkdocs = (bare / "mkdocs.yml").read_text("utf-8")
    if site_url is None:
        assert "site-url" not in toml and "site_url" not in mkdocs
        assert "repo-url" not in toml and "repo_url" not in mkdocs
        reason = "no 'origin' remote" if remote is None else "is not a github.com repository"
        assert reason in err and "--site-url" in err
    else:
        assert f'site-url = "{site_url}"' in toml and f'site_url: "{site_url}"' in mkdocs
        assert f'repo-url = "{repo_url}"' in toml and f'repo_url: "{repo_url}"' in mkdocs
        assert (
            f"URLs: site-url {site_url} and repo-url {repo_url} (from the 'origin' remote)" in err
        )
    from repofolio.config import load_config

    cfg = load_config(bare)
    assert (cfg.site_url, cfg.repo_url) == (site_url, repo_url)


def test_init_flags_win_over_the_remote(bare: Path, runner: CliRunner) -> None:
    git(bare, "remote", "add", "origin", "https://github.com/jane/portfolio.git")
    code, _, err = run_cli(runner, "init", "--site-url", "https://jane.dev/")
    assert code == 0, err
    toml = (bare / "folio.toml").read_text("utf-8")
    assert 'site-url = "https://jane.dev/"' in toml
    assert 'repo-url = "https://github.com/jane/portfolio"' in toml  # still from the remote
    assert "URLs: repo-url https://github.com/jane/portfolio (from the 'origin' remote)" in err


def _published_text(root: Path) -> dict[str, str]:
    skip = {"requirements-folio.txt", "schemas/cv.schema.json"}
    return {
        rel: (root / rel).read_text("utf-8")
        for rel in LAYOUT
        if rel not in skip and (root / rel).is_file()
    }


def test_a_new_users_init_leaves_no_fill_in_anywhere(
    new_user_repo: Path, runner: CliRunner
) -> None:
    from conftest import NEW_USER_README

    texts = _published_text(new_user_repo)
    assert texts["README.md"] == NEW_USER_README  # their own: skipped, byte for byte
    for rel, text in texts.items():
        assert "FILL IN" not in text, rel
    assert "Jane Doe" in texts["docs/index.md"]
    assert "forecasting and NLP" in texts["docs/index.md"]
    assert 'site_author: "Jane Doe"' in texts["mkdocs.yml"]
    assert 'site_url: "https://jane-doe.github.io/portfolio/"' in texts["mkdocs.yml"]
    assert "dist/" in texts[".gitignore"].splitlines()


def test_the_starter_cv_is_valid_and_a_draft(new_user_repo: Path, runner: CliRunner) -> None:
    from repofolio.resume.model import parse_cv

    text = (new_user_repo / "cv.yaml").read_text("utf-8")
    loaded = parse_cv(text)
    assert loaded.diagnostics == [] and loaded.cv is not None
    assert loaded.cv.draft is True
    assert loaded.cv.name == "Jane Doe"
    assert loaded.cv.headline == "Data scientist moving into ML engineering: forecasting and NLP"
    assert loaded.cv.links == {"github": "https://github.com/jane-doe"}
    commented = [line for line in text.splitlines() if line.startswith("#")]
    assert len(commented) > 30  # a starter that shows how to fill it in
    # Its schema is there for the editor, as its first line says.
    assert text.startswith("# yaml-language-server: $schema=schemas/cv.schema.json\n")
    assert (new_user_repo / "schemas/cv.schema.json").is_file()
    # folio check warns until it is filled in, and --strict fails on that
    code, out, err = run_cli(runner, "check")
    assert code == 0, out + err
    assert "cv.yaml:11:1: PU002 cv.yaml is a draft (draft: true)" in out
    assert run_cli(runner, "check", "--strict")[0] == 1
    # Filled in: the draft line deleted, the warning gone.
    (new_user_repo / "cv.yaml").write_text(text.replace("draft: true\n", ""), "utf-8")
    code, out, _ = run_cli(runner, "check")
    assert "PU002" not in out


def test_next_steps_say_folio_new_adopts_a_folder(bare: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "init")
    assert code == 0
    steps = err.split("Next steps:")[1]
    assert "'folio new SLUG'" in steps
    assert "already holds (code, notebooks" in steps
    assert "Fill in cv.yaml, then delete its 'draft: true' line" in steps


def test_init_pre_commit_size_limit_lets_a_thesis_pdf_in(bare: Path, runner: CliRunner) -> None:
    """The real check-added-large-files hook, with the arguments and exclude init writes."""
    import re

    import yaml
    from conftest import venv_tool

    assert run_cli(runner, "init")[0] == 0
    config = yaml.safe_load((bare / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = next(
        h for r in config["repos"] for h in r["hooks"] if h["id"] == "check-added-large-files"
    )
    tool = venv_tool("check-added-large-files")
    assert tool, "pre-commit-hooks is a test dependency: pip install -e '.[test]'"
    thesis = bare / "projects/thesis/thesis.pdf"
    thesis.parent.mkdir(parents=True)
    thesis.write_bytes(b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024))
    (bare / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    git(bare, "add", "-A")
    for rel, passes in (("projects/thesis/thesis.pdf", True), ("big.bin", False)):
        if re.search(hook.get("exclude", "^$"), rel):
            assert passes, rel  # pre-commit never hands an excluded file to the hook
            continue
        result = subprocess.run(
            [tool, *hook["args"], rel], cwd=bare, capture_output=True, text=True
        )
        assert (result.returncode == 0) is passes, (rel, result.stdout)
    assert re.search(hook["exclude"], "projects/thesis/thesis.pdf")
    assert not re.search(hook["exclude"], "projects/thesis/weights.bin")


def test_init_workflows_use_the_current_action_majors(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init")[0] == 0
    for name in ("ci.yml", "publish.yml"):
        text = (bare / ".github/workflows" / name).read_text("utf-8")
        assert "actions/checkout@v7" in text and "actions/setup-python@v7" in text
    # every action's major: tests/automation_test.py (CURRENT_MAJORS)


@pytest.mark.slow  # a real mkdocs build
def test_a_fresh_init_publishes_neither_the_example_nor_the_starter_cv(
    new_user_repo: Path,
) -> None:
    mkdocs_build_strict(new_user_repo)
    site = new_user_repo / "site"
    assert (site / "index.html").is_file()
    assert not (site / "projects/example-project").exists()
    assert not (site / "cv").exists() and not (site / "cv.pdf").exists()
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml")]
    assert not [p for p in pages if "Example text:" in p.read_text("utf-8", errors="replace")]
    # the journal's page speaks to a reader: the notes for the owner (the command, the
    # privacy setting) are in a comment of docs/journal/index.md, never on the page
    journal = (site / "journal" / "index.html").read_text("utf-8")
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<!--.*?-->", "", journal, flags=re.S))
    assert "written at the end of each working day." in shown
    search = (site / "search" / "search_index.json").read_text("utf-8")
    for note in ("folio journal add", "[tool.folio.journal]"):
        assert note not in shown and note not in search, note
    assert "folio journal add" in (new_user_repo / "docs/journal/index.md").read_text("utf-8")


def test_next_steps_ask_for_the_home_pages_text_only_when_init_wrote_it(
    bare: Path, runner: CliRunner
) -> None:
    """docs/index.md's text under the headline is a stand-in: the steps say to write it, and
    say nothing of it for a docs/index.md the user had already (init leaves it alone)."""
    code, _, err = run_cli(runner, "init")
    assert code == 0 and "docs/index.md's text under your headline" in err
    other = bare.parent / "has-home"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    (other / "docs").mkdir()
    (other / "docs" / "index.md").write_text("# Me\n\nMy own words.\n", encoding="utf-8")
    code, _, err = run_cli(runner, "init", str(other))
    assert code == 0, err
    assert "docs/index.md's text under your headline" not in err
    assert (other / "docs" / "index.md").read_text(encoding="utf-8") == "# Me\n\nMy own words.\n"


def test_a_name_and_headline_are_written_as_typed(bare: Path, runner: CliRunner) -> None:
    """An owner "Siobhán O'Brien" and a headline with "&" and "<": every file init writes
    holds them as typed (jinja's tojson wrote \\u0027 and \\u0026 for HTML's sake into TOML
    and YAML the user edits), and each reads back to the same text."""
    git(bare, "remote", "add", "origin", "https://github.com/sobrien/portfolio.git")
    owner, headline = "Siobhán O'Brien", "Search & ranking <ML> engineer"
    code, _, err = run_cli(runner, "init", "--owner", owner, "--headline", headline)
    assert code == 0, err
    import yaml

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    toml = (bare / "folio.toml").read_text("utf-8")
    assert f'owner = "{owner}"\n' in toml and f'headline = "{headline}"\n' in toml
    assert tomllib.loads(toml)["owner"] == owner
    for name in ("cv.yaml", "mkdocs.yml"):
        text = (bare / name).read_text("utf-8")
        assert "\\u00" not in text, name
    cv = yaml.safe_load((bare / "cv.yaml").read_text("utf-8"))
    assert (cv["name"], cv["headline"]) == (owner, headline)
    mkdocs = (bare / "mkdocs.yml").read_text("utf-8")
    assert f'site_author: "{owner}"\n' in mkdocs and f'site_name: "{owner}: portfolio"' in mkdocs
