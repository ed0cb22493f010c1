"""A repository's git remote as GitHub names it: OWNER/NAME, its Pages URL, its web URL.

No PyGithub here: ``folio init`` reads the ``origin`` remote without talking to GitHub.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

FULL_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_SCP = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>[^/].*)$")


class Remote(NamedTuple):
    host: str  # lowercase: github.com, or an Enterprise host
    owner: str
    name: str

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def on_github(self) -> bool:
        return self.host in ("github.com", "www.github.com")

    @property
    def web_url(self) -> str:
        return f"https://{self.host}/{self.full_name}"


def parse(url: str) -> Remote | None:
    """The host, owner and name of a git remote URL (https, ssh or scp-like), else None."""
    url = url.strip()
    scp = _SCP.match(url)
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket: https://[::1/...
        return None
    if not scp and not parts.netloc:
        return None  # a local path: no GitHub repository to name
    host = scp.group("host") if scp else parts.hostname or ""
    path = (scp.group("path") if scp else parts.path).strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    names = path.split("/")
    if len(names) < 2:
        return None
    owner, name = names[-2:]
    return Remote(host.lower(), owner, name) if FULL_NAME.match(f"{owner}/{name}") else None


def parse_remote(url: str) -> str | None:
    """OWNER/NAME from a git remote URL (https, ssh or scp-like), else None."""
    found = parse(url)
    return found.full_name if found else None


def pages_url(owner: str, name: str) -> str:
    """The GitHub Pages URL of a repository (user site for OWNER.github.io)."""
    host = f"{owner.lower()}.github.io"
    if name.lower() == host:
        return f"https://{host}/"
    return f"https://{host}/{name}/"


def git_output(folder: Path, *args: str) -> str | None:
    """What ``git -C folder ARGS`` prints (stripped), or None when git fails or is missing."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def origin_url(root: Path) -> str | None:
    """The URL of the ``origin`` remote of the repository at ``root``, if it has one."""
    return git_output(root, "remote", "get-url", "origin") or None
