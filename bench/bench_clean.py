"""Benchmark `folio clean` (secret scan included) against the `nbstripout` command.

    python bench/bench_clean.py [-n 200] [--repeat 3]

One synthetic portfolio of N notebooks comes from ../shared/bench/make_corpus.py; before
every timed run each tool gets a fresh copy of the same dirty files, so both start from the
same state. Both run as fresh processes, interleaved, in one run; the medians and their
ratio (folio / nbstripout; below 1 is faster) are printed, then the wall time of
`folio clean` on one notebook.

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


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-800:]}")
    return elapsed


def fresh_copy(corpus: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(corpus, dest)
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=200, help="notebooks (one per project)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    make_corpus = find_make_corpus()
    folio, nbstripout = tool("folio"), tool("nbstripout")
    work = Path(tempfile.mkdtemp(prefix="folio-bench-clean-"))
    try:
        corpus = work / "corpus"
        subprocess.run(
            [
                sys.executable,
                str(make_corpus),
                str(corpus),
                "-n",
                str(args.n),
                "-k",
                "1",
                "--no-git",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        notebooks = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.ipynb"))
        size = sum((corpus / n).stat().st_size for n in notebooks) / 1e6
        print(f"{len(notebooks)} notebooks, {size:.1f} MB")
        # untimed warm-up of each tool: bytecode cache written, files in the page cache
        timed([*folio, "clean", "-q"], fresh_copy(corpus, work / "folio"))
        timed([*nbstripout, *notebooks], fresh_copy(corpus, work / "nbstripout"))
        ours, theirs, theirs_keep, again = [], [], [], 0.0
        for _ in range(args.repeat):
            # folio: every file of every project (notebooks and .py), secrets and paths scanned
            copy = fresh_copy(corpus, work / "folio")
            ours.append(timed([*folio, "clean", "-q"], copy))
            again = timed([*folio, "clean", "-q"], copy)  # nothing left to do: must exit 0
            copy = fresh_copy(corpus, work / "nbstripout")
            theirs.append(timed([*nbstripout, *notebooks], copy))
            copy = fresh_copy(corpus, work / "nbstripout-keep")
            theirs_keep.append(timed([*nbstripout, "--keep-output", *notebooks], copy))
        o, t = statistics.median(ours), statistics.median(theirs)
        k = statistics.median(theirs_keep)
        print(f"{'tool':<34} {'median s':>9}")
        print(f"{'nbstripout (strips outputs)':<34} {t:>9.3f}")
        print(f"{'nbstripout --keep-output':<34} {k:>9.3f}")
        print(f"{'folio clean (ruff + secrets)':<34} {o:>9.3f}")
        print(f"{'folio clean, second run':<34} {again:>9.3f}")
        print(f"ratio folio/nbstripout: {o / t:.2f} (against --keep-output: {o / k:.2f})")
        one = fresh_copy(corpus, work / "one")
        single = notebooks[0]
        times = []
        for _ in range(5):
            shutil.copy2(corpus / single, one / single)
            times.append(timed([*folio, "clean", "-q", single], one))
        theirs_one = []
        for _ in range(5):
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
