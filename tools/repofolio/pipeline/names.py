"""The companies and people of the pipeline, for the journal's privacy filter.

Light on purpose: the site calls this for every page it publishes (through
``repofolio.journal.publishable``), so it reads the store with the standard library's json
and remembers the names until the file changes (one ``stat`` a call). Without a store there
are no names; a store that cannot be read stops the publishing (better nothing than a name).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from repofolio.errors import FolioError

if TYPE_CHECKING:
    from repofolio.config import Config

Names = tuple[tuple[str, ...], tuple[str, ...]]
_cache: dict[str, tuple[tuple[int, int], Names]] = {}
_paths: dict[tuple[str | None, ...], str] = {}


def pipeline_names(cfg: Config) -> Names:
    """(companies, people) named anywhere in the pipeline's store; empty without a store."""
    path = _store(cfg)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (), ()
    except OSError as exc:
        raise FolioError(
            f"{path}: cannot read the pipeline store ({exc.strerror}); "
            "nothing is published until it can be read"
        ) from None
    key = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    from repofolio.pipeline.model import from_dict

    try:
        with open(path, encoding="utf-8") as fh:
            pipeline = from_dict(json.load(fh), path)
    except (OSError, ValueError) as exc:
        raise FolioError(
            f"{path}: the pipeline store cannot be read ({exc}); nothing is published until "
            "it can (its names must be redacted)"
        ) from None
    names: Names = (tuple(pipeline.companies()), tuple(pipeline.people()))
    _cache[path] = (key, names)
    return names


def _store(cfg: Config) -> str:
    """The store's path, remembered per repository (the default asks git for the remote)."""
    env = os.environ
    memo = (
        os.fspath(cfg.root.resolve()),
        cfg.pipeline.store,
        cfg.repo_url,
        env.get("XDG_DATA_HOME"),
        env.get("HOME"),
    )
    found = _paths.get(memo)
    if found is None:
        from repofolio.pipeline.location import store_path

        found = _paths[memo] = os.fspath(store_path(cfg))
    return found
