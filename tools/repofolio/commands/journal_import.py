"""``folio journal import FILE [--year YEAR] [--dry-run] [--move]``.

Read the file, find its dated blocks (:mod:`repofolio.journal_import`), place each date
(asking ``git blame --porcelain`` for the day a line was committed only when a date has
neither a year nor a weekday and no ``--year`` was given), then plan every file: the
entries (created or merged) and, with ``--move``, the source with the journal region in
place of the imported lines. Only once every date is placed and every file planned is
anything written; ``--dry-run`` prints the plan as a diff instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from repofolio import frontmatter
from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.fsio import BOM, is_inside, read_text, rel, write_if_changed
from repofolio.journal_import import Block, Day, group_days, missing_paragraphs, parse, place
from repofolio.render.regions import newline_of

if TYPE_CHECKING:
    from repofolio.model import Portfolio

ZERO = "0" * 40
_HEADER = re.compile(r"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")


@dataclass
class Planned:
    path: Path
    shown: str
    old: str | None  # None: a new file
    new: str
    bom: bool = False
    day: dt.date | None = None
    added: int = 0  # paragraphs new to the journal


# -- the day a line was written ----------------------------------------------------------------


def commit_days(path: Path) -> dict[int, dt.date]:
    """1-based line -> the day (author's time zone) of the commit that added it.

    Lines not committed yet, and files outside git, have no day.
    """
    try:
        out = subprocess.run(
            ["git", "-C", os.fspath(path.parent), "blame", "--porcelain", "--", path.name],
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    return parse_blame(out.stdout.decode("utf-8", "surrogateescape"))


def parse_blame(porcelain: str) -> dict[int, dt.date]:
    times: dict[str, tuple[int, str]] = {}
    partial: dict[str, dict[str, str]] = {}
    lines: dict[int, str] = {}
    sha = ""
    for raw in porcelain.split("\n"):
        if raw.startswith("\t"):
            continue
        header = _HEADER.match(raw)
        if header:
            sha = header.group(1)
            lines[int(header.group(2))] = sha
            continue
        key, _, value = raw.partition(" ")
        if key in ("author-time", "author-tz") and sha:
            partial.setdefault(sha, {})[key] = value
    for commit, fields in partial.items():
        if "author-time" in fields:
            times[commit] = (int(fields["author-time"]), fields.get("author-tz", "+0000"))
    days: dict[int, dt.date] = {}
    for number, commit in lines.items():
        if commit == ZERO or commit not in times:
            continue
        stamp, tz = times[commit]
        sign = -1 if tz.startswith("-") else 1
        digits = tz.lstrip("+-").rjust(4, "0")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])) * sign
        when = dt.datetime.fromtimestamp(stamp, dt.timezone(offset))
        days[number] = when.date()
    return days


# -- the command -------------------------------------------------------------------------------


def run(
    cfg: Config,
    file: Path,
    *,
    year: int | None = None,
    dry_run: bool = False,
    move: bool = False,
    today: dt.date | None = None,
) -> int:
    from repofolio.commands.apply import require_portfolio

    require_portfolio(cfg)
    path = file if file.is_absolute() else Path.cwd() / file
    root = cfg.root.resolve()
    inside = is_inside(path, root)
    shown = rel(path.resolve(strict=False), root) if inside else os.fspath(file)
    if move and (not inside or (path.is_symlink() and not is_inside(path, root))):
        raise FolioError(f"{shown}: --move writes only files inside the repository; not moved")
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{shown}: {result.problem}")
    text = result.text
    parsed = parse(text)
    if not parsed.blocks:
        click.echo(
            f"{shown}: no dated paragraph found (a line that starts with a date: 'July 3rd, "
            "Monday:', '3 July 2023:', '2023-07-03:', '**Jul 3**', '## Monday, July 3', "
            "'- July 3: ...'); nothing written",
            err=True,
        )
        return 1
    _place_all(parsed.blocks, path, shown, year)
    for line in parsed.orphans:
        click.echo(
            f"{shown}:{line}: an undated paragraph between dated ones stays where it is "
            "(give it a date to import it)",
            err=True,
        )
    redacted = _keep_private_names_out(cfg, parsed.blocks)
    days = group_days(parsed.blocks, cfg.journal.tags)
    plans = [p for p in (_plan_day(cfg, day) for day in days) if p is not None]
    source_plan = (
        _plan_move(cfg, path, shown, text, result.has_bom, parsed.blocks, plans) if move else None
    )
    paragraphs = sum(len(d.paragraphs) for d in days)
    if redacted:
        from repofolio.journal import kept_out_message

        click.echo(kept_out_message(redacted), err=True)
    changes = [p for p in plans if p.old != p.new]
    if source_plan is not None and source_plan.old != source_plan.new:
        changes.append(source_plan)
    if dry_run:
        for plan in changes:
            click.echo(_diff(plan), nl=False)
        click.echo(_summary(plans, paragraphs, len(days), shown, would=True), err=True)
        return 0
    if not changes:
        click.echo(
            f"Nothing to import: the {paragraphs} paragraph{'s' if paragraphs != 1 else ''} "
            f"of {shown} are in the journal already.",
            err=True,
        )
        return 0
    for plan in changes:
        prefix = BOM if plan.bom else ""
        old = None if plan.old is None else prefix + plan.old
        write_if_changed(plan.path, prefix + plan.new, old)
    click.echo(_summary(plans, paragraphs, len(days), shown, would=False), err=True)
    if source_plan is not None and source_plan.old != source_plan.new:
        click.echo(
            f"Moved the imported lines out of {shown}: the journal region shows the latest "
            "entries there now",
            err=True,
        )
    return 0


def _place_all(blocks: Sequence[Block], path: Path, shown: str, year: int | None) -> None:
    days: dict[int, dt.date] | None = None

    def written_on(line: int) -> dt.date | None:
        nonlocal days
        if days is None:
            days = commit_days(path)
        return days.get(line)

    problems = []
    for block in blocks:
        placed = place(block.phrase, year=year, written=functools.partial(written_on, block.line))
        if isinstance(placed, str):
            problems.append(f"{shown}:{block.line}: {placed}")
        else:
            block.date = placed
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        n = len(problems)
        raise FolioError(
            f"{shown}: {n} dated line{'s' if n != 1 else ''} cannot be placed; nothing was written"
        )


def _keep_private_names_out(cfg: Config, blocks: Sequence[Block]) -> int:
    """Replace the private names in the imported text (the journal is in the public
    repository; the published site could redact them, the files on GitHub could not)."""
    from repofolio.journal import keep_private_names_out

    count = 0
    for block in blocks:
        for attr in ("text", "title"):
            value = getattr(block, attr)
            if value:
                new, found = keep_private_names_out(value, cfg)
                if found:
                    count += found
                    setattr(block, attr, new)
    return count


def _plan_day(cfg: Config, day: Day) -> Planned | None:
    from repofolio.commands.journal import append_paragraph, entry_path, new_entry, update_front

    path = entry_path(cfg, day.date)
    shown = rel(path, cfg.root)
    if not is_inside(path, cfg.root.resolve()):
        raise FolioError(f"{shown}: is outside the repository (a symlink?); nothing was written")
    if not path.exists() and not path.is_symlink():
        text = new_entry(day.date, "\n\n".join(day.paragraphs), tags=day.tags, title=day.title)
        return Planned(path, shown, None, text, day=day.date, added=len(day.paragraphs))
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{shown}: {result.problem}; nothing was written")
    old = result.text
    fm = frontmatter.parse(old)
    body = fm.body if fm.present else old
    missing = missing_paragraphs(body, day.paragraphs)
    if not missing:
        return Planned(path, shown, old, old, result.has_bom, day.date)
    have = fm.data.get("categories", fm.data.get("tags", [])) if fm.data else []
    tags = [t for t in day.tags if not isinstance(have, list) or t not in have]
    new = update_front(old, shown, tags=tags) if tags else old
    for paragraph in missing:
        new = append_paragraph(new, paragraph)
    return Planned(path, shown, old, new, result.has_bom, day.date, len(missing))


def _plan_move(
    cfg: Config,
    path: Path,
    shown: str,
    text: str,
    bom: bool,
    blocks: Sequence[Block],
    plans: Sequence[Planned],
) -> Planned:
    """The source with the imported lines replaced by the journal region, then regenerated."""
    from repofolio.render.regions import find_regions

    found = find_regions(text, shown)  # bad markers: an error before anything is written
    has_region = "journal" in found
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    nl = newline_of(text)
    runs: list[list[int]] = []  # [first line, end) 0-based, blocks and the blanks between
    for block in sorted(blocks, key=lambda b: b.line):
        start, end = block.line - 1, block.end - 1
        if runs and all(not lines[k].strip() for k in range(runs[-1][1], start)):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    pieces: list[str] = []
    cursor = 0
    for n, (start, end) in enumerate(runs):
        pieces.append("".join(lines[cursor:start]))
        if n == 0 and not has_region:
            region = f"<!-- folio:journal:start -->{nl}<!-- folio:journal:end -->{nl}"
            if end == len(lines) and not lines[-1].endswith("\n"):
                region = region[: -len(nl)]  # the file had no final newline: keep it so
            pieces.append(region)
        cursor = end
    pieces.append("".join(lines[cursor:]))
    new = "".join(pieces)
    if cfg.index.journal_entries > 0:
        from repofolio.render.readme_index import regenerate_readme

        new = regenerate_readme(new, _planned_portfolio(cfg, plans), cfg, shown, only=["journal"])
    return Planned(path, shown, text, new, bom)


def _planned_portfolio(cfg: Config, plans: Sequence[Planned]) -> Portfolio:
    """The portfolio as it will be once the entries are written (for the journal region)."""
    from repofolio.discover import load_portfolio
    from repofolio.model import JournalEntry

    portfolio = load_portfolio(cfg)
    by_rel = {e.rel: e for e in portfolio.journal}
    for plan in plans:
        fm = frontmatter.parse(plan.new)
        by_rel[plan.shown] = JournalEntry(
            plan.path, plan.shown, plan.day, fm, plan.new, fm.data or {}
        )
    portfolio.journal = list(by_rel.values())
    return portfolio


def _diff(plan: Planned) -> str:
    old = (plan.old or "").splitlines(keepends=True)
    lines = difflib.unified_diff(
        old,
        plan.new.splitlines(keepends=True),
        "/dev/null" if plan.old is None else f"a/{plan.shown}",
        f"b/{plan.shown}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summary(
    plans: Sequence[Planned], paragraphs: int, days: int, shown: str, *, would: bool
) -> str:
    created = sum(1 for p in plans if p.old is None)
    updated = sum(1 for p in plans if p.old is not None and p.old != p.new)
    same = sum(1 for p in plans if p.old is not None and p.old == p.new)
    verb = "Would import" if would else "Imported"
    tail = f", {same} already complete" if same else ""
    return (
        f"{verb} {paragraphs} paragraph{'s' if paragraphs != 1 else ''} of {shown} into "
        f"{days} day{'s' if days != 1 else ''}: {created} created, {updated} updated{tail}"
    )
