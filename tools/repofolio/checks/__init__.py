"""Checks: pure ``check(portfolio, config) -> Iterable[Diagnostic]``, one module a concern.

``CODES`` documents every code the toolkit reports (``folio check --list-codes``, docs).
The checks are listed here once: :func:`project_checks` (each project on its own, in any
slice of the projects) and :func:`across_projects` (duplicate titles, the journal), which
``folio check`` runs in slices and :func:`run_checks` (``folio build``) on a whole portfolio.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic

if TYPE_CHECKING:  # the model (pydantic) loads with the checks themselves, not with CODES
    from repofolio.checks.pipeline import TrackedStore
    from repofolio.model import Portfolio

Check = Callable[["Portfolio", Config], Iterable[Diagnostic]]

CODES: dict[str, str] = {
    "PR001": "project README.md is missing",
    "PR002": "project README.md is not a readable regular file",
    "PR003": "project README.md is not UTF-8 text",
    "PR004": "project folder name is not a kebab-case slug",
    "PR005": "README.md starts with a byte order mark (warning)",
    "PR006": "symlink leaves the repository or loops; not followed",
    "FM001": "front matter is missing",
    "FM002": "front matter is not terminated",
    "FM003": "front matter is not valid YAML",
    "FM004": "front matter is not a mapping",
    "FM005": "duplicate key in front matter",
    "FM006": "front matter nested too deeply or expands too much (alias bomb)",
    "FM007": "a front matter value cannot be read (impossible date, huge number)",
    "FM010": "a required front matter key is missing",
    "FM011": "unknown front matter key",
    "FM012": "a front matter value has the wrong type or form",
    "FM014": "summary is longer than summary-max-length",
    "FM015": "two projects have the same title",
    "SC001": "a required section of the project's kind (or its sections:) is missing",
    "SC002": "required sections are out of order",
    "SC003": "results are not quantified (no number in Results or results:)",
    "SC004": "placeholder text left (TODO, TBD, FIXME, Lorem ipsum, scaffold text)",
    "SC005": "a required section is empty",
    "LK001": "relative link or path does not resolve",
    "LK002": "link resolves outside the repository",
    "LK003": "invalid URL in links",
    "IM001": "image without alt text",
    "IM002": "image larger than image-max-kb",
    "IM003": "image does not resolve",
    "JR001": "journal entry cannot be read",
    "JR002": "journal file name is not a real day YYYY-MM-DD.md",
    "JR003": "journal entry has no front matter or no valid date",
    "JR004": "date in the file name differs from the front matter date",
    "JR005": "journal category or tag not in [tool.folio.journal] tags",
    "JR006": "journal entry has no text",
    "JR007": "journal entry has no title ('# Title' or title:) (warning)",
    "JR008": "journal hours is not a number from 0 to 24",
    "JR009": "journal categories or tags is not a list of strings",
    "JR010": "'<!-- private -->' block is never closed: the rest is hidden (warning)",
    "JR011": "a private name of the job search (company or person) in a published file",
    "JR012": "[tool.folio.journal] private names in plain text in the configuration (warning)",
    "JR013": ".folio/private-names is not committed: CI cannot redact its names (warning)",
    "NB001": "notebook needs cleaning (noisy metadata, counts, error/stderr outputs, ...)",
    "NB002": "notebook is not valid JSON (truncated?)",
    "NB003": "notebook file is empty",
    "NB004": "notebook's top-level JSON is not an object",
    "NB005": "notebook starts with a UTF-8 byte order mark",
    "NB006": "notebook is not valid UTF-8",
    "NB007": "notebook lacks 'nbformat', 'cells' or 'metadata'",
    "NB008": "notebook does not match the nbformat schema",
    "NB009": "notebook has duplicate cell ids",
    "NB010": "notebook is a Git LFS pointer, not the notebook",
    "NB011": "notebook has merge conflict markers",
    "NB012": "notebook is not nbformat 4 (nbformat 3 or unknown)",
    "NB013": "notebook attachment name would write outside the project",
    "NB014": "notebook is too large to process",
    "NB015": "notebook cannot be read",
    "NB016": "notebook has error outputs: a cell raised (warning)",
    "NB017": "nbstripout cannot strip the notebook's outputs (a cell contradicts itself)",
    "SE001": "possible secret (token, key, password); shown masked",
    "SE002": "secrets baseline file cannot be read (warning)",
    "PU001": "placeholder left in a published page, the journal, cv.yaml or the README (warning)",
    "PU002": "cv.yaml is a draft (draft: true): no CV page on the site (warning)",
    "CV002": "cv.yaml is not valid YAML or not a mapping (its schema: folio resume lint)",
    "CV003": "cv.yaml has a duplicate key",
    "CV004": "cv.yaml is too deep or too large",
    "RS007": "cv.yaml names a project that does not exist (no <projects-dir>/<slug>/README.md)",
    "RS009": "cv.yaml names a file the repository does not have (a certificate's PDF)",
    "PU003": "the example project's 'Example text:' left (warning in a draft, else an error)",
    "PU004": "the home page still has folio init's stand-in text under the headline (warning)",
    "PA001": "personal absolute path (/home/<user>/, /Users/<user>/, C:\\Users\\<user>\\)",
    "CL001": "file needs cleaning: ruff format, whitespace, final newline (folio clean only)",
    "CL002": "symlink leaves the repository; not followed (warning, folio clean only)",
    "CL003": "file is not UTF-8 text; not cleaned (warning, folio clean only)",
    "CL004": "ruff is missing or failed; code not formatted (warning, folio clean only)",
    "ST001": "notebook cannot be converted for the site; not published (folio build only)",
    "ST002": "notebook published with a change: upgraded, long output cut (warning, folio build)",
    "ST003": "the CV page could not be built (folio build only)",
    "ST004": "a file the site would publish is a symlink out of the repository (folio build only)",
    "ST005": "a research project's PDF cannot be rendered as its cover (warning, folio build only)",
    "ST006": "a page or file left out of the site: it holds a secret (folio build only; exit 1)",
    "RN001": "project has code (.py/.ipynb) but no 'run:' in its front matter (warning)",
    "RN002": "project runs but its requirements.txt is not its 'requirements:' (warning)",
    "PL001": "the job-search pipeline's store is tracked by git (it names companies and people)",
}


def project_checks() -> list[Check]:
    """Checks that look at each project on its own: any slice of the projects can run them."""
    from repofolio.checks import (
        content,
        links,
        notebooks,
        private,
        project,
        published,
        runnable,
        sections,
    )

    return [
        project.check,
        content.check,
        sections.check,
        links.check,
        notebooks.check,
        runnable.check,
        published.check_writeups,
        private.check_writeups,
    ]


def across_projects(
    titles: Iterable[tuple[str, str, int]],
    portfolio: Portfolio,
    config: Config,
    paths: Sequence[str | Path] = (),
    store: TrackedStore | None = None,
) -> list[Diagnostic]:
    """What spans projects, the journal, the other published files (under ``paths``, when
    given) and the pipeline's store (tracked by git, whatever paths were asked: a leak is
    never out of scope): checked once, after every project was (in one process, or in
    slices that send back each project's title, path and line)."""
    from repofolio.checks import content, journal, private, published
    from repofolio.checks.pipeline import check_tracked_store

    return [
        *content.duplicate_titles(titles),
        *published.check_paths(config, paths),
        *journal.check(portfolio, config),
        *private.check_config(config),  # JR012: the configuration, whatever the paths
        *check_tracked_store(config, store),  # ``store``: its git listing started earlier
    ]


def run_checks(portfolio: Portfolio, config: Config) -> list[Diagnostic]:
    """Every check on a portfolio loaded whole: each project's, then across projects."""
    from repofolio.checks import content

    found = [d for check in project_checks() for d in check(portfolio, config)]
    return found + across_projects(content.title_refs(portfolio), portfolio, config)
