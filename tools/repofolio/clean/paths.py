"""Personal absolute paths (``/home/<user>/``, ``/Users/<user>/``, ``C:\\Users\\<user>\\``).

They tell a reader the owner's user name and machine layout, and they break for everyone
else. :func:`find_paths` reports them; :func:`fix_paths` rewrites each to a path relative to
the file when it points into the project, else to ``~/...``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import NamedTuple

# A path ends at whitespace, a quote, a bracket, a separator of prose or a control
# character (the escape that starts an ANSI colour, as in tensorflow-datasets' messages).
_END = r"[^\s\"'`<>()\[\]{},;:|*?\x00-\x1f\x7f]"
PERSONAL = re.compile(
    r"(?<![\w.~-])(?<!\w/)(?:"
    rf"(?P<posix>/(?:home|Users)/(?P<puser>[A-Za-z0-9._-]+))(?P<prest>/{_END}*)?"
    rf"|(?P<win>[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)(?P<wuser>[A-Za-z0-9._ -]+?))"
    rf"(?P<wrest>(?:\\\\|\\|/){_END}*)?"
    r")(?=$|[\s\"'`<>()\[\]{},;|*?:\x00-\x1f\x7f])"
)
# An ANSI escape sequence (colours, bold): "\x1b[1m/Users/maya/...\x1b[0m". Blanked out
# before matching, so the path after it starts after a non-word character, not after "m".
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Folders that are not anyone's home.
NOT_PERSONAL = frozenset({"shared", "public", "default", "all users", "default user", "runner"})
_CHEAP = ("/home/", "/Users/", "Users\\", "Users/")


class PersonalPath(NamedTuple):  # not a frozen dataclass: ~1 ms less at import
    """One personal path: 1-based ``line`` and ``col`` within the scanned text."""

    line: int
    col: int
    text: str
    user: str


def might_contain(text: str) -> bool:
    # "Users" first: every Windows and macOS marker holds it, and most texts have none
    return "/home/" in text or ("Users" in text and any(m in text for m in _CHEAP[1:]))


def _matches(text: str) -> list[re.Match[str]]:
    if not might_contain(text):
        return []
    if "\x1b" in text:  # the same length, so the spans of the matches hold in ``text``
        text = _ANSI.sub(lambda m: "\x00" * len(m.group()), text)
    found = []
    for match in PERSONAL.finditer(text):
        user = match.group("puser") or match.group("wuser") or ""
        if user.lower() not in NOT_PERSONAL:
            found.append(match)
    return found


def find_paths(text: str, *, first_line: int = 1) -> list[PersonalPath]:
    """Personal paths in ``text``, lines numbered from ``first_line``."""
    found = []
    line = counted = 0  # newlines counted up to the last match: linear in the text
    for match in _matches(text):
        start = match.start()
        line += text.count("\n", counted, start)
        counted = start
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        user = match.group("puser") or match.group("wuser") or ""
        found.append(PersonalPath(first_line + line, col, match.group(0), user))
    return found


def fix_paths(text: str, resolve: Callable[[str], str]) -> str:
    """Rewrite each personal path with ``resolve(remainder)``; remainder is after the user."""
    matches = _matches(text)
    if not matches:
        return text
    out = []
    pos = 0
    for match in matches:
        out.append(text[pos : match.start()])
        rest = match.group("prest") if match.group("posix") else match.group("wrest")
        out.append(resolve(rest or ""))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def resolver(file_dir: Path, project_dir: Path, root: Path) -> Callable[[str], str]:
    """Map the part after ``/home/<user>`` to a path relative to ``file_dir``, else ``~/...``.

    The path counts as pointing into the project when some tail of it names a file or folder
    that exists in the project (``/home/maya/work/churn/data/x.csv`` -> ``data/x.csv``).
    """

    def resolve(rest: str) -> str:
        windows = "\\" in rest
        sep = "\\\\" if "\\\\" in rest else "\\" if windows else "/"
        parts = [p for p in re.split(r"\\\\|\\|/", rest) if p]
        if not parts:
            return "~"
        for i in range(len(parts)):
            tail = parts[i:]
            for base in (project_dir, root):
                candidate = base.joinpath(*tail)
                if tail and _exists_inside(candidate, root):
                    relative = os.path.relpath(candidate, file_dir)
                    relative = PurePosixPath(*Path(relative).parts).as_posix()
                    return relative.replace("/", sep) if windows else relative
        return "~" + sep + sep.join(parts) if windows else "~/" + "/".join(parts)

    return resolve


def _exists_inside(path: Path, root: Path) -> bool:
    try:
        if not os.path.lexists(path):
            return False
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    return resolved == root or root in resolved.parents
