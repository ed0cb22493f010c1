"""Each step a run takes (an install, a command, a notebook) and how it ended.

A failing step carries its reason as data from where it is known (the install, the command,
the notebook child process), never guessed from a message's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from repofolio.runner.process import ProcessResult, Tail
from repofolio.runner.status import Reason, Status


class StepKind(str, Enum):
    INSTALL = "install"
    COMMAND = "command"
    NOTEBOOK = "notebook"

    def __str__(self) -> str:
        return self.value


@dataclass
class Step:
    kind: StepKind
    name: str  # the command, or the notebook's repo-relative path
    status: Status  # PASSING or FAILING
    returncode: int | None
    duration: float
    timed_out: bool = False
    reason: Reason = Reason.OK  # why it failed
    message: str = ""  # one line a person can act on, when it failed
    tail: str = ""  # the last lines of its output, when it failed
    cell: int | None = None  # a notebook's failing cell (numbered as Jupyter shows them)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSING

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "name": self.name,
            "status": self.status.value,
            "returncode": self.returncode,
            "duration": round(self.duration, 2),
            "timed_out": self.timed_out,
        }
        if not self.passed:
            data["reason"] = self.reason.value
            if self.message:
                data["message"] = self.message
            if self.cell is not None:
                data["cell"] = self.cell
        return data


def process_step(
    kind: StepKind,
    name: str,
    result: ProcessResult,
    tail: Tail,
    tail_lines: int,
    *,
    failure: Reason,
    duration: float | None = None,
) -> Step:
    """The step of one process: passing, or failing for ``failure`` (timeout when it was)."""
    step = Step(
        kind,
        name,
        Status.PASSING if result.ok else Status.FAILING,
        result.returncode,
        result.duration if duration is None else duration,
        result.timed_out,
    )
    if not result.ok:
        step.reason = Reason.TIMEOUT if result.timed_out else failure
        step.tail = tail.text(tail_lines)
        if result.error:
            step.tail = (step.tail + "\n" + result.error).strip()
    return step
