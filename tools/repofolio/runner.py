"""Run a project's ``run:`` commands (and notebooks) in an isolated, cached virtual environment.

One environment per (python version, requirements file content, harness extras), under
``[tool.folio.run] env-dir``: two projects with the same requirements share it, a second run
with nothing changed reuses it, and a changed requirements file gets a new one. Environments
are plain ``python -m venv`` (no ``--system-site-packages``: a project must declare what it
imports); pip installs into them with the machine's pip configuration (index, find-links, cache).

Every command runs from the project folder in a new session (its own process group), stdin
closed, output captured into a bounded tail. At the timeout the whole group gets SIGTERM, then
SIGKILL; after a normal exit stragglers left in the group are killed too.

Notebooks run in a child process of the caller's Python (nbclient loads there, not here) whose
Jupyter kernel is the environment's Python, by a kernelspec written into the environment; the
same timeout and group kill apply, and the kernel's own process group is killed as well.

POSIX only (process groups, ``fcntl`` locks).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ENV_MARKER = "folio-env.json"
KERNEL_NAME = "folio-env"
KERNEL_EXTRAS = ("ipykernel",)
COMPARE_TAG = "folio:compare"
TAIL_BYTES = 64 * 1024  # raw bytes kept per step, whatever the command prints
LINE_CHARS = 500  # one line of the tail, at most
KILL_GRACE = 2.0  # seconds between SIGTERM and SIGKILL
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
ERROR_LINE = re.compile(
    r"^\s*(?:E\s+)?([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)|ERROR|FAILED|error)\b[:\s].*"
)

Progress = Callable[[str, str], None]  # (slug, message)


# -- bounded output --------------------------------------------------------------------------


class Tail:
    """The last ``max_bytes`` bytes of a stream, and how much came before them."""

    def __init__(self, max_bytes: int = TAIL_BYTES) -> None:
        self.max_bytes = max_bytes
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self.total = 0
        self._lock = threading.Lock()

    def feed(self, data: bytes) -> None:
        with self._lock:
            self.total += len(data)
            if len(data) >= self.max_bytes:
                self._chunks.clear()
                self._chunks.append(data[-self.max_bytes :])
                self._size = self.max_bytes
                return
            self._chunks.append(data)
            self._size += len(data)
            while self._size - len(self._chunks[0]) >= self.max_bytes:
                self._size -= len(self._chunks.popleft())

    def write(self, text: str) -> None:
        self.feed(text.encode("utf-8", "replace"))

    @property
    def dropped(self) -> int:
        with self._lock:
            return max(0, self.total - self._size)

    def lines(self, n: int) -> list[str]:
        """The last ``n`` lines, ANSI colours removed, carriage-return progress collapsed."""
        with self._lock:
            data = b"".join(self._chunks)
        text = codecs.decode(data, "utf-8", "replace")
        out: list[str] = []
        for raw in ANSI.sub("", text).split("\n"):
            line = raw.rstrip("\r").rsplit("\r", 1)[-1].rstrip()
            if len(line) > LINE_CHARS:
                line = line[:LINE_CHARS] + f" [... {len(line) - LINE_CHARS} more characters]"
            out.append(line)
        while out and not out[-1]:
            out.pop()
        return out[-n:] if n else []

    def text(self, n: int) -> str:
        """The last ``n`` lines, with a first line saying when earlier output was left out."""
        every = self.lines(10**9)
        lines = every[-n:] if n else []
        if self.dropped or len(every) > len(lines):
            size = f"{self.total / 1e6:.1f} MB" if self.total >= 1e6 else f"{self.total} bytes"
            lines.insert(0, f"[... {size} of output; the last {len(lines)} lines ...]")
        return "\n".join(lines)


def _pump(stream: IO[bytes], tail: Tail) -> None:
    fd = stream.fileno()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        tail.feed(chunk)


# -- processes --------------------------------------------------------------------------------


@dataclass
class ProcessResult:
    returncode: int | None  # None: killed at the timeout
    duration: float
    timed_out: bool
    error: str | None = None  # could not start at all


def kill_group(
    pgid: int, leader: subprocess.Popen[bytes] | None = None, grace: float = KILL_GRACE
) -> None:
    """SIGTERM the process group, give it ``grace`` seconds, then SIGKILL what is left."""
    try:
        os.killpg(pgid, signal.SIGTERM if grace else signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    if not grace:
        return
    deadline = time.monotonic() + grace
    if leader is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            leader.wait(grace)
    while time.monotonic() < deadline and _group_alive(pgid):
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def run_process(
    cmd: str | Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    tail: Tail,
    on_timeout: Callable[[], None] | None = None,
) -> ProcessResult:
    """Run ``cmd`` (a string goes through ``/bin/sh -c``) in its own process group.

    Output (stdout and stderr, interleaved) goes into ``tail``; at ``timeout`` the whole group
    is killed and ``on_timeout`` runs (to kill processes that left the group, like kernels).
    """
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            cmd if isinstance(cmd, str) else list(cmd),
            shell=isinstance(cmd, str),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a new process group: a timeout kills children too
        )
    except OSError as exc:
        return ProcessResult(None, time.monotonic() - start, False, f"cannot start: {exc}")
    assert proc.stdout is not None
    reader = threading.Thread(target=_pump, args=(proc.stdout, tail), daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        if on_timeout is not None:
            on_timeout()
        kill_group(proc.pid, proc)
        proc.wait()
    except BaseException:  # Ctrl-C: leave nothing running behind
        kill_group(proc.pid, proc, grace=0)
        proc.wait()
        raise
    finally:
        # Stragglers (a background child still holding the pipe) would block the reader.
        kill_group(proc.pid, None, grace=0)
    reader.join(5)
    proc.stdout.close()
    duration = time.monotonic() - start
    return ProcessResult(None if timed_out else proc.returncode, duration, timed_out)


# -- environments ----------------------------------------------------------------------------


def python_tag() -> str:
    """What an environment depends on besides its requirements: interpreter and platform."""
    impl = platform.python_implementation().lower()
    return f"{impl}-{platform.python_version()}-{sys.platform}-{platform.machine()}"


_INCLUDE = re.compile(
    rb"^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)", re.MULTILINE
)


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
    step: Step | None  # the install step, when one ran
    error: str | None = None  # why the environment could not be made


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


def env_is_ready(path: Path, key: str) -> bool:
    marker = _marker(path)
    return marker is not None and marker.get("key") == key and (path / "bin" / "python").exists()


def _marker(path: Path) -> dict[str, Any] | None:
    """The environment's folio-env.json, written once its install finished; None before."""
    try:
        marker = json.loads((path / ENV_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def base_env() -> dict[str, str]:
    """The caller's environment without what would leak the caller's Python into a project."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PYTHONPATH",
            "PYTHONHOME",
            "VIRTUAL_ENV",
            "PYTHONSTARTUP",
            "CONDA_PREFIX",
            "PYENV_VERSION",
            "__PYVENV_LAUNCHER__",
        }
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep __pycache__ out of the projects
    env["PYTHONUNBUFFERED"] = "1"  # the tail shows output in the order it was printed
    env.setdefault("MPLBACKEND", "Agg")  # plots never wait for a window
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def env_vars(env: Env) -> dict[str, str]:
    variables = base_env()
    variables["VIRTUAL_ENV"] = str(env.path)
    variables["PATH"] = f"{env.path / 'bin'}{os.pathsep}{variables.get('PATH', '')}"
    return variables


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
        if env_is_ready(path, key):
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
        step: Step | None = None
        if packages:
            progress(
                f"installing {requirements.name if requirements else ''}"
                f"{' + ' if requirements and extras else ''}{' '.join(extras)}".strip()
            )
            cmd = [str(env.python), "-m", "pip", "install", "--no-input", *packages]
            result = run_process(cmd, cwd=cwd, env=env_vars(env), timeout=timeout, tail=tail)
            step = _step(
                "install",
                _install_label(requirements, extras),
                result,
                tail,
                tail_lines,
                time.monotonic() - start,
            )
            if step.status != "passing":
                shutil.rmtree(path, ignore_errors=True)  # never reuse a half-installed env
                return EnvOutcome(None, step)
        if extras:
            _write_kernelspec(env)
        marker = {
            "key": key,
            "python": python_tag(),
            "requirements": requirements.name if requirements else None,
            "requirements_sha256": hashlib.sha256(req_bytes).hexdigest() if req_bytes else None,
            "extras": sorted(extras),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (path / ENV_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        return EnvOutcome(env, step)


# the names env_key gives: py3.11.7-req-kernel-0123456789abcdef
ENV_NAME = re.compile(r"^py\d[\w.+]*-(?:req|bare)(?:-kernel)?-[0-9a-f]{16}$")

Usage = tuple[str | None, tuple[str, ...]]  # (requirements_sha256, sorted extras), as marked


def env_usage(requirements: Path | None, extras: Sequence[str] = ()) -> Usage:
    """What an environment for these requirements records in its marker (OSError if unreadable)."""
    sha = hashlib.sha256(requirements_bytes(requirements)).hexdigest() if requirements else None
    return sha, tuple(sorted(extras))


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


def _install_label(requirements: Path | None, extras: Sequence[str]) -> str:
    parts = [f"pip install -r {requirements.name}"] if requirements else ["pip install"]
    return " ".join(parts + list(extras))


def _write_kernelspec(env: Env) -> None:
    """A kernel whose Python is the environment's, by absolute path (not PATH lookup)."""
    spec = {
        "argv": [str(env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "folio run environment",
        "language": "python",
    }
    folder = env.kernels / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


# -- steps and projects -----------------------------------------------------------------------


@dataclass
class Step:
    kind: str  # install | command | notebook
    name: str
    status: str  # passing | failing
    returncode: int | None
    duration: float
    timed_out: bool = False
    message: str = ""
    tail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "returncode": self.returncode,
            "duration": round(self.duration, 2),
            "timed_out": self.timed_out,
        }


def _step(
    kind: str,
    name: str,
    result: ProcessResult,
    tail: Tail,
    tail_lines: int,
    duration: float | None = None,
) -> Step:
    ok = result.returncode == 0 and not result.timed_out and result.error is None
    step = Step(
        kind,
        name,
        "passing" if ok else "failing",
        result.returncode,
        result.duration if duration is None else duration,
        result.timed_out,
    )
    if not ok:
        step.tail = tail.text(tail_lines)
        if result.error:
            step.tail = (step.tail + "\n" + result.error).strip()
    return step


def error_line(tail_text: str, folder: Path | None = None) -> str | None:
    """The most useful line of a failure's output: the last exception or ERROR line.

    For a traceback through the project's own files, ``(file.py:LINE)`` of the last frame in
    the project is added: the place to look first.
    """
    lines = [ln for ln in tail_text.splitlines() if ln.strip()]
    for at in range(len(lines) - 1, -1, -1):
        line = lines[at]
        if not ERROR_LINE.match(line) or line.lstrip().startswith("[..."):
            continue
        text = line.strip()
        text = text[2:].strip() if text.startswith("E ") else text
        text = text[:300]
        if folder is not None:
            where = _last_frame(lines[:at], folder)
            if where:
                text += f" ({where})"
        return text
    return None


FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _last_frame(lines: list[str], folder: Path) -> str | None:
    for line in reversed(lines[-60:]):
        match = FRAME.match(line)
        if match is None:
            continue
        file = Path(match["file"])
        file = file if file.is_absolute() else folder / file
        try:
            rel = file.resolve().relative_to(folder.resolve()).as_posix()
        except (ValueError, OSError):
            continue
        return f"{rel}:{match['line']}"
    return None


@dataclass(frozen=True)
class Plan:
    """What to do for one project, decided from its front matter before anything runs."""

    slug: str
    folder: Path
    commands: tuple[str, ...] = ()
    requirements: Path | None = None
    timeout: int = 600
    notebooks: tuple[tuple[Path, str], ...] = ()  # (absolute path, repo-relative path)
    not_runnable: str | None = None  # why, when it cannot run at all
    error: str | None = None  # a problem in the front matter that makes it fail


@dataclass
class ProjectResult:
    slug: str
    status: str  # passing | failing | not-runnable
    reason: str
    message: str
    duration: float = 0.0
    env: str | None = None
    env_reused: bool = False
    steps: list[Step] = field(default_factory=list)
    log_tail: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "duration": round(self.duration, 2),
            "env": self.env,
            "env_reused": self.env_reused,
            "steps": [s.as_dict() for s in self.steps],
        }
        if self.status == "failing":
            data["log_tail"] = self.log_tail
        return data


@dataclass(frozen=True)
class Settings:
    env_dir: Path
    tail_lines: int = 40
    install_timeout: int = 1800
    notebooks: bool = False


def run_project(plan: Plan, settings: Settings, progress: Progress | None = None) -> ProjectResult:
    def say(message: str) -> None:
        if progress is not None:
            progress(plan.slug, message)

    if plan.not_runnable:
        return ProjectResult(plan.slug, "not-runnable", "no run", plan.not_runnable)
    if plan.error:
        return ProjectResult(plan.slug, "failing", "error", plan.error)
    start = time.monotonic()
    extras = KERNEL_EXTRAS if plan.notebooks else ()
    outcome = ensure_env(
        settings.env_dir,
        plan.requirements,
        extras=extras,
        cwd=plan.folder,
        timeout=settings.install_timeout,
        tail_lines=settings.tail_lines,
        progress=say,
    )
    result = ProjectResult(plan.slug, "passing", "ok", "", env=None)
    if outcome.step is not None:
        result.steps.append(outcome.step)
    if outcome.env is None:
        result.status, result.reason = "failing", "install failed"
        step = outcome.step
        if step is not None:
            why = (
                f"timed out after {settings.install_timeout} s"
                if step.timed_out
                else error_line(step.tail) or f"pip exited with {step.returncode}"
            )
            result.message = f"install failed ({step.name}): {why}"
            result.log_tail = f"$ {step.name}\n{step.tail}"
        else:
            result.message = f"install failed: {outcome.error}"
        result.duration = time.monotonic() - start
        return result
    env = outcome.env
    result.env, result.env_reused = env.path.name, env.reused
    variables = env_vars(env)
    for command in plan.commands:
        say(f"$ {command}")
        tail = Tail()
        proc = run_process(command, cwd=plan.folder, env=variables, timeout=plan.timeout, tail=tail)
        step = _step("command", command, proc, tail, settings.tail_lines)
        result.steps.append(step)
        if step.status != "passing":
            _fail_command(result, step, plan.timeout, plan.folder)
            break
    else:
        for nb_path, nb_rel in plan.notebooks:
            say(f"notebook {nb_rel}")
            step = run_notebook(
                nb_path, nb_rel, env, timeout=plan.timeout, tail_lines=settings.tail_lines
            )
            result.steps.append(step)
            if step.status != "passing":
                result.status = "failing"
                result.reason = (
                    "output differs"
                    if "differs" in step.message
                    else ("timeout" if step.timed_out else "notebook failed")
                )
                result.message = step.message
                result.log_tail = f"$ execute {nb_rel}\n{step.tail}"
                break
    result.duration = time.monotonic() - start
    if result.status == "passing":
        ran = [s for s in result.steps if s.kind != "install"]
        result.message = f"{len(ran)} step{'s' if len(ran) != 1 else ''} passed"
    return result


def _fail_command(result: ProjectResult, step: Step, timeout: int, folder: Path) -> None:
    result.status = "failing"
    if step.timed_out:
        result.reason = "timeout"
        result.message = (
            f"'{step.name}' did not finish in {timeout} s; killed (its whole process group)"
        )
    else:
        result.reason = "command failed"
        detail = error_line(step.tail, folder)
        code = step.returncode
        how = f"exited with {code}" if code is None or code >= 0 else f"killed by signal {-code}"
        result.message = f"'{step.name}' {how}" + (f": {detail}" if detail else "")
    result.log_tail = f"$ {step.name}\n{step.tail}"


def run_all(
    plans: Sequence[Plan], settings: Settings, *, jobs: int = 1, progress: Progress | None = None
) -> list[ProjectResult]:
    """Run every plan, ``jobs`` at a time; results in the order of ``plans``."""
    if jobs <= 1 or len(plans) <= 1:
        return [run_project(p, settings, progress) for p in plans]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda p: run_project(p, settings, progress), plans))


# -- notebooks --------------------------------------------------------------------------------


def run_notebook(path: Path, rel: str, env: Env, *, timeout: int, tail_lines: int) -> Step:
    """Execute one notebook in a child process whose kernel is ``env``'s Python."""
    import tempfile

    tail = Tail()
    with tempfile.TemporaryDirectory(prefix="folio-nb-") as tmp:
        result_file = Path(tmp) / "result.json"
        pid_file = Path(tmp) / "kernel.pid"
        # Started with -c, not PYTHONPATH: the kernel inherits the environment variables and
        # must not see the caller's packages.
        package_parent = str(Path(__file__).resolve().parent.parent)
        code = (
            f"import sys; sys.path.insert(0, {package_parent!r}); "
            "from repofolio.runner import _notebook_main; "
            "sys.exit(_notebook_main(sys.argv[1:]))"
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
        variables = env_vars(env)

        def kill_kernel() -> None:
            with contextlib.suppress(OSError, ValueError):
                kill_group(int(pid_file.read_text().strip()), None, grace=0)

        proc = run_process(
            cmd,
            cwd=path.parent,
            env=variables,
            timeout=timeout + 30,
            tail=tail,
            on_timeout=kill_kernel,
        )
        kill_kernel()  # whatever happened, no kernel outlives its notebook
        try:
            outcome = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            outcome = None
    step = _step("notebook", rel, proc, tail, tail_lines)
    if outcome is not None and outcome.get("status") == "passing" and proc.returncode == 0:
        step.status, step.tail = "passing", ""
        return step
    step.status = "failing"
    step.tail = "\n".join(
        ln for ln in tail.text(tail_lines).splitlines() if not KERNEL_NOISE.search(ln)
    )
    if outcome is not None:
        step.timed_out = step.timed_out or bool(outcome.get("timed_out"))
        step.message = f"{rel}: {outcome.get('message', 'failed')}"
    elif proc.timed_out:
        step.message = f"{rel}: did not finish in {timeout} s; killed"
    else:
        step.message = f"{rel}: " + (error_line(step.tail) or f"exited with {proc.returncode}")
    return step


# The kernel's own chatter on every start and stop: not the notebook's output.
KERNEL_NOISE = re.compile(
    r"^\[IPKernelApp\] WARNING \| (Kernel is running over TCP|Parent appears to have exited)"
)


def _plain(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


TEXT_MIMES = ("text/plain", "text/markdown", "text/latex", "application/json")
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


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
        return {"status": "failing", "message": f"cannot read the notebook: {exc}".splitlines()[0]}
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
            number = index + 1
            tags = cell.get("metadata", {}).get("tags", []) or []
            expected = copy.deepcopy(cell.get("outputs", []))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return {
                    "status": "failing",
                    "timed_out": True,
                    "message": f"did not finish in {timeout} s (at cell {number})",
                }
            client.timeout = max(1, int(remaining))
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                return {
                    "status": "failing",
                    "timed_out": True,
                    "cell": number,
                    "message": f"cell {number} did not finish in {timeout} s; killed",
                }
            except DeadKernelError as exc:
                return {
                    "status": "failing",
                    "cell": number,
                    "message": f"the kernel died in cell {number}: {exc}",
                }
            except CellExecutionError as exc:
                sys.stdout.write(ANSI.sub("", str(exc)) + "\n")
                ename = getattr(exc, "ename", "Error")
                evalue = getattr(exc, "evalue", "")
                return {
                    "status": "failing",
                    "cell": number,
                    "message": f"cell {number} raised {ename}: {evalue}".rstrip(": "),
                }
            if COMPARE_TAG in tags:
                difference = compare_outputs(expected, cell.get("outputs", []))
                if difference:
                    sys.stdout.write(f"cell {number} ({COMPARE_TAG}): {difference}\n")
                    return {
                        "status": "failing",
                        "cell": number,
                        "message": f"cell {number} ({COMPARE_TAG}) {difference}",
                    }
    return {"status": "passing", "message": "ran without error"}


def _notebook_main(argv: Sequence[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m repofolio.runner notebook")
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
        outcome = {
            "status": "failing",
            "message": f"{type(exc).__name__}: {first[0] if first else ''}".rstrip(": "),
        }
        sys.stdout.write(f"{outcome['message']}\n")
    args.result.write_text(json.dumps(outcome), encoding="utf-8")
    return 0 if outcome["status"] == "passing" else 1


if __name__ == "__main__":  # pragma: no cover - the notebook child process
    if len(sys.argv) > 1 and sys.argv[1] == "notebook":
        sys.exit(_notebook_main(sys.argv[2:]))
    sys.exit("usage: python -m repofolio.runner notebook NOTEBOOK ...")
