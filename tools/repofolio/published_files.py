"""Where a repository file is published, and the one list of buttons a project page shows.

One mapping for every output, so a link to a project file (a thesis PDF, slides, data) goes
to the same place on the project page, the gallery, the CV page, and in the resume's PDF:

- :func:`published_path`: the docs path the site publishes a repository file under
  (``projects/<slug>/<path inside the project>`` for a published project's files,
  the page of a notebook, a file of ``docs/`` as itself), or None when the site does not;
- :func:`file_url`: the file's **absolute** URL, for a PDF that is e-mailed (``site-url`` +
  the published path; a file the site does not publish: its page on ``repo-url``), or why
  there is none;
- :func:`file_href`: the link to write on a site page (relative to that page);
- :func:`project_buttons`: a project's ``links:`` and its PDFs merged into one button per
  target, labelled by the project's kind ("Thesis (PDF)", "Slides", "Talk (video)").

Light on purpose (no model load, no mkdocs): ``folio resume`` and the site both import it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from repofolio.kinds import CODE_LANGUAGES

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import Portfolio, Project

# The files of a project the site copies beside its page (images, documents, media, data);
# other files (code) are linked on the repository. The one list (the site, the resume, the CV).
PUBLISHED_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".avif",
        ".pdf",
        ".mp4",
        ".webm",
        ".ogg",
        ".mp3",
        ".csv",
    }
)
# A snippet (``kind: snippet``) is one or a few small source files: the site publishes them
# beside its page (shown, and downloaded from the site), not only linked on the repository.
SNIPPET_SUFFIXES = frozenset(CODE_LANGUAGES)  # what its page shows highlighted
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogg")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE = "/#:.-_~%"


def project_docs_dir(project: Project) -> str:
    """The folder of a project on the site: ``projects/<slug>`` (whatever ``projects-dir``)."""
    return f"projects/{project.slug}"


def is_published_file(project: Project, inner: str) -> bool:
    """Whether the site copies the project's file at ``inner`` (a path inside the project's
    folder) beside its page: images, documents, media, data (:data:`PUBLISHED_SUFFIXES`), a
    snippet's source files (:data:`SNIPPET_SUFFIXES`); never one in a hidden folder."""
    if "/." in f"/{inner}":
        return False
    suffix = posixpath.splitext(inner)[1]
    if suffix.lower() in PUBLISHED_SUFFIXES:
        return True
    return project.meta is not None and project.kind == "snippet" and suffix in SNIPPET_SUFFIXES


def link_target(project: Project, target: str) -> str | None:
    """The repository path a relative link of the write-up names (``thesis.pdf`` ->
    ``projects/msc-thesis/thesis.pdf``), without its ``#fragment`` or ``?query``; None for a
    URL, a ``mailto:``, an anchor, or a path that leaves the repository."""
    return repo_path(project.rel, target)


def repo_path(base: str, target: str) -> str | None:
    """``target`` (a relative link, or ``/path`` from the repository root) seen from the
    repository folder ``base``, normalized; None for a URL, an anchor, or out of the tree."""
    target = target.strip()
    if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
    norm = posixpath.normpath(joined)
    if norm == ".." or norm.startswith("../") or norm.startswith("/"):
        return None
    return "" if norm == "." else norm


def owning_project(portfolio: Portfolio, repo_rel: str) -> Project | None:
    """The project whose folder holds ``repo_rel`` (its README and files)."""
    for project in portfolio.projects:
        if repo_rel == project.rel or repo_rel.startswith(project.rel + "/"):
            return project
    return None


def published_path(portfolio: Portfolio, repo_rel: str) -> str | None:
    """The docs path under which the site publishes the repository file ``repo_rel``, or None.

    A published project (valid, no ``draft: true``) publishes its README as
    ``projects/<slug>/index.md``, each notebook as a page beside it, and its images,
    documents, media and a snippet's code (:func:`is_published_file`: not in a hidden
    folder, no symlink out of the repository) as ``projects/<slug>/<path inside the
    project>``; a file of
    ``docs/`` is published as itself. Only files the repository has count.
    """
    cfg = portfolio.config
    project = owning_project(portfolio, repo_rel)
    if project is not None:
        if not project.is_published:
            return None
        base = project_docs_dir(project)
        if repo_rel in (project.rel, project.readme_rel):
            return f"{base}/index.md"
        inner = repo_rel[len(project.rel) + 1 :]
        if "/." in f"/{inner}" or repo_rel not in _file_set(portfolio, project):
            return None
        suffix = posixpath.splitext(repo_rel)[1].lower()
        if suffix == ".ipynb":
            return f"{base}/{inner[: -len('.ipynb')]}.md"
        if not is_published_file(project, inner) or not _inside(cfg, repo_rel):
            return None
        return f"{base}/{inner}"
    docs = cfg.site.docs_dir.strip("/") + "/"
    if repo_rel.startswith(docs) and (cfg.root / repo_rel).is_file() and _inside(cfg, repo_rel):
        return repo_rel[len(docs) :]
    return None


def page_url(docs_path: str) -> str:
    """The URL path of a docs path: a page ``a/b.md`` is ``a/b/``, ``a/index.md`` is ``a/``
    (MkDocs' directory URLs); any other file is itself."""
    if not docs_path.endswith(".md"):
        return docs_path
    stem = docs_path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass(frozen=True)
class FileUrl:
    """Where a link to a repository file goes: ``url`` (absolute), or ``problem`` saying why
    there is none (one line, naming the file)."""

    repo_rel: str
    docs_path: str | None  # where the site publishes it, if it does
    url: str | None
    problem: str | None = None


def file_url(portfolio: Portfolio, repo_rel: str) -> FileUrl:
    """The absolute URL of a repository file, for a document read away from the site (the
    resume and CV PDFs, their HTML and Markdown): ``site-url`` + :func:`published_path`; a
    file the site does not publish: its page on ``repo-url`` (GitHub shows it); else none,
    with the reason."""
    cfg = portfolio.config
    if not _exists(portfolio, repo_rel):
        return FileUrl(repo_rel, None, None, f"{repo_rel} does not exist")
    docs_path = published_path(portfolio, repo_rel)
    if docs_path is not None:
        if cfg.site_url:
            return FileUrl(repo_rel, docs_path, site_absolute(cfg, docs_path))
        return FileUrl(
            repo_rel,
            docs_path,
            None,
            f"{repo_rel}: no site-url in [tool.folio] to link it at; left out",
        )
    if cfg.repo_url:
        return FileUrl(repo_rel, None, repo_blob_url(cfg, repo_rel))
    return FileUrl(
        repo_rel,
        None,
        None,
        f"{repo_rel}: not on the site and no repo-url in [tool.folio] to link it at; left out",
    )


def file_href(
    portfolio: Portfolio, repo_rel: str, page: str, *, markdown: bool = False
) -> str | None:
    """The link to ``repo_rel`` on the site page ``page`` (a docs path such as ``cv.md``):
    relative when the site publishes the file, else its absolute URL on ``repo-url``, else
    None. ``markdown``: for a Markdown link, which MkDocs resolves from the page's file
    (``projects/a/thesis.pdf`` from ``cv.md``) and checks under ``--strict``; otherwise for
    raw HTML, resolved from the page's URL (``../projects/a/thesis.pdf`` from ``/cv/``)."""
    docs_path = published_path(portfolio, repo_rel)
    if docs_path is not None:
        if markdown:
            return quote(posixpath.relpath(docs_path, posixpath.dirname(page) or "."), safe=_SAFE)
        return relative_href(page, docs_path)
    if _exists(portfolio, repo_rel) and portfolio.config.repo_url:
        return repo_blob_url(portfolio.config, repo_rel)
    return None


def site_absolute(cfg: Config, docs_path: str) -> str | None:
    """``site-url`` + the URL path of ``docs_path``; None without a ``site-url``."""
    if not cfg.site_url:
        return None
    return cfg.site_url.rstrip("/") + "/" + quote(page_url(docs_path), safe=_SAFE)


def repo_blob_url(cfg: Config, repo_rel: str) -> str:
    """The file's page on ``repo-url`` (``.../blob/<branch>/<path>``; a folder: ``tree``)."""
    assert cfg.repo_url
    kind = "blob" if "." in posixpath.basename(repo_rel) else "tree"
    branch = cfg.site.repo_branch
    return f"{cfg.repo_url.rstrip('/')}/{kind}/{branch}/{quote(repo_rel, safe=_SAFE)}"


def relative_href(from_page: str, to: str) -> str:
    """A relative link for raw HTML on the docs page ``from_page`` to the docs path ``to``,
    with directory URLs (``projects/a/index.md`` is served at ``projects/a/``)."""
    src = page_url(from_page).rstrip("/")
    dst = page_url(to)
    rel_url = posixpath.relpath(dst or ".", src or ".")
    if dst.endswith("/") or dst == "":
        rel_url = rel_url.rstrip("/") + "/"
        if rel_url == "./":
            return "./"
    return quote(rel_url, safe=_SAFE)


def _file_set(portfolio: Portfolio, project: Project) -> frozenset[str]:
    return frozenset(portfolio.project_files(project))


def _exists(portfolio: Portfolio, repo_rel: str) -> bool:
    project = owning_project(portfolio, repo_rel)
    if project is not None:
        return repo_rel in _file_set(portfolio, project) or repo_rel in (
            project.rel,
            project.readme_rel,
        )
    return (portfolio.config.root / repo_rel).is_file() and _inside(portfolio.config, repo_rel)


def _inside(cfg: Config, repo_rel: str) -> bool:
    root = os.path.realpath(cfg.root)
    real = os.path.realpath(cfg.root / repo_rel)
    return real == root or real.startswith(root + os.sep)


# -- buttons ---------------------------------------------------------------------------------

# What a link's key says it is ("repo: https://..." -> "Code"); keys not here are title-cased.
LINK_LABELS = {
    "repo": "Code",
    "code": "Code",
    "github": "Code",
    "source": "Code",
    "demo": "Live demo",
    "app": "Live demo",
    "paper": "Paper",
    "thesis": "Thesis",
    "report": "Report",
    "kaggle": "Kaggle",
    "slides": "Slides",
    "deck": "Slides",
    "poster": "Poster",
    "blog": "Blog post",
    "post": "Blog post",
    "docs": "Docs",
    "dataset": "Dataset",
    "data": "Dataset",
    "video": "Video",
    "talk": "Talk",
    "recording": "Recording",
    "huggingface": "Hugging Face",
    "certificate": "Certificate",
}
# A kind's own words for some keys: a research project's video is its talk.
KIND_LABELS = {
    ("research", "video"): "Talk (video)",
    ("research", "talk"): "Talk (video)",
    ("research", "recording"): "Talk (video)",
    ("no-code", "video"): "Video",
}
_VIDEO_HOSTS = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:youtube\.com|youtu\.be|vimeo\.com)/", re.I
)


@dataclass(frozen=True)
class Button:
    """One button of a project page: ``href`` relative to the page (a file the site
    publishes) or absolute; ``key`` is the ``links:`` key (``""`` for a PDF of the folder);
    ``download`` for a file the reader saves (a PDF, data)."""

    label: str
    href: str
    key: str
    primary: bool = False
    download: bool = False
    target: str = ""  # what it resolves to: a repository path, or the URL itself


def project_buttons(
    portfolio: Portfolio,
    project: Project,
    page: str | None = None,
    *,
    leave_out: Collection[str] = (),
    pdfs: Sequence[str] | None = None,
) -> list[Button]:
    """A project's ``links:`` (in their order) then its PDFs, one button per target.

    A link and a PDF that name the same file are one button ("Thesis (PDF)", not "Thesis"
    and "Thesis (PDF)"), so are two keys with the same URL. Labels come from the key and the
    project's kind (:data:`KIND_LABELS`, :data:`LINK_LABELS`; a PDF gets " (PDF)", a video
    file or a YouTube/Vimeo link " (video)"), a PDF no link names is labelled by its file
    name. ``page`` is the docs page the buttons are on (default: the project's page);
    ``leave_out`` names keys the page shows otherwise (``{"video"}`` when it embeds the
    player); ``pdfs`` are repository paths (default: the project's published PDFs). A link
    to a file the repository does not have is no button (``folio check`` reports it, LK).
    The first button is the primary one.
    """
    meta = project.meta
    if meta is None:
        return []
    page = page or f"{project_docs_dir(project)}/index.md"
    kind = meta.kind
    out: list[Button] = []
    seen: set[str] = set()
    for key, value in meta.links.items():
        if key.lower() in {k.lower() for k in leave_out}:
            continue
        rel = link_target(project, value)
        if rel is None:  # a URL
            target = value.strip()
            href = target
            is_file = False
        else:
            found = file_href(portfolio, rel, page)
            if found is None:
                continue
            target, href, is_file = rel, found, True
        if target in seen:
            continue
        seen.add(target)
        out.append(
            Button(
                _label(kind, key, target),
                href,
                key,
                download=is_file and _is_download(target),
                target=target,
            )
        )
    if pdfs is None:
        pdfs = [
            f
            for f in portfolio.project_files(project)
            if f.lower().endswith(".pdf") and published_path(portfolio, f) is not None
        ]
    for rel in pdfs:
        if rel in seen:
            continue
        found = file_href(portfolio, rel, page)
        if found is None:
            continue
        seen.add(rel)
        stem = posixpath.splitext(posixpath.basename(rel))[0]
        name = stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Document"
        out.append(Button(f"{name} (PDF)", found, "", download=True, target=rel))
    if out:
        out[0] = Button(out[0].label, out[0].href, out[0].key, True, out[0].download, out[0].target)
    return out


def link_label(kind: str, key: str, target: str) -> str:
    """What a button (or a player's title) calls the ``links:`` entry ``key: target`` of a
    project of ``kind``: "Thesis (PDF)", "Talk (video)", "Code"."""
    return _label(kind, key, target)


def is_video_link(target: str) -> bool:
    """A YouTube or Vimeo URL, or a video file (``.mp4``, ``.webm``, ``.ogg``)."""
    return bool(_VIDEO_HOSTS.match(target)) or target.lower().split("?", 1)[0].endswith(
        VIDEO_SUFFIXES
    )


def _label(kind: str, key: str, target: str) -> str:
    low = key.lower()
    label = KIND_LABELS.get((kind, low)) or LINK_LABELS.get(low)
    if label is None:
        label = key.replace("-", " ").replace("_", " ").strip().title() or "Link"
    lower = target.lower().split("?", 1)[0]
    if lower.endswith(".pdf") and "(PDF)" not in label:
        label += " (PDF)"
    elif (lower.endswith(VIDEO_SUFFIXES) or _VIDEO_HOSTS.match(target)) and "video" not in (
        label.lower()
    ):
        label += " (video)"
    return label


def _is_download(target: str) -> bool:
    return target.lower().endswith((".pdf", ".csv", ".zip"))


# the links a research project's main document is most likely under, in order
_DOCUMENT_KEYS = ("thesis", "paper", "report", "preprint", "poster", "slides")


def cover_pdf(portfolio: Portfolio, project: Project) -> str | None:
    """The PDF whose first page is the project's cover (``render.pdfcover``): None when the
    front matter names a ``cover:`` image or the project is no research; else the PDF of its
    ``thesis``/``paper``/... link, then of any link, then the first PDF of the folder the site
    publishes."""
    meta = project.meta
    if meta is None or meta.cover or meta.kind != "research":
        return None
    keys = [k for k in _DOCUMENT_KEYS if k in meta.links]
    keys += [k for k in meta.links if k not in keys]
    for key in keys:
        rel = link_target(project, meta.links[key])
        if rel and rel.lower().endswith(".pdf") and published_path(portfolio, rel):
            return rel
    pdfs = [f for f in portfolio.project_files(project) if f.lower().endswith(".pdf")]
    return next((f for f in pdfs if published_path(portfolio, f)), None)
