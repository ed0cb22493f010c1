"""The portfolio as plain data: the front matter schema, Project, Notebook, JournalEntry, Portfolio.

Everything downstream (checks, renderers, the site, GitHub) reads these; nothing opens a
write-up again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.diagnostics import Diagnostic
    from repofolio.frontmatter import FrontMatter
    from repofolio.markdown import MarkdownDoc

SCHEMA_URL = "https://repofolio.dev/schema/project.json"
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
PartialDate = dt.date | YearMonth


class Period(BaseModel):
    """A span of work: ``start``, ``end`` as dates or ``YYYY-MM``; ``end: present`` if ongoing."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built below

    start: PartialDate
    end: PartialDate | Literal["present"] | None = None


class ProjectMeta(BaseModel):
    """Front matter of ``projects/<slug>/README.md``."""

    model_config = ConfigDict(
        extra="forbid",
        title="repofolio project write-up",
        json_schema_extra={"$id": SCHEMA_URL},
        defer_build=True,  # built below
    )

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    summary: NonEmpty = Field(description="One sentence a recruiter reads on the card.")
    date: PartialDate | None = Field(None, description="When it was done: YYYY-MM-DD or YYYY-MM.")
    period: Period | None = None
    status: Literal["active", "completed", "maintained", "archived", "in-progress"] = "completed"
    # defaults are plain values, not default_factory=list: pydantic reads a factory's
    # signature, and a builtin's costs a tokenizer regex compile (~4 ms of `folio check`);
    # each instance still gets its own copy of a mutable default
    tags: list[NonEmpty] = Field([])
    skills: list[NonEmpty] = Field([])
    role: str | None = Field(None, description="Your role: 'Solo', 'Team of 3, modelling lead'.")
    highlight: bool | int = Field(False, description="Featured first; an integer orders them.")
    links: dict[str, str] = Field(
        {},
        description="Name to URL: repo, demo, paper, video, kaggle, slides, or any other name.",
    )
    results: list[NonEmpty] = Field(
        [], description="Quantified one-liners: 'F1 0.91 (+0.07 over TF-IDF)'."
    )
    cover: str | None = Field(None, description="Cover image, relative to the project folder.")
    notebooks: list[str] | None = Field(
        None, description="Notebooks to publish, relative paths; default: every .ipynb."
    )
    run: str | list[str] | None = Field(
        None, description="Command(s) proving the code runs, from the project folder."
    )
    requirements: str | None = Field(None, description="A requirements file in the project.")
    timeout: int | None = Field(None, ge=1, description="Seconds before `folio run` stops it.")
    license: str | None = None

    @model_validator(mode="after")
    def _when(self) -> ProjectMeta:
        if self.date is None and self.period is None:
            raise ValueError("one of 'date' or 'period' is required")
        return self

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
        def fmt(value: object) -> str:
            if isinstance(value, dt.date):
                return value.strftime("%b %Y")
            if isinstance(value, str) and YEAR_MONTH.match(value):
                return dt.date(int(value[:4]), int(value[5:]), 1).strftime("%b %Y")
            return str(value).capitalize()

        if self.period is not None:
            if self.period.end is None:
                return fmt(self.period.start)
            return f"{fmt(self.period.start)} – {fmt(self.period.end)}"
        return fmt(self.date)

    @property
    def highlight_rank(self) -> int | None:
        if self.highlight is True:
            return 0
        if self.highlight is False or self.highlight is None:
            return None
        return int(self.highlight)


def _build_models() -> None:
    """Build the validators now, without pydantic's plugin search.

    Building a model, pydantic looks for plugins in the entry points of every installed
    distribution (~7 ms in a 100-package environment), and the module that looks imports
    ``importlib.metadata`` (email, zipfile, csv: ~12 ms more) on every `folio check`. folio
    uses no plugin. So while our two models build, that module is a stand-in that finds none
    and the switch pydantic documents for this is on; both are put back as they were, so any
    other model in the process, and the programs folio starts (`folio run`), see the real
    loader and the user's environment. Should pydantic ever look its loader up differently,
    the stand-in fails to import and the build goes on with the switch alone.
    """
    loader = "pydantic.plugin._loader"
    stand_in = None
    if loader not in sys.modules:
        stand_in = types.ModuleType(loader)
        stand_in.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugins
        sys.modules[loader] = stand_in
    saved = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    try:
        try:
            Period.model_rebuild(force=True)
            ProjectMeta.model_rebuild(force=True)
        except ImportError:
            if stand_in is None:
                raise
            del sys.modules[loader]
            stand_in = None
            Period.model_rebuild(force=True)
            ProjectMeta.model_rebuild(force=True)
    finally:
        if stand_in is not None and sys.modules.get(loader) is stand_in:
            del sys.modules[loader]
        if saved is None:
            del os.environ["PYDANTIC_DISABLE_PLUGINS"]
        else:
            os.environ["PYDANTIC_DISABLE_PLUGINS"] = saved


_build_models()


def project_schema() -> dict[str, Any]:
    schema = ProjectMeta.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


@dataclass
class Notebook:
    """A notebook of a project; its content is read only by commands that need it."""

    path: Path  # absolute
    rel: str  # repo-relative POSIX path
    project: str  # slug


@dataclass
class Project:
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
    config: Config
    projects: list[Project] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    load_diagnostics: list[Diagnostic] = field(default_factory=list)
    scope: tuple[str, ...] = ()  # repo-relative folders loaded, when narrowed to some projects
    _files: list[str] | None = None
    _by_project: dict[str, list[str]] | None = None

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
            from repofolio.files import list_files

            self._files = list_files(self.root, self.scope)
        return self._files

    def project_files(self, project: Project) -> list[str]:
        """The project's files, from one pass over the repository's files (not one per project)."""
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
        return self._by_project.get(project.rel, [])

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
