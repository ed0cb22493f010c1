#!/usr/bin/env python3
"""Benchmark the site build against mkdocs-jupyter, in one run, and print the ratios.

    python bench/bench_site.py [--notebooks 200] [--corpus synthetic|heavy] [--repeat 3]
                               [--baseline REF] [--layers] [--big 1000] [--skip-big]
                               [--skip-jupyter] [--work DIR]

Bars (issues 4 and 15):
  1. cold `folio build` (empty cache) <= 0.5 x `mkdocs build` with mkdocs-jupyter on the same
     notebooks, its cache warm (second run);
  2. warm `folio build` (nothing changed) <= 1.5 x `mkdocs build` of the same site without
     notebooks;
  3. peak memory (largest process RSS, workers included) <= 200 MiB;
  4. 1,000 projects build <= 6 x the 200-project build (both with warm notebook caches).

Corpora (one notebook per project):
  synthetic  shared/bench/make_corpus.py in a folder above the checkout (or
             $FOLIO_CORPUS_SCRIPT):
             ~30 cells, 20-60 KB PNG outputs, HTML tables, noisy metadata;
  realshaped bench/make_realshaped.py's portfolio (issue 19's corpus, 1-3 notebooks a
             project, the same shapes as below and more: Colab state, data-URI markdown,
             progress bars, right-to-left text);
  heavy      the same projects with notebooks shaped like real ones: by turns large PNG
             outputs (base64 lines of ~1 MB), ipywidgets state (hundreds of models) with
             widget views, a matplotlib ``to_jshtml`` animation (frames as base64 PNG in one
             HTML output), a plotly-style HTML output with a large inline script, and the
             synthetic notebook as it is; one in a hundred has 30 large figures (~25 MB).

--toolkit REF   times the toolkit of git revision REF (exported as for --baseline) instead of
                the checked-out one: the checkout may change while a long run goes on.
--baseline REF  times the toolkit of git revision REF (its tools/ exported into the work
                folder and run with PYTHONPATH) beside the checked-out one, pair by pair (then,
                now, then, now ...), each on its own copy of the corpus, and prints now/then.
--layers        times a warm and a cold build with each speed layer of the mkdocs adapter
                off in turn (``[tool.folio.site] cache = [the others]``), and with all of them
                off (``cache = false``), each paired with a build with all on; prints off/on.
                ``--layer NAME`` (again for more): only those layers.

Each timing is the median of --repeat runs (the machine may be shared); pairs alternate, so
both sides see the same load.

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
import base64
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent


def _find_corpus_script() -> Path:
    """$FOLIO_CORPUS_SCRIPT, or shared/bench/make_corpus.py in a folder above the checkout."""
    if os.environ.get("FOLIO_CORPUS_SCRIPT"):
        return Path(os.environ["FOLIO_CORPUS_SCRIPT"])
    for base in CHECKOUT.parents:
        path = base / "shared" / "bench" / "make_corpus.py"
        if path.is_file():
            return path
    return CHECKOUT.parent / "shared" / "bench" / "make_corpus.py"


CORPUS = _find_corpus_script()

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


def make_corpus(out: Path, projects: int, notebooks: int, *, heavy: bool = False) -> None:
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
    # a portfolio of its own (folio refuses to work outside one)
    (out / "folio.toml").write_text('owner = "Bench Owner"\n', encoding="utf-8")
    if heavy:
        make_heavy(out)


def make_realshaped(out: Path, projects: int) -> None:
    """bench/make_realshaped.py's portfolio (issue 19's corpus): one to three notebooks a
    project, shaped like real executed ones."""
    if out.exists():
        shutil.rmtree(out)
    script = Path(__file__).resolve().with_name("make_realshaped.py")
    cmd = [sys.executable, str(script), str(out), "-n", str(max(projects, 7))]
    subprocess.run(cmd, check=True, capture_output=True)


# -- notebooks shaped like real ones -----------------------------------------------------------


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _code(source: str, outputs: list[dict[str, object]], n: int) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": f"heavy{n:04d}",
        "metadata": {},
        "execution_count": n,
        "source": source,
        "outputs": outputs,
    }


def _display(data: dict[str, object]) -> dict[str, object]:
    return {"output_type": "display_data", "metadata": {}, "data": data}


def heavy_cells(kind: int, rng: random.Random, mc: ModuleType) -> tuple[list[object], object]:
    """Cells (and notebook-level widget state, or None) of one of four real shapes."""
    if kind == 0:  # large figures: a 1400x900 plot saved at high dpi, and two more
        cells = [
            _code(
                f"fig{i}.savefig(dpi=200)",
                [
                    _display(
                        {
                            "image/png": _b64(mc.make_png(rng, 700_000, 1400, 900)),
                            "text/plain": "<Figure size 1400x900 with 4 Axes>",
                        }
                    )
                ],
                100 + i,
            )
            for i in range(3)
        ]
        return cells, None
    if kind == 1:  # ipywidgets: sliders and a progress bar; their state saved in metadata
        models = {}
        for _ in range(400):
            models[f"{rng.getrandbits(128):032x}"] = {
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "model_name": rng.choice(["IntSliderModel", "FloatProgressModel", "HTMLModel"]),
                "state": {
                    "_dom_classes": [],
                    "description": mc.sentence(rng, 2, 5),
                    "layout": f"IPY_MODEL_{rng.getrandbits(128):032x}",
                    "style": f"IPY_MODEL_{rng.getrandbits(128):032x}",
                    "value": rng.random(),
                    "tooltip": mc.paragraph(rng, 1, 3),
                },
            }
        state = {
            "application/vnd.jupyter.widget-state+json": {
                "state": models,
                "version_major": 2,
                "version_minor": 0,
            }
        }
        views = [
            _display(
                {
                    "application/vnd.jupyter.widget-view+json": {
                        "model_id": model_id,
                        "version_major": 2,
                        "version_minor": 0,
                    },
                    "text/plain": "IntSlider(value=3)",
                }
            )
            for model_id in list(models)[:40]
        ]
        return [_code("interact(plot, k=(1, 10))", views, 100)], state
    if kind == 2:  # matplotlib's to_jshtml: every frame a base64 PNG in one HTML output
        frames = ",\n".join(
            f'    "data:image/png;base64,{_b64(mc.make_png(rng, 30_000, 480, 320))}"'
            for _ in range(40)
        )
        html = (
            '<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/'
            '4.4.0/css/font-awesome.min.css">\n<script language="javascript">\n'
            "function Animation(frames, img_id) { this.frames = frames; }\n</script>\n"
            '<div class="animation"><img id="_anim_img"></div>\n<script language="javascript">\n'
            f"  var frames = [\n{frames}\n  ];\n  new Animation(frames, '_anim_img');\n</script>\n"
        )
        out = {
            "output_type": "execute_result",
            "execution_count": 100,
            "metadata": {},
            "data": {"text/html": html, "text/plain": "<IPython.core.display.HTML object>"},
        }
        return [_code("HTML(anim.to_jshtml())", [out], 100)], None
    # plotly: the figure as HTML with its library inline (a long script line)
    script = "".join(mc.sentence(rng, 10, 20) for _ in range(12_000))
    html = (
        '<div id="fig" class="plotly-graph-div" style="height:525px; width:100%;"></div>'
        f'<script type="text/javascript">/* plotly.js */ {script}</script>'
    )
    data = {"text/html": html, "text/plain": "Figure({'data': [...]})"}
    return [_code("fig.show()", [_display(data)], 100)], None


def huge_cells(rng: random.Random, mc: ModuleType) -> list[object]:
    """A training notebook that plotted every epoch: 30 large figures, ~25 MB of JSON."""
    return [
        _code(
            f"plot_epoch({i})",
            [
                _display(
                    {
                        "image/png": _b64(mc.make_png(rng, 600_000, 1200, 800)),
                        "text/plain": "<Figure size 1200x800 with 2 Axes>",
                    }
                )
            ],
            100 + i,
        )
        for i in range(30)
    ]


def make_heavy(corpus: Path) -> None:
    """Give each notebook of the corpus the cells of one real shape, in turn (1 in 5 stays),
    and one notebook in a hundred the size of the largest ones real repositories hold."""
    mc = _corpus_module()
    for i, nb_path in enumerate(sorted(corpus.glob("projects/*/notebooks/*.ipynb"))):
        kind = i % 5
        rng = random.Random(i)
        if i % 100 == 50:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            nb["cells"][3:3] = huge_cells(rng, mc)
            nb_path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
            continue
        if kind == 4:
            continue
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        cells, state = heavy_cells(kind, rng, mc)
        nb["cells"][3:3] = cells
        if state is not None:
            nb["metadata"]["widgets"] = state
        nb_path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


# -- trees ------------------------------------------------------------------------------------


def folio_tree(corpus: Path, *, notebooks: bool = True) -> Path:
    (corpus / "mkdocs.yml").write_text(FOLIO_YML, encoding="utf-8")
    if not notebooks:
        for nb in corpus.glob("projects/*/**/*.ipynb"):
            nb.unlink()
    return corpus


def set_cache(tree: Path, value: object) -> None:
    """``[site] cache = value`` in the tree's folio.toml (None: the key left out)."""
    lines = [
        line
        for line in (tree / "folio.toml").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("[site]", "cache ="))
    ]
    if value is not None:
        lines += ["[site]", f"cache = {json.dumps(value)}"]
    (tree / "folio.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


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


def export_baseline(ref: str, work: Path) -> Path:
    """REF's tools/ in work/baseline-REF, runnable with PYTHONPATH=<that>/tools."""
    out = work / f"baseline-{ref.replace('/', '_')}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(CHECKOUT), "archive", ref, "tools"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    # mkdocs finds the plugin through the installed entry point, which names the module of
    # the checked-out toolkit: where the older one has no such module, one re-exports its own
    entry = _entry_point_module()
    path = out / "tools" / Path(*entry.split("."))
    if not path.with_suffix(".py").is_file():
        old = "repofolio.site.plugin"
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.parents:
            if parent == out / "tools":
                break
            init = parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
        path.with_suffix(".py").write_text(
            f"from {old} import RepofolioPlugin  # noqa: F401\n", encoding="utf-8"
        )
    return out / "tools"


def _entry_point_module() -> str:
    from importlib.metadata import entry_points

    for ep in entry_points(group="mkdocs.plugins"):
        if ep.name == "repofolio":
            return ep.value.split(":")[0]
    sys.exit("the repofolio mkdocs plugin is not installed (pip install -e .)")


# -- timing -----------------------------------------------------------------------------------


TOOLKIT: Path | None = None  # --toolkit: the exported tools/ timed as "now"


def bench_env(pythonpath: Path | None = None) -> dict[str, str]:
    """The environment of every timed command: bytecode caching on, as after a pip install."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    pythonpath = pythonpath or TOOLKIT
    if pythonpath is not None:
        env["PYTHONPATH"] = os.fspath(pythonpath)
    return env


def warm_up(work: Path, toolkits: list[Path | None]) -> None:
    """Untimed: write bytecode caches of our package, mkdocs, Material, nbconvert and
    mkdocs-jupyter, and warm the OS file cache. No notebook cache of a timed tree is touched."""
    subprocess.run(
        [sys.executable, "-c", "import mkdocs_jupyter.plugin"],
        env=bench_env(),
        check=False,
        capture_output=True,
    )
    for toolkit in toolkits:
        env = bench_env(toolkit)
        run = [sys.executable, "-c", "import repofolio.cli, nbconvert, nbformat, mkdocs"]
        subprocess.run(run, env=env, check=True, capture_output=True)
        tiny = work / "warm-up"
        make_corpus(tiny, 3, 1)
        folio_tree(tiny)
        cmd = [sys.executable, "-m", "repofolio", "-C", str(tiny), "build", "--no-check"]
        subprocess.run(cmd, cwd=tiny, env=env, check=True, capture_output=True)
        shutil.rmtree(tiny, ignore_errors=True)


def timed(cmd: list[str], cwd: Path, toolkit: Path | None = None) -> tuple[float, float]:
    """(seconds, peak RSS MiB of the largest process in the tree) of one command."""
    env = bench_env(toolkit)
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


def folio_build(root: Path, toolkit: Path | None = None) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "repofolio", "-C", str(root), "build", "--no-check"]
    return timed(cmd, root, toolkit)


def cold_build(root: Path, toolkit: Path | None = None) -> tuple[float, float]:
    """From an empty conversion cache and no site."""
    shutil.rmtree(root / ".folio-cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    return folio_build(root, toolkit)


def mkdocs_build(root: Path) -> tuple[float, float]:
    return timed([sys.executable, "-m", "mkdocs", "build", "-q"], root)


def median(values: list[float]) -> float:
    return statistics.median(values)


def runs(label: str, values: list[float], mems: list[float] | None = None) -> str:
    text = f"{label:38s} {median(values):7.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})"
    if mems:
        text += f"  peak {max(mems):.0f} MiB"
    return text


def ratios(a: list[float], b: list[float]) -> float:
    """Median of the pairwise ratios a[i] / b[i] (pairs were timed side by side)."""
    return median([x / y for x, y in zip(a, b, strict=True)])


def copy_tree(src: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, symlinks=True)
    return dest


# -- modes ------------------------------------------------------------------------------------


def bench_layers(
    corpus: Path, work: Path, repeat: int, only: list[str] | None = None
) -> list[tuple[str, float, str]]:
    """Each layer off in turn against all on (``only``: those, without the all-off pair):
    warm and cold, pair by pair."""
    layers = layer_names()
    unknown = sorted(set(only or ()) - set(layers))
    if unknown:
        sys.exit(f"--layer: no such speed layer: {', '.join(unknown)} (there are {layers})")
    on = copy_tree(corpus, work / "layers-on")
    off = copy_tree(corpus, work / "layers-off")
    set_cache(on, None)
    rows: list[tuple[str, float, str]] = []
    print(f"\nspeed layers, each off in turn (pairs: all on, this one off; {repeat} runs)")
    for name in only or [*layers, "ALL"]:
        set_cache(off, False if name == "ALL" else [n for n in layers if n != name])
        label = "cache = false" if name == "ALL" else f"{name} off"
        colds_on: list[float] = []
        colds_off: list[float] = []
        for _ in range(repeat):
            colds_on.append(cold_build(on)[0])
            colds_off.append(cold_build(off)[0])
        folio_build(on)  # untimed: the first warm build after a cold one fills the caches
        folio_build(off)
        warms_on: list[float] = []
        warms_off: list[float] = []
        for _ in range(repeat):
            warms_on.append(folio_build(on)[0])
            warms_off.append(folio_build(off)[0])
        cold, warm = ratios(colds_off, colds_on), ratios(warms_off, warms_on)
        print(
            f"{label:24s} cold {median(colds_off):6.2f} s vs {median(colds_on):6.2f} s "
            f"(x{cold:.2f})   warm {median(warms_off):6.2f} s vs {median(warms_on):6.2f} s "
            f"(x{warm:.2f})",
            flush=True,
        )
        rows.append((f"{label}: cold off/on", cold, "(figure)"))
        rows.append((f"{label}: warm off/on", warm, "(figure)"))
    return rows


def layer_names() -> list[str]:
    """The speed layers of the toolkit being timed (asked in a process that imports it)."""
    code = "from repofolio.site.mkdocs.layers import LAYERS; print(' '.join(LAYERS))"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=bench_env(), capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit("--layers: this toolkit has no switchable speed layers")
    return proc.stdout.split()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebooks", type=int, default=200)
    ap.add_argument("--corpus", choices=["synthetic", "heavy", "realshaped"], default="synthetic")
    ap.add_argument("--big", type=int, default=1000, help="projects in the linearity run")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; medians compared")
    ap.add_argument("--baseline", metavar="REF", help="also time the toolkit of git REF")
    ap.add_argument("--toolkit", metavar="REF", help="time git REF's toolkit, not the checkout")
    ap.add_argument("--layers", action="store_true", help="time each speed layer off in turn")
    ap.add_argument(
        "--layer", action="append", metavar="NAME", help="with --layers: only this layer (again)"
    )
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

    print(
        f"corpus: {n} projects x 1 notebook ({args.corpus}) in {work}; medians of {repeat} runs",
        flush=True,
    )
    baseline = export_baseline(args.baseline, work) if args.baseline else None
    if args.toolkit:
        global TOOLKIT
        TOOLKIT = export_baseline(args.toolkit, work)
    warm_up(work, [None] if baseline is None else [None, baseline])
    corpus = work / "folio"
    if args.corpus == "realshaped":
        make_realshaped(corpus, n)
    else:
        make_corpus(corpus, n, 1, heavy=args.corpus == "heavy")
    folio_tree(corpus)
    then = copy_tree(corpus, work / "folio-baseline") if baseline is not None else None

    colds: list[float] = []
    colds_then: list[float] = []
    mems_then: list[float] = []
    for _ in range(repeat):  # each one from an empty conversion cache and no site
        if then is not None:
            seconds, mem = cold_build(then, baseline)
            colds_then.append(seconds)
            mems_then.append(mem)
        seconds, mem = cold_build(corpus)
        colds.append(seconds)
        mems.append(mem)
    print(runs("folio build, cold cache", colds, mems), flush=True)
    if then is not None:
        print(runs(f"  at {args.baseline}", colds_then, mems_then), flush=True)

    plain = work / "plain"
    make_corpus(plain, n, 1)
    folio_tree(plain, notebooks=False)
    mkdocs_build(plain)  # untimed: the first build of a tree, as the folio tree had
    warms: list[float] = []
    warms_then: list[float] = []
    no_nbs: list[float] = []
    for _ in range(repeat):  # interleaved: all see the same load of the machine
        if then is not None:
            seconds, mem = folio_build(then, baseline)
            warms_then.append(seconds)
            mems_then.append(mem)
        seconds, mem = folio_build(corpus)
        warms.append(seconds)
        mems.append(mem)
        no_nbs.append(mkdocs_build(plain)[0])
    print(runs("folio build, warm (no change)", warms), flush=True)
    if then is not None:
        print(runs(f"  at {args.baseline}", warms_then), flush=True)
    print(runs("mkdocs build, no notebooks", no_nbs), flush=True)
    cold, warm, no_nb = median(colds), median(warms), median(no_nbs)

    if not args.skip_jupyter:
        jup = jupyter_tree(corpus, work / "jupyter")
        jup_cold, jup_mem = mkdocs_build(jup)
        print(f"{'mkdocs-jupyter, cold cache':38s} {jup_cold:7.2f} s", flush=True)
        jup_warms: list[float] = []
        for _ in range(repeat):
            seconds, jup_mem = mkdocs_build(jup)
            jup_warms.append(seconds)
        print(runs("mkdocs-jupyter, warm cache", jup_warms, [jup_mem]), flush=True)
        ratio = cold / median(jup_warms)
        ok &= ratio <= 0.5
        rows.append(("cold folio / warm mkdocs-jupyter", ratio, "<= 0.5"))
        if then is not None:
            rows.append(
                (f"  at {args.baseline}", median(colds_then) / median(jup_warms), "(figure)")
            )
    ratio = warm / no_nb
    ok &= ratio <= 1.5
    rows.append(("warm folio / mkdocs without notebooks", ratio, "<= 1.5"))
    if then is not None:
        rows.append((f"  at {args.baseline}", median(warms_then) / no_nb, "(figure)"))
    peak = max(mems)
    ok &= peak <= 200
    rows.append(("peak memory MiB (largest process)", peak, "<= 200"))
    if then is not None:
        rows.append((f"  at {args.baseline}", max(mems_then), "(figure)"))
        rows.append(("cold now / then (pairs)", ratios(colds, colds_then), "<= 1"))
        rows.append(("warm now / then (pairs)", ratios(warms, warms_then), "<= 1"))

    if args.layers:
        rows += bench_layers(corpus, work, repeat, args.layer)

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
