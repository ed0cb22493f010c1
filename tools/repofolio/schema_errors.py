"""pydantic validation errors -> one finding per field, at the line of the key in the file."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic_core import ValidationError

    from repofolio.frontmatter import FrontMatter

# YAML 1.1 reads these unquoted words as booleans or null: `title: no` is False.
_YAML_11 = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""}
# pydantic names the member of a union in `loc`: ('date', 'constrained-str')
_UNION_TAGS = {
    "date",
    "constrained-str",
    "str",
    "bool",
    "int",
    "list[str]",
    "Period",
    "literal['present']",
    "datetime",
}
# friendlier words for fields that are unions
_EXPECTED = {
    "date": "expected a date (YYYY-MM-DD) or a month (YYYY-MM)",
    "period.start": "expected a date (YYYY-MM-DD) or a month (YYYY-MM)",
    "period.end": "expected a date (YYYY-MM-DD), a month (YYYY-MM) or 'present'",
    "highlight": "expected true, false or a number (lower is shown first)",
    "run": "expected a command or a list of commands",
}


def _key(loc: tuple[int | str, ...]) -> list[str]:
    parts = [str(p) for p in loc]
    while len(parts) > 1 and (parts[-1] in _UNION_TAGS or parts[-1].startswith("function-")):
        parts.pop()
    return parts


def schema_findings(
    exc: ValidationError, fm: FrontMatter, fields: Collection[str] = ()
) -> Iterator[tuple[int, int, str, str]]:
    """Yield (line, col, code, message): FM010 missing key, FM011 unknown key, FM012 bad value.

    ``fields``: the keys allowed at the top, for a 'did you mean' on an unknown key.
    """
    seen: set[str] = set()
    for err in exc.errors(include_url=False):
        loc = _key(err["loc"])
        key = ".".join(loc)
        kind = err["type"]
        msg = err["msg"].removeprefix("Value error, ")
        if key in seen:  # a union reports one error per member: keep the first
            continue
        seen.add(key)
        if kind == "missing":
            yield 1, 1, "FM010", f"missing required key '{key}'"
            continue
        line = fm.line_of(*loc) if loc else 1
        if kind == "extra_forbidden":
            hint = ""
            if fields and len(loc) == 1:
                import difflib  # only to word this error

                close = difflib.get_close_matches(loc[0], list(fields), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield line, 1, "FM011", f"unknown key '{key}'{hint}"
            continue
        if not loc:
            yield 1, 1, "FM010" if "required" in msg else "FM012", msg
            continue
        message = f"'{key}': {_EXPECTED.get(key) or msg[0].lower() + msg[1:]}"
        plain = fm.plain_scalars.get(key)
        if plain is not None and "string" in msg and not isinstance(err.get("input"), str):
            if plain.lower() in _YAML_11:
                message += f" (YAML reads unquoted '{plain}' as a boolean or null: quote it)"
            else:
                message += f" (YAML reads unquoted '{plain}' as a number or date: quote it)"
        yield line, 1, "FM012", message
