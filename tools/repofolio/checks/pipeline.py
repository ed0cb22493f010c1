"""PL001: the job-search pipeline's store must never be tracked by git; JR013: the digests of
its names must be.

The store names companies and people; a tracked copy is pushed with the public repository.
``.folio/private-names`` holds only salted digests of those names, and CI, which has no
store, redacts from it: an uncommitted copy protects this machine's builds only. One ``git
ls-files`` for the store's file name anywhere, the configured store when it lies inside the
repository, and the digests: light enough for ``folio check`` (no platformdirs, no json).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic


class TrackedStore:
    """The ``git ls-files`` this check needs, started now and read by :meth:`diagnostics`:
    ``folio check`` starts it before its imports, so git answers meanwhile (1.8 ms of git
    off the end of every check, on a second core)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.digests = False
        self.proc: subprocess.Popen[bytes] | None = None
        root = cfg.root
        if not (root / ".git").exists():
            return
        from repofolio.pipeline.location import STORE_NAME, configured_store
        from repofolio.privacy import DIGESTS_FILE

        specs = [f":(glob)**/{STORE_NAME}"]
        self.digests = (root / DIGESTS_FILE).is_file()
        if self.digests:
            specs.append(f":(literal){DIGESTS_FILE}")
        configured = configured_store(cfg)
        if configured is not None:
            try:
                inside = configured.resolve(strict=False).relative_to(root.resolve())
            except ValueError:
                pass
            else:
                specs.append(":(literal)" + inside.as_posix())
        try:
            self.proc = subprocess.Popen(
                ["git", "-C", os.fspath(root), "ls-files", "-z", "--cached", "--", *specs],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.proc = None

    def tracked(self) -> set[str] | None:
        """The tracked files among those asked for; None when git could not say."""
        if self.proc is None:
            return None
        try:
            out, _ = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            return None
        if self.proc.returncode != 0:
            return None
        return {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}

    def close(self) -> None:
        """Stop and reap git if its answer was never read."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            self.proc.communicate()

    def diagnostics(self) -> Iterator[Diagnostic]:
        from repofolio.privacy import DIGESTS_FILE

        tracked = self.tracked()
        if tracked is None:
            return
        if self.digests and DIGESTS_FILE not in tracked:
            yield Diagnostic(
                DIGESTS_FILE,
                1,
                1,
                "JR013",
                "the digests of the job search's names are not committed: CI, which builds the "
                "published site, cannot redact those names without them; run "
                f"'git add {DIGESTS_FILE}'",
                "warning",
            )
        tracked.discard(DIGESTS_FILE)
        for name in sorted(tracked):
            yield Diagnostic(
                name,
                1,
                1,
                "PL001",
                "the job-search pipeline's store is tracked by git, and it names companies and "
                f"people: run 'git rm --cached {name}', add it to .gitignore, and keep the store "
                "outside the repository ([tool.folio.pipeline] store)",
            )


def check_tracked_store(cfg: Config, started: TrackedStore | None = None) -> Iterator[Diagnostic]:
    """PL001 and JR013, from the listing ``started`` earlier (or one started now)."""
    yield from (started or TrackedStore(cfg)).diagnostics()
