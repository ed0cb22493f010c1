"""The site's pages (repofolio.site.pages): which files a site publishes, on a repository made
the way a new user makes one."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from conftest import commit, good_readme, write_project
from repofolio.cli import main
from site_data import png

GIF = b"GIF89a\x02\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,"
IMAGES = {
    "cover.png": png(120, 60),
    "images/eda.png": png(30, 30),
    "images/roc.png": png(31, 30),
    "images/calibration.png": png(32, 30),
    "images/nested/pr-curve.png": png(33, 30),
    "figures/architecture.gif": GIF,
    "figures/loss.png": png(34, 30),
}
VISION_BODY = """\
# Vision model

## Problem

Counting cells in microscope images by hand took a lab two days per batch.

## Approach

A U-Net on 600 labelled images. ![EDA](images/eda.png) ![ROC](images/roc.png)

## Results

Counts within 3% of the experts'. ![Loss](figures/loss.png)

## How to run

See [the architecture](figures/architecture.gif).
"""


def _set_projects_dir(root: Path, value: str) -> None:
    toml = root / "folio.toml"
    text = re.sub(r'(?m)^projects-dir = ".*"$', f'projects-dir = "{value}"', toml.read_text())
    assert f'projects-dir = "{value}"' in text
    toml.write_text(text, encoding="utf-8")


def _docs(root: Path, out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["-C", str(root), "docs", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_projects_dir_written_with_dot_slash_publishes_the_same_files(
    new_user_repo: Path, tmp_path: Path
) -> None:
    root = new_user_repo
    write_project(
        root,
        "vision-model",
        good_readme("Vision model", front_extra="cover: cover.png\n", body=VISION_BODY),
        files=IMAGES,
    )
    commit(root, "a project with seven images")
    published = {}
    for value in ("projects", "./projects"):
        _set_projects_dir(root, value)
        published[value] = _docs(root, tmp_path / value.replace("/", "_"))
    assert published["./projects"] == published["projects"]
    for name, data in IMAGES.items():
        assert published["projects"][f"projects/vision-model/{name}"] == data, name
    page = published["projects"]["projects/vision-model/index.md"].decode()
    assert "](images/eda.png)" in page  # the image shown from the site, not from GitHub
    gallery = published["projects"]["projects/index.md"].decode()
    assert re.search(r'<img src="vision-model/cover.png"[^>]* width="120" height="60"', gallery)


PURE = """\
import json, pathlib, sys
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.site.inputs import read_inputs
from repofolio.site.pages import generate

root = pathlib.Path(sys.argv[1])
portfolio = load_portfolio(load_config(root))
inputs = read_inputs(portfolio)
seen = []
WATCHED = ("open", "os.listdir", "os.scandir", "os.remove", "os.rename", "shutil.copyfile",
           "subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "socket.connect")

def audit(event, args):
    if event in WATCHED:
        seen.append([event, str(args[0]) if args else ""])

HEAVY = ("mkdocs", "material", "nbconvert", "nbformat")
before = set(sys.modules)
sys.addaudithook(audit)  # from here on, every file opened or program started is seen
first = generate(portfolio, inputs)
second = generate(portfolio, inputs)
assert first == second
print(json.dumps({
    "events": seen,
    "pages": [p.path for p in first],
    "heavy": sorted(m for m in set(sys.modules) - before if m.split(".")[0] in HEAVY),
    "all": sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material")),
}))
"""


def test_generate_reads_no_file_of_the_portfolio_and_runs_nothing(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from site_data import make_portfolio

    root = tmp_path / "portfolio"
    make_portfolio(root, big_output=False)
    result = subprocess.run(
        [sys.executable, "-c", PURE, str(root)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "projects/churn-model/notebooks/analysis.md" in out["pages"]
    assert "index.md" in out["pages"] and "journal/index.md" in out["pages"]
    # what the pages' lazy imports and templates read is the installed code, never the
    # portfolio; nothing is written, removed, started or connected to
    reads = ("open", "os.listdir", "os.scandir")
    touched = [e for e in out["events"] if str(root) in e[1] or e[0] not in reads]
    assert touched == []
    assert any(e[0] == "open" for e in out["events"])  # the audit hook did see the imports
    assert out["heavy"] == [] and out["all"] == []  # nor did the inputs import mkdocs


def test_withheld_files_and_projects_are_kept_out_of_every_page(tmp_path: Path) -> None:
    import dataclasses

    from repofolio.config import load_config
    from repofolio.discover import load_portfolio
    from repofolio.site.inputs import read_inputs
    from repofolio.site.pages import generate
    from site_data import make_portfolio

    root = tmp_path / "portfolio"
    make_portfolio(root, big_output=False)
    portfolio = load_portfolio(load_config(root))
    inputs = read_inputs(portfolio, with_cv=False)
    everything = {p.path for p in generate(portfolio, inputs)}
    assert "projects/churn-model/notebooks/features.md" in everything
    assert "projects/churn-model/docs/thesis.pdf" in everything
    assert "projects/price-model/index.md" in everything
    withheld = {
        "projects/churn-model/notebooks/features.ipynb": "a secret in an output",
        "projects/churn-model/docs/thesis.pdf": "a secret in the file",
        "projects/price-model/README.md": "a secret in the write-up",
    }
    pages = generate(portfolio, dataclasses.replace(inputs, withheld=withheld))
    paths = {p.path for p in pages}
    assert everything - paths == {
        "projects/churn-model/notebooks/features.md",
        "projects/churn-model/docs/thesis.pdf",
        "projects/price-model/index.md",
        "badges/price-model.svg",  # it runs (run:), so it had one
    }
    text = "\n".join(p.content for p in pages if isinstance(p.content, str))
    assert "Price model" not in text  # no card, no link
    assert "features.md" not in text and "features/" not in text
    # the write-up's link to the file goes to the repository on GitHub, not to the site
    assert '"docs/thesis.pdf"' not in text and "](docs/thesis.pdf)" not in text
    assert (
        "](https://github.com/owner/portfolio/blob/main/projects/churn-model/docs/thesis.pdf)"
        in text
    )


def test_journal_page_counts_in_the_singular_and_the_plural(
    new_user_repo: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["journal", "add", "--hours", "1", "Read the MinT paper."])
    assert result.exit_code == 0, result.stderr
    page = _docs(new_user_repo, tmp_path / "one")["journal/index.md"].decode()
    assert "<strong>1</strong> entry over <strong>1</strong> day, <strong>1</strong> hour " in page
    yesterday = ["journal", "add", "--date", "yesterday", "--hours", "2", "Wrote."]
    result = runner.invoke(main, yesterday)
    assert result.exit_code == 0, result.stderr
    page = _docs(new_user_repo, tmp_path / "two")["journal/index.md"].decode()
    two = "<strong>2</strong> entries over <strong>2</strong> days, <strong>3</strong> hours"
    assert two in page


def test_home_page_shows_the_headline_once(new_user_repo: Path, tmp_path: Path) -> None:
    home = _docs(new_user_repo, tmp_path / "out")["index.md"].decode()
    headline = "Data scientist moving into ML engineering: forecasting and NLP"
    assert headline in (new_user_repo / "docs" / "index.md").read_text()  # as init wrote it
    preview, rest = [], []
    for line in home.splitlines():
        (preview if line.startswith("folio_preview: ") else rest).append(line)
    assert "\n".join(rest).count(headline) == 2  # the lead, the description of the page
    assert json.loads(preview[0].removeprefix("folio_preview: "))["description"] == headline
    assert f'<p class="folio-lead">{headline}</p>' in home
    assert "This site shows my projects" in home


def test_the_home_pages_journal_lines_say_the_date_once(
    new_user_repo: Path, tmp_path: Path
) -> None:
    """`folio journal add` titles an entry with its day: the home page then shows no second
    date after it; an entry with a title of its own keeps its date."""
    root = new_user_repo
    add = ["-C", str(root), "journal", "add", "--date", "2026-12-07", "Applied to two roles."]
    assert CliRunner().invoke(main, add).exit_code == 0
    titled = [*add[:-3], "--date", "2026-12-08", "--title", "First interview", "Went well."]
    assert CliRunner().invoke(main, titled).exit_code == 0
    home = _docs(root, tmp_path / "out")["index.md"].decode()
    lines = [line for line in home.splitlines() if line.startswith("- [")]
    assert len(lines) == 2, home
    first = next(line for line in lines if "First interview" in line)
    assert '<time datetime="2026-12-08">08 Dec 2026</time>' in first
    dated = next(line for line in lines if line is not first)
    assert "2026" in dated.split("](")[0] and "<time" not in dated, dated
