"""The builds ``folio build`` and ``folio serve`` run: mkdocs in this process.

``folio build`` reads the portfolio and the site's inputs first (with a progress bar) and
hands them to the plugin instance of this build's configuration, which then reads nothing
again and reports none of the inputs' problems (``folio build`` prints them with the checks').
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio.errors import FolioError
from repofolio.site.mkdocs.logcount import counting

if TYPE_CHECKING:
    from repofolio.model import Portfolio
    from repofolio.site.inputs import SiteInputs


@dataclass(frozen=True)
class BuildResult:
    warnings: int  # what mkdocs and its plugins logged at WARNING or above
    pages: int  # pages and files the repofolio plugin added
    site_dir: str


def build_site(
    config_file: Path,
    *,
    prepared: tuple[Portfolio, SiteInputs] | None = None,
    site_dir: Path | None = None,
) -> BuildResult:
    """``mkdocs build`` in this process; a broken build is a FolioError, not a traceback.

    Warnings never abort the build (mkdocs' strict mode would, after writing every page):
    they are counted, and ``folio build --strict`` fails on them once the site is whole.
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config

    from repofolio.site.mkdocs.plugin import RepofolioPlugin

    shown = logging.StreamHandler(sys.stderr)  # mkdocs' CLI sets this up; we are not it
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(shown)
    try:
        with counting(logging.WARNING) as counter:
            overrides: dict[str, Any] = {"strict": False}
            if site_dir is not None:
                overrides["site_dir"] = os.fspath(site_dir)
            cfg = load_mkdocs_config(os.fspath(config_file), **overrides)
            plugin = cfg.plugins.get("repofolio")
            if not isinstance(plugin, RepofolioPlugin):
                raise FolioError(f"{config_file.name}: 'repofolio' is not in its plugins")
            plugin.prepared = prepared
            cfg.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
            try:
                build(cfg)
            finally:
                plugin.prepared = None
                cfg.plugins.on_shutdown()
    except exceptions.Abort as exc:
        raise FolioError(f"{config_file.name}: site build aborted: {exc}") from None
    except exceptions.ConfigurationError as exc:
        raise FolioError(f"{config_file.name}: {exc}") from None
    finally:
        logger.removeHandler(shown)
    return BuildResult(counter.count, plugin.generated, cfg.site_dir)


def serve_site(config_file: Path, *, dev_addr: str | None, open_browser: bool) -> None:
    """``mkdocs serve`` with live reload; the plugin reads the inputs on every rebuild."""
    from mkdocs.commands.serve import serve

    shown = logging.StreamHandler(sys.stderr)  # "Serving on http://...", warnings, rebuilds
    shown.setLevel(logging.INFO)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.addHandler(shown)
    serve(os.fspath(config_file), dev_addr=dev_addr, open_in_browser=open_browser, livereload=True)
