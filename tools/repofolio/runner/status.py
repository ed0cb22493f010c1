"""A project's run status and the reason for it: the words of the run report, as enums.

``str``-valued, so the JSON report keeps its format and readers compare with plain strings.
Imports nothing: the run report reader (:mod:`repofolio.runreport`), which the README index
and the site use, loads this and nothing else of the runner.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """What a badge shows."""

    PASSING = "passing"  # every step succeeded
    FAILING = "failing"  # a step failed: an install, a command, a notebook, a timeout
    NOT_RUNNABLE = "not-runnable"  # nothing to run, or front matter too broken to plan

    def __str__(self) -> str:
        return self.value


class Reason(str, Enum):
    """Why a project has its status."""

    OK = "ok"
    COMMAND_FAILED = "command failed"
    TIMEOUT = "timeout"
    INSTALL_FAILED = "install failed"
    NOTEBOOK_FAILED = "notebook failed"  # a cell raised, the kernel died, it could not be read
    OUTPUT_DIFFERS = "output differs"  # a folio:compare cell did not reproduce its outputs
    NO_RUN = "no run"
    ERROR = "error"  # a problem in the front matter that makes the project fail

    def __str__(self) -> str:
        return self.value
