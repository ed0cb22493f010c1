"""``folio journal add`` and ``folio journal stats``.

An entry is ``<journal dir>/YYYY-MM-DD.md`` in mkdocs-material's blog post format: front
matter (``date``, ``categories``, optional ``hours``), a ``# Title``, then paragraphs. ``add``
creates the day's entry or appends a paragraph to it; the text building is pure and tested
without a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from repofolio import frontmatter
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.errors import FolioError
from repofolio.fsio import is_inside, read_text, rel, write_if_changed
from repofolio.journal import Stats, default_title, entry_text, stats
from repofolio.render.regions import newline_of


def parse_day(value: str | None, today: dt.date) -> dt.date:
    """``YYYY-MM-DD``, ``today`` or ``yesterday``; anything else is a usage error."""
    if value is None or value.strip().lower() == "today":
        return today
    if value.strip().lower() == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FolioError(
            f"--date '{value}' is not a date: use YYYY-MM-DD, 'today' or 'yesterday'"
        ) from None


def check_tags(tags: Sequence[str], cfg: Config) -> list[str]:
    known = cfg.journal.tags
    out: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if tag not in known:
            raise FolioError(
                f"--tag '{tag}' is not a journal tag; valid tags: {', '.join(known)} "
                "(add it to [tool.folio.journal] tags)"
            )
        if tag not in out:
            out.append(tag)
    return out


def check_hours(hours: float | None) -> float | None:
    if hours is not None and not 0 <= hours <= 24:
        raise FolioError(f"--hours {hours:g} is not between 0 and 24")
    return hours


def _number(value: float) -> str:
    return f"{value:g}"


def new_entry(
    day: dt.date,
    text: str,
    *,
    tags: Sequence[str] = (),
    hours: float | None = None,
    title: str | None = None,
) -> str:
    """A new day's entry: front matter, ``# Title``, and the paragraph (if any)."""
    lines = ["---", f"date: {day.isoformat()}"]
    if tags:
        lines.append("categories:")
        lines.extend(f"  - {tag}" for tag in tags)
    if hours is not None:
        lines.append(f"hours: {_number(hours)}")
    lines += ["---", "", f"# {title or default_title(day)}", ""]
    paragraph = _paragraph(text)
    if paragraph:
        lines += [paragraph, ""]
    return "\n".join(lines)


def _paragraph(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def update_front(
    old: str, path: str, *, tags: Sequence[str] = (), hours: float | None = None
) -> str:
    """Add ``tags`` to the categories and ``hours`` to the hours; the body is kept byte for byte.

    The front matter is re-emitted only when something changes (comments in it are lost then).
    """
    fm = frontmatter.parse(old)
    if not fm.present or fm.data is None or fm.findings:
        line = fm.findings[0].line if fm.findings else 1
        raise FolioError(f"{path}:{line}: the front matter cannot be read; fix it, then retry")
    data: dict[str, Any] = dict(fm.data)
    key = "categories" if "categories" in data or "tags" not in data else "tags"
    current = data.get(key) or []
    if not isinstance(current, list):
        raise FolioError(f"{path}:{fm.line_of(key)}: '{key}' is not a list; fix it, then retry")
    added = [t for t in tags if t not in current]
    if not added and hours is None:
        return old
    if added:
        data[key] = [*current, *added]
    if hours is not None:
        before = data.get("hours")
        base = before if isinstance(before, (int, float)) and not isinstance(before, bool) else 0
        total = round(base + hours, 2)
        data["hours"] = int(total) if total.is_integer() else total  # `hours: 1`, as typed
    import yaml

    nl = newline_of(old)
    dumped = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, indent=2, width=1000
    )
    head = "---\n" + dumped.replace("\n-", "\n  -") + "---\n"
    return head.replace("\n", nl) + fm.body


def append_paragraph(old: str, text: str) -> str:
    """``old`` unchanged, then a blank line and the paragraph, in the file's line endings."""
    nl = newline_of(old)
    paragraph = _paragraph(text)
    if not paragraph:
        return old
    sep = "" if old.endswith("\n") or not old else nl
    return old + sep + nl + paragraph.replace("\n", nl) + nl


def has_text(entry_markdown: str) -> bool:
    """True when there is something beyond the front matter and the title."""
    from repofolio.model import JournalEntry

    fm = frontmatter.parse(entry_markdown)
    entry = JournalEntry(Path("x.md"), "x.md", None, fm, entry_markdown, fm.data or {})
    return bool(entry_text(entry))


def entry_path(cfg: Config, day: dt.date) -> Path:
    return cfg.root / cfg.journal.dir / f"{day.isoformat()}.md"


def add(
    cfg: Config,
    text: str | None,
    *,
    date: str | None = None,
    tags: Sequence[str] = (),
    hours: float | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> int:
    day = parse_day(date, today or dt.date.today())
    tags = check_tags(tags, cfg)
    hours = check_hours(hours)
    path = entry_path(cfg, day)
    shown = rel(path, cfg.root)
    if not is_inside(path, cfg.root.resolve()):
        raise FolioError(f"{shown}: is outside the repository (a symlink?); not written")
    exists = path.exists() or path.is_symlink()
    has_bom = False
    if exists:
        result = read_text(path)
        if result.text is None:
            raise FolioError(f"{shown}: {result.problem}")
        old, has_bom = result.text, result.has_bom
        base = update_front(old, shown, tags=tags, hours=hours)
    else:
        old = None
        base = new_entry(day, "", tags=tags, hours=hours, title=title)
    if text is None:
        new = _edit(base)
        if new is None:
            click.echo("Editor closed without saving; nothing written.", err=True)
            return 1
        new = keep_private_names_out(cfg, new)
    else:
        text = keep_private_names_out(cfg, text)
        new = (
            append_paragraph(base, text)
            if exists
            else new_entry(day, text, tags=tags, hours=hours, title=title)
        )
    if not has_text(new):
        click.echo(f"{shown}: the entry has no text; nothing written.", err=True)
        return 1
    prefix = "\ufeff" if has_bom else ""
    write_if_changed(path, prefix + new, prefix + old if old is not None else None)
    click.echo(f"{'Updated' if exists else 'Created'} {shown}", err=True)
    return 0


def keep_private_names_out(cfg: Config, text: str) -> str:
    """``text`` with the private names of the job search replaced (the committed digests,
    the configured names, the pipeline's companies and contacts): the journal lives in the
    public repository, and its files are read on GitHub as they are."""
    from repofolio.journal import keep_private_names_out as keep_out
    from repofolio.journal import kept_out_message

    text, found = keep_out(text, cfg)
    if found:
        click.echo(kept_out_message(found), err=True)
    return text


def _edit(base: str) -> str | None:
    """Open ``$EDITOR`` (``$VISUAL``) on the entry; None when it was closed without saving."""
    nl = newline_of(base)
    # a blank line at the end: the new paragraph's place, for new and existing entries alike
    initial = base + ("" if base.endswith("\n") else nl) + nl
    edited = click.edit(initial.encode("utf-8"), extension=".md", require_save=True)
    if edited is None:
        return None
    assert isinstance(edited, bytes)
    try:
        text = edited.decode("utf-8")
    except UnicodeDecodeError:
        raise FolioError("the edited entry is not UTF-8 text; nothing written") from None
    return text.removeprefix("\ufeff")


# -- stats -----------------------------------------------------------------------------------


def format_text(s: Stats) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    lines = [f"Entries: {s.entries}" + (f" ({s.first} to {s.last})" if s.first else "")]
    lines.append(f"Current streak: {plural(s.current_streak, 'day')}")
    lines.append(f"Longest streak: {plural(s.longest_streak, 'day')}")
    lines.append(f"Hours: {_number(s.hours)}")
    if s.per_week:
        lines.append("Entries per week:")
        lines += [f"  {week}  {n}" for week, n in s.per_week.items()]
    if s.tags:
        width = max(len(t) for t in s.tags)
        lines.append("Tags:")
        for tag, n in s.tags.items():
            h = s.hours_per_tag.get(tag)
            lines.append(f"  {tag:<{width}}  {n}" + (f"  ({_number(h)} h)" if h else ""))
    return "\n".join(lines) + "\n"


def run_stats(cfg: Config, *, fmt: str = "text", as_of: str | None = None) -> int:
    from repofolio.discover import load_journal

    today = parse_day(as_of, dt.date.today())
    folder = cfg.root / cfg.journal.dir
    diags: list[Diagnostic] = []
    entries = load_journal(cfg, folder, diags) if folder.is_dir() else []
    s = stats(entries, cfg, today)
    if fmt == "json":
        click.echo(json.dumps(s.as_dict(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(format_text(s), nl=False)
    return 0
