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
from typing import Any

from repofolio.diagnostics import Diagnostic
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
    from repofolio.published import repo_path

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
    return sorted(_findings(data, line_of, portfolio, path))


def _findings(
    data: Mapping[str, Any], line_of: Callable[..., int], portfolio: Portfolio, path: str
) -> Iterator[Diagnostic]:
    valid = {p.slug: p for p in portfolio.projects if p.meta is not None}
    refs: list[tuple[str, tuple[object, ...]]] = []
    files: list[tuple[str, tuple[object, ...]]] = []
    projects = data.get("projects")
    if isinstance(projects, Mapping):
        for key in ("include", "exclude", "pin"):
            values = projects.get(key)
            if isinstance(values, list):
                refs.extend((s, ("projects", key, i)) for i, s in enumerate(values))
    for list_key, sub in _ENTRIES:
        entries = data.get(list_key)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            where: tuple[object, ...] = (list_key, i)
            if sub is not None:
                entry = entry.get(sub) if isinstance(entry, Mapping) else None
                where = (*where, sub)
            if not isinstance(entry, Mapping):
                continue
            if isinstance(entry.get("project"), str):
                refs.append((entry["project"], (*where, "project")))
            if isinstance(entry.get("file"), str):
                files.append((entry["file"], (*where, "file")))
    for ref, where in refs:
        if not isinstance(ref, str):
            continue
        dotted = ".".join(map(str, where))
        line = line_of(*where)
        project = valid.get(ref)
        if project is None:
            yield Diagnostic(
                path,
                line,
                1,
                "RS007",
                f"'{dotted}': no project '{ref}' in {portfolio.config.projects_dir}/ "
                "(or its front matter is invalid)",
            )
        elif not project.is_published and where[:2] != ("projects", "exclude"):
            yield Diagnostic(
                path,
                line,
                1,
                "RS008",
                f"'{dotted}': project '{ref}' is a draft (draft: true in "
                f"{project.readme_rel}): left out of the CV and the resume until it is published",
                "warning",
            )
    for value, where in files:
        dotted = ".".join(map(str, where))
        rel = cv_file(path, value)
        problem = None
        if rel is None:
            problem = "leaves the repository"
        else:
            full = portfolio.config.root / rel
            from repofolio.fsio import is_inside

            if not full.is_file():
                problem = "does not exist"
            elif not is_inside(full, portfolio.config.root.resolve()):
                problem = "is a symlink out of the repository"
        if problem is not None:
            yield Diagnostic(
                path,
                line_of(*where),
                1,
                "RS009",
                f"'{dotted}': file '{value}' {problem} (a path relative to {path}'s folder)",
            )
