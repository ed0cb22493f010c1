"""The portfolio as plain data: ProjectMeta, Project, Notebook, JournalEntry, Portfolio.

Everything downstream (checks, renderers, the site, GitHub) reads these; nothing opens a
write-up again. The front matter is declared once, as pydantic models in metamodel.py;
``_metacore.py`` holds what that declaration compiles to (the records' fields and
pydantic-core's schema), so loading a portfolio validates on pydantic-core alone and never
imports pydantic.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio._metacore import PeriodFields, ProjectMetaFields
from repofolio.kinds import DEFAULT_KIND, KINDS
from repofolio.metarules import YEAR_MONTH, date_or_period

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

    from repofolio.config import Config
    from repofolio.diagnostics import Diagnostic
    from repofolio.files import Listing
    from repofolio.frontmatter import FrontMatter
    from repofolio.markdown import MarkdownDoc


class _Record:
    """A record pydantic-core fills in from the schema pydantic compiled (see metamodel.py).

    Like a pydantic model it holds its fields in ``__dict__``; it compares by type and
    fields, and is written as ``Name(field=value, ...)``.
    """

    # what pydantic-core sets on the records it makes
    __slots__ = (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as pydantic's models

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


class Period(_Record, PeriodFields):
    """A span of work: ``start``, ``end`` as dates or ``YYYY-MM``; ``end: present`` if ongoing."""


class ProjectMeta(_Record, ProjectMetaFields):
    """Front matter of ``projects/<slug>/README.md``, validated; its fields are declared in
    metamodel.py (``_metacore.ProjectMetaFields``).

    ``ProjectMeta(**data)`` validates like :func:`validate_meta`.
    """

    def __init__(self, **data: Any) -> None:
        meta_validator().validate_python(data, self_instance=self)

    @property
    def run_commands(self) -> list[str]:
        """The ``run:`` commands, stripped, blank ones left out."""
        commands = self.run if isinstance(self.run, list) else [self.run] if self.run else []
        return [c for c in (c.strip() for c in commands) if c]

    @property
    def sort_date(self) -> str:
        """The latest date the work touches, as ISO text, for 'newest first'."""
        if self.period is not None:
            end = self.period.end
            if end == "present":
                return "9999-12"
            return str(end or self.period.start)
        return str(self.date)

    @property
    def period_label(self) -> str:
        return format_period(self.period) if self.period is not None else format_date(self.date)

    @property
    def highlight_rank(self) -> int | None:
        if self.highlight is True:
            return 0
        if self.highlight is False or self.highlight is None:
            return None
        return int(self.highlight)


def format_date(value: object) -> str:
    """'May 2024' for a date or a ``YYYY-MM`` month; other words capitalized ('Present')."""
    if isinstance(value, dt.date):
        return value.strftime("%b %Y")
    if isinstance(value, str) and YEAR_MONTH.match(value):
        return dt.date(int(value[:4]), int(value[5:]), 1).strftime("%b %Y")
    return str(value).capitalize()


def format_period(period: Any) -> str:
    """'Sep 2022 – Jun 2023' for a Period (a record here, a pydantic model in cv.yaml's)."""
    if period is None:
        return ""
    if period.end is None:
        return format_date(period.start)
    return f"{format_date(period.start)} – {format_date(period.end)}"


META_FIELDS = tuple(ProjectMetaFields.__annotations__)  # in the declared order


_VALIDATOR: SchemaValidator | None = None
# what the compiled schema refers to: the records it makes, the function it calls
_SCHEMA_NAMES = {"Period": Period, "ProjectMeta": ProjectMeta, "date_or_period": date_or_period}


def meta_validator() -> SchemaValidator:
    """pydantic-core's validator of the front matter, built once.

    From the schema kept in ``_metacore.py``: ~1.5 ms, where importing pydantic and
    compiling the models costs ~50 ms more on every `folio check` (a one-project check took
    160 ms with pydantic, 110 ms without; interleaved A/B of 25 runs). ``FOLIO_COMPILE_SCHEMA=1``
    compiles from the models instead; so does an installed pydantic-core that rejects the
    kept schema. Same validator either way (tests/model_test.py).
    """
    global _VALIDATOR
    if _VALIDATOR is None:
        from repofolio._metacore import core_schema

        kept = None
        if os.environ.get("FOLIO_COMPILE_SCHEMA", "") in ("", "0"):
            kept = core_schema(**_SCHEMA_NAMES)
        _VALIDATOR = build_validator(kept)
    return _VALIDATOR


def build_validator(kept: Any | None) -> SchemaValidator:
    """A validator from the kept schema; None, or one this pydantic-core cannot take: from
    the models, compiled by pydantic now (slower, the same validation)."""
    from repofolio.pydcore import core

    pdc = core()  # the compiled module alone: not the package's 12 ms of TypedDicts
    if kept is not None:
        try:
            return pdc.SchemaValidator(kept)  # type: ignore[no-any-return]
        except pdc.SchemaError:
            pass  # a pydantic-core that _metacore.py was not written for
    from repofolio.metamodel import core_schema_for

    return pdc.SchemaValidator(core_schema_for(**_SCHEMA_NAMES))  # type: ignore[no-any-return]


def validate_meta(data: object) -> ProjectMeta:
    """The validated front matter; raises pydantic_core.ValidationError, as pydantic does."""
    meta: ProjectMeta = meta_validator().validate_python(data)
    return meta


@dataclass
class Notebook:
    """A notebook of a project; its content is read only by commands that need it."""

    path: Path  # absolute
    rel: str  # repo-relative POSIX path
    project: str  # slug


@dataclass
class Project:
    """A project folder and its write-up, as loaded (text, front matter, parsed body)."""

    slug: str
    path: Path  # absolute folder
    rel: str  # repo-relative folder, POSIX
    readme_rel: str
    text: str | None = None  # None when the README could not be read
    front: FrontMatter | None = None
    meta: ProjectMeta | None = None  # None when the front matter is missing or invalid
    doc: MarkdownDoc | None = None
    has_bom: bool = False

    @property
    def title(self) -> str:
        return self.meta.title if self.meta else self.slug

    @property
    def is_published(self) -> bool:
        """Valid front matter and no ``draft: true``: what the site, README and resume show."""
        return self.meta is not None and not self.meta.draft

    @property
    def kind(self) -> str:
        """``kind:`` of the front matter; when that is invalid elsewhere, the raw word if it is
        a kind (so a write-up with a bad date is still checked for its own sections)."""
        if self.meta is not None:
            return self.meta.kind
        raw = self.front.data.get("kind") if self.front and self.front.data else None
        return raw if isinstance(raw, str) and raw in KINDS else DEFAULT_KIND

    def required_sections(self, config: Config) -> tuple[str, ...]:
        """The sections this write-up must have, in order: its own ``sections:``, else its
        kind's (``Config.kind_sections``)."""
        if self.meta is not None and self.meta.sections is not None:
            return tuple(self.meta.sections)
        return config.kind_sections(self.kind)


@dataclass
class JournalEntry:
    """One day of the journal: ``docs/journal/posts/YYYY-MM-DD.md``."""

    path: Path
    rel: str
    day: dt.date | None  # from the file name
    front: FrontMatter | None = None
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def date(self) -> dt.date | None:
        value = self.data.get("date")
        if isinstance(value, dict):
            value = value.get("created")
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return None

    @property
    def tags(self) -> list[str]:
        tags = self.data.get("categories", self.data.get("tags", []))
        return [str(t) for t in tags] if isinstance(tags, list) else []

    @property
    def hours(self) -> float | None:
        value = self.data.get("hours")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value)

    @property
    def body(self) -> str:
        return self.front.body if self.front else self.text


@dataclass
class Portfolio:
    """The configuration, the projects, the journal, and the files each project holds."""

    config: Config
    projects: list[Project] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    load_diagnostics: list[Diagnostic] = field(default_factory=list)
    scope: tuple[str, ...] = ()  # repo-relative folders loaded, when narrowed to some projects
    _files: list[str] | None = None
    _by_project: dict[str, list[str]] | None = None
    _listing: Listing | None = None

    @property
    def root(self) -> Path:
        return self.config.root

    def project(self, slug: str) -> Project | None:
        return next((p for p in self.projects if p.slug == slug), None)

    def files(self) -> list[str]:
        """Repo-relative POSIX paths of the files in the repository (git's view when in git).

        Only those under ``scope`` when the portfolio was loaded for some projects only.
        """
        if self._files is None:
            self.start_listing()
            assert self._listing is not None
            self._files = self._listing.files()
        return self._files

    def start_listing(self) -> None:
        """Ask git for the files now, to be read by :meth:`files` (``files.Listing``)."""
        if self._files is None and self._listing is None:
            from repofolio.files import Listing

            self._listing = Listing(self.root, self.scope)

    def project_files(self, project: Project) -> list[str]:
        """The project's files, from one pass over the repository's files (not one per project)."""
        return self.group_files().get(project.rel, [])

    def group_files(self) -> dict[str, list[str]]:
        """The repository's files by project folder (repo-relative), grouped once."""
        if self._by_project is None:
            from repofolio.scope import projects_rel

            base = projects_rel(self.config)  # "" when the projects are the repository's folders
            prefix = f"{base}/" if base else ""
            groups: dict[str, list[str]] = {}
            for f in self.files():
                if f.startswith(prefix):
                    slug, sep, _ = f[len(prefix) :].partition("/")
                    if sep:
                        groups.setdefault(prefix + slug, []).append(f)
            self._by_project = groups
        return self._by_project

    def share_files(self, other: Portfolio) -> None:
        """Use ``other``'s file list and grouping (listed once for many portfolios: the slices
        of ``folio check``) instead of listing again; ``other``'s scope must cover this one's."""
        self._files = other.files()
        self._by_project = other.group_files()

    def has_something_to_run(self, project: Project) -> bool:
        """``folio run`` has something to prove: ``run:`` commands, or notebooks to execute."""
        if project.meta is None:
            return False
        return bool(project.meta.run_commands) or bool(self.notebooks(project))

    def notebooks(self, project: Project) -> list[Notebook]:
        """The project's notebooks: those its front matter lists, else every ``.ipynb``."""
        if project.meta is not None and project.meta.notebooks is not None:
            rels = [f"{project.rel}/{n.lstrip('./')}" for n in project.meta.notebooks]
        else:
            rels = [
                f
                for f in self.project_files(project)
                if f.endswith(".ipynb") and "/.ipynb_checkpoints/" not in f
            ]
        return [Notebook(self.root / r, r, project.slug) for r in sorted(rels)]
