"""What the pipeline lets out: no name anywhere, weekly counts when the owner opts in.

A newcomer's repository with a pipeline of six companies and two contacts, journal entries
that name them (written by hand, and through folio), then ``folio index`` and a real
``folio build``: every byte of README.md and of site/ (pages, search_index.json, the RSS
feed, sitemap) is searched for every name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner
from conftest import commit, run_cli
from site_data import with_journal_feed

TODAY = dt.date.today()
COMPANIES = ("Initech", "Globex", "Hooli", "Soylent", "Vandelay", "Tyrell")
PEOPLE = ("Bill Lumbergh", "Peter Gibbons")
# a first or family name alone names the person too
NAMES = (*COMPANIES, *PEOPLE, "Lumbergh", "Gibbons")


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def hand_entry(root: Path, day: str, title: str, body: str) -> None:
    path = root / "docs" / "journal" / "posts" / f"{day}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ndate: {day}\ncategories:\n  - interview\nhours: 3\n---\n\n# {title}\n\n{body}\n",
        encoding="utf-8",
    )


def everything(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def leaks(files: dict[str, bytes]) -> list[tuple[str, str]]:
    found = []
    for rel, blob in files.items():
        text = blob.decode("utf-8", "replace").casefold()
        found += [(rel, n) for n in NAMES if n.casefold() in text]
    return found


def test_no_name_of_the_pipeline_is_published_anywhere(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    with (root / "folio.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[pipeline]\npublish-stats = true\n")
    with_journal_feed(root)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = "site_url: https://jane-doe.github.io/portfolio/\n" + text
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    steps = [
        (
            "add",
            "Initech",
            "--role",
            "ML Engineer",
            "--date",
            ago(20),
            "--contact",
            "Bill Lumbergh",
        ),
        ("move", "1", "interview", "--date", ago(13)),
        ("move", "1", "offer", "--date", ago(6)),
        ("add", "Globex", "--role", "Data Scientist", "--date", ago(19)),
        ("add", "Hooli", "--role", "MLOps Engineer", "--date", ago(12)),
        ("add", "Soylent", "--role", "Research Engineer", "--date", ago(11)),
        ("move", "4", "interview", "--date", ago(5)),
        ("add", "Vandelay", "--role", "Analyst", "--date", ago(4)),
        ("add", "Tyrell", "--role", "ML Engineer", "--date", ago(3)),
        ("contact", "add", "Peter Gibbons", "--company", "Hooli"),
    ]
    for step in steps:
        code, _, err = run_cli(runner, "apply", *step)
        assert code == 0, (step, err)
    # by hand, in the files: the published copies must not show them
    hand_entry(
        root,
        ago(13),
        "Interview at Initech",
        "Met Bill from Initech; Lumbergh asked about [Hooli](https://hooli.example/jobs)'s "
        "stack. INITECH's office is nice. Peter\nGibbons says hi.",
    )
    # through folio: the files themselves never get the names
    code, _, err = run_cli(
        runner,
        "journal",
        "add",
        "--date",
        ago(5),
        "--hours",
        "2",
        "Second interview at Soylent with Peter Gibbons.",
    )
    assert code == 0 and "Kept 2 names of your job search out of the journal" in err
    folio_entry = (root / "docs" / "journal" / "posts" / f"{ago(5)}.md").read_text("utf-8")
    assert "Second interview at a company with a contact." in folio_entry
    assert leaks({"entry": folio_entry.encode()}) == []
    # the README's journal region: redacted, with the weekly counts
    code, _, err = run_cli(runner, "index")
    readme = (root / "README.md").read_text("utf-8")
    # the newcomer's README has no markers: add the journal region, the projects one stays out
    assert code == 2 and "no folio region" in err
    (root / "README.md").write_text(
        readme + "\n## Journal\n\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n",
        encoding="utf-8",
    )
    assert run_cli(runner, "index")[0] == 1
    readme = (root / "README.md").read_text("utf-8")
    assert "Met a contact from a company; a contact asked about a company's stack." in readme
    assert "**The job search, week by week** (counts only)" in readme
    stats = json.loads((root / "docs/journal/search-stats.json").read_text("utf-8"))
    assert sum(w["applications"] for w in stats["weeks"].values()) == 6
    assert sum(w["interviews"] for w in stats["weeks"].values()) == 2
    assert sum(w["offers"] for w in stats["weeks"].values()) == 1
    rows = re.findall(
        r"^\| (\d{4}-\d\d-\d\d) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \|$", readme, re.M
    )
    assert sum(int(r[1]) for r in rows) == 6 and sum(float(r[4]) for r in rows) == 5.0
    assert leaks({"README.md": readme.encode()}) == []
    commit(root, "journal")
    # the built site: pages, the search index, the feed, the sitemap
    code, out, err = run_cli(runner, "build")
    assert code == 0, out + err
    site = everything(root / "site")
    assert "search/search_index.json" in site and "feed_rss_created.xml" in site
    assert b"a contact from a company" in site["search/search_index.json"]
    feed = site["feed_rss_created.xml"].decode("utf-8")
    assert "Interview at a company" in feed
    journal = site["journal/index.html"].decode("utf-8")
    assert "The job search, week by week" in journal
    table = journal[journal.index("The job search, week by week") :]
    cells = re.findall(
        r"<tr>\s*<td[^>]*>(\d{4}-\d\d-\d\d)</td>((?:\s*<td[^>]*>[\d.]+</td>){4})", table
    )
    columns = [re.findall(r">([\d.]+)<", rest) for _, rest in cells]
    assert len(cells) >= 3 and sum(int(c[0]) for c in columns) == 6  # applications
    assert sum(int(c[1]) for c in columns) == 2 and sum(int(c[2]) for c in columns) == 1
    assert leaks(site) == []
    # and no file of the repository names them (the store is elsewhere)
    repo_files = {k: v for k, v in everything(root).items() if not k.startswith(("site/", ".git/"))}
    hand = f"docs/journal/posts/{ago(13)}.md"
    assert [leak for leak in leaks(repo_files) if leak[0] != hand] == []
