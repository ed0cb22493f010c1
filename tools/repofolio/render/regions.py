"""Generated regions of hand-written files, between ``<!-- folio:NAME:start|end -->`` markers.

The bytes between a pair of markers belong to the toolkit; every other byte belongs to the
owner and is returned unchanged (CRLF stays CRLF, a missing final newline stays missing).
Markers inside fenced code blocks or inline code spans are text, not markers, so a README can
document them. Missing, duplicated, nested or unbalanced markers raise :class:`RegionError`
with ``path:line``; the caller then writes nothing, which is the point: never guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from repofolio.errors import FolioError

MARKER = re.compile(r"<!--\s*folio:([A-Za-z0-9_.-]+):(start|end)\s*-->")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class RegionError(FolioError):
    """Markers are missing, duplicated, nested or unbalanced; the message starts ``path:line``."""


@dataclass(frozen=True)
class Region:
    """One generated region: ``inner`` is the slice of the text between the two markers."""

    name: str
    start_line: int  # 1-based line of the start marker
    end_line: int  # 1-based line of the end marker
    inner_start: int  # offset just after the start marker
    inner_end: int  # offset of the end marker

    def body(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


@dataclass(frozen=True)
class _Marker:
    name: str
    kind: str  # "start" | "end"
    line: int
    start: int
    end: int


def _markers(text: str) -> list[_Marker]:
    """Every marker outside fenced code and inline code spans, in order."""
    found: list[_Marker] = []
    fence: str | None = None
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        fence_match = _FENCE.match(line)
        if fence is not None:
            stripped = line.strip()
            if fence_match and stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        elif "folio:" in line:
            for match in MARKER.finditer(line):
                # an odd number of backticks before it: the marker is inside a code span
                if line.count("`", 0, match.start()) % 2:
                    continue
                found.append(
                    _Marker(
                        match[1], match[2], number, offset + match.start(), offset + match.end()
                    )
                )
        offset += len(line)
    return found


def find_regions(text: str, path: str) -> dict[str, Region]:
    """All well-formed regions by name; raises RegionError on any malformed marker."""
    regions: dict[str, Region] = {}
    open_marker: _Marker | None = None
    for marker in _markers(text):
        tag = f"<!-- folio:{marker.name}:{marker.kind} -->"
        if marker.kind == "start":
            if open_marker is not None:
                raise RegionError(
                    f"{path}:{marker.line}: {tag} is nested inside region '{open_marker.name}' "
                    f"(opened at line {open_marker.line}); close it first with "
                    f"<!-- folio:{open_marker.name}:end -->"
                )
            if marker.name in regions:
                raise RegionError(
                    f"{path}:{marker.line}: duplicate {tag} (region '{marker.name}' is "
                    f"already at line {regions[marker.name].start_line})"
                )
            open_marker = marker
            continue
        if open_marker is None:
            raise RegionError(f"{path}:{marker.line}: {tag} has no matching start marker")
        if open_marker.name != marker.name:
            raise RegionError(
                f"{path}:{marker.line}: {tag} does not close region '{open_marker.name}' "
                f"(opened at line {open_marker.line})"
            )
        regions[marker.name] = Region(
            marker.name, open_marker.line, marker.line, open_marker.end, marker.start
        )
        open_marker = None
    if open_marker is not None:
        raise RegionError(
            f"{path}:{open_marker.line}: <!-- folio:{open_marker.name}:start --> has no "
            f"matching <!-- folio:{open_marker.name}:end -->"
        )
    return regions


def newline_of(text: str) -> str:
    """The file's line ending: that of its first line, else ``\\n``."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def render_body(text: str, region: Region, body: str, newline: str) -> str:
    """What goes between the markers: a line break, the body, and the end marker's indent."""
    line_start = text.rfind("\n", 0, region.inner_end) + 1
    before_end = text[max(line_start, region.inner_start) : region.inner_end]
    indent = before_end if before_end.strip() == "" and line_start > region.inner_start else ""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not body:
        return newline + indent
    return newline + body.replace("\n", newline) + newline + indent


def replace_regions(text: str, regions: Mapping[str, str], path: str) -> str:
    """Replace the body of each named region; every byte outside the markers is kept.

    Raises RegionError (``path:line: ...``) when a marker is malformed or a named region is
    missing; nothing is returned then, so nothing can be written.
    """
    found = find_regions(text, path)
    missing = [name for name in regions if name not in found]
    if missing:
        name = missing[0]
        raise RegionError(
            f"{path}:1: region '{name}' is missing: add the lines <!-- folio:{name}:start --> "
            f"and <!-- folio:{name}:end --> where it should go"
        )
    for name, body in regions.items():
        if MARKER.search(body):
            raise RegionError(
                f"{path}:{found[name].start_line}: the generated text of region "
                f"'{name}' contains a folio marker; nothing was written"
            )
    newline = newline_of(text)
    pieces: list[str] = []
    cursor = 0
    for region in sorted((found[n] for n in regions), key=lambda r: r.inner_start):
        pieces.append(text[cursor : region.inner_start])
        pieces.append(render_body(text, region, regions[region.name], newline))
        cursor = region.inner_end
    pieces.append(text[cursor:])
    out = "".join(pieces)
    try:  # a generated body that opens a code fence would hide the end marker next time
        after = find_regions(out, path)
    except RegionError:
        after = {}
    broken = [name for name in regions if name not in after]
    if broken:
        raise RegionError(
            f"{path}:{found[broken[0]].start_line}: the generated text of region "
            f"'{broken[0]}' leaves a code fence open; nothing was written"
        )
    return out


def stale_regions(old: str, new: str, path: str) -> list[Region]:
    """Regions of ``old`` whose body differs in ``new`` (both well-formed), in file order."""
    before, after = find_regions(old, path), find_regions(new, path)
    return [
        region
        for name, region in sorted(before.items(), key=lambda item: item[1].inner_start)
        if name in after and region.body(old) != after[name].body(new)
    ]
