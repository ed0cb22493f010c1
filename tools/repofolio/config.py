"""``[tool.folio]`` in the portfolio's ``pyproject.toml`` (or a ``folio.toml``) -> a frozen Config.

Keys are kebab-case in TOML (``required-sections``), as in ruff and black. Unknown keys and
wrong types are a :class:`FolioError` naming the key and listing the valid ones, in the manner
of mdformat's ``_conf.py``. Defaults work with no configuration at all.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal

from repofolio.errors import FolioError
from repofolio.kinds import DEFAULT_SECTIONS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("pyproject.toml", "folio.toml")
_MISSING: Any = dataclasses.MISSING


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def Field(  # noqa: N802 - reads like pydantic's Field, which this replaced for start-up speed
    default: Any = _MISSING,
    *,
    ge: int | None = None,
    le: int | None = None,
    exclude: bool = False,
    description: str | None = None,
) -> Any:
    """A config field with bounds; plain dataclasses keep `folio check` start-up fast."""
    metadata = {"ge": ge, "le": le, "exclude": exclude, "description": description}
    if isinstance(default, (dict, list, set)):
        value = default
        return dataclasses.field(default_factory=lambda: type(value)(value), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class _Section:
    """A frozen dataclass per TOML table; subclasses become dataclasses automatically."""

    __dataclass_fields__: typing.ClassVar[dict[str, dataclasses.Field[Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if isinstance(value, (dict, list, set)) and name in cls.__dict__.get(
                "__annotations__", {}
            ):
                setattr(cls, name, Field(value))
        # __init__, frozenness, repr, == and hash are _Section's own, written once: dataclasses
        # would compile them for each table with exec (~4 ms for the 12 tables, on every
        # folio command); dataclasses.fields() and replace() work as on any dataclass
        dataclasses.dataclass(init=False, repr=False, eq=False)(cls)

    def __init__(self, **values: Any) -> None:
        for f in dataclasses.fields(self):
            if f.name in values:
                value = values.pop(f.name)
            elif f.default is not _MISSING:
                value = f.default
            elif callable(f.default_factory):
                value = f.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing argument '{f.name}'")
            object.__setattr__(self, f.name, value)
        if values:
            name = next(iter(values))
            raise TypeError(f"{type(self).__name__}() got an unexpected argument '{name}'")

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field '{name}'")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def __repr__(self) -> str:
        body = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return f"{type(self).__qualname__}({body})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    @classmethod
    def fields(cls) -> dict[str, dataclasses.Field[Any]]:
        return {f.name: f for f in dataclasses.fields(cls)}

    @classmethod
    def from_table(cls, table: dict[str, Any], source: str, section: str = "tool.folio") -> Any:
        fields = cls.fields()
        valid = sorted(_kebab(n) for n, f in fields.items() if not f.metadata.get("exclude"))
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = key.replace("-", "_")
            field = fields.get(name)
            if field is None or field.metadata.get("exclude") or not isinstance(key, str):
                import difflib  # only to word the error

                close = difflib.get_close_matches(str(key), valid, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise FolioError(
                    f"{source}: [{section}] unknown key '{key}'{hint}; "
                    f"valid keys: {', '.join(valid)}"
                )
            where = (source, section, key)
            values[name] = _coerce(value, hints[name], field, where)
        return cls(**values)


def _coerce(value: Any, hint: Any, field: dataclasses.Field[Any], at: tuple[str, str, str]) -> Any:
    source, section, key = at
    where = f"{source}: [{section}] key '{key}'"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, field, at)
            except FolioError as exc:
                errors.append(str(exc))
        raise FolioError(errors[0] if errors else f"{where}: invalid value")
    if isinstance(hint, type) and issubclass(hint, _Section):
        if not isinstance(value, dict):
            raise FolioError(f"{where}: expected a table")
        return hint.from_table(value, source, f"{section}.{key}")
    if origin is typing.Literal:
        if value not in args:
            raise FolioError(f"{where}: expected one of {', '.join(map(repr, args))}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise FolioError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FolioError(f"{where}: expected an integer, got {value!r}")
        ge, le = field.metadata.get("ge"), field.metadata.get("le")
        if ge is not None and value < ge:
            raise FolioError(f"{where}: must be at least {ge}, got {value}")
        if le is not None and value > le:
            raise FolioError(f"{where}: must be at most {le}, got {value}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise FolioError(f"{where}: expected a string, got {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FolioError(f"{where}: expected a list of strings")
        return tuple(value)
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise FolioError(f"{where}: expected a table of strings")
        return dict(value)
    return value


class JournalConfig(_Section):
    """``[tool.folio.journal]``: the daily journal in mkdocs-material's blog format."""

    dir: str = "docs/journal/posts"
    tags: tuple[str, ...] = (
        "job-search",
        "application",
        "interview",
        "networking",
        "learning",
        "kaggle",
        "project",
        "rest",
    )
    rest_days: tuple[str, ...] = ("sunday",)
    private: tuple[str, ...] = ()  # companies (and any other name): become `replacement`
    private_people: tuple[str, ...] = ()  # people: become `person-replacement`
    replacement: str = "a company"
    person_replacement: str = "a contact"
    # remember (in the cache folder, as digests) the pages found without a private name
    redaction_cache: bool = True
    latest: int = Field(5, ge=0, le=100)


class CleanConfig(_Section):
    """``[tool.folio.clean]``: what ``folio clean`` does to notebooks and code."""

    format_code: bool = True
    drop_errors: bool = True
    drop_stderr: bool = True
    strip_outputs: bool = False
    max_output_lines: int = Field(200, ge=2)
    max_output_chars: int = Field(20_000, ge=200)
    fix_paths: bool = False
    jobs: int = Field(0, ge=0)  # worker processes for many notebooks; 0: one per core, max 4
    secrets_baseline: str = ".secrets.baseline"
    extensions: tuple[str, ...] = (
        ".py",
        ".ipynb",
        ".md",
        ".txt",
        ".yaml",
        ".yml",
        ".toml",
        ".json",
        ".cfg",
        ".ini",
        ".env",
        ".sh",
        ".r",
        ".R",
        ".sql",
    )


class SiteConfig(_Section):
    """``[tool.folio.site]``: the generated pages of the MkDocs site."""

    cache_dir: str = ".folio-cache"
    jobs: int = Field(0, ge=0)  # 0: one per core
    featured: int = Field(6, ge=0)
    docs_dir: str = "docs"  # the hand-written pages (home, about, journal)
    max_notebook_mb: int = Field(100, ge=1)  # larger notebooks are reported, not converted
    max_output_chars: int = Field(20_000, ge=200)  # longer text outputs are cut on the site
    parallel_from: int = Field(4, ge=1)  # convert in processes from this many changed notebooks
    repo_branch: str = "main"  # links to code files point at repo-url/blob/<branch>/...
    # the MkDocs adapter's speed layers: true all, false none (the same site, byte for byte),
    # or the names of those to keep (repofolio.site.mkdocs.layers)
    cache: bool | tuple[str, ...] = True
    # a 1200 x 630 card per page for link previews (og:image); false: none drawn, no og:image
    social_cards: bool = True


class IndexConfig(_Section):
    """``[tool.folio.index]``: the generated regions of README.md."""

    readme: str = "README.md"
    templates: dict[str, str] = {}  # region name (projects, journal) -> a .j2 file in the repo
    journal_entries: int = Field(5, ge=0)  # 0: no journal region
    status_badges: bool = True  # a "runs" badge (served by the site) where something runs


class GithubConfig(_Section):
    """``[tool.folio.github]``: repository settings that ``folio github sync`` keeps."""

    description: str | None = None
    topics: tuple[str, ...] = ()
    commit_message: str = "docs: regenerate the README project index [skip ci]"
    branch: str | None = None
    pr_branch: str = "folio/readme-index"  # used when `branch` is protected; reset each time
    readme_attempts: int = Field(5, ge=1, le=20)  # compare-and-swap rounds before giving up
    timeout: int = Field(15, ge=1)  # seconds per request
    retries: int = Field(4, ge=0, le=10)
    max_wait: int = Field(60, ge=0)  # longest single wait for Retry-After or a rate-limit reset
    budget: int = Field(180, ge=1)  # longest total time a command spends retrying, seconds


class ResumeConfig(_Section):
    """``[tool.folio.resume]``: the CV and the one-page resume."""

    source: str = "cv.yaml"
    max_projects: int = Field(4, ge=1, le=10)
    columns: Literal[1, 2] = 1
    bullet_max_chars: int = Field(160, ge=40)
    experience_bullets: int = Field(3, ge=1, le=10)  # per role, on the resume
    project_bullets: int = Field(2, ge=1, le=10)  # results per project, on the resume
    sections: tuple[str, ...] = (
        "education",
        "skills",
        "experience",
        "projects",
        "awards",
        "certifications",
        "languages",
    )
    paper: Literal["a4", "us-letter"] = "a4"
    font: str = "Libertinus Serif"  # bundled with typst; others via font-paths
    font_paths: tuple[str, ...] = ()
    templates: str | None = None  # a folder whose resume.*.j2 override the built-in ones
    output_dir: str = "dist"


class RunConfig(_Section):
    """``[tool.folio.run]``: proving the showcases still run."""

    env_dir: str = ".folio-cache/envs"  # one virtual environment per requirements hash
    report: str = ".folio-cache/run-report.json"
    timeout: int = Field(600, ge=1)  # seconds per command or notebook; front matter wins
    install_timeout: int = Field(1800, ge=1)  # seconds for venv creation + pip install
    tail_lines: int = Field(40, ge=1)  # log lines kept in the report for a failure
    jobs: int = Field(1, ge=0)  # projects at a time; 0: one per core


class KindConfig(_Section):
    """``[tool.folio.kinds.KIND]``: what a write-up of one kind must hold."""

    # None: the kind's default (repofolio.kinds.DEFAULT_SECTIONS; for code, the top-level
    # required-sections)
    required_sections: tuple[str, ...] | None = None


class KindsConfig(_Section):
    """``[tool.folio.kinds]``: one table per kind (``[tool.folio.kinds.research]``)."""

    code: KindConfig = KindConfig()
    notebook: KindConfig = KindConfig()
    research: KindConfig = KindConfig()
    no_code: KindConfig = KindConfig()  # [tool.folio.kinds.no-code]
    snippet: KindConfig = KindConfig()


class PipelineConfig(_Section):
    """``[tool.folio.pipeline]``: the job-search pipeline of ``folio apply`` (a private store)."""

    store: str | None = None  # default: a folder per repository in the user's data directory
    follow_up_days: int = Field(7, ge=1)  # no answer this many days after applying: follow up
    ghosted_after: int = Field(30, ge=1)  # days of silence after which an application is ghosted
    publish_stats: bool = False  # weekly counts (never a name) on the journal page and README
    stats_file: str = "docs/journal/search-stats.json"  # the counts, in the repository


class Config(_Section):
    """The whole ``[tool.folio]`` table; ``root`` is the portfolio repository."""

    root: Path = Field(default=Path("."), exclude=True)
    source: str | None = Field(default=None, exclude=True)  # file the config came from
    owner: str = "Portfolio owner"
    headline: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    projects_dir: str = "projects"
    # the sections of a `kind: code` write-up (the only kind before kinds came); the other
    # kinds are set in [tool.folio.kinds.KIND]
    required_sections: tuple[str, ...] = DEFAULT_SECTIONS["code"]
    summary_max_length: int = Field(200, ge=20)
    image_max_kb: int = Field(1024, ge=1)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    jobs: int = Field(0, ge=0)  # folio check: processes for many projects; 0: one per core, max 4
    journal: JournalConfig = JournalConfig()
    clean: CleanConfig = CleanConfig()
    site: SiteConfig = SiteConfig()
    index: IndexConfig = IndexConfig()
    github: GithubConfig = GithubConfig()
    resume: ResumeConfig = ResumeConfig()
    run: RunConfig = RunConfig()
    kinds: KindsConfig = KindsConfig()
    pipeline: PipelineConfig = PipelineConfig()

    @property
    def projects_path(self) -> Path:
        return self.root / self.projects_dir

    def kind_sections(self, kind: str) -> tuple[str, ...]:
        """The sections a write-up of ``kind`` must have, in order, as configured.

        ``[tool.folio.kinds.KIND] required-sections``, else (for ``code``) the top-level
        ``required-sections``, else the kind's default.
        """
        table: KindConfig = getattr(self.kinds, kind.replace("-", "_"))
        if table.required_sections is not None:
            return table.required_sections
        if kind == "code":
            return self.required_sections
        return DEFAULT_SECTIONS[kind]


class Located(typing.NamedTuple):
    """Where the search for a portfolio went: from ``start`` up to ``stop``."""

    root: Path | None  # the folder with folio.toml or [tool.folio]; None: not a portfolio
    start: Path
    stop: Path  # where it stopped: the portfolio, the git root, or the file system's root
    git_root: Path | None  # the git root it stopped at (None: it stopped elsewhere)

    def describe(self) -> str:
        """Where it looked, for the one-line error outside a portfolio."""
        if self.start == self.stop:
            where = f"in {self.start}"
        else:
            where = f"in {self.start} or a folder above it up to {self.stop}"
        return where + (" (the git root)" if self.git_root is not None else " (no git repository)")


def locate_portfolio(start: Path | None = None) -> Located:
    """The nearest folder from ``start`` up to the git root with ``folio.toml`` or
    ``[tool.folio]`` in ``pyproject.toml``.

    The search stops at the git root: a config above it belongs to something else (a
    pyproject.toml in the home folder is not this repository's portfolio).
    """
    here = (start or Path.cwd()).resolve()
    folder = here
    for folder in (here, *here.parents):
        if (folder / "folio.toml").is_file():
            return Located(folder, here, folder, None)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_folio_table(pyproject):
            return Located(folder, here, folder, None)
        if (folder / ".git").exists():
            return Located(None, here, folder, folder)
    return Located(None, here, folder, None)


def find_root(start: Path | None = None) -> Path:
    """The portfolio's root (see :func:`locate_portfolio`); outside one, the git root or
    ``start`` itself (commands refuse to run there: the CLI checks :func:`locate_portfolio`)."""
    found = locate_portfolio(start)
    return found.root or found.git_root or found.start


def _has_folio_table(path: Path) -> bool:
    try:
        return "[tool.folio" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load_config(root: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read ``[tool.folio]`` once; flags in ``overrides`` win over the file."""
    root = find_root() if root is None else root.resolve()
    table: dict[str, Any] = {}
    source: str | None = None
    folio_toml = root / "folio.toml"
    pyproject = root / "pyproject.toml"
    if folio_toml.is_file():
        source = "folio.toml"
        data = _read_toml(folio_toml)
        table = data.get("tool", {}).get("folio", data) if "tool" in data else data
    elif pyproject.is_file():
        data = _read_toml(pyproject)
        if "folio" in data.get("tool", {}):
            source = "pyproject.toml"
            table = data["tool"]["folio"]
    if not isinstance(table, dict):
        raise FolioError(f"{source}: [tool.folio] must be a table")
    merged = {**table, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    config: Config = Config.from_table(merged, source or "configuration")
    return dataclasses.replace(config, root=root, source=source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FolioError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise FolioError(f"{path.name}: cannot read: {exc.strerror}") from None
