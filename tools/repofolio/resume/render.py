"""The CV and the resume as one plain Document, then as Typst (PDF), HTML or Markdown.

:func:`compose` decides what is said (which projects, which bullets, the skill order);
the templates in ``templates/resume/`` decide how it looks, so a user can override them
with ``[tool.folio.resume] templates``. The PDF comes from Typst (the ``typst`` package)
with its embedded fonts only, so it looks the same on every machine and every font is
embedded; the resume's one-page limit is checked on the real PDF.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio import published_files
from repofolio.diagnostics import Diagnostic
from repofolio.errors import FolioError
from repofolio.model import format_date, format_period
from repofolio.resume import select
from repofolio.resume.model import CV, Kind, LoadedCV

if TYPE_CHECKING:
    import jinja2

    from repofolio.config import Config
    from repofolio.model import Portfolio, Project

SECTION_TITLES = {
    "education": "Education",
    "skills": "Skills",
    "experience": "Experience",
    "projects": "Projects",
    "awards": "Awards",
    "certifications": "Certifications",
    "languages": "Languages",
}
SIDE_SECTIONS = frozenset({"education", "skills", "awards", "certifications", "languages"})
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "resume"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Bullet:
    text: str
    path: str = ""  # where the owner wrote it, for lint and for "what to cut"
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Entry:
    id: str  # stable: "projects/churn-model", "experience.0"
    label: str  # for messages: "project 'Churn model'"
    title: str
    url: str | None = None
    org: str | None = None
    where: str | None = None
    when: str = ""
    links: list[Link] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    detail: str | None = None  # a small line: the skills of a project or role
    # the owner's part in a project ("Solo", "Team of 3, modelling lead"): shown labelled
    # and apart from the title, never run into it as "Title, Solo"
    role: str | None = None


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text): skills, languages

    @property
    def side(self) -> bool:
        return self.key in SIDE_SECTIONS


@dataclass
class Document:
    kind: Kind
    name: str
    headline: str | None
    contact: list[Link]
    sections: list[Section]
    columns: int = 1
    paper: str = "a4"
    font: str = "Libertinus Serif"
    scores: list[select.ProjectScore] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)  # slugs on the document, in order
    # links left out (RS010: a file with no absolute URL), one line each, for stderr
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.name} – {'CV' if self.kind == 'cv' else 'Resume'}"


def short_url(url: str) -> str:
    """What a printed page shows: no scheme, no 'www.', no trailing slash."""
    text = re.sub(r"^(https?://|mailto:)", "", url)
    return text.removeprefix("www.").rstrip("/")


def _contact(cv: CV) -> list[Link]:
    items: list[Link] = []
    if cv.location:
        items.append(Link(cv.location, ""))
    if cv.email:
        items.append(Link(cv.email, f"mailto:{cv.email}"))
    if cv.phone:
        items.append(Link(cv.phone, "tel:" + re.sub(r"[^\d+]", "", cv.phone)))
    for url in cv.links.values():
        items.append(Link(short_url(url), url))
    return items


def cv_projects(cv: CV, portfolio: Portfolio, leave_out: Collection[str] = ()) -> list[Project]:
    """The published write-ups the CV may show (valid, no ``draft: true``, not in
    ``leave_out``): ``include``-d (in that order), not ``exclude``-d."""
    valid = {p.slug: p for p in portfolio.projects if p.is_published and p.slug not in leave_out}
    sel = cv.projects
    if sel.include is not None:
        chosen = [valid[s] for s in sel.include if s in valid]
    else:
        chosen = list(valid.values())
    return [p for p in chosen if p.slug not in sel.exclude]


class _Links:
    """Every link of the document to a file of the repository, resolved one way.

    ``page`` None: the document is read away from the site (a PDF, its HTML or Markdown), so
    a file's link is absolute (:func:`repofolio.published_files.file_url`) or left out with a
    warning (RS010); ``page`` a docs path (``cv.md``): the site's page, where a file the site
    publishes is a relative Markdown link that MkDocs checks under ``--strict``.
    """

    def __init__(self, portfolio: Portfolio, page: str | None, source: str) -> None:
        self.portfolio = portfolio
        self.page = page
        self.source = source
        self.warnings: dict[tuple[str, int, str], Diagnostic] = {}

    def _file(self, rel: str | None, written: str, path: str, line: int) -> str | None:
        if rel is None:
            self._warn(path, line, f"'{written}' leaves the repository; left out")
            return None
        if self.page is not None:
            return published_files.file_href(self.portfolio, rel, self.page, markdown=True)
        found = published_files.file_url(self.portfolio, rel)
        if found.url is None:
            self._warn(path, line, found.problem or f"{rel}: no URL; left out")
        return found.url

    def _warn(self, path: str, line: int, message: str) -> None:
        self.warnings.setdefault(
            (path, line, message), Diagnostic(path, line, 1, "RS010", message, "warning")
        )

    def project_link(self, project: Project, key: str) -> str | None:
        """The project's ``links.KEY``: a URL as written, a file of the project resolved."""
        assert project.meta is not None and project.front is not None
        value = project.meta.links[key]
        if value.strip().lower().startswith(("http://", "https://", "mailto:")):
            return value.strip()
        rel = published_files.link_target(project, value)
        return self._file(rel, value, project.readme_rel, project.front.line_of("links", key))

    def project_links(
        self, project: Project, first: Sequence[str] = (), limit: int | None = None
    ) -> list[tuple[str, str]]:
        """(key, URL) of the links that resolve, the keys in ``first`` first, at most
        ``limit`` (so a link the document would not show anyway is never warned about)."""
        assert project.meta is not None
        keys = [k for k in first if k in project.meta.links]
        keys += [k for k in project.meta.links if k not in keys]
        found: list[tuple[str, str]] = []
        for key in keys:
            if limit is not None and len(found) >= limit:
                break
            url = self.project_link(project, key)
            if url:
                found.append((key, url))
        return found

    def cv_file(self, value: str, line: int) -> str | None:
        from repofolio.resume.refs import cv_file

        return self._file(cv_file(self.source, value), value, self.source, line)

    def project_page(self, project: Project) -> str | None:
        """The project's page on the site: on the site's page a Markdown link to its
        ``index.md`` (MkDocs writes the page's URL, as the gallery's links, and checks it
        under ``--strict``); away from the site its absolute URL, None without a
        ``site-url``."""
        docs_path = f"{published_files.project_docs_dir(project)}/index.md"
        if self.page is not None:
            return posixpath.relpath(docs_path, posixpath.dirname(self.page) or ".")
        return published_files.site_absolute(self.portfolio.config, docs_path)

    def entry_link(
        self,
        url: str | None,
        file: str | None,
        project: Project | None,
        file_line: int,
    ) -> str | None:
        """An award's or a certificate's link: ``url``, else ``file``, else the project."""
        if url:
            return url
        if file:
            return self.cv_file(file, file_line)
        if project is not None:
            page = self.project_page(project)
            if page:
                return page
            links = self.project_links(project, limit=1)
            return links[0][1] if links else None
        return None


def _line(loaded: LoadedCV | None, *path: object) -> int:
    return loaded.line_of(*path) if loaded is not None else 0


def compose(
    cv: CV,
    portfolio: Portfolio,
    cfg: Config,
    *,
    kind: Kind = "resume",
    posting: str | None = None,
    max_projects: int | None = None,
    loaded: LoadedCV | None = None,
    page: str | None = None,
    leave_out: Collection[str] = (),
) -> Document:
    """What the document says; ``posting`` is the job posting's raw text (resume only).

    ``page``: the docs path of the site page that shows it (``cv.md``), so that links to
    files are relative there; None (a PDF, an e-mail) makes every link absolute, and a file
    with no absolute URL (no ``site-url``) is left out with a warning in ``warnings``.
    ``leave_out``: slugs of projects with no page on the site (a secret in the write-up):
    neither shown nor linked.
    """
    rcfg = cfg.resume
    resume = kind == "resume"
    norm = select.normalize(posting) if posting is not None and resume else None
    src = loaded.path if loaded is not None else rcfg.source
    projects = cv_projects(cv, portfolio, leave_out)
    pinned = [s for s in cv.projects.pin if any(p.slug == s for p in projects)]
    scores = select.rank_projects(projects, norm, pinned)
    by_slug = {p.slug: p for p in projects}
    # what thesis, awards and certificates may link: any published write-up (drafts: RS008)
    linkable = {p.slug: p for p in portfolio.projects if p.is_published}
    linkable = {s: p for s, p in linkable.items() if s not in leave_out}
    if resume:
        limit = max_projects if max_projects is not None else rcfg.max_projects
        chosen = [s.slug for s in scores[:limit]]
    elif cv.projects.include is not None:
        chosen = [p.slug for p in projects]
    else:
        chosen = [s.slug for s in scores]

    resolve = _Links(portfolio, page, src)
    exp_limit = rcfg.experience_bullets if resume else 10**6
    proj_limit = rcfg.project_bullets if resume else 10**6
    used: list[str] = []
    sections: dict[str, Section] = {}

    edu = Section("education", SECTION_TITLES["education"])
    for i, e in enumerate(cv.education):
        bullets: list[Bullet] = []
        if e.thesis is not None:
            text = f"Thesis: {e.thesis.title}"
            if e.thesis.result:
                text += f" – {e.thesis.result}"
            bullets.append(Bullet(text, src, _line(loaded, "education", i, "thesis", "title")))
        if e.grade:
            bullets.append(Bullet(e.grade, src, _line(loaded, "education", i, "grade")))
        for j, h in enumerate(e.highlights):
            bullets.append(Bullet(h, src, _line(loaded, "education", i, "highlights", j)))
        if resume:
            bullets = bullets[:2]
        thesis_url = None
        if e.thesis is not None:
            thesis_url = e.thesis.url
            if thesis_url is None and e.thesis.file:
                line = _line(loaded, "education", i, "thesis", "file")
                thesis_url = resolve.cv_file(e.thesis.file, line)
            if thesis_url is None and e.thesis.project in linkable:
                found = resolve.project_links(
                    linkable[e.thesis.project], first=("thesis",), limit=1
                )
                thesis_url = found[0][1] if found else None
        title = f"{e.degree} {e.area}" if e.area else e.degree
        edu.entries.append(
            Entry(
                f"education.{i}",
                f"education '{title}'",
                title,
                org=e.institution,
                where=e.location,
                when=format_period(e.period),
                bullets=bullets,
                links=[Link("thesis", thesis_url)] if thesis_url else [],
            )
        )
    sections["education"] = edu

    exp = Section("experience", SECTION_TITLES["experience"])
    for i, x in enumerate(cv.experience):
        texts = select.pick_bullets(x.highlights, norm, exp_limit)
        bullets = [
            Bullet(t, src, _line(loaded, "experience", i, "highlights", x.highlights.index(t)))
            for t in texts
        ]
        used.extend(x.skills)
        detail = None if resume or not x.skills else " · ".join(select.order_skills(x.skills, norm))
        exp.entries.append(
            Entry(
                f"experience.{i}",
                f"role '{x.position}, {x.company}'",
                x.position,
                url=x.url,
                org=x.company,
                where=x.location,
                when=format_period(x.period),
                bullets=bullets,
                detail=detail,
            )
        )
    sections["experience"] = exp

    proj = Section("projects", SECTION_TITLES["projects"])
    for slug in chosen:
        p = by_slug[slug]
        meta = p.meta
        assert meta is not None and p.front is not None
        results = select.pick_bullets(meta.results, norm, proj_limit)
        bullets = [
            Bullet(r, p.readme_rel, p.front.line_of("results", meta.results.index(r)))
            for r in results
        ]
        if not bullets or not resume:
            bullets.insert(0, Bullet(meta.summary, p.readme_rel, p.front.line_of("summary")))
        used.extend(meta.skills)
        resolved = resolve.project_links(p, limit=1 if resume else None)
        links = [Link(short_url(u) if resume else name, u) for name, u in resolved]
        skills = select.order_skills(meta.skills, norm)
        if resume:
            skills = skills[:6]
        # the title goes to the project's page on the site (the write-up a recruiter opens);
        # with no site to link, to the project's first link, as the link beside it does
        page_url = resolve.project_page(p)
        proj.entries.append(
            Entry(
                f"projects/{slug}",
                f"project '{meta.title}' ({slug})",
                meta.title,
                url=page_url or (resolved[0][1] if resolved else None),
                when=meta.period_label,
                links=links,
                bullets=bullets,
                detail=" · ".join(skills) or None,
                role=meta.role,
            )
        )
    sections["projects"] = proj

    skills_sec = Section("skills", SECTION_TITLES["skills"])
    groups = [
        (g.label, select.order_skills(g.items, norm, used) if resume else list(g.items))
        for g in cv.skills
    ]
    if norm is not None:  # groups with more of the posting's words first
        groups.sort(key=lambda g: -sum(select.mentions(norm, s) for s in g[1]))
    skills_sec.lines = [(label, ", ".join(items)) for label, items in groups]
    sections["skills"] = skills_sec

    awards = Section("awards", SECTION_TITLES["awards"])
    for i, a in enumerate(cv.awards):
        project = linkable.get(a.project) if a.project else None
        url = resolve.entry_link(a.url, a.file, project, _line(loaded, "awards", i, "file"))
        bullets = [Bullet(a.detail, src, _line(loaded, "awards", i, "detail"))] if a.detail else []
        awards.entries.append(
            Entry(
                f"awards.{i}",
                f"award '{a.name}'",
                a.name,
                url=url,
                org=a.issuer,
                when=format_date(a.date),
                bullets=bullets,
            )
        )
    sections["awards"] = awards

    certs = Section("certifications", SECTION_TITLES["certifications"])
    for i, c in enumerate(cv.certifications):
        project = linkable.get(c.project) if c.project else None
        url = resolve.entry_link(c.url, c.file, project, _line(loaded, "certifications", i, "file"))
        certs.entries.append(
            Entry(
                f"certifications.{i}",
                f"certification '{c.name}'",
                c.name,
                url=url,
                org=c.issuer,
                when=format_date(c.date),
            )
        )
    sections["certifications"] = certs

    langs = Section("languages", SECTION_TITLES["languages"])
    if cv.languages:
        langs.lines = [("", ", ".join(f"{lang.name} ({lang.level})" for lang in cv.languages))]
    sections["languages"] = langs

    ordered = [sections[k] for k in rcfg.sections if k in sections]
    ordered = [s for s in ordered if s.entries or s.lines]
    return Document(
        kind=kind,
        name=cv.name,
        headline=cv.headline,
        contact=_contact(cv),
        sections=ordered,
        columns=rcfg.columns if resume else 1,
        paper=rcfg.paper,
        font=rcfg.font,
        scores=scores,
        chosen=chosen,
        warnings=sorted(resolve.warnings.values()),
    )


# ---------------------------------------------------------------- templates


def typst_string(value: object) -> str:
    """A Typst string literal: the text is never read as markup, so '#', '*', '$' are safe."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def markdown_text(value: object) -> str:
    text = re.sub(r"\s+", " ", str(value)).strip()
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _environment(cfg: Config) -> jinja2.Environment:
    import jinja2

    folders = []
    if cfg.resume.templates:
        folders.append(str(cfg.root / cfg.resume.templates))
    folders.append(str(TEMPLATES))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        # Typst code uses '{#' and '#}' freely: keep Jinja comments out of its way
        comment_start_string="<#--",
        comment_end_string="--#>",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
    )
    env.filters["ts"] = typst_string
    env.filters["md"] = markdown_text
    env.filters["short_url"] = short_url
    return env


def _render(cfg: Config, name: str, **context: Any) -> str:
    import jinja2

    try:
        return _environment(cfg).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        raise FolioError(f"{where}{f':{line}' if line else ''}: template error: {exc}") from None


def render_typst(doc: Document, cfg: Config) -> str:
    return _render(cfg, "resume.typ.j2", doc=doc)


def render_html(doc: Document, cfg: Config) -> str:
    return _render(cfg, "resume.html.j2", doc=doc)


def render_markdown(doc: Document, cfg: Config, *, pdf_href: str | None = None) -> str:
    return _render(cfg, "resume.md.j2", doc=doc, pdf_href=pdf_href)


def render_cv_markdown(
    cv: CV,
    portfolio: Portfolio,
    cfg: Config,
    *,
    pdf_href: str | None = "cv.pdf",
    page: str | None = "cv.md",
    leave_out: Collection[str] = (),
) -> str:
    """The site's CV page at docs path ``page``: everything, with a download link to the PDF
    at ``pdf_href``; links to project files and pages are relative to ``page`` (None:
    absolute); ``leave_out``: projects with no page on the site (see :func:`compose`)."""
    doc = compose(cv, portfolio, cfg, kind="cv", page=page, leave_out=leave_out)
    return render_markdown(doc, cfg, pdf_href=pdf_href)


# ---------------------------------------------------------------- PDF


@dataclass
class Pdf:
    data: bytes
    pages: int
    source: str  # the Typst source it was made from
    doc: Document


class ResumeTooLong(FolioError):
    """The resume does not fit on one page: a finding the owner fixes, so exit 1."""

    exit_code = 1


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _compiler(source: str, cfg: Config) -> Any:
    import typst

    fonts = [str(cfg.root / p) for p in cfg.resume.font_paths]
    # only the bundled fonts (and the owner's): the same PDF on every machine
    data: bytes = source.encode("utf-8")
    return typst.Compiler(data, root=str(cfg.root), font_paths=fonts, ignore_system_fonts=True)  # type: ignore[misc]


def compile_pdf(source: str, cfg: Config) -> bytes:
    import typst

    try:
        data = _compiler(source, cfg).compile(format="pdf")
    except typst.TypstError as exc:
        raise FolioError(f"typst: {exc.message}\n{exc.diagnostic}".rstrip()) from None
    assert isinstance(data, bytes)
    return data


def spilled_items(source: str, cfg: Config) -> list[str]:
    """Labels of the entries that start after page 1 (markers in the template)."""
    values = json.loads(_compiler(source, cfg).query("<folio-item>", field="value"))
    late = [v for v in values if int(v["page"]) > 1]
    whole = {v["id"].removeprefix("section:") for v in late if v["id"].startswith("section:")}
    # a section that starts on page 2 is named once, not entry by entry
    return [
        v["label"]
        for v in late
        if v["id"].startswith("section:") or re.split(r"[/.]", v["id"])[0] not in whole
    ]


def build_pdf(
    cv: CV,
    portfolio: Portfolio,
    cfg: Config,
    *,
    kind: Kind = "resume",
    posting: str | None = None,
    max_projects: int | None = None,
    loaded: LoadedCV | None = None,
    leave_out: Collection[str] = (),
) -> Pdf:
    """The PDF of the CV or the resume; a resume over one page raises :class:`ResumeTooLong`.
    ``leave_out``: projects with no page on the site (see :func:`compose`)."""
    doc = compose(
        cv,
        portfolio,
        cfg,
        kind=kind,
        posting=posting,
        max_projects=max_projects,
        loaded=loaded,
        leave_out=leave_out,
    )
    source = render_typst(doc, cfg)
    data = compile_pdf(source, cfg)
    pages = page_count(data)
    if kind == "resume" and pages > 1:
        raise ResumeTooLong(_what_to_cut(doc, source, pages, cfg, cv, portfolio, posting, loaded))
    return Pdf(data, pages, source, doc)


def _what_to_cut(
    doc: Document,
    source: str,
    pages: int,
    cfg: Config,
    cv: CV,
    portfolio: Portfolio,
    posting: str | None,
    loaded: LoadedCV | None,
) -> str:
    lines = [f"the resume is {pages} pages; it must fit on one"]
    spilled = spilled_items(source, cfg)
    if spilled:
        lines.append("  on page 2: " + ", ".join(spilled))
    fixes: list[str] = []
    for n in range(len(doc.chosen) - 1, 0, -1):  # fewer projects: would it fit?
        trial = compose(
            cv, portfolio, cfg, kind="resume", posting=posting, max_projects=n, loaded=loaded
        )
        if page_count(compile_pdf(render_typst(trial, cfg), cfg)) == 1:
            dropped = [s for s in doc.chosen if s not in trial.chosen]
            fixes.append(
                f"drop {len(dropped)} project(s) ({', '.join(dropped)}): "
                f"--max-projects {n} fits on one page"
            )
            break
    bullets = [b for s in doc.sections for e in s.entries for b in e.bullets]
    longest = sorted(bullets, key=lambda b: -len(b.text))[:3]
    if longest:
        fixes.append(
            "shorten the longest bullets: "
            + "; ".join(f"{b.where} ({len(b.text)} chars)" for b in longest)
        )
    entries = [e for s in doc.sections for e in s.entries]
    if entries:
        most = max(entries, key=lambda e: len(e.bullets))
        fixes.append(f"cut bullets of {most.label} ({len(most.bullets)} bullets)")
    lines.append("  cut: " + "\n  or ".join(fixes))
    return "\n".join(lines)
