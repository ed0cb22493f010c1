"""Reading, validating and writing notebooks without nbformat: held to nbformat itself.

folio clean and folio check read notebooks as plain JSON, validate them with fastjsonschema
against nbformat's own schema files and write them with their own encoder, so that
``folio check`` never imports nbformat. These tests compare each step with nbformat's.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import folio_importtime, good_readme, write_project
from nbformat.validator import get_validator
from notebook_test import BAD, CELL, DATA, FIXTURES, _nb
from repofolio.clean import nbschema, notebook


def _nbformat_reads(raw: bytes) -> Any:
    return nbformat.reads(raw.decode("utf-8"), as_version=nbformat.NO_CONVERT)


@pytest.mark.parametrize("name", FIXTURES)
def test_read_matches_nbformat_reads(name: str) -> None:
    raw = (DATA / name).read_bytes()
    loaded = notebook.load(raw)
    assert loaded.problem is None
    theirs = _nbformat_reads(raw)
    # what we do beyond nbformat on read: widget state dropped, missing ids made stable
    theirs.metadata.pop("widgets", None)
    if "missing cell ids" in loaded.reasons:
        for ours_cell, their_cell in zip(loaded.nb["cells"], theirs.cells, strict=True):
            their_cell["id"] = ours_cell["id"]
    assert loaded.nb == theirs
    assert type(loaded.nb) is dict  # plain JSON, no NotebookNode


WEIRD = _nb(
    [
        {
            **CELL,
            "execution_count": 3,
            "metadata": {
                "tags": ["a", "b"],
                "numbers": [1, 2.5, -0.0, 1e300, 12345678901234567890, True, None],
                "nested": {"z": [], "a": {}, "m": [{"k": [1, [2, ["x"]]]}]},
                "text": 'quotes " and \\ and \u2028 and \x01 and caf\u00e9 and \U0001f600',
            },
            "outputs": [
                {
                    "data": {
                        "application/json": {"b": [1, "two"], "a": None},
                        "image/png": "iVBORw0KGgo=\n",
                        "image/svg+xml": "<svg>\n<g/>\n</svg>\n",
                        "text/plain": "one\ntwo\n",
                    },
                    "execution_count": 3,
                    "metadata": {},
                    "output_type": "execute_result",
                },
                {"name": "stdout", "output_type": "stream", "text": "a\r\nb\rc\n"},
                {
                    "ename": "E",
                    "evalue": "v",
                    "output_type": "error",
                    "traceback": ["line 1", "line 2"],
                },
            ],
            "source": "x = 1\n\ny = 'é'\n",
        },
        {
            "attachments": {"a.png": {"image/png": "iVBORw0KGgo="}},
            "cell_type": "markdown",
            "id": "m",
            "metadata": {},
            "source": ["# title\n", "text"],
        },
        {"cell_type": "raw", "id": "r", "metadata": {"format": "text/plain"}, "source": ""},
    ],
    metadata={"language_info": {"name": "python"}, "orig_nbformat": 3},
)


@pytest.mark.parametrize("name", [*FIXTURES, "weird"])
def test_dumps_is_byte_identical_to_nbformat_writes(name: str) -> None:
    raw = json.dumps(WEIRD).encode() if name == "weird" else (DATA / name).read_bytes()
    nb = notebook.load(raw).nb
    expected = nbformat.writes(nbformat.from_dict(copy.deepcopy(nb))) + "\n"
    assert notebook.dumps(copy.deepcopy(nb)) == expected
    notebook.clean(nb, notebook.Options())  # and after cleaning
    expected = nbformat.writes(nbformat.from_dict(copy.deepcopy(nb))) + "\n"
    assert notebook.dumps(nb) == expected


def _variants() -> list[tuple[str, dict[str, Any]]]:
    """Valid and schema-invalid notebooks: every fixture, and each broken in one place."""
    found = []
    for name in FIXTURES:
        nb = json.loads((DATA / name).read_text(encoding="utf-8"))
        found.append((name, nb))
    base = json.loads(json.dumps(WEIRD))
    broken: dict[str, Any] = {
        "outputs-not-list": lambda nb: nb["cells"][0].update(outputs="no"),
        "unknown-cell-type": lambda nb: nb["cells"][2].update(cell_type="pie"),
        "unknown-output-type": lambda nb: nb["cells"][0]["outputs"][1].update(output_type="x"),
        "extra-cell-key": lambda nb: nb["cells"][1].update(extra=1),
        "bad-id": lambda nb: nb["cells"][1].update(id="has space"),
        "no-id": lambda nb: nb["cells"][1].pop("id"),
        "count-string": lambda nb: nb["cells"][0].update(execution_count="3"),
        "stream-name": lambda nb: nb["cells"][0]["outputs"][1].update(name=3),
        "metadata-list": lambda nb: nb.update(metadata=[]),
        "kernelspec-no-name": lambda nb: nb["metadata"].update(kernelspec={"display_name": "P"}),
        "top-level-extra": lambda nb: nb.update(extra=True),
        "attachment-bad-mime": lambda nb: nb["cells"][1]["attachments"].update(x={"a": 1}),
        # the branches of nbformat's oneOf, crossed: what makes anyOf the same verdict
        "no-cell-type": lambda nb: nb["cells"][0].pop("cell_type"),
        "cell-type-number": lambda nb: nb["cells"][0].update(cell_type=5),
        "code-as-markdown": lambda nb: nb["cells"][0].update(cell_type="markdown"),
        "markdown-as-code": lambda nb: nb["cells"][1].update(cell_type="code"),
        "markdown-as-raw": lambda nb: nb["cells"][1].update(cell_type="raw"),
        "raw-as-markdown": lambda nb: nb["cells"][2].update(cell_type="markdown"),
        "cell-not-object": lambda nb: nb["cells"].append(["x"]),
        "no-output-type": lambda nb: nb["cells"][0]["outputs"][1].pop("output_type"),
        "stream-as-error": lambda nb: nb["cells"][0]["outputs"][1].update(output_type="error"),
        "result-as-display": lambda nb: nb["cells"][0]["outputs"][0].update(
            output_type="display_data"
        ),
        "display-as-result": lambda nb: nb["cells"][0]["outputs"][0].pop("execution_count"),
        "output-not-object": lambda nb: nb["cells"][0]["outputs"].append(1),
    }
    found.append(("weird", base))
    for label, breaks in broken.items():
        nb = copy.deepcopy(base)
        breaks(nb)
        found.append((label, nb))
    return found


@pytest.mark.parametrize("minor", [0, 1, 2, 3, 4, 5, 6, 9])
def test_schema_verdict_matches_nbformat_validators(minor: int) -> None:
    """Same verdict as nbformat's fastjsonschema and jsonschema validators, every minor
    version nbformat knows and two from the future (checked against a relaxed schema)."""
    fast = get_validator(4, minor, name="fastjsonschema")
    slow = get_validator(4, minor, name="jsonschema")
    verdicts = set()
    for label, nb in _variants():
        nb = {**copy.deepcopy(nb), "nbformat_minor": minor}
        theirs = next(iter(slow.iter_errors(nb)), None) is None
        assert (next(iter(fast.iter_errors(nb)), None) is None) == theirs, label
        assert nbschema.is_valid(nb) == theirs, label
        error = nbschema.first_error(nb)
        assert (error is None) == theirs, (label, error)
        if error:
            assert error.startswith("does not match the nbformat schema: ")
        verdicts.add(theirs)
    assert verdicts == {True, False}  # the variants test both answers


def test_exclusive_one_of_is_checked_as_any_of() -> None:
    """The speed-up the verdict test above holds to nbformat: cells and outputs first match."""
    for minor in (4, 5):
        found = nbschema.schema_for(minor)
        assert found is not None and not found[1]
        definitions = found[0]["definitions"]
        assert "oneOf" not in definitions["cell"]
        assert definitions["cell"]["anyOf"][0] == {"$ref": "#/definitions/code_cell"}
        assert len(definitions["output"]["anyOf"]) == 4
    relaxed = nbschema.schema_for(6)
    assert relaxed is not None and relaxed[1]
    assert len(relaxed[0]["definitions"]["cell"]["oneOf"]) == 4  # unrecognized_cell: as is


def test_unknown_minor_version_has_no_schema() -> None:
    nb = _nb([CELL], minor=-1)
    assert get_validator(4, -1) is None
    assert nbschema.is_valid(nb) is None
    assert nbschema.first_error(nb) == "no nbformat schema for version 4.-1"


def test_schemas_are_nbformats_own_files() -> None:
    files = nbschema.schema_files()
    assert set(files) == {minor for _, minor in nbformat.v4.nbformat_schema if minor is not None}
    assert Path(nbschema.schema_dir() or "") == Path(nbformat.v4.__file__).parent
    assert json.loads(Path(files[5]).read_text(encoding="utf-8")) == json.loads(
        (Path(nbformat.v4.__file__).parent / "nbformat.v4.5.schema.json").read_text()
    )


# nbformat reads these as notebooks; refusing them is our policy, not a schema verdict.
OUR_POLICY = {
    "NB009": "nbformat invents new ids for duplicates on read; we never write those back",
    "NB012": "an nbformat 3 notebook is valid v3; we clean only v4",
    "NB013": "attachment names are free text to nbformat",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_notebooks_are_bad_for_nbformat_too(case: str) -> None:
    raw, code = BAD[case]
    loaded = notebook.load(raw)
    assert loaded.problem is not None and loaded.problem.code == code
    if code in OUR_POLICY:
        return
    with pytest.raises(Exception):  # noqa: B017, PT011 - nbformat raises many kinds here
        nb = _nbformat_reads(raw)
        nbformat.validate(nb)


def test_folio_check_imports_no_nbformat(repo: Path) -> None:
    folder = write_project(repo, "demo", good_readme())
    for name in ("dirty.ipynb", "clean.ipynb", "nbformat-4.4.ipynb"):
        (folder / name).write_bytes((DATA / name).read_bytes())
    proc, imported = folio_importtime(repo, "check", "-q")
    # the notebooks were read and validated: the dirty one is reported
    assert "projects/demo/dirty.ipynb: NB001" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert "clean.ipynb" not in proc.stdout
    assert "repofolio.clean.nbschema" in imported
    heavy = {"nbformat", "nbconvert", "jsonschema", "nbstripout", "detect_secrets"}
    assert not {m for m in imported if m.split(".")[0] in heavy}


def test_folio_clean_imports_no_nbformat_unless_stripping(repo: Path) -> None:
    folder = write_project(repo, "demo", good_readme())
    (folder / "dirty.ipynb").write_bytes((DATA / "dirty.ipynb").read_bytes())

    def imported_by_clean() -> set[str]:
        proc, imported = folio_importtime(repo, "clean", "-q")
        assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]  # it cleaned something
        return {name.split(".")[0] for name in imported}

    before = (folder / "dirty.ipynb").read_bytes()
    assert not imported_by_clean() & {"nbformat", "jsonschema", "nbstripout", "nbconvert"}
    assert (folder / "dirty.ipynb").read_bytes() != before
    # strip mode is nbstripout's own code, which needs nbformat
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "T"\n[tool.folio.clean]\nstrip-outputs = true\n', encoding="utf-8"
    )
    assert {"nbformat", "nbstripout"} <= imported_by_clean()


def test_conflict_markers_inside_cell_text_are_not_a_conflict() -> None:
    """Markers are looked for only when the file is not JSON: in valid JSON no line can
    start with them (a string cannot hold a raw newline), so text that quotes them is fine."""
    source = ["<<<<<<< HEAD\n", "a = 1\n", "=======\n", "a = 2\n", ">>>>>>> branch\n"]
    raw = json.dumps(_nb([{**CELL, "source": source}]), indent=1).encode()
    loaded = notebook.load(raw)
    assert loaded.problem is None and loaded.nb["cells"][0]["source"] == "".join(source)
    broken = raw.replace(b'"cells": [', b'"cells": [\n<<<<<<< HEAD\n', 1)
    problem = notebook.load(broken).problem
    assert problem is not None and (problem.code, problem.line) == ("NB011", 3)
