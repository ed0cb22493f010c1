"""Notebook files before validation: the byte and JSON checks.

The notebook is parsed once here, and its code cells go to ruff before it is validated
(:mod:`repofolio.clean.notebook`), so ruff formats while the schema check runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 200_000_000
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$))", re.MULTILINE)


@dataclass(frozen=True)
class Problem:
    """Why a notebook is not cleaned: a code (NB002...), a lowercase message, where."""

    code: str
    message: str
    line: int = 0
    col: int = 0


def check_bytes(raw: bytes) -> Problem | None:
    """What is wrong before JSON parsing: empty, LFS pointer, BOM, encoding."""
    if not raw[:4096].strip() and not raw.strip():  # a notebook's first bytes are "{"
        return Problem("NB003", "empty file, not a notebook")
    if raw.startswith(LFS_POINTER):
        return Problem("NB010", "git LFS pointer, not the notebook: run 'git lfs pull'", 1, 1)
    if raw.startswith(b"\xef\xbb\xbf"):
        return Problem(
            "NB005",
            "starts with a UTF-8 byte order mark, which Jupyter never "
            "writes; save the notebook again without it",
            1,
            1,
        )
    if len(raw) > MAX_BYTES:
        return too_large()
    return None


def too_large() -> Problem:
    return Problem("NB014", f"notebook is larger than {MAX_BYTES // 1_000_000} MB; not processed")


# Base64 images read past, not parsed, where the notebook is only looked at (folio clean
# --check without --diff, folio check): the value of an ``"image/png"``, ``"image/jpeg"``
# or ``"image/gif"`` key that starts as that format does (PNG, JPEG, GIF headers) becomes
# "" before json.loads. Nothing looks inside one: the scans skip image outputs, and a
# binary image would not be decoded as text anywhere else; cleaning and validation see a
# string either way. On the real-shaped bench corpus such images are 139 of its 158 MB:
# json.loads of all its notebooks took 0.124 s, 0.049 s without them, and the 139 MB of
# strings not made are page faults not taken. What json would refuse inside one is still
# refused where it is a raw newline, carriage return or tab (the only control characters
# looked for; another one in base64 image data is not seen by --check, and folio clean
# still reports the file, NB002). False: every image parsed (the same findings, tested).
BLANK_IMAGES = True
BLANK_MIN = 1024  # characters: smaller images are parsed as they are
_IMAGE_VALUE = re.compile(r'"image/(png|jpeg|gif)"[ \t\r\n]*:[ \t\r\n]*"')
_IMAGE_START = {"png": "iVBORw0KGgo", "jpeg": "/9j/", "gif": "R0lGOD"}


def without_images(text: str) -> str:
    """``text`` with the base64 images blanked (see BLANK_IMAGES); valid JSON stays valid
    JSON, and the same but for those strings."""
    at = text.find('"image/')
    if at < 0:
        return text
    pieces = []
    pos = 0
    while at >= 0:
        # a key: inside a JSON string every quote is escaped, so '"image/png"' and the
        # '"' of its value cannot both appear there as they are
        match = _IMAGE_VALUE.match(text, at)
        if match is None:
            at = text.find('"image/', at + 7)
            continue
        start = match.end()
        end = text.find('"', start)  # base64 holds no quote: the first one ends it ...
        if (
            end - start >= BLANK_MIN
            and text.startswith(_IMAGE_START[match.group(1)], start)
            and text[end - 1] != "\\"  # ... unless escaped, and then it is not base64
            and text.find("\n", start, end) < 0
            and text.find("\r", start, end) < 0
            and text.find("\t", start, end) < 0
        ):
            pieces.append(text[pos:start])
            pos = end
        at = text.find('"image/', max(end, start))
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def parse(
    raw: bytes, hook: Any = None, *, blank_images: bool = False
) -> tuple[Any, str, Problem | None]:
    """The JSON data and the text of a notebook file, or why it is not even JSON.

    ``blank_images``: for a notebook only looked at, not written (see BLANK_IMAGES); the
    text is the file's either way.
    """
    problem = check_bytes(raw)
    if problem:
        return None, "", problem
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        return (
            None,
            "",
            Problem("NB006", f"not valid UTF-8 (byte 0x{byte:02x}); save it as UTF-8", line),
        )
    del raw
    try:
        data = _loads(text, hook, blank_images and BLANK_IMAGES)
    except json.JSONDecodeError as exc:
        return (
            None,
            "",
            _conflict(text)
            or Problem(
                "NB002",
                f"not valid JSON ({exc.msg}); the file may be truncated",
                exc.lineno,
                exc.colno,
            ),
        )
    except RecursionError:
        return None, "", _conflict(text) or Problem("NB002", "not valid JSON (nested too deeply)")
    return data, text, None


def _loads(text: str, hook: Any, blank: bool) -> Any:
    if blank:
        source = without_images(text)
        if source is not text:
            try:
                return json.loads(source, object_hook=hook)
            except (json.JSONDecodeError, RecursionError):
                pass  # said from the file's own text: its lines and columns
    return json.loads(text, object_hook=hook)


def _conflict(text: str) -> Problem | None:
    """Merge conflict markers, looked for only in text that is not JSON: no line of valid
    JSON can start with ``<``, ``=`` or ``>`` (a string cannot hold a raw newline)."""
    # `in` first: the multiline regex over megabytes of base64 costs more than the parse
    if "<<<<<<<" in text or ">>>>>>>" in text or "\n=======" in text:
        conflict = CONFLICT.search(text)
        if conflict:
            line = text.count("\n", 0, conflict.start()) + 1
            message = "merge conflict markers: resolve the conflict first (nbdime helps)"
            return Problem("NB011", message, line, 1)
    return None


def code_cells(nb: Any) -> list[int]:
    """Indexes of the code cells ruff should format (Python notebooks only).

    Works on the parsed JSON as well as on the node: cleaning only drops trailing empty
    cells, so the indexes stay valid and ruff can start before validation.
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return []
    meta: dict[str, Any] = nb["metadata"] if isinstance(nb.get("metadata"), dict) else {}
    info: dict[str, Any] = (
        meta["language_info"] if isinstance(meta.get("language_info"), dict) else {}
    )
    spec: dict[str, Any] = meta["kernelspec"] if isinstance(meta.get("kernelspec"), dict) else {}
    language = info.get("name") or spec.get("language") or "python"
    if str(language).lower() != "python":
        return []
    return [
        i
        for i, c in enumerate(nb["cells"])
        if isinstance(c, dict)
        and c.get("cell_type") == "code"
        and _joined(c.get("source", "")).strip()
    ]


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
