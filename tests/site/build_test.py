"""The site, built for real: nbconvert, the mkdocs plugin, `folio build`, `folio docs`, zensical.

One small portfolio (two good projects, one with every kind of bad notebook) is built once per
module with `folio build`; the tests read the HTML it wrote.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import imported_modules
from PIL import Image
from repofolio.cli import main
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from site_data import (
    ANALYSIS,
    _write,
    code,
    make_portfolio,
    md,
    notebook,
    png,
    zensical_build,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    root = tmp_path_factory.mktemp("site") / "portfolio"
    make_portfolio(root)
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    return root, result.exit_code, result.stdout, result.stderr


def read(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_build_publishes_the_rest_and_reports_each_bad_notebook(built) -> None:
    root, code_, out, err = built
    assert code_ == 0, err
    assert (
        "projects/bad-notebooks/invalid.ipynb: ST001 notebook not published: notebook is "
        "not valid JSON" in out
    )
    assert "projects/bad-notebooks/old-v3.ipynb: ST002 nbformat 3 notebook upgraded" in out
    assert "projects/bad-notebooks/big-output.ipynb: ST002 1 long output(s) cut" in out
    assert "widgets.ipynb: ST" not in out  # malformed widget state: published as it is
    assert out.count("invalid.ipynb: ST001") == 1  # reported once, not again by the plugin
    assert (root / "site/projects/bad-notebooks/widgets/index.html").is_file()
    assert (root / "site/projects/bad-notebooks/old-v3/index.html").is_file()
    assert not (root / "site/projects/bad-notebooks/invalid/index.html").exists()
    big = read(root, "projects/bad-notebooks/big-output/index.html")
    assert len(big) < 200_000 and "more characters not shown" in big
    assert "site built in" in err and "2 failed" in err  # invalid JSON, symlink out


def test_strict_fails_on_a_notebook_that_cannot_be_converted(built) -> None:
    root, *_ = built
    result = CliRunner().invoke(
        main, ["-C", str(root), "build", "--strict", "--no-check", "-d", str(root / "strict-site")]
    )
    assert result.exit_code == 1
    assert "invalid.ipynb" in result.stdout
    assert "strict: failing" in result.stderr


def test_gallery_has_a_card_per_project_with_tags_linking_to_the_tag_index(built) -> None:
    root, *_ = built
    html = read(root, "projects/index.html")
    assert html.count('<article class="folio-card">') == 3
    assert 'href="../tags/#tag:churn"' in html
    tags = read(root, "tags/index.html")
    assert 'id="tag:churn"' in tags and "Churn model" in tags
    assert 'width="160" height="90"' in html  # cover size known: no layout shift


def test_symlinks_out_of_the_repository_are_never_published(built) -> None:
    root, _, out, _ = built
    assert not (root / "site/projects/churn-model/images/leak.png").exists()
    assert not (root / "site/projects/bad-notebooks/leak/index.html").exists()
    assert "projects/bad-notebooks/leak.ipynb: ST001 notebook not published: symlink" in out
    site_bytes = b"".join(p.read_bytes() for p in (root / "site").rglob("*") if p.is_file())
    assert b"not for the site" not in site_bytes


def test_run_report_statuses_show_as_badges(built) -> None:
    root, *_ = built
    gallery = read(root, "projects/index.html")
    assert gallery.count("folio-badge--passing") == 1
    assert gallery.count("folio-badge--failing") == 1
    assert "runs: passing" in read(root, "projects/churn-model/index.html")
    assert "folio-badge" not in read(root, "projects/bad-notebooks/index.html")
    # the README links to these, so the badge a recruiter sees is the published commit's
    assert ">passing</text>" in read(root, "badges/churn-model.svg")
    # nothing runs there (no run:, not kind: notebook): no badge at all, not a grey one
    assert not (root / "site/badges/bad-notebooks.svg").exists()


def test_project_page_header_meta_tags_video_and_pdf(built) -> None:
    root, *_ = built
    html = read(root, "projects/churn-model/index.html")
    summary = "Predicts which customers cancel next month from 18 months of usage logs."
    assert f'<meta name="description" content="{summary}">' in html
    assert f'<meta property="og:description" content="{summary}">' in html
    # the project's social card (its cover drawn in), not the cover itself
    assert (
        '<meta property="og:image" content="https://maya-lindqvist.github.io/portfolio/'
        'assets/social/projects/churn-model/index.png">'
    ) in html
    with Image.open(root / "site/assets/social/projects/churn-model/index.png") as card:
        assert card.size == (1200, 630)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert 'href="docs/thesis.pdf" download' in html
    assert (root / "site/projects/churn-model/docs/thesis.pdf").is_file()
    assert "ROC AUC 0.91 against 0.84 for the rules baseline" in html  # results in the header
    assert 'href="https://github.com/example/churn"' in html  # links as buttons
    # README links: notebook -> its page
    assert 'href="notebooks/analysis/"' in html


def test_headings_in_any_script_get_meaningful_anchors(built) -> None:
    root, *_ = built
    html = read(root, "projects/churn-model/index.html")
    ids = re.findall(r'<h3 id="([^"]*)"', html)
    assert "نتائج-النموذج" in ids
    assert "模型结果" in ids


def test_notebook_page_images_tables_ansi_and_links(built) -> None:
    root, *_ = built
    html = read(root, "projects/churn-model/notebooks/analysis/index.html")
    assert '<table class="dataframe">' in html
    assert "\x1b" not in html and "red warning plain" in html
    m = re.search(r'<img alt="Output of cell 4" src="([^"]+)"', html)
    assert m, html
    image = (root / "site/projects/churn-model/notebooks/analysis/" / m.group(1)).resolve()
    assert image.read_bytes() == png()
    assert 'href="../features/"' in html  # notebook -> notebook
    assert 'href="../../"' in html  # notebook -> the project's write-up


def test_home_features_projects_and_privacy_applies_to_every_page(built) -> None:
    root, *_ = built
    home = read(root, "index.html")
    assert "Churn model" in home and "Data scientist who ships" in home
    assert "First day" in home  # latest journal entries
    for rel in ("index.html", "journal/index.html", "journal/2026/01/05/first-day/index.html"):
        page = read(root, rel)
        assert "Acme Corp" not in page and "99k" not in page, rel
    journal = read(root, "journal/index.html")
    assert "<svg" in journal and "current streak" in journal


def test_cache_converts_an_unchanged_notebook_once(built, tmp_path: Path) -> None:
    from repofolio.site.convert import convert_all

    root, *_ = built
    src = root / "projects/churn-model/notebooks/analysis.ipynb"
    nb = tmp_path / "analysis.ipynb"
    shutil.copy(src, nb)
    first = convert_all([(nb, "a.ipynb")], tmp_path / "cache")
    again = convert_all([(nb, "a.ipynb")], tmp_path / "cache")
    assert not first["a.ipynb"].cached and again["a.ipynb"].cached
    assert again["a.ipynb"].markdown == first["a.ipynb"].markdown
    nb.write_text(nb.read_text(encoding="utf-8").replace("Churn", "Churn!"), encoding="utf-8")
    changed = convert_all([(nb, "a.ipynb")], tmp_path / "cache")
    assert not changed["a.ipynb"].cached and "Churn!" in changed["a.ipynb"].markdown


def test_parallel_conversion_gives_the_same_pages(tmp_path: Path) -> None:
    from repofolio.site.convert import convert_all

    paths = []
    for i in range(5):
        p = tmp_path / f"n{i}.ipynb"
        p.write_text(ANALYSIS.replace("Churn analysis", f"Analysis {i}"), encoding="utf-8")
        paths.append((p, p.name))
    serial = convert_all(paths, tmp_path / "c1", jobs=1)
    parallel = convert_all(paths, tmp_path / "c2", jobs=2, parallel_from=2)
    assert {k: v.markdown for k, v in serial.items()} == {
        k: v.markdown for k, v in parallel.items()
    }
    assert all(v.files == ("output_3_0.png",) for v in parallel.values())


def test_short_navigation_lists_no_project(built) -> None:
    root, *_ = built
    html = read(root, "projects/churn-model/index.html")
    tabs = html.split('class="md-tabs__list"', 1)[1].split("</ul>", 1)[0]
    assert "Churn model" not in tabs and "Projects" in tabs


def test_folio_docs_pages_build_with_zensical(built, tmp_path: Path) -> None:
    root, *_ = built
    out = tmp_path / "docs"
    config = tmp_path / "zensical.yml"
    args = ["-C", str(root), "docs", "--out", str(out), "--write-config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    again = CliRunner().invoke(main, [*args, "--check"])
    assert again.exit_code == 0, again.stderr  # nothing left to write
    # the config folio wrote: the user's mkdocs.yml, these pages, the package's theme
    zensical_build(config, tmp_path)
    site = tmp_path / "site"
    gallery = (site / "projects/index.html").read_text(encoding="utf-8")
    assert gallery.count('<article class="folio-card">') == 3
    assert 'href="../assets/stylesheets/folio.css"' in gallery
    assert (site / "assets/stylesheets/folio.css").read_bytes() == (
        ROOT / "tools/repofolio/site/theme/assets/stylesheets/folio.css"
    ).read_bytes()
    # the package's page head (link previews) on Zensical's templates; no template published
    assert '<meta property="og:title" content="Projects">' in gallery
    assert not (site / ".folio-theme").exists() and not list(site.rglob("main.html"))
    nb = (site / "projects/churn-model/notebooks/analysis/index.html").read_text(encoding="utf-8")
    src = re.search(r'<img alt="Output of cell 4" src="([^"]+)"', nb)
    assert src and (site / "projects/churn-model/notebooks/analysis" / src.group(1)).is_file()
    assert "Acme Corp" not in (site / "index.html").read_text(encoding="utf-8")


def test_build_without_mkdocs_yml_is_one_line_exit_2(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.folio]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "folio: error: mkdocs.yml: not found; folio build needs an mkdocs.yml with "
        "'plugins: [repofolio]'"
    )


BROKEN_MKDOCS = [  # (what a new user's edit does to mkdocs.yml, the one line folio says)
    (
        ("site_name:", "site_name: [unclosed"),
        # PyYAML stops at the next key's colon, the line after (site_url:)
        "folio: error: mkdocs.yml:{line}:9: invalid YAML: while parsing a flow sequence; "
        "expected ',' or ']', but got ':'",
    ),
    (
        ("  name: material", "  name: materiall"),
        "folio: error: mkdocs.yml: Config value 'theme': Unrecognised theme name: 'materiall'. "
        "The available installed themes are: ",
    ),
    (
        ("plugins:\n", "plugins:\n  - nosuchplugin\n"),
        "folio: error: mkdocs.yml: Config value 'plugins': The \"nosuchplugin\" plugin is not "
        "installed",
    ),
]


@pytest.mark.parametrize(("edit", "message"), BROKEN_MKDOCS, ids=["yaml", "theme", "plugin"])
@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_broken_mkdocs_yml_is_one_line_exit_2(
    new_user_repo: Path, command: str, edit: tuple[str, str], message: str
) -> None:
    """A typo in a new user's mkdocs.yml: folio build and folio serve each say it in one
    line naming the file (and the line, for YAML), exit 2, and serve starts no server
    (mkdocs' own "Aborted with a configuration error!" and exit 1 before)."""
    yml = new_user_repo / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert edit[0] in text
    text = text.replace(edit[0], edit[1], 1)
    yml.write_text(text, encoding="utf-8")
    line = text[: text.index(edit[1])].count("\n") + 2  # YAML sees the problem a line on
    result = CliRunner().invoke(main, [command, "--no-check"] if command == "build" else [command])
    assert result.exit_code == 2, result.stderr
    errors = [x for x in result.stderr.splitlines() if x.strip()]
    if command == "build":
        assert errors[0] == "building the site from mkdocs.yml…"
        errors = errors[1:]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(message.format(line=line)), errors[0]
    assert "Traceback" not in result.stderr and not (new_user_repo / "site").exists()


def test_help_has_examples() -> None:
    for cmd in ("build", "serve", "docs"):
        result = CliRunner().invoke(main, [cmd, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.stdout


def test_load_config_for_fixture(built) -> None:
    root, *_ = built
    cfg = load_config(root)
    assert len(load_portfolio(cfg).projects) == 3


# -- caches of the warm build --------------------------------------------------------------

LINKS = notebook(
    [
        md("# Links\n\nA link out of the site: [gone](../../../../outside.md).", 1),
        code("print(1)", [{"output_type": "stream", "name": "stdout", "text": "1\n"}], 2),
    ]
)


def _folio(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args[:-1], "-m", "repofolio", "-C", str(root), "build", args[-1]],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two good notebooks and one whose prose has a broken link, built once, cold."""
    root = tmp_path_factory.mktemp("linked") / "portfolio"
    make_portfolio(root, big_output=False)
    shutil.rmtree(root / "projects" / "bad-notebooks")
    _write(root / "projects" / "price-model" / "notebooks" / "links.ipynb", LINKS)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("[tool.folio.site]\njobs = 2\nparallel-from = 2\n")  # workers even on 1 core
    return root


def test_warm_build_reuses_every_cache_repeats_warnings_and_imports_no_nbconvert(
    linked: Path,
) -> None:
    root = linked
    cold = _folio(root, "--no-check")
    assert cold.returncode == 0, cold.stderr
    assert "'../../../../outside.md'" in cold.stderr  # mkdocs' broken-link warning
    page = "site/projects/churn-model/notebooks/analysis/index.html"
    first = (root / page).read_text(encoding="utf-8")
    index = (root / "site/search/search_index.json").read_text(encoding="utf-8")
    warm = _folio(root, "-X", "importtime", "--strict")
    imported = imported_modules(warm.stderr)
    assert not {m for m in imported if m.split(".")[0] in ("nbconvert", "nbformat")}
    assert "markdown" in imported  # the import log is there
    assert "3 notebook pages (3 from cache, 0 failed)" in warm.stderr
    # the page whose render warned is rendered (and warns) again: --strict still fails
    assert "'../../../../outside.md'" in warm.stderr
    assert warm.returncode == 1
    assert (root / page).read_text(encoding="utf-8") == first
    # search entries of cached pages come from the cache: the same index, byte for byte
    assert (root / "site/search/search_index.json").read_text(encoding="utf-8") == index
    assert "Churn analysis" in index
    cached = json.loads((root / ".folio-cache/site/pages.json").read_text(encoding="utf-8"))
    assert len(cached) == 2  # analysis and features; never the page that logged a warning
    search = json.loads((root / ".folio-cache/site/search.json").read_text(encoding="utf-8"))
    assert len(search) == 3 and all(search.values())  # entries of every notebook page


def test_rendering_in_one_process_gives_the_same_pages(linked: Path) -> None:
    root = linked
    assert _folio(root, "--no-check").returncode == 0
    pages = sorted((root / "site/projects").glob("*/notebooks/*/index.html"))
    assert len(pages) == 3
    parallel = {p: p.read_text(encoding="utf-8") for p in pages}
    shutil.rmtree(root / ".folio-cache" / "site")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text.replace("jobs = 2", "jobs = 1"), encoding="utf-8")
    try:
        serial = _folio(root, "--no-check")
    finally:
        (root / "pyproject.toml").write_text(text, encoding="utf-8")
    assert serial.returncode == 0, serial.stderr
    assert "0 from cache" in serial.stderr
    assert {p: p.read_text(encoding="utf-8") for p in pages} == parallel


def test_edited_notebook_with_the_same_size_and_mtime_is_converted_again(tmp_path: Path) -> None:
    from repofolio.site.convert import convert_all

    nb = tmp_path / "a.ipynb"
    nb.write_text(ANALYSIS, encoding="utf-8")
    old = nb.stat().st_mtime_ns - 3600 * 10**9
    os.utime(nb, ns=(old, old))
    time.sleep(2.2)  # past the racy window: this stamp is trusted from now on
    cache = tmp_path / "cache"
    first = convert_all([(nb, "a.ipynb")], cache)
    again = convert_all([(nb, "a.ipynb")], cache)
    assert not first["a.ipynb"].cached and again["a.ipynb"].cached
    assert "a.ipynb" in json.loads((cache / "stat-index.json").read_text())["entries"]
    edited = ANALYSIS.replace("Churn analysis", "Churn analysiS")
    assert len(edited) == len(ANALYSIS)
    nb.write_text(edited, encoding="utf-8")
    os.utime(nb, ns=(old, old))  # same size, same mtime: only the ctime tells
    changed = convert_all([(nb, "a.ipynb")], cache)
    assert not changed["a.ipynb"].cached
    assert "Churn analysiS" in changed["a.ipynb"].markdown


def test_each_site_problem_is_reported_once(built) -> None:
    root, _, out, err = built
    both = out + err
    for problem in (
        "projects/bad-notebooks/invalid.ipynb: ST001 notebook not published: notebook is not "
        "valid JSON",
        "projects/bad-notebooks/leak.ipynb: ST001 notebook not published: symlink leaves the "
        "repository; not read",
        "projects/bad-notebooks/old-v3.ipynb: ST002 nbformat 3 notebook upgraded",
        "projects/bad-notebooks/big-output.ipynb: ST002 1 long output(s) cut",
        "projects/churn-model/images/leak.png: ST004 symlink leaves the repository; not published",
    ):
        assert both.count(problem) == 1, problem
    assert len(re.findall(r": ST00\d ", both)) == 5


def test_a_cv_that_cannot_be_built_is_reported_once_and_the_site_is_built(
    new_user_repo: Path,
) -> None:
    root = new_user_repo
    (root / "cv.yaml").write_text("name: Jane Doe\nbasics: [unclosed\n", encoding="utf-8")

    def build(*args: str) -> subprocess.CompletedProcess[str]:
        # processes of their own: Material's blog plugin, kept by mkdocs from one build to
        # the next in a process, fails the second one when it made no pages the first time
        return subprocess.run(
            [sys.executable, "-m", "repofolio", "build", "--no-check", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )

    result = build()
    assert result.returncode == 0, result.stderr
    both = result.stdout + result.stderr
    problem = (
        "cv.yaml: ST003 cv page not built: cv.yaml:2:9: CV002 invalid YAML: "
        "the '[' here is never closed with ']'"
    )
    assert both.count(problem) == 1, both
    assert "WARNING" not in result.stderr  # the short navigation has no CV entry to miss
    assert (root / "site/index.html").is_file() and not (root / "site/cv.pdf").exists()
    strict = build("--strict")
    assert strict.returncode == 1 and "strict: failing" in strict.stderr
