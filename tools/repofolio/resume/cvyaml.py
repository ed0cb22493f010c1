"""``cv.yaml`` read as YAML, without its schema: its lines, and its YAML problems as the CV's
own codes (CV002 invalid YAML or not a mapping, CV003 a duplicate key, ...). Light (no
pydantic): ``folio check`` reads cv.yaml with it among the published files, and
:func:`repofolio.resume.model.parse_cv` validates the schema on top, so both say a problem
the same way.
"""

from __future__ import annotations

from repofolio.diagnostics import Diagnostic
from repofolio.frontmatter import FrontMatter, parse_yaml

# frontmatter's codes -> cv.yaml's: the same findings, a family of their own
CV_CODES = {
    "FM002": "CV002",
    "FM003": "CV002",
    "FM004": "CV002",
    "FM005": "CV003",
    "FM006": "CV004",
    "FM007": "CV012",
    "FM010": "CV010",
    "FM011": "CV011",
    "FM012": "CV012",
}


def cv_code(code: str) -> str:
    return CV_CODES.get(code, code)


def read_cv_yaml(text: str, path: str = "cv.yaml") -> tuple[FrontMatter, list[Diagnostic]]:
    """The YAML of cv.yaml with its lines, and its problems at their lines (never raises)."""
    fm = parse_yaml(text)
    fm.findings = [f._replace(message=_in_cv(f.message)) for f in fm.findings]
    return fm, [Diagnostic(path, f.line, f.col, cv_code(f.code), f.message) for f in fm.findings]


def _in_cv(message: str) -> str:
    return message.replace("front matter", "cv.yaml").replace(
        "the file is empty", "cv.yaml is empty"
    )
