"""``folio apply``: the job-search pipeline, kept in a private store outside the repository.

Each command opens the store (refusing one inside the repository that git does not
ignore), changes or reads the pipeline, and reports. Names go to the terminal only: stdout
carries ids, tables or JSON; nothing here writes a name into the repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import click

from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.pipeline import model
from repofolio.pipeline.model import Application, Pipeline


def _day(value: str | None, today: dt.date, option: str = "--date") -> dt.date:
    from repofolio.commands.journal import parse_day

    try:
        return parse_day(value, today)
    except FolioError:
        raise FolioError(
            f"{option} '{value}' is not a date: use YYYY-MM-DD, 'today' or 'yesterday'"
        ) from None


def _maybe_day(value: str | None, today: dt.date, option: str) -> dt.date | None:
    return None if value is None else _day(value, today, option)


def require_portfolio(cfg: Config) -> None:
    """Refuse to run outside a portfolio: the store is per repository, and so is the journal.

    (A shared refusal for every command is on its way; this one keeps these commands from
    ever making a store for a folder that is no portfolio.)
    """
    if cfg.source is None:
        raise FolioError(
            f"{cfg.root}: not a portfolio (no folio.toml, and no [tool.folio] in "
            "pyproject.toml, here or above): run 'folio init' first; nothing was written"
        )


def store_of(cfg: Config) -> Path:
    """The store file, after refusing a place inside the repository git would publish."""
    from repofolio.pipeline.location import require_private, store_path

    require_portfolio(cfg)
    path = store_path(cfg)
    require_private(cfg, path)
    return path


def _read(cfg: Config, today: dt.date) -> Pipeline:
    """The pipeline as of ``today`` (silent applications ghosted in memory, not saved)."""
    from repofolio.pipeline.store import load

    pipeline = load(store_of(cfg))
    model.ghost(pipeline, today, cfg.pipeline.ghosted_after)
    return pipeline


def _after_write(cfg: Config, pipeline: Pipeline) -> None:
    from repofolio.pipeline.public import write_stats

    written = write_stats(cfg, pipeline)
    if written:
        click.echo(f"Updated {written} (weekly counts, no names)", err=True)


def _remember(cfg: Config, companies: Sequence[str], people: Sequence[str]) -> None:
    """The names join the committed digests: CI, which has no store, redacts from them."""
    from repofolio import privacy

    new = privacy.remember(cfg, companies, people)
    if new:
        click.echo(
            f"Updated {privacy.DIGESTS_FILE} ({new} new name{'s' if new != 1 else ''}, as salted "
            "digests): commit it, so that the published site hides them too",
            err=True,
        )


# -- add, move, note ---------------------------------------------------------------------------


def run_add(
    cfg: Config,
    company: str,
    *,
    role: str,
    url: str | None = None,
    date: str | None = None,
    contacts: Sequence[str] = (),
    source: str | None = None,
    next_date: str | None = None,
    posting: Path | None = None,
    stage: str = "applied",
    note: str | None = None,
    today: dt.date | None = None,
) -> int:
    from repofolio.commands.resume import read_posting
    from repofolio.pipeline.store import editing, shown

    today = today or dt.date.today()
    day = _day(date, today)
    next_day = _maybe_day(next_date, today, "--next")
    path = store_of(cfg)
    posting_text = read_posting(posting) if posting is not None else None
    with editing(path) as pipeline:
        app = model.add_application(
            pipeline,
            company,
            role,
            day=day,
            stage=model.check_stage(stage),
            url=url,
            source=source,
            contacts=contacts,
            next_day=next_day,
            note=note,
        )
        record = None
        if posting is not None and posting_text is not None:
            # built before the store is saved: a resume that cannot be built adds nothing
            record = tailor(cfg, app, posting, posting_text, path.parent, today=today)
        model.ghost(pipeline, today, cfg.pipeline.ghosted_after)
        # before the store is saved: a name the store has is never missing from the digests
        _remember(cfg, [app.company], list(app.contacts))
    _after_write(cfg, pipeline)
    click.echo(str(app.id))
    click.echo(
        f"Added application {app.id}: {app.role} at {app.company} ({app.history[0].stage} "
        f"{day.isoformat()}) to {shown(path)}",
        err=True,
    )
    if record is not None:
        click.echo(_resume_line(record), err=True)
    return 0


def run_move(
    cfg: Config,
    ident: str,
    stage: str,
    *,
    date: str | None = None,
    note: str | None = None,
    next_date: str | None = None,
    today: dt.date | None = None,
) -> int:
    from repofolio.pipeline.store import editing

    today = today or dt.date.today()
    day = _day(date, today)
    next_day = _maybe_day(next_date, today, "--next")
    with editing(store_of(cfg)) as pipeline:
        app = pipeline.application(ident)
        before = app.stage
        event = model.move(app, stage, day=day, note=note, next_day=next_day)
        model.ghost(pipeline, today, cfg.pipeline.ghosted_after)
    _after_write(cfg, pipeline)
    after = f"; next {next_day.isoformat()}" if next_day else ""
    click.echo(
        f"Application {app.id} ({app.company}): {before} -> {event.stage} "
        f"on {day.isoformat()}{after}",
        err=True,
    )
    return 0


def run_note(
    cfg: Config,
    ident: str,
    text: str,
    *,
    date: str | None = None,
    next_date: str | None = None,
    today: dt.date | None = None,
) -> int:
    from repofolio.pipeline.store import editing

    today = today or dt.date.today()
    day = _day(date, today)
    next_day = _maybe_day(next_date, today, "--next")
    with editing(store_of(cfg)) as pipeline:
        app = pipeline.application(ident)
        model.add_note(app, text, day=day, next_day=next_day)
        model.ghost(pipeline, today, cfg.pipeline.ghosted_after)
    _after_write(cfg, pipeline)
    click.echo(f"Application {app.id} ({app.company}): note on {day.isoformat()}", err=True)
    return 0


# -- show, list, due, stats --------------------------------------------------------------------


def _as_of(value: str | None, today: dt.date | None) -> dt.date:
    return _day(value, today or dt.date.today(), "--as-of")


def run_show(
    cfg: Config,
    ident: str,
    *,
    fmt: str = "text",
    as_of: str | None = None,
    today: dt.date | None = None,
) -> int:
    pipeline = _read(cfg, _as_of(as_of, today))
    app = pipeline.application(ident)
    if fmt == "json":
        data = {**app.summary(), **app.as_dict()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    click.echo(format_show(app), nl=False)
    return 0


def format_show(app: Application) -> str:
    lines = [f"Application {app.id}: {app.role} at {app.company}"]
    lines.append(f"Stage: {app.stage} (since {app.history[-1].date.isoformat()})")
    facts = []
    if app.applied:
        facts.append(f"applied {app.applied.isoformat()}")
    if app.source:
        facts.append(f"source: {app.source}")
    if app.url:
        facts.append(app.url)
    if facts:
        lines.append("  " + " · ".join(facts))
    if app.contacts:
        lines.append(f"Contacts: {', '.join(app.contacts)}")
    if app.next:
        lines.append(f"Next: {app.next.isoformat()}")
    lines.append("History:")
    width = max(len(e.stage) for e in app.history)
    for event in app.history:
        what = event.stage if event.kind == "move" else "(note)"
        note = f"  {event.note}" if event.note else ""
        auto = "  [folio]" if event.auto else ""
        lines.append(f"  {event.date.isoformat()}  {what:<{max(width, 6)}}{note}{auto}".rstrip())
    if app.resumes:
        lines.append("Resumes:")
        for r in app.resumes:
            projects = ", ".join(f"{slug} ({score:g})" for slug, score in r.projects) or "-"
            lines.append(f"  {r.date.isoformat()}  {r.file}")
            lines.append(f"    sha256 {r.sha256}  score {r.score:g}  projects: {projects}")
            if r.posting:
                lines.append(f"    posting {r.posting} (sha256 {r.posting_sha256})")
    return "\n".join(lines) + "\n"


def _table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n" for r in rows
    )


def run_list(
    cfg: Config,
    *,
    stage: str | None = None,
    fmt: str = "text",
    as_of: str | None = None,
    today: dt.date | None = None,
) -> int:
    pipeline = _read(cfg, _as_of(as_of, today))
    apps = pipeline.applications
    if stage is not None:
        wanted = model.check_stage(stage)
        apps = [a for a in apps if a.stage == wanted]
    if fmt == "json":
        click.echo(json.dumps([a.summary() for a in apps], indent=2, ensure_ascii=False))
        return 0
    if not apps:
        click.echo("No applications" + (f" in stage {stage}" if stage else "") + ".", err=True)
        return 0
    rows = [["id", "stage", "since", "company", "role", "applied", "next"]]
    for a in apps:
        rows.append(
            [
                str(a.id),
                a.stage,
                a.history[-1].date.isoformat(),
                a.company,
                a.role,
                a.applied.isoformat() if a.applied else "-",
                a.next.isoformat() if a.next else "-",
            ]
        )
    click.echo(_table(rows), nl=False)
    return 0


def run_due(
    cfg: Config, *, date: str | None = None, fmt: str = "text", today: dt.date | None = None
) -> int:
    day = _day(date, today or dt.date.today())
    pipeline = _read(cfg, day)
    found = model.due(pipeline, day, cfg.pipeline.follow_up_days)
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
    elif found:
        rows = [
            [
                f"{'contact ' if d.what == 'contact' else ''}{d.id}",
                d.kind,
                d.name,
                d.role or "-",
                d.message,
            ]
            for d in found
        ]
        click.echo(_table(rows), nl=False)
    if not found:
        click.echo(f"Nothing due on {day.isoformat()}.", err=True)
        return 0
    click.echo(f"{len(found)} follow-up{'s' if len(found) != 1 else ''} due", err=True)
    return 1


def run_stats(
    cfg: Config, *, fmt: str = "text", as_of: str | None = None, today: dt.date | None = None
) -> int:
    pipeline = _read(cfg, _as_of(as_of, today))
    s = model.stats(pipeline)
    if fmt == "json":
        click.echo(json.dumps(s.as_dict(), indent=2))
    else:
        click.echo(format_stats(s), nl=False)
    from repofolio.pipeline.public import write_stats

    written = write_stats(cfg, pipeline)
    if written:
        click.echo(f"Updated {written} (weekly counts, no names)", err=True)
    return 0


def format_stats(s: model.Stats) -> str:
    lines = [f"Applications: {s.total} ({s.applied} sent)"]
    width = max(len(stage) for stage in s.stages)
    lines += [f"  {stage:<{width}}  {n}" for stage, n in s.stages.items() if n]
    if s.response_rate is None:
        lines.append("Response rate: - (nothing sent yet)")
    else:
        lines.append(f"Response rate: {s.response_rate:.0%} ({s.answered} of {s.applied} answered)")
    median = s.median_days_to_first_answer
    lines.append("Median days to a first answer: " + (f"{median:g}" if median is not None else "-"))
    return "\n".join(lines) + "\n"


# -- contacts ----------------------------------------------------------------------------------


def run_contact_add(
    cfg: Config,
    name: str,
    *,
    company: str | None = None,
    role: str | None = None,
    email: str | None = None,
    url: str | None = None,
    note: str | None = None,
    next_date: str | None = None,
    today: dt.date | None = None,
) -> int:
    from repofolio.pipeline.store import editing

    today = today or dt.date.today()
    next_day = _maybe_day(next_date, today, "--next")
    with editing(store_of(cfg)) as pipeline:
        contact = model.add_contact(
            pipeline,
            name,
            day=today,
            company=company,
            role=role,
            email=email,
            url=url,
            note=note,
            next_day=next_day,
        )
        _remember(cfg, [contact.company] if contact.company else [], [contact.name])
    click.echo(str(contact.id))
    click.echo(f"Added contact {contact.id}: {contact.name}", err=True)
    return 0


def run_contact_list(cfg: Config, *, fmt: str = "text") -> int:
    from repofolio.pipeline.store import load

    pipeline = load(store_of(cfg))
    if fmt == "json":
        click.echo(
            json.dumps([c.as_dict() for c in pipeline.contacts], indent=2, ensure_ascii=False)
        )
        return 0
    if not pipeline.contacts:
        click.echo("No contacts yet: folio apply contact add NAME --company C", err=True)
        return 0
    rows = [["id", "name", "company", "role", "next", "note"]]
    for c in pipeline.contacts:
        rows.append(
            [
                str(c.id),
                c.name,
                c.company or "-",
                c.role or "-",
                c.next.isoformat() if c.next else "-",
                c.note or "",
            ]
        )
    click.echo(_table(rows), nl=False)
    return 0


def run_where(cfg: Config) -> int:
    path = store_of(cfg)
    click.echo(str(path))
    state = "exists" if path.is_file() else "not created yet: the first 'folio apply add' makes it"
    click.echo(f"The pipeline store ({state}).", err=True)
    return 0


# -- tailored resumes --------------------------------------------------------------------------


def tailor(
    cfg: Config,
    app: Application,
    posting_path: Path,
    posting: str,
    folder: Path,
    *,
    today: dt.date,
    fmt: str = "pdf",
    max_projects: int | None = None,
    output: Path | None = None,
) -> model.ResumeRecord:
    """Build the resume tailored to ``posting`` and record it on the application.

    The resume and a copy of the posting go to the store's folder (private: a file name
    like resume-initech.pdf in the repository would name the company), unless ``output``.
    """
    from repofolio.discover import load_portfolio
    from repofolio.fsio import write_if_changed
    from repofolio.resume import render
    from repofolio.resume.model import require_cv

    cv, loaded = require_cv(cfg)
    portfolio = load_portfolio(cfg)
    data: bytes
    if fmt == "pdf":
        pdf = render.build_pdf(
            cv,
            portfolio,
            cfg,
            kind="resume",
            posting=posting,
            max_projects=max_projects,
            loaded=loaded,
        )
        data, doc = pdf.data, pdf.doc
    else:
        doc = render.compose(
            cv,
            portfolio,
            cfg,
            kind="resume",
            posting=posting,
            max_projects=max_projects,
            loaded=loaded,
        )
        text = {"html": render.render_html, "typ": render.render_typst}.get(fmt)
        data = (text(doc, cfg) if text else render.render_markdown(doc, cfg)).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    posting_digest = hashlib.sha256(posting.encode("utf-8")).hexdigest()
    target = output or folder / "resumes" / f"{app.id}-{digest[:12]}.{fmt}"
    write_if_changed(target, data, target.read_bytes() if target.is_file() else None)
    copy = folder / "postings" / f"{app.id}-{posting_digest[:12]}{posting_path.suffix or '.txt'}"
    write_if_changed(copy, posting, copy.read_text("utf-8") if copy.is_file() else None)
    scores = {s.slug: s.total for s in doc.scores}
    chosen = [(slug, scores.get(slug, 0.0)) for slug in doc.chosen]
    record = model.ResumeRecord(
        date=today,
        file=str(target),
        sha256=digest,
        format=fmt,
        projects=chosen,
        score=round(sum(score for _, score in chosen), 2),
        posting=str(copy),
        posting_sha256=posting_digest,
    )
    app.resumes.append(record)
    return record


def _resume_line(record: model.ResumeRecord) -> str:
    projects = ", ".join(f"{slug} ({score:g})" for slug, score in record.projects) or "none"
    return (
        f"Tailored resume {record.file} (sha256 {record.sha256[:12]}, score {record.score:g}): "
        f"{projects}"
    )


def resume_for(
    cfg: Config,
    ident: str,
    job: Path,
    *,
    fmt: str = "pdf",
    max_projects: int | None = None,
    output: Path | None = None,
    today: dt.date | None = None,
) -> int:
    """``folio resume build --job FILE --for ID``: build, record on the application."""
    from repofolio.commands.resume import read_posting
    from repofolio.pipeline.store import editing

    today = today or dt.date.today()
    posting = read_posting(job)
    path = store_of(cfg)
    with editing(path) as pipeline:
        app = pipeline.application(ident)
        record = tailor(
            cfg,
            app,
            job,
            posting,
            path.parent,
            today=today,
            fmt=fmt,
            max_projects=max_projects,
            output=output,
        )
    click.echo(_resume_line(record) + f"; recorded on application {app.id}", err=True)
    return 0
