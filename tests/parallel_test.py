"""`folio check` over forked slices gives exactly what one process gives; a failed child's
slice is redone in the parent."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD_BODY, good_readme, run_cli, write_project
from repofolio import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs os.fork (Linux)")


def mixed_portfolio(repo: Path) -> None:
    """Projects with problems of every family, and titles repeated across any split."""
    write_project(repo, "alpha", good_readme("Shared title"))
    write_project(repo, "bravo", good_readme("Bravo", body=GOOD_BODY.format(title="B") + "TODO\n"))
    write_project(repo, "charlie", "---\ntitle: [unclosed\n---\n# x\n")
    write_project(repo, "delta", good_readme("Delta", front_extra="summary2: x\n"))
    write_project(repo, "echo", good_readme("Echo"), {"leak.py": 'password = "hunter2hunter2"\n'})
    write_project(repo, "Foxtrot", good_readme("Foxtrot"))
    write_project(repo, "golf", good_readme("shared TITLE"))
    write_project(repo, "hotel", good_readme("Hotel"), {"run.py": "print('/home/maya/data')\n"})
    (repo / "projects" / "india").mkdir()  # no README
    write_project(repo, "juliett", good_readme("Shared Title"))
    outside = repo.parent / "outside-project"
    outside.mkdir()
    (outside / "README.md").write_text(good_readme("Outside"))
    (repo / "projects" / "kilo").symlink_to(outside, target_is_directory=True)  # PR006
    (repo / "projects" / "lima").mkdir()
    os.mkfifo(repo / "projects" / "lima" / "README.md")  # PR002, never blocks
    posts = repo / "docs" / "journal" / "posts"
    posts.mkdir(parents=True)
    (posts / "2026-02-30.md").write_text("---\ndate: 2026-02-30\n---\n# Day\n\nText.\n")


@pytest.mark.parametrize("jobs", ["2", "3", "7"])
def test_slices_report_what_one_process_reports(repo: Path, runner: CliRunner, jobs: str) -> None:
    mixed_portfolio(repo)
    code_one, out_one, err_one = run_cli(runner, "check", "--format", "json", "--jobs", "1")
    code_many, out_many, err_many = run_cli(runner, "check", "--format", "json", "--jobs", jobs)
    assert (code_many, out_many, err_many) == (code_one, out_one, err_one)
    found = json.loads(out_one)
    duplicates = sorted(d["path"] for d in found if d["code"] == "FM015")
    # "alpha" comes first, so the other two are the duplicates, whichever slice they were in
    assert duplicates == ["projects/golf/README.md", "projects/juliett/README.md"]
    codes = {d["code"] for d in found}
    assert {"FM003", "FM011", "SC004", "SE001", "PA001", "PR001", "PR004", "JR002"} <= codes
    assert {"PR002", "PR006"} <= codes
    text_one = run_cli(runner, "check", "--jobs", "1")
    assert run_cli(runner, "check", "--jobs", jobs) == text_one
    assert "Checked 11 projects, 1 journal entry:" in text_one[2]


def test_slices_see_git_s_files_listed_once_by_the_parent(repo: Path, runner: CliRunner) -> None:
    """In git the parent lists every slice's files (one `git ls-files`): what git ignores is
    left out in the slices as in one process, whatever slice a project falls in."""
    for slug in ("alpha", "bravo", "charlie", "delta"):
        write_project(repo, slug, good_readme(slug.title()), {"src/run.py": "print(1)\n"})
    leak = 'password = "hunter2hunter2"\n'
    write_project(repo, "delta", None, {"cache/leak.py": leak, "kept.py": leak})
    (repo / ".gitignore").write_text("cache/\n", encoding="utf-8")
    one = run_cli(runner, "check", "--format", "json", "--jobs", "1")
    many = run_cli(runner, "check", "--format", "json", "--jobs", "3")
    assert many == one
    paths = {d["path"] for d in json.loads(one[1]) if d["code"] == "SE001"}
    assert paths == {"projects/delta/kept.py"}


def test_auto_jobs_split_many_projects_and_agree(repo: Path, runner: CliRunner) -> None:
    for i in range(400):  # 400 projects: two slices or more on a machine with 2 cores
        write_project(repo, f"p{i:03d}", good_readme(f"Project {i % 390}"))
    one = run_cli(runner, "check", "--format", "github", "--jobs", "1")
    auto = run_cli(runner, "check", "--format", "github")
    assert auto == one
    assert one[1].count("FM015") == 10  # titles 0..9 come back at 390..399
    assert "Checked 400 projects" in one[2]


def test_jobs_option_is_validated(repo: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "check", "--jobs", "-1")
    assert code == 2
    assert "--jobs" in err


def test_job_count() -> None:
    assert parallel.job_count(1, 100, 8) == 1  # one item: no fork
    assert parallel.job_count(3, 100, 8) == 3  # asked for: one process an item at most
    assert parallel.job_count(10, 100, 0) == 1  # automatic: too few items to pay for a fork
    auto = parallel.job_count(10_000, 100, 0)
    assert auto == min(parallel.cores(), parallel.MAX_JOBS)


def test_split_is_contiguous_and_complete() -> None:
    items = list(range(10))
    for jobs in range(1, 13):
        chunks = parallel.split(items, jobs)
        assert [x for chunk in chunks for x in chunk] == items
        assert len(chunks) == min(jobs, 10)
        assert max(map(len, chunks)) - min(map(len, chunks)) <= 1


PARENT = os.getpid()


def fails_in_children(chunk: Sequence[int]) -> list[tuple[int, int]]:
    if os.getpid() != PARENT:
        raise RuntimeError("a worker that breaks")
    return [(x, os.getpid()) for x in chunk]


def unpicklable_in_children(chunk: Sequence[int]) -> object:
    if os.getpid() != PARENT:
        return lambda: chunk  # pickle cannot send a lambda
    return [x * 2 for x in chunk]


def from_children(chunk: Sequence[int]) -> list[tuple[int, int]]:
    return [(x, os.getpid()) for x in chunk]


def test_fork_map_runs_slices_in_children() -> None:
    results = parallel.fork_map(from_children, parallel.split(list(range(9)), 3))
    assert [x for part in results for x, _ in part] == list(range(9))
    pids = [{pid for _, pid in part} for part in results]
    assert pids[0] == {os.getpid()}
    assert all(len(p) == 1 and os.getpid() not in p for p in pids[1:])


def test_fork_map_redoes_a_failed_slice_in_the_parent() -> None:
    global PARENT
    PARENT = os.getpid()  # under pytest-xdist this module was imported in another process
    results = parallel.fork_map(fails_in_children, parallel.split(list(range(6)), 3))
    assert [x for part in results for x, _ in part] == list(range(6))
    assert {pid for part in results for _, pid in part} == {os.getpid()}
    again = parallel.fork_map(unpicklable_in_children, parallel.split(list(range(6)), 2))
    assert again == [[0, 2, 4], [6, 8, 10]]


def slow_chunk(chunk: Sequence[int]) -> list[tuple[int, int]]:
    time.sleep(0.02)  # long enough that the children, forked meanwhile, take some chunks
    return [(x, os.getpid()) for x in chunk]


def test_fork_pool_returns_every_chunk_in_order_from_several_processes() -> None:
    chunks = parallel.split(list(range(40)), 20)
    results = parallel.fork_pool(slow_chunk, chunks, 3)
    assert [x for part in results for x, _ in part] == list(range(40))
    assert len({pid for part in results for _, pid in part}) >= 2  # the children took some


def test_fork_pool_redoes_what_a_failed_child_took() -> None:
    global PARENT
    PARENT = os.getpid()
    results = parallel.fork_pool(fails_in_children, parallel.split(list(range(30)), 15), 3)
    assert [x for part in results for x, _ in part] == list(range(30))
    assert {pid for part in results for _, pid in part} == {os.getpid()}


def test_pending_computes_in_a_child_while_the_parent_goes_on() -> None:
    pending = parallel.Pending(lambda: os.getpid())
    assert os.getpid() != pending.result()  # the child's pid came back through the pipe


def test_pending_redoes_a_failed_child_in_the_parent() -> None:
    global PARENT
    PARENT = os.getpid()
    assert parallel.Pending(lambda: fails_in_children([1, 2])).result() == [
        (1, os.getpid()),
        (2, os.getpid()),
    ]


def test_pending_cancel_stops_and_reaps_the_child() -> None:
    pending = parallel.Pending(lambda: time.sleep(30))
    child = pending._child
    assert child is not None
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 5  # killed, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(child[0], os.WNOHANG)  # reaped: no zombie left
    pending.cancel()  # a second cancel, or one after result(), does nothing


@pytest.mark.parametrize("switch", ["", "0"], ids=["aged", "left-young"])
def test_paused_gc_moves_what_the_run_made_to_the_oldest_generation(
    monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    """Objects made with the collector off leave the pause in the oldest generation, so the
    next allocation does not walk them all; FOLIO_GC_AGE=0 leaves them where Python does."""
    import gc

    monkeypatch.setenv("FOLIO_GC_AGE", switch)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with parallel.paused_gc():
        assert not gc.isenabled()
        made = [{"n": [i]} for i in range(2000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0  # nothing left frozen
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    aged = sum(id(d) in oldest for d in made)
    assert aged == (len(made) if switch == "" else 0)


def finished_together(
    results: list[list[tuple[int, int]]],
) -> list[list[tuple[int, int, int, int]]]:
    """Each result tagged with the pid that finished it and how many were finished at once."""
    return [[(x, pid, os.getpid(), len(results)) for x, pid in part] for part in results]


def test_fork_pool_finishes_each_process_s_results_once_together() -> None:
    chunks = parallel.split(list(range(40)), 20)
    results = parallel.fork_pool(slow_chunk, chunks, 3, finish=finished_together)
    assert [x for part in results for x, *_ in part] == list(range(40))
    by_process: dict[int, set[int]] = {}
    for number, part in enumerate(results):
        (_, computed, finished, together), *_ = part
        assert computed == finished  # finished where it was computed
        by_process.setdefault(finished, set()).add(number)
        assert all(row[1:] == part[0][1:] for row in part)
    assert len(by_process) >= 2  # the children took some
    for pid, numbers in by_process.items():  # each process finished all of its chunks at once
        assert {results[n][0][3] for n in numbers} == {len(numbers)}, pid
    single = parallel.fork_pool(slow_chunk, chunks[:3], 1, finish=finished_together)
    assert [part[0][2:] for part in single] == [(os.getpid(), 3)] * 3


def test_fork_pool_finishes_redone_chunks_in_the_parent() -> None:
    global PARENT
    PARENT = os.getpid()
    chunks = parallel.split(list(range(30)), 15)
    results = parallel.fork_pool(fails_in_children, chunks, 3, finish=finished_together)
    assert [x for part in results for x, *_ in part] == list(range(30))
    assert {row[2] for part in results for row in part} == {os.getpid()}
    assert sum(part[0][3] for part in results) > 0
