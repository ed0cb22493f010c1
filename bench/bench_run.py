"""Benchmark `folio run` on the example projects: first run (environments built) vs second.

    python bench/bench_run.py [--notebooks] [--baseline] [--jobs N]

The example projects (projects/) are copied into a fresh portfolio in a temporary folder with
its own, empty environment folder, so the first run creates and installs every environment
(pip's own download cache is used, as CI's pip caching does). The second run, with nothing
changed, must reuse them: the bar is second <= 0.3 x first. Both runs are fresh `folio`
processes in one session. --baseline also times what a CI script without folio does for each
project (python -m venv, pip install -r, the run: commands), the peer of the first run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BAR = 0.3


def folio() -> list[str]:
    script = Path(sys.executable).with_name("folio")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "repofolio"]


def portfolio_copy(work: Path) -> Path:
    dest = work / "portfolio"
    shutil.copytree(
        ROOT / "projects",
        dest / "projects",
        ignore=shutil.ignore_patterns(
            ".pytest_cache", "__pycache__", ".benchmarks", "build", "*.egg-info", ".venv"
        ),
    )
    (dest / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "Bench"\n\n[tool.folio.run]\nenv-dir = "envs"\n'
        'report = "run-report.json"\n',
        encoding="utf-8",
    )
    return dest


def timed_run(root: Path, extra: list[str]) -> tuple[float, dict[str, dict[str, object]], int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [*folio(), "-C", str(root), "run", "--format", "json", "-q", *extra],
        cwd=root,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"folio run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, json.loads(proc.stdout), proc.returncode


def baseline(root: Path) -> float:
    """python -m venv + pip install -r + commands, per project: no cache of environments."""
    import yaml

    start = time.perf_counter()
    for folder in sorted((root / "projects").iterdir()):
        readme = folder / "README.md"
        if not readme.is_file():
            continue
        front = yaml.safe_load(readme.read_text(encoding="utf-8").split("---")[1])
        commands = front.get("run") or []
        commands = [commands] if isinstance(commands, str) else commands
        if not commands:
            continue
        env = Path(tempfile.mkdtemp(prefix="bench-venv-"))
        try:
            subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
            if front.get("requirements"):
                subprocess.run(
                    [
                        str(env / "bin/python"),
                        "-m",
                        "pip",
                        "install",
                        "-q",
                        "-r",
                        front["requirements"],
                    ],
                    cwd=folder,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            for command in commands:
                subprocess.run(
                    f". {env}/bin/activate && {command}",
                    shell=True,
                    cwd=folder,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
        finally:
            shutil.rmtree(env, ignore_errors=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebooks", action="store_true", help="also execute the notebooks")
    ap.add_argument("--baseline", action="store_true", help="also time venv + pip per project")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    extra = ["--jobs", str(args.jobs)] + (["--notebooks"] if args.notebooks else [])
    work = Path(tempfile.mkdtemp(prefix="folio-bench-run-"))
    try:
        root = portfolio_copy(work)
        first, report1, code1 = timed_run(root, extra)
        second, report2, code2 = timed_run(root, extra)
        print(f"{'project':<28} {'status':<13} {'first s':>8} {'second s':>9}  env reused")
        for slug, entry in report1.items():
            again = report2.get(slug, {})
            print(
                f"{slug:<28} {entry['status']!s:<13} {entry['duration']:>8.1f} "
                f"{again.get('duration', 0):>9.1f}  {again.get('env_reused')}"
            )
        ratio = second / first
        work_s = sum(
            float(step["duration"])
            for entry in report2.values()
            for step in entry.get("steps", [])  # type: ignore[attr-defined]
            if step["kind"] != "install"
        )
        print(f"folio run, first (envs built):  {first:8.1f} s  (exit {code1})")
        print(f"folio run, second (unchanged):  {second:8.1f} s  (exit {code2})")
        print(
            f"second run: {work_s:.1f} s in the projects' own commands, "
            f"{second - work_s:.1f} s of folio (environments reused, report written)"
        )
        verdict = "OK" if ratio <= BAR else "MISSED"
        print(f"ratio second/first: {ratio:.2f} (bar <= {BAR}) {verdict}")
        if args.baseline:
            base = baseline(root)
            print(f"venv + pip + commands per run:  {base:8.1f} s")
            print(f"ratio folio second/baseline: {second / base:.2f}")
        return 0 if ratio <= BAR else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
