"""runreport: reading the run report (cheap, never failing) and merging into it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from repofolio.config import load_config
from repofolio.runreport import (
    NotebookFailure,
    merge_entry,
    notebook_failures,
    read_statuses,
    write_report,
)


def test_read_statuses_without_a_usable_report_is_empty(repo: Path) -> None:
    cfg = load_config(repo)
    assert read_statuses(cfg) == {}
    report = repo / ".folio-cache/run-report.json"
    report.parent.mkdir()
    for bad in ("", "{not json", "[1, 2]", '{"projects": []}', "\xff"):
        report.write_text(bad, encoding="utf-8")
        assert read_statuses(cfg) == {}
    report.write_bytes(b"\xff\xfe")
    assert read_statuses(cfg) == {}
    report.unlink()
    report.mkdir()
    assert read_statuses(cfg) == {}


def test_read_statuses_keeps_only_known_statuses(repo: Path) -> None:
    cfg = load_config(repo)
    write_report(cfg, {"a": {"status": "passing"}, "b": {"status": "weird"}, "c": []}, python="x")
    write_report(cfg, {"d": {"status": "not-runnable"}}, python="x")
    # nothing ran for d: no badge, rather than a grey "not runnable"
    assert read_statuses(cfg) == {"a": "passing"}
    write_report(cfg, {"e": {"status": "failing", "badge": False}}, python="x")
    write_report(cfg, {"f": {"status": "failing", "badge": True}}, python="x")
    assert read_statuses(cfg) == {"a": "passing", "f": "failing"}
    custom = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, report="out/r.json"))
    assert read_statuses(custom) == {}
    write_report(custom, {"g": {"status": "failing"}}, python="x")
    assert (repo / "out/r.json").is_file()
    assert read_statuses(custom) == {"g": "failing"}


NB = "projects/eda/eda.ipynb"


def step(name: str, status: str, kind: str = "notebook", **extra: object) -> dict[str, object]:
    return {"kind": kind, "name": name, "status": status, "returncode": 0, **extra}


def entry(
    status: str, reason: str, *steps: dict[str, object], **extra: object
) -> dict[str, object]:
    return {"status": status, "reason": reason, "message": "m", "steps": list(steps), **extra}


def test_a_run_without_notebooks_keeps_their_earlier_result() -> None:
    earlier = entry("passing", "ok", step("python -V", "passing", "command"), step(NB, "passing"))
    nothing = entry("not-runnable", "no run")
    merged = merge_entry(earlier, nothing, notebooks_ran=False, notebooks=[NB])
    assert merged["status"] == "passing" and merged["reason"] == "ok"  # never "not runnable"
    assert merged["message"] == "1 notebook passed (an earlier run)"
    assert merged["steps"] == [{**step(NB, "passing"), "kept": True}]
    # a run that executed the notebooks replaces them; a notebook gone is dropped
    fresh = entry("passing", "ok", step(NB, "passing"))
    assert merge_entry(earlier, fresh, notebooks_ran=True, notebooks=[NB]) == fresh
    assert merge_entry(earlier, nothing, notebooks_ran=False, notebooks=[]) == nothing
    assert merge_entry(None, nothing, notebooks_ran=False, notebooks=[NB]) == nothing


def test_a_kept_notebook_failure_keeps_the_project_failing() -> None:
    raised = step(NB, "failing", reason="notebook failed", message=f"{NB}: cell 3 raised E", cell=3)
    earlier = entry("failing", "notebook failed", raised, log_tail="$ execute ...\nE")
    commands = entry("passing", "ok", step("python -V", "passing", "command"))
    merged = merge_entry(earlier, commands, notebooks_ran=False, notebooks=[NB])
    assert (merged["status"], merged["reason"]) == ("failing", "notebook failed")
    assert merged["message"] == f"{NB}: cell 3 raised E (an earlier run)"
    assert merged["log_tail"] == "$ execute ...\nE"
    # this run's own failure comes first
    broken = entry("failing", "command failed", step("python -V", "failing", "command"))
    merged = merge_entry(earlier, broken, notebooks_ran=False, notebooks=[NB])
    assert (merged["status"], merged["reason"]) == ("failing", "command failed")
    # saved error outputs are looked at again by each run, never kept
    seen = {**raised, "seen": "saved outputs"}
    kept = merge_entry(
        entry("failing", "notebook failed", seen), commands, notebooks_ran=False, notebooks=[NB]
    )
    assert kept == commands


def test_notebook_failures_name_the_cell(repo: Path) -> None:
    cfg = load_config(repo)
    assert notebook_failures(cfg) == {}
    raised = step(NB, "failing", reason="notebook failed", message=f"{NB}: cell 3 raised E", cell=3)
    saved = step("projects/b/b.ipynb", "failing", reason="notebook failed", seen="saved outputs")
    write_report(
        cfg,
        {
            "eda": entry("failing", "notebook failed", step("x.ipynb", "passing"), raised),
            "b": entry("failing", "notebook failed", {**saved, "cell": True, "kept": "yes"}),
            "c": {"status": "failing", "steps": "not a list"},
        },
        python="x",
    )
    assert notebook_failures(cfg) == {
        NB: NotebookFailure(NB, "notebook failed", f"{NB}: cell 3 raised E", 3, "run"),
        "projects/b/b.ipynb": NotebookFailure(
            "projects/b/b.ipynb",
            "notebook failed",
            "projects/b/b.ipynb: failed",
            None,
            "saved outputs",
        ),
    }
