"""How this folio was installed, and the requirement that installs the same on a CI runner.

``folio init`` writes that requirement to ``requirements-folio.txt``, which the workflows
``pip install -r``. pip records where a distribution came from in its ``direct_url.json``
(PEP 610, https://packaging.python.org/en/latest/specifications/direct-url/); without one,
it came from a package index, which has that version.

- from a package index (no ``direct_url.json``): ``repofolio>=VERSION``, which it has;
- from a git URL a runner can reach: ``repofolio @ git+URL@COMMIT``, that very commit;
- from a local folder (``pip install -e .``) that is a git checkout with a GitHub
  ``origin``: ``repofolio @ git+https://github.com/OWNER/REPO@COMMIT``, the commit checked
  out, which resolves once it is pushed (a local folder never resolves on a runner);
- from an archive at an http(s) URL: ``repofolio @ URL``;
- from anything else (a folder without such an origin, a local wheel): ``repofolio>=VERSION``,
  which resolves once that version is released.

A runner reaches neither this machine's folders nor ``file://`` URLs, and has no SSH key:
a GitHub remote is written as its https URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

DIST = "repofolio"


class Requirement(NamedTuple):
    spec: str  # one line of requirements-folio.txt
    why: str  # said by folio init


def _released(version: str, why: str) -> Requirement:
    return Requirement(f"{DIST}>={version}", why)


def _reachable(url: str) -> str | None:
    """``url`` as a runner can clone it (https), or None for a local path or file:// URL."""
    from repofolio.remotes import parse

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        return None
    if parts.scheme in ("https", "http") and host:
        netloc = host + (f":{port}" if port else "")
        return parts._replace(netloc=netloc).geturl()  # no user:token@ in a committed file
    remote = parse(url)
    if remote is not None and remote.on_github:  # ssh or scp-like: no key on a runner
        return f"https://github.com/{remote.full_name}.git"
    return None


def _from_folder(folder: Path, version: str, editable: bool) -> Requirement:
    from repofolio.remotes import git_output

    how = f"installed {'editable ' if editable else ''}from the local folder {folder}"
    origin = git_output(folder, "remote", "get-url", "origin")
    url = _reachable(origin) if origin else None
    commit = git_output(folder, "rev-parse", "HEAD")
    top = git_output(folder, "rev-parse", "--show-toplevel")
    if url is None or commit is None or top is None:
        return _released(
            version,
            f"this folio is {how}, which a CI runner cannot reach, and it has no GitHub "
            f"origin to install from instead: wrote the release, which resolves once "
            f"{version} is on PyPI (or pass --toolkit)",
        )
    sub = Path(folder).resolve().relative_to(Path(top).resolve()).as_posix()
    spec = f"{DIST} @ git+{url}@{commit}" + (f"#subdirectory={sub}" if sub != "." else "")
    dirty = git_output(folder, "status", "--porcelain", "--untracked-files=no")
    note = "; it has uncommitted changes, which are not in that commit" if dirty else ""
    return Requirement(
        spec,
        f"this folio is {how}, which a CI runner cannot reach: wrote its origin at the "
        f"commit checked out ({commit[:12]}), which resolves once that commit is pushed"
        f"{note} (or pass --toolkit)",
    )


def requirement_from(direct: dict[str, Any] | None, version: str) -> Requirement:
    """What installs this folio on a runner, from its PEP 610 record (None: an index)."""
    if not isinstance(direct, dict) or not isinstance(direct.get("url"), str):
        return _released(version, f"this folio {version} was installed from a package index")
    url: str = direct["url"]
    sub = direct.get("subdirectory")
    fragment = f"#subdirectory={sub}" if isinstance(sub, str) and sub else ""
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        reachable = _reachable(url)
        commit = vcs.get("commit_id")
        if reachable and isinstance(commit, str):
            return Requirement(
                f"{DIST} @ git+{reachable}@{commit}{fragment}",
                f"this folio was installed from that git URL, at commit {commit[:12]}",
            )
    try:
        parts = urlsplit(url)
    except ValueError:
        return _released(version, f"this folio was installed from {url!r}, which pip cannot read")
    local = Path(unquote(parts.path)) if parts.scheme == "file" else None
    dir_info = direct.get("dir_info")
    if isinstance(dir_info, dict) and local is not None:
        folder = local / sub if isinstance(sub, str) and sub else local
        return _from_folder(folder, version, bool(dir_info.get("editable")))
    if isinstance(direct.get("archive_info"), dict) and parts.scheme in ("https", "http"):
        return Requirement(
            f"{DIST} @ {_reachable(url) or url}",
            "this folio was installed from that archive URL",
        )
    where = str(local) if local is not None else url
    return _released(
        version,
        f"this folio was installed from {where}, which a CI runner cannot reach: wrote the "
        f"release, which resolves once {version} is on PyPI (or pass --toolkit)",
    )


def toolkit_requirement() -> Requirement:
    """The requirement for the folio running now (``importlib.metadata``, PEP 610)."""
    from importlib.metadata import PackageNotFoundError, distribution

    from repofolio import __version__

    try:
        dist = distribution(DIST)
    except PackageNotFoundError:  # run from a source tree on sys.path, not installed
        return _released(__version__, "this folio is not installed as a distribution")
    raw = dist.read_text("direct_url.json")
    try:
        direct = json.loads(raw) if raw else None
    except ValueError:
        direct = None
    return requirement_from(direct, dist.version)
