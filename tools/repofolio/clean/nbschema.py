"""nbformat's own v4 JSON schemas, validated with fastjsonschema, without importing nbformat.

``import nbformat`` costs about 0.12 s (jsonschema, through nbformat.validator), more than
``folio check`` spends on everything else. The schema files ship inside the nbformat package:
they are found with ``importlib.util.find_spec`` (which does not import the package) and
compiled the way ``nbformat.validator.get_validator`` picks them: the file of the notebook's
``nbformat_minor``, or for a minor newer than nbformat knows, the latest schema relaxed
(``additionalProperties`` allowed, unknown cell and output types accepted). Compiled without
detailed exceptions (about 10 ms, and twice as fast to validate): only the answer "valid or
not" comes from here. The message for an invalid notebook comes from nbformat's jsonschema
validator (:func:`explain`), which explains errors better and is imported only then.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections.abc import Callable
from typing import Any

_SCHEMA_FILE = re.compile(r"^nbformat\.v4\.(\d+)\.schema\.json$")


@functools.lru_cache(maxsize=1)
def schema_dir() -> str | None:
    """nbformat's ``v4`` folder, found without importing nbformat."""
    try:
        spec = importlib.util.find_spec("nbformat")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], "v4")
    return folder if os.path.isdir(folder) else None


@functools.lru_cache(maxsize=1)
def schema_files() -> dict[int, str]:
    """minor version -> schema file, as nbformat.v4.nbformat_schema lists them."""
    folder = schema_dir()
    if folder is None:
        return {}
    found = {}
    for name in os.listdir(folder):
        match = _SCHEMA_FILE.match(name)
        if match:
            found[int(match.group(1))] = os.path.join(folder, name)
    return found


def schema_for(minor: Any) -> tuple[dict[str, Any], bool] | None:
    """The schema nbformat validates a 4.``minor`` notebook against, and whether relaxed."""
    files = schema_files()
    if not files:
        return None
    current = max(files)
    relaxed = False
    if minor in files:  # a dict lookup, like nbformat's: True finds 4.1, 1.0 finds 4.1
        path = files[minor]
    elif isinstance(minor, (int, float)) and minor > current:
        folder = schema_dir()
        assert folder is not None
        path = os.path.join(folder, "nbformat.v4.schema.json")
        relaxed = True
    else:
        return None
    with open(path, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    if not relaxed:
        _first_match(schema, "cell", "cell_type", ("code", "markdown", "raw"))
        _first_match(schema, "output", "output_type", ("stream", "display_data", "execute_result"))
    if relaxed:  # nbformat.validator: a notebook from the future
        schema = _relax_additional_properties(schema)
        schema["definitions"]["cell"]["oneOf"].append({"$ref": "#/definitions/unrecognized_cell"})
        schema["definitions"]["output"]["oneOf"].append(
            {"$ref": "#/definitions/unrecognized_output"}
        )
    return schema, relaxed


def _first_match(schema: dict[str, Any], name: str, key: str, order: tuple[str, ...]) -> None:
    """``oneOf`` as ``anyOf`` where the branches exclude each other; the likeliest first.

    nbformat's ``cell`` is one of raw, markdown or code cell, and each branch requires its
    own ``cell_type`` value: no two can both match, so "exactly one" is "at least one", and
    fastjsonschema's ``anyOf`` stops at the first match where ``oneOf`` tries every branch
    (a third of the validation time). Left as it is unless every branch is such a ``$ref``.
    """
    definitions = schema.get("definitions", {})
    node = definitions.get(name)
    if not isinstance(node, dict) or set(node) != {"type", "oneOf"}:
        return
    values: dict[str, dict[str, Any]] = {}
    for branch in node["oneOf"]:
        ref = branch.get("$ref", "") if isinstance(branch, dict) else ""
        target = definitions.get(ref.removeprefix("#/definitions/"))
        if set(branch) != {"$ref"} or not ref.startswith("#/definitions/") or not target:
            return
        enum = target.get("properties", {}).get(key, {}).get("enum")
        if key not in target.get("required", ()) or not isinstance(enum, list) or len(enum) != 1:
            return
        if not isinstance(enum[0], str) or enum[0] in values:
            return
        values[enum[0]] = branch
    ranked = sorted(values, key=lambda v: order.index(v) if v in order else len(order))
    node["anyOf"] = [values[v] for v in ranked]
    del node["oneOf"]


def _relax_additional_properties(obj: Any) -> Any:
    if isinstance(obj, dict):
        for key, value in obj.items():
            relaxed = key == "additionalProperties"
            obj[key] = True if relaxed else _relax_additional_properties(value)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            obj[i] = _relax_additional_properties(value)
    return obj


@functools.lru_cache(maxsize=8)
def validator(minor: Any) -> Callable[[Any], Any] | None:
    """A compiled validator for 4.``minor`` (raises on an invalid notebook); None: no schema."""
    found = schema_for(minor)
    if found is None:
        return None
    import fastjsonschema

    from repofolio import codecache

    schema = found[0]
    # detailed_exceptions=False: the messages are jsonschema's (explain), never these;
    # the generated code's bytecode is cached (codecache: 10.6 ms a run, 0.2 ms cached)
    parts = (fastjsonschema.VERSION, json.dumps(schema, sort_keys=True))
    code = codecache.compiled(
        "nbschema", parts, lambda: fastjsonschema.compile_to_code(schema, detailed_exceptions=False)
    )
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - fastjsonschema's code for nbformat's own schema
    check: Callable[[Any], Any] = namespace["validate"]
    return check


def is_valid(nb: Any) -> bool | None:
    """True or False; None when there is no schema for the notebook's minor version."""
    check = validator(_minor(nb))
    if check is None:
        return None
    import fastjsonschema

    try:
        check(nb)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _minor(nb: Any) -> Any:
    return nb.get("nbformat_minor", 0)


def first_error(nb: Any) -> str | None:
    """Why ``nb`` does not match its nbformat schema, or None (the message of NB008)."""
    minor = _minor(nb)
    try:
        valid = is_valid(nb)
        if valid is None:
            return f"no nbformat schema for version 4.{minor}"
        if valid:
            return None
        return explain(nb)
    except Exception as exc:  # noqa: BLE001 - a validator crash is a bad notebook, not ours
        return f"does not match the nbformat schema ({type(exc).__name__})"


def explain(nb: Any) -> str | None:
    """jsonschema's first error through nbformat (imported only for an invalid notebook)."""
    from nbformat.validator import get_validator

    minor = _minor(nb)
    validator = get_validator(4, minor, name="jsonschema")  # type: ignore[no-untyped-call]
    if validator is None:
        return f"no nbformat schema for version 4.{minor}"
    for error in validator.iter_errors(nb):
        where = "/".join(str(p) for p in getattr(error, "absolute_path", []) or [])
        message = str(getattr(error, "message", error)).splitlines()[0]
        if len(message) > 160:
            message = message[:157] + "..."
        return f"does not match the nbformat schema: {message}" + (f" at {where}" if where else "")
    return None
