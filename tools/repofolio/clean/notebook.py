"""Notebooks: refuse what is not a valid nbformat 4 notebook, then clean what renders badly.

:func:`load` parses the bytes once and returns the notebook as plain dicts and lists (what
``nbformat.reads`` returns, minus the attribute access), or a :class:`Problem` naming why
the file is not a notebook we may rewrite (such files are left byte for byte).
:func:`clean` is a pure transform on the notebook that returns the reasons it changed
anything; an empty set means the file stays exactly as it is, whatever JSON style it was
saved in. Only changed notebooks are written, as nbformat writes them (sorted keys,
one-space indent), so a second run finds nothing to do.

nbformat itself is not imported (0.12 s): reading does what ``nbformat.reads`` does for a
v4 notebook (``rejoin_lines``, ``strip_transient``), writing what ``nbformat.writes`` does
(``split_lines``, ``strip_transient``, its JSON layout), both held to nbformat by the tests,
and validation uses nbformat's own schema files (:mod:`repofolio.clean.nbschema`). nbformat
loads only to explain an invalid notebook and for strip mode (nbstripout needs it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from repofolio.clean import nbschema
from repofolio.clean.nbfile import Problem, parse

# What nbstripout drops by default (its extra_keys), plus the other editors' state.
NOTEBOOK_NOISE = (
    "signature",
    "widgets",
    "varInspector",
    "toc",
    "colab",
    "papermill",
    "execution",
    "vscode",
    "notify_time",
    "celltoolbar",
    "toc-autonumbering",
    "toc-showcode",
    "toc-showmarkdowntxt",
    "toc-showtags",
    "nteract",
    "interpreter",
)
CELL_NOISE = (
    "collapsed",
    "scrolled",
    "ExecuteTime",
    "execution",
    "heading_collapsed",
    "hidden",
    "jupyter",
    "executionInfo",
    "outputId",
    "colab",
    "papermill",
    "pycharm",
    "vscode",
    "trusted",
    "id",
    "cellView",
    "gather",
)
NBSTRIPOUT_KEYS = [f"metadata.{k}" for k in NOTEBOOK_NOISE] + [
    f"cell.metadata.{k}" for k in CELL_NOISE
]
WIDGET_MIMES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)
BINARY_PREFIXES = ("image/", "audio/", "video/", "font/", "application/pdf")
STANDARD_DISPLAY = re.compile(r"^(?:Python(?: \d(?:\.\d+)*)?(?: \(ipykernel\))?)$")
TRUNCATED = "[folio: output truncated, {n} more {unit} not shown]"


@dataclass
class Options:
    """What cleaning a notebook removes (``[tool.folio.clean]``)."""

    drop_errors: bool = True
    drop_stderr: bool = True
    strip_outputs: bool = False
    max_output_lines: int = 200
    max_output_chars: int = 20_000


@dataclass
class Loaded:
    """A notebook as read: its tree, or the problem that kept it from being read."""

    nb: Any = None  # the notebook: dicts and lists, as nbformat.reads gives them
    problem: Problem | None = None
    reasons: set[str] = field(default_factory=set)  # found while reading (signature, ids)


def load(raw: bytes) -> Loaded:
    """Parse and validate; never raises for bad input."""
    data, _, problem = parse(raw)
    if problem:
        return Loaded(problem=problem)
    return from_data(data)


def from_data(data: Any) -> Loaded:
    """Validate parsed JSON as nbformat would read it; ``data`` becomes the notebook."""
    if not isinstance(data, dict):
        names: dict[type, str] = {list: "a list", str: "a string"}
        kind = names.get(type(data), type(data).__name__)
        return Loaded(problem=Problem("NB004", f"top-level JSON is {kind}, expected an object"))
    if "nbformat" not in data:
        return Loaded(problem=Problem("NB007", "missing key 'nbformat': not a notebook"))
    major = data.get("nbformat")
    if major != 4 or not isinstance(data.get("nbformat_minor", 0), int):
        if major in (1, 2, 3):
            return Loaded(
                problem=Problem(
                    "NB012",
                    f"nbformat {major} notebook: open and save it in Jupyter to upgrade "
                    "it to nbformat 4",
                )
            )
        return Loaded(problem=Problem("NB012", f"unsupported nbformat version {major!r}"))
    for key in ("cells", "metadata"):
        if key not in data:
            return Loaded(problem=Problem("NB007", f"missing key '{key}': not a notebook"))
    cells = data["cells"]
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        return Loaded(problem=Problem("NB008", "'cells' is not a list of objects"))
    if not isinstance(data["metadata"], dict):
        return Loaded(problem=Problem("NB008", "'metadata' is not an object"))
    problem = _check_ids(cells) or _check_attachments(cells)
    if problem:
        return Loaded(problem=problem)
    reasons: set[str] = set()
    if "signature" in data["metadata"] or any(
        isinstance(c.get("metadata"), dict) and "trusted" in c["metadata"] for c in cells
    ):
        reasons.add("trusted signature")
    if "widgets" in data["metadata"]:
        # Widget state never renders on a static page, and malformed state crashes nbconvert
        # (jupyter/nbconvert#1731): drop it before validation so it cannot fail it.
        data["metadata"].pop("widgets")
        reasons.add("widget state")
    minor = data.get("nbformat_minor", 0)
    if minor >= 5 and any("id" not in c for c in cells):
        _add_ids(cells)
        reasons.add("missing cell ids")
    try:
        nb = strip_transient(rejoin_lines(data))  # nbformat.v4.nbjson.to_notebook
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return Loaded(problem=Problem("NB008", f"invalid notebook structure ({exc})"))
    error = first_schema_error(nb)
    if error:
        return Loaded(problem=Problem("NB008", error))
    return Loaded(nb=nb, reasons=reasons)


def first_schema_error(nb: Any) -> str | None:
    """nbformat only logs schema errors on read: ask the validator, report the first."""
    return nbschema.first_error(nb)


def warm_validator(minor: int = 5) -> None:
    """Compile the validator once, before worker processes fork (each would pay ~10 ms)."""
    try:
        nbschema.validator(minor)
    except Exception:  # noqa: BLE001, S110 - the workers report it, notebook by notebook
        pass


# nbformat.v4.rwbase, on plain dicts. Attribute access on a NotebookNode raises
# AttributeError(key) for a missing key: _attr keeps that, so a malformed notebook fails
# here with the error nbformat would raise.
def _attr(node: Any, key: str) -> Any:
    try:
        return node[key]
    except (KeyError, TypeError):
        raise AttributeError(key) from None


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _rejoin_mimebundle(data: Any) -> Any:
    for key, value in list(data.items()):
        if isinstance(value, list) and not _is_json_mime(key):
            try:
                data[key] = "".join(value)  # joins only when every line is a string
            except TypeError:
                pass
    return data


def rejoin_lines(nb: Any) -> Any:
    """Multi-line text as one string (``nbformat.v4.rwbase.rejoin_lines``), in place."""
    for cell in _attr(nb, "cells"):
        if "source" in cell and isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
        attachments = cell.get("attachments", {})
        for attachment in attachments.values():
            _rejoin_mimebundle(attachment)
        if cell.get("cell_type", None) == "code":
            for output in cell.get("outputs", []):
                output_type = output.get("output_type", "")
                if output_type in {"execute_result", "display_data"}:
                    _rejoin_mimebundle(output.get("data", {}))
                elif output_type and isinstance(output.get("text", ""), list):
                    output["text"] = "".join(_attr(output, "text"))
    return nb


_NON_TEXT_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})


def _split_mimebundle(data: Any) -> Any:
    for key, value in list(data.items()):
        if isinstance(value, str) and (key.startswith("text/") or key in _NON_TEXT_SPLIT_MIMES):
            data[key] = value.splitlines(True)
    return data


def split_lines(nb: Any) -> Any:
    """Text as lists of lines, as nbformat writes it (``rwbase.split_lines``), in place."""
    for cell in _attr(nb, "cells"):
        source = cell.get("source", None)
        if isinstance(source, str):
            cell["source"] = source.splitlines(True)
        attachments = cell.get("attachments", {})
        for attachment in attachments.values():
            _split_mimebundle(attachment)
        if _attr(cell, "cell_type") == "code":
            for output in _attr(cell, "outputs"):
                output_type = _attr(output, "output_type")
                if output_type in {"execute_result", "display_data"}:
                    _split_mimebundle(output.get("data", {}))
                elif output_type == "stream" and isinstance(_attr(output, "text"), str):
                    output["text"] = output["text"].splitlines(True)
    return nb


def strip_transient(nb: Any) -> Any:
    """``rwbase.strip_transient``: what nbformat drops on read and on write, in place."""
    metadata = _attr(nb, "metadata")
    metadata.pop("orig_nbformat", None)
    metadata.pop("orig_nbformat_minor", None)
    metadata.pop("signature", None)
    for cell in _attr(nb, "cells"):
        _attr(cell, "metadata").pop("trusted", None)
    return nb


def _check_ids(cells: list[dict[str, Any]]) -> Problem | None:
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells, 1):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str):
            continue
        if cell_id in seen:
            # nbformat would invent a new id on read; the owner should pick which one stays.
            return Problem(
                "NB009",
                f"duplicate cell id '{cell_id}' (cells {seen[cell_id]} and "
                f"{index}); give one of them a new id",
            )
        seen[cell_id] = index
    return None


def _check_attachments(cells: list[dict[str, Any]]) -> Problem | None:
    for index, cell in enumerate(cells, 1):
        attachments = cell.get("attachments")
        if not isinstance(attachments, dict):
            continue
        for name in attachments:
            if not is_safe_attachment_name(name):
                return Problem(
                    "NB013",
                    f"attachment name {name!r} in cell {index} would be "
                    "written outside the project; rename it",
                )
    return None


def is_safe_attachment_name(name: str) -> bool:
    """A plain file name: no folders, no parent references, no drive, no control characters."""
    return (
        bool(name)
        and name not in (".", "..")
        and not any(ch in name for ch in ("/", "\\", ":", "\0"))
        and not name.startswith("~")
        and name.isprintable()
    )


def _add_ids(cells: list[dict[str, Any]]) -> None:
    # Deterministic, unlike nbformat's random ids: cleaning twice on two machines agrees.
    import hashlib  # OpenSSL takes 7 ms to load: only for a notebook that lacks ids

    used = {c["id"] for c in cells if isinstance(c.get("id"), str)}
    for index, cell in enumerate(cells):
        if "id" in cell:
            continue
        source = cell.get("source", "")
        seed = f"{index}\0{''.join(source) if isinstance(source, list) else source}"
        cell_id = hashlib.sha1(seed.encode("utf-8", "surrogatepass")).hexdigest()[:8]  # noqa: S324
        while cell_id in used:
            cell_id = hashlib.sha1(cell_id.encode()).hexdigest()[:8]  # noqa: S324
        used.add(cell_id)
        cell["id"] = cell_id


def wants_strip(nb: Any, default: bool) -> bool:
    """Strip all outputs? ``metadata.folio.strip-outputs`` wins over the config."""
    folio = nb["metadata"].get("folio")
    if isinstance(folio, dict):
        for key in ("strip-outputs", "strip_outputs"):
            if isinstance(folio.get(key), bool):
                return bool(folio[key])
    return default


def clean(nb: Any, opts: Options) -> set[str]:
    """Clean ``nb`` in place; return what changed (empty: nothing)."""
    reasons: set[str] = set()
    if wants_strip(nb, opts.strip_outputs):
        _strip_with_nbstripout(nb, reasons)
    else:
        _drop_noise(nb, reasons)
        for cell in nb["cells"]:
            if cell.get("cell_type") == "code":
                _clean_outputs(cell, opts, reasons)
        _renumber(nb, reasons)
    _normalize_kernel(nb, reasons)
    cells = nb["cells"]
    while cells and _is_empty(cells[-1]):
        cells.pop()
        reasons.add("trailing empty cells")
    return reasons


class StripError(Exception):
    """nbstripout refused the notebook: ``problem`` says why and names the cell."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _strip_with_nbstripout(nb: Any, reasons: set[str]) -> None:
    """nbstripout's own strip, keeping cell ids (they anchor links and comments).

    nbstripout works on nbformat's NotebookNode (attribute access): ``nb`` is rebuilt as one
    in place (nbstripout imports nbformat anyway). Whatever nbstripout raises (a cell whose
    metadata says ``keep_output: false`` while its tags hold ``keep_output`` is its
    MetadataError) becomes a :class:`StripError` naming the cell; ``nb`` is left as it was.
    """
    from nbformat import from_dict

    node = from_dict(nb)  # type: ignore[no-untyped-call]  # a copy: nb stays as it was
    try:
        _nbstripout(node)
    except Exception as exc:  # noqa: BLE001 - a library's error about one file, reported
        raise StripError(_strip_problem(nb, exc)) from None
    if node != nb:  # strip_output only drops and resets: equality says whether it did
        reasons.add("outputs stripped")
    nb.clear()
    nb.update(node)


def _nbstripout(node: Any) -> None:
    from nbstripout import strip_output  # type: ignore[import-untyped]

    # keep_output=None: like the nbstripout command, a notebook's metadata.keep_output wins
    strip_output(node, keep_output=None, keep_count=False, keep_id=True, extra_keys=NBSTRIPOUT_KEYS)


def _strip_problem(nb: Any, exc: Exception) -> Problem:
    """What nbstripout said, and the first cell it says it alone of (tried one by one)."""
    from nbformat import from_dict

    detail = str(exc).replace("\n", " ").strip() or type(exc).__name__
    for number, cell in enumerate(nb["cells"], 1):
        try:
            _nbstripout(from_dict({**nb, "cells": [cell]}))  # type: ignore[no-untyped-call]
        except Exception:  # noqa: BLE001 - this cell is the one
            cell_id = cell.get("id")
            where = f"cell {number}" + (f" (id {cell_id!r})" if isinstance(cell_id, str) else "")
            return Problem("NB017", f"{where}: nbstripout cannot strip outputs: {detail}")
    return Problem("NB017", f"nbstripout cannot strip outputs: {detail}")


def _drop_noise(nb: Any, reasons: set[str]) -> None:
    metadata = nb["metadata"]
    for key in NOTEBOOK_NOISE:  # top-level keys: nbstripout's pop_recursive is a plain pop
        if key in metadata:
            del metadata[key]
            reasons.add("metadata")
    for cell in nb["cells"]:
        meta = cell.get("metadata")
        if not meta:
            continue
        for key in CELL_NOISE:
            if key in meta:
                del meta[key]
                reasons.add("metadata")


def _clean_outputs(cell: Any, opts: Options, reasons: set[str]) -> None:
    kept = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error" and opts.drop_errors:
            reasons.add("error outputs")
            continue
        if kind == "stream" and output.get("name") == "stderr" and opts.drop_stderr:
            reasons.add("stderr")
            continue
        if kind == "stream":
            text = output.get("text", "")
            short = truncate(text, opts.max_output_lines, opts.max_output_chars)
            if short != text:
                output["text"] = short
                reasons.add("long outputs truncated")
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            for mime in WIDGET_MIMES:
                if mime in data:
                    del data[mime]
                    reasons.add("widget outputs")
            if not data:
                reasons.add("widget outputs")
                continue
            plain = data.get("text/plain")
            if isinstance(plain, str):
                short = truncate(plain, opts.max_output_lines, opts.max_output_chars)
                if short != plain:
                    data["text/plain"] = short
                    reasons.add("long outputs truncated")
        kept.append(output)
    if len(kept) != len(cell.get("outputs", [])):
        cell["outputs"] = kept


def truncate(text: str, max_lines: int, max_chars: int) -> str:
    """At most ``max_lines`` lines and ``max_chars`` characters, note included (idempotent)."""
    if len(text) <= max_chars and text.count("\n") < max_lines:
        return text
    lines = text.splitlines(keepends=True)
    if len(lines) <= max_lines and len(text) <= max_chars:
        return text
    note_room = 80
    keep: list[str] = []
    size = 0
    for line in lines[: max(max_lines - 1, 0)]:
        if size + len(line) > max_chars - note_room:
            break
        keep.append(line)
        size += len(line)
    if not keep and lines:  # one huge line: keep its head
        head = lines[0][: max(max_chars - note_room - 1, 0)]
        keep = [head + "\n"]
        hidden_chars = len(text) - len(head)
        return "".join(keep) + TRUNCATED.format(n=f"{hidden_chars:,}", unit="characters") + "\n"
    if keep and not keep[-1].endswith("\n"):
        keep[-1] += "\n"
    hidden = len(lines) - len(keep)
    unit = "line" if hidden == 1 else "lines"
    return "".join(keep) + TRUNCATED.format(n=f"{hidden:,}", unit=unit) + "\n"


def _renumber(nb: Any, reasons: set[str]) -> None:
    """Execution counts 1..n top to bottom, so the notebook reads as run in order."""
    count = 0
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        if cell.get("execution_count") is None:
            new = None
        else:
            count += 1
            new = count
        if cell.get("execution_count") != new:
            cell["execution_count"] = new
            reasons.add("execution counts")
        for output in cell.get("outputs", []):
            if (
                output.get("output_type") == "execute_result"
                and output.get("execution_count") != new
            ):
                output["execution_count"] = new
                reasons.add("execution counts")


def _normalize_kernel(nb: Any, reasons: set[str]) -> None:
    """A kernel called 'Python (maya-tf-gpu)' says more about the laptop than the work."""
    metadata = nb["metadata"]
    spec = metadata.get("kernelspec")
    if not isinstance(spec, dict):
        return
    language = str(spec.get("language") or metadata.get("language_info", {}).get("name", ""))
    if language.lower() != "python":
        return
    display = spec.get("display_name")
    if isinstance(display, str) and not STANDARD_DISPLAY.match(display):
        spec["display_name"] = "Python 3"
        reasons.add("kernel name")
    name = spec.get("name")
    if isinstance(name, str) and name not in ("python3", "python", "python2"):
        spec["name"] = "python3"
        reasons.add("kernel name")


def _is_empty(cell: Any) -> bool:
    return (
        not str(cell.get("source", "")).strip()
        and not cell.get("outputs")
        and not cell.get("attachments")
    )


def dumps(nb: Any) -> str:
    """The notebook as nbformat writes it (``nbformat.write`` adds the final newline).

    nbformat's writer, step by step: ``split_lines`` and ``strip_transient`` (in place: call
    this last; :func:`text_pieces` still reads the notebook), then its JSON layout (indent 1,
    sorted keys, ``ensure_ascii=False``) from :func:`_encode`, which the tests hold byte
    for byte to ``nbformat.writes``. json's own encoder goes pure Python once ``indent`` is
    set and took a fifth of the time of cleaning a notebook.
    """
    nb = strip_transient(split_lines(nb))
    out: list[str] = []
    _encode(nb, "", out)
    out.append("\n")
    return "".join(out)


def _encode(value: Any, indent: str, out: list[str]) -> None:
    # Strings, lists of strings (source and output lines: most of a notebook) and scalars
    # are written without a call each; containers recurse.
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is dict or isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        deeper = indent + " "
        inner = "\n" + deeper
        sep = "{" + inner
        for key in sorted(value):
            item = value[key]
            head = sep + (_quote(key) if type(key) is str else _quote(str(key))) + ": "
            simple = _quote(item) if type(item) is str else _scalar(item)
            if simple is not None:
                out.append(head + simple)
            else:
                out.append(head)
                _encode(item, deeper, out)
            sep = "," + inner
        out.append("\n" + indent + "}")
    elif kind is list or isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        deeper = indent + " "
        inner = "\n" + deeper
        try:  # lines of text, most of a notebook: encode_basestring refuses anything else
            out.append("[" + inner + ("," + inner).join(map(_quote, value)) + "\n" + indent + "]")
            return
        except TypeError:
            pass
        sep = "[" + inner
        for element in value:
            simple = _scalar(element)
            if simple is not None:
                out.append(sep + simple)
            else:
                out.append(sep)
                _encode(element, deeper, out)
            sep = "," + inner
        out.append("\n" + indent + "]")
    else:
        out.append(_scalar(value) or "")


def _scalar(value: Any) -> str | None:
    """JSON for a string or a scalar, None for a container (as nbformat's encoder writes it)."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, (dict, list, tuple)):
        return None
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bytes):  # nbformat's BytesEncoder: base64 and other ASCII bytes
        return _quote(value.decode("ascii"))
    return json.dumps(value)  # floats (NaN and Infinity as json writes them), subclasses


_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def text_pieces(nb: Any) -> Iterator[tuple[int, str, str]]:
    """(cell number or 0, where, text) for every text a reader sees, images excluded."""
    meta = dict(nb["metadata"])
    if meta:
        yield 0, "notebook metadata", json.dumps(meta, ensure_ascii=False, indent=1)
    for number, cell in enumerate(nb["cells"], 1):
        source = cell.get("source", "")
        if source:
            yield number, "source", _text(source)
        if cell.get("metadata"):
            yield number, "metadata", json.dumps(cell["metadata"], ensure_ascii=False, indent=1)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                yield number, "output", _text(output.get("text", ""))
            elif kind == "error":
                yield (
                    number,
                    "output",
                    "\n".join(
                        [str(output.get("evalue", "")), *map(str, output.get("traceback", []))]
                    ),
                )
            else:
                for mime, value in output.get("data", {}).items():
                    if mime.startswith(BINARY_PREFIXES):
                        continue
                    yield (
                        number,
                        "output",
                        value
                        if isinstance(value, str)
                        else (_text(value) if isinstance(value, list) else json.dumps(value)),
                    )


def map_texts(nb: Any, fn: Any) -> bool:
    """Apply ``fn`` to sources and text outputs (for --fix-paths); True if anything changed."""
    changed = False

    def apply(value: Any) -> Any:
        nonlocal changed
        if isinstance(value, str):
            new = fn(value)
            changed = changed or new != value
            return new
        return value

    for cell in nb["cells"]:
        if "source" in cell:
            cell["source"] = apply(cell["source"])
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                output["text"] = apply(output.get("text", ""))
            elif kind == "error":
                output["traceback"] = [apply(t) for t in output.get("traceback", [])]
                output["evalue"] = apply(output.get("evalue", ""))
            else:
                data = output.get("data", {})
                for mime in list(data):
                    if not mime.startswith(BINARY_PREFIXES):
                        data[mime] = apply(data[mime])
    return changed


def locate(text: str, value: str, anchor: str | None = None) -> tuple[int, int]:
    """Line and column of ``value`` as JSON-escaped in the file text; (0, 0) if not found."""
    return line_col(text, find(text, value, anchor))


def find(text: str, value: str, anchor: str | None = None, after: int = -1) -> int:
    """Where ``value``, JSON-escaped, is in the file text: the first time after ``anchor``
    (a cell's id) and after position ``after``, else anywhere; -1 if nowhere."""
    needle = json.dumps(value, ensure_ascii=False)[1:-1]
    start = 0
    if anchor:
        at = text.find(anchor)
        start = at if at >= 0 else 0
    start = max(start, after + 1)
    pos = text.find(needle, start)
    if pos < 0 and start:
        pos = text.find(needle)
    return pos


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of ``pos`` in ``text``; (0, 0) for -1."""
    return Lines(text).line_col(pos)


class Lines:
    """Lines and columns of many positions in one text, each counted from the one before:
    the newlines of a 50 MB notebook are not counted again from its start for each of its
    findings (hundreds of paths in a real notebook's outputs)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0  # the last position asked for, and its 1-based line
        self.line = 1

    def line_col(self, pos: int) -> tuple[int, int]:
        if pos < 0:
            return 0, 0
        text = self.text
        if pos >= self.pos:
            self.line += text.count("\n", self.pos, pos)
        else:
            self.line -= text.count("\n", pos, self.pos)
        self.pos = pos
        return self.line, pos - (text.rfind("\n", 0, pos) + 1) + 1


__all__ = ["Loaded", "Options", "Problem", "clean", "dumps", "load"]
