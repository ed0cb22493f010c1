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

from repofolio.published_files import VIDEO_SUFFIXES
from repofolio.published_files import relative_href as href

if TYPE_CHECKING:
    import jinja2

    from repofolio.config import Config
    from repofolio.model import JournalEntry, Notebook, Portfolio, Project
    from repofolio.site.convert import Converted
    from repofolio.site.inputs import SiteInputs

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
    pdf_covers: dict[str, str] = field(default_factory=dict)  # slug -> its PDF cover's docs path

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
        if p.meta is not None and (drafts or p.is_published) and p.readme_rel not in withheld
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
    taken = set(m.values())
    for project in projects:
        cover = model.inputs.pdf_covers.get(project.slug)
        if cover is None or cover.pdf not in m:  # the PDF itself is kept out: no cover of it
            continue
        stem = m[cover.pdf][: -len(".pdf")]
        path, n = f"{stem}-page-1.webp", 2
        while path in taken:  # a file of the project's own by that name
            path, n = f"{stem}-page-1-{n}.webp", n + 1
        taken.add(path)
        model.pdf_covers[project.slug] = path


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


def card_cover(model: SiteModel, project: Project, page: str) -> dict[str, Any] | None:
    """The picture of a project's card and page: its ``cover:`` image, else (a research
    project) page 1 of its PDF, rendered by the inputs; links relative to ``page``."""
    rel = cover_rel(project)
    if rel is not None:
        docs_cover = model.docs_map.get(rel)
        if docs_cover is None:
            return None
        size = model.inputs.image_sizes.get(rel)
        return {
            "src": href(page, docs_cover),
            "docs_path": docs_cover,
            "width": size[0] if size else None,
            "height": size[1] if size else None,
            "pdf": None,
            # a no-code project's cover is a photo: it fills the card's box (cropped, as its
            # page's grid crops), where a plot is shown whole on white
            "photo": project.kind == "no-code",
        }
    docs_cover = model.pdf_covers.get(project.slug)
    pdf = model.inputs.pdf_covers.get(project.slug)
    if docs_cover is None or pdf is None:
        return None
    return {
        "src": href(page, docs_cover),
        "docs_path": docs_cover,
        "width": pdf.width,
        "height": pdf.height,
        "pdf": href(page, model.docs_map[pdf.pdf]),
        "pdf_name": posixpath.basename(pdf.pdf),
        "photo": False,
    }


def buttons(
    model: SiteModel, project: Project, page: str, leave_out: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """One button per target (:func:`repofolio.published_files.project_buttons`): the
    ``links:`` and the PDFs this site publishes, links relative to ``page``. A file the site
    keeps out (a secret in it, a symlink out of the repository) is linked on ``repo-url``."""
    from repofolio.published_files import project_buttons, repo_blob_url, repo_path

    portfolio = model.portfolio
    pdfs = [
        f
        for f in portfolio.project_files(project)
        if f.lower().endswith(".pdf") and f in model.docs_map
    ]
    kept_out = model.inputs.withheld.keys() | model.inputs.outside
    out = []
    for b in project_buttons(portfolio, project, page, leave_out=leave_out, pdfs=pdfs):
        url = b.href
        is_file = repo_path("", b.target) is not None
        if is_file and b.target in kept_out and not _ABSOLUTE.match(url):
            if not model.cfg.repo_url:
                continue
            url = repo_blob_url(model.cfg, b.target)
        out.append(
            {
                "label": b.label,
                "url": url,
                "primary": b.primary,
                "download": b.download and not _ABSOLUTE.match(url),
            }
        )
    return out


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
CARD_BUTTONS = 3  # a card is read in seconds: its first links, the rest on the page


def card(model: SiteModel, project: Project, page: str, heading: int = 2) -> dict[str, Any]:
    """What a gallery card shows, with links relative to ``page``."""
    meta = project.meta
    assert meta is not None
    base = project_dir(project)
    return {
        "slug": project.slug,
        "title": meta.title,
        "summary": meta.summary,
        "url": href(page, f"{base}/index.md"),
        "cover": card_cover(model, project, page),
        "period": meta.period_label,
        "tags": [{"name": t, "url": href(page, "tags.md") + "#" + tag_slug(t)} for t in meta.tags],
        "status": model.run_status(project),
        "draft": meta.draft,
        "result": meta.results[0] if meta.results else None,
        "heading": heading,
        "buttons": buttons(model, project, page)[:CARD_BUTTONS],
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
    source = project.front.body if project.front is not None else (project.text or "")
    source = H1.sub("", source, count=1)
    body = rewrite_links(model, source, project.readme_rel, page)
    shown = linked_files(project, source)
    videos = project_videos(model, project, page, shown)
    photos = project_photos(model, project, page, shown) if meta.kind == "no-code" else []
    if meta.kind == "snippet":
        body = with_code(body, snippet_code(model, project, page))
    cover = card_cover(model, project, page)
    slug_cover = model.pdf_covers.get(project.slug)
    pdf_cover = model.inputs.pdf_covers.get(project.slug)
    if slug_cover is not None and pdf_cover is not None:
        pages.append(Page(slug_cover, src=pdf_cover.path))
    image = _absolute(model.cfg, cover["docs_path"]) if cover is not None else None
    description = meta.summary
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
                # the page shows a cover made of the PDF (the evidence); a cover: image is
                # the card's and the link preview's (the write-up shows its own figures)
                cover=cover if cover is not None and cover["pdf"] else None,
                links=buttons(model, project, page, [v["key"] for v in videos if v["key"]]),
                videos=videos,
                photos=photos,
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


def linked_files(project: Project, text: str) -> set[str]:
    """The repository paths the write-up's Markdown links or shows (outside fenced code)."""
    out = set()
    for part, fenced in _split_fences(text):
        if fenced:
            continue
        for m in MD_LINK.finditer(part):
            target = m.group(3)
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", target):
                continue
            path = _unquote(target.partition("#")[0].split("?", 1)[0])
            if path:
                out.add(posixpath.normpath(posixpath.join(project.rel, path)))
        for m in re.finditer(r"""\bsrc=["']([^"':]+)["']""", part):
            out.add(posixpath.normpath(posixpath.join(project.rel, _unquote(m[1]))))
    return out


def project_videos(
    model: SiteModel, project: Project, page: str, shown: set[str]
) -> list[dict[str, str]]:
    """The players a project page embeds: each YouTube or Vimeo link and video file of its
    ``links:``, in their order, then the video files of its folder that neither ``links:``
    nor the text shows. ``key`` names the link (its button is left out: the player is it)."""
    from repofolio.published_files import is_video_link, link_label

    meta = project.meta
    assert meta is not None
    out: list[dict[str, str]] = []
    linked: set[str] = set()
    for key, value in meta.links.items():
        if not is_video_link(value.strip()):
            continue
        label = link_label(meta.kind, key, value.strip())
        embed = video_embed(model, project, value.strip(), page)
        if embed is None:
            continue
        if embed["kind"] == "file":
            linked.add(posixpath.normpath(f"{project.rel}/{value.strip()}"))
        out.append(embed | {"key": key, "label": label, "title": f"{label}: {meta.title}"})
    for f in sorted(model.portfolio.project_files(project)):
        if not f.lower().endswith(VIDEO_SUFFIXES) or f in linked or f in shown:
            continue
        docs_path = model.docs_map.get(f)
        if docs_path is None:
            continue
        name = _pdf_label(Path(f).stem)
        url = href(page, docs_path)
        title = f"{name} (video): {meta.title}"
        out.append(
            {"kind": "file", "src": url, "url": url, "key": "", "label": name, "title": title}
        )
    return out


def project_photos(
    model: SiteModel, project: Project, page: str, shown: set[str]
) -> list[dict[str, Any]]:
    """A no-code project's photos for its gallery: the images of its folder the site
    publishes, in name order, except those the write-up shows itself; alt text from the
    file name ("02-rig-front.jpg": "Rig front": a number that orders them is no word)."""
    from repofolio.site.inputs import PHOTO_SUFFIXES

    out = []
    for f in sorted(model.portfolio.project_files(project)):
        docs_path = model.docs_map.get(f)
        if docs_path is None or f in shown or Path(f).suffix.lower() not in PHOTO_SUFFIXES:
            continue
        size = model.inputs.image_sizes.get(f)
        out.append(
            {
                "src": href(page, docs_path),
                "alt": _pdf_label(re.sub(r"^\d+[-_. ]+(?=\D)", "", Path(f).stem)),
                "width": size[0] if size else None,
                "height": size[1] if size else None,
            }
        )
    return out


def snippet_code(model: SiteModel, project: Project, page: str) -> list[dict[str, Any]]:
    """A snippet's files as its page shows them: the text (read by the inputs; a file too
    large or not UTF-8 has none), the language of its highlighted block, a download link."""
    from repofolio.kinds import CODE_LANGUAGES
    from repofolio.published_files import file_href
    from repofolio.site.inputs import snippet_files

    kept_out = model.inputs.withheld.keys() | model.inputs.outside
    out = []
    for rel in snippet_files(model.portfolio, project):
        if rel in kept_out:
            continue
        download = model.docs_map.get(rel)
        url = href(page, download) if download else file_href(model.portfolio, rel, page)
        out.append(
            {
                "name": rel[len(project.rel) + 1 :],
                "lang": CODE_LANGUAGES[Path(rel).suffix],
                "text": model.inputs.code.get(rel),
                "url": url,
                "download": url is not None and not _ABSOLUTE.match(url),
            }
        )
    return out


def with_code(body: str, files: Sequence[Mapping[str, Any]]) -> str:
    """The write-up with its snippet's code at the end of its ``## Code`` section (a section
    of that name added at the end when there is none)."""
    if not files:
        return body
    blocks = []
    for f in files:
        parts = []
        text = f["text"]
        if text is not None:
            runs = [len(m[0]) for m in re.finditer(r"^[ \t]*(`{3,}|~{3,})", text, re.M)]
            fence = "`" * max(3, max(runs, default=0) + 1)
            title = f["name"].replace('"', "'")
            code = text if text.endswith("\n") else text + "\n"
            parts.append(f'{fence} {f["lang"]} title="{title}"\n{code}{fence}')
        if f["url"]:
            attr = " download" if f["download"] else ""
            parts.append(
                f'<p class="folio-download"><a class="md-button" href="{_esc(f["url"])}"{attr}>'
                f"Download {_esc(f['name'])}</a></p>"
            )
        blocks.append("\n\n".join(parts))
    code = "\n\n".join(blocks)
    pieces = _split_fences(body)
    offset = 0
    start = None
    for part, fenced in pieces:  # the Code heading and the next one, outside fenced code
        if not fenced:
            for m in re.finditer(r"^##[ \t]+(.+?)[ \t#]*$", part, re.M):
                if start is None and m[1].strip().lower() == "code":
                    start = offset + m.end()
                elif start is not None:
                    end = offset + m.start()
                    return body[:end].rstrip("\n") + "\n\n" + code + "\n\n" + body[end:]
        offset += len(part)
    if start is None:
        return body.rstrip("\n") + "\n\n## Code\n\n" + code + "\n"
    return body.rstrip("\n") + "\n\n" + code + "\n"


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
    """An embeddable player for a YouTube or Vimeo link or a video file in the project:
    YouTube from youtube-nocookie.com (no cookie until the visitor plays it, a start time
    kept), Vimeo with ``dnt=1`` (no tracking)."""
    if not url:
        return None
    if m := YOUTUBE.match(url):
        start = _start_seconds(url)
        src = f"https://www.youtube-nocookie.com/embed/{m[1]}" + (
            f"?start={start}" if start else ""
        )
        return {"kind": "iframe", "src": src, "url": url, "host": "YouTube"}
    if m := VIMEO.match(url):
        src = f"https://player.vimeo.com/video/{m[1]}?dnt=1"
        return {"kind": "iframe", "src": src, "url": url, "host": "Vimeo"}
    if url.lower().endswith(VIDEO_SUFFIXES) and not re.match(r"^[a-z]+:", url):
        target = posixpath.normpath(f"{project.rel}/{url}")
        docs_path = model.docs_map.get(target)
        if docs_path is not None:
            return {"kind": "file", "src": href(page, docs_path), "url": href(page, docs_path)}
        return None  # not in the repository (LK001), or kept out of the site
    if url.lower().endswith(VIDEO_SUFFIXES):
        return {"kind": "file", "src": url, "url": url}
    return None


def _start_seconds(url: str) -> int:
    """``t=90``, ``t=1m30s`` or ``start=90`` of a YouTube link, in seconds (0: none)."""
    m = re.search(r"[?&#](?:t|start)=(?:(\d+)h)?(?:(\d+)m)?(\d+)?s?(?:&|$)", url)
    if m is None:
        return 0
    h, mins, secs = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mins * 60 + secs


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
        draft=DRAFT_NOTICE.format(what=project.readme_rel) if meta.draft else None,
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
    if cfg.headline and " ".join(intro.split()) == " ".join(cfg.headline.split()):
        # folio init writes the headline under the H1 of docs/index.md; the lead already
        # shows it, and twice in a row was the first thing a visitor read
        intro = ""
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
        title = journal.publishable(journal.entry_title(entry), cfg)
        out.append(
            {
                "title": title,
                # no date after a title that is the date (`folio journal add`'s title, or
                # entry_title's fallback)
                "date": (
                    day.strftime("%d %b %Y")
                    if day and title not in (journal.default_title(day), day.isoformat())
                    else ""
                ),
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
    # no navigation column: on a laptop it held one link, "CV" (the tabs on top have it),
    # and pushed the CV right of where a project page's text starts; its contents stay
    front = {"title": "CV", "description": description, "hide": ["navigation"]}
    head = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items()) + "---\n\n"
    if cv.draft:  # only `folio serve` shows a draft
        head += DRAFT_NOTICE.format(what="cv.yaml") + "\n\n"
    return [
        Page("cv.md", head + cv.markdown, meta=_preview("CV", description)),
        Page("cv.pdf", cv.pdf),
    ]
