"""Content beyond the schema: summary length, URLs, duplicate titles, placeholders (SC004, in
the front matter and in the text)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import SplitResult, urlsplit

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio, Project

# Words that mean "not written yet"; the scaffold's own placeholders start with "FILL IN".
# (The example project's "Example text:" is PU003: checks/published.py.)
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME)\b|lorem ipsum|FILL IN\b", re.IGNORECASE)
PLACEHOLDER_BYTES = re.compile(PLACEHOLDER.pattern.encode(), re.IGNORECASE)
_CASE_SENSITIVE = {"todo": "TODO", "tbd": "TBD", "fixme": "FIXME"}


# "example text:" too: the gate serves checks/published.py's search for it as well
_CHEAP = ("todo", "tbd", "fixme", "lorem ipsum", "fill in", "example text:")
_CHEAP_BYTES = tuple(word.encode() for word in _CHEAP)


def may_have_placeholder(text: str | bytes) -> bool:
    """A cheap substring test before the (slow, case-insensitive) regex."""
    lower = text.lower()
    for word in _CHEAP_BYTES if isinstance(lower, bytes) else _CHEAP:  # a loop: no generator
        if word in lower:  # type: ignore[operator]
            return True
    return False


def is_placeholder(text: str) -> bool:
    return may_have_placeholder(text) and find_placeholder(text) is not None


def iter_placeholders(text: str) -> Iterator[re.Match[str]]:
    """Every placeholder in ``text``, in order."""
    for match in PLACEHOLDER.finditer(text):
        word = match.group(1)
        if word is not None and word != _CASE_SENSITIVE[word.lower()]:
            continue  # "todo" in prose is a word; "TODO" is a marker
        yield match


def find_placeholder(text: str) -> re.Match[str] | None:
    return next(iter_placeholders(text), None)


# Most links are web addresses or anchors: known at a glance, without urlsplit.
_WEB = ("https://", "http://")
_NOT_PATH = (*_WEB, "mailto:", "#")


def is_web_mail_or_anchor(value: str) -> bool:
    """True for an http(s) address, a mailto: link or an anchor: never a file to resolve."""
    return value[:8].lower().startswith(_NOT_PATH)


def split_url(value: str) -> SplitResult | None:
    """``urlsplit(value)``, or None where it raises (``http://[::1``: an unclosed bracket)."""
    try:
        return urlsplit(value)
    except ValueError:
        return None


# An address urlsplit reads as http(s), a host and a path, known without it: plain host
# characters, a path of no whitespace or brackets (half the time of a 1,000-project check's
# URL test). Anything else goes to urlsplit.
_PLAIN_WEB = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]+)?/[^\s\[\]]*\Z")


def is_url(value: str) -> bool:
    if "\t" in value or "\n" in value or "\r" in value:
        # urlsplit drops them first (the WHATWG URL standard's "ASCII tab or newline")
        value = value.replace("\t", "").replace("\n", "").replace("\r", "")
    if not value[:8].lower().startswith(_WEB):
        return False  # urlsplit would find no http(s) scheme either
    if _PLAIN_WEB.match(value):
        return True
    parts = split_url(value)
    return (
        parts is not None
        and parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and " " not in value
    )


def looks_relative(value: str) -> bool:
    """A path in the repository (``notes.md``, ``../data/x.csv``), not a URL or an anchor."""
    if is_web_mail_or_anchor(value):
        return False
    parts = split_url(value)
    return parts is not None and not parts.scheme and not parts.netloc and not value.startswith("#")


def check(portfolio: Portfolio, config: Config) -> Iterator[Diagnostic]:
    for project in portfolio.projects:
        # one cheap test of the whole file for both halves (most write-ups have none)
        if project.text is not None and may_have_placeholder(project.text):
            if project.meta is not None:
                yield from _placeholders_in_front(project)
            yield from _placeholders_in_body(project)
        meta, fm = project.meta, project.front
        if meta is None or fm is None:
            continue
        path = project.readme_rel
        if len(meta.summary) > config.summary_max_length:
            yield Diagnostic(
                path,
                fm.line_of("summary"),
                1,
                "FM014",
                f"summary is {len(meta.summary)} characters, more than "
                f"{config.summary_max_length}: a recruiter reads one sentence",
            )
        for name, value in meta.links.items():
            if looks_relative(value):
                continue  # a file in the project: checked by the links check
            if not is_url(value):
                yield Diagnostic(
                    path,
                    fm.line_of("links", name),
                    1,
                    "LK003",
                    f"links.{name}: '{value}' is not a valid http(s) URL",
                )


def title_refs(portfolio: Portfolio) -> list[tuple[str, str, int]]:
    """(title, README path, line of ``title:``) of every project with valid front matter."""
    return [
        (p.meta.title, p.readme_rel, p.front.line_of("title"))
        for p in portfolio.projects
        if p.meta is not None and p.front is not None
    ]


def duplicate_titles(refs: Iterable[tuple[str, str, int]]) -> Iterator[Diagnostic]:
    """FM015 for every project whose title (case-insensitive) an earlier project has: two
    write-ups with one title confuse a recruiter and the site."""
    first: dict[str, str] = {}
    for title, path, line in refs:
        key = title.casefold()
        if key in first:
            yield Diagnostic(
                path, line, 1, "FM015", f"title '{title}' is also used by {first[key]}"
            )
        else:
            first[key] = path


def _placeholders_in_body(project: Project) -> Iterator[Diagnostic]:
    doc = project.doc
    if doc is None:
        return
    for line, match in doc.search_prose(PLACEHOLDER_BYTES):
        word = match.group(0).decode()
        if is_placeholder(word):
            yield Diagnostic(
                project.readme_rel, line, 1, "SC004", f"placeholder '{word}' left in the text"
            )


def _placeholders_in_front(project: Project) -> Iterator[Diagnostic]:
    fm = project.front
    if fm is None or fm.data is None:
        return
    stack: list[tuple[str, object]] = [(k, v) for k, v in fm.data.items()]
    while stack:
        key, value = stack.pop()
        if isinstance(value, str):
            match = find_placeholder(value)
            if match:
                yield Diagnostic(
                    project.readme_rel,
                    fm.line_of(*key.split(".")),
                    1,
                    "SC004",
                    f"placeholder '{match.group(0)}' left in '{key}'",
                )
        elif isinstance(value, dict):
            stack.extend((f"{key}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{key}.{i}", v) for i, v in enumerate(value))
