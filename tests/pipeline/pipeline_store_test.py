"""The pipeline's store: where it lives, and a write that a killed process cannot tear."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import commit, git
from repofolio.config import load_config
from repofolio.errors import FolioError
from repofolio.pipeline import model, store
from repofolio.pipeline.location import (
    STORE_NAME,
    _normalized_remote,
    repo_key,
    require_private,
    store_path,
)

CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from repofolio.pipeline import model, store

    path = Path(sys.argv[1])
    pipeline = store.load(path)
    if not pipeline.applications:  # megabytes a write, so that a write takes a while
        for i in range(40):
            model.add_application(
                pipeline, f"Company {i}", "Role " + "x" * 200_000, day=dt.date(2026, 11, 1)
            )
    first = pipeline.applications[0]
    count = int(first.source or 0)
    while True:
        count += 1
        first.source = str(count)
        store.save(path, pipeline)
        print(count, flush=True)
    """
)


def test_a_process_killed_mid_write_leaves_the_old_store_or_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "store" / STORE_NAME
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(20261207)
    torn_writes = 0
    for round_ in range(8):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.strip().isdigit(), child.stderr.read() if child.stderr else first
        if round_ % 2:
            time.sleep(rng.uniform(0.0, 0.2))  # anywhere
        else:  # the moment a write's temporary file appears: inside the write
            deadline = time.monotonic() + 10
            while not any(path.parent.glob(f".{STORE_NAME}.*.tmp")):
                assert time.monotonic() < deadline, "no write seen"
        os.kill(child.pid, signal.SIGKILL)
        printed = [int(first), *(int(n) for n in child.stdout.read().split())]
        child.wait()
        assert child.returncode == -signal.SIGKILL
        # whole: it parses, and it is the last save announced or the one after it
        saved = store.load(path)
        assert saved.applications[0].source in (str(printed[-1]), str(printed[-1] + 1))
        assert len(saved.applications) == 40
        json.loads(path.read_text(encoding="utf-8"))
        torn_writes += any(path.parent.glob(f".{STORE_NAME}.*.tmp"))
    # the kill did land inside a write (its temporary file was left behind) at least once
    assert torn_writes >= 1
    # the next writer, under the lock, clears what killed writes left behind
    with store.editing(path) as pipeline:
        model.add_note(pipeline.application(1), "still here", day=pipeline.application(1).last_date)
    assert list(path.parent.glob(f".{STORE_NAME}.*.tmp")) == []
    assert store.load(path).application(1).history[-1].note == "still here"


def test_the_store_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "data" / STORE_NAME
    store.save(path, model.Pipeline())
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert json.loads(path.read_text("utf-8"))["schema_version"] == 1


def test_a_store_that_is_not_json_is_an_error_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    path.write_text('{"format": "folio-pipeline", "schema_version": 1,\n', encoding="utf-8")
    with pytest.raises(FolioError, match=r"folio-pipeline\.json:2: not valid JSON"):
        with store.editing(path) as pipeline:
            model.add_application(pipeline, "X", "Y", day=model.dt.date(2026, 1, 1))
    assert path.read_text("utf-8") == '{"format": "folio-pipeline", "schema_version": 1,\n'


# -- where -------------------------------------------------------------------------------------


def test_the_default_store_is_a_folder_per_repository_in_the_data_directory(
    new_user_repo: Path,
) -> None:
    cfg = load_config(new_user_repo)
    path = store_path(cfg)
    data = Path(os.environ["XDG_DATA_HOME"])
    assert path.parent.parent == data / "repofolio" / "pipelines"
    assert path.name == STORE_NAME
    assert path.parent.name == repo_key(cfg) and path.parent.name.startswith("jane-portfolio-")
    assert new_user_repo not in path.parents
    # a clone on a second machine, with the origin written another way, finds the same folder
    git(new_user_repo, "remote", "set-url", "origin", "git@github.com:Jane-Doe/portfolio.git")
    assert repo_key(load_config(new_user_repo)) == path.parent.name
    assert _normalized_remote("https://token@github.com/jane-doe/portfolio/") == (
        "github.com/jane-doe/portfolio"
    )


def test_the_configured_store(repo: Path, tmp_path: Path) -> None:
    cfg = load_config(repo)
    elsewhere = tmp_path / "private-repo"
    elsewhere.mkdir()
    for value, expected in [
        (str(elsewhere / "jobs.json"), elsewhere / "jobs.json"),
        (str(elsewhere), elsewhere / STORE_NAME),  # a folder
        ("~/private-repo/jobs.json", elsewhere / "jobs.json"),  # HOME is tmp_path here
        ("../private-repo/jobs.json", repo / "../private-repo/jobs.json"),
    ]:
        pipeline = dataclasses.replace(cfg.pipeline, store=value)
        assert store_path(dataclasses.replace(cfg, pipeline=pipeline)) == expected


def test_a_store_inside_the_repository_is_refused_unless_git_ignores_it(repo: Path) -> None:
    cfg = load_config(repo)
    inside = repo / "private" / "jobs.json"
    with pytest.raises(FolioError) as info:
        require_private(cfg, inside)
    assert str(info.value) == (
        "[tool.folio.pipeline] store 'private/jobs.json' is inside the repository and git does "
        "not ignore it: the pipeline is private; keep it outside (the default) or add it to "
        ".gitignore"
    )
    (repo / ".gitignore").write_text("private/\n", encoding="utf-8")
    require_private(cfg, inside)  # ignored: never pushed
    inside.parent.mkdir()
    inside.write_text("{}", encoding="utf-8")
    git(repo, "add", "-f", "private/jobs.json")
    commit(repo, "oops")
    with pytest.raises(FolioError, match="inside the repository and git does not ignore it"):
        require_private(cfg, inside)  # tracked: .gitignore no longer protects it
