"""Relative links and images: they resolve, stay inside the repository, and images have alt text."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from repofolio.checks.content import is_web_mail_or_anchor, looks_relative, split_url
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio, Project


def resolve_relative(url: str, base: Path, root: Path) -> tuple[Path | None, str | None]:
    """(resolved path, problem) for a relative URL; None path for a pure anchor or a URL.

    ``root`` is the repository with its symlinks resolved (``os.path.realpath``).
    """
    if is_web_mail_or_anchor(url):
        return None, None  # a web address, mail or anchor: no file to resolve
    parts = split_url(url)
    if parts is None or parts.scheme or parts.netloc or not parts.path:
        return None, None
    target = unquote(parts.path)
    candidate = (root / target.lstrip("/")) if target.startswith("/") else (base / target)
    try:
        resolved = Path(os.path.realpath(candidate))
    except (OSError, RuntimeError):
        return candidate, "loops"
    if resolved != root and root not in resolved.parents:
        return candidate, "outside"
    if not resolved.exists():
        return candidate, "missing"
    return resolved, None


def check(portfolio: Portfolio, config: Config) -> Iterator[Diagnostic]:
    root = Path(os.path.realpath(config.root))  # once, not once a link
    for project in portfolio.projects:
        if project.doc is None:
            continue
        for link in project.doc.links:
            if link.is_image and not link.has_alt:
                yield Diagnostic(
                    project.readme_rel,
                    link.line,
                    link.col,
                    "IM001",
                    f"image '{link.url}' has no alt text: describe it for "
                    "screen readers and search",
                )
            if not looks_relative(link.url):
                continue
            yield from _target(project, config, root, link.url, link.line, link.col, link.is_image)
        meta, fm = project.meta, project.front
        if meta is None or fm is None:
            continue
        if meta.cover:
            yield from _target(project, config, root, meta.cover, fm.line_of("cover"), 1, True)
        for name, value in meta.links.items():
            if looks_relative(value):
                yield from _target(
                    project, config, root, value, fm.line_of("links", name), 1, False
                )
        for i, nb in enumerate(meta.notebooks or []):
            yield from _target(project, config, root, nb, fm.line_of("notebooks", i), 1, False)
        if meta.requirements:
            yield from _target(
                project, config, root, meta.requirements, fm.line_of("requirements"), 1, False
            )


def _target(
    project: Project,
    config: Config,
    root: Path,
    url: str,
    line: int,
    col: int,
    is_image: bool,
) -> Iterator[Diagnostic]:
    path = project.readme_rel
    resolved, problem = resolve_relative(url, project.path, root)
    if problem == "outside":
        yield Diagnostic(
            path,
            line,
            col,
            "LK002",
            f"'{url}' points outside the repository; it breaks once published",
        )
    elif problem in ("missing", "loops"):
        code = "IM003" if is_image else "LK001"
        what = "image" if is_image else "link"
        yield Diagnostic(path, line, col, code, f"{what} target '{url}' does not exist")
    elif resolved is not None and is_image and resolved.is_file():
        size_kb = resolved.stat().st_size / 1024
        if size_kb > config.image_max_kb:
            yield Diagnostic(
                path,
                line,
                col,
                "IM002",
                f"image '{url}' is {size_kb:.0f} KB, over {config.image_max_kb} KB: "
                "compress or resize it",
            )
