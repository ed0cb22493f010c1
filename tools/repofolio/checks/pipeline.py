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


def check_tracked_store(cfg: Config) -> Iterator[Diagnostic]:
    root = cfg.root
    if not (root / ".git").exists():
        return
    from repofolio.pipeline.location import STORE_NAME, configured_store
    from repofolio.privacy import DIGESTS_FILE

    specs = [f":(glob)**/{STORE_NAME}"]
    digests = (root / DIGESTS_FILE).is_file()
    if digests:
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
        out = subprocess.run(
            ["git", "-C", os.fspath(root), "ls-files", "-z", "--cached", "--", *specs],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return
    tracked = {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}
    if digests and DIGESTS_FILE not in tracked:
        yield Diagnostic(
            DIGESTS_FILE,
            1,
            1,
            "JR013",
            "the digests of the job search's names are not committed: CI, which builds the "
            f"published site, cannot redact those names without them; run 'git add {DIGESTS_FILE}'",
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
