"""Where the pipeline's store lives: never in the public repository.

``[tool.folio.pipeline] store = PATH`` (``~`` expanded, relative to the repository) names
the file, or a folder that holds ``folio-pipeline.json``. Without it, the store is a folder
per repository in the user's data directory (platformdirs: ``~/.local/share/repofolio`` on
Linux, ``~/Library/Application Support/repofolio`` on macOS, ``%LOCALAPPDATA%`` on Windows),
named after the repository's GitHub address, so a clone on a second machine finds the same
folder name.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from repofolio.errors import FolioError

if TYPE_CHECKING:
    from repofolio.config import Config

STORE_NAME = "folio-pipeline.json"
APP_NAME = "repofolio"


def configured_store(cfg: Config) -> Path | None:
    """The store named by ``[tool.folio.pipeline] store``, absolute; None when not set."""
    value = cfg.pipeline.store
    if value is None or not value.strip():
        return None
    path = Path(os.path.expanduser(value.strip()))
    if not path.is_absolute():
        path = cfg.root / path
    if path.is_dir() or value.strip().endswith(("/", os.sep)):
        path = path / STORE_NAME
    return path


def store_path(cfg: Config) -> Path:
    """The store file: the configured one, else the default in the user's data directory."""
    return configured_store(cfg) or default_store(cfg)


def default_store(cfg: Config) -> Path:
    import platformdirs  # ~8 ms with tempfile: only for the commands that use the store

    base = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return base / "pipelines" / repo_key(cfg) / STORE_NAME


def repo_key(cfg: Config) -> str:
    """A folder name per repository: its name and a digest of its GitHub address (or path)."""
    import hashlib  # here: `folio check` reads configured_store only

    identity = _normalized_remote(cfg.repo_url or _origin_url(cfg.root) or "")
    if not identity:
        identity = os.fspath(cfg.root.resolve())
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", cfg.root.resolve().name).strip("-.") or "portfolio"
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]
    return f"{name}-{digest}"


def _normalized_remote(url: str) -> str:
    """``git@github.com:o/r.git``, ``https://github.com/o/r`` -> ``github.com/o/r``."""
    text = url.strip().lower()
    if not text:
        return ""
    text = re.sub(r"^[a-z+]+://", "", text)
    text = re.sub(r"^[^@/]+@", "", text)  # user@ or token@
    text = text.replace(":", "/", 1) if "/" not in text.split(":", 1)[0] else text
    text = text.rstrip("/")
    return text[:-4] if text.endswith(".git") else text


def _origin_url(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", os.fspath(root), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def _inside(path: Path, root: Path) -> bool:
    resolved, top = path.resolve(strict=False), root.resolve()
    return resolved == top or top in resolved.parents


def is_git_ignored(root: Path, path: Path) -> bool:
    """True when git would ignore ``path`` in the repository at ``root``."""
    try:
        out = subprocess.run(
            # without --no-index: a tracked file is not ignored, whatever .gitignore says
            ["git", "-C", os.fspath(root), "check-ignore", "-q", "--", os.fspath(path)],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0


def require_private(cfg: Config, path: Path) -> None:
    """Refuse a store inside the repository unless git ignores it (then it is never pushed)."""
    if not _inside(path, cfg.root):
        return
    shown = os.path.relpath(path.resolve(strict=False), cfg.root.resolve())
    if (cfg.root / ".git").exists() and is_git_ignored(cfg.root, path):
        return
    raise FolioError(
        f"[tool.folio.pipeline] store '{Path(shown).as_posix()}' is inside the repository and "
        "git does not ignore it: the pipeline is private; keep it outside (the default) or "
        "add it to .gitignore"
    )
