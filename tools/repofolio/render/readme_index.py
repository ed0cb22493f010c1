"""The generated regions of README.md: the project index and the latest journal entries.

Pure: model in, text out (templates are read from the package or the repository). The
regions are rendered with Jinja2 templates a user can override with
``[tool.folio.index] templates = { projects = "path.j2", journal = "path.j2" }``, then passed
through the journal's privacy filter, then put between the markers by ``replace_regions``.
No timestamps or clock: the same files give the same bytes.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from repofolio.errors import FolioError
from repofolio.fsio import is_inside, read_text
from repofolio.journal import entry_day, entry_title, excerpt, latest, publishable
from repofolio.render.regions import RegionError, find_regions, replace_regions

if TYPE_CHECKING:
    from jinja2 import Environment, Template

    from repofolio.config import Config
    from repofolio.model import Portfolio, Project

REGIONS = ("projects", "journal")


def regenerate_readme(
    text: str,
    portfolio: Portfolio,
    cfg: Config,
    path: str = "README.md",
    only: Sequence[str] | None = None,
) -> str:
    """README text with the regions it has (``projects``, ``journal``, any subset) regenerated.

    A README with only the projects markers is regenerated as well as one with both; one
    with neither is an error, since there is nothing to do. ``only`` narrows the regions
    (``folio journal import --move`` regenerates the journal region alone). Raises
    RegionError (path:line) when the markers are malformed or none is there, FolioError
    when an override template cannot be used or when the regions would publish a secret
    the README does not hold already (a token in a write-up's summary: the README is
    published as it is, on GitHub).
    """
    present = present_regions(text, cfg, path)
    if only is not None:
        present = [name for name in present if name in only]
    new = replace_regions(text, render_regions(portfolio, cfg, path, present), path)
    if new != text:
        refuse_new_secrets(text, new, cfg, path)
    return new


def refuse_new_secrets(old: str, new: str, cfg: Config, path: str) -> None:
    """FolioError at the first secret of ``new`` that ``old`` did not hold (same rules and
    baseline as ``folio check``): a README that would publish one is never written."""
    from repofolio.checks.published import find_secrets

    before = {(s.kind, s.value) for s in find_secrets(cfg, {path: old}).get(path, [])}
    for secret in find_secrets(cfg, {path: new}).get(path, []):
        if (secret.kind, secret.value) not in before:
            raise FolioError(
                f"{path}:{secret.line}:{secret.col}: not written: the regenerated regions "
                f"would publish a {secret.kind} ({secret.masked}) from a write-up; "
                "take it out of the write-up ('folio check' names the file)"
            )


def wanted_regions(cfg: Config) -> list[str]:
    """The regions folio generates with this configuration."""
    return [name for name in REGIONS if name != "journal" or cfg.index.journal_entries > 0]


def present_regions(text: str, cfg: Config, path: str = "README.md") -> list[str]:
    """The generated regions this README has; RegionError when it has none of them."""
    found = find_regions(text, path)  # malformed markers raise here, before anything else
    wanted = wanted_regions(cfg)
    present = [name for name in wanted if name in found]
    if not present:
        markers = " and ".join(
            f"<!-- folio:{name}:start --> / <!-- folio:{name}:end -->" for name in wanted
        )
        raise RegionError(
            f"{path}:1: no folio region to regenerate: add {markers} where the generated "
            "text should go (either pair alone is enough)"
        )
    return present


def render_regions(
    portfolio: Portfolio,
    cfg: Config,
    path: str = "README.md",
    names: Sequence[str] | None = None,
) -> dict[str, str]:
    """Region name -> published Markdown body (privacy filter applied); ``names``: which."""
    base = posixpath.dirname(Path(path).as_posix())
    env = _environment()
    wanted = wanted_regions(cfg) if names is None else [n for n in names if n in REGIONS]
    regions = {}
    if "projects" in wanted:
        regions["projects"] = _render(env, cfg, "projects", project_context(portfolio, cfg, base))
    if "journal" in wanted and cfg.index.journal_entries > 0:
        regions["journal"] = _render(env, cfg, "journal", journal_context(portfolio, cfg, base))
    return {name: publishable(body, cfg) for name, body in regions.items()}


# -- context ---------------------------------------------------------------------------------


def _link(target_rel: str, base: str, folder: bool = False) -> str:
    """A URL from the README's folder to a repo-relative path, percent-encoded."""
    relative = posixpath.relpath(target_rel, base or ".")
    return quote(relative) + ("/" if folder else "")


def ordered_projects(projects: list[Project]) -> list[Project]:
    """Highlighted first (by rank), then newest first, then by title: stable and total."""
    valid = [p for p in projects if p.meta is not None]
    valid.sort(key=lambda p: (p.title.casefold(), p.slug))
    valid.sort(key=lambda p: p.meta.sort_date if p.meta else "", reverse=True)
    valid.sort(
        key=lambda p: (
            p.meta.highlight_rank is None if p.meta else True,
            (p.meta.highlight_rank or 0) if p.meta else 0,
        )
    )
    return valid


def project_context(portfolio: Portfolio, cfg: Config, base: str = "") -> dict[str, Any]:
    from repofolio.runner.runs import has_badge

    site = cfg.site_url.rstrip("/") + "/" if cfg.site_url else None
    rows = []
    # a draft (draft: true) is checked but never published: not in the README either
    for project in ordered_projects([p for p in portfolio.projects if p.is_published]):
        meta = project.meta
        assert meta is not None
        page_url = f"{site}projects/{quote(project.slug)}/" if site else None
        status, shown = None, ""
        if site and cfg.index.status_badges and has_badge(portfolio, project):
            # The published site serves the badge of its own commit's `folio run`: the README
            # never reads a run report, so it is the same whatever this machine ran (and
            # `index --check` stays true after a local `folio run`). Nothing to run, no badge.
            status = "published"
            svg = f"{site}badges/{quote(project.slug)}.svg"
            shown = f"[![runs: see the site]({svg})]({page_url})"
        rows.append(
            {
                "title": meta.title,
                "slug": project.slug,
                "summary": meta.summary,
                "tags": list(meta.tags),
                "period": meta.period_label,
                "status": meta.status,
                "highlight": meta.highlight_rank is not None,
                "folder_url": _link(project.rel, base, folder=True),
                "page_url": page_url,
                "run_status": status,
                "badge": shown,
            }
        )
    return {
        "projects": rows,
        "show_status": any(r["run_status"] for r in rows),
        "site_url": cfg.site_url,
        "owner": cfg.owner,
    }


def journal_context(portfolio: Portfolio, cfg: Config, base: str = "") -> dict[str, Any]:
    rows = []
    for entry in latest(portfolio.journal, cfg.index.journal_entries):
        day = entry_day(entry)
        rows.append(
            {
                "date": day.isoformat() if day else "",
                "title": publishable(entry_title(entry), cfg),
                "url": _link(entry.rel, base),
                "excerpt": excerpt(entry, cfg),
                "tags": entry.tags,
                "hours": f"{entry.hours:g}" if entry.hours else None,  # 0 h says nothing
            }
        )
    if cfg.site_url:
        journal_url = cfg.site_url.rstrip("/") + "/journal/"
    else:
        journal_url = _link(Path(cfg.journal.dir).as_posix(), base, folder=True)
    total = sum(1 for e in portfolio.journal if entry_day(e) is not None)
    from repofolio.pipeline.public import weekly_rows  # counts only, never a name

    return {
        "entries": rows,
        "journal_url": journal_url,
        "total": total,
        "search_weeks": weekly_rows(cfg, portfolio.journal),
    }


# -- templates -------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """Text safe in a Markdown table cell: one line, pipes escaped, no HTML comments."""
    return _inline(value).replace("|", "\\|")


def _inline(value: object) -> str:
    text = " ".join(str(value).split())
    # a '<!--' in a summary would open a comment (or a fake marker) in the README
    return text.replace("<!--", "&lt;!--")


def _label(value: object) -> str:
    """Link text: a cell, with brackets escaped so a ']' cannot end the link early."""
    return _cell(value).replace("[", "\\[").replace("]", "\\]")


def _code(value: object) -> str:
    text = _inline(value).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("repofolio", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.filters.update({"cell": _cell, "inline": _inline, "code": _code, "label": _label})
    return env


def _template(env: Environment, cfg: Config, name: str) -> tuple[Template, str]:
    unknown = sorted(set(cfg.index.templates) - set(REGIONS))
    if unknown:
        raise FolioError(
            f"[tool.folio.index] templates: unknown region '{unknown[0]}'; "
            f"valid regions: {', '.join(REGIONS)}"
        )
    override = cfg.index.templates.get(name)
    if override is None:
        return env.get_template(f"index/{name}.md.j2"), f"templates/index/{name}.md.j2"
    from jinja2 import TemplateSyntaxError

    file = cfg.root / override
    if not is_inside(file, cfg.root.resolve()):
        raise FolioError(f"{override}: template is outside the repository")
    result = read_text(file)
    if result.text is None:
        raise FolioError(f"{override}: template {result.problem}")
    try:
        return env.from_string(result.text), override
    except TemplateSyntaxError as exc:
        raise FolioError(f"{override}:{exc.lineno}: template error: {exc.message}") from None


def _render(env: Environment, cfg: Config, name: str, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    template, where = _template(env, cfg, name)
    try:
        return template.render(**context)
    except TemplateError as exc:
        line = _template_line(exc)
        at = f"{where}:{line}" if line else where
        raise FolioError(f"{at}: template error: {exc}") from None


def _template_line(exc: BaseException) -> int:
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (
            "<template>",
        ) or tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def readme_path(cfg: Config) -> tuple[Path, str]:
    """The README to index: absolute path and the repo-relative POSIX path for messages."""
    path = cfg.root / cfg.index.readme
    return path, Path(os.path.relpath(path, cfg.root)).as_posix()
