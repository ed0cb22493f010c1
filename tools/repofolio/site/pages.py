"""The site's pages: a pure function of the Portfolio model and the site's inputs.

``generate(portfolio, inputs)`` returns every generated page (home, gallery, tag index, a page
per project and per notebook, the journal's front page, the CV) and every file they show
(covers, figures, PDFs, notebook outputs) as :class:`Page` objects: a docs-relative path and
either text/bytes or a file to copy. Everything read from disk (conversions, run statuses,
hand-written pages, image sizes, the CV) comes in ``inputs`` (:mod:`repofolio.site.inputs`),
with the problems met reading it: this module opens no file of the portfolio, runs no
nbconvert and imports no mkdocs. The MkDocs adapter (:mod:`repofolio.site.mkdocs`) adds the
pages to a build in memory; ``folio docs --out DIR`` writes them for another builder
(Zensical). Page Markdown comes from the Jinja2 templates in ``templates/``.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import jinja2

    from repofolio.config import Config
    from repofolio.model import JournalEntry, Notebook, Portfolio, Project
    from repofolio.site.convert import Converted
    from repofolio.site.inputs import SiteInputs

VIDEO_SUFFIXES = (".mp4", ".webm", ".ogg")
# [text](target "title") and ![alt](target): the target group is what gets rewritten.
MD_LINK = re.compile(
    r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\]\()(\s*<?)([^)\s>]+)(>?(?:\s+\"[^\"]*\")?\s*\))"
)
FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)
H1 = re.compile(r"\A\s*#\s+[^\n]*\n")
YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{6,})"
)
VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d+)")
LINK_LABELS = {
    "repo": "Code",
    "code": "Code",
    "github": "Code",
    "demo": "Live demo",
    "paper": "Paper",
    "kaggle": "Kaggle",
    "slides": "Slides",
    "blog": "Blog post",
    "docs": "Docs",
    "dataset": "Dataset",
    "data": "Dataset",
    "video": "Video",
    "huggingface": "Hugging Face",
}


# What `folio serve` shows at the top of a draft's page (Material styles its admonitions
# without the extension: the page does not depend on mkdocs.yml's markdown_extensions).
DRAFT_NOTICE = (
    '<div class="admonition warning folio-draft"><p class="admonition-title">Draft</p>'
    "<p>A preview: {what} says <code>draft: true</code>, so the built site leaves this page "
    "out.</p></div>"
)


@dataclass(frozen=True)
class Page:
    """A generated file of the site: ``path`` inside docs, and ``content`` or a file ``src``."""

    path: str
    content: str | bytes | None = None
    src: Path | None = None
    # Notebook pages: the heavy part of ``content`` (code, outputs) that a builder may render
    # once and cache instead of re-parsing it on every build (the mkdocs plugin does).
    body: str | None = None
    # What a link preview of the page shows (its front matter says the same): title,
    # description, and image (an absolute URL) when the page has one.
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")


@dataclass
class SiteModel:
    """What the templates see, computed once per build."""

    portfolio: Portfolio
    cfg: Config
    inputs: SiteInputs
    docs_map: dict[str, str] = field(default_factory=dict)  # repo path -> docs path

    @property
    def converted(self) -> Mapping[str, Converted]:
        return self.inputs.converted

    @property
    def statuses(self) -> Mapping[str, str]:
        return self.inputs.statuses

    @property
    def today(self) -> dt.date:
        return self.inputs.today

    @property
    def journal(self) -> list[JournalEntry]:
        """The journal's entries the site publishes: none that holds a secret."""
        withheld = self.inputs.withheld
        return [e for e in self.portfolio.journal if e.rel not in withheld]

    def run_status(self, project: Project) -> str | None:
        """What the project's run badge says, or None for no badge: nothing runs there
        (``runner.runs.has_badge``); "failing" when one of its notebooks raised."""
        from repofolio.runner.runs import has_badge

        if not has_badge(self.portfolio, project):
            return None
        failures = self.inputs.failures
        if any(nb.rel in failures for nb in self.portfolio.notebooks(project)):
            return "failing"
        return self.statuses.get(project.slug)


def generate(portfolio: Portfolio, inputs: SiteInputs) -> list[Page]:
    """Every generated page and file, in a stable order."""
    model = SiteModel(portfolio, portfolio.config, inputs)
    projects = published_projects(portfolio, inputs)
    projects.sort(key=lambda p: (p.meta.sort_date if p.meta else "", p.slug), reverse=True)
    _map_paths(model, projects)
    pages: list[Page] = []
    for project in projects:
        pages.extend(project_pages(model, project))
    from repofolio.render.badge import badge_svg

    from repofolio.runner.runs import has_badge

    for project in projects:  # the README's run badges point here (render/readme_index.py)
        if has_badge(portfolio, project):  # nothing runs: no badge, not a grey one
            status = model.run_status(project)
            pages.append(Page(f"badges/{project.slug}.svg", badge_svg(status)))
    pages.append(gallery_page(model, projects))
    pages.append(Page("tags.md", render("tags.md.j2")))
    pages.append(home_page(model, projects, inputs.home_text or ""))
    if model.journal or inputs.journal_text is not None:
        pages.append(Page("journal/index.md", journal_page(model, inputs.journal_text)))
    pages.extend(cv_pages(model))
    return pages


# -- what is published -----------------------------------------------------------------------


def published_projects(
    portfolio: Portfolio, inputs: SiteInputs | None = None, *, drafts: bool | None = None
) -> list[Project]:
    """The projects with a page: valid front matter, not a draft (``Project.is_published``;
    drafts too when ``drafts``, or ``inputs.drafts``: ``folio serve``), and not withheld."""
    withheld = inputs.withheld if inputs is not None else {}
    if drafts is None:
        drafts = inputs.drafts if inputs is not None else False
    return [
        p
        for p in portfolio.projects
        if p.meta is not None
        and (drafts or p.is_published)
        and p.readme_rel not in withheld
    ]


def site_notebooks(portfolio: Portfolio, *, drafts: bool = False) -> list[Notebook]:
    """The notebooks the site converts: those of every project with a page."""
    return [
        nb for p in published_projects(portfolio, drafts=drafts) for nb in portfolio.notebooks(p)
    ]


def published_files(portfolio: Portfolio, project: Project) -> list[str]:
    """The project's files published as they are (images, PDFs, videos, CSV; a snippet's
    code files too), not in a hidden folder. The inputs leave out those that are symlinks
    out of the repository (and those holding a secret)."""
    from repofolio.published_files import is_published_file

    out = []
    for f in portfolio.project_files(project):
        if is_published_file(project, f[len(project.rel) + 1 :]):
            out.append(f)
    return out


def cover_rel(project: Project) -> str | None:
    """The repository path of the project's cover image, if it has one."""
    if project.meta is None or not project.meta.cover:
        return None
    return posixpath.normpath(f"{project.rel}/{project.meta.cover}")


# -- paths -----------------------------------------------------------------------------------


def project_dir(project: Project) -> str:
    return f"projects/{project.slug}"


def notebook_page(project: Project, nb_rel: str) -> str:
    inner = nb_rel[len(project.rel) + 1 :]
    return f"{project_dir(project)}/{inner[: -len('.ipynb')]}.md"


def _map_paths(model: SiteModel, projects: Sequence[Project]) -> None:
    """Where each repository file lands in the site (README -> index, notebook -> page)."""
    from repofolio.site.convert import files_name

    m = model.docs_map
    portfolio = model.portfolio
    kept_out = model.inputs.outside | model.inputs.withheld.keys()
    for project in projects:
        base = project_dir(project)
        m[project.readme_rel] = f"{base}/index.md"
        m[project.rel] = f"{base}/index.md"
        for f in published_files(portfolio, project):
            if f not in kept_out:
                m[f] = f"{base}/{f[len(project.rel) + 1 :]}"
        for nb in portfolio.notebooks(project):
            conv = model.converted.get(nb.rel)
            if conv is not None and conv.ok and nb.rel not in kept_out:
                nb_page = notebook_page(project, nb.rel)
                m[nb.rel] = nb_page
                out = files_name(nb.rel)
                src_dir, page_out = posixpath.dirname(nb.rel), outputs_dir(nb_page)
                for name in conv.files:  # the Markdown links to <stem>_files/ beside the notebook
                    m[f"{src_dir}/{out}/{name}"] = f"{page_out}/{name}"
    docs = model.cfg.site.docs_dir.strip("/") + "/"
    for f in portfolio.files():
        if f.startswith(docs) and f not in kept_out:
            m[f] = f[len(docs) :]


def _page_url(docs_path: str) -> str:
    if not docs_path.endswith(".md"):
        return docs_path
    stem = docs_path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_page: str, to: str) -> str:
    """A relative link usable in raw HTML from ``from_page`` to the docs path ``to``."""
    src = _page_url(from_page).rstrip("/")
    dst = _page_url(to)
    rel_url = posixpath.relpath(dst or ".", src or ".")
    if dst.endswith("/") or dst == "":
        rel_url = rel_url.rstrip("/") + "/"
        if rel_url == "./":
            return "./"
    return quote(rel_url, safe="/#:.-_~%")


def rewrite_links(model: SiteModel, text: str, src_rel: str, page: str) -> str:
    """Relative links of Markdown from repository file ``src_rel`` shown at docs ``page``."""
    src_dir = posixpath.dirname(src_rel)
    page_dir = posixpath.dirname(page)
    cfg = model.cfg

    def fix(match: re.Match[str]) -> str:
        url = match.group(3)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", url):
            return match.group(0)
        path, sep, frag = url.partition("#")
        path = path.split("?", 1)[0]
        if not path:
            return match.group(0)
        target = posixpath.normpath(posixpath.join(src_dir, _unquote(path)))
        if target.startswith("../"):
            return match.group(0)
        docs_target = model.docs_map.get(target.rstrip("/"))
        if docs_target is not None:
            new = posixpath.relpath(docs_target, page_dir or ".") + (sep + frag if sep else "")
        elif cfg.repo_url:
            kind = "blob" if "." in posixpath.basename(target) else "tree"
            new = f"{cfg.repo_url.rstrip('/')}/{kind}/{cfg.site.repo_branch}/{quote(target)}"
        else:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{quote(new, safe='/#:.-_~%')}{match.group(4)}"

    parts = _split_fences(text)
    return "".join(part if fenced else MD_LINK.sub(fix, part) for part, fenced in parts)


def _unquote(path: str) -> str:
    from urllib.parse import unquote

    return unquote(path)


def _split_fences(text: str) -> list[tuple[str, bool]]:
    """Text cut into (piece, is_code) so links inside fenced code are never rewritten."""
    out: list[tuple[str, bool]] = []
    pos = 0
    fence: str | None = None
    start = 0
    for m in FENCE.finditer(text):
        if fence is None:
            out.append((text[pos : m.start()], False))
            fence, start = m.group(1), m.start()
        elif m.group(1) == fence:
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end + 1
            out.append((text[start:end], True))
            pos, fence = end, None
    if fence is not None:
        out.append((text[start:], True))
    else:
        out.append((text[pos:], False))
    return out


# -- templates -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _environment(override: str | None = None) -> jinja2.Environment:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.PackageLoader("repofolio.site", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["e"] = _esc
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def _esc(value: object) -> str:
    return escape(str(value), quote=True)


def render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


# -- pages -----------------------------------------------------------------------------------


def tag_slug(tag: str) -> str:
    """The anchor mkdocs-material's tags plugin gives a tag (pymdownx slugify, lower case)."""
    return "tag:" + _slugify(tag)


@lru_cache(maxsize=4096)
def _slugify(text: str) -> str:
    from pymdownx.slugs import slugify  # type: ignore[import-untyped]

    return str(slugify(case="lower")(text, "-"))


def card(model: SiteModel, project: Project, page: str, heading: int = 2) -> dict[str, Any]:
    """What a gallery card shows, with links relative to ``page``."""
    meta = project.meta
    assert meta is not None
    base = project_dir(project)
    cover = None
    rel = cover_rel(project)
    if rel is not None:
        docs_cover = model.docs_map.get(rel)
        if docs_cover is not None:
            size = model.inputs.image_sizes.get(rel)
            cover = {
                "src": href(page, docs_cover),
                "width": size[0] if size else None,
                "height": size[1] if size else None,
            }
    return {
        "slug": project.slug,
        "title": meta.title,
        "summary": meta.summary,
        "url": href(page, f"{base}/index.md"),
        "cover": cover,
        "period": meta.period_label,
        "tags": [{"name": t, "url": href(page, "tags.md") + "#" + tag_slug(t)} for t in meta.tags],
        "status": model.run_status(project),
        "draft": meta.draft,
        "result": meta.results[0] if meta.results else None,
        "heading": heading,
    }


def gallery_page(model: SiteModel, projects: Sequence[Project]) -> Page:
    page = "projects/index.md"
    cards = [card(model, p, page) for p in _featured_first(projects)]
    description = f"Projects by {model.cfg.owner}: " + ", ".join(c["title"] for c in cards[:6])
    content = render("gallery.md.j2", cards=cards, owner=model.cfg.owner, description=description)
    return Page(page, content, meta=_preview("Projects", description))


def _featured_first(projects: Sequence[Project]) -> list[Project]:
    def key(p: Project) -> tuple[int, int]:
        rank = p.meta.highlight_rank if p.meta else None
        return (0, rank) if rank is not None else (1, 0)

    return sorted(projects, key=key)  # stable: newest first within each group


def featured(model: SiteModel, projects: Sequence[Project]) -> list[Project]:
    n = model.cfg.site.featured
    chosen = [p for p in _featured_first(projects) if p.meta and p.meta.highlight_rank is not None]
    # a row of three reads as a gallery: top up with the newest when few are highlighted
    rest = [p for p in projects if p not in chosen]
    return (chosen + rest[: max(0, 3 - len(chosen))])[:n]


def project_pages(model: SiteModel, project: Project) -> list[Page]:
    meta = project.meta
    assert meta is not None
    portfolio = model.portfolio
    base = project_dir(project)
    page = f"{base}/index.md"
    pages: list[Page] = []
    files = portfolio.project_files(project)
    for f in files:
        docs_path = model.docs_map.get(f)
        if docs_path is not None and docs_path != page and not f.endswith(".ipynb"):
            pages.append(Page(docs_path, src=model.cfg.root / f))
    notebooks = []
    for nb in portfolio.notebooks(project):
        conv = model.converted.get(nb.rel)
        if conv is None or model.docs_map.get(nb.rel) is None:
            continue  # not converted (reported by the inputs), or withheld
        nb_page = notebook_page(project, nb.rel)
        pages.extend(notebook_files(model, project, nb.rel, conv, nb_page))
        notebooks.append(
            {"title": conv.title or Path(nb.rel).stem, "url": href(page, nb_page), "rel": nb.rel}
        )
    body = project.front.body if project.front is not None else (project.text or "")
    body = H1.sub("", body, count=1)
    body = rewrite_links(model, body, project.readme_rel, page)
    pdfs = [
        {
            "name": Path(f).name,
            "url": href(page, model.docs_map[f]),
            "label": _pdf_label(Path(f).stem),
        }
        for f in files
        if f.lower().endswith(".pdf") and f in model.docs_map
    ]
    links = [
        {
            "label": LINK_LABELS.get(k.lower(), k.replace("-", " ").replace("_", " ").title()),
            "url": v,
            "primary": i == 0,
        }
        for i, (k, v) in enumerate(meta.links.items())
        if k.lower() != "video"
    ]
    description = meta.summary
    cover = card(model, project, page)["cover"]
    image = None
    if cover is not None and meta.cover:
        image = _absolute(model.cfg, f"{base}/{posixpath.normpath(meta.cover)}")
    pages.append(
        Page(
            page,
            render(
                "project.md.j2",
                meta=meta,
                title=meta.title,
                description=description,
                tags=list(meta.tags),
                image=image,
                cover=cover,
                links=links,
                pdfs=pdfs,
                video=video_embed(model, project, meta.links.get("video"), page),
                notebooks=notebooks,
                body=body.strip("\n"),
                status=model.run_status(project),
                draft=DRAFT_NOTICE.format(what=project.readme_rel) if meta.draft else None,
                gallery=href(page, "projects/index.md"),
                skills=list(meta.skills),
                results=list(meta.results),
            ),
            meta=_preview(meta.title, description, image),
        )
    )
    return pages


def _preview(title: str, description: str, image: str | None = None) -> dict[str, str]:
    meta = {"title": title, "description": description}
    if image:
        meta["image"] = image
    return meta


def _pdf_label(stem: str) -> str:
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Document"


def _absolute(cfg: Config, docs_path: str) -> str | None:
    if not cfg.site_url:
        return None
    return cfg.site_url.rstrip("/") + "/" + quote(docs_path)


def video_embed(
    model: SiteModel, project: Project, url: str | None, page: str
) -> dict[str, str] | None:
    """An embeddable player for a YouTube or Vimeo link or a video file in the project."""
    if not url:
        return None
    if m := YOUTUBE.match(url):
        return {
            "kind": "iframe",
            "src": f"https://www.youtube-nocookie.com/embed/{m[1]}",
            "url": url,
        }
    if m := VIMEO.match(url):
        return {"kind": "iframe", "src": f"https://player.vimeo.com/video/{m[1]}?dnt=1", "url": url}
    if url.lower().endswith(VIDEO_SUFFIXES) and not re.match(r"^[a-z]+:", url):
        target = posixpath.normpath(f"{project.rel}/{url}")
        docs_path = model.docs_map.get(target)
        if docs_path is not None:
            return {"kind": "file", "src": href(page, docs_path), "url": href(page, docs_path)}
    if url.lower().endswith(VIDEO_SUFFIXES):
        return {"kind": "file", "src": url, "url": url}
    return None


def outputs_dir(page: str) -> str:
    """Where a notebook page's output images go: the page's own folder (``NAME/`` for
    ``NAME.md``), which a site with directory URLs makes anyway: no folder of their own to
    make and delete on every build, and the page links to them by their bare names."""
    return page[: -len(".md")]


def notebook_files(
    model: SiteModel, project: Project, nb_rel: str, conv: Converted, page: str
) -> list[Page]:
    pages: list[Page] = []
    out_dir = outputs_dir(page)
    if conv.files_dir is not None:
        pages.extend(Page(f"{out_dir}/{name}", src=conv.files_dir / name) for name in conv.files)
    text = rewrite_links(model, conv.markdown, nb_rel, page)
    title = conv.title or Path(nb_rel).stem.replace("-", " ").replace("_", " ").capitalize()
    if not H1.match(text):
        text = f"# {title}\n\n{text}"
    meta = project.meta
    assert meta is not None
    description = f"{title}: a notebook of {meta.title}. {meta.summary}"[:300]
    body = text.strip("\n")
    content = render(
        "notebook.md.j2",
        title=title,
        project_title=meta.title,
        description=description,
        project_url=href(page, f"{project_dir(project)}/index.md"),
        body=body,
        source=_repo_link(model.cfg, nb_rel),
        image=None,
        failure=model.inputs.failures.get(nb_rel),
    )
    pages.append(Page(page, content, body=body, meta=_preview(title, description)))
    return pages


def prose(markdown: str) -> str:
    """Headings and text of a notebook page, without code, outputs, tables and images.

    What a search index needs (the narrative, not 30 KB of output per page), and the same
    headings in the same order, so heading ids agree with the full page.
    """
    keep: list[str] = []
    for part, fenced in _split_fences(markdown):
        if fenced:
            continue
        in_html = False  # an HTML block (an output table) runs to the next blank line
        for line in part.splitlines():
            stripped = line.strip()
            if in_html:
                in_html = bool(stripped)
                continue
            if line.startswith(("    ", "\t")) or stripped.startswith("!["):
                continue
            if stripped.startswith("<") and not stripped.startswith("<!--"):
                in_html = True
                continue
            keep.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip() + "\n"


def _repo_link(cfg: Config, rel: str) -> str | None:
    if not cfg.repo_url:
        return None
    return f"{cfg.repo_url.rstrip('/')}/blob/{cfg.site.repo_branch}/{quote(rel)}"


def home_page(model: SiteModel, projects: Sequence[Project], home_text: str) -> Page:
    from repofolio import frontmatter

    cfg = model.cfg
    fm = frontmatter.parse(home_text) if home_text.startswith("---") else None
    body = fm.body if fm is not None and fm.present else home_text
    body = rewrite_links(model, body, f"{cfg.site.docs_dir}/index.md", "index.md")
    title_match = H1.match(body)
    title = title_match.group(0).strip()[1:].strip() if title_match else cfg.owner
    rest = body[title_match.end() :] if title_match else body
    paragraphs = re.split(r"\n\s*\n", rest.strip(), maxsplit=1)
    intro = paragraphs[0] if paragraphs and paragraphs[0] else ""
    more = paragraphs[1] if len(paragraphs) > 1 else ""
    page = "index.md"
    cards = [card(model, p, page, heading=3) for p in featured(model, projects)]
    journal = latest_entries(model, page)
    streak = None
    if model.journal:
        from repofolio.journal import streaks

        streak = streaks(model.journal, cfg, model.today)
    description = cfg.headline or f"Portfolio of {cfg.owner}"
    content = render(
        "home.md.j2",
        title=title,
        headline=cfg.headline,
        intro=intro.strip(),
        more=more.strip(),
        cards=cards,
        journal=journal,
        streak=streak,
        description=description,
        gallery=href(page, "projects/index.md"),
        count=len(projects),
        journal_url=href(page, "journal/index.md"),
    )
    return Page(page, content, meta=_preview(title, description))


def latest_entries(model: SiteModel, page: str) -> list[dict[str, str]]:
    from repofolio import journal

    cfg = model.cfg
    entries: list[JournalEntry] = journal.latest(model.journal, cfg.journal.latest)
    docs = cfg.site.docs_dir.strip("/") + "/"
    out = []
    for entry in entries:
        if not entry.rel.startswith(docs):
            continue
        day = journal.entry_day(entry)
        out.append(
            {
                "title": journal.publishable(journal.entry_title(entry), cfg),
                "date": day.strftime("%d %b %Y") if day else "",
                "iso": day.isoformat() if day else "",
                "excerpt": journal.excerpt(entry, cfg),
                # a Markdown link to the post's source file: mkdocs resolves the blog's URL
                "link": posixpath.relpath(entry.rel[len(docs) :], posixpath.dirname(page) or "."),
            }
        )
    return out


def journal_page(model: SiteModel, journal_text: str | None) -> str:
    from repofolio import journal

    cfg = model.cfg
    text = journal_text or "# Journal\n"
    entries = model.journal
    stats = journal.stats(entries, cfg, model.today) if entries else None
    streak = journal.streaks(entries, cfg, model.today) if entries else None
    heatmap = journal.heatmap_svg(entries, cfg, model.today, weeks=26) if entries else None
    from repofolio.pipeline.public import weekly_rows  # counts only, from the repository

    return render(
        "journal.md.j2",
        text=text.rstrip("\n"),
        stats=stats,
        streak=streak,
        heatmap=heatmap,
        search_weeks=weekly_rows(cfg, entries),
    )


def cv_pages(model: SiteModel) -> list[Page]:
    cv = model.inputs.cv
    if cv is None:
        return []
    cfg = model.cfg
    description = f"CV of {cfg.owner}"
    front = {"title": "CV", "description": description}
    head = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items()) + "---\n\n"
    if cv.draft:  # only `folio serve` shows a draft
        head += DRAFT_NOTICE.format(what="cv.yaml") + "\n\n"
    return [
        Page("cv.md", head + cv.markdown, meta=_preview("CV", description)),
        Page("cv.pdf", cv.pdf),
    ]
