"""Virtual environments: one per (python, requirements file content, harness extras).

Under ``[tool.folio.run] env-dir``: two projects with the same requirements share one, a
second run with nothing changed reuses it, and a changed requirements file (or a file it
includes) gets a new one. Environments are plain ``python -m venv`` (no
``--system-site-packages``: a project must declare what it imports); pip installs into them
with the machine's pip configuration (index, find-links, cache). An environment counts only
once its ``folio-env.json`` marker is written; a half-made one is rebuilt. Each is made (and
pruned) under its own ``fcntl`` lock, so concurrent runs wait for each other.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repofolio.runner.process import Tail, run_process
from repofolio.runner.status import Reason
from repofolio.runner.steps import Step, StepKind, process_step

ENV_MARKER = "folio-env.json"
KERNEL_NAME = "folio-env"
KERNEL_EXTRAS = ("ipykernel",)
# the names env_key gives: py3.11.7-req-kernel-0123456789abcdef
ENV_NAME = re.compile(r"^py\d[\w.+]*-(?:req|bare)(?:-kernel)?-[0-9a-f]{16}$")
# what the caller's Python would leak into a project's
LEAKS = frozenset(
    {
        "PYTHONPATH",
        "PYTHONHOME",
        "VIRTUAL_ENV",
        "PYTHONSTARTUP",
        "CONDA_PREFIX",
        "PYENV_VERSION",
        "__PYVENV_LAUNCHER__",
    }
)
_INCLUDE = re.compile(
    rb"^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)", re.MULTILINE
)

Usage = tuple[str | None, tuple[str, ...]]  # (requirements_sha256, sorted extras), as marked


def python_tag() -> str:
    """What an environment depends on besides its requirements: interpreter and platform."""
    impl = platform.python_implementation().lower()
    return f"{impl}-{platform.python_version()}-{sys.platform}-{platform.machine()}"


def requirements_bytes(path: Path, _seen: frozenset[Path] = frozenset()) -> bytes:
    """The requirements file with every file it includes (``-r``, ``-c``), for the env hash.

    A change in an included ``base.txt`` must make a new environment, as pip would install
    something else. Includes are read relative to the including file; a cycle is cut, and
    URLs are left to pip.
    """
    data = path.read_bytes()
    parts = [data]
    here = path.resolve()
    for match in _INCLUDE.finditer(data):
        name = match.group(1).decode("utf-8", "replace")
        if "://" in name:
            continue
        included = (path.parent / name).resolve()
        if included in _seen or included == here:
            continue
        parts.append(b"\0" + name.encode() + b"\0" + requirements_bytes(included, _seen | {here}))
    return b"".join(parts)


def env_key(requirements: bytes | None, extras: Sequence[str] = (), tag: str | None = None) -> str:
    """The environment folder name: python version + a hash of requirements and extras."""
    tag = tag or python_tag()
    digest = hashlib.sha256()
    for part in (tag.encode(), requirements or b"", " ".join(sorted(extras)).encode()):
        digest.update(part + b"\0")
    version = platform.python_version()
    kind = "req" if requirements is not None else "bare"
    suffix = "-kernel" if extras else ""
    return f"py{version}-{kind}{suffix}-{digest.hexdigest()[:16]}"


def env_usage(requirements: Path | None, extras: Sequence[str] = ()) -> Usage:
    """What an environment for these requirements records in its marker (OSError if unreadable)."""
    sha = hashlib.sha256(requirements_bytes(requirements)).hexdigest() if requirements else None
    return sha, tuple(sorted(extras))


@dataclass
class Env:
    path: Path
    reused: bool

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def kernels(self) -> Path:
        return self.path / "share" / "jupyter" / "kernels"


@dataclass
class EnvOutcome:
    env: Env | None
    install: Step | None  # the install step, when one ran
    error: str | None = None  # why the environment could not be made, without an install step


def base_env() -> dict[str, str]:
    """The caller's environment without what would leak the caller's Python into a project."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep __pycache__ out of the projects
    env["PYTHONUNBUFFERED"] = "1"  # the tail shows output in the order it was printed
    env.setdefault("MPLBACKEND", "Agg")  # plots never wait for a window
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def env_vars(env: Env) -> dict[str, str]:
    """The variables a command of ``env`` runs with: its ``bin/`` first on PATH."""
    variables = base_env()
    variables["VIRTUAL_ENV"] = str(env.path)
    variables["PATH"] = f"{env.path / 'bin'}{os.pathsep}{variables.get('PATH', '')}"
    return variables


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _marker(path: Path) -> dict[str, Any] | None:
    """The environment's folio-env.json, written once its install finished; None before."""
    try:
        marker = json.loads((path / ENV_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _is_ready(path: Path, key: str) -> bool:
    marker = _marker(path)
    return marker is not None and marker.get("key") == key and (path / "bin" / "python").exists()


def ensure_env(
    env_dir: Path,
    requirements: Path | None,
    *,
    extras: Sequence[str] = (),
    cwd: Path,
    timeout: float,
    tail_lines: int,
    progress: Callable[[str], None] = lambda _msg: None,
) -> EnvOutcome:
    """Reuse or create the environment for ``requirements`` (+ ``extras``) and install into it."""
    try:
        req_bytes = requirements_bytes(requirements) if requirements is not None else None
    except OSError as exc:
        name = exc.filename or (requirements.name if requirements is not None else "requirements")
        return EnvOutcome(None, None, f"cannot read {Path(name).name}: {exc.strerror}")
    key = env_key(req_bytes, extras)
    path = env_dir / key
    with _locked(env_dir / f".{key}.lock"):
        if _is_ready(path, key):
            return EnvOutcome(Env(path, True), None)
        if path.exists():  # a half-made environment from an interrupted or failed run
            shutil.rmtree(path, ignore_errors=True)
        progress(f"creating environment {key}")
        tail = Tail()
        start = time.monotonic()
        made = run_process(
            [sys.executable, "-m", "venv", str(path)],
            cwd=cwd,
            env=base_env(),
            timeout=timeout,
            tail=tail,
        )
        if made.returncode != 0:
            shutil.rmtree(path, ignore_errors=True)
            why = made.error or ("timed out" if made.timed_out else tail.text(3))
            return EnvOutcome(None, None, f"python -m venv failed: {why}")
        env = Env(path, False)
        packages: list[str] = []
        if requirements is not None:
            packages += ["-r", str(requirements)]
        packages += list(extras)
        install: Step | None = None
        if packages:
            progress(
                f"installing {requirements.name if requirements else ''}"
                f"{' + ' if requirements and extras else ''}{' '.join(extras)}".strip()
            )
            cmd = [str(env.python), "-m", "pip", "install", "--no-input", *packages]
            result = run_process(cmd, cwd=cwd, env=env_vars(env), timeout=timeout, tail=tail)
            install = process_step(
                StepKind.INSTALL,
                _install_label(requirements, extras),
                result,
                tail,
                tail_lines,
                failure=Reason.INSTALL_FAILED,
                duration=time.monotonic() - start,
            )
            if not install.passed:
                shutil.rmtree(path, ignore_errors=True)  # never reuse a half-installed env
                return EnvOutcome(None, install)
        if extras:
            write_kernelspec(env)
        marker = {
            "key": key,
            "python": python_tag(),
            "requirements": requirements.name if requirements else None,
            "requirements_sha256": hashlib.sha256(req_bytes).hexdigest() if req_bytes else None,
            "extras": sorted(extras),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (path / ENV_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        return EnvOutcome(env, install)


def _install_label(requirements: Path | None, extras: Sequence[str]) -> str:
    parts = [f"pip install -r {requirements.name}"] if requirements else ["pip install"]
    return " ".join(parts + list(extras))


def write_kernelspec(env: Env) -> None:
    """A kernel whose Python is the environment's, by absolute path (not PATH lookup)."""
    spec = {
        "argv": [str(env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "folio run environment",
        "language": "python",
    }
    folder = env.kernels / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


# -- pruning ----------------------------------------------------------------------------------


@dataclass
class Pruned:
    name: str
    reason: str
    size: int  # bytes on disk


@dataclass
class PruneResult:
    removed: list[Pruned] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "name: why it could not be removed"


def prune_envs(env_dir: Path, in_use: set[Usage], *, dry_run: bool = False) -> PruneResult:
    """Remove the environments in ``env_dir`` that no usage in ``in_use`` needs (with
    ``dry_run``, only say which).

    An environment is needed when its marker records requirements (by content hash) and
    extras in use, whatever Python made it. Half-made ones (no marker: an interrupted run)
    go too. Only folders named as ``env_key`` names them are looked at; symlinks are never
    followed. Each is removed under its lock, so a run creating it at the same time waits.
    """
    result = PruneResult()
    try:
        entries = sorted(os.scandir(env_dir), key=lambda e: e.name)
    except FileNotFoundError:
        return result
    for entry in entries:
        if not ENV_NAME.match(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        # a dry run writes nothing, not even a lock file
        lock = contextlib.nullcontext() if dry_run else _locked(env_dir / f".{entry.name}.lock")
        with lock:
            path = Path(entry.path)
            marker = _marker(path)
            if marker is None:
                reason = "half-made (no folio-env.json)"
            elif (marker.get("requirements_sha256"), tuple(marker.get("extras") or ())) in in_use:
                result.kept.append(entry.name)
                continue
            else:
                reason = "no project uses these requirements now"
            size = _disk_usage(path)
            try:
                if not dry_run:
                    shutil.rmtree(path)
            except OSError as exc:
                result.errors.append(f"{entry.name}: {exc.strerror or exc}")
                continue
            result.removed.append(Pruned(entry.name, reason, size))
    return result


def _disk_usage(path: Path) -> int:
    """Bytes the tree takes on disk, symlinks not followed (an environment links its Python)."""
    total = 0
    stack = [path]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    return total
