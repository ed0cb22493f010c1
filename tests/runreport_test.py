"""runreport: reading the run report (cheap, never failing) and merging into it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from repofolio.config import load_config
from repofolio.runreport import read_statuses, write_report


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
    assert read_statuses(cfg) == {"a": "passing", "d": "not-runnable"}
    custom = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, report="out/r.json"))
    assert read_statuses(custom) == {}
    write_report(custom, {"e": {"status": "failing"}}, python="x")
    assert (repo / "out/r.json").is_file()
    assert read_statuses(custom) == {"e": "failing"}
