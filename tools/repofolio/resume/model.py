"""``cv.yaml``: the pydantic schema of the CV, and loading it with a line for every key.

Problems are Diagnostics at ``cv.yaml:line`` (codes ``CV``); loading never raises for a bad
file, except that a missing or unreadable file is a :class:`FolioError` for commands that
need the CV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from repofolio.metamodel import NonEmpty, PartialDate, Period, json_schema

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.diagnostics import Diagnostic
    from repofolio.frontmatter import FrontMatter

CV_SCHEMA_URL = "https://repofolio.dev/schema/cv.json"
Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(https?://|mailto:)\S+$")]
# a file of the repository, relative to cv.yaml's folder (or /path from the root): no URL
# (no ':'), no '#fragment' or '?query'
RepoFile = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[^\s:#?]([^:#?]*[^\s:#?])?$"),
]
_FILE = (
    "A file of the repository (a PDF), relative to cv.yaml's folder: linked at its URL on the "
    "site (site-url), or on repo-url when the site does not publish it."
)
_PROJECT = "Slug of the project write-up, if any: the entry links to its page on the site."

CODES = {
    "CV001": "cv.yaml is missing or unreadable",
    "CV002": "cv.yaml is not valid YAML or not a mapping",
    "CV003": "duplicate key",
    "CV004": "cv.yaml is too deep or too large",
    "CV010": "missing required key",
    "CV011": "unknown key",
    "CV012": "invalid value",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Thesis(_Strict):
    """A thesis; ``project`` names its write-up in projects/ (its link is used)."""

    title: NonEmpty
    project: Slug | None = Field(
        None,
        description="Slug of the project write-up, if any: its `thesis` link (else its first) "
        "is the thesis's link.",
    )
    url: Url | None = None
    file: RepoFile | None = Field(None, description=_FILE)
    supervisor: str | None = None
    result: str | None = Field(None, description="One quantified line about the outcome.")


class Education(_Strict):
    institution: NonEmpty
    degree: NonEmpty = Field(description="'MSc', 'BSc', ...")
    area: str | None = Field(None, description="'Machine Learning', 'Engineering Physics'.")
    location: str | None = None
    period: Period
    grade: str | None = Field(None, description="Only when it helps: 'GPA 4.8/5'.")
    thesis: Thesis | None = None
    highlights: list[NonEmpty] = Field(default_factory=list, description="Courses, awards.")


class Experience(_Strict):
    position: NonEmpty
    company: NonEmpty
    url: Url | None = None
    location: str | None = None
    period: Period
    highlights: list[NonEmpty] = Field(
        default_factory=list,
        description="Short bullets, a verb first and a number in each: 'Cut churn 12% by ...'.",
    )
    skills: list[NonEmpty] = Field(default_factory=list)


class Award(_Strict):
    """A competition result, prize or talk: 'Kaggle silver medal, top 3% of 2,000 teams'.

    Its link is ``url``, else ``file`` (a certificate's PDF), else ``project``'s page."""

    name: NonEmpty
    issuer: str | None = None
    date: PartialDate
    detail: str | None = Field(None, description="One quantified line.")
    url: Url | None = None
    file: RepoFile | None = Field(None, description=_FILE)
    project: Slug | None = Field(None, description=_PROJECT)


class Certification(_Strict):
    """A certificate: its link is ``url``, else ``file`` (its PDF), else ``project``'s page."""

    name: NonEmpty
    issuer: NonEmpty
    date: PartialDate
    url: Url | None = None
    file: RepoFile | None = Field(None, description=_FILE)
    project: Slug | None = Field(None, description=_PROJECT)


class SkillGroup(_Strict):
    label: NonEmpty = Field(description="'Languages', 'ML', 'MLOps', ...")
    items: list[NonEmpty] = Field(min_length=1)


class Language(_Strict):
    name: NonEmpty
    level: NonEmpty = Field(description="'native', 'fluent', or a CEFR level such as 'C1'.")


class ProjectSelection(_Strict):
    """Which write-ups in projects/ the CV shows; the resume picks its 3 to 5 from these."""

    include: list[Slug] | None = Field(
        default=None, description="Only these (default: every project)."
    )
    exclude: list[Slug] = Field(default_factory=list)
    pin: list[Slug] = Field(
        default_factory=list, description="Always on the resume, whatever the posting."
    )


class CV(_Strict):
    """``cv.yaml``: everything the CV and the resume say besides the project write-ups."""

    model_config = ConfigDict(
        extra="forbid", title="repofolio CV", json_schema_extra={"$id": CV_SCHEMA_URL}
    )

    draft: bool = Field(
        False,
        description="Not ready to publish (the starter `folio init` writes): `folio check` "
        "warns and the site leaves the CV page out until this line is gone.",
    )
    name: NonEmpty
    headline: str | None = Field(
        None, description="A few words under the name: 'Machine learning engineer'."
    )
    location: str | None = None
    email: Email | None = None
    phone: str | None = None
    links: dict[str, Url] = Field(
        default_factory=dict, description="Name to URL: github, linkedin, website, kaggle, ..."
    )
    summary: str | None = Field(
        None, description="Discouraged: never printed on the resume; `folio resume lint` flags it."
    )
    objective: str | None = Field(
        None, description="Discouraged: never printed; `folio resume lint` flags it."
    )
    education: list[Education] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    projects: ProjectSelection = Field(default_factory=lambda: ProjectSelection())
    awards: list[Award] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    skills: list[SkillGroup] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)


def cv_schema() -> dict[str, Any]:
    return json_schema(CV)


@dataclass
class LoadedCV:
    """``cv`` is None when the file is invalid; ``lines`` maps dotted keys to their lines."""

    path: str  # repo-relative
    text: str
    cv: CV | None
    lines: FrontMatter
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line_of(self, *path: object) -> int:
        return self.lines.line_of(*path)


def parse_cv(text: str, path: str = "cv.yaml") -> LoadedCV:
    """Validate the text of cv.yaml; every problem is a Diagnostic with its line."""
    from repofolio.diagnostics import Diagnostic
    from repofolio.resume.cvyaml import cv_code, read_cv_yaml
    from repofolio.schema_errors import schema_findings

    fm, diags = read_cv_yaml(text, path)
    cv: CV | None = None
    if fm.data is not None and not diags:
        try:
            cv = CV.model_validate(fm.data)
        except ValidationError as exc:
            for line, col, code, message in schema_findings(exc, fm, CV.model_fields):
                diags.append(Diagnostic(path, line, col, cv_code(code), message))
    return LoadedCV(path, text, cv, fm, diags)


def load_cv(cfg: Config) -> LoadedCV:
    """Read ``[tool.folio.resume] source`` (cv.yaml); a missing file is a FolioError."""
    from repofolio.errors import FolioError
    from repofolio.fsio import is_inside, read_text

    path = cfg.root / cfg.resume.source
    name = cfg.resume.source
    if not is_inside(path, cfg.root.resolve()):
        raise FolioError(f"{name}: symlink leaves the repository; not followed")
    result = read_text(path)
    if result.text is None:
        hint = ""
        if result.code == "RD001":  # point at what the user's own repository has: folio
            hint = (
                "; 'folio init' writes a starter cv.yaml (it skips every file that exists)"
                + ("" if name == "cv.yaml" else f", to rename to {name}")
                + ", and 'folio schema cv' lists every key"
            )
        raise FolioError(f"{name}: {result.problem}{hint}")
    return parse_cv(result.text, name)


def require_cv(cfg: Config) -> tuple[CV, LoadedCV]:
    """The valid CV, or a FolioError naming the first problem (file:line) and the count."""
    from repofolio.errors import FolioError

    loaded = load_cv(cfg)
    if loaded.cv is None:
        first = sorted(loaded.diagnostics)[0]
        more = len(loaded.diagnostics) - 1
        tail = f" (and {more} more: run `folio resume lint`)" if more else ""
        raise FolioError(f"{first.format()}{tail}")
    return loaded.cv, loaded


Kind = Literal["cv", "resume"]
