"""The MkDocs plugin (repofolio.site.mkdocs.plugin) and where mkdocs is imported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import git, venv_tool
from repofolio.cli import main
from site_data import ROOT


def test_mkdocs_is_imported_in_one_folder_only() -> None:
    files = git(ROOT, "grep", "-l", "-E", r"^\s*(from|import) mkdocs\b", "--", "tools/*.py")
    folders = {str(Path(f).parent) for f in files.split()}
    assert folders == {"tools/repofolio/site/mkdocs"}


def test_the_plugin_module_stays_thin() -> None:
    """The adapter's plugin holds the events (config, files, pages, serve): 300 lines at
    most; the speed layers, the navigation, the theme and the bodies live beside it."""
    plugin = ROOT / "tools" / "repofolio" / "site" / "mkdocs" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) <= 300


def test_mkdocs_build_alone_reads_the_inputs_and_reports_each_problem_once(
    new_user_repo: Path,
) -> None:
    mkdocs = venv_tool("mkdocs")
    assert mkdocs, "mkdocs is a dependency of the toolkit"
    (new_user_repo / "cv.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [mkdocs, "build"], cwd=new_user_repo, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("cv.yaml: ST003 cv page not built") == 1, result.stderr
    assert (new_user_repo / "site/projects/index.html").is_file()


def test_folio_build_needs_the_plugin_in_mkdocs_yml(new_user_repo: Path) -> None:
    yml = new_user_repo / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - repofolio\n", ""), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-check"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "folio: error: mkdocs.yml: 'repofolio' is not in its plugins"
    )
