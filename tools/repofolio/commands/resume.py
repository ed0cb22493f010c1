"""``folio resume build`` and ``folio resume lint``: the only resume code that touches disk."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from repofolio.config import Config
from repofolio.diagnostics import Report
from repofolio.discover import load_portfolio
from repofolio.errors import FolioError
from repofolio.fsio import read_text, rel, write_if_changed
from repofolio.reporters import emit, summarize

FORMATS = ("pdf", "html", "md", "typ")
SUFFIX = {"pdf": ".pdf", "html": ".html", "md": ".md", "typ": ".typ"}


def read_posting(path: Path) -> str:
    """The posting's text; an unreadable or empty file is a one-line error."""
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{path}: {result.problem}")
    if not result.text.strip():
        raise FolioError(f"{path}: the job posting is empty")
    return result.text


def default_output(cfg: Config, *, cv: bool, fmt: str, job: Path | None) -> Path:
    name = "cv" if cv else ("resume-" + job.stem if job is not None else "resume")
    return cfg.root / cfg.resume.output_dir / (name + SUFFIX[fmt])


def run_build(
    cfg: Config,
    *,
    job: Path | None = None,
    max_projects: int | None = None,
    fmt: str = "pdf",
    output: Path | None = None,
    cv_mode: bool = False,
    explain: bool = False,
    check_only: bool = False,
    diff: bool = False,
) -> int:
    from repofolio.resume import render, select
    from repofolio.resume.model import Kind, require_cv

    unknown = [s for s in cfg.resume.sections if s not in render.SECTION_TITLES]
    if unknown:
        raise FolioError(
            f"{cfg.source or 'configuration'}: [tool.folio.resume] sections: "
            f"unknown '{unknown[0]}'; valid: {', '.join(render.SECTION_TITLES)}"
        )
    if cv_mode and job is not None:
        raise FolioError("--job tailors the one-page resume; the CV (--cv) shows everything")
    cv, loaded = require_cv(cfg)
    if cv.draft:
        click.echo(
            f"{loaded.path}: a draft (draft: true): the site leaves it out; fill it in and "
            "delete that line before you send this",
            err=True,
        )
    portfolio = load_portfolio(cfg)
    invalid = [
        p.slug for p in portfolio.projects if p.meta is None and p.slug not in cv.projects.exclude
    ]
    if invalid:
        click.echo(
            f"Skipped {len(invalid)} project(s) whose front matter is invalid "
            f"({', '.join(invalid)}): run `folio check`",
            err=True,
        )
    posting = read_posting(job) if job is not None else None
    # a name that resolves to nothing would print a dead link: one line at its cv.yaml line
    from repofolio.resume.refs import check_references

    refs = check_references(loaded.lines.data, loaded.line_of, portfolio, loaded.path)
    errors = [d for d in refs if d.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: run `folio resume lint`)" if len(errors) > 1 else ""
        raise FolioError(f"{errors[0].format()}{more}")
    for d in refs:  # RS008: a draft named by the CV is left out, and said so
        click.echo(d.format(), err=True)
    kind: Kind = "cv" if cv_mode else "resume"
    doc = render.compose(
        cv, portfolio, cfg, kind=kind, posting=posting, max_projects=max_projects, loaded=loaded
    )
    for d in doc.warnings:  # RS010: a file link with no absolute URL, left out
        click.echo(d.format(), err=True)
    if explain:
        norm = select.normalize(posting) if posting is not None else None
        name = str(job) if job is not None else "no posting (owner's order)"
        click.echo(select.explain_table(doc.scores, doc.chosen, name), nl=False)
        if norm is None:
            click.echo("(no --job: pinned first, then highlight, then newest)")
    new: str | bytes
    pages = 0
    if fmt == "pdf":
        pdf = render.build_pdf(
            cv, portfolio, cfg, kind=kind, posting=posting, max_projects=max_projects, loaded=loaded
        )
        new, pages = pdf.data, pdf.pages
    elif fmt == "typ":
        new = render.render_typst(doc, cfg)
    elif fmt == "html":
        new = render.render_html(doc, cfg)
    else:
        pdf_href = ("cv" if cv_mode else "resume") + ".pdf"
        new = render.render_markdown(doc, cfg, pdf_href=pdf_href)
    if output is not None and str(output) == "-":
        if isinstance(new, bytes):
            sys.stdout.buffer.write(new)
        else:
            click.echo(new, nl=False)
        return 0
    target = output if output is not None else default_output(cfg, cv=cv_mode, fmt=fmt, job=job)
    target = target if target.is_absolute() else Path.cwd() / target
    shown = rel(target, cfg.root)
    old: str | bytes | None = None
    if target.is_file():
        old = target.read_bytes() if isinstance(new, bytes) else target.read_text("utf-8")
    if old == new:
        click.echo(f"{shown} is up to date", err=True)
        return 0
    if diff and isinstance(new, str) and not isinstance(old, bytes):
        lines = difflib.unified_diff(
            (old or "").splitlines(keepends=True), new.splitlines(keepends=True), shown, shown
        )
        sys.stdout.writelines(lines)
    if check_only:
        click.echo(f"would write {shown}", err=True)
        return 1
    write_if_changed(target, new, old)
    what = "CV" if cv_mode else "resume"
    size = f" ({pages} page{'s' if pages != 1 else ''})" if pages else ""
    click.echo(
        f"Wrote the {what} to {shown}{size}: "
        f"{len(doc.chosen)} project(s): {', '.join(doc.chosen) or '-'}",
        err=True,
    )
    return 0


def run_lint(cfg: Config, *, fmt: str = "text", quiet: bool = False) -> int:
    from repofolio.resume.lint import lint_cv
    from repofolio.resume.model import load_cv

    loaded = load_cv(cfg)
    portfolio = load_portfolio(cfg)
    report = Report(lint_cv(loaded, portfolio, cfg))
    emit(report, fmt, summary=summarize(report, loaded.path), quiet=quiet)
    return report.exit_code
