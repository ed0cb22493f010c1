"""folio apply: six applications moved through the stages, on a newcomer's repository.

The store is real JSON in a real data directory (XDG_DATA_HOME per test) or where
[pipeline] store says; dates are relative to today, since writing commands ghost the silent
applications as of the real day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from repofolio.config import load_config
from repofolio.pipeline.location import STORE_NAME, store_path

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date.today()
COMPANIES = ("Initech", "Globex", "Hooli", "Soylent", "Vandelay", "Tyrell")


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def apply(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    return run_cli(runner, "apply", *args)


def six(runner: CliRunner) -> None:
    """Initech to an offer, Globex rejected, Hooli unanswered, Soylent just interviewed,
    Vandelay silent for 40 days (ghosted at 30), Tyrell saved for later."""
    steps = [
        ("add", "Initech", "--role", "ML Engineer", "--date", ago(20), "--source", "LinkedIn"),
        ("move", "1", "screening", "--date", ago(17), "--note", "recruiter call"),
        ("move", "1", "interview", "--date", ago(10)),
        ("move", "1", "offer", "--date", ago(3)),
        ("add", "Globex", "--role", "Data Scientist", "--date", ago(19)),
        ("move", "2", "rejected", "--date", ago(12), "--note", "thin on deployment"),
        (
            "add",
            "Hooli",
            "--role",
            "MLOps Engineer",
            "--date",
            ago(9),
            "--contact",
            "Peter Gibbons",
        ),
        ("add", "Soylent", "--role", "Research Engineer", "--date", ago(15)),
        ("move", "4", "interview", "--date", ago(1)),
        ("add", "Vandelay", "--role", "Analyst", "--date", ago(40)),
        ("add", "Tyrell", "--role", "ML Engineer", "--date", ago(2), "--stage", "saved"),
    ]
    ids = []
    for step in steps:
        code, out, err = apply(runner, *step)
        assert code == 0, (step, err)
        if step[0] == "add":
            ids.append(out)
        else:
            assert out == ""
    assert ids == ["1\n", "2\n", "3\n", "4\n", "5\n", "6\n"]  # the id, alone on its line


def test_six_applications_give_the_right_list_due_and_stats(
    new_user_repo: Path, runner: CliRunner
) -> None:
    six(runner)
    code, out, _ = apply(runner, "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["id"], r["company"], r["stage"]) for r in rows] == [
        (1, "Initech", "offer"),
        (2, "Globex", "rejected"),
        (3, "Hooli", "applied"),
        (4, "Soylent", "interview"),
        (5, "Vandelay", "ghosted"),
        (6, "Tyrell", "saved"),
    ]
    assert {"id", "company", "role", "stage", "applied", "next"} <= set(rows[0])
    assert rows[0]["applied"] == ago(20) and rows[5]["applied"] is None
    assert rows[4]["since"] == ago(10)  # ghosted 30 days after applying
    code, out, _ = apply(runner, "list", "--stage", "interview", "--format", "json")
    assert [r["company"] for r in json.loads(out)] == ["Soylent"]
    code, out, _ = apply(runner, "list")
    assert out.splitlines()[0].split() == [
        "id",
        "stage",
        "since",
        "company",
        "role",
        "applied",
        "next",
    ]
    assert len(out.splitlines()) == 7
    # due: exit 1, naming the unanswered one and the thank-you owed
    code, out, err = apply(runner, "due")
    assert code == 1 and "2 follow-ups due" in err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:3] == ["3", "follow-up", "Hooli"]  # the oldest first
    assert f"no answer since {ago(9)} (9 days): follow up" in lines[0]
    assert lines[1].split()[:3] == ["4", "thank-you", "Soylent"]
    code, out, _ = apply(runner, "due", "--format", "json")
    assert code == 1 and [d["name"] for d in json.loads(out)] == ["Hooli", "Soylent"]
    # stats
    code, out, _ = apply(runner, "stats", "--format", "json")
    stats = json.loads(out)
    assert stats["stages"] == {
        "saved": 1,
        "applied": 1,
        "screening": 0,
        "interview": 1,
        "offer": 1,
        "accepted": 0,
        "rejected": 1,
        "withdrawn": 0,
        "ghosted": 1,
    }
    assert stats["total"] == 6 and stats["applied"] == 5 and stats["answered"] == 3
    assert stats["response_rate"] == 0.6
    assert stats["median_days_to_first_answer"] == 7.0  # 3 (Initech), 7 (Globex), 14 (Soylent)
    code, out, _ = apply(runner, "stats")
    assert (
        "Response rate: 60% (3 of 5 answered)" in out and "Median days to a first answer: 7" in out
    )
    # the follow-ups done: nothing due, exit 0
    assert apply(runner, "note", "3", "sent a follow-up")[0] == 0
    assert apply(runner, "note", "4", "thank-you sent")[0] == 0
    code, out, err = apply(runner, "due")
    assert (code, out) == (0, "") and f"Nothing due on {TODAY.isoformat()}." in err
    # a planned date comes due; a contact's too
    assert apply(runner, "move", "1", "offer", "--note", "negotiating", "--next", ago(-2))[0] == 0
    assert (
        apply(runner, "contact", "add", "Bill Lumbergh", "--company", "Initech", "--next", ago(-2))[
            1
        ]
        == "1\n"
    )
    code, out, _ = apply(runner, "due", "--date", ago(-2), "--format", "json")
    assert code == 1
    assert [(d["what"], d["kind"], d["id"]) for d in json.loads(out)] == [
        ("application", "next", 1),
        ("contact", "contact", 1),
    ]
    # show: the history, every move with its date
    code, out, _ = apply(runner, "show", "1")
    assert out.startswith("Application 1: ML Engineer at Initech\nStage: offer")
    for stage, days in (("applied", 20), ("screening", 17), ("interview", 10), ("offer", 3)):
        assert f"  {ago(days)}  {stage}" in out
    code, out, _ = apply(runner, "contact", "list", "--format", "json")
    assert [(c["id"], c["name"], c["company"]) for c in json.loads(out)] == [
        (1, "Bill Lumbergh", "Initech")
    ]


def test_the_store_is_written_where_configured_and_nowhere_in_the_repository(
    new_user_repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    private = tmp_path / "job-search-private"
    with (new_user_repo / "folio.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'\n[pipeline]\nstore = "{private.as_posix()}/jobs.json"\n')
    six(runner)
    data = json.loads((private / "jobs.json").read_text(encoding="utf-8"))
    assert data["format"] == "folio-pipeline" and data["schema_version"] == 1
    assert [a["company"] for a in data["applications"]] == list(COMPANIES)
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "repofolio").exists()
    code, out, _ = apply(runner, "where")
    assert out == f"{private / 'jobs.json'}\n"
    # not one file of the repository (its git objects included) names a company
    for path in new_user_repo.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            assert not any(c.encode() in blob for c in COMPANIES), path


def test_a_store_in_the_repository_is_refused_unless_ignored_and_check_fails_when_tracked(
    new_user_repo: Path, runner: CliRunner
) -> None:
    with (new_user_repo / "folio.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[pipeline]\nstore = "private/"\n')
    code, out, err = apply(runner, "add", "Initech", "--role", "ML Engineer")
    assert code == 2 and out == ""
    assert err == (
        "folio: error: [tool.folio.pipeline] store 'private/folio-pipeline.json' is inside the "
        "repository and git does not ignore it: the pipeline is private; keep it outside (the "
        "default) or add it to .gitignore\n"
    )
    assert not (new_user_repo / "private").exists()
    with (new_user_repo / ".gitignore").open("a", encoding="utf-8") as fh:
        fh.write("private/\n")
    assert apply(runner, "add", "Initech", "--role", "ML Engineer")[0] == 0
    assert (new_user_repo / "private" / STORE_NAME).is_file()
    commit(new_user_repo, "ignore the store")
    assert run_cli(runner, "check")[0] == 0  # ignored: fine
    # someone forces it in: check fails, naming the file
    from conftest import git

    git(new_user_repo, "add", "-f", f"private/{STORE_NAME}")
    code, out, _ = run_cli(runner, "check")
    assert code == 1
    assert any(
        line.startswith(
            f"private/{STORE_NAME}:1:1: PL001 the job-search pipeline's store is tracked by git"
        )
        for line in out.splitlines()
    )
    code, out, _ = run_cli(runner, "check", "--format", "json")
    # besides the warnings of a fresh init (the draft cv.yaml, the draft example), one error
    assert [d["code"] for d in json.loads(out) if d["severity"] == "error"] == ["PL001"]
    # and folio apply refuses to write to it while it is tracked
    code, _, err = apply(runner, "move", "1", "screening")
    assert code == 2 and "git does not ignore it" in err


def test_a_tracked_copy_anywhere_fails_check(repo: Path, runner: CliRunner) -> None:
    backup = repo / "notes" / "backup" / STORE_NAME
    backup.parent.mkdir(parents=True)
    backup.write_text('{"format": "folio-pipeline", "schema_version": 1}\n', encoding="utf-8")
    assert run_cli(runner, "check")[0] == 0  # untracked: nothing pushed yet
    from conftest import git

    git(repo, "add", "notes")
    code, out, _ = run_cli(runner, "check", "projects")  # whatever the paths checked
    assert code == 1 and out.startswith(f"notes/backup/{STORE_NAME}:1:1: PL001 ")
    assert "git rm --cached notes/backup/folio-pipeline.json" in out


def test_the_store_listing_started_early_is_read_once_or_reaped(repo: Path) -> None:
    """folio check starts git's listing of the store before its imports: read, it gives
    PL001; never read (an error on the way), closing stops and reaps git."""
    from conftest import git
    from repofolio.checks.pipeline import TrackedStore

    backup = repo / "notes" / STORE_NAME
    backup.parent.mkdir(parents=True)
    backup.write_text("{}\n", encoding="utf-8")
    git(repo, "add", "notes")
    cfg = load_config(repo)
    read = TrackedStore(cfg)
    assert [d.code for d in read.diagnostics()] == ["PL001"]
    read.close()  # nothing left to reap
    unread = TrackedStore(cfg)
    assert unread.proc is not None
    unread.close()
    assert unread.proc.returncode is not None  # reaped: no zombie, no warning
    shutil.rmtree(repo / ".git")
    assert TrackedStore(cfg).proc is None  # no git repository: nothing started


ERRORS = [
    (("move", "9", "interview"), "folio: error: no application 9; ids: 1 (folio apply list)\n"),
    (("move", "x", "interview"), "folio: error: 'x' is not an application id (a number)\n"),
    (
        ("move", "1", "applied", "--date", "2001-01-01"),
        "folio: error: application 1: 2001-01-01 is before its last step",
    ),
    (
        ("add", "Globex", "--role", "DS", "--date", "3 July"),
        "folio: error: --date '3 July' is not a date",
    ),
    (("show", "1", "--as-of", "soon"), "folio: error: --as-of 'soon' is not a date"),
    (("note", "1", "  "), "folio: error: the note is empty\n"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_errors_are_one_line_and_change_nothing(
    new_user_repo: Path, runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    assert apply(runner, "add", "Initech", "--role", "ML Engineer")[0] == 0
    path = store_path(load_config(new_user_repo))
    before = path.read_bytes()
    code, out, err = apply(runner, *args)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err
    assert path.read_bytes() == before


def test_a_broken_store_is_reported_and_left_as_it_is(
    new_user_repo: Path, runner: CliRunner
) -> None:
    path = store_path(load_config(new_user_repo))
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "folio-pipeline", "schema_version": 1, "applications": 3}\n')
    before = path.read_bytes()
    for args in (("list",), ("add", "X", "--role", "Y"), ("due",), ("stats",)):
        code, _, err = apply(runner, *args)
        assert code == 2 and err.startswith("folio: error: ") and err.count("\n") == 1
        assert "applications: expected a list; the store was not changed" in err
    assert path.read_bytes() == before


def test_outside_a_portfolio_nothing_is_created(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "not-a-portfolio"
    folder.mkdir()
    for args in (("add", "Initech", "--role", "ML"), ("list",), ("due",), ("contact", "list")):
        code, _, err = run_cli(runner, "-C", str(folder), "apply", *args)
        assert code == 2 and "not a portfolio" in err and err.count("\n") == 1
    assert list(folder.iterdir()) == []
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "repofolio").exists()


POSTING = """\
Machine Learning Engineer, forecasting platform

You will build time series forecasting models in Python with pandas and statsmodels,
deploy them with Docker, and monitor their error every week.
"""


def test_add_with_a_posting_builds_and_records_the_tailored_resume(
    new_user_repo: Path, runner: CliRunner
) -> None:
    root = new_user_repo
    shutil.copy(ROOT / "cv.yaml", root / "cv.yaml")
    shutil.rmtree(root / "projects")
    forecast = good_readme("Weekly demand forecast").replace(
        "skills: [Python, scikit-learn]", "skills: [Python, pandas, statsmodels, Docker]"
    )
    forecast = forecast.replace("tags: [ml, churn]", "tags: [time-series, forecasting]")
    write_project(root, "demand-forecast", forecast)
    write_project(root, "churn-model", good_readme("Churn model"))
    commit(root, "projects and cv")
    (root.parent / "initech.txt").write_text(POSTING, encoding="utf-8")
    code, out, err = apply(
        runner,
        "add",
        "Initech",
        "--role",
        "ML Engineer",
        "--posting",
        str(root.parent / "initech.txt"),
    )
    assert code == 0, err
    assert out == "1\n"
    code, out, _ = apply(runner, "show", "1", "--format", "json")
    resume = json.loads(out)["resumes"][0]
    pdf = Path(resume["file"])
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == resume["sha256"]
    assert root not in pdf.parents  # in the private folder, never the repository
    assert [p["slug"] for p in resume["projects"]][0] == "demand-forecast"
    assert resume["projects"][0]["score"] > resume["projects"][1]["score"]
    assert resume["score"] == pytest.approx(sum(p["score"] for p in resume["projects"]))
    assert Path(resume["posting"]).read_text(encoding="utf-8") == POSTING
    assert resume["posting_sha256"] == hashlib.sha256(POSTING.encode()).hexdigest()
    code, out, _ = apply(runner, "show", "1")
    assert f"sha256 {resume['sha256']}" in out and "projects: demand-forecast (" in out
    # folio resume build --job --for records a second version on the same application
    code, _, err = run_cli(
        runner,
        "resume",
        "build",
        "--job",
        str(root.parent / "initech.txt"),
        "--for",
        "1",
        "--format",
        "md",
    )
    assert code == 0, err
    code, out, _ = apply(runner, "show", "1", "--format", "json")
    assert [r["format"] for r in json.loads(out)["resumes"]] == ["pdf", "md"]
    # without a cv.yaml, nothing is added at all
    (root / "cv.yaml").unlink()
    code, _, err = apply(
        runner, "add", "Globex", "--role", "DS", "--posting", str(root.parent / "initech.txt")
    )
    assert code == 2 and "cv.yaml" in err
    code, out, _ = apply(runner, "list", "--format", "json")
    assert [r["company"] for r in json.loads(out)] == ["Initech"]
