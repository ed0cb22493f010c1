"""What ``cv.yaml`` points at: project slugs and files, checked against the repository.

``projects.include/exclude/pin``, ``education[].thesis.project``, ``awards[].project`` and
``certifications[].project`` name write-ups; ``thesis.file``, ``awards[].file`` and
``certifications[].file`` name files of the repository (a certificate's PDF), relative to
cv.yaml's folder. A name that does not resolve is an error at its line (RS007, RS009); a
write-up that is a draft is a warning (RS008): drafts are never on the CV or the resume.

It reads the YAML as plain data (no pydantic), so ``folio check``, ``folio resume lint``
and ``folio resume build`` share it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from repofolio.diagnostics import Diagnostic

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import Portfolio

CODES = {
    "RS007": "slug names no project with valid front matter",
    "RS008": "cv.yaml names a draft project: left out of the CV and the resume (warning)",
    "RS009": "cv.yaml names a file the repository does not have",
}
# the entries of cv.yaml that may name a project or a file, as (list key, sub key or None)
_ENTRIES = (("education", "thesis"), ("awards", None), ("certifications", None))


def cv_file(source: str, value: str) -> str | None:
    """The repository path of a ``file:`` of cv.yaml (relative to cv.yaml's folder, or
    ``/path`` from the repository root); None when it leaves the repository or is a URL."""
    from repofolio.published_files import repo_path

    return repo_path(posixpath.dirname(source), value)


def check_references(
    data: Mapping[str, Any] | None,
    line_of: Callable[..., int],
    portfolio: Portfolio,
    path: str,
) -> list[Diagnostic]:
    """RS007 (no such project), RS008 (a draft), RS009 (no such file) at cv.yaml's lines."""
    if not isinstance(data, Mapping):
        return []
    slugs, files = _names(data)
    valid = {p.slug: p for p in portfolio.projects if p.meta is not None}
    out: list[Diagnostic] = []
    for ref, where in slugs:
        project = valid.get(ref)
        if project is None:
            out.append(_no_project(path, line_of(*where), where, ref, portfolio.config))
        elif not project.is_published and where[:2] != ("projects", "exclude"):
            out.append(
                Diagnostic(
                    path,
                    line_of(*where),
                    1,
                    "RS008",
                    f"'{_dotted(where)}': project '{ref}' is a draft (draft: true in "
                    f"{project.readme_rel}): left out of the CV and the resume until it is "
                    "published",
                    "warning",
                )
            )
    out.extend(_missing_files(files, line_of, portfolio.config, path))
    return sorted(out)


def check_on_disk(
    data: Mapping[str, Any] | None, line_of: Callable[..., int], cfg: Config, path: str
) -> list[Diagnostic]:
    """What ``folio check`` can say without loading the write-ups: RS009 (no such file) and
    RS007 for a slug with no ``<projects-dir>/<slug>/README.md``."""
    if not isinstance(data, Mapping):
        return []
    slugs, files = _names(data)
    base = cfg.root / cfg.projects_dir
    out = [
        _no_project(path, line_of(*where), where, ref, cfg)
        for ref, where in slugs
        if not (base / ref / "README.md").is_file()
    ]
    out.extend(_missing_files(files, line_of, cfg, path))
    return sorted(out)


Where = tuple[object, ...]


def _names(data: Mapping[str, Any]) -> tuple[list[tuple[str, Where]], list[tuple[str, Where]]]:
    """(slug, where) and (file, where) of everything cv.yaml names, in the file's order."""
    slugs: list[tuple[str, Where]] = []
    files: list[tuple[str, Where]] = []
    projects = data.get("projects")
    if isinstance(projects, Mapping):
        for key in ("include", "exclude", "pin"):
            values = projects.get(key)
            if isinstance(values, list):
                slugs.extend(
                    (s, ("projects", key, i)) for i, s in enumerate(values) if isinstance(s, str)
                )
    for list_key, sub in _ENTRIES:
        entries = data.get(list_key)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            where: Where = (list_key, i)
            if sub is not None:
                entry = entry.get(sub) if isinstance(entry, Mapping) else None
                where = (*where, sub)
            if not isinstance(entry, Mapping):
                continue
            if isinstance(entry.get("project"), str):
                slugs.append((entry["project"], (*where, "project")))
            if isinstance(entry.get("file"), str):
                files.append((entry["file"], (*where, "file")))
    return slugs, files


def _dotted(where: Where) -> str:
    return ".".join(map(str, where))


def _no_project(path: str, line: int, where: Where, ref: str, cfg: Config) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        1,
        "RS007",
        f"'{_dotted(where)}': no project '{ref}' in {cfg.projects_dir}/ "
        "(or its front matter is invalid)",
    )


def _missing_files(
    files: list[tuple[str, Where]], line_of: Callable[..., int], cfg: Config, path: str
) -> Iterator[Diagnostic]:
    from repofolio.fsio import is_inside

    root = cfg.root.resolve()
    for value, where in files:
        rel = cv_file(path, value)
        problem = None
        if rel is None:
            problem = "leaves the repository"
        elif not (cfg.root / rel).is_file():
            problem = "does not exist"
        elif not is_inside(cfg.root / rel, root):
            problem = "is a symlink out of the repository"
        if problem is not None:
            yield Diagnostic(
                path,
                line_of(*where),
                1,
                "RS009",
                f"'{_dotted(where)}': file '{value}' {problem} (a path relative to {path}'s "
                "folder)",
            )
