"""Print a Report as text, JSON or GitHub Actions annotations; chatter goes to stderr."""

from __future__ import annotations

import sys
from typing import TextIO

from repofolio.diagnostics import Diagnostic, Report

FORMATS = ("text", "json", "github")


def _github_escape(value: str, *, prop: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(d: Diagnostic) -> str:
    level = "error" if d.severity == "error" else "warning"
    props = [f"file={_github_escape(d.path, prop=True)}"]
    if d.line:
        props.append(f"line={d.line}")
        props.append(f"col={d.col or 1}")
    props.append(f"title={_github_escape(d.code, prop=True)}")
    return f"::{level} {','.join(props)}::{_github_escape(d.message)}"


def emit(
    report: Report,
    fmt: str,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    summary: str | None = None,
    quiet: bool = False,
) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    items = report.sorted()
    if fmt == "json":
        import json

        out.write(json.dumps([d.as_dict() for d in items], indent=2, ensure_ascii=False) + "\n")
        return
    # one write: with PYTHONUNBUFFERED (set by many CI images) or on a terminal, a write a
    # line cost a system call a finding (1,000 on 1,000 projects)
    out.write("".join((format_github(d) if fmt == "github" else d.format()) + "\n" for d in items))
    if quiet:
        return
    if summary is None:
        summary = summarize(report)
    if summary:
        err.write(summary + "\n")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summarize(report: Report, checked: str | None = None) -> str:
    parts = []
    if report.errors:
        parts.append(_plural(report.errors, "error"))
    if report.warnings:
        parts.append(_plural(report.warnings, "warning"))
    head = f"Checked {checked}: " if checked else ""
    return head + (", ".join(parts) if parts else "all good") + "."
