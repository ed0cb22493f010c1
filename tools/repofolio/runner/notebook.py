"""One notebook executed in a child process whose Jupyter kernel is the environment's Python.

The child is the caller's Python started with ``-c`` (nbclient, nbformat and jupyter_client
load there, never in ``folio``), and it runs :func:`main`: every code cell must run without
error, and cells tagged ``folio:compare`` must reproduce their saved text outputs. It writes
its outcome (status, reason, message, cell) as JSON to a file the parent reads; the reason is
data from where it is known, never read back from the message. The kernel is started from a
kernelspec written into the environment (:func:`repofolio.runner.env.write_kernelspec`).
The parent applies the same timeout and group kill as to a command, and kills the kernel's
own process group too (a kernel leaves the child's group).
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from repofolio.runner.env import KERNEL_NAME, Env, env_vars
from repofolio.runner.process import ANSI, Tail, error_line, kill_group, run_process
from repofolio.runner.status import Reason, Status
from repofolio.runner.steps import Step, StepKind, process_step

COMPARE_TAG = "folio:compare"
CHILD_GRACE = 30  # seconds the child gets beyond the notebook's timeout (kernel start, exit)
TEXT_MIMES = ("text/plain", "text/markdown", "text/latex", "application/json")
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# The kernel's own chatter on every start and stop: not the notebook's output.
KERNEL_NOISE = re.compile(
    r"^\[IPKernelApp\] WARNING \| (Kernel is running over TCP|Parent appears to have exited)"
)


def run_notebook(path: Path, rel: str, env: Env, *, timeout: int, tail_lines: int) -> Step:
    """Execute one notebook in a child process whose kernel is ``env``'s Python."""
    tail = Tail()
    with tempfile.TemporaryDirectory(prefix="folio-nb-") as tmp:
        result_file = Path(tmp) / "result.json"
        pid_file = Path(tmp) / "kernel.pid"
        # Started with -c, not PYTHONPATH: the kernel inherits the environment variables and
        # must not see the caller's packages.
        package_parent = str(Path(__file__).resolve().parents[2])
        code = (
            f"import sys; sys.path.insert(0, {package_parent!r}); "
            "from repofolio.runner.notebook import main; "
            "sys.exit(main(sys.argv[1:]))"
        )
        cmd = [
            sys.executable,
            "-c",
            code,
            str(path),
            "--kernels",
            str(env.kernels),
            "--timeout",
            str(timeout),
            "--result",
            str(result_file),
            "--kernel-pid",
            str(pid_file),
        ]

        def kill_kernel() -> None:
            with contextlib.suppress(OSError, ValueError):
                kill_group(int(pid_file.read_text().strip()), None, grace=0)

        proc = run_process(
            cmd,
            cwd=path.parent,
            env=env_vars(env),
            timeout=timeout + CHILD_GRACE,
            tail=tail,
            on_timeout=kill_kernel,
        )
        kill_kernel()  # whatever happened, no kernel outlives its notebook
        outcome = _read_outcome(result_file)
    step = process_step(
        StepKind.NOTEBOOK, rel, proc, tail, tail_lines, failure=Reason.NOTEBOOK_FAILED
    )
    if outcome is not None and outcome.get("status") == Status.PASSING and proc.returncode == 0:
        step.status, step.reason, step.tail = Status.PASSING, Reason.OK, ""
        return step
    step.status = Status.FAILING
    step.tail = "\n".join(
        ln for ln in tail.text(tail_lines).splitlines() if not KERNEL_NOISE.search(ln)
    )
    if outcome is not None:
        step.timed_out = step.timed_out or bool(outcome.get("timed_out"))
        step.reason = _reason(outcome.get("reason"), step.timed_out)
        step.message = f"{rel}: {outcome.get('message', 'failed')}"
        cell = outcome.get("cell")
        step.cell = cell if isinstance(cell, int) else None
    elif proc.timed_out:
        step.reason = Reason.TIMEOUT
        step.message = f"{rel}: did not finish in {timeout} s; killed"
    else:
        step.reason = Reason.NOTEBOOK_FAILED
        step.message = f"{rel}: " + (error_line(step.tail) or f"exited with {proc.returncode}")
    return step


def _read_outcome(path: Path) -> dict[str, Any] | None:
    try:
        outcome = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return outcome if isinstance(outcome, dict) else None


def _reason(value: object, timed_out: bool) -> Reason:
    try:
        return Reason(value)
    except ValueError:  # a child of another folio version: what the parent saw itself
        return Reason.TIMEOUT if timed_out else Reason.NOTEBOOK_FAILED


# -- comparing outputs (folio:compare) --------------------------------------------------------


def _plain(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_signature(output: dict[str, Any]) -> dict[str, str]:
    """What of one output must match: its type and its text (images and HTML vary by version)."""
    kind = str(output.get("output_type"))
    if kind == "stream":
        return {"type": f"stream:{output.get('name')}", "text": _norm(_plain(output.get("text")))}
    if kind == "error":
        return {"type": "error", "text": f"{output.get('ename')}: {output.get('evalue')}"}
    data = output.get("data", {}) or {}
    texts = {
        m: _norm(_plain(data[m]) if m != "application/json" else json.dumps(data[m]))
        for m in TEXT_MIMES
        if m in data
    }
    return {"type": "display" if kind in ("execute_result", "display_data") else kind, **texts}


def _norm(text: str) -> str:
    lines = [ln.rstrip() for ln in ADDRESS.sub(" at 0x…", text).strip().splitlines()]
    return "\n".join(lines)


def compare_outputs(expected: list[Any], actual: list[Any]) -> str | None:
    """None when every output matches; else a one-line description of the first difference."""
    exp = [output_signature(o) for o in expected]
    act = [output_signature(o) for o in actual]
    for i, (e, a) in enumerate(zip(exp, act, strict=False), start=1):
        if e != a:
            key = next((k for k in e if e.get(k) != a.get(k)), "type")
            if key not in a:
                key = "type"
            return (
                f"output {i} differs: expected {_short(e.get(key, ''))}, "
                f"got {_short(a.get(key, ''))}"
            )
    if len(exp) != len(act):
        return f"expected {len(exp)} output(s), got {len(act)}"
    return None


def _short(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n")
    return repr(text if len(text) <= limit else text[:limit] + "…")


# -- the child process ------------------------------------------------------------------------


def _failing(reason: Reason, message: str, **extra: Any) -> dict[str, Any]:
    return {"status": Status.FAILING.value, "reason": reason.value, "message": message, **extra}


def _execute_notebook(
    path: Path, kernels: Path, timeout: int, pid_file: Path | None
) -> dict[str, Any]:
    """Child process side: execute every code cell; compare outputs of folio:compare cells."""
    import copy

    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises many kinds for a bad file
        message = f"cannot read the notebook: {exc}".splitlines()[0]
        return _failing(Reason.NOTEBOOK_FAILED, message)
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
        record_timing=False,
    )
    deadline = time.monotonic() + timeout
    with client.setup_kernel():
        if pid_file is not None:
            with contextlib.suppress(Exception):
                pid_file.write_text(str(km.provisioner.pid))  # type: ignore[union-attr]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            number = index + 1  # as Jupyter shows it: markdown cells count
            tags = cell.get("metadata", {}).get("tags", []) or []
            expected = copy.deepcopy(cell.get("outputs", []))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                message = f"did not finish in {timeout} s (at cell {number})"
                return _failing(Reason.TIMEOUT, message, timed_out=True, cell=number)
            client.timeout = max(1, int(remaining))
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                message = f"cell {number} did not finish in {timeout} s; killed"
                return _failing(Reason.TIMEOUT, message, timed_out=True, cell=number)
            except DeadKernelError as exc:
                message = f"the kernel died in cell {number}: {exc}"
                return _failing(Reason.NOTEBOOK_FAILED, message, cell=number)
            except CellExecutionError as exc:
                sys.stdout.write(ANSI.sub("", str(exc)) + "\n")
                ename = getattr(exc, "ename", "Error")
                evalue = getattr(exc, "evalue", "")
                message = f"cell {number} raised {ename}: {evalue}".rstrip(": ")
                return _failing(Reason.NOTEBOOK_FAILED, message, cell=number)
            if COMPARE_TAG in tags:
                difference = compare_outputs(expected, cell.get("outputs", []))
                if difference:
                    sys.stdout.write(f"cell {number} ({COMPARE_TAG}): {difference}\n")
                    message = f"cell {number} ({COMPARE_TAG}) {difference}"
                    return _failing(Reason.OUTPUT_DIFFERS, message, cell=number)
    return {"status": Status.PASSING.value, "reason": Reason.OK.value, "message": "ran"}


def main(argv: Sequence[str]) -> int:
    """The child process: execute one notebook, write the outcome JSON to ``--result``."""
    import argparse

    parser = argparse.ArgumentParser(prog="folio run (notebook child)")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--kernels", type=Path, required=True)
    parser.add_argument("--timeout", type=int, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--kernel-pid", type=Path)
    args = parser.parse_args(argv)
    try:
        outcome = _execute_notebook(args.notebook, args.kernels, args.timeout, args.kernel_pid)
    except Exception as exc:  # the kernel would not start, and the like: one line, not a crash
        first = ANSI.sub("", str(exc)).strip().splitlines()
        message = f"{type(exc).__name__}: {first[0] if first else ''}".rstrip(": ")
        outcome = _failing(Reason.NOTEBOOK_FAILED, message)
        sys.stdout.write(f"{message}\n")
    args.result.write_text(json.dumps(outcome), encoding="utf-8")
    return 0 if outcome["status"] == Status.PASSING.value else 1
