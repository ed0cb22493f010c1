"""What to do for one project (:class:`Plan`, decided before anything runs), and doing it.

:func:`run_project` makes or reuses the environment, runs the commands in order (the first
failure stops the project), then the notebooks, and returns a :class:`ProjectResult`: its
status, the reason (from the step that failed), a one-line message and the steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repofolio.runner.env import KERNEL_EXTRAS, ensure_env, env_vars
from repofolio.runner.notebook import run_notebook
from repofolio.runner.process import Tail, error_line, run_process
from repofolio.runner.status import Reason, Status
from repofolio.runner.steps import Step, StepKind, process_step

Progress = Callable[[str, str], None]  # (slug, message)


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


@dataclass(frozen=True)
class Settings:
    env_dir: Path
    tail_lines: int = 40
    install_timeout: int = 1800


@dataclass
class ProjectResult:
    slug: str
    status: Status
    reason: Reason
    message: str
    duration: float = 0.0
    env: str | None = None
    env_reused: bool = False
    steps: list[Step] = field(default_factory=list)
    log_tail: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status.value,
            "reason": self.reason.value,
            "message": self.message,
            "duration": round(self.duration, 2),
            "env": self.env,
            "env_reused": self.env_reused,
            "steps": [s.as_dict() for s in self.steps],
        }
        if self.status is Status.FAILING:
            data["log_tail"] = self.log_tail
        return data

    def fail(self, step: Step, reason: Reason, message: str) -> None:
        self.status, self.reason, self.message = Status.FAILING, reason, message
        self.log_tail = f"$ {_shown(step)}\n{step.tail}"


def _shown(step: Step) -> str:
    return f"execute {step.name}" if step.kind is StepKind.NOTEBOOK else step.name


def run_project(plan: Plan, settings: Settings, progress: Progress | None = None) -> ProjectResult:
    def say(message: str) -> None:
        if progress is not None:
            progress(plan.slug, message)

    if plan.not_runnable:
        return ProjectResult(plan.slug, Status.NOT_RUNNABLE, Reason.NO_RUN, plan.not_runnable)
    if plan.error:
        return ProjectResult(plan.slug, Status.FAILING, Reason.ERROR, plan.error)
    start = time.monotonic()
    outcome = ensure_env(
        settings.env_dir,
        plan.requirements,
        extras=KERNEL_EXTRAS if plan.notebooks else (),
        cwd=plan.folder,
        timeout=settings.install_timeout,
        tail_lines=settings.tail_lines,
        progress=say,
    )
    result = ProjectResult(plan.slug, Status.PASSING, Reason.OK, "")
    if outcome.install is not None:
        result.steps.append(outcome.install)
    if outcome.env is None:
        _fail_install(result, outcome.install, outcome.error, settings.install_timeout)
        result.duration = time.monotonic() - start
        return result
    env = outcome.env
    result.env, result.env_reused = env.path.name, env.reused
    variables = env_vars(env)
    for command in plan.commands:
        say(f"$ {command}")
        tail = Tail()
        proc = run_process(command, cwd=plan.folder, env=variables, timeout=plan.timeout, tail=tail)
        step = process_step(
            StepKind.COMMAND,
            command,
            proc,
            tail,
            settings.tail_lines,
            failure=Reason.COMMAND_FAILED,
        )
        result.steps.append(step)
        if not step.passed:
            step.message = _command_message(step, plan.timeout, plan.folder)
            result.fail(step, step.reason, step.message)
            break
    else:
        for nb_path, nb_rel in plan.notebooks:
            say(f"notebook {nb_rel}")
            step = run_notebook(
                nb_path, nb_rel, env, timeout=plan.timeout, tail_lines=settings.tail_lines
            )
            result.steps.append(step)
            if not step.passed:
                result.fail(step, step.reason, step.message)
                break
    result.duration = time.monotonic() - start
    if result.status is Status.PASSING:
        ran = [s for s in result.steps if s.kind is not StepKind.INSTALL]
        result.message = f"{len(ran)} step{'s' if len(ran) != 1 else ''} passed"
    return result


def _fail_install(
    result: ProjectResult, install: Step | None, error: str | None, timeout: int
) -> None:
    if install is None:  # no environment, before any install ran
        result.status, result.reason = Status.FAILING, Reason.INSTALL_FAILED
        result.message = f"install failed: {error}"
        return
    why = (
        f"timed out after {timeout} s"
        if install.timed_out
        else error_line(install.tail) or f"pip exited with {install.returncode}"
    )
    install.message = f"install failed ({install.name}): {why}"
    result.fail(install, Reason.INSTALL_FAILED, install.message)


def _command_message(step: Step, timeout: int, folder: Path) -> str:
    if step.timed_out:
        return f"'{step.name}' did not finish in {timeout} s; killed (its whole process group)"
    detail = error_line(step.tail, folder)
    code = step.returncode
    how = f"exited with {code}" if code is None or code >= 0 else f"killed by signal {-code}"
    return f"'{step.name}' {how}" + (f": {detail}" if detail else "")
