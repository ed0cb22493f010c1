"""``folio resume lint``: the advice recruiters give, as findings at ``cv.yaml:line``.

RS001 a bullet without a number, RS002 a bullet over ``bullet-max-chars``, RS003 a passive
opening ("Responsible for ..."), RS004 an opening verb used twice, RS005 a project without
a link, RS006 a summary or objective section, RS007 a slug that names no project, RS008 a
draft project named, RS009 a file that does not exist, RS010 a file link a PDF cannot carry.
Project results are checked where they are written (``projects/<slug>/README.md:line``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio
from repofolio.resume.model import LoadedCV
from repofolio.resume.refs import CODES as REF_CODES
from repofolio.resume.refs import check_references
from repofolio.resume.render import compose, cv_projects

CODES = {
    "RS001": "bullet has no number (a metric, a size, a count, a duration)",
    "RS002": "bullet is longer than [tool.folio.resume] bullet-max-chars",
    "RS003": "bullet opens passively ('Responsible for', 'Worked on', 'Helped')",
    "RS004": "the same opening verb starts more than one bullet",
    "RS005": "project on the CV has no link (no links: and no site-url for its page)",
    "RS006": "summary or objective section: the resume never prints it",
    **REF_CODES,
    "RS010": "a link to a file with no absolute URL (no site-url): left out of the PDF (warning)",
}
PASSIVE = re.compile(
    r"^(responsible for|in charge of|tasked with|duties included|worked on|worked with|"
    r"helped( to)?|assisted( with| in)?|participated in|involved in|was |were |"
    r"contributed to|exposure to|familiar with)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|half|"
    r"dozen|hundred|thousand|million)s?\b",
    re.IGNORECASE,
)
VERB = re.compile(r"^([A-Za-z][a-z]+(?:-[a-z]+)?)\b")


@dataclass(frozen=True)
class _Bullet:
    text: str
    path: str
    line: int
    where: str  # 'experience.0.highlights.2' or 'results.1', for messages
    number: bool  # must it carry a number?
    verb: bool  # does it open with an action verb (experience bullets)?


def _bullets(loaded: LoadedCV, portfolio: Portfolio) -> Iterator[_Bullet]:
    cv = loaded.cv
    assert cv is not None
    src = loaded.path
    key: tuple[object, ...]
    for i, x in enumerate(cv.experience):
        for j, h in enumerate(x.highlights):
            key = ("experience", i, "highlights", j)
            yield _Bullet(h, src, loaded.line_of(*key), ".".join(map(str, key)), True, True)
    for i, e in enumerate(cv.education):
        for j, h in enumerate(e.highlights):
            key = ("education", i, "highlights", j)
            yield _Bullet(h, src, loaded.line_of(*key), ".".join(map(str, key)), False, False)
        if e.thesis is not None and e.thesis.result:
            key = ("education", i, "thesis", "result")
            yield _Bullet(
                e.thesis.result, src, loaded.line_of(*key), ".".join(map(str, key)), True, False
            )
    for i, a in enumerate(cv.awards):
        if a.detail:
            key = ("awards", i, "detail")
            yield _Bullet(a.detail, src, loaded.line_of(*key), ".".join(map(str, key)), True, False)
    for p in cv_projects(cv, portfolio):
        assert p.meta is not None and p.front is not None
        for j, r in enumerate(p.meta.results):
            yield _Bullet(
                r, p.readme_rel, p.front.line_of("results", j), f"results.{j}", True, False
            )


def lint_cv(loaded: LoadedCV, portfolio: Portfolio, cfg: Config) -> list[Diagnostic]:
    """Every finding; a CV that does not validate gives its schema problems only."""
    if loaded.cv is None:
        return list(loaded.diagnostics)
    cv = loaded.cv
    src = loaded.path
    out: list[Diagnostic] = []
    limit = cfg.resume.bullet_max_chars
    verbs: dict[str, int] = {}
    for b in _bullets(loaded, portfolio):
        text = b.text.strip()
        if b.number and not NUMBER.search(text):
            out.append(
                Diagnostic(
                    b.path,
                    b.line,
                    1,
                    "RS001",
                    f"'{b.where}' has no number: say how much, how many or how "
                    "fast (a metric, a size, a count)",
                )
            )
        if len(text) > limit:
            out.append(
                Diagnostic(
                    b.path,
                    b.line,
                    1,
                    "RS002",
                    f"'{b.where}' is {len(text)} characters, the limit is {limit}: "
                    "keep one idea per bullet",
                )
            )
        passive = PASSIVE.match(text)
        if passive:
            out.append(
                Diagnostic(
                    b.path,
                    b.line,
                    1,
                    "RS003",
                    f"'{b.where}' opens with '{passive.group(0).strip()}': start "
                    "with what you did ('Built', 'Cut', 'Shipped')",
                )
            )
        verb = VERB.match(text)
        if b.verb and verb and not passive:
            word = verb.group(1).lower()
            if word in verbs:
                out.append(
                    Diagnostic(
                        b.path,
                        b.line,
                        1,
                        "RS004",
                        f"'{b.where}' opens with '{word}' like line {verbs[word]}: vary the verb",
                    )
                )
            else:
                verbs[word] = b.line
    settings = "[tool.folio] in pyproject.toml" if cfg.source == "pyproject.toml" else "folio.toml"
    for p in cv_projects(cv, portfolio):
        assert p.meta is not None
        # with a site-url the title links the project's page (resume.render), in the PDF too
        if not p.meta.links and not cfg.site_url:
            line = _slug_line(loaded, p.slug)
            path, line = (src, line) if line else (p.readme_rel, 1)
            out.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    "RS005",
                    f"project '{p.slug}' has no link: add links.repo (or a demo) to "
                    f"{p.readme_rel}, or a site-url to {settings} so that its title links "
                    "its page",
                )
            )
    for key in ("summary", "objective"):
        if getattr(cv, key):
            out.append(
                Diagnostic(
                    src,
                    loaded.line_of(key),
                    1,
                    "RS006",
                    f"remove the '{key}' section: recruiters skip it and the resume "
                    "never prints it; let the bullets speak",
                )
            )
    out.extend(check_references(loaded.lines.data, loaded.line_of, portfolio, src))
    out.extend(compose(cv, portfolio, cfg, kind="cv", loaded=loaded).warnings)
    return out


def _slug_line(loaded: LoadedCV, slug: str) -> int:
    cv = loaded.cv
    assert cv is not None
    for key in ("pin", "include"):
        values = getattr(cv.projects, key) or []
        if slug in values:
            return loaded.line_of("projects", key, values.index(slug))
    return 0
