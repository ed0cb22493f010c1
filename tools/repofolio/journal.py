"""The daily journal as data: privacy filter, streaks, statistics and the activity heatmap.

Everything here is pure (no disk, no clock unless ``today`` is left out), so the README index,
the site plugin and ``folio journal stats`` share one definition of each number. Nothing here
imports Jinja2 or mkdocs: ``folio check`` loads this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from repofolio.errors import FolioError

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import JournalEntry
    from repofolio.privacy import Matcher

PRIVATE_OPEN = re.compile(r"<!--\s*private\s*-->", re.IGNORECASE)
PRIVATE_CLOSE = re.compile(r"<!--\s*/\s*private\s*-->", re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


# -- privacy ---------------------------------------------------------------------------------


def drop_private_blocks(markdown: str) -> str:
    """Remove every ``<!-- private -->`` ... ``<!-- /private -->`` block, markers included.

    An unclosed block hides everything after it: when in doubt, publish less.
    """
    out: list[str] = []
    cursor = 0
    while True:
        start = PRIVATE_OPEN.search(markdown, cursor)
        if start is None:
            out.append(markdown[cursor:])
            break
        out.append(markdown[cursor : start.start()])
        end = PRIVATE_CLOSE.search(markdown, start.end())
        if end is None:
            break
        cursor = end.end()
    text = "".join(out)
    # a stray closing marker is noise on the page; it hides nothing
    return PRIVATE_CLOSE.sub("", text)


@dataclass(frozen=True)
class PrivateNames:
    """Names in plain text, by kind: companies (and other names) and people.

    A company becomes ``replacement`` ("a company"), a person ``person_replacement``
    ("a contact"): "Jane from Initech" reads "a contact from a company".
    """

    companies: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    replacement: str = "a company"
    person_replacement: str = "a contact"

    def __bool__(self) -> bool:
        return bool(self.companies or self.people)


def private_matcher(cfg: Config, *, store: bool = True) -> Matcher:
    """Every private name of the portfolio: :func:`repofolio.privacy.portfolio_matcher`."""
    from repofolio import privacy

    return privacy.portfolio_matcher(cfg, store=store)


def _matcher_of(
    names: Sequence[str] | PrivateNames | Matcher, replacement: str
) -> tuple[Matcher, str, str]:
    from repofolio import privacy

    if isinstance(names, privacy.Matcher):
        return names, replacement, "a contact"
    if not isinstance(names, PrivateNames):
        names = PrivateNames(tuple(names), (), replacement)
    matcher = privacy.matcher(None, names.companies, names.people)
    return matcher, names.replacement, names.person_replacement


def redact_names(
    text: str,
    names: Sequence[str] | PrivateNames,
    replacement: str = "a company",
) -> str:
    """Replace each private name (whole words, any case) by the neutral word of its kind.

    ``names`` is a :class:`PrivateNames`, or a plain list of names that all become
    ``replacement``. The matching is :mod:`repofolio.privacy`'s, as on published pages.
    """
    matcher, company, person = _matcher_of(names, replacement)
    return matcher.redact(text, company, person)


def find_names(text: str, names: PrivateNames | Matcher) -> list[str]:
    """The private names in ``text``, as written, in order."""
    matcher, _, _ = _matcher_of(names, "a company")
    return [text[s.start : s.end] for s in matcher.spans(text)]


def publishable(markdown: str, cfg: Config) -> str:
    """The Markdown as it may be published: private blocks dropped, private names replaced.

    Called on every page of the site, on the README regions and on the feed. The names are
    those of :func:`private_matcher`: the committed digests, the configured ones and every
    company and contact of the job-search pipeline. A text found clean for the same names
    before is not scanned again (``redaction-cache``, :class:`repofolio.privacy.CleanTexts`).
    """
    journal = cfg.journal
    text = drop_private_blocks(markdown)
    matcher = private_matcher(cfg)
    if not matcher:
        return text
    clean = None
    if journal.redaction_cache:
        from repofolio.privacy import CleanTexts, clean_texts

        clean = clean_texts(cfg.root / cfg.site.cache_dir, matcher)
        key = CleanTexts.key(text)
        if key in clean:
            return text
    out = matcher.redact(text, journal.replacement, journal.person_replacement)
    if clean is not None and out == text:
        clean.add(key)
    return out


def prepare_redaction(cfg: Config) -> None:
    """Read now what :func:`publishable` reads (the names, the texts found clean before), so
    that the site's pages, made after, open no file. The build saves the clean texts at the
    end (:func:`repofolio.privacy.save_clean_texts`)."""
    matcher = private_matcher(cfg)
    if matcher and cfg.journal.redaction_cache:
        from repofolio.privacy import clean_texts

        clean_texts(cfg.root / cfg.site.cache_dir, matcher)


def keep_private_names_out(text: str, cfg: Config) -> tuple[str, int]:
    """``text`` with every private name replaced, and how many there were: for the journal
    files folio writes, which are in the public repository as they are (``folio check``
    reports a name in them, JR011)."""
    matcher = private_matcher(cfg)
    found = len(matcher.spans(text))
    if not found:
        return text, 0
    journal = cfg.journal
    return matcher.redact(text, journal.replacement, journal.person_replacement), found


def kept_out_message(count: int) -> str:
    return (
        f"Kept {count} name{'s' if count != 1 else ''} of your job search out of the journal "
        "(written as 'a company' / 'a contact'; the journal is public)"
    )


def has_unclosed_private(markdown: str) -> int:
    """1-based line of a ``<!-- private -->`` with no closing marker after it, else 0."""
    cursor = 0
    while True:
        start = PRIVATE_OPEN.search(markdown, cursor)
        if start is None:
            return 0
        end = PRIVATE_CLOSE.search(markdown, start.end())
        if end is None:
            return markdown.count("\n", 0, start.start()) + 1
        cursor = end.end()


# -- entries ---------------------------------------------------------------------------------


def entry_day(entry: JournalEntry) -> dt.date | None:
    """The day of an entry: its front matter date, else the date in its file name."""
    return entry.date or entry.day


def default_title(day: dt.date) -> str:
    """The title ``folio journal add`` gives an entry without one: 'Monday 7 December 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def entry_title(entry: JournalEntry) -> str:
    title = entry.data.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    match = HEADING.search(drop_private_blocks(entry.body))
    if match:
        return match.group(1).strip()
    day = entry_day(entry)
    return day.isoformat() if day else entry.path.stem


def entry_text(entry: JournalEntry) -> str:
    """The body without its title heading and HTML comments: what a reader would read."""
    body = HEADING.sub("", entry.body, count=1)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    return body.strip()


def excerpt(entry: JournalEntry, cfg: Config, max_chars: int = 160) -> str:
    """The first paragraph, published form, on one line and cut at a word."""
    text = entry_text_published(entry, cfg)
    paragraph = next((p for p in re.split(r"\n\s*\n", text) if _is_prose(p)), "")
    # links become their text: a relative link would not resolve from the README
    paragraph = _IMAGE.sub("", paragraph)
    paragraph = _LINK.sub(r"\1", paragraph)
    line = " ".join(paragraph.split())
    if len(line) <= max_chars:
        return line
    cut = line[: max_chars + 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _is_prose(paragraph: str) -> bool:
    """A paragraph a reader would quote: not a heading, fence, table, image or HTML block."""
    head = paragraph.lstrip()
    return bool(head) and not head.startswith(("#", "```", "~~~", "|", "<", "![", "---"))


def entry_text_published(entry: JournalEntry, cfg: Config) -> str:
    body = publishable(entry.body, cfg)
    body = HEADING.sub("", body, count=1)
    return re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL).strip()


def dated(entries: Iterable[JournalEntry]) -> list[tuple[dt.date, JournalEntry]]:
    pairs = [(d, e) for e in entries if (d := entry_day(e)) is not None]
    return sorted(pairs, key=lambda pair: (pair[0], pair[1].rel))


def latest(entries: Iterable[JournalEntry], n: int) -> list[JournalEntry]:
    """The ``n`` newest entries, newest first (ties broken by path, for stable output)."""
    pairs = dated(entries)
    pairs.sort(key=lambda pair: (pair[0], pair[1].rel), reverse=True)
    return [e for _, e in pairs[:n]]


# -- streaks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestDays:
    weekdays: frozenset[int] = frozenset()
    dates: frozenset[dt.date] = frozenset()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and (day.weekday() in self.weekdays or day in self.dates)


def rest_days(cfg: Config) -> RestDays:
    """``rest-days``: weekday names (``sunday``) or single days (``2026-12-25``)."""
    weekdays: set[int] = set()
    dates: set[dt.date] = set()
    for value in cfg.journal.rest_days:
        word = value.strip().lower()
        if word in WEEKDAYS:
            weekdays.add(WEEKDAYS.index(word))
            continue
        try:
            dates.add(dt.date.fromisoformat(word))
        except ValueError:
            raise FolioError(
                f"[tool.folio.journal] rest-days: '{value}' is neither a weekday name "
                f"({', '.join(WEEKDAYS)}) nor a date YYYY-MM-DD"
            ) from None
    return RestDays(frozenset(weekdays), frozenset(dates))


@dataclass(frozen=True)
class Streaks:
    """Consecutive days with an entry; a rest day without one neither counts nor breaks."""

    current: int
    longest: int
    longest_start: dt.date | None = None
    longest_end: dt.date | None = None


def streaks(entries: Iterable[JournalEntry], cfg: Config, today: dt.date | None = None) -> Streaks:
    """Current streak (still alive if today has no entry yet) and the longest one."""
    days = {d for d, _ in dated(entries)}
    rest = rest_days(cfg)
    today = today or dt.date.today()
    if not days:
        return Streaks(0, 0)
    one = dt.timedelta(days=1)

    current = 0
    earliest = min(days)
    day = today
    if day not in days:  # today is not over: a missing entry today breaks nothing yet
        day -= one
    while True:
        if day in days:
            current += 1
        elif day not in rest:
            break
        day -= one
        if day < earliest:
            break

    longest = run = 0
    best: tuple[dt.date | None, dt.date | None] = (None, None)
    run_start: dt.date | None = None
    day, last = min(days), max(days)
    while day <= last:
        if day in days:
            if run == 0:
                run_start = day
            run += 1
            if run > longest:
                longest, best = run, (run_start, day)
        elif day not in rest:
            run = 0
        day += one
    return Streaks(current, longest, best[0], best[1])


# -- statistics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    entries: int
    days: int
    first: dt.date | None
    last: dt.date | None
    current_streak: int
    longest_streak: int
    hours: float
    per_week: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    hours_per_tag: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "days": self.days,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "hours": self.hours,
            "entries_per_week": self.per_week,
            "tags": self.tags,
            "hours_per_tag": self.hours_per_tag,
        }


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def stats(entries: Sequence[JournalEntry], cfg: Config, today: dt.date | None = None) -> Stats:
    pairs = dated(entries)
    s = streaks(entries, cfg, today)
    weeks: Counter[str] = Counter(iso_week(d) for d, _ in pairs)
    tags: Counter[str] = Counter(t for _, e in pairs for t in e.tags)
    hours_per_tag: dict[str, float] = {}
    for _, e in pairs:
        if e.hours is not None:
            for t in e.tags:
                hours_per_tag[t] = hours_per_tag.get(t, 0.0) + e.hours
    hours = sum(e.hours or 0.0 for _, e in pairs)
    return Stats(
        entries=len(pairs),
        days=len({d for d, _ in pairs}),
        first=pairs[0][0] if pairs else None,
        last=pairs[-1][0] if pairs else None,
        current_streak=s.current,
        longest_streak=s.longest,
        hours=round(hours, 2),
        per_week=dict(sorted(weeks.items())),
        tags=dict(sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))),
        hours_per_tag={k: round(v, 2) for k, v in sorted(hours_per_tag.items())},
    )


# -- heatmap ---------------------------------------------------------------------------------

CELL = 11
GAP = 3
LEFT = 28  # room for the weekday labels
TOP = 16  # room for the month labels
COLORS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")
REST_COLOR = "#f6f8fa"


def _level(count: int, hours: float | None) -> int:
    if count == 0:
        return 0
    if hours is None:
        return 2
    if hours < 2:
        return 1
    if hours < 4:
        return 2
    if hours < 6:
        return 3
    return 4


def heatmap_svg(
    entries: Iterable[JournalEntry], cfg: Config, today: dt.date | None = None, *, weeks: int = 53
) -> str:
    """A contribution-graph style SVG of the last ``weeks`` weeks, ending at ``today``.

    Columns are weeks (Monday on top), darker is more hours; each day has a ``<title>``
    tooltip, and the image has ``role="img"``, an ``aria-label`` and a ``<title>`` for screen
    readers. Deterministic for a given ``today``.
    """
    today = today or dt.date.today()
    weeks = max(1, weeks)
    rest = rest_days(cfg)
    counts: Counter[dt.date] = Counter()
    hours: dict[dt.date, float] = {}
    tags: dict[dt.date, set[str]] = {}
    for day, entry in dated(entries):
        counts[day] += 1
        if entry.hours is not None:
            hours[day] = hours.get(day, 0.0) + entry.hours
        tags.setdefault(day, set()).update(entry.tags)
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    total_days = (today - first).days + 1
    in_range = [first + dt.timedelta(days=i) for i in range(total_days)]
    active = sum(1 for d in in_range if counts[d])
    total_hours = sum(hours.get(d, 0.0) for d in in_range)
    width = LEFT + weeks * (CELL + GAP)
    height = TOP + 7 * (CELL + GAP) + 14
    summary = (
        f"Journal activity from {first.isoformat()} to {today.isoformat()}: "
        f"{active} day{'s' if active != 1 else ''} with an entry"
        + (f", {_hours(total_hours)} hours" if total_hours else "")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="folio-heatmap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(summary)}">',
        f"<title>{escape(summary)}</title>",
        '<g font-family="sans-serif" font-size="9" fill="#57606a">',
    ]
    for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        y = TOP + row * (CELL + GAP) + CELL - 2
        parts.append(f'<text x="0" y="{y}">{label}</text>')
    last_month = None
    for col in range(weeks):
        monday = first + dt.timedelta(weeks=col)
        if monday.month != last_month and col < weeks - 2:
            x = LEFT + col * (CELL + GAP)
            parts.append(f'<text x="{x}" y="{TOP - 5}">{monday.strftime("%b")}</text>')
        last_month = monday.month
    parts.append("</g>")
    for day in in_range:
        col, row = (day - first).days // 7, day.weekday()
        x, y = LEFT + col * (CELL + GAP), TOP + row * (CELL + GAP)
        count = counts[day]
        level = _level(count, hours.get(day))
        fill = COLORS[level] if count or day not in rest else REST_COLOR
        tip = day.isoformat() + ": "
        if count:
            tip += f"{count} entr{'ies' if count != 1 else 'y'}"
            if day in hours:
                tip += f", {_hours(hours[day])} h"
            if tags.get(day):
                tip += f" ({', '.join(sorted(tags[day]))})"
        else:
            tip += "rest day" if day in rest else "no entry"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" fill="{fill}" '
            f'data-date="{day.isoformat()}" data-level="{level}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    legend_y = TOP + 7 * (CELL + GAP) + 2
    legend_x = width - 30 - len(COLORS) * (CELL + GAP)
    parts.append(
        f'<g font-family="sans-serif" font-size="9" fill="#57606a" aria-hidden="true">'
        f'<text x="{legend_x - 3}" y="{legend_y + 9}" text-anchor="end">Less</text>'
    )
    for i, color in enumerate(COLORS):
        x = legend_x + i * (CELL + GAP)
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="{CELL}" height="{CELL}" rx="2" fill="{color}"/>'
        )
    parts.append(f'<text x="{width - 28}" y="{legend_y + 9}">More</text></g>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _hours(value: float) -> str:
    return f"{value:g}"
