"""Cells that raised: the error outputs a notebook holds, with their cell and line.

``folio check`` warns about them (NB016, before ``folio clean`` drops them), ``folio run``
counts them against the project's badge when it does not execute the notebook itself, and a
page can say which cell failed. Cheap: a notebook without the text ``"output_type": "error"``
is never parsed here (the key is written unescaped only as a real key, never inside a string,
where JSON escapes the quotes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ERROR_KEY = re.compile(r'"output_type"\s*:\s*"error"')


@dataclass(frozen=True)
class Raised:
    """One error output: the cell that raised (numbered from 1, markdown cells included, as
    Jupyter shows them), the exception, and the 1-based line of the output in the file."""

    cell: int
    ename: str
    evalue: str
    line: int = 0

    @property
    def text(self) -> str:
        """``cell 3 raised ZeroDivisionError: division by zero``, as ``folio run`` words it."""
        return f"cell {self.cell} raised {self.ename}: {self.evalue}".rstrip(": ")


def raised_cells(nb: Any, text: str | None = None) -> list[Raised]:
    """The error outputs of a parsed notebook, in order; lines from ``text`` when given."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return []
    errors = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs")
        for output in outputs if isinstance(outputs, list) else []:
            if isinstance(output, dict) and output.get("output_type") == "error":
                errors.append((number, output))
    # the text is searched only when there is an error output to place (a search of every
    # notebook's text cost 5% of `folio clean --check` on the real-shaped bench corpus)
    lines = _error_lines(text) if errors and text is not None else []
    found: list[Raised] = []
    for number, output in errors:
        line = lines[len(found)] if len(found) < len(lines) else 0
        ename = _one_line(output.get("ename")) or "Error"
        found.append(Raised(number, ename, _one_line(output.get("evalue")), line))
    return found


def raised_in_text(text: str) -> list[Raised]:
    """The error outputs of a notebook's JSON text; ``[]`` for one that cannot be parsed."""
    if ERROR_KEY.search(text) is None:
        return []
    try:
        nb = json.loads(text)
    except ValueError:
        return []  # not a notebook folio can read: NB002 says so
    return raised_cells(nb, text)


def raised_in_file(path: Path) -> list[Raised]:
    """The error outputs of the notebook at ``path``; ``[]`` when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return raised_in_text(text)


def _error_lines(text: str) -> list[int]:
    lines = []
    line, at = 1, 0
    for match in ERROR_KEY.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        lines.append(line)
    return lines


def _one_line(value: object) -> str:
    text = "".join(value) if isinstance(value, list) else str(value or "")
    first = text.strip().splitlines()
    return first[0][:300] if first else ""
