"""The front matter records: the validator `folio check` runs is pydantic's, compiled.

metamodel.py declares the schema as pydantic models, once; _metacore.py holds what that
declaration compiles to (the records' fields and pydantic-core's schema), which model.py runs
on pydantic-core with plain records. These tests hold the file equal to what the declaration
gives now, and the three ways of validating (pydantic's models, the kept schema, the schema
compiled at run time when the kept one cannot be used) equal on values and errors, over
inputs that reach every field and constraint.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import folio_importtime, good_readme, write_project
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import SchemaValidator, ValidationError
from repofolio import _metacore, metamodel, model
from repofolio.metarules import date_or_period
from repofolio.model import META_FIELDS, Period, ProjectMeta, build_validator, validate_meta

BASE: dict[str, Any] = {"title": "Churn model", "summary": "Predicts churn.", "date": "2024-05"}

# (id, front matter): valid and invalid, every field and every kind of error
INPUTS: list[tuple[str, dict[str, Any] | object]] = [
    ("minimal", BASE),
    ("stripped", {**BASE, "title": "  Churn  ", "tags": [" nlp ", "ml"], "results": [" F1 0.9 "]}),
    ("date-object", {**BASE, "date": dt.date(2024, 5, 1)}),
    ("datetime", {**BASE, "date": dt.datetime(2024, 5, 1, 0, 0)}),
    ("date-text", {**BASE, "date": "2024-05-01"}),
    ("period", {**BASE, "date": None, "period": {"start": "2023-01", "end": "present"}}),
    ("period-dates", {**BASE, "period": {"start": dt.date(2023, 1, 2), "end": "2024-02"}}),
    (
        "every-field",
        {
            **BASE,
            "status": "maintained",
            "tags": ["nlp"],
            "skills": ["PyTorch", "SQL"],
            "role": "Solo",
            "highlight": 2,
            "links": {"repo": "https://github.com/a/b", "demo": "https://a.b"},
            "results": ["AUC 0.91"],
            "cover": "images/cover.png",
            "notebooks": ["notebooks/a.ipynb"],
            "run": ["pytest -q", "python -m churn"],
            "requirements": "requirements.txt",
            "timeout": 600,
            "license": "MIT",
            "kind": "research",
            "draft": True,
            "sections": [" Question ", "Findings"],
        },
    ),
    ("bad-kind", {**BASE, "kind": "thesis"}),
    ("draft-text", {**BASE, "draft": "maybe"}),
    ("blank-section", {**BASE, "sections": ["Problem", " "]}),
    ("highlight-true", {**BASE, "highlight": True}),
    ("run-text", {**BASE, "run": "make test"}),
    ("no-when", {"title": "T", "summary": "S"}),
    ("missing-title", {"summary": "S", "date": "2024-05"}),
    ("blank-title", {**BASE, "title": "   "}),
    ("long-title", {**BASE, "title": "x" * 101}),
    ("title-not-text", {**BASE, "title": False}),
    ("bad-month", {**BASE, "date": "2024-13"}),
    ("impossible-day", {**BASE, "date": "2024-02-30"}),
    ("bad-status", {**BASE, "status": "dreaming"}),
    ("unknown-key", {**BASE, "sumary": "typo"}),
    ("period-unknown-key", {**BASE, "period": {"start": "2023-01", "until": "2024-01"}}),
    ("period-no-start", {**BASE, "date": None, "period": {"end": "2024-01"}}),
    ("period-bad-end", {**BASE, "period": {"start": "2023-01", "end": "soon"}}),
    ("blank-tag", {**BASE, "tags": ["ok", " "]}),
    ("tags-not-list", {**BASE, "tags": "nlp"}),
    ("links-not-map", {**BASE, "links": ["https://a.b"]}),
    ("link-not-text", {**BASE, "links": {"repo": 3}}),
    ("timeout-zero", {**BASE, "timeout": 0}),
    ("timeout-text", {**BASE, "timeout": "soon"}),
    ("highlight-text", {**BASE, "highlight": "top"}),
    ("run-number", {**BASE, "run": 3}),
    ("notebooks-text", {**BASE, "notebooks": "a.ipynb"}),
    ("not-a-map", ["title", "summary"]),
    ("none", None),
]


def _plain(value: Any) -> Any:
    """Records and pydantic models alike as (class name, fields)."""
    fields = getattr(value, "__dict__", None)
    if fields is not None and not isinstance(value, type):
        return type(value).__name__, {k: _plain(v) for k, v in fields.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = exc.errors(include_url=False)
    for err in errors:  # the ValueError a validator raised: equal by its words
        if "ctx" in err and "error" in err["ctx"]:
            err["ctx"] = {**err["ctx"], "error": str(err["ctx"]["error"])}
    return errors


# the compiled-at-run-time validator, as an installed pydantic-core that rejected the kept
# schema gets it (the kept schema with a node type no pydantic-core knows)
COMPILED_NOW = build_validator({"type": "no-such-schema-type"})
VALIDATORS = {
    "kept": build_validator(_metacore.core_schema(**model._SCHEMA_NAMES)),
    "compiled-now": COMPILED_NOW,
}


@pytest.mark.parametrize("how", list(VALIDATORS))
@pytest.mark.parametrize("data", [d for _, d in INPUTS], ids=[i for i, _ in INPUTS])
def test_the_records_validate_as_the_pydantic_models_do(data: object, how: str) -> None:
    validator = VALIDATORS[how]
    try:
        expected = metamodel.ProjectMeta.model_validate(data)
    except PydanticValidationError as exc:
        with pytest.raises(ValidationError) as caught:
            validator.validate_python(data)
        assert _errors(caught.value) == _errors(exc)
        assert caught.value.error_count() > 0
        return
    got = validator.validate_python(data)
    assert type(got) is ProjectMeta
    assert _plain(got)[1] == _plain(expected)[1]
    assert got.period is None or type(got.period) is Period
    assert got.__pydantic_fields_set__ == expected.model_fields_set


def test_the_kept_schema_is_the_one_folio_check_runs() -> None:
    validator = model.meta_validator()
    assert validator is model.meta_validator()  # built once
    assert validator is not COMPILED_NOW
    # a schema no pydantic-core takes is not an error: it compiles from the models instead
    assert build_validator(None).validate_python(BASE) == validate_meta(BASE)


def test_metacore_is_what_the_declaration_gives_now() -> None:
    """A changed declaration needs `python -m repofolio.metamodel`; this says so.

    The schema is compared as data: pydantic releases order a schema's keys differently
    (2.10 and 2.14 do), and that changes nothing pydantic-core does.
    """
    stale = "tools/repofolio/_metacore.py is stale: run `python -m repofolio.metamodel`"
    names = {n: metamodel._Name(n) for n in ("Period", "ProjectMeta", "date_or_period")}
    assert _metacore.core_schema(**names) == metamodel.compiled(), stale
    for model_cls, fields_cls in (
        (metamodel.ProjectMeta, _metacore.ProjectMetaFields),
        (metamodel.Period, _metacore.PeriodFields),
    ):
        declared = {  # written as Python keeps an annotation (ast.unparse: 'single' quotes)
            n: ast.unparse(ast.parse(metamodel.annotation(f.annotation), mode="eval"))
            for n, f in model_cls.model_fields.items()
        }
        assert list(fields_cls.__annotations__.items()) == list(declared.items()), stale
    text = Path(_metacore.__file__).read_text(encoding="utf-8")
    assert metamodel._fields_class(metamodel.ProjectMeta) in text, stale


def test_the_generator_writes_the_file(tmp_path: Path) -> None:
    """`python -m repofolio.metamodel FILE` writes the source, which imports and validates."""
    out = tmp_path / "metacore_copy.py"
    proc = subprocess.run(
        [sys.executable, "-m", "repofolio.metamodel", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.read_text(encoding="utf-8") == metamodel.source()
    scope: dict[str, Any] = {}
    exec(compile(out.read_text(encoding="utf-8"), str(out), "exec"), scope)
    schema = scope["core_schema"](
        Period=Period, ProjectMeta=ProjectMeta, date_or_period=date_or_period
    )
    assert SchemaValidator(schema).validate_python(BASE) == validate_meta(BASE)
    assert scope["ProjectMetaFields"].__annotations__ == _metacore.ProjectMetaFields.__annotations__


def test_the_switch_compiles_from_the_models_with_the_same_results(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(repo, "good", good_readme("Good"))
    write_project(repo, "bad", good_readme("Bad", "kind: thesis\nstatus: dreaming\n"))
    kept, kept_mods = folio_importtime(repo, "check", "--format", "json")
    monkeypatch.setenv("FOLIO_COMPILE_SCHEMA", "1")
    now, now_mods = folio_importtime(repo, "check", "--format", "json")
    assert kept.returncode == now.returncode == 1
    assert kept.stdout == now.stdout and "FM012" in kept.stdout
    assert "pydantic" not in kept_mods and "pydantic" in now_mods


def test_record_fields_are_the_declared_ones_in_order() -> None:
    assert META_FIELDS == tuple(metamodel.ProjectMeta.model_fields)
    assert tuple(_metacore.PeriodFields.__annotations__) == tuple(metamodel.Period.model_fields)


def test_period_labels_and_sort_dates() -> None:
    ongoing = validate_meta(
        {**BASE, "date": None, "period": {"start": "2023-01", "end": "present"}}
    )
    assert (ongoing.period_label, ongoing.sort_date) == ("Jan 2023 – Present", "9999-12")
    closed = validate_meta({**BASE, "period": {"start": dt.date(2022, 9, 1), "end": "2023-06"}})
    assert (closed.period_label, closed.sort_date) == ("Sep 2022 – Jun 2023", "2023-06")
    dated = validate_meta({**BASE, "date": "2024-05-03"})
    assert (dated.period_label, dated.sort_date) == ("May 2024", "2024-05-03")
    assert validate_meta({**BASE, "highlight": 3}).highlight_rank == 3
    assert validate_meta({**BASE, "highlight": True}).highlight_rank == 0
    assert validate_meta(BASE).highlight_rank is None


def test_constructing_a_record_validates() -> None:
    meta = ProjectMeta(title=" T ", summary="S", date="2024-05")
    assert (meta.title, meta.tags, meta.links, meta.status) == ("T", [], {}, "completed")
    with pytest.raises(ValidationError, match="one of 'date' or 'period' is required"):
        ProjectMeta(title="T", summary="S")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ProjectMeta(title="T", summary="S", date="2024-05", sumary="x")


def test_mutable_defaults_are_not_shared() -> None:
    one = ProjectMeta(title="A", summary="S", date="2024-01")
    two = validate_meta({"title": "B", "summary": "S", "date": "2024-01"})
    one.tags.append("nlp")
    one.links["repo"] = "https://example.com"
    one.results.append("F1 0.9")
    assert (two.tags, two.links, two.results, two.skills) == ([], {}, [], [])
    assert (one.skills, one.results) == ([], ["F1 0.9"])  # one schema serves the three lists


def test_records_compare_print_copy_and_pickle() -> None:
    data = {**BASE, "period": {"start": "2023-01"}, "tags": ["nlp"]}
    one, two = validate_meta(data), validate_meta(data)
    assert one == two and one is not two
    assert one != validate_meta({**data, "tags": ["cv"]})
    assert one != metamodel.ProjectMeta.model_validate(data)  # another type
    with pytest.raises(TypeError):
        hash(one)  # mutable, as pydantic's models
    assert repr(one).startswith("ProjectMeta(title='Churn model', summary='Predicts churn.', ")
    assert "period=Period(start='2023-01', end=None)" in repr(one)
    for clone in (pickle.loads(pickle.dumps(one)), copy.deepcopy(one), copy.copy(one)):
        assert clone == one and type(clone.period) is Period
        assert clone.__pydantic_fields_set__ == one.__pydantic_fields_set__
    deep = copy.deepcopy(one)
    deep.tags.append("cv")
    assert one.tags == ["nlp"]


def test_the_json_schema_comes_from_the_declaration() -> None:
    schema = metamodel.project_schema()
    assert schema["title"] == "repofolio project write-up"
    assert list(schema["properties"]) == list(META_FIELDS)
    assert schema["required"] == ["title", "summary"]
    assert schema["$defs"]["Period"]["additionalProperties"] is False
    assert schema["properties"]["summary"]["description"].startswith("One sentence")


def _portfolio_files(repo: Path, projects_dir: str) -> tuple[dict[str, list[str]], list[str]]:
    from repofolio.config import load_config
    from repofolio.discover import load_portfolio

    (repo / "pyproject.toml").write_text(
        f'[tool.folio]\nprojects-dir = "{projects_dir}"\n', encoding="utf-8"
    )
    portfolio = load_portfolio(load_config(repo))
    files = {p.rel: portfolio.project_files(p) for p in portfolio.projects}
    notebooks = [nb.rel for p in portfolio.projects for nb in portfolio.notebooks(p)]
    return files, notebooks


def test_files_are_grouped_by_project_the_same_for_every_spelling_of_projects_dir(
    repo: Path,
) -> None:
    nb = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    write_project(repo, "churn", files={"a.py": "x = 1\n", "nb/eda.ipynb": nb, "img/p.png": "x"})
    write_project(repo, "churn-2", files={"b.py": "y = 2\n"})  # a prefix of no other slug
    (repo / "notes.md").write_text("not a project file\n", encoding="utf-8")
    expected = {
        "projects/churn": [
            "projects/churn/README.md",
            "projects/churn/a.py",
            "projects/churn/img/p.png",
            "projects/churn/nb/eda.ipynb",
        ],
        "projects/churn-2": ["projects/churn-2/README.md", "projects/churn-2/b.py"],
    }
    for spelling in ("projects", "./projects", "projects/", "./projects/"):
        files, notebooks = _portfolio_files(repo, spelling)
        assert files == expected, spelling
        assert notebooks == ["projects/churn/nb/eda.ipynb"], spelling


def test_the_checks_see_the_same_files_for_every_spelling_of_projects_dir(
    repo: Path, runner: Any
) -> None:
    from conftest import run_cli

    token = "ghp_" + "x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7I8"
    write_project(repo, "churn", files={"src/config.py": f'TOKEN = "{token}"\n'})
    outputs = set()
    for spelling in ("projects", "./projects"):
        (repo / "pyproject.toml").write_text(
            f'[tool.folio]\nprojects-dir = "{spelling}"\n', encoding="utf-8"
        )
        code, out, _ = run_cli(runner, "check", "--format", "json")
        assert code == 1 and "SE001" in out and "projects/churn/src/config.py" in out
        outputs.add(out)
    assert len(outputs) == 1
