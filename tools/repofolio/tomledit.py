"""Remove a key from a TOML file by deleting its lines, every other byte kept.

No TOML library here keeps a file's formatting when it writes one back, and the owner's
``pyproject.toml`` is theirs (comments, order, CRLF). So a key is found by its lines: the
table headers above it, the ``key =`` line, and the shortest run of lines from there that
parses as TOML on its own (an array may span lines). The edit is then checked by parsing
the whole result, which must equal the original without that key; anything else (an inline
table, a key written twice) is refused rather than guessed.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TABLE = re.compile(r"^\s*\[(?!\[)\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def loads(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def _path(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_PART, dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def key_lines(text: str, table: tuple[str, ...], key: str) -> tuple[int, int] | None:
    """(first, end) line indices (0-based, end excluded) of ``key`` in ``table``; None."""
    lines = text.splitlines(keepends=True)
    current: tuple[str, ...] = ()
    i = 0
    while i < len(lines):
        line = lines[i]
        header = TABLE.match(line)
        if header:
            current = _path(header.group(1))
        else:
            match = KEY.match(line)
            if match and current + _path(match.group(1)) == (*table, key):
                end = i + 1
                while True:
                    try:
                        tomllib.loads("".join(lines[i:end]))
                        return i, end
                    except tomllib.TOMLDecodeError:
                        if end >= len(lines):
                            return None
                        end += 1
        i += 1
    return None


def remove_key(text: str, table: tuple[str, ...], key: str) -> str | None:
    """``text`` without ``key`` of ``table`` (its lines deleted); None when it is not there.

    Raises ValueError when the key is there but cannot be removed by deleting its lines.
    """
    found = key_lines(text, table, key)
    data = tomllib.loads(text)
    if found is None:
        if _get(data, table, key) is not None:
            raise ValueError("written in a form a line edit cannot remove (an inline table?)")
        return None
    lines = text.splitlines(keepends=True)
    first, end = found
    new = "".join(lines[:first] + lines[end:])
    expected = _without(data, table, key)
    # a table that only a dotted key made (journal.private = ...) goes with its last key
    if tomllib.loads(new) not in (expected, _without_empty(expected, table)):
        raise ValueError("deleting its lines would change another value")
    return new


def _get(data: dict[str, Any], table: tuple[str, ...], key: str) -> Any:
    for part in table:
        data = data.get(part)  # type: ignore[assignment]
        if not isinstance(data, dict):
            return None
    return data.get(key)


def _without_empty(data: dict[str, Any], table: tuple[str, ...]) -> dict[str, Any]:
    if len(table) == 1:
        return {k: v for k, v in data.items() if not (k == table[0] and v == {})}
    head, rest = table[0], table[1:]
    return {k: (_without_empty(v, rest) if k == head else v) for k, v in data.items()}


def _without(data: dict[str, Any], table: tuple[str, ...], key: str) -> dict[str, Any]:
    if not table:
        return {k: v for k, v in data.items() if k != key}
    head, rest = table[0], table[1:]
    return {k: (_without(v, rest, key) if k == head else v) for k, v in data.items()}
