"""Headings, sections, links and images of a Markdown body, with source positions.

Parsed with pyromark (pulldown-cmark: CommonMark + GFM tables), which agrees with GitHub's
cmark-gfm on everything we look at and is ~15x faster than markdown-it-py on 1,000 READMEs.
The Python side does as little per event as it can: sections are byte ranges of the source,
not re-assembled text. Raw HTML ``<img>`` and ``<a>`` tags are found too, since READMEs use
them for sized images.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

import pyromark

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_FOOTNOTES
)
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}
_HTML_TAG = re.compile(r"<(img|a)\b([^>]*)>", re.IGNORECASE)
_HTML_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_LINK_TARGET = re.compile(rb"\]\([^)]*\)|<[^>]+>")


# NamedTuples: immutable records, cheap to define (a frozen dataclass costs ~1 ms at import)
class Heading(NamedTuple):
    level: int
    text: str
    line: int
    col: int


class Link(NamedTuple):
    url: str
    line: int
    col: int
    text: str = ""
    is_image: bool = False
    is_html: bool = False
    has_alt: bool = True


@dataclass(eq=False)  # one heading of one document: compared by identity
class Section:
    """A heading and the source under it, up to the next heading of the same or higher level."""

    heading: Heading
    start: int  # byte offsets into MarkdownDoc.data
    end: int
    doc: MarkdownDoc = field(repr=False)

    @property
    def source(self) -> str:
        return self.doc.data[self.start : self.end].decode("utf-8", "replace")

    @property
    def prose(self) -> bytes:
        """The section's bytes without link targets and tags (URLs carry digits, not results)."""
        return _LINK_TARGET.sub(b"", self.doc.data[self.start : self.end])

    def is_empty(self) -> bool:
        return not self.doc.data[self.start : self.end].strip()


@dataclass
class MarkdownDoc:
    """A parsed Markdown body: its bytes, headings, links, sections and code ranges."""

    data: bytes
    line_offset: int
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    code_ranges: list[tuple[int, int]] = field(default_factory=list)  # code blocks, bytes
    _starts: list[int] | None = None
    _titles: dict[str, Section] | None = None  # normalized heading -> first section

    def section(self, title: str) -> Section | None:
        """The first section whose heading reads ``title`` (spacing and case aside)."""
        if self._titles is None:
            titles: dict[str, Section] = {}
            for sec in self.sections:
                titles.setdefault(normalize_title(sec.heading.text), sec)
            self._titles = titles
        return self._titles.get(normalize_title(title))

    def line_starts(self) -> list[int]:
        """Byte offset where each line of ``data`` starts (computed once)."""
        if self._starts is None:
            pieces = self.data.split(b"\n")
            pieces.pop()  # what follows the last newline starts no further line
            self._starts = [0, *accumulate(len(piece) + 1 for piece in pieces)]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, col) in the file of a byte offset into ``data``."""
        starts = self.line_starts()
        idx = bisect_right(starts, offset) - 1
        start = starts[idx]
        col = len(self.data[start:offset].decode("utf-8", "replace")) + 1
        return idx + self.line_offset, col

    def search_prose(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[int, re.Match[bytes]]]:
        """Matches of ``pattern`` outside code blocks, with their file line."""
        for match in pattern.finditer(self.data):
            pos = match.start()
            if any(a <= pos < b for a, b in self.code_ranges):
                continue
            yield self.line_col(pos)[0], match


@lru_cache(maxsize=4096)  # the same few headings (Problem, Approach, Results) in every README
def normalize_title(title: str) -> str:
    return " ".join(title.replace("\u00a0", " ").split()).casefold()


def parse(body: str, line_offset: int = 1) -> MarkdownDoc:
    """Parse ``body``; ``line_offset`` is the file line where ``body`` starts."""
    data = body.encode("utf-8")
    doc = MarkdownDoc(data, line_offset)
    heading: list[object] | None = None  # [level, pieces, start, end]
    links: list[list[object]] = []  # [url, pieces, start, is_image]
    capturing = False
    code_start = -1
    # Events are one-key dicts, or bare strings (breaks, rules). The tests below go from the
    # most to the least frequent kind; a README has ~90 events and most are skipped at once.
    for event, rng in pyromark.events_with_range(body, options=_OPTIONS):
        if type(event) is not dict:
            continue
        start: Any = event.get("Start")
        if start is not None:
            if type(start) is str:  # Paragraph, Item, Emphasis...: nothing to record
                if start == "CodeBlock":
                    code_start = rng["start"]
            elif "Heading" in start:
                heading = [_LEVELS[start["Heading"]["level"]], [], rng["start"], rng["end"]]
                capturing = True
            elif "Link" in start:
                links.append([start["Link"]["dest_url"], [], rng["start"], False])
                capturing = True
            elif "Image" in start:
                links.append([start["Image"]["dest_url"], [], rng["start"], True])
                capturing = True
            elif "CodeBlock" in start:
                code_start = rng["start"]
            continue
        end: Any = event.get("End")
        if end is not None:
            if type(end) is str:
                if end == "Link" or end == "Image":
                    url, pieces, offset, is_image = links.pop()
                    line, col = doc.line_col(offset)  # type: ignore[arg-type]
                    label = "".join(pieces).strip()  # type: ignore[arg-type]
                    doc.links.append(
                        Link(
                            str(url),
                            line,
                            col,
                            label,
                            bool(is_image),
                            has_alt=bool(label) or not is_image,
                        )
                    )
                    capturing = heading is not None or bool(links)
                elif end == "CodeBlock" and code_start >= 0:
                    doc.code_ranges.append((code_start, rng["end"]))
                    code_start = -1
            elif "Heading" in end:
                if heading is not None:
                    line, col = doc.line_col(heading[2])  # type: ignore[arg-type]
                    h = Heading(heading[0], "".join(heading[1]).strip(), line, col)  # type: ignore
                    doc.headings.append(h)
                    doc.sections.append(Section(h, rng["end"], len(data), doc))
                    heading = None
                capturing = bool(links)
            elif "CodeBlock" in end and code_start >= 0:
                doc.code_ranges.append((code_start, rng["end"]))
                code_start = -1
            continue
        text = event.get("Text")
        if text is None:
            text = event.get("Code")
        if text is not None:
            if capturing:
                if heading is not None:
                    heading[1].append(text)  # type: ignore[attr-defined]
                for link in links:
                    link[1].append(text)  # type: ignore[attr-defined]
            continue
        html = event.get("Html") or event.get("InlineHtml")
        if isinstance(html, str):
            _html_links(html, rng["start"], doc)
    # A section ends where the next heading of the same or a higher level starts.
    line_starts = doc.line_starts()
    starts = [(s.heading.level, line_starts[s.heading.line - line_offset]) for s in doc.sections]
    for i, sec in enumerate(doc.sections):
        for level, offset in starts[i + 1 :]:
            if level <= sec.heading.level:
                sec.end = offset
                break
    return doc


def _html_links(html: str, base: int, doc: MarkdownDoc) -> None:
    if "<" not in html:
        return
    for match in _HTML_TAG.finditer(html):
        attrs = {k.lower(): v.strip("\"'") for k, v in _HTML_ATTR.findall(match.group(2))}
        is_image = match.group(1).lower() == "img"
        url = attrs.get("src" if is_image else "href")
        if not url:
            continue
        line, col = doc.line_col(base + len(html[: match.start()].encode("utf-8")))
        alt = attrs.get("alt", "").strip()
        doc.links.append(
            Link(url, line, col, alt, is_image, is_html=True, has_alt=(not is_image) or bool(alt))
        )
