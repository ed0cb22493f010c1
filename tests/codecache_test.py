"""The cache of compiled generated code: the same code from the cache, never an error."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from repofolio import codecache
from repofolio.clean import nbschema

SOURCE = "def answer():\n    return 42\n"


def _run(code: object) -> object:
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the test's own source
    return namespace["answer"]()  # type: ignore[operator]


def test_second_call_loads_the_cached_code_without_generating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []

    def source() -> str:
        made.append(1)
        return SOURCE

    first = codecache.compiled("t", ("v1",), source)
    files = list((tmp_path / "repofolio" / "code").iterdir())
    assert len(files) == 1 and files[0].name.startswith("t-")
    second = codecache.compiled("t", ("v1",), source)
    assert made == [1]  # generated once
    assert _run(first) == _run(second) == 42
    codecache.compiled("t", ("v2",), source)  # other inputs: other code
    assert made == [1, 1]
    assert len(list((tmp_path / "repofolio" / "code").iterdir())) == 2


def test_a_broken_cache_file_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    codecache.compiled("t", ("v1",), lambda: SOURCE)
    (path,) = (tmp_path / "repofolio" / "code").iterdir()
    for junk in (b"", b"\x00garbage", marshal.dumps("not code")):
        path.write_bytes(junk)
        assert _run(codecache.compiled("t", ("v1",), lambda: SOURCE)) == 42
        assert isinstance(marshal.loads(path.read_bytes()), type(compile("", "", "exec")))


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _run(codecache.compiled("t", ("v1",), lambda: SOURCE)) == 42
    assert blocked.read_text(encoding="utf-8").startswith("a file")
    assert not list(tmp_path.glob("**/*.tmp"))


def test_cache_dir_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the XDG rule is Linux's; platformdirs answers elsewhere")
    import platformdirs

    for value in (str(tmp_path), "relative/ignored", ""):
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        expected = os.path.join(platformdirs.user_cache_dir(appauthor=False), "repofolio", "code")
        assert codecache.cache_dir() == expected


def test_switched_off_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(codecache, "ENABLED", False)
    assert _run(codecache.compiled("t", ("v1",), lambda: SOURCE)) == 42
    assert not (tmp_path / "repofolio").exists()


def test_notebook_validator_answers_the_same_cached_and_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached validator is fastjsonschema's own: valid and invalid notebooks alike."""
    import fastjsonschema

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    schema, _ = nbschema.schema_for(5)  # type: ignore[misc]
    fresh = fastjsonschema.compile(schema, detailed_exceptions=False)
    good = {
        "cells": [{"cell_type": "markdown", "id": "a1", "metadata": {}, "source": "# Hi"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    bad = json.loads(json.dumps(good))
    bad["cells"][0]["cell_type"] = "bogus"
    nbschema.validator.cache_clear()
    try:
        for _ in range(2):  # generated and written, then loaded from the file
            cached = nbschema.validator(5)
            assert cached is not None
            assert cached(good) == fresh(good)
            with pytest.raises(fastjsonschema.JsonSchemaException):
                cached(bad)
            nbschema.validator.cache_clear()
        assert len(list((tmp_path / "repofolio" / "code").glob("nbschema-*.bin"))) == 1
    finally:
        nbschema.validator.cache_clear()


def test_folio_clean_switch_off_by_environment(repo: Path, tmp_path: Path) -> None:
    """FOLIO_CODE_CACHE=0: a real run writes no cache, and finds what a cached run finds."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 3,
                "id": "c1",
                "metadata": {},
                "outputs": [],
                "source": "x=1",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (repo / "projects" / "demo").mkdir()
    (repo / "projects" / "demo" / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    folio = [sys.executable, "-m", "repofolio.cli", "clean", "--check", "--format", "json"]
    outputs = []
    for flag, cache in (("0", tmp_path / "off"), ("1", tmp_path / "on"), ("1", tmp_path / "on")):
        env = {**os.environ, "FOLIO_CODE_CACHE": flag, "XDG_CACHE_HOME": str(cache)}
        proc = subprocess.run(folio, cwd=repo, env=env, capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "NB001" in outputs[0]
    assert not (tmp_path / "off").exists()
    assert list((tmp_path / "on" / "repofolio" / "code").glob("nbschema-*.bin"))
