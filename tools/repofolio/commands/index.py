"""``folio index``: regenerate the ``projects`` and ``journal`` regions of README.md.

One path for writing, ``--check`` and ``--diff``: compute the new text, compare, then write
or report. Malformed markers raise RegionError (exit 2) before anything is written.
"""

from __future__ import annotations

import difflib

import click

from repofolio.config import Config
from repofolio.discover import load_portfolio
from repofolio.errors import FolioError
from repofolio.fsio import BOM, is_inside, read_text, write_if_changed
from repofolio.render.readme_index import readme_path, regenerate_readme
from repofolio.render.regions import stale_regions


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def run(cfg: Config, *, check_only: bool = False, diff: bool = False) -> int:
    path, shown = readme_path(cfg)
    if not is_inside(path, cfg.root.resolve()):
        raise FolioError(f"{shown}: is outside the repository (a symlink?); not written")
    result = read_text(path)
    if result.text is None:
        raise FolioError(f"{shown}: {result.problem}")
    old = result.text
    from repofolio.commands.private import warn_ci_would_miss

    warn_ci_would_miss(cfg)
    portfolio = load_portfolio(cfg)
    new = regenerate_readme(old, portfolio, cfg, shown)
    from repofolio.privacy import save_clean_texts

    save_clean_texts()
    if new == old:
        click.echo(f"{shown} is up to date.", err=True)
        return 0
    stale = stale_regions(old, new, shown)
    if diff:
        click.echo(unified_diff(old, new, shown), nl=False)
    if check_only or diff:
        for region in stale:  # on stderr under --diff, so stdout stays a clean patch
            click.echo(
                f"{shown}:{region.start_line}: region '{region.name}' is out of date; "
                "run 'folio index'",
                err=diff,
            )
        return 1
    prefix = BOM if result.has_bom else ""
    write_if_changed(path, prefix + new, prefix + old)
    names = ", ".join(region.name for region in stale)
    click.echo(f"Rewrote {shown} (regions: {names}).", err=True)
    return 1
