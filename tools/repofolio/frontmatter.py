"""YAML front matter with line numbers, loaded safely; problems are findings, never crashes.

Only PyYAML's safe loader (the C one when present) is used. The composed node graph is walked
iteratively (no recursion) with a depth and size budget, so alias bombs and deeply nested
brackets are reported instead of exhausting memory or the stack. Values are constructed one
top-level key at a time so an impossible date or a 5,000-digit integer is reported at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # the C loader is ~10x faster; PyYAML without libyaml still works
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_DEPTH = 32
MAX_NODES = 10_000
FENCE = "---"


class Finding(NamedTuple):  # not a dataclass: ~0.5 ms less at import
    line: int
    col: int
    code: str
    message: str


@dataclass
class FrontMatter:
    """The parsed head of a Markdown file.

    ``data`` is None when there is no usable front matter. ``lines`` maps a dotted key path
    (``title``, ``links.repo``, ``results.0``) to its 1-based line in the file.
    """

    present: bool
    data: dict[str, Any] | None
    body: str
    body_line: int  # 1-based line of the file where ``body`` starts
    lines: dict[str, int] = field(default_factory=dict)
    plain_scalars: dict[str, str] = field(default_factory=dict)  # path -> source text
    findings: list[Finding] = field(default_factory=list)

    def line_of(self, *path: object) -> int:
        """Line of the deepest known key on ``path``, else of the front matter start."""
        parts = [str(p) for p in path]
        while parts:
            key = ".".join(parts)
            if key in self.lines:
                return self.lines[key]
            parts.pop()
        return 1


def split(text: str) -> tuple[str | None, str, int, bool]:
    """Return (yaml_text or None, body, body_line, terminated)."""
    if not (text.startswith(FENCE + "\n") or text.startswith(FENCE + "\r\n") or text == FENCE):
        return None, text, 1, True
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        stripped = lines[i].rstrip("\r\n")
        if stripped in (FENCE, "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2, True
    return "".join(lines[1:]), "", len(lines) + 1, False


def parse(text: str) -> FrontMatter:
    yaml_text, body, body_line, terminated = split(text)
    if yaml_text is None:
        return FrontMatter(False, None, body, body_line)
    fm = FrontMatter(True, None, body, body_line)
    if not terminated:
        fm.findings.append(
            Finding(1, 1, "FM002", "front matter is not terminated: add a closing '---' line")
        )
        return fm
    if not yaml_text.strip():
        fm.findings.append(Finding(1, 1, "FM004", "front matter is empty, expected a mapping"))
        return fm
    _load(yaml_text, fm)
    return fm


def parse_yaml(text: str) -> FrontMatter:
    """A whole YAML file (``cv.yaml``), read as front matter is: lines of keys, findings at
    their lines (numbered in the file, from 1), never an exception."""
    fm = FrontMatter(True, None, "", 1)
    if not text.strip():
        fm.findings.append(Finding(1, 1, "FM004", "the file is empty"))
        return fm
    _load(text, fm)  # numbers lines as front matter, whose YAML starts on line 2
    fm.lines = {k: v - 1 for k, v in fm.lines.items()}
    fm.findings = [
        Finding(max(f.line - 1, 1), f.col, f.code, _shift_lines(f.message)) for f in fm.findings
    ]
    return fm


def _shift_lines(message: str) -> str:
    import re

    return re.sub(r"on line (\d+)", lambda m: f"on line {int(m[1]) - 1}", message)


def _load(yaml_text: str, fm: FrontMatter) -> None:
    offset = 2  # the YAML starts on line 2 of the file
    deep = _too_deep(yaml_text)
    if deep:  # before parsing: libyaml stops at 1,000 levels, pure-Python PyYAML recurses
        line, col = deep
        fm.findings.append(
            Finding(
                line + offset,
                col,
                "FM006",
                f"front matter is nested more than {MAX_DEPTH} levels deep",
            )
        )
        return
    loader = SafeLoader(yaml_text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            line, col, problem = _yaml_error(exc, yaml_text, offset)
            fm.findings.append(Finding(line, col, "FM003", f"invalid YAML: {problem}"))
            return
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            fm.findings.append(Finding(1, 1, "FM003", f"invalid YAML: {exc}"))
            return
        if node is None:
            fm.findings.append(Finding(1, 1, "FM004", "front matter is empty, expected a mapping"))
            return
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            fm.findings.append(
                Finding(
                    node.start_mark.line + offset,
                    1,
                    "FM004",
                    f"front matter is {kind}, expected a mapping of keys to values",
                )
            )
            return
        ok, built = _walk(node, fm, offset, loader)
        if not ok:
            return
        if built is not None:  # plain mappings, lists and scalars: built during the walk
            fm.data = built
            return
        try:  # anything else (merge keys, aliases, tags): as yaml.safe_load builds it
            fm.data = loader.construct_document(node)
            return
        except (ValueError, yaml.YAMLError, RecursionError, OverflowError):
            pass  # find which value failed, and its line
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            # a failed build leaves half-built containers in the constructor's caches
            loader.constructed_objects, loader.recursive_objects = {}, {}
            loader.state_generators = []
            try:
                data[key] = loader.construct_object(value_node, deep=True)
            except (ValueError, yaml.YAMLError, RecursionError, OverflowError) as exc:
                message = str(exc).split("\n")[0]
                if "integer string conversion" in message:
                    message = "the number has too many digits"
                elif value_node.tag.endswith(":timestamp"):
                    message = f"'{value_node.value}' is not a real date ({message})"
                line = value_node.start_mark.line + offset
                fm.findings.append(
                    Finding(
                        line,
                        value_node.start_mark.column + 1,
                        "FM007",
                        f"cannot read the value of '{key}': {message}",
                    )
                )
        fm.data = data
    finally:
        loader.dispose()


# What was left open when the YAML ended, by PyYAML's context ("while scanning a ...").
_NEVER_CLOSED = {
    "quoted scalar": "the quote that opens here is never closed",
    "flow sequence": "the '[' here is never closed with ']'",
    "flow mapping": "the '{' here is never closed with '}'",
}


def _yaml_error(exc: yaml.MarkedYAMLError, yaml_text: str, offset: int) -> tuple[int, int, str]:
    """(line, col, message) of a YAML syntax error, at the line where the mistake is.

    PyYAML marks the place it noticed the problem. When that is the end of the YAML (a quote
    or a bracket left open), the place is the closing '---', which is never the mistake:
    the context mark (where the unclosed thing opened) is.
    """
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip()
    at_end = problem_mark is None or problem_mark.index >= len(yaml_text.rstrip())
    if at_end and context_mark is not None:
        what = next((v for k, v in _NEVER_CLOSED.items() if context.endswith(k)), None)
        message = what or f"{problem} ({context} that starts here)"
        return context_mark.line + offset, context_mark.column + 1, message
    if problem_mark is None:
        return 1, 1, problem
    if "\t" in yaml_text and "cannot start any token" in problem:
        problem += " (tabs are not allowed for indentation in YAML)"
    opener = next((k for k in _NEVER_CLOSED if context.endswith(k)), None)
    if opener and context_mark is not None and context_mark.line < problem_mark.line:
        problem += f" (the {opener} that starts on line {context_mark.line + offset})"
    return problem_mark.line + offset, problem_mark.column + 1, problem


def _too_deep(text: str) -> tuple[int, int] | None:
    """(line, col) where flow brackets nest deeper than MAX_DEPTH, ignoring quoted text."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = line = 0
    col = 0
    quote = ""
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif ch in "]}" and depth:
            depth -= 1
    return None


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BUILD_ERRORS = (ValueError, TypeError, yaml.YAMLError, RecursionError, OverflowError)


def _walk(
    root: yaml.Node, fm: FrontMatter, offset: int, loader: Any = None
) -> tuple[bool, dict[str, Any] | None]:
    """Record key lines, find duplicate keys, and stop alias bombs and deep nesting.

    Returns (ok, data). With a ``loader``, the walk also builds the values, as PyYAML's safe
    constructor would, while it visits them (one pass instead of two): strings as they are,
    other scalars (numbers, dates, booleans) through the loader. ``data`` is None when the
    document needs PyYAML's constructor itself: an alias (a node met twice), a merge key, a
    key that is not a string, a tagged collection, or a value that fails to build.
    """
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    lines, plain = fm.lines, fm.plain_scalars
    building = loader is not None
    top: dict[str, Any] = {}
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, str, int, Any]] = [(root, "", 0, top)]
    visited = 0
    ok = True
    while stack:
        node, path, depth, into = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            fm.findings.append(
                Finding(
                    1,
                    1,
                    "FM006",
                    f"front matter expands to more than {MAX_NODES} values "
                    "(aliases repeated?); keep it small and plain",
                )
            )
            return False, None
        if depth > MAX_DEPTH:
            fm.findings.append(
                Finding(
                    node.start_mark.line + offset,
                    node.start_mark.column + 1,
                    "FM006",
                    f"front matter is nested more than {MAX_DEPTH} levels deep",
                )
            )
            return False, None
        if building:
            if id(node) in seen_nodes or node.tag not in (_MAP, _SEQ):
                building = False  # an alias or a tagged collection: PyYAML builds it
            seen_nodes.add(id(node))
        kind = type(node)
        if kind is mapping:
            seen: dict[str, int] = {}
            prefix = path + "." if path else ""
            for key_node, value_node in node.value:
                if type(key_node) is not scalar:
                    fm.findings.append(
                        Finding(
                            key_node.start_mark.line + offset,
                            key_node.start_mark.column + 1,
                            "FM003",
                            "invalid YAML: keys must be plain strings",
                        )
                    )
                    ok = False
                    continue
                key = key_node.value
                line = key_node.start_mark.line + offset
                if key in seen:
                    fm.findings.append(
                        Finding(
                            line,
                            key_node.start_mark.column + 1,
                            "FM005",
                            f"duplicate key '{key}' (first defined on line {seen[key]})",
                        )
                    )
                    ok = False
                    continue
                seen[key] = line
                child = prefix + key
                if child not in lines:
                    lines[child] = line
                if building and key_node.tag != _STR:
                    building = False  # a merge key (<<), a number or a date as a key
                if type(value_node) is scalar:
                    if not value_node.style:
                        plain[child] = value_node.value
                    if building:
                        building = _put(into, key, value_node, loader, seen_nodes)
                else:
                    sub: Any = {} if type(value_node) is mapping else []
                    if building:
                        into[key] = sub
                    stack.append((value_node, child, depth + 1, sub))
        elif kind is sequence:
            for i, item in enumerate(node.value):
                child = f"{path}.{i}"
                if child not in lines:
                    lines[child] = item.start_mark.line + offset
                if type(item) is scalar:
                    if not item.style:
                        plain[child] = item.value
                    if building:
                        into.append(None)
                        building = _put(into, len(into) - 1, item, loader, seen_nodes)
                else:
                    sub = {} if type(item) is mapping else []
                    if building:
                        into.append(sub)
                    stack.append((item, child, depth + 1, sub))
    return ok, (top if building and ok else None)


def _put(into: Any, key: Any, node: yaml.ScalarNode, loader: Any, seen: set[int]) -> bool:
    """Set ``into[key]`` to the scalar's value; False when PyYAML must build the document."""
    if id(node) in seen:
        return False  # an alias of a scalar
    seen.add(id(node))
    if node.tag == _STR:
        into[key] = node.value
        return True
    try:
        into[key] = loader.construct_object(node, deep=True)
    except _BUILD_ERRORS:
        return False  # reported with its line by the slow path
    return True
