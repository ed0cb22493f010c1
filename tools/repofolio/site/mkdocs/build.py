"""The builds ``folio build`` and ``folio serve`` run: mkdocs in this process.

``folio build`` reads the portfolio and the site's inputs first (with a progress bar) and
hands them to the plugin instance of this build's configuration, which then reads nothing
again and reports none of the inputs' problems (``folio build`` prints them with the checks').
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio.errors import FolioError
from repofolio.site.mkdocs.logcount import counting

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

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
            cfg = load_mkdocs(config_file, shown, **overrides)
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
        raise FolioError(f"{config_file.name}: {one_line(str(exc))}") from None
    finally:
        logger.removeHandler(shown)
    return BuildResult(counter.count, plugin.generated, cfg.site_dir)


class _HeldErrors(logging.Filter):
    """On the handler that shows mkdocs' log: its ERROR records held back, for the one line
    that says why the configuration was refused (mkdocs logs each, then aborts)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.records.append(record)
            return False
        return True


@contextmanager
def _holding_errors(shown: logging.Handler) -> Iterator[_HeldErrors]:
    held = _HeldErrors()
    shown.addFilter(held)
    try:
        yield held
    finally:
        shown.removeFilter(held)


# PyYAML's mark of where a problem is: `in "<file>", line 2, column 1` (1-based)
_YAML_MARK = re.compile(r'\n?\s*in "[^"]*", line (\d+), column (\d+)')
_YAML_PREFIX = "MkDocs encountered an error parsing the configuration file: "


def one_line(text: str) -> str:
    return "; ".join(part.strip() for part in text.splitlines() if part.strip())


def config_error(name: str, exc: Exception, held: Sequence[str]) -> FolioError:
    """mkdocs' refusal of ``name`` as one line: ``mkdocs.yml:LINE:COL: invalid YAML: ...``
    for a file PyYAML cannot read (the problem's mark, the last), else the errors mkdocs
    logged (``Config value 'theme': ...``), else its own message."""
    text = str(exc)
    if text.startswith(_YAML_PREFIX):
        marks = _YAML_MARK.findall(text)
        problem = one_line(_YAML_MARK.sub("", text[len(_YAML_PREFIX) :]))
        where = f"{name}:{marks[-1][0]}:{marks[-1][1]}" if marks else name
        return FolioError(f"{where}: invalid YAML: {problem}")
    return FolioError(f"{name}: {one_line('; '.join(held) if held else text)}")


def load_mkdocs(config_file: Path, shown: logging.Handler, **overrides: Any) -> MkDocsConfig:
    """mkdocs' ``load_config``; a file it refuses is one FolioError line (:func:`config_error`)
    instead of mkdocs' logged errors, then "Aborted with a configuration error!"."""
    from mkdocs import exceptions
    from mkdocs.config import load_config as load_mkdocs_config

    with _holding_errors(shown) as held:
        try:
            config: MkDocsConfig = load_mkdocs_config(os.fspath(config_file), **overrides)
        except (exceptions.ConfigurationError, exceptions.Abort) as exc:
            messages = [r.getMessage() for r in held.records]
            raise config_error(config_file.name, exc, messages) from None
    for record in held.records:  # logged, yet the file was accepted: shown after all
        shown.handle(record)
    return config


def serve_site(config_file: Path, *, dev_addr: str | None, open_browser: bool) -> None:
    """``mkdocs serve`` with live reload; the plugin reads the inputs on every rebuild."""
    from mkdocs.commands.serve import serve

    shown = logging.StreamHandler(sys.stderr)  # "Serving on http://...", warnings, rebuilds
    shown.setLevel(logging.INFO)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.addHandler(shown)
    try:
        load_mkdocs(config_file, shown)  # a refused file: one line, before any server starts
        serve(
            os.fspath(config_file), dev_addr=dev_addr, open_in_browser=open_browser, livereload=True
        )
    finally:
        logger.removeHandler(shown)
