#!/usr/bin/env python3
"""Benchmark the site build against mkdocs-jupyter, in one run, and print the ratios.

    python bench/bench_site.py [--notebooks 200] [--big 1000] [--repeat 3] [--work DIR]
                               [--skip-big] [--skip-jupyter]

Bars (issue 4):
  1. cold `folio build` (empty cache) <= 0.5 x `mkdocs build` with mkdocs-jupyter on the same
     notebooks, its cache warm (second run);
  2. warm `folio build` (nothing changed) <= 1.5 x `mkdocs build` of the same site without
     notebooks;
  3. peak memory (largest process RSS, workers included) < 150 MiB;
  4. 1,000 projects build <= 6 x the 200-project build (both with warm notebook caches).

Synthetic portfolios come from ../shared/bench/make_corpus.py beside the checkout (or
$FOLIO_CORPUS_SCRIPT).
Needs mkdocs-jupyter installed (pip install mkdocs-jupyter) for bar 1.

Each timing is the median of --repeat runs (the machine may be shared); the warm folio build
and the no-notebook mkdocs build alternate, so both see the same load.

Fairness: every timed command runs without PYTHONDONTWRITEBYTECODE (some sandboxes export
it; then every process, and every spawned worker, recompiles the packages from source, which
no machine does after a pip install). Before the timings, one untimed warm-up per tool writes
the bytecode caches and warms the OS file cache: imports of our plugin, nbconvert and
mkdocs-jupyter, and a `folio build` of a separate 3-project tree (its own cache, deleted
after). No timed tree's notebook cache is touched: the cold `folio build` starts with no
conversion cache; mkdocs-jupyter's warm figure is from the runs after its first, as the bar
says.
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
CORPUS = Path(
    os.environ.get(
        "FOLIO_CORPUS_SCRIPT",
        str(Path(__file__).resolve().parent.parent.parent / "shared/bench/make_corpus.py"),
    )
)

FOLIO_YML = """\
site_name: Bench portfolio
site_description: Synthetic portfolio for the site benchmark.
docs_dir: docs
site_dir: site
theme:
  name: material
  font: false
  features: [navigation.tabs, content.code.copy]
plugins:
  - repofolio
  - search
  - tags
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - toc:
      permalink: true
"""

JUPYTER_YML = """\
site_name: Bench portfolio (mkdocs-jupyter)
docs_dir: docs
site_dir: site
theme:
  name: material
  font: false
  features: [navigation.tabs, content.code.copy]
nav:
  - Home: index.md
validation:
  nav:
    omitted_files: ignore
plugins:
  - search
  - mkdocs-jupyter
markdown_extensions:
  - tables
  - admonition
  - toc:
      permalink: true
"""


def make_corpus(out: Path, projects: int, notebooks: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    subprocess.run(
        [
            sys.executable,
            str(CORPUS),
            str(out),
            "-n",
            str(projects),
            "-k",
            str(notebooks),
            "--no-git",
        ],
        check=True,
        capture_output=True,
    )


def folio_tree(corpus: Path, *, notebooks: bool = True) -> Path:
    (corpus / "mkdocs.yml").write_text(FOLIO_YML, encoding="utf-8")
    if not notebooks:
        for nb in corpus.glob("projects/*/**/*.ipynb"):
            nb.unlink()
    return corpus


def jupyter_tree(corpus: Path, out: Path) -> Path:
    """The same write-ups and notebooks as plain docs pages for mkdocs-jupyter."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Portfolio\n", encoding="utf-8")
    for project in sorted((corpus / "projects").iterdir()):
        target = docs / "projects" / project.name
        target.mkdir(parents=True)
        shutil.copy(project / "README.md", target / "index.md")
        for nb in project.glob("**/*.ipynb"):
            dest = target / nb.relative_to(project)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(nb, dest)
    (out / "mkdocs.yml").write_text(JUPYTER_YML, encoding="utf-8")
    return out


def bench_env() -> dict[str, str]:
    """The environment of every timed command: bytecode caching on, as after a pip install."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(work: Path) -> None:
    """Untimed: write bytecode caches of our package, mkdocs, Material, nbconvert and
    mkdocs-jupyter, and warm the OS file cache. No notebook cache of a timed tree is touched."""
    env = bench_env()
    run = [sys.executable, "-c", "import repofolio.site.plugin, nbconvert, nbformat"]
    subprocess.run(run, env=env, check=True, capture_output=True)
    try:
        subprocess.run(
            [sys.executable, "-c", "import mkdocs_jupyter.plugin"],
            env=env,
            check=False,
            capture_output=True,
        )
    except OSError:
        pass
    tiny = work / "warm-up"
    make_corpus(tiny, 3, 1)
    folio_tree(tiny)
    subprocess.run(
        [sys.executable, "-m", "repofolio", "-C", str(tiny), "build", "--no-check"],
        cwd=tiny,
        env=env,
        check=True,
        capture_output=True,
    )
    shutil.rmtree(tiny, ignore_errors=True)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak RSS MiB of the largest process in the tree) of one command."""
    env = bench_env()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{err.decode(errors='replace')[-3000:]}")
    # ru_maxrss of wait4 covers the process and the children it waited for (largest one)
    return elapsed, usage.ru_maxrss / 1024


def folio_build(root: Path) -> tuple[float, float]:
    return timed([sys.executable, "-m", "repofolio", "-C", str(root), "build", "--no-check"], root)


def mkdocs_build(root: Path) -> tuple[float, float]:
    return timed([sys.executable, "-m", "mkdocs", "build", "-q"], root)


def median(values: list[float]) -> float:
    return statistics.median(values)


def runs(label: str, values: list[float]) -> str:
    return f"{label:30s} {median(values):7.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebooks", type=int, default=200)
    ap.add_argument("--big", type=int, default=1000, help="projects in the linearity run")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; medians compared")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--skip-jupyter", action="store_true")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="folio-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.notebooks
    repeat = max(1, args.repeat)
    rows: list[tuple[str, float, str]] = []
    mems: list[float] = []
    ok = True

    print(f"corpus: {n} projects x 1 notebook in {work}; medians of {repeat} runs", flush=True)
    warm_up(work)
    corpus = work / "folio"
    make_corpus(corpus, n, 1)
    folio_tree(corpus)

    colds: list[float] = []
    for _ in range(repeat):  # each one from an empty conversion cache and no site
        shutil.rmtree(corpus / ".folio-cache", ignore_errors=True)
        shutil.rmtree(corpus / "site", ignore_errors=True)
        seconds, mem = folio_build(corpus)
        colds.append(seconds)
        mems.append(mem)
    print(runs("folio build, cold cache", colds), flush=True)

    plain = work / "plain"
    make_corpus(plain, n, 1)
    folio_tree(plain, notebooks=False)
    mkdocs_build(plain)  # untimed: the first build of a tree, as the folio tree had
    warms: list[float] = []
    no_nbs: list[float] = []
    for _ in range(repeat):  # interleaved: both see the same load of the machine
        seconds, mem = folio_build(corpus)
        warms.append(seconds)
        mems.append(mem)
        no_nbs.append(mkdocs_build(plain)[0])
    print(runs("folio build, warm (no change)", warms), flush=True)
    print(runs("mkdocs build, no notebooks", no_nbs), flush=True)
    cold, warm, no_nb = median(colds), median(warms), median(no_nbs)

    if not args.skip_jupyter:
        jup = jupyter_tree(corpus, work / "jupyter")
        jup_cold, _ = mkdocs_build(jup)
        print(f"{'mkdocs-jupyter, cold cache':30s} {jup_cold:7.2f} s", flush=True)
        jup_warms: list[float] = []
        for _ in range(repeat):
            seconds, jup_mem = mkdocs_build(jup)
            jup_warms.append(seconds)
        print(runs("mkdocs-jupyter, warm cache", jup_warms) + f"  {jup_mem:.0f} MiB", flush=True)
        ratio = cold / median(jup_warms)
        ok &= ratio <= 0.5
        rows.append(("cold folio / warm mkdocs-jupyter", ratio, "<= 0.5"))
    ratio = warm / no_nb
    ok &= ratio <= 1.5
    rows.append(("warm folio / mkdocs without notebooks", ratio, "<= 1.5"))
    peak = max(mems)
    ok &= peak < 150
    rows.append(("peak memory MiB (largest process)", peak, "< 150"))

    if not args.skip_big:
        big = work / "big"
        make_corpus(big, args.big, 1)
        folio_tree(big)
        folio_build(big)  # fill the notebook cache; the bar is about pages, not nbconvert
        big_time, big_mem = folio_build(big)
        print(
            f"folio build, {args.big} projects  {big_time:7.2f} s  {big_mem:6.0f} MiB (warm cache)",
            flush=True,
        )
        ratio = big_time / warm
        ok &= ratio <= 6
        rows.append((f"{args.big} projects / {n} projects (warm)", ratio, "<= 6"))

    print()
    for name, value, bar in rows:
        print(f"{name:45s} {value:8.2f}   bar {bar}")
    print("all bars met" if ok else "SOME BARS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
