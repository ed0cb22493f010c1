"""Choosing the resume's projects, bullets and skill order: a transparent score.

Without a posting the order is the owner's: pinned, then ``highlight`` (lower first), then
newest. With a posting every project scores points that ``--explain`` prints one by one:

- ``SKILL`` points for each of its skills the posting names,
- ``TAG`` points for each of its tags the posting names,
- ``WORD`` points for each other word of its title, summary and results the posting uses
  (at most ``MAX_WORDS`` words),
- ``HIGHLIGHT`` points when the owner marked it ``highlight``.

Matching is on whole words and phrases, case-insensitive, with a plural ``s`` and a short
table of synonyms (sklearn = scikit-learn); nothing is learned or hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from repofolio.model import Project

SKILL = 3.0
TAG = 2.0
WORD = 0.5
MAX_WORDS = 6
HIGHLIGHT = 2.0

# a term on the left also matches the phrases on the right
SYNONYMS: dict[str, tuple[str, ...]] = {
    "scikit-learn": ("sklearn", "scikit learn"),
    "pytorch": ("torch",),
    "kubernetes": ("k8s",),
    "nlp": ("natural language processing", "language models", "text"),
    "llm": ("llms", "large language model", "large language models"),
    "time series": ("time-series", "forecasting", "forecast", "forecasts"),
    "forecasting": ("forecast", "forecasts", "time series"),
    "computer vision": ("vision", "image", "images"),
    "postgresql": ("postgres",),
    "gcp": ("google cloud",),
    "aws": ("amazon web services",),
    "retrieval": ("search", "rag"),
    "rag": ("retrieval-augmented", "retrieval augmented"),
    "mlops": ("ml ops", "model deployment", "deployment"),
    "ci/cd": ("ci", "continuous integration"),
    "statistics": ("statistical",),
    "a/b testing": ("a/b tests", "ab testing", "experimentation"),
}

STOPWORDS = frozenset(
    """about above after again against also among and another any are around because been
    before being below between both but can could does doing down during each even every
    from further have having here into itself just like made make makes many more most much
    must need only other over same should since some such than that their them then there
    these they this those through under until very what when where which while will with
    within without would your you our ours ourselves we who whom why how all the for not
    one two three four five six seven eight nine ten per via using used use new work team
    years year month months day days week weeks model models data""".split()
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#./-]*[a-z0-9+#]|[a-z0-9]")


def normalize(text: str) -> str:
    """Lowercase words separated by single spaces, keeping c++, c#, ci/cd and scikit-learn."""
    return " " + " ".join(_TOKEN.findall(text.lower())) + " "


def _variants(term: str) -> Iterable[str]:
    base = normalize(term).strip()
    if not base:
        return
    yield base
    yield base + "s"
    if base.endswith("s") and len(base) > 3:
        yield base[:-1]
    for alt in SYNONYMS.get(base, ()):
        yield normalize(alt).strip()


def mentions(posting: str, term: str) -> bool:
    """True when the normalized ``posting`` names ``term`` as a whole word or phrase."""
    return any(f" {v} " in posting for v in _variants(term))


def words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        token = token.strip(".-/")
        if len(token) >= 4 and token.isalpha() and token not in STOPWORDS:
            seen.setdefault(token, None)
    return list(seen)


@dataclass(frozen=True)
class ProjectScore:
    slug: str
    title: str
    skills: tuple[str, ...]  # matched skills
    tags: tuple[str, ...]  # matched tags
    words: tuple[str, ...]  # matched words (capped)
    highlighted: bool
    rank: tuple[int, int, str]  # the owner's order: pinned, highlight rank, newest
    pinned: bool = False

    @property
    def highlight_points(self) -> float:
        return HIGHLIGHT if self.highlighted else 0.0

    @property
    def total(self) -> float:
        return (
            SKILL * len(self.skills)
            + TAG * len(self.tags)
            + WORD * len(self.words)
            + self.highlight_points
        )


def _owner_rank(project: Project, pinned: Sequence[str]) -> tuple[int, int, str]:
    assert project.meta is not None
    pin = pinned.index(project.slug) if project.slug in pinned else len(pinned)
    rank = project.meta.highlight_rank
    newest = "".join(chr(0x10FFFF - ord(c)) for c in project.meta.sort_date)  # descending
    return pin, 10**6 if rank is None else rank, newest


def score_project(
    project: Project, posting: str | None, pinned: Sequence[str] = ()
) -> ProjectScore:
    """``posting`` is already :func:`normalize`-d, or None for the owner's order only."""
    meta = project.meta
    assert meta is not None
    skills: list[str] = []
    tags: list[str] = []
    found: list[str] = []
    if posting is not None:
        seen: set[str] = set()
        for skill in meta.skills:
            key = normalize(skill).strip()
            if key not in seen and mentions(posting, skill):
                skills.append(skill)
                seen.add(key)
        for tag in meta.tags:
            key = normalize(tag.replace("-", " ")).strip()
            if key not in seen and (mentions(posting, tag) or mentions(posting, key)):
                tags.append(tag)
                seen.add(key)
        taken = {w for s in (*skills, *tags) for w in words(s.replace("-", " "))}
        text = " ".join([meta.title, meta.summary, *meta.results])
        for word in words(text):
            if word not in taken and mentions(posting, word):
                found.append(word)
            if len(found) == MAX_WORDS:
                break
    return ProjectScore(
        slug=project.slug,
        title=meta.title,
        skills=tuple(skills),
        tags=tuple(tags),
        words=tuple(found),
        highlighted=meta.highlight_rank is not None,
        rank=_owner_rank(project, pinned),
        pinned=project.slug in pinned,
    )


def rank_projects(
    projects: Sequence[Project], posting: str | None, pinned: Sequence[str] = ()
) -> list[ProjectScore]:
    """Best first: pinned, then the score (with a posting), then the owner's order."""
    scores = [score_project(p, posting, pinned) for p in projects if p.meta is not None]
    if posting is None:
        return sorted(scores, key=lambda s: (s.rank, s.slug))
    return sorted(scores, key=lambda s: (not s.pinned, -s.total, s.rank, s.slug))


def bullet_score(bullet: str, posting: str | None) -> int:
    if posting is None:
        return 0
    return sum(1 for w in words(bullet) if mentions(posting, w))


def pick_bullets(bullets: Sequence[str], posting: str | None, limit: int) -> list[str]:
    """The ``limit`` bullets that match the posting best, in the owner's order."""
    if len(bullets) <= limit:
        return list(bullets)
    ranked = sorted(range(len(bullets)), key=lambda i: (-bullet_score(bullets[i], posting), i))
    keep = sorted(ranked[:limit])
    return [bullets[i] for i in keep]


def order_skills(items: Sequence[str], posting: str | None, used: Sequence[str] = ()) -> list[str]:
    """Named in the posting first, then used by the chosen projects and roles, then the rest."""
    used_keys = {normalize(u).strip() for u in used}

    def key(i: int) -> tuple[int, int, int]:
        item = items[i]
        named = posting is not None and mentions(posting, item)
        return (0 if named else 1, 0 if normalize(item).strip() in used_keys else 1, i)

    return [items[i] for i in sorted(range(len(items)), key=key)]


def explain_table(scores: Sequence[ProjectScore], chosen: Iterable[str], posting_name: str) -> str:
    """The score of every project, one line each, the chosen ones marked with '*'."""
    chosen = set(chosen)
    head = (
        f"Projects scored against {posting_name}: {SKILL:g} a skill, {TAG:g} a tag, "
        f"{WORD:g} a word (max {MAX_WORDS}), {HIGHLIGHT:g} if highlighted; * = on the resume"
    )
    rows = [("", "score", "project", "skills", "tags", "words", "highlight")]
    for s in scores:
        mark = "*" if s.slug in chosen else ""
        if s.pinned:
            mark += " pinned"
        rows.append(
            (
                mark.strip(),
                f"{s.total:g}",
                s.slug,
                ", ".join(s.skills) or "-",
                ", ".join(s.tags) or "-",
                ", ".join(s.words) or "-",
                f"{s.highlight_points:g}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [head]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
