"""PL001: the job-search pipeline's store must never be tracked by git.

The store names companies and people; a tracked copy is pushed with the public repository.
One ``git ls-files`` for the store's file name anywhere and for the configured store when
it lies inside the repository: light enough for ``folio check`` (no platformdirs, no json).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic


def check_tracked_store(cfg: Config) -> Iterator[Diagnostic]:
    root = cfg.root
    if not (root / ".git").exists():
        return
    from repofolio.pipeline.location import STORE_NAME, configured_store

    specs = [f":(glob)**/{STORE_NAME}"]
    configured = configured_store(cfg)
    if configured is not None:
        try:
            inside = configured.resolve(strict=False).relative_to(root.resolve())
        except ValueError:
            pass
        else:
            specs.append(":(literal)" + inside.as_posix())
    try:
        out = subprocess.run(
            ["git", "-C", os.fspath(root), "ls-files", "-z", "--cached", "--", *specs],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return
    for name in sorted({n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}):
        yield Diagnostic(
            name,
            1,
            1,
            "PL001",
            "the job-search pipeline's store is tracked by git, and it names companies and "
            f"people: run 'git rm --cached {name}', add it to .gitignore, and keep the store "
            "outside the repository ([tool.folio.pipeline] store)",
        )
