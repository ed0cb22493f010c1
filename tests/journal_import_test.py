"""folio journal import: dated paragraphs of a Markdown file into one journal entry per day.

The date forms and the year rules on the parser; the command on real repositories: the
newcomer's README (tests/conftest.py new_user_repo), a README kept as a diary over two
months, years from git history with real commits, and files that must not be written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GIT_ENV, commit, git, run_cli
from repofolio.config import JournalConfig
from repofolio.journal_import import clear_tags, dated_line, parse, place

POSTS = Path("docs/journal/posts")

# -- the forms ---------------------------------------------------------------------------------

FORMS = [
    # (line, form, (month, day, year, weekday), text after the date)
    (
        "July 3rd, Monday: Today I looked around.",
        "paragraph",
        (7, 3, None, 0),
        "Today I looked around.",
    ),
    ("3 July 2023: Read a paper.", "paragraph", (7, 3, 2023, None), "Read a paper."),
    ("2023-07-03: Fixed the CI.", "paragraph", (7, 3, 2023, None), "Fixed the CI."),
    ("**Jul 3** Wrote tests.", "bold", (7, 3, None, None), "Wrote tests."),
    ("**Jul 3**: Wrote more tests.", "bold", (7, 3, None, None), "Wrote more tests."),
    ("## Monday, July 3", "heading", (7, 3, None, 0), ""),
    ("### Jul 3, 2023 — First interview", "heading", (7, 3, 2023, None), ""),
    ("- July 3: a list item", "list", (7, 3, None, None), "a list item"),
    ("* 2023-07-03 – en dash", "list", (7, 3, 2023, None), "en dash"),
    ("1. 3 July: numbered", "list", (7, 3, None, None), "numbered"),
    ("- **Mon 3 Jul** bold in a list", "list", (7, 3, None, 0), "bold in a list"),
    ("Monday, the 3rd of July: words", "paragraph", (7, 3, None, 0), "words"),
    ("12/25/2023: only one reading", "paragraph", (12, 25, 2023, None), "only one reading"),
    ("Sept. 4 - abbreviated", "paragraph", (9, 4, None, None), "abbreviated"),
]


@pytest.mark.parametrize(("line", "form", "date", "text"), FORMS, ids=[f[0] for f in FORMS])
def test_each_date_form(line: str, form: str, date: tuple[object, ...], text: str) -> None:
    hit = dated_line(line)
    assert hit is not None
    got_form, phrase, rest, _, _ = hit
    assert got_form == form
    assert (phrase.month, phrase.day, phrase.year, phrase.weekday) == date
    assert rest == text


NOT_DATES = [
    "May 5 people came to the meetup.",  # a sentence that starts with a date
    "July was a good month.",
    "Monday: no day of the month",
    "## May 5 things I learned",
    "3 things: none of them a date",
    "    July 3: indented code",
    "The 2023 roadmap: nothing",
    "2023: a year alone",
]


@pytest.mark.parametrize("line", NOT_DATES)
def test_lines_that_are_not_dated(line: str) -> None:
    assert dated_line(line) is None


def test_heading_title_after_the_date() -> None:
    hit = dated_line("## July 3: First interview")
    assert hit is not None and hit[3] == "First interview"


def test_blocks_end_where_the_day_ends_and_code_regions_comments_are_never_dates() -> None:
    text = (
        "# Notes\n\nIntro.\n\n"
        "July 3rd, Monday: line one\nline two with a [link](https://example.org/a).\n\n"
        "An undated thought.\n\n"
        "July 4th, Tuesday: next day.\n\n"
        "## Thursday, July 6\n\nUnder the heading.\n\n- a list\n\n### Deeper\nstill July 6\n\n"
        "## Contact\n\nNot a day.\n\n"
        "- 2023-07-08: an item\n  its continuation\n\n  a second paragraph of it\n"
        "- undated item\n\n"
        "**Jul 10**\n\nText under a bold date.\n\n"
        "```\nJuly 11: in a code block\n```\n"
        "<!-- July 12: in a comment -->\n"
        "<!-- folio:journal:start -->\n- **2026-11-20** generated\n<!-- folio:journal:end -->\n"
    )
    parsed = parse(text)
    got = [(b.line, b.end, b.form, b.text) for b in parsed.blocks]
    assert got == [
        (5, 7, "paragraph", "line one\nline two with a [link](https://example.org/a)."),
        (10, 11, "paragraph", "next day."),
        (12, 20, "heading", "Under the heading.\n\n- a list\n\n### Deeper\nstill July 6"),
        (25, 29, "list", "an item\nits continuation\n\na second paragraph of it"),
        (
            31,
            39,
            "bold",
            "Text under a bold date.\n\n```\nJuly 11: in a code block\n```\n"
            "<!-- July 12: in a comment -->",
        ),
    ]
    assert parsed.orphans == [8, 29]  # between dated days: reported, left where they are


# -- the year ----------------------------------------------------------------------------------


def phrase(text: str):  # type: ignore[no-untyped-def]
    hit = dated_line(text + ": x")
    assert hit is not None
    return hit[1]


def never() -> dt.date | None:
    raise AssertionError("git was asked although the year was known")


def test_year_from_the_weekday_first() -> None:
    assert place(phrase("July 3rd, Monday"), year=None, written=lambda: dt.date(2026, 1, 1)) == (
        dt.date(2023, 7, 3)
    )
    # the weekday wins over --year, which only says where to look
    assert place(phrase("July 3rd, Monday"), year=2024, written=never) == dt.date(2023, 7, 3)
    assert place(phrase("Tuesday, July 2"), year=2024, written=never) == dt.date(2024, 7, 2)
    # an 11-year gap between two Mondays on 4 July (2016, 2022... 2011 to 2022 is 11)
    assert place(phrase("Monday, July 4"), year=2021, written=never) == dt.date(2016, 7, 4)


def test_year_then_from_the_option_then_from_the_commit() -> None:
    assert place(phrase("July 5"), year=2022, written=never) == dt.date(2022, 7, 5)
    assert place(phrase("July 5"), year=None, written=lambda: dt.date(2024, 7, 9)) == dt.date(
        2024, 7, 5
    )
    # written on 2 January: "Dec 30" is the year before
    assert place(phrase("Dec 30"), year=None, written=lambda: dt.date(2025, 1, 2)) == dt.date(
        2024, 12, 30
    )


PROBLEMS = [
    ("July 5", "'July 5' has no year: write it"),
    ("03/07/2023", "'03/07/2023' is ambiguous (3 July or March 7)"),
    ("Monday, July 3 2024", "'Monday, July 3 2024': 2024-07-03 is a Wednesday, not a Monday"),
    ("February 30", "'February 30' is not a day"),
    ("2023-02-29", "'2023-02-29' is not a day"),
]


@pytest.mark.parametrize(("text", "message"), PROBLEMS)
def test_dates_that_cannot_be_placed(text: str, message: str) -> None:
    got = place(phrase(text), year=None, written=lambda: None)
    assert isinstance(got, str) and got.startswith(message), got


# -- tags --------------------------------------------------------------------------------------

TAGS = JournalConfig().tags  # the default tags


def test_tags_only_when_clear() -> None:
    assert clear_tags("Applied to two roles today.", TAGS) == ["application"]
    assert clear_tags("Talked about applied machine learning all day.", TAGS) == []
    assert clear_tags("First phone interview; then #kaggle.", TAGS) == ["interview", "kaggle"]
    assert clear_tags("Today I looked around for a few companies and positions.", TAGS) == []
    assert clear_tags("A rest day.", ("rest", "custom-tag")) == ["rest"]
    assert clear_tags("Worked on the custom tag thing", ("custom-tag",)) == ["custom-tag"]


# -- the command -------------------------------------------------------------------------------

DIARY = """\
# Sam Okafor: notes from a job search

I am a data analyst moving into ML engineering. I keep this README as a diary, one paragraph
a day, so I stay honest about what I actually did.

## Diary

September 4th, Monday: Rewrote my CV around three projects instead of eight. Read the
[ML engineer posting](https://careers.example.com/jobs/123) twice and listed the gaps:
serving and monitoring.

September 5th, Tuesday: Applied to two roles, a fintech and a logistics company. Opened a
Kaggle account and forked the Titanic starter notebook.

September 7th, Thursday: Studied feature stores and wrote notes on Feast against Tecton.
Half the day went to a flaky Docker build.

September 11th, Monday: Started the churn write-up; the baseline is a logistic regression
at 0.78 ROC AUC.

September 7th, Thursday: Evening: my first phone interview, 30 minutes, mostly SQL window
functions.

September 12th, Tuesday: Coffee chat with a former colleague who moved to an ML platform
team. Networking is less awkward than I feared.

September 14th, Thursday: Rest day. A long walk and no screens.

September 18th, Monday: Titanic at 0.78 on the public board; learned that my
cross-validation leaked the family-size feature.

September 26th, Tuesday: Second interview. The take-home is due Friday: a churn model
behind an API.

October 2nd, Monday: Sent the take-home, with a [post-mortem](notes/take-home.md) of what I
would do with more time.

October 3rd, Tuesday: Applied to a research engineer role; put the conformal prediction
project first on the resume.

October 10th, Tuesday: Rejected from the fintech, with feedback: "strong modelling, thin on
deployment". Fair.

October 16th, Monday: Deployed the churn model behind FastAPI; 40 ms at the 95th percentile.

Contact: sam@example.org
"""

DIARY_DAYS = {
    "2023-09-04": [],
    "2023-09-05": ["application", "kaggle"],
    "2023-09-07": ["interview", "learning"],
    "2023-09-11": [],
    "2023-09-12": ["networking"],
    "2023-09-14": ["rest"],
    "2023-09-18": ["learning"],
    "2023-09-26": ["interview"],
    "2023-10-02": [],
    "2023-10-03": ["application"],
    "2023-10-10": [],
    "2023-10-16": [],
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def paragraphs_of(markdown: str) -> list[str]:
    """The text of each dated paragraph after its date, as written."""
    out = []
    for block in re.split(r"\n\s*\n", markdown):
        match = re.match(r"^[A-Z][a-z]+ \d+(?:st|nd|rd|th), [A-Z][a-z]+: (.*)$", block, re.S)
        if match:
            out.append(match.group(1))
    return out


def entry(root: Path, day: str) -> str:
    return (root / POSTS / f"{day}.md").read_text(encoding="utf-8")


def test_a_diary_readme_imports_into_one_entry_per_day_and_twice_changes_nothing(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    (root / "README.md").write_text(DIARY, encoding="utf-8")
    commit(root, "my diary")
    code, _, err = run_cli(runner, "journal", "import", "README.md")
    assert code == 0, err
    assert "Imported 13 paragraphs of README.md into 12 days: 12 created, 0 updated" in err
    written = sorted(p.stem for p in (root / POSTS).glob("*.md"))
    assert written == sorted(DIARY_DAYS)
    # every sentence kept, exactly as written, in the right day
    for paragraph in paragraphs_of(DIARY):
        assert sum(paragraph in entry(root, day) for day in DIARY_DAYS) == 1, paragraph
    # the two paragraphs of 7 September, in the file's order
    seventh = entry(root, "2023-09-07")
    assert seventh.index("Studied feature stores") < seventh.index("Evening: my first phone")
    assert "[ML engineer posting](https://careers.example.com/jobs/123)" in entry(
        root, "2023-09-04"
    )
    assert "# Monday 4 September 2023\n" in entry(root, "2023-09-04")
    for day, tags in DIARY_DAYS.items():
        front = entry(root, day).split("---")[1]
        got = re.findall(r"^  - (\S+)$", front, re.M)
        assert got == tags, (day, got)
    assert "sam@example.org" not in "".join(entry(root, d) for d in DIARY_DAYS)
    # the imported journal passes folio check
    code, out, err = run_cli(runner, "check")
    assert code == 0, out + err
    # a second import: nothing changes, and it says so
    before = snapshot(root)
    code, _, err = run_cli(runner, "journal", "import", "README.md")
    assert (
        code == 0 and "Nothing to import: the 13 paragraphs of README.md are in the journal" in err
    )
    assert snapshot(root) == before


def test_the_newcomers_readme_line_moves_into_the_journal(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    readme = (root / "README.md").read_bytes()
    assert b"July 3rd, Monday: Today I looked around" in readme
    code, _, err = run_cli(runner, "journal", "import", "README.md", "--move")
    assert code == 0, err
    text = entry(root, "2023-07-03")
    assert text.startswith("---\ndate: 2023-07-03\n---\n\n# Monday 3 July 2023\n\n")
    assert text.endswith("Today I looked around for a few companies and positions.\n")
    new = (root / "README.md").read_bytes()
    line = b"July 3rd, Monday: Today I looked around for a few companies and positions.\n"
    before, after = readme.split(line)
    assert new.startswith(before + b"<!-- folio:journal:start -->\n")
    assert new.endswith(b"<!-- folio:journal:end -->\n" + after)
    assert b"[Monday 3 July 2023](docs/journal/posts/2023-07-03.md)" in new
    # the README has only the journal region now: index works with that subset
    assert run_cli(runner, "index", "--check")[0] == 0
    assert run_cli(runner, "check")[0] == 0
    # a second import finds no dated line left in the README
    assert run_cli(runner, "journal", "import", "README.md")[0] == 1


def test_move_keeps_every_other_byte_crlf_bom_and_an_existing_region(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    head = "\ufeff# Notes\r\n\r\nIntro   with trailing spaces.\t\r\n\r\n"
    days = "2023-07-03: first.\r\n\r\n2023-07-04: second\r\nstill second.\r\n"
    middle = (
        "\r\n## Projects\r\n\r\n<!-- folio:projects:start -->\r\n"
        "<!-- folio:projects:end -->\r\n\r\n"
    )
    later = "- 2023-07-05: an item\r\n"
    tail = "\r\nBye, no final newline"
    (root / "README.md").write_bytes((head + days + middle + later + tail).encode("utf-8"))
    code, _, err = run_cli(runner, "journal", "import", "README.md", "--move")
    assert code == 0, err
    new = (root / "README.md").read_bytes().decode("utf-8")
    region = re.search(
        r"<!-- folio:journal:start -->\r\n.*?<!-- folio:journal:end -->\r\n", new, re.S
    )
    assert region is not None
    assert new == head + region.group(0) + middle + tail
    assert (
        "- **2023-07-05** [Wednesday 5 July 2023](docs/journal/posts/2023-07-05.md): an item"
        in (region.group(0))
    )
    assert entry(root, "2023-07-04").endswith("second\nstill second.\n")
    # with a journal region already there, the lines go and the region stays one
    (root / "README.md").write_bytes(
        (
            head
            + "<!-- folio:journal:start -->\r\n<!-- folio:journal:end -->\r\n\r\n"
            + "2023-07-06: more.\r\n"
            + tail
        ).encode("utf-8")
    )
    assert run_cli(runner, "journal", "import", "README.md", "--move")[0] == 0
    new = (root / "README.md").read_bytes().decode("utf-8")
    assert new.count("folio:journal:start") == 1 and "2023-07-06: more." not in new
    assert new.startswith(head + "<!-- folio:journal:start -->\r\n- **2023-07-06**")
    assert new.endswith("<!-- folio:journal:end -->\r\n\r\n" + tail)


def test_dry_run_shows_the_entries_and_the_move_and_writes_nothing(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    before = snapshot(root)
    code, out, err = run_cli(runner, "journal", "import", "README.md", "--dry-run", "--move")
    assert code == 0, err
    assert "+++ b/docs/journal/posts/2023-07-03.md" in out
    assert "+Today I looked around for a few companies and positions." in out
    assert (
        "-July 3rd, Monday: Today I looked around" in out and "+<!-- folio:journal:start -->" in out
    )
    assert "Would import 1 paragraph of README.md into 1 day: 1 created, 0 updated" in err
    assert snapshot(root) == before


def test_an_existing_day_is_merged_never_duplicated(new_user_repo: Path, runner: CliRunner) -> None:
    root = new_user_repo
    assert run_cli(runner, "journal", "add", "--date", "2023-07-03", "Wrote by hand first.")[0] == 0
    hand = entry(root, "2023-07-03")
    (root / "README.md").write_text(
        "# Jane\n\nJuly 3rd, Monday: Applied to two roles.\n\nJuly 3rd, Monday: Later that day.\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(runner, "journal", "import", "README.md")
    assert code == 0 and "0 created, 1 updated" in err, err
    merged = entry(root, "2023-07-03")
    body = merged.split("---\n", 2)[2]
    assert body == hand.split("---\n", 2)[2] + "\nApplied to two roles.\n\nLater that day.\n"
    assert "categories:\n  - application\n" in merged
    assert run_cli(runner, "journal", "import", "README.md")[0] == 0
    assert entry(root, "2023-07-03") == merged


def commit_on(root: Path, day: str, message: str) -> None:
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(root.parent),
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+02:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+02:00",
    }
    for args in (["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_years_from_the_commit_that_added_each_line(repo: Path, runner: CliRunner) -> None:
    notes = repo / "notes.md"
    notes.write_text(
        "# Diary\n\nDec 28: Wrote the plan.\n\nDec 30: Reviewed it.\n", encoding="utf-8"
    )
    commit_on(repo, "2024-12-31", "December")
    with notes.open("a", encoding="utf-8") as fh:
        fh.write("\nJan 2: Back at it.\n\n**Mar 8** Interview at last.\n")
    commit_on(repo, "2025-03-09", "March")
    code, _, err = run_cli(runner, "journal", "import", "notes.md")
    assert code == 0, err
    assert sorted(p.stem for p in (repo / POSTS).glob("*.md")) == [
        "2024-12-28",
        "2024-12-30",
        "2025-01-02",
        "2025-03-08",
    ]
    # a line not committed yet has no year: nothing at all is written, and it is named
    with notes.open("a", encoding="utf-8") as fh:
        fh.write("\nApril 1: Not committed.\n\n2025-04-02: Placed, but not written either.\n")
    before = snapshot(repo)
    code, _, err = run_cli(runner, "journal", "import", "notes.md")
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("notes.md:11: 'April 1' has no year: write it")
    assert lines[-1] == "folio: error: notes.md: 1 dated line cannot be placed; nothing was written"
    assert snapshot(repo) == before
    # committed, its commit tells the year; the days already imported stay as they are
    commit_on(repo, "2025-04-03", "April")
    code, _, err = run_cli(runner, "journal", "import", "notes.md")
    assert code == 0 and "2 created, 0 updated, 4 already complete" in err, err
    assert (repo / POSTS / "2025-04-01.md").is_file()
    assert git(repo, "status", "--porcelain", "--", "notes.md") == ""  # the source untouched


def test_unplaceable_lines_are_all_reported_and_nothing_is_written(
    repo: Path, runner: CliRunner
) -> None:
    (repo / "notes.md").write_text(
        "2023-07-03: fine.\n\n03/07/2023: which?\n\nMonday, July 3 2024: wrong weekday.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(runner, "journal", "import", "notes.md", "--year", "2023")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "notes.md:3: '03/07/2023' is ambiguous (3 July or March 7): write the month in words "
        "or YYYY-MM-DD",
        "notes.md:5: 'Monday, July 3 2024': 2024-07-03 is a Wednesday, not a Monday",
        "folio: error: notes.md: 2 dated lines cannot be placed; nothing was written",
    ]
    assert not (repo / POSTS).exists()


def test_bad_input_is_one_line_and_outside_a_portfolio_nothing_happens(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    code, _, err = run_cli(runner, "journal", "import", "missing.md")
    assert code == 2 and err == "folio: error: missing.md: file not found\n"
    (repo / "binary.md").write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = run_cli(runner, "journal", "import", "binary.md")
    assert code == 2 and err.startswith("folio: error: binary.md: ") and err.count("\n") == 1
    (repo / "plain.md").write_text("Just prose.\n", encoding="utf-8")
    code, _, err = run_cli(runner, "journal", "import", "plain.md")
    assert code == 1 and "no dated paragraph found" in err
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "diary.md").write_text("2023-07-03: hello\n", encoding="utf-8")
    code, _, err = run_cli(
        runner, "-C", str(outside), "journal", "import", str(outside / "diary.md")
    )
    assert code == 2 and "not a portfolio" in err
    assert sorted(p.name for p in outside.iterdir()) == ["diary.md"]
    # --move never writes outside the repository
    code, _, err = run_cli(runner, "journal", "import", str(outside / "diary.md"), "--move")
    assert code == 2 and "--move writes only files inside the repository" in err
    assert not (repo / POSTS).exists()
