"""The codes of folio clean's pipeline that only odd files and machines produce: a notebook
too large (NB014) or unreadable (NB015), a file that is not UTF-8 (CL003), ruff failing or
absent (CL004). Each through the real command in a real git repository; nothing of ours is
replaced: the files, the permissions and the environment are made to be that way."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, venv_tool, write_project
from repofolio.clean import nbfile

DATA = Path(__file__).parents[1] / "data" / "clean" / "notebooks"
UNFORMATTED = "def  f( x ):\n    return x+1\n"


def folio(cwd: Path, *args: str, prefix: list[str] | None = None, **kw: object):
    exe = venv_tool("folio")
    assert exe, "folio is this package's console script: pip install -e ."
    return subprocess.run(
        [*(prefix or []), exe, *args], cwd=cwd, capture_output=True, text=True, timeout=300, **kw
    )


def test_nb014_too_large_is_said_from_its_size(repo: Path) -> None:
    folder = write_project(repo, "demo", good_readme(), {"small.py": UNFORMATTED})
    shutil.copy(DATA / "dirty.ipynb", folder / "dirty.ipynb")
    commit(repo)
    huge = folder / "huge.ipynb"  # untracked (git lists it), sparse: no 200 MB on disk
    with open(huge, "wb") as fh:
        fh.write(b'{"cells": [')
        fh.truncate(nbfile.MAX_BYTES + 1)
    proc = folio(repo, "clean")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "projects/demo/huge.ipynb: NB014 notebook is larger than 200 MB; not processed" in (
        proc.stdout.splitlines()
    )
    assert "Traceback" not in proc.stderr
    assert huge.stat().st_size == nbfile.MAX_BYTES + 1  # left as it was
    assert (folder / "small.py").read_text(encoding="utf-8") == "def f(x):\n    return x + 1\n"
    assert "Rewriting projects/demo/dirty.ipynb" in proc.stderr  # the rest is cleaned


def _unreadable_prefix() -> list[str]:
    """How to run a process that really cannot read a mode-000 file: as root, without the
    capabilities that let root read anything (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: setpriv (util-linux) drops the read-anything capability"
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_nb015_unreadable_notebook(repo: Path) -> None:
    folder = write_project(repo, "demo", good_readme())
    shutil.copy(DATA / "dirty.ipynb", folder / "dirty.ipynb")
    shutil.copy(DATA / "clean.ipynb", folder / "locked.ipynb")
    commit(repo)
    locked = folder / "locked.ipynb"
    locked.chmod(0)
    try:
        proc = folio(repo, "clean", "--format", "json", prefix=_unreadable_prefix())
    finally:
        locked.chmod(0o644)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    found = {(d["path"], d["code"], d["message"]) for d in json.loads(proc.stdout)}
    assert ("projects/demo/locked.ipynb", "NB015", "cannot read: Permission denied") in found
    assert "Traceback" not in proc.stderr
    assert locked.read_bytes() == (DATA / "clean.ipynb").read_bytes()
    assert "Rewriting projects/demo/dirty.ipynb" in proc.stderr


def test_cl003_file_not_utf8_is_left_alone(new_user_repo: Path, runner: CliRunner) -> None:
    folder = write_project(new_user_repo, "demo", good_readme(), {"ok.py": "x = 1   \n"})
    latin = folder / "notes.py"
    latin.write_bytes(b'# caf\xe9 au lait   \nprint( "x" )\n')  # Latin-1, trailing spaces
    commit(new_user_repo)
    code, out, err = run_cli(runner, "clean")
    assert (
        "projects/demo/notes.py:1:1: CL003 not valid UTF-8 (byte 0xe9); save the file as "
        "UTF-8; not cleaned" in out.splitlines()
    ), out
    assert latin.read_bytes() == b'# caf\xe9 au lait   \nprint( "x" )\n'
    assert (folder / "ok.py").read_text(encoding="utf-8") == "x = 1\n"  # the rest is cleaned
    assert code == 1  # a file changed; the CL003 warning alone would be 0
    code, out, _ = run_cli(runner, "clean", "--check")
    assert code == 0 and "CL003" in out


def test_cl004_ruff_fails_on_a_broken_configuration(new_user_repo: Path) -> None:
    folder = write_project(new_user_repo, "demo", good_readme(), {"train.py": UNFORMATTED})
    (folder / "ruff.toml").write_text('line-length = "wide"\n', encoding="utf-8")
    commit(new_user_repo)
    proc = folio(new_user_repo, "clean")
    lines = proc.stdout.splitlines()
    assert (
        "projects/demo/ruff.toml: CL004 ruff format failed: ruff failed "
        '(invalid type: string "wide", expected i64)' in lines
    ), proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr  # a warning: nothing was changed
    assert "Traceback" not in proc.stderr
    assert (folder / "train.py").read_text(encoding="utf-8") == UNFORMATTED


@pytest.mark.slow
def test_cl004_ruff_absent(new_user_repo: Path, tmp_path: Path) -> None:
    """An environment with this package but no ruff anywhere: a venv of its own whose
    site-packages reach this one's (a .pth file), and a PATH without ruff."""
    env_dir = tmp_path / "no-ruff"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    inner = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [
        p for p in site.getsitepackages() if (Path(p) / "_editable_impl_repofolio.pth").is_file()
    ]
    ours = ours or site.getsitepackages()
    (Path(inner) / "reach.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in ours), encoding="utf-8"
    )
    path = os.pathsep.join([str(env_dir / "bin"), "/usr/bin", "/bin"])
    assert shutil.which("ruff", path=path) is None, "the arrangement must really have no ruff"
    assert not (env_dir / "bin" / "ruff").exists()
    folder = write_project(new_user_repo, "demo", good_readme(), {"train.py": UNFORMATTED})
    commit(new_user_repo)
    proc = subprocess.run(
        [python, "-m", "repofolio", "clean"],
        cwd=new_user_repo,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": path},
    )
    assert (
        "folio.toml: CL004 ruff is not installed; code was not formatted"  # folio init wrote it
        in proc.stdout.splitlines()
    ), proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert (folder / "train.py").read_text(encoding="utf-8") == UNFORMATTED
    assert sys.executable != str(python)


def test_two_paths_one_the_start_of_the_other_are_each_placed_where_they_are(
    new_user_repo: Path,
) -> None:
    """A cell printing '/Users/maya/data/mnist/3.0.1...' and, in a later output, the shorter
    '/Users/maya/data/mnist/3.0.1': two findings at their own lines, not both at the first."""

    def stream(text: str) -> dict[str, object]:
        return {"name": "stdout", "output_type": "stream", "text": [text]}

    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "c1",
                "metadata": {},
                "outputs": [
                    stream("Preparing to \x1b[1m/Users/maya/data/mnist/3.0.1...\x1b[0m\n"),
                    stream("Prepared \x1b[1m/Users/maya/data/mnist/3.0.1\x1b[0m. Reused.\n"),
                ],
                "source": "load()",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(nb, indent=1)
    write_project(new_user_repo, "demo", good_readme(), {"nb.ipynb": text})
    proc = folio(new_user_repo, "clean", "--check", "--format", "json")
    found = [d for d in json.loads(proc.stdout) if d["code"] == "PA001"]
    lines = text.splitlines()
    placed = sorted((d["line"], d["col"]) for d in found)
    assert len(placed) == 2 and placed[0][0] != placed[1][0], found
    for line, col in placed:  # each at a '/Users/maya' of the file, on a line of its own
        assert lines[line - 1][col - 1 :].startswith("/Users/maya/data/mnist/3.0.1")
    assert "Reused" in lines[placed[1][0] - 1] and "Preparing" in lines[placed[0][0] - 1]


def test_batches_handed_out_largest_first_report_what_path_order_reports(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LARGEST_FIRST is a speed switch: two worker processes taking one-notebook batches,
    biggest first or in path order, report exactly what one process reports."""
    from repofolio.clean import engine

    dirty = json.loads((DATA / "dirty.ipynb").read_text(encoding="utf-8"))
    for i in range(8):  # sizes not in path order: the largest is in the middle
        nb = json.loads(json.dumps(dirty))
        nb["cells"][0]["source"] = "x = 1  # " + "pad " * (100 * ((i * 5) % 8)) + "\n"
        write_project(repo, f"p{i}", good_readme(f"P{i}"), {"nb.ipynb": json.dumps(nb)})
    monkeypatch.setattr(engine, "BATCH_BYTES", 1)  # a batch a notebook
    outputs = []
    for largest_first, jobs in ((True, 2), (False, 2), (True, 1)):
        monkeypatch.setattr(engine, "LARGEST_FIRST", largest_first)
        (repo / "pyproject.toml").write_text(
            f'[tool.folio]\nowner = "Test Owner"\n\n[tool.folio.clean]\njobs = {jobs}\n',
            encoding="utf-8",
        )
        outputs.append(run_cli(runner, "clean", "--check", "--format", "json"))
    assert outputs[0] == outputs[1] == outputs[2]
    code, out, _ = outputs[0]
    assert code == 1 and len({d["path"] for d in json.loads(out)}) == 8


def test_fork_pool_hands_chunks_out_in_the_order_given() -> None:
    from repofolio import parallel

    def started(chunk: list[int]) -> tuple[int, float]:
        begun = time.monotonic()
        time.sleep(0.03)
        return chunk[0], begun

    chunks = [[i] for i in range(8)]
    order = [7, 6, 5, 4, 3, 2, 1, 0]
    results = parallel.fork_pool(started, chunks, 2, order)
    assert [number for number, _ in results] == list(range(8))  # results in chunk order
    begun = {number: at for number, at in results}
    assert begun[7] < begun[0] and begun[6] < begun[1]  # handed out last to first
    with pytest.raises(AssertionError):
        parallel.fork_pool(started, chunks, 2, [0, 1])


def _code_notebook(*sources: str) -> str:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{i}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for i, source in enumerate(sources)
    ]
    meta = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    nb = {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _ruff_logger(tmp_path: Path) -> tuple[list[str], Path]:
    """ruff itself, behind a script that logs each start (its pid) before running it."""
    from repofolio.clean import code

    real = code.ruff_command()
    assert real, "ruff is a dependency of this package (pip install -e .)"
    log = tmp_path / "ruff-starts.log"
    shim = tmp_path / "ruff-logged.py"
    shim.write_text(
        "import os, sys\n"
        f"with open({str(log)!r}, 'a') as fh:\n"
        "    fh.write(f'{os.getppid()}\\n')\n"
        f"os.execv({real[0]!r}, [{real[0]!r}, *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    return [sys.executable, str(shim)], log


def test_checking_many_batches_runs_ruff_once_a_process_with_the_same_verdicts(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """DEFER_FORMAT is a speed switch: with --check over many batches each process runs
    ruff once for all its batches, and reports exactly what one ruff a batch reports."""
    from repofolio.clean import code, engine

    files: dict[str, str] = {
        "a-unformatted.ipynb": _code_notebook("x=1\n", "print( x )"),
        # trailing spaces inside a string: ruff keeps them, the tidying does not
        "b-whitespace.ipynb": _code_notebook('s = """a   \nb"""'),
        "c-clean.ipynb": _code_notebook("x = 1\nprint(x)"),
        "d-bad-cell.ipynb": _code_notebook("def (:\n", "y=2"),  # ruff cannot parse one
        "e-unformatted.py": UNFORMATTED,
        "f-whitespace.py": 's = """a   \nb"""\n',
        "g-clean.py": "x = 1\n",
        "h-syntax.py": "def (:  \n",
    }
    for i in range(3):
        write_project(repo, f"p{i}", good_readme(f"P{i}"), files)
    (repo / "projects" / "p1" / "ruff.toml").write_text("line-length = 20\n", encoding="utf-8")
    (repo / "projects" / "p1" / "long.py").write_text(
        "value = compute(alpha, beta)\n", encoding="utf-8"
    )  # too long for p1's own ruff configuration only
    commit(repo)
    command, log = _ruff_logger(tmp_path)
    monkeypatch.setattr(code, "ruff_command", lambda: list(command))
    outputs, starts = {}, {}
    for defer, jobs, batch_bytes in (
        (True, 1, 1), (True, 2, 1), (False, 1, 1), (False, 2, 1), (True, 1, 0)
    ):  # fmt: skip
        monkeypatch.setattr(engine, "BATCH_BYTES", batch_bytes)  # 1: a batch a file; 0: one
        monkeypatch.setattr(engine, "DEFER_FORMAT", defer)
        (repo / "pyproject.toml").write_text(
            f'[tool.folio]\nowner = "Test Owner"\n\n[tool.folio.clean]\njobs = {jobs}\n',
            encoding="utf-8",
        )
        log.write_text("", encoding="utf-8")
        key = (defer, jobs, batch_bytes)
        outputs[key] = run_cli(runner, "clean", "--check", "--format", "json")
        starts[key] = log.read_text(encoding="utf-8").split()
    assert len(set(outputs.values())) == 1, outputs
    exit_code, out, _ = outputs[True, 1, 1]
    assert exit_code == 1
    reasons = {
        d["path"].split("/", 2)[2]: d["message"]
        for d in json.loads(out)
        if d["code"] in ("NB001", "CL001") and d["path"].startswith("projects/p0/")
    }
    assert "ruff format" in reasons["a-unformatted.ipynb"]
    assert "whitespace" in reasons["b-whitespace.ipynb"]
    assert "ruff format" not in reasons["b-whitespace.ipynb"]
    assert "ruff format" in reasons["d-bad-cell.ipynb"]  # its good cell is formatted
    assert "ruff format" in reasons["e-unformatted.py"]
    assert reasons["f-whitespace.py"].startswith("needs cleaning: whitespace (")
    assert reasons["h-syntax.py"].startswith("needs cleaning: whitespace (")
    assert "c-clean.ipynb" not in reasons and "g-clean.py" not in reasons
    flagged = {d["path"] for d in json.loads(out) if d["code"] == "CL001"}
    assert "projects/p1/long.py" in flagged and "projects/p0/long.py" not in flagged
    # deferred, 27 batches start as many ruff processes as one batch does (a process a
    # configuration and chunk, and the retries of the unparsable cell), and two worker
    # processes at most twice that; one ruff run a batch starts one or more for each
    once = len(starts[True, 1, 0])
    assert len(starts[True, 1, 1]) == once
    assert len(starts[True, 2, 1]) <= 2 * once and len(set(starts[True, 2, 1])) <= 2
    assert len(starts[False, 1, 1]) >= 27 > 2 * once
