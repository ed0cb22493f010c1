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


def _png_b64(size: int) -> str:
    import base64
    import random

    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    return base64.b64encode(header + random.Random(size).randbytes(size)).decode("ascii")


def _image_notebook(*datas: dict[str, Any], markdown: str = "") -> str:
    outputs = [{"data": d, "metadata": {}, "output_type": "display_data"} for d in datas]
    cells = [
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": markdown},
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "c",
            "metadata": {},
            "outputs": outputs,
            "source": "plot()",
        },
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_base64_images_are_read_past_and_nothing_else_is() -> None:
    """BLANK_IMAGES: the images' strings become "", the rest of the JSON is the same."""
    from repofolio.clean import nbfile

    png = _png_b64(3000)
    wrapped = "\n".join(png[i : i + 76] for i in range(0, len(png), 76)) + "\n"  # \n escapes
    text_as_png = __import__("base64").b64encode(b"api_key = 'x' " * 300).decode()
    text = _image_notebook(
        {"image/png": png, "text/plain": "<Figure>"},
        {"image/png": wrapped},
        {"image/jpeg": "/9j/" + png[4:]},
        {"image/png": png[:400]},  # small: parsed as it is
        {"image/png": text_as_png},  # not a PNG: parsed, the scan decodes it
        {"image/gif": ["R0lGOD", png]},  # lines: parsed as they are
        markdown=f'a quoted key: "image/png": "{png}"',  # text inside a string
    )
    blanked = json.loads(nbfile.without_images(text))
    expected = json.loads(text)
    outputs = expected["cells"][1]["outputs"]
    for number in (0, 1, 2):
        outputs[number]["data"][next(iter(outputs[number]["data"]))] = ""
    assert blanked == expected
    assert len(nbfile.without_images(text)) < len(text) - 3 * len(png) + 100
    assert nbfile.without_images('{"cells": []}') == '{"cells": []}'


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda png: png[:2000] + "\n" + png[2000:], id="raw-newline-in-image"),
        pytest.param(lambda png: png[:2000] + "\t" + png[2000:], id="raw-tab-in-image"),
        pytest.param(lambda png: png + '", "x": nul', id="bad-json-after-image"),
        pytest.param(lambda png: png[:2000], id="truncated-in-image"),
    ],
)
def test_a_notebook_json_refuses_is_refused_where_json_says_with_images_blanked(
    broken: Any,
) -> None:
    from repofolio.clean import nbfile

    png = _png_b64(3000)
    text = _image_notebook({"image/png": "PNGDATA"}).replace("PNGDATA", broken(png))
    if broken(png) == png[:2000]:
        text = text[: text.index(png[:2000]) + 2000]
    looked_at = nbfile.parse(text.encode(), blank_images=True)
    parsed = nbfile.parse(text.encode())
    assert looked_at[0] is None and looked_at[2] is not None
    assert looked_at[2] == parsed[2]  # the same code, message, line and column


def test_check_reports_the_same_with_images_read_past_or_parsed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """folio check and folio clean --check over notebooks with images, paths and a secret
    in text outputs and in base64 text: the same findings with BLANK_IMAGES off."""
    from click.testing import CliRunner
    from conftest import run_cli
    from repofolio.clean import nbfile

    png = _png_b64(5000)
    secret_b64 = (
        __import__("base64")
        .b64encode(b"aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYZZ'\n" * 20)
        .decode()
    )
    nb = _image_notebook(
        {"image/png": png, "text/plain": "saved to /Users/maya/figs/a.png"},
        {"image/png": secret_b64},  # not a PNG: parsed (image outputs are not scanned)
        {"text/html": f'<img src="data:image/png;base64,{png}">'},
        {"text/html": f'<a href="data:text/plain;base64,{secret_b64}">notes</a>'},
    )
    write_project(repo, "demo", good_readme(), {"nb.ipynb": nb, "broken.ipynb": nb[:-400]})
    runner = CliRunner()
    found = []
    for blank in (True, False):
        monkeypatch.setattr(nbfile, "BLANK_IMAGES", blank)
        found.append(
            (
                run_cli(runner, "clean", "--check", "--format", "json"),
                run_cli(runner, "check", "--format", "json"),
            )
        )
    assert found[0] == found[1]
    (_, out, _), _ = found[0]
    codes = {(d["path"].rsplit("/", 1)[1], d["code"]) for d in json.loads(out)}
    assert {("nb.ipynb", "PA001"), ("nb.ipynb", "SE001"), ("broken.ipynb", "NB002")} <= codes
