"""The journal: privacy filter, streaks, stats, heatmap, `folio journal add/stats`, JR checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_cli
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from repofolio.config import Config, JournalConfig, load_config
from repofolio.discover import load_portfolio
from repofolio.errors import FolioError
from repofolio.journal import heatmap_svg, publishable, stats, streaks
from repofolio.model import JournalEntry

POSTS = Path("docs/journal/posts")


def cfg_with(**journal: object) -> Config:
    # root ".": no cache of clean texts in the folder the tests run from
    journal.setdefault("redaction_cache", False)
    return dataclasses.replace(Config(), journal=dataclasses.replace(JournalConfig(), **journal))


def entry(
    day: str, tags: tuple[str, ...] = ("learning",), hours: float | None = None
) -> JournalEntry:
    data: dict[str, object] = {"date": dt.date.fromisoformat(day), "categories": list(tags)}
    if hours is not None:
        data["hours"] = hours
    path = Path(f"{day}.md")
    return JournalEntry(
        path,
        f"docs/journal/posts/{day}.md",
        dt.date.fromisoformat(day),
        None,
        "# Day\n\nText.\n",
        data,
    )


def write_entry(repo: Path, name: str, text: str) -> Path:
    path = repo / POSTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


# -- privacy ---------------------------------------------------------------------------------

PRIVATE = cfg_with(private=("Initech", "Bill Lumbergh"), replacement="a company")

PUBLISHABLE = [
    ("Applied to Initech today.", "Applied to a company today."),
    ("INITECH and initech's office", "a company and a company's office"),
    ("Met Bill\nLumbergh for coffee", "Met a company for coffee"),
    ("Initechnology and MyInitech stay", "Initechnology and MyInitech stay"),
    ("a <!-- private -->secret<!-- /private --> b", "a  b"),
    ("a\n<!--private-->\nx\n<!-- /PRIVATE -->\nb", "a\n\nb"),
    ("1 <!-- private -->x<!-- /private --> 2 <!-- private -->y<!-- /private --> 3", "1  2  3"),
    ("shown\n<!-- private -->\nnever closed, all hidden", "shown\n"),
    ("stray <!-- /private --> close", "stray  close"),
    ("Ini<!-- private -->x<!-- /private -->tech", "a company"),
]


@pytest.mark.parametrize(("text", "expected"), PUBLISHABLE)
def test_publishable(text: str, expected: str) -> None:
    assert publishable(text, PRIVATE) == expected


BY_KIND = cfg_with(private=("Initech", "Globex Corp"), private_people=("Jane Doe", "Bill Lumbergh"))

BY_KIND_CASES = [
    ("Jane from Initech called.", "a contact from a company called."),
    (
        "Jane Doe (Initech) and Bill\nLumbergh of Globex Corp",
        "a contact (a company) and a contact of a company",
    ),
    ("Lumbergh's memo; INITECH's office", "a contact's memo; a company's office"),
    # a name part only as written: "will" and "bill" are words, "Bill" names him
    ("I will bill the hours to Bill.", "I will bill the hours to a contact."),
    ("Janet and Doeville stay", "Janet and Doeville stay"),
]


@pytest.mark.parametrize(("text", "expected"), BY_KIND_CASES)
def test_names_are_replaced_by_the_word_of_their_kind(text: str, expected: str) -> None:
    assert publishable(text, BY_KIND) == expected


def test_the_pipeline_names_join_the_privacy_list(repo: Path) -> None:
    from repofolio.config import load_config
    from repofolio.pipeline import model, store
    from repofolio.pipeline.location import store_path

    cfg = load_config(repo)
    assert publishable("Initech and Peter Gibbons", cfg) == "Initech and Peter Gibbons"
    pipeline = model.Pipeline()
    model.add_application(pipeline, "Initech", "ML Engineer", day=dt.date(2026, 11, 2))
    model.add_contact(pipeline, "Peter Gibbons", day=dt.date(2026, 11, 2), company="Hooli")
    store.save(store_path(cfg), pipeline)
    assert publishable("Initech and Peter Gibbons (Hooli); Peter again", cfg) == (
        "a company and a contact (a company); a contact again"
    )
    # a store that cannot be read stops publishing rather than leak a name
    store_path(cfg).write_text("{not json", encoding="utf-8")
    with pytest.raises(FolioError, match="the pipeline store cannot be read"):
        publishable("Initech", cfg)


def test_publishable_without_private_config_only_drops_blocks() -> None:
    text = "Initech <!-- private -->x<!-- /private -->"
    assert publishable(text, Config()) == "Initech "


word = st.text(alphabet="abcXYZ", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.one_of(word, st.sampled_from([" ", "\n", ", ", "'s ", "-"])), max_size=30),
    names=st.lists(word, min_size=1, max_size=3),
    secret_at=st.integers(min_value=0, max_value=30),
)
def test_property_no_private_name_or_block_survives(
    pieces: list[str], names: list[str], secret_at: int
) -> None:
    replacement = "a company"
    assume(not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", replacement, re.I) for n in names))
    secret = "<!-- private -->SECRET 555-0100<!-- /private -->"
    pieces.insert(min(secret_at, len(pieces)), secret)
    text = "".join(pieces)
    out = publishable(text, cfg_with(private=tuple(names), replacement=replacement))
    assert "SECRET" not in out and "555-0100" not in out
    for name in names:
        assert not re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", out, re.I)


# -- streaks and stats -----------------------------------------------------------------------

# 2026-11-16 is a Monday; 2026-11-22 a Sunday (the default rest day)
STREAKS = [
    # (case, days with entries, today, current, longest)
    ("none", [], "2026-11-20", 0, 0),
    ("three-ending-today", ["2026-11-18", "2026-11-19", "2026-11-20"], "2026-11-20", 3, 3),
    ("today-not-written-yet", ["2026-11-18", "2026-11-19"], "2026-11-20", 2, 2),
    ("yesterday-missed", ["2026-11-17", "2026-11-18"], "2026-11-20", 0, 2),
    ("sunday-rest-keeps-it", ["2026-11-20", "2026-11-21", "2026-11-23"], "2026-11-23", 3, 3),
    ("sunday-entry-counts", ["2026-11-21", "2026-11-22", "2026-11-23"], "2026-11-23", 3, 3),
    (
        "gap-breaks-longest",
        ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-06"],
        "2026-11-06",
        1,
        3,
    ),
    ("duplicates-count-once", ["2026-11-19", "2026-11-19", "2026-11-20"], "2026-11-20", 2, 2),
]


@pytest.mark.parametrize(
    ("days", "today", "current", "longest"), [c[1:] for c in STREAKS], ids=[c[0] for c in STREAKS]
)
def test_streaks(days: list[str], today: str, current: int, longest: int) -> None:
    s = streaks([entry(d) for d in days], Config(), dt.date.fromisoformat(today))
    assert (s.current, s.longest) == (current, longest)


def test_rest_days_can_be_dates_and_none() -> None:
    days = [entry("2026-11-20"), entry("2026-11-23")]  # Fri, Mon; Sat 21 and Sun 22 between
    today = dt.date(2026, 11, 23)
    assert streaks(days, cfg_with(rest_days=()), today).current == 1
    assert streaks(days, cfg_with(rest_days=("saturday", "sunday")), today).current == 2
    assert streaks(days, cfg_with(rest_days=("2026-11-21", "Sunday")), today).current == 2


def test_bad_rest_day_is_an_error() -> None:
    with pytest.raises(FolioError, match="rest-days: 'sundy' is neither a weekday name"):
        streaks([entry("2026-11-20")], cfg_with(rest_days=("sundy",)), dt.date(2026, 11, 20))


def test_stats() -> None:
    entries = [
        entry("2026-11-16", ("learning", "kaggle"), 3),
        entry("2026-11-17", ("kaggle",)),
        entry("2026-11-24", ("job-search",), 1.5),
    ]
    s = stats(entries, Config(), dt.date(2026, 11, 24))
    assert s.as_dict() == {
        "entries": 3,
        "days": 3,
        "first": "2026-11-16",
        "last": "2026-11-24",
        "current_streak": 1,
        "longest_streak": 2,
        "hours": 4.5,
        "entries_per_week": {"2026-W47": 2, "2026-W48": 1},
        "tags": {"kaggle": 2, "job-search": 1, "learning": 1},
        "hours_per_tag": {"job-search": 1.5, "kaggle": 3.0, "learning": 3.0},
    }


# -- heatmap ---------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_heatmap_is_accessible_deterministic_svg() -> None:
    today = dt.date(2026, 11, 25)  # a Wednesday
    entries = [entry("2026-11-20", hours=5), entry("2026-11-19"), entry("2026-11-24", hours=0.5)]
    svg = heatmap_svg(entries, Config(), today)
    assert svg == heatmap_svg(list(reversed(entries)), Config(), today)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    label = root.get("aria-label")
    assert label == root.find(f"{SVG}title").text  # type: ignore[union-attr]
    assert label == (
        "Journal activity from 2025-11-24 to 2026-11-25: 3 days with an entry, 5.5 hours"
    )
    cells = {r.get("data-date"): r for r in root.iter(f"{SVG}rect") if r.get("data-date")}
    assert len(cells) == 52 * 7 + 3  # 52 full weeks and Monday to Wednesday of this one
    assert min(cells) == "2025-11-24" and max(cells) == "2026-11-25"
    assert cells["2026-11-20"].get("data-level") == "3"
    assert cells["2026-11-19"].get("data-level") == "2"  # no hours given
    assert cells["2026-11-24"].get("data-level") == "1"
    assert cells["2026-11-21"].get("data-level") == "0"
    tip = cells["2026-11-20"].find(f"{SVG}title").text  # type: ignore[union-attr]
    assert tip == "2026-11-20: 1 entry, 5 h (learning)"
    assert cells["2026-11-22"].find(f"{SVG}title").text == "2026-11-22: rest day"  # type: ignore[union-attr]
    assert cells["2026-11-22"].get("fill") != cells["2026-11-21"].get("fill")


def test_heatmap_of_nothing_and_few_weeks() -> None:
    svg = heatmap_svg([], Config(), dt.date(2026, 11, 25), weeks=2)
    root = ET.fromstring(svg)
    assert "0 days with an entry" in (root.get("aria-label") or "")
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("data-date")]) == 7 + 3


# -- folio journal add -----------------------------------------------------------------------


def test_add_creates_the_entry(repo: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(
        runner,
        "journal",
        "add",
        "Read the survey on conformal sets.",
        "--date",
        "2026-11-20",
        "--tag",
        "learning",
        "--tag",
        "kaggle",
        "--hours",
        "2.5",
    )
    assert (code, out) == (0, "")
    assert err == "Created docs/journal/posts/2026-11-20.md\n"
    assert (repo / POSTS / "2026-11-20.md").read_text(encoding="utf-8") == (
        "---\ndate: 2026-11-20\ncategories:\n  - learning\n  - kaggle\nhours: 2.5\n---\n\n"
        "# Friday 20 November 2026\n\nRead the survey on conformal sets.\n"
    )
    assert run_cli(runner, "check", str(POSTS))[0] == 0


def test_add_appends_a_paragraph_and_keeps_the_old_bytes(repo: Path, runner: CliRunner) -> None:
    old = "---\r\ndate: 2026-11-20\r\ncategories: [learning]\r\n---\r\n\r\n# Day\r\n\r\nFirst."
    path = write_entry(repo, "2026-11-20.md", old)
    assert run_cli(runner, "journal", "add", "Second.", "--date", "2026-11-20")[0] == 0
    assert path.read_bytes().decode() == old + "\r\n\r\nSecond.\r\n"
    code, _, err = run_cli(runner, "journal", "add", "Third\nline.", "--date", "2026-11-20")
    assert code == 0 and err == "Updated docs/journal/posts/2026-11-20.md\n"
    assert path.read_bytes().decode() == old + "\r\n\r\nSecond.\r\n\r\nThird\r\nline.\r\n"


def test_add_merges_tags_and_sums_hours(repo: Path, runner: CliRunner) -> None:
    body = "\n# Day\n\nFirst.\n"
    path = write_entry(
        repo,
        "2026-11-20.md",
        f"---\ndate: 2026-11-20\ncategories: [learning]\nhours: 1\n---\n{body}",
    )
    code = run_cli(
        runner,
        "journal",
        "add",
        "More.",
        "--date",
        "2026-11-20",
        "--tag",
        "kaggle",
        "--tag",
        "learning",
        "--hours",
        "2.5",
    )[0]
    assert code == 0
    assert path.read_text(encoding="utf-8") == (
        "---\ndate: 2026-11-20\ncategories:\n  - learning\n  - kaggle\nhours: 3.5\n---\n"
        + body
        + "\nMore.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--tag", "fun"), "--tag 'fun' is not a journal tag; valid tags: job-search, "),
        (("x", "--date", "2026-02-30"), "--date '2026-02-30' is not a date"),
        (("x", "--hours", "25"), "--hours 25 is not between 0 and 24"),
    ],
)
def test_add_bad_arguments(
    repo: Path, runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run_cli(runner, "journal", "add", *args)
    assert code == 2 and err.startswith(f"folio: error: {message}")
    assert not (repo / "docs").exists()


def test_add_today_by_default(repo: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "journal", "add", "Hello.")[0] == 0
    assert (repo / POSTS / f"{dt.date.today().isoformat()}.md").is_file()


def test_add_without_text_opens_the_editor(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = repo.parent / "editor.py"
    script.write_text(
        "import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('Typed in the editor.\\n')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}"')
    monkeypatch.delenv("VISUAL", raising=False)
    assert run_cli(runner, "journal", "add", "--date", "2026-11-20", "--tag", "rest")[0] == 0
    text = (repo / POSTS / "2026-11-20.md").read_text(encoding="utf-8")
    assert text == (
        "---\ndate: 2026-11-20\ncategories:\n  - rest\n---\n\n"
        "# Friday 20 November 2026\n\nTyped in the editor.\n"
    )
    assert run_cli(runner, "journal", "add", "--date", "2026-11-20")[0] == 0
    assert (repo / POSTS / "2026-11-20.md").read_text(encoding="utf-8") == (
        text + "\nTyped in the editor.\n"
    )


def test_editor_closed_without_saving_writes_nothing(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    code, _, err = run_cli(runner, "journal", "add", "--date", "2026-11-20")
    assert code == 1 and "nothing written" in err
    assert not (repo / POSTS / "2026-11-20.md").exists()


# -- folio journal stats ---------------------------------------------------------------------


def test_stats_cli(repo: Path, runner: CliRunner) -> None:
    for day, tags, hours in (
        ("2026-11-19", "[learning]", "hours: 2\n"),
        ("2026-11-20", "[learning, kaggle]", ""),
        ("2026-11-21", "[job-search]", "hours: 1.5\n"),
    ):
        write_entry(
            repo,
            f"{day}.md",
            f"---\ndate: {day}\ncategories: {tags}\n{hours}---\n\n# Day\n\nText.\n",
        )
    code, out, _ = run_cli(runner, "journal", "stats", "--as-of", "2026-11-23")
    assert code == 0
    assert out == (
        "Entries: 3 (2026-11-19 to 2026-11-21)\nCurrent streak: 3 days\n"
        "Longest streak: 3 days\nHours: 3.5\nEntries per week:\n  2026-W47  3\nTags:\n"
        "  learning    2  (2 h)\n  job-search  1  (1.5 h)\n  kaggle      1\n"
    )
    code, out, _ = run_cli(runner, "journal", "stats", "--format", "json", "--as-of", "2026-11-25")
    data = json.loads(out)
    assert code == 0 and data["current_streak"] == 0 and data["longest_streak"] == 3
    assert data["entries_per_week"] == {"2026-W47": 3}


def test_stats_of_an_empty_journal(repo: Path, runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "journal", "stats", "--format", "json")
    assert code == 0 and json.loads(out)["entries"] == 0


def test_stats_bad_rest_days_config(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio.journal]\nrest-days = ["caturday"]\n', encoding="utf-8"
    )
    write_entry(repo, "2026-11-20.md", "---\ndate: 2026-11-20\n---\n\n# Day\n\nText.\n")
    code, _, err = run_cli(runner, "journal", "stats")
    assert code == 2 and "rest-days: 'caturday' is neither a weekday name" in err


# -- folio check on the journal --------------------------------------------------------------

GOOD = "---\ndate: 2026-11-20\ncategories: [learning]\nhours: 2\n---\n\n# Day\n\nText.\n"
CHECKS = [
    # (file name, content, expected (line, code) pairs)
    ("2026-11-20.md", GOOD, []),
    ("2026-11-21.md", GOOD, [(2, "JR004")]),
    ("notes.md", GOOD, [(0, "JR002")]),
    ("2026-02-30.md", GOOD.replace("2026-11-20", "2026-02-28"), [(0, "JR002")]),
    ("2026-11-20.md", "# Day\n\nText.\n", [(1, "JR003")]),
    ("2026-11-20.md", GOOD.replace("date: 2026-11-20\n", ""), [(1, "JR003")]),
    ("2026-11-20.md", GOOD.replace("date: 2026-11-20", "date: soon"), [(2, "JR003")]),
    ("2026-11-20.md", GOOD.replace("[learning]", "[learning, partying]"), [(3, "JR005")]),
    ("2026-11-20.md", GOOD.replace("[learning]", "learning"), [(3, "JR009")]),
    ("2026-11-20.md", GOOD.replace("Text.\n", ""), [(6, "JR006")]),
    (
        "2026-11-20.md",
        GOOD.replace("# Day\n\nText.", "<!-- only a comment -->"),
        [(6, "JR006"), (6, "JR007")],
    ),
    ("2026-11-20.md", GOOD.replace("hours: 2", "hours: 30"), [(4, "JR008")]),
    ("2026-11-20.md", GOOD.replace("hours: 2", "hours: many"), [(4, "JR008")]),
    ("2026-11-20.md", GOOD + "\n<!-- private -->\nsecret\n", [(11, "JR010")]),
    ("2026-11-20.md", GOOD.replace("date: 2026-11-20", "date:\n  created: 2026-11-20"), []),
]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    CHECKS,
    ids=[f"{i}-{c[2][0][1] if c[2] else 'ok'}" for i, c in enumerate(CHECKS)],
)
def test_check_journal(
    repo: Path, runner: CliRunner, name: str, text: str, expected: list[tuple[int, str]]
) -> None:
    write_entry(repo, name, text)
    code, out, _ = run_cli(runner, "check", "--format", "json")
    found = [(d["line"], d["code"]) for d in json.loads(out)]
    assert found == expected
    assert all(d["path"] == f"docs/journal/posts/{name}" for d in json.loads(out))
    errors = [d for d in json.loads(out) if d["severity"] == "error"]
    assert code == (1 if errors else 0)


def test_every_journal_code_is_documented() -> None:
    from repofolio.checks import CODES

    source = Path(__import__("repofolio.checks.journal").checks.journal.__file__).read_text()
    used = set(re.findall(r'"(JR\d{3})"', source)) | {"JR001"}
    assert used <= set(CODES)


def test_check_text_format_names_file_and_line(repo: Path, runner: CliRunner) -> None:
    write_entry(repo, "2026-11-21.md", GOOD)
    code, out, _ = run_cli(runner, "check")
    assert code == 1
    assert out == (
        "docs/journal/posts/2026-11-21.md:2:1: JR004 date 2026-11-20 differs from "
        "the file name's 2026-11-21\n"
    )


def test_loaded_entries_feed_stats_and_heatmap(repo: Path) -> None:
    write_entry(repo, "2026-11-20.md", GOOD)
    cfg = load_config(repo)
    portfolio = load_portfolio(cfg)
    assert stats(portfolio.journal, cfg, dt.date(2026, 11, 20)).hours == 2
    assert 'data-date="2026-11-20" data-level="2"' in heatmap_svg(
        portfolio.journal, cfg, dt.date(2026, 11, 20)
    )


def test_hours_added_to_a_days_entry_are_written_as_typed(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """A second `folio journal add --hours 1` on the day's entry writes `hours: 1` as the
    first one would (it wrote `hours: 1.0`); a half hour stays `1.5`."""
    day = ["journal", "add", "--date", "2026-12-07"]
    assert run_cli(runner, *day, "Sent two applications.")[0] == 0
    assert run_cli(runner, *day, "--hours", "1", "Tailored the resume.")[0] == 0
    path = new_user_repo / "docs/journal/posts/2026-12-07.md"
    assert "\nhours: 1\n" in path.read_text(encoding="utf-8")
    assert run_cli(runner, *day, "--hours", "0.5", "Read a paper.")[0] == 0
    assert "\nhours: 1.5\n" in path.read_text(encoding="utf-8")
    assert run_cli(runner, *day, "--hours", "1.5", "Mock interview.")[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "\nhours: 3\n" in text and text.endswith("\n\nMock interview.\n")
    code, out, _ = run_cli(runner, "check", "--format", "json")
    assert code == 0  # init's draft warnings (cv.yaml, the example), nothing of the journal
    assert [d for d in json.loads(out) if d["path"].startswith("docs/journal/")] == []
