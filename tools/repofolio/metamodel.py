"""The front matter schema, declared as pydantic models: the one place it is written.

Three things come from these declarations:

- ``folio schema``: the JSON Schema editors use (:func:`project_schema`);
- ``cv.yaml``'s models, which reuse :class:`Period` and the field types;
- the validator `folio check` runs. pydantic compiles a model into a pydantic-core schema; that
  compiled schema is kept in ``_metacore.py`` (``python -m repofolio.metamodel`` writes it),
  and :mod:`repofolio.model` hands it to pydantic-core with plain record classes. With
  pydantic imported and these models built, a one-project `folio check` (which a pre-commit
  hook runs on every commit) took 160 ms; on pydantic-core alone it takes 110 ms. The values
  and the errors are pydantic's own: the same compiled schema runs both ways, and the tests
  hold ``_metacore.py`` equal to what pydantic compiles from these models now.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from repofolio.kinds import DEFAULT_KIND, KINDS
from repofolio.metarules import SCHEMA_URL, YEAR_MONTH, date_or_period

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
YearMonth = Annotated[str, StringConstraints(pattern=YEAR_MONTH.pattern)]
PartialDate = dt.date | YearMonth
Kind = Literal[KINDS]  # type: ignore[valid-type]  # the words of repofolio.kinds.KINDS


class Period(BaseModel):
    """A span of work: ``start``, ``end`` as dates or ``YYYY-MM``; ``end: present`` if ongoing."""

    model_config = ConfigDict(extra="forbid")

    start: PartialDate
    end: PartialDate | Literal["present"] | None = None


class ProjectMeta(BaseModel):
    """Front matter of ``projects/<slug>/README.md``."""

    model_config = ConfigDict(
        extra="forbid", title="repofolio project write-up", json_schema_extra={"$id": SCHEMA_URL}
    )

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    summary: NonEmpty = Field(description="One sentence a recruiter reads on the card.")
    kind: Kind = Field(
        DEFAULT_KIND,
        description="What the project is: code, notebook, research (thesis, paper, talk), "
        "no-code (hardware, client work, an event) or snippet; decides the required sections.",
    )
    draft: bool = Field(
        False, description="Checked, shown by `folio serve`, never published while true."
    )
    date: PartialDate | None = Field(None, description="When it was done: YYYY-MM-DD or YYYY-MM.")
    period: Period | None = None
    status: Literal["active", "completed", "maintained", "archived", "in-progress"] = "completed"
    # plain values as defaults (the JSON Schema shows them); pydantic-core gives every record
    # its own copy of a list or dict
    tags: list[NonEmpty] = Field([])
    skills: list[NonEmpty] = Field([])
    role: str | None = Field(None, description="Your role: 'Solo', 'Team of 3, modelling lead'.")
    highlight: bool | int = Field(False, description="Featured first; an integer orders them.")
    links: dict[str, str] = Field(
        {},
        description="Name to URL: repo, demo, paper, video, kaggle, slides, or any other name.",
    )
    results: list[NonEmpty] = Field(
        [], description="Quantified one-liners: 'F1 0.91 (+0.07 over TF-IDF)'."
    )
    cover: str | None = Field(None, description="Cover image, relative to the project folder.")
    notebooks: list[str] | None = Field(
        None, description="Notebooks to publish, relative paths; default: every .ipynb."
    )
    run: str | list[str] | None = Field(
        None, description="Command(s) proving the code runs, from the project folder."
    )
    requirements: str | None = Field(None, description="A requirements file in the project.")
    timeout: int | None = Field(None, ge=1, description="Seconds before `folio run` stops it.")
    license: str | None = None
    sections: list[NonEmpty] | None = Field(
        None,
        description="This write-up's required sections, in order, instead of its kind's "
        "([tool.folio.kinds.KIND] required-sections).",
    )

    # the compiled schema calls the same function (see _FUNCTIONS)
    _when = model_validator(mode="after")(date_or_period)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema, as ``folio schema`` prints it (the front matter's, cv.yaml's)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}


def project_schema() -> dict[str, Any]:
    return json_schema(ProjectMeta)


# -- the compiled form, as Python source ---------------------------------------------------

METACORE = Path(__file__).with_name("_metacore.py")
# the models the compiled schema makes records of: model -> the record class's name (the
# names model.py gives its records, and the parameters of _metacore.core_schema())
_CLASSES: dict[type[BaseModel], str] = {Period: "Period", ProjectMeta: "ProjectMeta"}
_FUNCTIONS = {date_or_period: "date_or_period"}
# keys that only serve pydantic itself: JSON Schema hooks (functions of the model class) and
# reference names made from id() (unstable from run to run; nothing here is recursive)
_DROPPED = {"metadata", "ref"}


class _Name:
    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Name) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return self.name


def _walk(value: Any, classes: dict[str, Any], functions: dict[str, Any]) -> Any:
    """pydantic's compiled schema of ProjectMeta with its models and functions replaced."""
    if isinstance(value, dict):
        return {k: _walk(v, classes, functions) for k, v in value.items() if k not in _DROPPED}
    if isinstance(value, list | tuple):
        return [_walk(v, classes, functions) for v in value]
    if isinstance(value, type):
        return classes[_CLASSES[value]]  # KeyError: a model this module does not know
    if callable(value):
        return functions[_FUNCTIONS[value]]
    return value


def compiled() -> Any:
    """pydantic's compiled schema of ProjectMeta, with classes and functions as names."""
    names = {n: _Name(n) for n in (*_CLASSES.values(), *_FUNCTIONS.values())}
    return _walk(ProjectMeta.__pydantic_core_schema__, names, names)


def core_schema_for(**records: Any) -> Any:
    """The schema pydantic compiles now, making the given record classes (by name, as
    ``_metacore.core_schema`` takes them): what ``_metacore.py`` holds, compiled at run time."""
    names = {n: records[n] for n in _CLASSES.values()}
    functions = {name: fn for fn, name in _FUNCTIONS.items()}
    return _walk(ProjectMeta.__pydantic_core_schema__, names, functions)


def annotation(tp: Any) -> str:
    """A field's type as Python source for the record classes: constraints dropped (the
    validator holds them), models named by their records."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is type(None):
        return "None"
    if origin is Annotated:
        return annotation(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(dict.fromkeys(annotation(a) for a in args))
    if origin is Literal:
        return "Literal[" + ", ".join(_literal(a, 0) for a in args) + "]"
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(annotation(a) for a in args)}]"
    if tp in _CLASSES:
        return _CLASSES[tp]
    if tp is dt.date:
        return "dt.date"
    if tp in (str, int, bool, float):
        return str(tp.__name__)
    raise TypeError(f"cannot write the type {tp!r} into _metacore.py")


def _fields_class(model: type[BaseModel]) -> str:
    name = _CLASSES[model]
    lines = [
        f"class {name}Fields:",
        f'    """The fields of a {name} record, as metamodel.{model.__name__} declares them."""',
        "",
        "    __slots__ = ()",
        "",
    ]
    lines += [f"    {n}: {annotation(f.annotation)}" for n, f in model.model_fields.items()]
    return "\n".join(lines) + "\n"


def source() -> str:
    """The text of ``_metacore.py``: the records' fields and the compiled schema.

    A sub-schema that comes back (the date-or-month union, an optional text, a list of
    non-empty texts) is written once, as a local the rest refers to.
    """
    tree = compiled()
    names = _shared(tree)
    # in the order named: a sub-schema before any that contains it
    body = "".join(f"    {n} = {_literal(v, 1, names, skip=n)}\n" for n, v in names.values())
    params = ", ".join(f"{n}: Any" for n in sorted({*_CLASSES.values(), *_FUNCTIONS.values()}))
    records = "\n\n".join(_fields_class(m) for m in _CLASSES)
    return (
        '"""The project front matter compiled for pydantic-core: the records\' fields, and the\n'
        "schema that validates into them.\n\n"
        "Written by `python -m repofolio.metamodel` from the declaration in\n"
        "repofolio/metamodel.py: do not edit.\n"
        '"""\n\n'
        "# ruff: noqa: E501 - nested deep, as pydantic compiled it\n\n"
        "from __future__ import annotations\n\n"
        "import datetime as dt\n"
        "from typing import TYPE_CHECKING, Any, Literal\n\n"
        "if TYPE_CHECKING:\n"
        "    from repofolio.model import Period\n\n\n"
        f"{records}\n\n"
        f"def core_schema({params}) -> Any:\n"
        f"{body}"
        f"    return {_literal(tree, 1, names)}\n"
    )


Shared = dict[str, tuple[str, Any]]  # canonical text of a sub-schema -> (local name, value)


def _shared(tree: Any, min_chars: int = 60) -> Shared:
    """The sub-schemas worth a name: written out at least twice, and not tiny."""
    counts: dict[str, int] = {}
    values: dict[str, Any] = {}

    def count(value: Any) -> None:
        if isinstance(value, dict | list) and value:
            text = _literal(value, 0)
            counts[text] = counts.get(text, 0) + 1
            values[text] = value
            for child in value.values() if isinstance(value, dict) else value:
                count(child)

    count(tree)
    chosen = {t for t, n in counts.items() if n > 1 and len(t) >= min_chars}
    while True:  # drop what only ever stands inside one bigger shared sub-schema
        names = _name(chosen, values)
        text = "".join(_literal(v, 0, names, skip=n) for n, v in names.values())
        text += _literal(tree, 0, names)
        uses = {t: text.count(f"{names[t][0]},") + text.count(f"{names[t][0]}\n") for t in chosen}
        once = {t for t, n in uses.items() if n < 2}
        if not once:
            return names
        chosen -= once


def _name(chosen: set[str], values: dict[str, Any]) -> Shared:
    # shorter first: a sub-schema is defined before any that contains it
    ordered = sorted(chosen, key=lambda t: (len(t), t))
    return {t: (f"shared_{i}", values[t]) for i, t in enumerate(ordered, 1)}


def _literal(value: Any, depth: int, names: Shared | None = None, skip: str = "") -> str:
    """``value`` as Python source laid out as ruff formats it (one item a line); a sub-schema
    in ``names`` is written as its name (except the one named ``skip``: its definition)."""
    pad, inner = "    " * depth, "    " * (depth + 1)
    if names and isinstance(value, dict | list) and value:
        name = names.get(_literal(value, 0), ("", None))[0]
        if name and name != skip:
            return name
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{_literal(k, 0)}: {_literal(v, depth + 1, names)},\n" for k, v in value.items()
        ]
        return "{\n" + "".join(items) + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{_literal(v, depth + 1, names)},\n" for v in value]
        return "[\n" + "".join(items) + pad + "]"
    if isinstance(value, str):
        text = repr(value)
        return '"' + text[1:-1].replace('"', '\\"') + '"' if "'" not in value else text
    if value is None or isinstance(value, bool | int | float | _Name):
        return repr(value)
    raise TypeError(f"cannot write a {type(value).__name__} into _metacore.py")


def main(argv: list[str]) -> int:
    """``python -m repofolio.metamodel [FILE]``: write the compiled schema (to _metacore.py)."""
    from repofolio.fsio import write_if_changed

    out = Path(argv[0]) if argv else METACORE
    old = out.read_text(encoding="utf-8") if out.is_file() else None
    print(f"{'wrote' if write_if_changed(out, source(), old) else 'unchanged:'} {out}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
