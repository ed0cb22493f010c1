"""Dated paragraphs in a Markdown file (a README kept as a diary) -> one journal entry per day.

Pure: text in, blocks and entries out; ``commands/journal_import.py`` reads files, asks git
for the years and writes. A *dated line* starts with a date, in any of these forms:

- ``July 3rd, Monday: Today I ...``, ``3 July 2023: ...``, ``2023-07-03: ...``,
  ``Mon 3 Jul - ...``, ``12/25/2023: ...`` (a numeric date only when it cannot be read two
  ways), or a date alone on its line;
- ``**Jul 3** ...`` (a bold date);
- ``## Monday, July 3`` (a heading: the day is the section under it; text after the date,
  ``## July 3: First interview``, is the entry's title);
- a list item that starts with one of these (``- July 3: ...``).

Where a day's text ends: a paragraph ends at a blank line; a heading's section, or a date
alone on its line, runs to the next heading of its level (any heading for a lone date), the
next dated line or a folio marker; a list item ends where its continuation lines end. Lines
in fenced code, HTML comments and generated ``folio:`` regions are never read as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FILLERS = frozenset({"the", "of", "on"})

_TOKEN = re.compile(
    r"[ \t]*(?:"
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?![\d-])"
    r"|(?P<slash>\d{1,2}/\d{1,2}(?:/\d{2}(?:\d{2})?)?)(?![\d/])"
    r"|(?P<year>\d{4})(?!\d)"
    r"|(?P<num>\d{1,2})(?P<ord>st|nd|rd|th)?(?![\w])"
    r"|(?P<word>[A-Za-z]+)\.?"
    r"|(?P<comma>,)"
    r")",
    re.IGNORECASE,
)
# what may follow the date on its line: a separator, then the text
_SEPARATOR = re.compile(r"^[ \t]*(?:[:\u2013\u2014)]|-(?=[ \t])|--(?=[ \t]))[ \t]*")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_LIST_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+)")
_BOLD = re.compile(r"^(\*\*|__)(.+?)\1")
_MARKER = re.compile(r"<!--\s*folio:([A-Za-z0-9_.-]+):(start|end)\s*-->")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


@dataclass(frozen=True)
class DatePhrase:
    """A date as written: what it says, before a year is chosen."""

    text: str  # the phrase as written ("July 3rd, Monday")
    month: int | None = None
    day: int | None = None
    year: int | None = None
    weekday: int | None = None
    ambiguous: tuple[tuple[int, int], ...] = ()  # (month, day) readings of "03/07"


@dataclass
class Block:
    """The text of one dated line (and what belongs to it), as found in the file."""

    line: int  # 1-based line of the date
    end: int  # 1-based line after the block (exclusive), trailing blank lines excluded
    phrase: DatePhrase
    form: str  # "paragraph" | "bold" | "heading" | "list"
    text: str  # the day's text: the date and its separator taken off, "\n" line ends
    title: str | None = None  # a heading's words after the date
    date: dt.date | None = None  # once placed


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class Parsed:
    blocks: list[Block] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)  # undated paragraphs between dated ones


# -- the date at the start of a line -----------------------------------------------------------


def parse_date(text: str) -> tuple[DatePhrase, int] | None:
    """The date phrase at the very start of ``text`` and where it ends; None when there is none.

    A phrase is an ISO date, a numeric d/m date, or a month and a day in either order, with
    optionally a weekday (before or after) and a year.
    """
    pos = 0
    month = day = year = weekday = None
    iso: tuple[int, int, int] | None = None
    slash: str | None = None
    end = 0  # where the last date-ish token ended
    used = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        if m.group("iso"):
            if used:
                break
            iso_y, iso_m, iso_d = (int(x) for x in m.group("iso").split("-"))
            iso = (iso_y, iso_m, iso_d)
        elif m.group("slash"):
            if used:
                break
            slash = m.group("slash")
        elif m.group("year"):
            value = int(m.group("year"))
            if year is not None or iso or slash or not 1900 <= value <= 2200:
                break
            year = value
        elif m.group("num"):
            value = int(m.group("num"))
            if day is not None or iso or slash or not 1 <= value <= 31:
                break
            day = value
        elif m.group("word"):
            word = m.group("word").lower()
            if word in MONTHS and month is None and not iso and not slash:
                month = MONTHS[word]
            elif word in WEEKDAYS and weekday is None:
                weekday = WEEKDAYS[word]
            elif word in FILLERS:
                pos = m.end()
                continue  # "the 3rd of July", "On Monday, July 3"
            else:
                break
        else:  # a comma
            pos = m.end()
            continue
        used += 1
        pos = end = m.end()
    if iso is None and slash is None and (month is None or day is None):
        return None
    phrase_text = text[:end].strip()
    if iso is not None:
        if month is not None or day is not None:
            return None
        return DatePhrase(phrase_text, iso[1], iso[2], iso[0], weekday), end
    if slash is not None:
        if month is not None or day is not None:
            return None
        parts = [int(p) for p in slash.split("/")]
        a, b = parts[0], parts[1]
        y: int | None = parts[2] if len(parts) == 3 else year
        if y is not None and y < 100:
            y += 2000
        readings = []
        if _real(y or 2000, b, a):
            readings.append((b, a))  # day/month: 3/7 is 3 July
        if _real(y or 2000, a, b) and (a, b) not in readings:
            readings.append((a, b))  # month/day: 3/7 is March 7
        if not readings:
            return DatePhrase(phrase_text, None, None, y, weekday), end
        if len(readings) == 1:
            mo, d = readings[0]
            return DatePhrase(phrase_text, mo, d, y, weekday), end
        return DatePhrase(phrase_text, None, None, y, weekday, tuple(readings)), end
    return DatePhrase(phrase_text, month, day, year, weekday), end


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def dated_line(line: str) -> tuple[str, DatePhrase, str, str | None, int] | None:
    """(form, phrase, text after the date, heading title, list content indent) or None."""
    heading = _HEADING.match(line)
    if heading:
        found = parse_date(_unbold(heading.group(2)))
        if found is None:
            return None
        phrase, end = found
        rest = _unbold(heading.group(2))[end:]
        sep = _SEPARATOR.match(rest)
        if rest.strip() and not sep:
            return None  # "## May 5 people I met" is a heading, not a day
        title = rest[sep.end() :].strip() if sep else ""
        return "heading", phrase, "", title or None, 0
    indent = 0
    form = "paragraph"
    body = line
    item = _LIST_ITEM.match(line)
    if item:
        form = "list"
        indent = len(item.group(0).expandtabs(4))
        body = line[item.end() :]
    elif len(line) - len(line.lstrip(" ")) > 3:
        return None  # indented code
    else:
        body = line.lstrip(" ")
    bold = _BOLD.match(body)
    if bold:
        found = parse_date(bold.group(2))
        if found is None:
            return None
        phrase, end = found
        inside = bold.group(2)[end:]
        if inside.strip() and not _SEPARATOR.match(inside):
            return None  # "**May 5 things**"
        rest = body[bold.end() :]
        sep = _SEPARATOR.match(rest)
        text = rest[sep.end() :] if sep else rest.lstrip(" \t")
        return ("list" if form == "list" else "bold"), phrase, text.rstrip(), None, indent
    found = parse_date(body)
    if found is None:
        return None
    phrase, end = found
    rest = body[end:]
    sep = _SEPARATOR.match(rest)
    if rest.strip() and not sep:
        return None  # "May 5 people came": a sentence that starts with a date
    text = rest[sep.end() :] if sep else ""
    return form, phrase, text.rstrip(), None, indent


def _unbold(text: str) -> str:
    bold = _BOLD.match(text)
    return bold.group(2) + text[bold.end() :] if bold else text


# -- blocks ------------------------------------------------------------------------------------


def parse(text: str) -> Parsed:
    """Every dated block of a Markdown text, in order."""
    # lines as ``str.split("\n")`` cuts them (not splitlines: a form feed is no line end),
    # so that line numbers match git blame and --move
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    skip = _skipped(lines)
    found: list[tuple[int, tuple[str, DatePhrase, str, str | None, int]]] = []
    for i, line in enumerate(lines):
        if i in skip:
            continue
        hit = dated_line(line)
        if hit is not None:
            found.append((i, hit))
    starts = {i for i, _ in found}
    parsed = Parsed()
    for n, (i, (form, phrase, first, title, indent)) in enumerate(found):
        limit = found[n + 1][0] if n + 1 < len(found) else len(lines)
        lone = form in ("paragraph", "bold") and not first.strip()
        if form == "heading":
            level = len(_HEADING.match(lines[i]).group(1))  # type: ignore[union-attr]
            end = _section_end(lines, i + 1, limit, skip, level)
            body = lines[i + 1 : end]
        elif lone:  # a date alone on its line: the text under it, like a heading's
            end = _section_end(lines, i + 1, limit, skip, 6)
            body = lines[i + 1 : end]
        elif form == "list":
            end = _item_end(lines, i + 1, limit, skip, indent, starts)
            body = [first] + [_dedent(line, indent) for line in lines[i + 1 : end]]
        else:
            end = _paragraph_end(lines, i + 1, limit, skip)
            body = [first, *lines[i + 1 : end]]
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        block_text = "\n".join(body).strip("\n")
        block_text = "\n".join(line.rstrip() for line in block_text.split("\n")).strip()
        parsed.blocks.append(Block(i + 1, end + 1, phrase, form, block_text, title))
    parsed.orphans = _orphans(lines, parsed.blocks, skip)
    return parsed


def _skipped(lines: Sequence[str]) -> set[int]:
    """Lines never read as dates: fenced code, HTML comments, generated folio regions."""
    skip: set[int] = set()
    fence: str | None = None
    region: str | None = None
    comment = False
    for i, line in enumerate(lines):
        if fence is not None:
            skip.add(i)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        marker = _MARKER.search(line)
        if region is not None:
            skip.add(i)
            if marker and marker.group(2) == "end" and marker.group(1) == region:
                region = None
            continue
        if marker and marker.group(2) == "start":
            skip.add(i)
            region = marker.group(1)
            continue
        if comment:
            skip.add(i)
            if "-->" in line:
                comment = False
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            skip.add(i)
            fence = fence_match.group(1)
            continue
        if line.lstrip().startswith("<!--"):
            skip.add(i)
            comment = "-->" not in line
    return skip


def _is_heading(line: str) -> bool:
    return _HEADING.match(line) is not None


def _section_end(lines: Sequence[str], start: int, limit: int, skip: set[int], level: int) -> int:
    for j in range(start, limit):
        line = lines[j]
        if j in skip and _MARKER.search(line):
            return j
        if j in skip:
            continue
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) <= level:
            return j
        if _BREAK.match(line):
            return j
    return limit


def _paragraph_end(lines: Sequence[str], start: int, limit: int, skip: set[int]) -> int:
    for j in range(start, limit):
        line = lines[j]
        if not line.strip() or (j in skip and _MARKER.search(line)):
            return j
        if j not in skip and (_is_heading(line) or _BREAK.match(line)):
            return j
    return limit


def _item_end(
    lines: Sequence[str], start: int, limit: int, skip: set[int], indent: int, starts: set[int]
) -> int:
    j = start
    while j < limit:
        line = lines[j]
        if j in skip and _MARKER.search(line):
            return j
        if not line.strip():
            # a blank line: the item goes on only if the next text is indented under it
            k = j
            while k < limit and not lines[k].strip():
                k += 1
            if k < limit and _indent(lines[k]) >= indent:
                j = k
                continue
            return j
        if _indent(line) < indent and (_LIST_ITEM.match(line) or _is_heading(line)):
            return j
        if _BREAK.match(line) and _indent(line) < indent:
            return j
        j += 1
    return limit


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _dedent(line: str, indent: int) -> str:
    expanded = line.expandtabs(4)
    cut = min(indent, _indent(expanded))
    return expanded[cut:]


def _orphans(lines: Sequence[str], blocks: Sequence[Block], skip: set[int]) -> list[int]:
    """First lines of undated paragraphs between two dated blocks with no heading between."""
    out: list[int] = []
    for before, after in zip(blocks, blocks[1:], strict=False):
        start, stop = before.end - 1, after.line - 1
        gap = lines[start:stop]
        if any(_is_heading(line) for line in gap):
            continue
        previous_blank = True
        for offset, line in enumerate(gap):
            if (start + offset) in skip:
                previous_blank = True
                continue
            if line.strip() and previous_blank:
                out.append(start + offset + 1)
            previous_blank = not line.strip()
    return out


# -- years -------------------------------------------------------------------------------------


def place(
    phrase: DatePhrase,
    *,
    year: int | None,
    written: Callable[[], dt.date | None],
) -> dt.date | str:
    """The day a phrase means, or why it cannot be placed (a message without the location).

    The year: as written; else from the weekday (the nearest year, not after the reference
    one: ``year``, else the day the line was written, else this year); else ``year``; else
    the year the line was written (the year before, when the day would come after that).
    """
    if phrase.ambiguous:
        (m1, d1), (m2, d2) = phrase.ambiguous[:2]
        return (
            f"'{phrase.text}' is ambiguous ({d1} {_month(m1)} or {_month(m2)} {d2}): "
            f"write the month in words or YYYY-MM-DD"
        )
    if phrase.month is None or phrase.day is None:
        return f"'{phrase.text}' is not a day"
    month, day = phrase.month, phrase.day
    if phrase.year is not None:
        if not _real(phrase.year, month, day):
            return f"'{phrase.text}' is not a day"
        date = dt.date(phrase.year, month, day)
        if phrase.weekday is not None and date.weekday() != phrase.weekday:
            return (
                f"'{phrase.text}': {date.isoformat()} is a {WEEKDAY_NAMES[date.weekday()]}, "
                f"not a {WEEKDAY_NAMES[phrase.weekday]}"
            )
        return date
    if not any(_real(y, month, day) for y in (2000, 2001)):  # Feb 29 is real in 2000
        return f"'{phrase.text}' is not a day"
    if phrase.weekday is not None:
        if year is not None:
            reference = year
        else:
            when = written()
            reference = when.year if when else dt.date.today().year
        # a date falls on the same weekday again after 5, 6 or 11 years (28 for 29 February)
        span = 28 if (month, day) == (2, 29) else 11
        matches = [
            y
            for y in range(reference - span, reference + 2)
            if _real(y, month, day) and dt.date(y, month, day).weekday() == phrase.weekday
        ]
        past = [y for y in matches if y <= reference]
        if past:
            return dt.date(max(past), month, day)
        if matches:
            return dt.date(min(matches), month, day)
        return (
            f"'{phrase.text}': no year near {reference} has it on a {WEEKDAY_NAMES[phrase.weekday]}"
        )
    if year is not None:
        if not _real(year, month, day):
            return f"'{phrase.text}' is not a day in {year}"
        return dt.date(year, month, day)
    when = written()
    if when is None:
        return (
            f"'{phrase.text}' has no year: write it ('{phrase.text} {dt.date.today().year}'), "
            "add the weekday, give --year, or commit the file so its history tells"
        )
    y = when.year
    # a diary line is written on its day or after: "Dec 30" committed on 2 Jan is last year's
    if not _real(y, month, day) or dt.date(y, month, day) > when + dt.timedelta(days=1):
        y -= 1
    if not _real(y, month, day):
        return f"'{phrase.text}' is not a day in {y}"
    return dt.date(y, month, day)


def _month(number: int) -> str:
    return dt.date(2000, number, 1).strftime("%B")


# -- tags --------------------------------------------------------------------------------------

# words that name a default tag without doubt; a tag not listed is matched by its own name
TAG_WORDS: dict[str, tuple[str, ...]] = {
    "application": (
        "applied to",
        "applied for",
        "apply to",
        "apply for",
        "application",
        "applications",
        "job application",
    ),
    "interview": ("interview", "interviews", "interviewed", "interviewing"),
    "networking": ("networking", "networked", "meetup", "meet-up", "coffee chat"),
    "learning": ("learned", "learnt", "studied", "today i learned", "til"),
    "kaggle": ("kaggle",),
    "project": ("my project", "side project", "portfolio project"),
    "job-search": ("job search", "job-search", "job hunt", "job hunting"),
    "rest": ("rest day", "day off"),
}


def clear_tags(text: str, tags: Sequence[str]) -> list[str]:
    """The configured tags the text names clearly (a ``#tag`` or a word that means it)."""
    lowered = " " + " ".join(re.findall(r"[\w#+-]+", text.lower())) + " "
    found = []
    for tag in tags:
        key = tag.lower()
        words = TAG_WORDS.get(key, (key, key.replace("-", " "), key.replace("_", " ")))
        hashtag = f" #{key} " in lowered
        if hashtag or any(f" {w} " in lowered for w in words):
            found.append(tag)
    return found


# -- entries -----------------------------------------------------------------------------------


@dataclass
class Day:
    """What the import brings to one day: its paragraphs in order, tags, a title."""

    date: dt.date
    paragraphs: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    title: str | None = None


def group_days(blocks: Sequence[Block], tags: Sequence[str]) -> list[Day]:
    """One Day per date, paragraphs in file order, exact duplicates once."""
    days: dict[dt.date, Day] = {}
    for block in blocks:
        assert block.date is not None
        day = days.setdefault(block.date, Day(block.date))
        if block.text and block.text not in day.paragraphs:
            day.paragraphs.append(block.text)
        day.lines.append(block.line)
        if block.title and day.title is None:
            day.title = block.title
        for tag in clear_tags(f"{block.title or ''}\n{block.text}", tags):
            if tag not in day.tags:
                day.tags.append(tag)
    for day in days.values():  # in the configured order, whatever the text's
        day.tags = [t for t in tags if t in day.tags]
    return sorted(days.values(), key=lambda d: d.date)


def missing_paragraphs(existing_body: str, paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs not already in an entry (its text with any line endings)."""
    have = existing_body.replace("\r\n", "\n").replace("\r", "\n")
    have = "\n".join(line.rstrip() for line in have.split("\n"))
    return [p for p in paragraphs if p not in have]
