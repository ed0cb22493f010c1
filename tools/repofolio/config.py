"""``[tool.folio]`` in the portfolio's ``pyproject.toml`` (or a ``folio.toml``) -> a frozen Config.

Keys are kebab-case in TOML (``required-sections``), as in ruff and black. Unknown keys and
wrong types are a :class:`FolioError` naming the key and listing the valid ones, in the manner
of mdformat's ``_conf.py``. Defaults work with no configuration at all.
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from repofolio.errors import FolioError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("pyproject.toml", "folio.toml")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True
    )


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
    private: tuple[str, ...] = ()
    replacement: str = "a company"
    latest: int = Field(5, ge=0, le=100)


class CleanConfig(_Section):
    """``[tool.folio.clean]``: what ``folio clean`` does to notebooks and code."""

    format_code: bool = True
    drop_errors: bool = True
    drop_stderr: bool = True
    strip_outputs: bool = False
    max_output_lines: int = Field(200, ge=1)
    secrets_baseline: str = ".secrets.baseline"
    extensions: tuple[str, ...] = (".py", ".ipynb", ".md", ".txt", ".yaml", ".yml", ".toml",
                                   ".json", ".cfg", ".ini", ".env", ".sh", ".r", ".R", ".sql")


class SiteConfig(_Section):
    """``[tool.folio.site]``: the generated pages of the MkDocs site."""

    cache_dir: str = ".folio-cache"
    jobs: int = Field(0, ge=0)  # 0: one per core
    featured: int = Field(6, ge=0)


class IndexConfig(_Section):
    """``[tool.folio.index]``: the generated regions of README.md."""

    readme: str = "README.md"
    templates: dict[str, str] = {}
    journal_entries: int = Field(5, ge=0)


class GithubConfig(_Section):
    """``[tool.folio.github]``: repository settings that ``folio github sync`` keeps."""

    description: str | None = None
    topics: tuple[str, ...] = ()
    commit_message: str = "docs: regenerate the README project index [skip ci]"
    branch: str | None = None


class ResumeConfig(_Section):
    """``[tool.folio.resume]``: the CV and the one-page resume."""

    source: str = "cv.yaml"
    max_projects: int = Field(4, ge=1, le=10)
    columns: Literal[1, 2] = 1
    bullet_max_chars: int = Field(160, ge=40)


class RunConfig(_Section):
    """``[tool.folio.run]``: proving the showcases still run."""

    env_dir: str = ".folio-cache/envs"
    report: str = ".folio-cache/run-report.json"
    timeout: int = Field(600, ge=1)
    tail_lines: int = Field(40, ge=1)


class Config(_Section):
    """The whole ``[tool.folio]`` table; ``root`` is the portfolio repository."""

    root: Path = Field(default=Path("."), exclude=True)
    source: str | None = Field(default=None, exclude=True)  # file the config came from
    owner: str = "Portfolio owner"
    headline: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    projects_dir: str = "projects"
    required_sections: tuple[str, ...] = ("Problem", "Approach", "Results", "How to run")
    summary_max_length: int = Field(200, ge=20)
    image_max_kb: int = Field(1024, ge=1)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    journal: JournalConfig = JournalConfig()
    clean: CleanConfig = CleanConfig()
    site: SiteConfig = SiteConfig()
    index: IndexConfig = IndexConfig()
    github: GithubConfig = GithubConfig()
    resume: ResumeConfig = ResumeConfig()
    run: RunConfig = RunConfig()

    @property
    def projects_path(self) -> Path:
        return self.root / self.projects_dir


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards with ``[tool.folio]``, a ``folio.toml`` or ``.git``."""
    here = (start or Path.cwd()).resolve()
    fallback: Path | None = None
    for folder in (here, *here.parents):
        if (folder / "folio.toml").is_file():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_folio_table(pyproject):
            return folder
        if fallback is None and (folder / ".git").exists():
            fallback = folder
    return fallback or here


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
    try:
        return Config.model_validate({**merged, "root": root, "source": source})
    except ValidationError as exc:
        raise FolioError(_config_error(source or "configuration", exc)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FolioError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise FolioError(f"{path.name}: cannot read: {exc.strerror}") from None


def _config_error(source: str, exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    key = ".".join(loc)
    if err["type"] == "extra_forbidden":
        model: type[BaseModel] = Config
        for part in loc[:-1]:
            field = model.model_fields.get(part.replace("-", "_"))
            if field is None or not isinstance(field.annotation, type):
                break
            model = field.annotation
        valid = sorted(
            _kebab(n) for n, f in model.model_fields.items() if not f.exclude
        )
        hint = difflib.get_close_matches(loc[-1], valid, n=1)
        did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
        return (
            f"{source}: [tool.folio] unknown key '{key}'{did_you_mean}; "
            f"valid keys: {', '.join(valid)}"
        )
    return f"{source}: [tool.folio] key '{key}': {err['msg'].lower()}"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
