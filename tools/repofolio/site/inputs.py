"""Everything the site's pages read from disk, read once, with the problems met doing it.

:func:`read_inputs` converts the notebooks (:mod:`repofolio.site.convert`, cached by
content), reads the run statuses of ``folio run``, the hand-written ``docs/index.md`` and
``docs/journal/index.md``, the sizes of the cover images, and builds the CV page and PDF
from ``cv.yaml``. Files that are symlinks out of the repository are never read nor
published. The result, a :class:`SiteInputs`, goes to the pure
:func:`repofolio.site.pages.generate`; its ``diagnostics`` are the site's problems, each
made here and only here:

- ST001 a notebook is not published (invalid, too large, a symlink out of the repository);
- ST002 a notebook is published with a change (upgraded from nbformat 3, long outputs cut);
- ST003 the CV page could not be built from ``cv.yaml``;
- ST004 a file the site would publish is a symlink out of the repository;
- ST005 a research project's PDF could not be rendered as its cover (warning: no cover);
- ST006 a page or file is left out of the site: it holds a secret (an error: ``folio build``
  exits 1). The files scanned are those the site would publish: the hand-written pages and
  the journal, ``cv.yaml``, the write-ups, the notebooks' pages as converted, the project
  files copied as they are (text ones: SVG, CSV, a snippet's code); the rules and the
  baseline are ``folio check``'s (SE001). A withheld write-up or snippet file keeps its
  project out, a withheld journal entry or ``docs/`` file is dropped from the build.

Drafts (``draft: true`` in a write-up or ``cv.yaml``) are left out, unless ``drafts`` is
asked for (``folio serve``: shown, marked as drafts).

Evidence by kind is read here too: page 1 of a research project's PDF rendered as its cover
(:mod:`repofolio.render.pdfcover`, cached in ``.folio-cache/site/covers``), the sizes of a
no-code project's photos (so the gallery does not shift as they load), and the source of a
snippet's files (shown highlighted on its page).

No mkdocs import: ``folio docs`` and other builders use this module too.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from repofolio.diagnostics import Diagnostic

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.model import Portfolio, Project
    from repofolio.site.convert import Converted


@dataclass(frozen=True)
class CvInput:
    """The CV page's Markdown (without front matter) and its PDF."""

    markdown: str
    pdf: bytes
    draft: bool = False  # shown by `folio serve` only


@dataclass(frozen=True)
class PdfCover:
    """Page 1 of ``pdf`` (a repository path) rendered to ``path`` (in the site's cache)."""

    pdf: str
    path: Path
    width: int
    height: int


# A snippet's file is shown on its page up to this size; a larger one only gets its download
# button (a snippet is one or a few small files: `folio new` guesses one under 400 lines).
MAX_SNIPPET_BYTES = 100_000
MAX_SNIPPET_FILES = 5
PDF_COVER_WIDTH = 800  # px: sharp on a card 400 CSS px wide at 2x, about 40 KB of WebP
PHOTO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})


@dataclass(frozen=True)
class SiteInputs:
    """What the pages need besides the Portfolio model: all of it read from disk here."""

    today: dt.date
    converted: Mapping[str, Converted] = field(default_factory=dict)  # notebook rel -> result
    statuses: Mapping[str, str] = field(default_factory=dict)  # project slug -> run status
    home_text: str | None = None  # docs/index.md as written
    journal_text: str | None = None  # docs/journal/index.md as written
    image_sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # repo rel -> w, h
    cv: CvInput | None = None
    drafts: bool = False  # drafts are shown, marked as such (`folio serve`)
    pdf_covers: Mapping[str, PdfCover] = field(default_factory=dict)  # project slug -> cover
    code: Mapping[str, str] = field(default_factory=dict)  # a snippet's file (repo rel) -> text
    outside: frozenset[str] = frozenset()  # published files that are symlinks out of the repo
    # repository files whose pages (or the file itself) are kept out of the site, and why;
    # a project's README here keeps the whole project out
    withheld: Mapping[str, str] = field(default_factory=dict)
    # notebook rel -> why its page says it failed (the run report, else its error outputs)
    failures: Mapping[str, Failure] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A notebook that raised: the cell (as Jupyter numbers them), what it raised, and who
    saw it: ``folio run`` (the run report) or the error outputs saved in the notebook."""

    cell: int | None
    text: str  # "cell 3 raised ZeroDivisionError: division by zero"
    seen: str  # "folio run" | "saved outputs"


def read_inputs(
    portfolio: Portfolio,
    *,
    progress: Callable[[str], None] | None = None,
    with_cv: bool = True,
    today: dt.date | None = None,
    drafts: bool = False,
) -> SiteInputs:
    """Read what the pages need; ``progress(rel)`` is called as each notebook is converted.
    ``drafts``: the write-ups and the CV marked ``draft: true`` are shown (``folio serve``)."""
    from repofolio.site.pages import cover_rel, published_files, published_projects

    cfg = portfolio.config
    diagnostics: list[Diagnostic] = []
    converted = convert_notebooks(portfolio, progress, drafts=drafts)
    for conv in sorted(converted.values(), key=lambda c: c.rel):
        if not conv.ok:
            message = f"notebook not published: {conv.error}"
            diagnostics.append(Diagnostic(conv.rel, 0, 0, "ST001", message))
        diagnostics.extend(Diagnostic(conv.rel, 0, 0, "ST002", w, "warning") for w in conv.warnings)
    outside: set[str] = set()
    sizes: dict[str, tuple[int, int]] = {}
    projects = published_projects(portfolio, drafts=drafts)
    for project in projects:
        files = published_files(portfolio, project)
        for rel in files:
            if _leaves_repo(cfg.root, rel):
                outside.add(rel)
                message = "symlink leaves the repository; not published"
                diagnostics.append(Diagnostic(rel, 0, 0, "ST004", message))
        shown = [cover_rel(project)]
        if project.meta is not None and project.meta.kind == "no-code":
            shown += [f for f in files if Path(f).suffix.lower() in PHOTO_SUFFIXES]
        for image in shown:
            if image is not None and image in files and image not in outside:
                size = image_size(cfg.root / image)
                if size is not None:
                    sizes[image] = size
    covers, problems = render_pdf_covers(portfolio, outside, drafts=drafts)
    diagnostics.extend(problems)
    withheld, problems = withhold_secrets(portfolio, projects, converted, outside)
    diagnostics.extend(problems)
    cv = None
    if with_cv and cfg.resume.source not in withheld:
        # a write-up with a secret has no page: the CV neither shows it nor links it
        no_page = [p.slug for p in projects if p.readme_rel in withheld]
        cv, problem = read_cv(portfolio, drafts=drafts, leave_out=no_page)
        if problem is not None:
            diagnostics.append(problem)
    from repofolio.journal import prepare_redaction

    prepare_redaction(cfg)  # the names and the redaction cache, read before the pages are made
    docs = cfg.root / cfg.site.docs_dir
    home, journal = docs / "index.md", docs / "journal" / "index.md"
    return SiteInputs(
        today=today or build_day(),
        converted=converted,
        statuses=read_statuses(cfg),
        home_text=None if _rel(cfg, home) in withheld else _read(home),
        journal_text=None if _rel(cfg, journal) in withheld else _read(journal),
        image_sizes=sizes,
        cv=cv,
        drafts=drafts,
        pdf_covers=covers,
        code=read_snippets(portfolio, drafts=drafts),
        outside=frozenset(outside),
        withheld=withheld,
        failures=read_failures(cfg, converted),
        diagnostics=tuple(diagnostics),
    )


# What of a project's copied files is text a secret could be read from.
TEXT_SUFFIXES = (".svg", ".csv")


def withhold_secrets(
    portfolio: Portfolio,
    projects: Sequence[Project],
    converted: Mapping[str, Converted],
    outside: Collection[str] = (),
) -> tuple[dict[str, str], list[Diagnostic]]:
    """The files the site must leave out because they hold a secret (path -> why), and an
    ST006 error for each, at the first secret's line: what the site would publish of every
    file, scanned with ``folio check``'s rules and baseline (SE001)."""
    from repofolio.checks.published import find_secrets, published_secrets
    from repofolio.published_files import SNIPPET_SUFFIXES
    from repofolio.site.pages import published_files

    cfg = portfolio.config
    found = {
        rel: hits
        for rel, hits in published_secrets(portfolio, cfg).items()
        if rel != cfg.index.readme  # on GitHub, not on the site: SE001 is folio check's
    }
    texts: dict[str, str | None] = {}
    snippets: dict[str, str] = {}  # a snippet's file -> its write-up (the page shows the file)
    for project in projects:
        texts[project.readme_rel] = project.text
        for rel in published_files(portfolio, project):
            suffix = Path(rel).suffix
            if rel in outside or not (
                suffix.lower() in TEXT_SUFFIXES or suffix in SNIPPET_SUFFIXES
            ):
                continue
            texts[rel] = _read_text(cfg.root / rel)
            if suffix in SNIPPET_SUFFIXES:
                snippets[rel] = project.readme_rel
        for nb in portfolio.notebooks(project):
            conv = converted.get(nb.rel)
            if conv is not None and conv.ok:
                texts[nb.rel] = conv.markdown  # what its page publishes
    found.update(find_secrets(cfg, texts))
    withheld: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for rel, hits in sorted(found.items()):
        first = hits[0]
        line, col = first.line, first.col
        if rel.endswith(".ipynb"):  # found in the page's Markdown: where is it in the file?
            line, col = _in_notebook(cfg.root / rel, first.found_as or first.value)
        reason = f"holds a secret: {first.kind.lower()} {first.masked}"
        withheld[rel] = reason
        message = (
            f"left out of the site: it {reason}; remove it, or accept a false positive in "
            f"{cfg.clean.secrets_baseline}"
        )
        problems.append(Diagnostic(rel, line, col, "ST006", message))
        if rel in snippets:
            withheld.setdefault(snippets[rel], f"its file {rel} {reason}")
    return withheld, problems


def _in_notebook(path: Path, value: str) -> tuple[int, int]:
    from repofolio.clean.notebook import locate

    text = _read_text(path)
    return locate(text, value) if text is not None else (0, 0)


def read_failures(cfg: Config, converted: Mapping[str, Converted]) -> dict[str, Failure]:
    """The notebooks that raised, for their pages: the last ``folio run`` report's failure,
    else the error outputs the notebook holds (seen when it was converted)."""
    failures: dict[str, Failure] = {}
    for conv in converted.values():
        if conv.ok and conv.raised:
            cell, ename, evalue = conv.raised[0]
            text = f"cell {cell} raised {ename}: {evalue}".rstrip(": ")
            failures[conv.rel] = Failure(cell, text, "saved outputs")
    try:
        from repofolio.runreport import notebook_failures
    except ImportError:
        return failures
    try:
        reported = notebook_failures(cfg)
    except Exception:  # a broken run report must not break the site
        return failures
    for rel, failure in reported.items():
        if rel in converted:
            text = failure.message.removeprefix(f"{rel}: ")
            seen = "saved outputs" if failure.seen == "saved outputs" else "folio run"
            failures[rel] = Failure(failure.cell, text, seen)
    return failures


def render_pdf_covers(
    portfolio: Portfolio, outside: set[str] | frozenset[str] = frozenset(), *, drafts: bool = False
) -> tuple[dict[str, PdfCover], list[Diagnostic]]:
    """Page 1 of each research project's cover PDF (:func:`published_files.cover_pdf`: no
    ``cover:`` image) as a WebP in ``.folio-cache/site/covers``, by project slug; a PDF that
    cannot be rendered is an ST005 warning and the project has no cover."""
    from repofolio.published_files import cover_pdf
    from repofolio.site.pages import published_projects

    cfg = portfolio.config
    covers: dict[str, PdfCover] = {}
    problems: list[Diagnostic] = []
    cache = cfg.root / cfg.site.cache_dir / "site" / "covers"
    for project in published_projects(portfolio, drafts=drafts):
        pdf = cover_pdf(portfolio, project)
        if pdf is None or pdf in outside or _leaves_repo(cfg.root, pdf):
            continue
        from repofolio.render.pdfcover import pdf_cover  # pypdfium2, Pillow: only for a PDF

        cover = pdf_cover(cfg.root / pdf, cache, width=PDF_COVER_WIDTH, fmt="webp", name=pdf)
        if cover.path is None:
            message = f"no cover from the PDF: {cover.problem}"
            problems.append(Diagnostic(pdf, 0, 0, "ST005", message, "warning"))
            continue
        covers[project.slug] = PdfCover(pdf, cover.path, cover.width, cover.height)
    return covers, problems


def snippet_files(portfolio: Portfolio, project: Project) -> list[str]:
    """The source files a snippet's page shows: its code files (by suffix,
    :data:`repofolio.kinds.CODE_LANGUAGES`) outside hidden folders, in name order."""
    from repofolio.kinds import CODE_LANGUAGES

    out = []
    for f in sorted(portfolio.project_files(project)):
        inner = f[len(project.rel) + 1 :]
        if Path(f).suffix in CODE_LANGUAGES and "/." not in f"/{inner}":
            out.append(f)
    return out[:MAX_SNIPPET_FILES]


def read_snippets(portfolio: Portfolio, *, drafts: bool = False) -> dict[str, str]:
    """The text of each snippet project's files (:func:`snippet_files`) that is UTF-8, at
    most :data:`MAX_SNIPPET_BYTES` and not a symlink out of the repository."""
    from repofolio.site.pages import published_projects

    root = portfolio.config.root
    out: dict[str, str] = {}
    for project in published_projects(portfolio, drafts=drafts):
        if project.meta is None or project.meta.kind != "snippet":
            continue
        for rel in snippet_files(portfolio, project):
            path = root / rel
            if _leaves_repo(root, rel):
                continue
            try:
                if path.stat().st_size > MAX_SNIPPET_BYTES:
                    continue
                out[rel] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # shown as a download only; folio check reports an unreadable file
    return out


def build_day() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (reproducible builds; mkdocs reads it too)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def convert_notebooks(
    portfolio: Portfolio, progress: Callable[[str], None] | None = None, *, drafts: bool = False
) -> dict[str, Converted]:
    """Every notebook of the published projects, converted (or why not); cached by content."""
    from repofolio.site.convert import Converted, convert_all
    from repofolio.site.pages import site_notebooks

    cfg = portfolio.config
    notebooks = [(nb.path, nb.rel) for nb in site_notebooks(portfolio, drafts=drafts)]
    outside = {rel for _, rel in notebooks if _leaves_repo(cfg.root, rel)}
    refused = {
        rel: Converted(rel, error="symlink leaves the repository; not read") for rel in outside
    }
    site = cfg.site
    return refused | convert_all(
        [(path, rel) for path, rel in notebooks if rel not in outside],
        cfg.root / site.cache_dir / "site",
        max_bytes=site.max_notebook_mb * 2**20,
        max_output_chars=site.max_output_chars,
        jobs=site.jobs,
        parallel_from=site.parallel_from,
        progress=progress,
    )


def read_cv(
    portfolio: Portfolio, *, drafts: bool = False, leave_out: Collection[str] = ()
) -> tuple[CvInput | None, Diagnostic | None]:
    """The CV page and PDF from ``cv.yaml`` (none without the file, nor for a draft unless
    ``drafts``), or why they failed. Its projects link their pages; a draft project is never
    on it, nor one of ``leave_out`` (slugs of projects whose page the site leaves out)."""
    cfg = portfolio.config
    if not (cfg.root / cfg.resume.source).is_file():
        return None, None
    from repofolio.errors import FolioError

    try:
        from repofolio.resume.model import require_cv
        from repofolio.resume.render import build_pdf, render_cv_markdown

        cv, _ = require_cv(cfg)
        if cv.draft and not drafts:
            return None, None  # the starter CV: PU002 (folio check) says how to publish it
        markdown = render_cv_markdown(cv, portfolio, cfg, pdf_href="cv.pdf", leave_out=leave_out)
        pdf = build_pdf(cv, portfolio, cfg, kind="cv", leave_out=leave_out)
    except (FolioError, ImportError) as exc:
        message = f"cv page not built: {exc}"
        return None, Diagnostic(cfg.resume.source, 0, 0, "ST003", message)
    return CvInput(markdown, pdf.data, draft=cv.draft), None


def read_statuses(cfg: Config) -> dict[str, str]:
    try:  # written by another part of the toolkit; the site works without it
        from repofolio.runreport import read_statuses as read
    except ImportError:
        return {}
    try:
        return dict(read(cfg))
    except Exception:  # a broken run report must not break the site
        return {}


def _leaves_repo(root: Path, rel: str) -> bool:
    """A symlinked file pointing out of the repository is never published (or read)."""
    from repofolio.fsio import is_inside

    path = root / rel
    return os.path.islink(path) and not is_inside(path, root.resolve())


def _rel(cfg: Config, path: Path) -> str:
    return path.relative_to(cfg.root).as_posix()


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def _read(path: Path) -> str | None:
    from repofolio.fsio import read_text

    return read_text(path).text if path.is_file() else None


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of an image, so cards and galleries do not shift on load: PNG, GIF and
    JPEG from their header, other formats (WebP, AVIF) by Pillow, which reads the header too."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        return int(w), int(h)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", head[6:10])
        return int(w), int(h)
    if head[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                i += 1
                continue
            marker = head[i + 1]
            length = struct.unpack(">H", head[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", head[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
        return None
    return _pillow_size(path)


def _pillow_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        return None
    try:
        with Image.open(path) as im:  # lazy: the header only
            return int(im.width), int(im.height)
    except (OSError, UnidentifiedImageError, ValueError):
        return None
