"""folio index: the project and journal regions of README.md, on real files via the CLI."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

from click.testing import CliRunner
from conftest import (
    NOTHING_TO_RUN,
    RUNS,
    commit,
    good_readme,
    run_cli,
    write_each_kind,
    write_project,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.journal import publishable
from repofolio.render.readme_index import regenerate_readme
from repofolio.runreport import write_report

README = """\
# Maya's portfolio

Hand-written intro with trailing spaces   and a tab\there.

## Projects

<!-- folio:projects:start -->
<!-- folio:projects:end -->

## Journal

<!-- folio:journal:start -->
stale text
<!-- folio:journal:end -->

Footer, no final newline"""


def project(
    repo: Path,
    slug: str,
    title: str,
    date: str = "2024-05-01",
    extra: str = "",
    summary: str | None = None,
) -> None:
    text = good_readme(title, extra).replace("date: 2024-05-01", f"date: {date}")
    if summary is not None:
        text = re.sub(r"^summary: .*$", f"summary: {summary}", text, count=1, flags=re.M)
    write_project(repo, slug, text)


def entry(repo: Path, day: str, body: str, tags: str = "[learning]", extra: str = "") -> Path:
    folder = repo / "docs" / "journal" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day}.md"
    path.write_text(f"---\ndate: {day}\ncategories: {tags}\n{extra}---\n\n{body}", encoding="utf-8")
    return path


def config(repo: Path, text: str) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "Test Owner"\n' + textwrap.dedent(text), encoding="utf-8"
    )


def region(text: str, name: str) -> str:
    match = re.search(rf"<!-- folio:{name}:start -->(.*?)<!-- folio:{name}:end -->", text, re.S)
    assert match, f"no region {name}"
    return match.group(1)


def outside(text: str) -> str:
    return re.sub(
        r"(<!-- folio:(\w+):start -->).*?(<!-- folio:\2:end -->)", r"\1\3", text, flags=re.S
    )


def test_index_writes_regions_keeps_every_other_byte_and_is_idempotent(
    repo: Path, runner: CliRunner
) -> None:
    project(repo, "churn-model", "Churn model")
    entry(repo, "2026-11-20", "# Read the conformal survey\n\nNotes on split conformal.\n")
    (repo / "README.md").write_text(README, encoding="utf-8", newline="")
    code, out, err = run_cli(runner, "index")
    assert code == 1 and out == ""
    assert "Rewrote README.md (regions: projects, journal)" in err
    text = (repo / "README.md").read_bytes().decode("utf-8")
    assert outside(text) == outside(README)
    assert text.endswith("Footer, no final newline")
    assert "[Churn model](projects/churn-model/)" in region(text, "projects")
    assert "stale text" not in text
    assert (
        "**2026-11-20** [Read the conformal survey](docs/journal/posts/2026-11-20.md): "
        "Notes on split conformal. _(learning)_" in region(text, "journal")
    )
    assert run_cli(runner, "index") == (0, "", "README.md is up to date.\n")
    assert (repo / "README.md").read_bytes().decode("utf-8") == text


def test_projects_highlight_first_then_newest(repo: Path) -> None:
    project(repo, "old-thing", "Old thing", "2021-01-01")
    project(repo, "newest", "Newest", "2025-03-01")
    project(repo, "middle", "Middle", "2023-06")
    project(repo, "star-two", "Star two", "2020-01-01", "highlight: 2\n")
    project(repo, "star-one", "Star one", "2019-01-01", "highlight: 1\n")
    project(repo, "broken", "Broken", extra="status: nonsense\n")  # invalid: left out
    cfg = load_config(repo)
    text = regenerate_readme(README, load_portfolio(cfg), cfg)
    titles = re.findall(r"\*\*\[([^\]]+)\]", region(text, "projects"))
    assert titles == ["Star one", "Star two", "Newest", "Middle", "Old thing"]
    assert "★ **[Star one]" in text and "★ **[Newest]" not in text
    assert "| Jun 2023 |" in text


def test_site_url_links_each_project_page_and_the_journal(repo: Path) -> None:
    config(repo, 'site-url = "https://maya.example.org/portfolio"\n')
    project(repo, "churn-model", "Churn model")
    entry(repo, "2026-11-20", "# Day\n\nText.\n")
    cfg = load_config(repo)
    text = regenerate_readme(README, load_portfolio(cfg), cfg)
    assert (
        "[Churn model](projects/churn-model/)** "
        "([page](https://maya.example.org/portfolio/projects/churn-model/))" in text
    )
    assert "](https://maya.example.org/portfolio/journal/)" in region(text, "journal")


def test_readme_in_a_subfolder_links_relative_to_it(repo: Path) -> None:
    config(repo, '[tool.folio.index]\nreadme = "docs/README.md"\n')
    project(repo, "churn-model", "Churn model")
    (repo / "docs").mkdir()
    (repo / "docs" / "README.md").write_text(README, encoding="utf-8")
    cfg = load_config(repo)
    text = regenerate_readme(README, load_portfolio(cfg), cfg, "docs/README.md")
    assert "(../projects/churn-model/)" in text
    assert "](journal/posts/)" in region(text, "journal") or "No journal entries" in text


def test_check_names_the_stale_region_and_writes_nothing(repo: Path, runner: CliRunner) -> None:
    project(repo, "churn-model", "Churn model")
    (repo / "README.md").write_text(README, encoding="utf-8")
    before = (repo / "README.md").read_bytes()
    code, out, _ = run_cli(runner, "index", "--check")
    assert code == 1
    assert out.splitlines() == [
        "README.md:7: region 'projects' is out of date; run 'folio index'",
        "README.md:12: region 'journal' is out of date; run 'folio index'",
    ]
    assert (repo / "README.md").read_bytes() == before
    assert run_cli(runner, "index")[0] == 1
    assert run_cli(runner, "index", "--check")[0] == 0
    # a new journal entry makes only the journal region stale
    entry(repo, "2026-11-21", "# Kaggle\n\nSubmitted.\n")
    code, out, _ = run_cli(runner, "index", "--check")
    assert code == 1 and "region 'journal'" in out and "region 'projects'" not in out


def test_diff_prints_a_patch_and_writes_nothing(repo: Path, runner: CliRunner) -> None:
    project(repo, "churn-model", "Churn model")
    (repo / "README.md").write_text(README, encoding="utf-8")
    before = (repo / "README.md").read_bytes()
    code, out, err = run_cli(runner, "index", "--diff")
    assert code == 1
    assert out.startswith("--- a/README.md\n+++ b/README.md\n")
    assert "\n-stale text\n" in out and "\n+| Project | Summary | Tags | Period |\n" in out
    assert "region 'projects' is out of date" in err
    assert (repo / "README.md").read_bytes() == before


def test_crlf_readme_stays_crlf(repo: Path, runner: CliRunner) -> None:
    project(repo, "churn-model", "Churn model")
    data = README.replace("\n", "\r\n").encode("utf-8")
    (repo / "README.md").write_bytes(data)
    assert run_cli(runner, "index")[0] == 1
    new = (repo / "README.md").read_bytes()
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert new.startswith(data[: data.index(b"<!-- folio:projects:start -->")])
    assert new.endswith(b"\r\n\r\nFooter, no final newline")


def test_bom_is_kept(repo: Path, runner: CliRunner) -> None:
    (repo / "README.md").write_bytes(b"\xef\xbb\xbf" + README.encode("utf-8"))
    assert run_cli(runner, "index")[0] == 1
    assert (repo / "README.md").read_bytes().startswith(b"\xef\xbb\xbf# Maya's portfolio\n")


BAD = {
    "duplicate": (
        README + "\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n",
        "README.md:17: duplicate <!-- folio:journal:start -->",
    ),
    "no-region": (
        "# Maya\n\nOnly prose, no markers at all.\n",
        "README.md:1: no folio region to regenerate: add <!-- folio:projects:start --> / "
        "<!-- folio:projects:end --> and <!-- folio:journal:start --> / "
        "<!-- folio:journal:end --> where the generated text should go (either pair alone is "
        "enough)",
    ),
    "unbalanced": (
        README.replace("<!-- folio:projects:end -->\n", ""),
        "README.md:11: <!-- folio:journal:start --> is nested inside region "
        "'projects' (opened at line 7)",
    ),
}


def test_bad_markers_exit_2_with_path_line_and_nothing_written(
    repo: Path, runner: CliRunner
) -> None:
    project(repo, "churn-model", "Churn model")
    for name, (text, message) in BAD.items():
        (repo / "README.md").write_text(text, encoding="utf-8", newline="")
        for args in (("index",), ("index", "--check"), ("index", "--diff")):
            result = runner.invoke(__import__("repofolio.cli").cli.main, list(args))
            assert result.exit_code == 2, (name, result.output)
            assert result.stderr.startswith(f"folio: error: {message}"), (name, result.stderr)
            assert result.stdout == ""
            assert (repo / "README.md").read_bytes().decode("utf-8") == text


ONLY_PROJECTS = """\
# Jane's work

Prose of my own.

<!-- folio:projects:start -->
<!-- folio:projects:end -->

The end.
"""

ONLY_JOURNAL = """\
# Jane's notes

<!-- folio:journal:start -->
<!-- folio:journal:end -->
"""


def test_any_subset_of_regions_is_regenerated(repo: Path, runner: CliRunner) -> None:
    project(repo, "churn-model", "Churn model")
    entry(repo, "2026-11-16", "# Day one\n\nRead the conformal survey.\n")
    # the journal has entries and journal-entries is the default: still no journal region
    (repo / "README.md").write_text(ONLY_PROJECTS, encoding="utf-8")
    code, _, err = run_cli(runner, "index")
    assert code == 1, err
    assert "regions: projects" in err
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert "[Churn model](projects/churn-model/)" in region(text, "projects")
    assert outside(text) == outside(ONLY_PROJECTS)
    assert "conformal" not in text
    assert run_cli(runner, "index", "--check")[0] == 0
    # the journal alone
    (repo / "README.md").write_text(ONLY_JOURNAL, encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert "Read the conformal survey." in region(text, "journal")
    assert "Churn" not in text
    assert run_cli(runner, "index", "--check")[0] == 0


def test_missing_readme_is_a_one_line_error(repo: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "index")
    assert code == 2 and err == "folio: error: README.md: file not found\n"


def test_journal_entries_setting_and_zero_drops_the_region(repo: Path, runner: CliRunner) -> None:
    for day in ("2026-11-16", "2026-11-18", "2026-11-17", "2026-11-19"):
        entry(repo, day, f"# Day {day}\n\nWork.\n")
    config(repo, "[tool.folio.index]\njournal-entries = 2\n")
    (repo / "README.md").write_text(README, encoding="utf-8")
    run_cli(runner, "index")
    journal = region((repo / "README.md").read_text(encoding="utf-8"), "journal")
    assert re.findall(r"\*\*(\d{4}-\d\d-\d\d)\*\*", journal) == ["2026-11-19", "2026-11-18"]
    assert "[The whole journal (4 entries)](docs/journal/posts/)" in journal
    entry(repo, "2026-11-22", "# Rest\n\nA walk.\n", tags="[rest]", extra="hours: 0\n")
    run_cli(runner, "index")
    journal = region((repo / "README.md").read_text(encoding="utf-8"), "journal")
    assert "A walk. _(rest)_\n" in journal
    # 0: the journal region is not generated, and not required
    config(repo, "[tool.folio.index]\njournal-entries = 0\n")
    only_projects = README.replace("<!-- folio:journal:start -->\nstale text\n", "").replace(
        "<!-- folio:journal:end -->\n", ""
    )
    (repo / "README.md").write_text(only_projects, encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    assert run_cli(runner, "index", "--check")[0] == 0


PRIVATE_CONFIG = """\
[tool.folio.journal]
private = ["Initech", "Bill Lumbergh"]
replacement = "a company"
"""


def test_private_names_and_blocks_never_reach_the_readme(repo: Path, runner: CliRunner) -> None:
    config(repo, PRIVATE_CONFIG)
    project(
        repo,
        "churn-model",
        "Churn model",
        summary="Churn model built during the INITECH take-home, 0.91 ROC AUC.",
    )
    entry(
        repo,
        "2026-11-20",
        "# Interview at Initech\n\nSecond round with Bill\nLumbergh went well.\n\n"
        "<!-- private -->\nSalary talk: 95k, recruiter phone 555-0100.\n<!-- /private -->\n",
    )
    entry(
        repo,
        "2026-11-21",
        "<!-- private -->Offer details from initech.<!-- /private -->"
        "# Follow-up\n\nWrote a thank-you note.\n",
    )
    (repo / "README.md").write_text(README, encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    for secret in ("initech", "lumbergh", "555-0100", "95k", "salary", "offer details"):
        assert secret not in text.lower(), secret
    assert "[Interview at a company]" in text
    assert "Second round with a company went well." in text
    assert "during the a company take-home" in text
    assert "[Follow-up]" in text


def test_table_cells_are_escaped(repo: Path) -> None:
    project(repo, "pipes", "Pipes | and more", summary="'A | B test with <!-- a comment, 0.5 lift'")
    cfg = load_config(repo)
    text = regenerate_readme(README, load_portfolio(cfg), cfg)
    row = next(line for line in text.splitlines() if "Pipes" in line)
    assert "Pipes \\| and more" in row and "A \\| B test with &lt;!-- a comment" in row
    assert row.count(" | ") == 3  # four columns: the pipes inside cells are escaped


def test_template_override_from_config(repo: Path, runner: CliRunner) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "projects.md.j2").write_text(
        "{% for p in projects %}* {{ p.title }}: {{ p.summary | inline }}\n{% endfor %}",
        encoding="utf-8",
    )
    config(repo, '[tool.folio.index]\ntemplates = { projects = "templates/projects.md.j2" }\n')
    project(repo, "churn-model", "Churn model")
    (repo / "README.md").write_text(README, encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert (
        region(text, "projects") == "\n* Churn model: Predicts which customers cancel next "
        "month from 18 months of usage logs.\n"
    )


def test_bad_template_is_a_one_line_error_with_line(repo: Path, runner: CliRunner) -> None:
    (repo / "t.j2").write_text(
        "line one\n{% for p in projects %}\n{{ p.title }\n", encoding="utf-8"
    )
    config(repo, '[tool.folio.index]\ntemplates = { projects = "t.j2" }\n')
    (repo / "README.md").write_text(README, encoding="utf-8")
    before = (repo / "README.md").read_bytes()
    code, _, err = run_cli(runner, "index")
    assert code == 2 and err.startswith("folio: error: t.j2:3: template error: ")
    assert len(err.splitlines()) == 1
    assert (repo / "README.md").read_bytes() == before
    config(repo, '[tool.folio.index]\ntemplates = { project = "t.j2" }\n')
    code, _, err = run_cli(runner, "index")
    assert code == 2 and "unknown region 'project'; valid regions: projects, journal" in err


SITE = "https://jane.github.io/portfolio/"


def badges(text: str) -> dict[str, str]:
    """Slug -> the badge image of its row in the projects region."""
    found = {}
    for line in region(text, "projects").splitlines():
        slug = re.search(r"\]\(projects/([\w-]+)/\)", line)
        image = re.search(r"!\[runs: [^]]*\]\(([^)]*)\)", line)
        if slug and image:
            found[slug.group(1)] = image.group(1)
    return found


def test_badges_only_where_something_runs_and_never_from_the_run_report(
    repo: Path, runner: CliRunner
) -> None:
    config(repo, f'site-url = "{SITE}"\n')
    (repo / "README.md").write_text(README, encoding="utf-8")
    write_each_kind(repo)
    commit(repo)
    assert run_cli(runner, "index")[0] == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert badges(text) == {slug: f"{SITE}badges/{slug}.svg" for slug in RUNS}
    rows = {
        slug: line
        for line in region(text, "projects").splitlines()
        for slug in NOTHING_TO_RUN
        if f"projects/{slug}/" in line
    }
    assert set(rows) == set(NOTHING_TO_RUN)  # listed, with an empty Runs cell
    assert all(row.endswith("|  |") for row in rows.values())
    assert "not-runnable" not in text and "not runnable" not in text

    # A local `folio run` report, whatever it says, changes nothing in the README.
    cfg = load_config(repo)
    every = [*RUNS, *NOTHING_TO_RUN]
    for status in ("failing", "not-runnable", "passing"):
        write_report(cfg, {s: {"status": status, "badge": True} for s in every}, python="x")
        assert run_cli(runner, "index", "--check")[0] == 0
        assert (repo / "README.md").read_text(encoding="utf-8") == text


def test_without_a_site_there_is_no_badge_to_show(repo: Path, runner: CliRunner) -> None:
    (repo / "README.md").write_text(README, encoding="utf-8")
    write_each_kind(repo)
    write_report(load_config(repo), {"churn-model": {"status": "passing"}}, python="x")
    assert run_cli(runner, "index")[0] == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert "| Project | Summary | Tags | Period |\n" in text  # no Runs column
    assert "runs" not in region(text, "projects").lower()
    config(repo, f'site-url = "{SITE}"\n[tool.folio.index]\nstatus-badges = false\n')
    assert run_cli(runner, "index")[0] == 1
    assert badges((repo / "README.md").read_text(encoding="utf-8")) == {}


# -- property: any README with well-formed markers -------------------------------------------

owner_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="`~"), max_size=120
).filter(lambda s: "folio:" not in s)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=owner_text, middle=owner_text, after=owner_text, crlf=st.booleans(), order=st.booleans()
)
def test_property_regenerating_twice_gives_the_same_bytes(
    repo: Path, before: str, middle: str, after: str, crlf: bool, order: bool
) -> None:
    if not (repo / "projects" / "churn-model").exists():
        config(repo, PRIVATE_CONFIG)
        project(repo, "churn-model", "Churn model", summary="Initech churn, 0.91 ROC AUC.")
        entry(repo, "2026-11-20", "# Initech day\n\nText.\n<!-- private -->x<!-- /private -->")
    cfg = load_config(repo)
    portfolio = load_portfolio(cfg)
    nl = "\r\n" if crlf else "\n"
    first, second = ("projects", "journal") if order else ("journal", "projects")
    text = (
        f"{before}{nl}<!-- folio:{first}:start -->{nl}<!-- folio:{first}:end -->{nl}"
        f"{middle}{nl}<!-- folio:{second}:start -->{nl}old{nl}<!-- folio:{second}:end -->"
        f"{nl}{after}"
    )
    once = regenerate_readme(text, portfolio, cfg)
    assert regenerate_readme(once, portfolio, cfg) == once
    assert outside(once) == outside(text)
    assert "initech" not in region(once, "projects").lower()
    assert "initech" not in region(once, "journal").lower()


def test_journal_excerpt_is_prose_without_relative_links(repo: Path) -> None:
    entry(
        repo,
        "2026-11-20",
        "# Notes [draft]\n\n## Morning\n\n![chart](chart.png)\n\n"
        "Read [the survey](../notes/survey.md) and [an article](https://example.org/a).\n",
    )
    cfg = load_config(repo)
    journal = region(regenerate_readme(README, load_portfolio(cfg), cfg), "journal")
    assert (
        "[Notes \\[draft\\]](docs/journal/posts/2026-11-20.md): "
        "Read the survey and an article. _(learning)_" in journal
    )


def test_example_portfolio_publishes_no_private_text() -> None:
    """The repository's own journal: nothing from a private block or a private name leaks."""
    root = Path(__file__).resolve().parents[2]
    cfg = load_config(root)
    cfg = dataclasses.replace(cfg, index=dataclasses.replace(cfg.index, journal_entries=100))
    portfolio = load_portfolio(cfg)
    assert portfolio.journal, "the example journal is missing"
    text = (root / cfg.index.readme).read_text(encoding="utf-8")
    regions = region(regenerate_readme(text, portfolio, cfg), "projects") + region(
        regenerate_readme(text, portfolio, cfg), "journal"
    )
    secrets = [
        line.strip()
        for e in portfolio.journal
        for block in re.findall(r"<!-- private -->(.*?)<!-- /private -->", e.text, re.S)
        for line in block.splitlines()
        if len(line.strip()) > 10
    ]
    assert secrets, "the example journal should show a private block"
    pages = "".join(publishable(e.text, cfg) for e in portfolio.journal)  # as the site gets them
    for secret in secrets:
        assert secret not in regions
        assert secret not in pages
    for name in cfg.journal.private:
        assert name.casefold() not in regions.casefold()


def test_a_draft_is_never_in_the_index(repo: Path, runner: CliRunner) -> None:
    project(repo, "churn-model", "Churn model")
    project(repo, "half-done", "Half done", extra="draft: true\n", date="2026-01-01")
    (repo / "README.md").write_text(README, encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    projects = region((repo / "README.md").read_text(encoding="utf-8"), "projects")
    assert "Churn model" in projects
    assert "Half done" not in projects and "half-done" not in projects
    # published once the line goes
    readme = repo / "projects" / "half-done" / "README.md"
    readme.write_text(readme.read_text().replace("draft: true\n", ""), encoding="utf-8")
    assert run_cli(runner, "index")[0] == 1
    assert "Half done" in region((repo / "README.md").read_text(encoding="utf-8"), "projects")


def test_a_secret_in_a_summary_never_reaches_the_readme(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """The README is published as it is (on GitHub): folio index refuses to write a region
    that would carry a token from a write-up's summary, names the line, and writes nothing."""
    token = "gh" + "p_" + "R8kq2LmZx7TfWcA1vN4yHbJ6uE0sPdG9oQ3i"  # made here: not flagged
    readme = new_user_repo / "README.md"
    if "folio:projects:start" not in readme.read_text("utf-8"):
        with readme.open("a", encoding="utf-8") as fh:
            fh.write("\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n")
    write_project(new_user_repo, "churn-model", good_readme())
    assert run_cli(runner, "index")[0] in (0, 1)
    before = readme.read_bytes()
    leaky = good_readme().replace(
        "summary: Predicts which", f"summary: Token {token} predicts which", 1
    )
    write_project(new_user_repo, "churn-model", leaky)
    code, out, err = run_cli(runner, "index")
    assert code != 0 and code != 1
    lines = [line for line in err.splitlines() if "not written" in line]
    assert len(lines) == 1 and lines[0].startswith("folio: error: README.md:"), err
    assert "github token" in lines[0].lower() and token not in err + out
    assert "Traceback" not in err
    assert readme.read_bytes() == before  # nothing written
    assert run_cli(runner, "index", "--check")[0] != 0  # the check fails the same way
