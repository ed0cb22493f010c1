"""folio clean on notebooks: the transform, idempotence, bad notebooks left byte for byte,
the nbstripout comparison, memory on a 50 MB output, and the folio check side."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import commit, folio_importtime, good_readme, run_cli, venv_tool, write_project

DATA = Path(__file__).parents[1] / "data" / "clean" / "notebooks"
FIXTURES = sorted(p.name for p in DATA.glob("*.ipynb"))


def add_notebooks(repo: Path, names: list[str], slug: str = "demo") -> Path:
    folder = write_project(repo, slug, good_readme())
    for name in names:
        shutil.copy(DATA / name, folder / name)
    return folder


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_is_idempotent(repo: Path, runner: CliRunner, name: str) -> None:
    folder = add_notebooks(repo, [name])
    path = folder / name
    code, _, _ = run_cli(runner, "clean", str(path))
    assert code in (0, 1)
    first = path.read_bytes()
    nbformat.validate(nbformat.reads(first.decode(), as_version=nbformat.NO_CONVERT))
    code, out, err = run_cli(runner, "clean", str(path))
    assert code == 0, out + err
    assert path.read_bytes() == first
    code, out, _ = run_cli(runner, "clean", "--check", str(path))
    assert code == 0 and out == ""


def test_dirty_notebook_is_cleaned(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["dirty.ipynb"])
    code, out, err = run_cli(runner, "clean")
    assert code == 1
    assert "Rewriting projects/demo/dirty.ipynb" in err
    nb = read(folder / "dirty.ipynb")
    cells = {c["id"]: c for c in nb["cells"]}
    # metadata noise gone, what renders kept
    assert "widgets" not in nb["metadata"] and "toc" not in nb["metadata"]
    assert nb["metadata"]["language_info"]["name"] == "python"
    assert nb["metadata"]["kernelspec"] == {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    assert all(c["metadata"] == {} for c in nb["cells"])
    # execution counts read top to bottom; unexecuted cells stay unexecuted
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == [1, 2, 3, 4, 5, 6, 7, None, 8]
    assert cells["load"]["outputs"][0]["execution_count"] == 2
    # error and stderr outputs dropped, stdout kept
    assert cells["boom"]["outputs"] == []
    assert [o["name"] for o in cells["warn"]["outputs"]] == ["stdout"]
    # long output truncated with a visible note, at most max-output-lines lines
    text = "".join(cells["train"]["outputs"][0]["text"])
    assert text.count("\n") == 200
    assert text.startswith("epoch 0: loss 1.0000\n")
    assert text.endswith("[folio: output truncated, 301 more lines not shown]\n")
    # the plot and the table are kept, the widget view is not
    assert "image/png" in cells["plot"]["outputs"][0]["data"]
    assert "text/html" in cells["load"]["outputs"][0]["data"]
    assert list(cells["progress"]["outputs"][0]["data"]) == ["text/plain"]
    # ruff formatted the code, magics and shell lines included
    assert source(cells["imports"]).endswith('pd.set_option("display.max_columns", 50)')
    assert "%matplotlib inline" in source(cells["imports"])
    assert source(cells["shell"]).startswith("!pip install -q numpy")
    # trailing empty cells dropped; cell ids kept
    assert nb["cells"][-1]["id"] == "shell"
    assert [c["id"] for c in nb["cells"]][:3] == ["intro", "imports", "load"]
    # written as nbformat writes it
    assert (folder / "dirty.ipynb").read_text(encoding="utf-8") == nbformat.writes(
        nbformat.reads(json.dumps(nb), as_version=nbformat.NO_CONVERT)
    ) + "\n"


def test_check_and_diff_write_nothing(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["dirty.ipynb", "clean.ipynb"])
    before = (folder / "dirty.ipynb").read_bytes()
    code, out, _ = run_cli(runner, "clean", "--check", "--diff")
    assert code == 1
    assert (folder / "dirty.ipynb").read_bytes() == before
    assert "--- a/projects/demo/dirty.ipynb" in out and "+++ b/projects/demo/dirty.ipynb" in out
    assert '-    "ExecuteTime": {' in out
    assert "projects/demo/dirty.ipynb: NB001 notebook needs cleaning: error outputs" in out
    assert "clean.ipynb" not in out


def test_semantically_clean_notebook_keeps_its_json_style(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["clean-foreign-style.ipynb"])
    before = (folder / "clean-foreign-style.ipynb").read_bytes()
    code, out, err = run_cli(runner, "clean")
    assert code == 0, out + err
    assert (folder / "clean-foreign-style.ipynb").read_bytes() == before


def test_malformed_widget_metadata_is_removed_and_nbconvert_renders(
    repo: Path, runner: CliRunner
) -> None:
    from nbconvert import HTMLExporter

    folder = add_notebooks(repo, ["colab-widgets.ipynb"])
    path = folder / "colab-widgets.ipynb"
    raw = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    with pytest.raises(Exception):  # noqa: B017 - jupyter/nbconvert#1731: KeyError 'state'
        HTMLExporter().from_notebook_node(raw)
    code, _, _ = run_cli(runner, "clean")
    assert code == 1
    nb = read(path)
    assert "widgets" not in nb["metadata"] and "colab" not in nb["metadata"]
    assert nb["cells"][0]["metadata"] == {}  # Colab's user name and ids are gone too
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(path, nbformat.NO_CONVERT))
    assert "IntSlider(value=0)" in html


def test_strip_outputs_from_notebook_metadata(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["strip-outputs.ipynb"])
    run_cli(runner, "clean")
    cells = {c["id"]: c for c in read(folder / "strip-outputs.ipynb")["cells"]}
    assert cells["s2"]["outputs"] == [] and cells["s2"]["execution_count"] is None
    assert cells["s4"]["outputs"] == []
    assert cells["s3"]["outputs"] != []  # nbstripout's keep_output tag is honoured


def test_strip_outputs_from_config(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "T"\n[tool.folio.clean]\nstrip-outputs = true\n', encoding="utf-8"
    )
    folder = add_notebooks(repo, ["dirty.ipynb"])
    run_cli(runner, "clean")
    nb = read(folder / "dirty.ipynb")
    assert all(c.get("outputs", []) == [] for c in nb["cells"])


def test_errors_and_stderr_can_be_kept(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "T"\n[tool.folio.clean]\ndrop-errors = false\n'
        "drop-stderr = false\nformat-code = false\n",
        encoding="utf-8",
    )
    folder = add_notebooks(repo, ["dirty.ipynb"])
    run_cli(runner, "clean")
    cells = {c["id"]: c for c in read(folder / "dirty.ipynb")["cells"]}
    assert cells["boom"]["outputs"][0]["output_type"] == "error"
    assert [o["name"] for o in cells["warn"]["outputs"]] == ["stderr", "stdout"]
    assert source(cells["load"]).startswith("df=pd.DataFrame")  # format-code = false


def test_non_python_notebook_is_not_formatted(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["r-kernel.ipynb"])
    run_cli(runner, "clean")
    nb = read(folder / "r-kernel.ipynb")
    assert source(nb["cells"][1]) == "x <- c(1,2,3)\nmean(x)"
    assert nb["metadata"]["kernelspec"]["display_name"] == "R"


def test_cell_ruff_cannot_parse_is_kept_others_formatted(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["syntax-error-cell.ipynb"])
    code, out, err = run_cli(runner, "clean")
    assert code == 1 and "Traceback" not in out + err
    cells = read(folder / "syntax-error-cell.ipynb")["cells"]
    assert source(cells[0]) == "def broken(:\n    pass"  # only trailing whitespace went
    assert source(cells[1]) == "y = [1, 2, 3]"


def _nb(cells: list[dict], minor: int = 5, **extra: object) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": minor, **extra}


CELL = {
    "cell_type": "code",
    "execution_count": None,
    "id": "a",
    "metadata": {},
    "outputs": [],
    "source": "x = 1",
}
BAD: dict[str, tuple[bytes, str]] = {
    "truncated": (json.dumps(_nb([CELL])).encode()[:-25], "NB002"),
    "empty": (b"", "NB003"),
    "whitespace": (b"  \n", "NB003"),
    "top-level-list": (b"[1, 2, 3]\n", "NB004"),
    "bom": (b"\xef\xbb\xbf" + json.dumps(_nb([CELL])).encode(), "NB005"),
    "invalid-utf8": (
        json.dumps(_nb([{**CELL, "source": "caf\u00e9"}]))
        .encode()
        .replace(b"caf\\u00e9", b"caf\xe9"),
        "NB006",
    ),
    "missing-cells": (
        json.dumps({"metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
        "NB007",
    ),
    "missing-nbformat": (json.dumps({"cells": [], "metadata": {}}).encode(), "NB007"),
    "schema-invalid-cell": (
        json.dumps(_nb([{**CELL, "cell_type": "code", "outputs": "no"}])).encode(),
        "NB008",
    ),
    "unknown-cell-type": (json.dumps(_nb([{**CELL, "cell_type": "pie"}])).encode(), "NB008"),
    "duplicate-ids": (json.dumps(_nb([CELL, {**CELL, "source": "y = 2"}])).encode(), "NB009"),
    "lfs-pointer": (
        b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c94"
        b"3f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
        "NB010",
    ),
    "conflict": (
        b'{\n<<<<<<< HEAD\n "cells": [],\n=======\n "cells": [1],\n>>>>>>> branch\n}\n',
        "NB011",
    ),
    "nbformat3": (
        json.dumps(
            {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
        ).encode(),
        "NB012",
    ),
    "attachment-escape": (
        json.dumps(
            _nb(
                [
                    {
                        "attachments": {"../../../etc/evil.png": {"image/png": "iVBORw0KGgo="}},
                        "cell_type": "markdown",
                        "id": "m",
                        "metadata": {},
                        "source": "![x](attachment:../../../etc/evil.png)",
                    }
                ]
            )
        ).encode(),
        "NB013",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_notebook_reported_and_left_byte_for_byte(
    repo: Path, runner: CliRunner, case: str
) -> None:
    data, code = BAD[case]
    folder = write_project(repo, "demo", good_readme(), {"bad.ipynb": data})
    for args in (["clean"], ["clean", "--check"], ["clean", "--fix-paths"]):
        exit_code, out, err = run_cli(runner, *args)
        assert exit_code == 2, (args, out, err)
        lines = [line for line in out.splitlines() if "bad.ipynb" in line]
        assert len(lines) == 1 and f" {code} " in lines[0], out
        assert "Traceback" not in out + err
        assert (folder / "bad.ipynb").read_bytes() == data
    exit_code, out, _ = run_cli(runner, "check", "-q")
    assert "projects/demo/bad.ipynb" in out and code in out


def test_bad_notebook_does_not_stop_the_others(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["dirty.ipynb"])
    (folder / "bad.ipynb").write_bytes(b"{")
    code, out, err = run_cli(runner, "clean")
    assert code == 2
    assert "Rewriting projects/demo/dirty.ipynb" in err
    assert read(folder / "dirty.ipynb")["cells"][1]["execution_count"] == 1


def test_missing_ids_in_45_get_deterministic_ids(repo: Path, runner: CliRunner) -> None:
    cells = [
        {k: v for k, v in CELL.items() if k != "id"},
        {**{k: v for k, v in CELL.items() if k != "id"}, "source": "y = 2"},
    ]
    data = json.dumps(_nb(cells)).encode()
    a = write_project(repo, "a-one", good_readme(), {"n.ipynb": data})
    b = write_project(repo, "b-two", good_readme(), {"n.ipynb": data})
    run_cli(runner, "clean")
    ids = [c["id"] for c in read(a / "n.ipynb")["cells"]]
    assert ids == [c["id"] for c in read(b / "n.ipynb")["cells"]]
    assert len(set(ids)) == 2


def test_50_mb_output_finishes_with_bounded_memory(repo: Path) -> None:
    line = "x" * 99 + "\n"
    big = _nb(
        [
            {
                **CELL,
                "execution_count": 1,
                "outputs": [{"name": "stdout", "output_type": "stream", "text": line * 500_000}],
            }
        ]
    )
    as_lines = json.loads(json.dumps(big))
    as_lines["cells"][0]["outputs"][0]["text"] = [line] * 500_000  # as nbformat saves it
    folder = write_project(
        repo,
        "demo",
        good_readme(),
        {"big.ipynb": json.dumps(big), "big-lines.ipynb": json.dumps(as_lines, indent=1)},
    )
    commit(repo)
    size = (folder / "big.ipynb").stat().st_size
    assert size > 50_000_000
    script = (  # the libraries' own memory is measured first and not counted
        "import resource, sys\n"
        "import nbformat, detect_secrets, repofolio.commands.clean, repofolio.clean.notebook\n"
        "from repofolio.cli import main\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    main(['clean', '-q'])\nexcept SystemExit as e:\n    code = e.code\n"
        "print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=300
    )
    code, peak_kb = proc.stdout.split()[-2:]
    assert code == "1", proc.stderr
    # a few copies of one notebook at a time, not of both: two would need over 400 MB
    assert int(peak_kb) * 1024 < 6 * size, peak_kb
    for name in ("big.ipynb", "big-lines.ipynb"):
        out = read(folder / name)["cells"][0]["outputs"][0]["text"]
        assert "".join(out).endswith("more lines not shown]\n")
        assert (folder / name).stat().st_size < 100_000


# ------------------------------------------------------------- nbstripout comparison

# syntax-error-cell.ipynb is left out: its point is trailing whitespace, which we strip.
COMPARE = [
    "dirty.ipynb",
    "colab-widgets.ipynb",
    "clean.ipynb",
    "nbformat-4.4.ipynb",
    "r-kernel.ipynb",
    "strip-outputs.ipynb",
]


def _cells_view(nb: dict) -> list[dict]:
    """Cells as a dict; cell metadata without the editor state we drop beyond nbstripout."""
    from repofolio.clean.notebook import CELL_NOISE

    return [
        {**c, "metadata": {k: v for k, v in c["metadata"].items() if k not in CELL_NOISE}}
        for c in nb["cells"]
    ]


def test_strip_mode_matches_nbstripout(repo: Path, runner: CliRunner, tmp_path: Path) -> None:
    """Same cells and outputs as the nbstripout command on the same notebooks.

    Trailing empty cells (which we drop and nbstripout keeps) are left out of the inputs,
    ruff is off, so the comparison is of the stripping itself, and the editor state we drop
    beyond nbstripout's list (Colab's user name, JupyterLab's collapse flags) is not compared.
    """
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "T"\n[tool.folio.clean]\nstrip-outputs = true\n'
        "format-code = false\n",
        encoding="utf-8",
    )
    ours_dir = write_project(repo, "demo", good_readme())
    theirs_dir = tmp_path / "nbstripout"
    theirs_dir.mkdir()
    for name in COMPARE:
        nb = json.loads((DATA / name).read_text(encoding="utf-8"))
        while nb["cells"] and not "".join(nb["cells"][-1]["source"]).strip():
            nb["cells"].pop()
        text = json.dumps(nb, indent=1)
        (ours_dir / name).write_text(text, encoding="utf-8")
        (theirs_dir / name).write_text(text, encoding="utf-8")
    nbstripout = venv_tool("nbstripout")
    assert nbstripout, "nbstripout is a dependency: pip install -e ."
    subprocess.run(
        [nbstripout, "--keep-id", *COMPARE],
        cwd=theirs_dir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    code, out, err = run_cli(runner, "clean")
    assert code in (0, 1), out + err
    for name in COMPARE:
        ours = read(ours_dir / name)
        theirs = read(theirs_dir / name)
        assert _cells_view(ours) == _cells_view(theirs), name


# --------------------------------------------------------------------- folio check


def test_folio_check_reports_without_writing(repo: Path, runner: CliRunner) -> None:
    folder = add_notebooks(repo, ["dirty.ipynb", "clean.ipynb"])
    before = (folder / "dirty.ipynb").read_bytes()
    code, out, _ = run_cli(runner, "check", "-q")
    assert code == 1
    assert "projects/demo/dirty.ipynb: NB001 notebook needs cleaning" in out
    assert "projects/demo/dirty.ipynb:" in out and "PA001" in out  # the stderr warning path
    assert "clean.ipynb" not in out
    assert (folder / "dirty.ipynb").read_bytes() == before
    run_cli(runner, "clean")
    code, out, _ = run_cli(runner, "check", "-q")
    assert code == 0, out


def test_check_json_format(repo: Path, runner: CliRunner) -> None:
    add_notebooks(repo, ["dirty.ipynb"])
    code, out, _ = run_cli(runner, "clean", "--check", "--format", "json")
    assert code == 1
    items = json.loads(out)
    assert {i["code"] for i in items} >= {"NB001", "PA001"}


def test_clean_without_notebooks_does_not_import_nbformat(repo: Path) -> None:
    write_project(repo, "demo", good_readme(), {"x.py": "x=1\n"})
    proc, imported = folio_importtime(repo, "clean", "--check", timeout=60)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert not {m for m in imported if m.split(".")[0] in ("nbformat", "detect_secrets")}


def test_one_bad_cell_does_not_stop_formatting_of_other_notebooks(
    repo: Path, runner: CliRunner
) -> None:
    files = {
        f"n{i}.ipynb": (DATA / "clean.ipynb")
        .read_text(encoding="utf-8")
        .replace('"x = 1\\nx"', f'"x=[{i},{i}]\\nx"')
        for i in range(9)
    }
    files["n4.ipynb"] = (DATA / "syntax-error-cell.ipynb").read_text(encoding="utf-8")
    folder = write_project(repo, "demo", good_readme(), files)
    code, out, err = run_cli(runner, "clean")
    assert code == 1, out + err
    for i in range(9):
        cells = read(folder / f"n{i}.ipynb")["cells"]
        if i == 4:
            assert [source(c) for c in cells] == ["def broken(:\n    pass", "y = [1, 2, 3]"]
        else:
            assert source(cells[1]) == f"x = [{i}, {i}]\nx"


def _many(repo: Path, jobs: int) -> Path:
    (repo / "pyproject.toml").write_text(
        f'[tool.folio]\nowner = "T"\n[tool.folio.clean]\njobs = {jobs}\n', encoding="utf-8"
    )
    files: dict[str, str | bytes] = {}
    for i in range(30):
        name = FIXTURES[i % len(FIXTURES)]
        files[f"nb{i:02d}-{name}"] = (DATA / name).read_bytes()
    files["nb99-bad.ipynb"] = b"[1]"
    return write_project(repo, "many", good_readme(), files)


def test_worker_processes_give_the_same_result(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    results = []
    for jobs in (1, 2):
        folder = _many(repo, jobs)
        check = run_cli(runner, "clean", "--check", "--diff")
        fixed = run_cli(runner, "clean")
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
        results.append((check, fixed, files))
        shutil.rmtree(folder)
    assert results[0] == results[1]
    (check_code, check_out, _), (fixed_code, _, fixed_err), _ = results[1]
    assert check_code == 2 and fixed_code == 2
    assert "nb99-bad.ipynb: NB004" in check_out
    rewritten = [line for line in fixed_err.splitlines() if line.startswith("Rewriting ")]
    assert len(rewritten) > 20 and rewritten == sorted(rewritten)  # path order across workers
    from repofolio.clean.engine import job_count
    from repofolio.commands.clean import select_targets
    from repofolio.config import load_config

    _many(repo, 2)
    cfg = load_config(repo)
    assert job_count(cfg, select_targets(cfg, [])) == 2  # the second run really forked


@pytest.mark.parametrize(
    ("text", "lines", "chars"),
    [
        ("".join(f"line {i}\n" for i in range(1000)), 200, 20_000),
        ("".join(f"line {i}\n" for i in range(1000)), 10, 20_000),
        ("x" * 100_000, 200, 20_000),  # one huge line, no newline
        ("y" * 50_000 + "\n" + "short\n" * 5, 200, 20_000),
        ("".join(f"{i:05d}" * 40 + "\n" for i in range(300)), 200, 5_000),
        ("fits\n" * 199, 200, 20_000),
    ],
)
def test_truncate_is_bounded_visible_and_idempotent(text: str, lines: int, chars: int) -> None:
    from repofolio.clean.notebook import truncate

    once = truncate(text, lines, chars)
    assert truncate(once, lines, chars) == once
    assert once.count("\n") <= lines and len(once) <= chars
    if once != text:
        assert once.endswith("not shown]\n") and "[folio: output truncated, " in once
        assert text.startswith(once.split("[folio:")[0].rstrip("\n")[:20])


# ------------------------------------------------- a cell that contradicts itself (NB017)
STRIP_CONFIG = '[tool.folio]\nowner = "T"\n[tool.folio.clean]\nstrip-outputs = true\n'


def _contradiction_repo(repo: Path) -> Path:
    (repo / "pyproject.toml").write_text(STRIP_CONFIG, encoding="utf-8")
    folder = add_notebooks(repo, ["contradicting-tags.ipynb", "dirty.ipynb", "clean.ipynb"])
    commit(repo)
    return folder


def _nb016_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if "NB017" in line]


def test_contradicting_cell_is_one_error_and_the_rest_is_cleaned(
    repo: Path, runner: CliRunner
) -> None:
    folder = _contradiction_repo(repo)
    before = (folder / "contradicting-tags.ipynb").read_bytes()
    code, out, err = run_cli(runner, "clean")
    assert code == 2, out + err
    assert _nb016_lines(out) == [
        "projects/demo/contradicting-tags.ipynb:26:4: NB017 cell 3 (id 'k3'): nbstripout "
        "cannot strip outputs: cell metadata contradicts tags: `keep_output` is false, but "
        "`keep_output` in tags"
    ]
    text = (folder / "contradicting-tags.ipynb").read_text(encoding="utf-8")
    assert text.splitlines()[25].strip() == '"id": "k3",'  # the line named is the cell's
    assert (folder / "contradicting-tags.ipynb").read_bytes() == before  # left as it was
    dirty = read(folder / "dirty.ipynb")  # the other notebooks of the run are stripped
    assert all(c.get("outputs", []) == [] for c in dirty["cells"])
    assert "Rewriting projects/demo/dirty.ipynb" in err
    code, out, _ = run_cli(runner, "clean", "--check")  # --check says the same, writes nothing
    assert code == 2 and len(_nb016_lines(out)) == 1
    assert (folder / "contradicting-tags.ipynb").read_bytes() == before


def test_contradicting_cell_in_a_real_process_has_no_traceback(repo: Path) -> None:
    folder = _contradiction_repo(repo)
    folio = venv_tool("folio")
    assert folio, "folio is this package's console script: pip install -e ."
    proc = subprocess.run(
        [folio, "clean", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "MetadataError" not in proc.stderr
    found = [d for d in json.loads(proc.stdout) if d["code"] == "NB017"]
    assert [(d["path"], d["line"]) for d in found] == [
        ("projects/demo/contradicting-tags.ipynb", 26)
    ]
    assert "cell 3 (id 'k3')" in found[0]["message"]
    assert all(c.get("outputs", []) == [] for c in read(folder / "dirty.ipynb")["cells"])


def test_any_nbstripout_error_names_what_it_can() -> None:
    from repofolio.clean import notebook

    nb = notebook.load((DATA / "clean.ipynb").read_bytes()).nb
    # an error no single cell reproduces: the notebook is named, no cell is guessed
    problem = notebook._strip_problem(nb, ValueError("unexpected\nshape"))
    assert (problem.code, problem.message) == (
        "NB017",
        "nbstripout cannot strip outputs: unexpected shape",
    )
    contradicting = notebook.load((DATA / "contradicting-tags.ipynb").read_bytes()).nb
    with pytest.raises(notebook.StripError) as caught:
        notebook.clean(contradicting, notebook.Options(strip_outputs=True))
    assert caught.value.problem.message.startswith("cell 3 (id 'k3'): ")
    # the notebook is left as it was read: outputs and counts still there
    assert contradicting["cells"][2]["outputs"] and contradicting["cells"][2]["execution_count"]


def test_check_says_which_command_cleans_the_notebook(repo: Path, runner: CliRunner) -> None:
    add_notebooks(repo, ["dirty.ipynb"])
    code, out, err = run_cli(runner, "check")
    assert code == 1
    line = next(x for x in (out + err).splitlines() if "NB001" in x)
    assert line.endswith("('folio clean projects/demo/dirty.ipynb' fixes it)"), line
    code, _, _ = run_cli(runner, "clean", "projects/demo/dirty.ipynb")
    assert code == 1  # it changed the file
    assert "NB001" not in "".join(run_cli(runner, "check")[1:])
