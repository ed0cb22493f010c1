"""Required sections, their order, and quantified results."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from repofolio.checks.content import PLACEHOLDER_BYTES, is_placeholder, may_have_placeholder
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.markdown import Section, normalize_title
from repofolio.model import Portfolio, Project

NUMBER = re.compile(rb"\d")


def check(portfolio: Portfolio, config: Config) -> Iterator[Diagnostic]:
    for project in portfolio.projects:
        if project.doc is None:
            continue
        front = project.front
        if front is None or not front.present or front.data is not None:
            # front matter that does not parse (FM003) says no kind: checking the default
            # kind's sections piled four wrong SC001 under the one real error
            yield from _required(project, config)
        yield from _results(project)  # placeholders (SC004): checks/content.py


def _required(project: Project, config: Config) -> Iterator[Diagnostic]:
    doc = project.doc
    assert doc is not None
    path = project.readme_rel
    required = project.required_sections(config)
    why = _why(project)
    found: list[tuple[int, str]] = []  # (position in headings, required title)
    if not doc.sections and required:
        wanted = ", ".join(f"'## {t}'" for t in required)
        yield Diagnostic(
            path, _end_line(project), 1, "SC001", f"no sections: expected {wanted} ({why})"
        )
        return
    position = {id(sec): i for i, sec in enumerate(doc.sections)}
    for title in required:
        section = doc.section(title)
        if section is None:
            line, col, hint = _end_line(project), 1, ""
            near = _misspelled(doc.sections, title, required)
            if near is not None:  # point at it: '## Aproach' is no Approach, but close
                h = near.heading
                line, col, hint = h.line, h.col, f"; '{'#' * h.level} {h.text}' here: a typo?"
            yield Diagnostic(
                path, line, col, "SC001", f"missing required section '## {title}' ({why}{hint})"
            )
            continue
        found.append((position[id(section)], title))
        if section.is_empty():
            h = section.heading
            yield Diagnostic(path, h.line, h.col, "SC005", f"section '{h.text}' is empty")
    in_order = [title for _, title in sorted(found)]
    expected = [title for _, title in found]
    if in_order != expected:
        for got, want in zip(in_order, expected, strict=True):
            if got != want:
                section = doc.section(got)
                assert section is not None
                yield Diagnostic(
                    path,
                    section.heading.line,
                    section.heading.col,
                    "SC002",
                    f"section '{got}' is out of order: expected "
                    + " > ".join(f"'{t}'" for t in expected)
                    + f" ({why})",
                )
                break


def _why(project: Project) -> str:
    """Where the required sections came from, for the message: the kind or the write-up."""
    if project.meta is not None and project.meta.sections is not None:
        return "sections: of this write-up"
    return f"kind: {project.kind}"


def _misspelled(sections: Sequence[Section], title: str, required: Sequence[str]) -> Section | None:
    """The heading, of those no required section claims, that reads almost like ``title``."""
    import difflib  # only when a section is missing

    claimed = {normalize_title(t) for t in required}
    free: dict[str, Section] = {}
    for sec in sections:  # the first of headings that read the same
        free.setdefault(normalize_title(sec.heading.text), sec)
    for name in claimed:
        free.pop(name, None)
    close = difflib.get_close_matches(normalize_title(title), list(free), n=1, cutoff=0.8)
    return free[close[0]] if close else None


def _end_line(project: Project) -> int:
    text = project.text or ""
    return text.count("\n") + (0 if text.endswith("\n") else 1) or 1


def _results(project: Project) -> Iterator[Diagnostic]:
    doc, meta, fm = project.doc, project.meta, project.front
    assert doc is not None
    section = doc.section("Results")
    listed = meta.results if meta else []
    if listed and any(NUMBER.search(r.encode()) or is_placeholder(r) for r in listed):
        return
    prose = section.prose if section is not None else b""
    if section is not None and (
        NUMBER.search(prose) or (may_have_placeholder(prose) and PLACEHOLDER_BYTES.search(prose))
    ):
        return  # numbers, or a placeholder that SC004 reports already
    if section is not None:
        h = section.heading
        yield Diagnostic(
            project.readme_rel,
            h.line,
            h.col,
            "SC003",
            "results are not quantified: give at least one number (a metric, a rank, a speed-up)",
        )
    elif listed and fm is not None:
        yield Diagnostic(
            project.readme_rel,
            fm.line_of("results"),
            1,
            "SC003",
            "results are not quantified: give at least one number",
        )
