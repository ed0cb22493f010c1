"""Benchmark `folio check` against the floor script (read + C YAML loader + heading scan),
and `folio check` of one README against a bare `python -c pass`.

    python bench/bench_check.py [--sizes 100 1000] [--repeat 7]

Both run as fresh processes with the same interpreter, interleaved, in one run, after one
untimed run each (page cache and bytecode cache warm, as on any machine after `pip install`);
the medians and their ratio are printed. The synthetic portfolios come from
../shared/bench/make_corpus.py.
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
FLOOR = HERE / "floor_check.py"


def find_make_corpus() -> Path:
    # beside the checkout (../shared), or beside any folder above it (a git worktree)
    for base in HERE.parents:
        path = base / "shared" / "bench" / "make_corpus.py"
        if path.is_file():
            return path
    sys.exit("make_corpus.py not found (expected shared/bench/make_corpus.py above the checkout)")


def folio_cmd() -> list[str]:
    script = Path(sys.executable).with_name("folio")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "repofolio"]


# Run both tools as on any machine after `pip install`: with bytecode caching on. (Some
# sandboxes export PYTHONDONTWRITEBYTECODE=1, which recompiles the toolkit on every run.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    make_corpus = find_make_corpus()
    work = Path(tempfile.mkdtemp(prefix="folio-bench-check-"))
    folio = folio_cmd()
    try:
        print(f"{'projects':>8} {'floor s':>8} {'folio s':>8} {'ratio':>6}  folio min-max s")
        for n in args.sizes:
            corpus = work / f"p{n}"
            subprocess.run(
                [
                    sys.executable,
                    str(make_corpus),
                    str(corpus),
                    "-n",
                    str(n),
                    "-k",
                    "0",
                    "--no-git",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            # folio refuses a folder that is no portfolio (as a new user's would be before
            # `folio init`); the floor does not read it
            (corpus / "folio.toml").write_text('owner = "Bench"\n', encoding="utf-8")
            floor, ours = [], []
            timed(folio + ["check", "-q"], corpus)  # warm the page and bytecode caches
            timed([sys.executable, str(FLOOR), "."], corpus)
            for _ in range(args.repeat):
                floor.append(timed([sys.executable, str(FLOOR), "."], corpus))
                ours.append(timed(folio + ["check", "-q"], corpus))
            f, o = statistics.median(floor), statistics.median(ours)
            print(f"{n:>8} {f:>8.3f} {o:>8.3f} {o / f:>6.2f}  {min(ours):.3f}-{max(ours):.3f}")
        one = work / f"p{min(args.sizes)}"
        if one.is_dir():
            # issue 15's bar: `folio check FILE` at most 10x a bare interpreter's start
            readme = ["check", "-q", "projects/p0001/README.md"]
            bare = [sys.executable, "-c", "pass"]
            timed(folio + readme, one)
            times, floor = [], []
            for _ in range(args.repeat):
                floor.append(timed(bare, one))
                times.append(timed(folio + readme, one))
            t, f = statistics.median(times), statistics.median(floor)
            print(
                f"one README: folio check {t:.3f} s, python -c pass {f:.3f} s: {t / f:.2f}x "
                f"(medians; folio min {min(times):.3f}, max {max(times):.3f})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
