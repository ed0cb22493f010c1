"""Benchmark `folio clean` (secret scan included) against the `nbstripout` command.

    python bench/bench_clean.py [-n 200] [--repeat 3] [--corpus synthetic|realshaped|DIR]

Corpora:
  synthetic   ../shared/bench/make_corpus.py, N notebooks (one a project): tidy outputs;
  realshaped  bench/make_realshaped.py, N projects: notebooks shaped like real executed ones
              (150 large PNGs in one, JavaScript animations with base64 frames, a data-URI
              image in markdown, Colab widget state, progress bars and ANSI colours,
              right-to-left text, DNA): issue 19's corpus;
  DIR         a portfolio already on disk, e.g. of real notebooks nobody here wrote:
              ``python bench/fetch_real_notebooks.py --portfolio DIR``.

Pairs, interleaved, each on its own fresh copy of the same dirty files (medians and ratios;
below 1 is faster), with each side's peak memory (the largest single process, from wait4):

  folio clean --check      vs  nbstripout --dry-run            (issue 19: <= 0.5x, <= 100 MiB)
  folio clean              vs  nbstripout --keep-output, nbstripout
  folio check              vs  nbstripout --dry-run            (a yardstick: check does more)

then `folio clean` on one notebook. A cold `folio build` on the same corpora against
mkdocs-jupyter is bench/bench_site.py's (``--corpus realshaped``).

The tools run as on any machine after ``pip install``: with Python's bytecode cache on
(PYTHONDONTWRITEBYTECODE is dropped from their environment; some sandboxes export it, and
then every run recompiles the packages from source), and each tool runs once, untimed,
before the timed runs, so the cache is written and the files are in the page cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def find_make_corpus() -> Path:
    for base in (HERE.parent.parent / "shared", HERE.parent / "shared"):
        path = base / "bench" / "make_corpus.py"
        if path.is_file():
            return path
    sys.exit("make_corpus.py not found (expected ../shared/bench/make_corpus.py)")


def tool(name: str) -> list[str]:
    script = Path(sys.executable).with_name(name)
    if script.is_file():
        return [str(script)]
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


# The environment of the timed tools: bytecode caching on, as after any pip install.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measured(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB (the largest process of the command: wait4's ru_maxrss)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # 2: a file could not be processed (real notebooks include broken ones): still a run,
    # unless the tool crashed
    if proc.returncode not in (0, 1, 2) or b"Traceback" in err:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-800:]}")
    return elapsed, usage.ru_maxrss / 1024


def timed(cmd: list[str], cwd: Path) -> float:
    return measured(cmd, cwd)[0]


def fresh_copy(corpus: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(corpus, dest)
    return dest


def make(corpus_kind: str, n: int, out: Path) -> Path:
    """The corpus, as a portfolio in ``out`` (a DIR is copied: the runs write to it)."""
    if corpus_kind == "synthetic":
        cmd = [sys.executable, str(find_make_corpus()), str(out), "-n", str(n), "-k", "1"]
        subprocess.run([*cmd, "--no-git"], check=True, stdout=subprocess.DEVNULL)
    elif corpus_kind == "realshaped":
        cmd = [sys.executable, str(HERE / "make_realshaped.py"), str(out), "-n", str(n)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    else:
        shutil.copytree(Path(corpus_kind), out)
    if not (out / "folio.toml").exists() and "[tool.folio" not in _read(out / "pyproject.toml"):
        (out / "folio.toml").write_text('owner = "Bench Owner"\n', encoding="utf-8")
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


Pair = tuple[str, list[str], str, list[str]]


def without_peer_crashes(corpus: Path, notebooks: list[str], nbstripout: list[str]) -> list[str]:
    """Real notebooks include some nbstripout stops on with a traceback (issue 19: cell
    metadata that contradicts its tags); they are deleted from the corpus, so both tools
    time the same files."""
    kept = []
    for rel in notebooks:
        proc = subprocess.run(
            [*nbstripout, "--dry-run", rel], cwd=corpus, env=ENV, capture_output=True
        )
        if b"Traceback" in proc.stderr:
            (corpus / rel).unlink()
            print(f"left out (nbstripout crashes on it): {rel}")
        else:
            kept.append(rel)
    return kept


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=200, help="notebooks (synthetic) or projects")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", default="synthetic", help="synthetic, realshaped or a DIR")
    args = ap.parse_args()
    folio, nbstripout = tool("folio"), tool("nbstripout")
    work = Path(tempfile.mkdtemp(prefix="folio-bench-clean-"))
    try:
        corpus = make(args.corpus, args.n, work / "corpus")
        notebooks = sorted(
            p.relative_to(corpus).as_posix()
            for p in corpus.rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts
        )
        if args.corpus not in ("synthetic", "realshaped"):
            notebooks = without_peer_crashes(corpus, notebooks, nbstripout)
        size = sum((corpus / n).stat().st_size for n in notebooks) / 1e6
        print(f"{args.corpus}: {len(notebooks)} notebooks, {size:.1f} MB")
        pairs: list[Pair] = [
            ("folio clean --check", [*folio, "clean", "--check", "-q"],
             "nbstripout --dry-run", [*nbstripout, "--dry-run", *notebooks]),
            ("folio clean", [*folio, "clean", "-q"],
             "nbstripout --keep-output", [*nbstripout, "--keep-output", *notebooks]),
            ("folio clean", [*folio, "clean", "-q"],
             "nbstripout", [*nbstripout, *notebooks]),
            ("folio check", [*folio, "check", "-q"],
             "nbstripout --dry-run", [*nbstripout, "--dry-run", *notebooks]),
        ]  # fmt: skip
        # untimed warm-up of each tool: bytecode cache written, files in the page cache
        timed([*folio, "clean", "-q"], fresh_copy(corpus, work / "a"))
        timed([*nbstripout, *notebooks], fresh_copy(corpus, work / "b"))
        print(f"{'A':<22} {'B':<26} {'A s':>7} {'B s':>7} {'A/B':>6} {'A MiB':>6} {'B MiB':>6}")
        for a_name, a_cmd, b_name, b_cmd in pairs:
            a_runs, b_runs, ratios = [], [], []
            for _ in range(args.repeat):
                a = measured(a_cmd, fresh_copy(corpus, work / "a"))
                b = measured(b_cmd, fresh_copy(corpus, work / "b"))
                a_runs.append(a)
                b_runs.append(b)
                ratios.append(a[0] / b[0])
            a_s = statistics.median(r[0] for r in a_runs)
            b_s = statistics.median(r[0] for r in b_runs)
            a_m, b_m = max(r[1] for r in a_runs), max(r[1] for r in b_runs)
            print(
                f"{a_name:<22} {b_name:<26} {a_s:>7.3f} {b_s:>7.3f} "
                f"{statistics.median(ratios):>6.2f} {a_m:>6.0f} {b_m:>6.0f}",
                flush=True,
            )
        copy = fresh_copy(corpus, work / "a")
        timed([*folio, "clean", "-q"], copy)
        again = timed([*folio, "clean", "-q"], copy)  # nothing left to do
        print(f"folio clean, second run (nothing to do): {again:.3f} s")
        one = fresh_copy(corpus, work / "one")
        single = notebooks[0]
        times, theirs_one = [], []
        for _ in range(5):
            shutil.copy2(corpus / single, one / single)
            times.append(timed([*folio, "clean", "-q", single], one))
            shutil.copy2(corpus / single, one / single)
            theirs_one.append(timed([*nbstripout, single], one))
        print(
            f"one notebook: folio clean {statistics.median(times):.3f} s wall, "
            f"nbstripout {statistics.median(theirs_one):.3f} s (medians of 5)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
