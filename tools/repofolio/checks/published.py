"""Every published file besides the projects' own: the site's hand-written pages (the journal
among them), ``cv.yaml`` and the README. What a reader sees must hold no secret and no
placeholder, whichever file it comes from.

- **Secrets** (SE001): the rules, the baseline and the masking of ``folio clean``
  (``repofolio.clean.secrets``), so one finding reads the same in a write-up and in a journal
  entry. ``published_secrets`` tells the site which pages to leave out.
- **Placeholders** (PU001, a warning: ``--strict`` fails on it): ``FILL IN``, TODO, the
  example's "Example text:", in the prose of Markdown pages (not in code, inline code or
  HTML comments; the journal's private blocks are never published) and in the values of
  ``cv.yaml``. The README's generated regions come from the write-ups, checked there.
- **Private names** (JR011, ``repofolio.checks.private``): a company or person of the job
  search, in any of these files, published or left out of the site (still on GitHub).
- **A draft CV** (PU002, a warning): the starter ``folio init`` writes is ``draft: true``
  until it is filled in; the site leaves it out.
- **The home page's stand-in** (PU004, a warning): the paragraph ``folio init`` writes under
  the headline of ``docs/index.md`` (``HOME_STAND_IN``), which the home page shows as
  "About me", says nothing of its owner until it is rewritten.

The projects' files (write-ups, notebooks, code) are the notebooks check's and SC004's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio.checks.content import iter_placeholders, may_have_placeholder
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import is_inside, read_text, rel

if TYPE_CHECKING:
    from repofolio.clean.secrets import Secret
    from repofolio.model import Portfolio

MARKDOWN = (".md", ".markdown")
# Every sentence of the example project `folio init` writes starts with this.
EXAMPLE = re.compile(r"\bExample text:", re.IGNORECASE)
# The paragraph `folio init` writes under the headline of docs/index.md (its template takes it
# from here): the home page shows it as "About me" until the owner writes their own.
HOME_STAND_IN = (
    "This site shows my projects, each with the problem, the approach, and numbers.\n"
    "The gallery lists them all; every notebook has its own page."
)
# Besides what `folio clean` scans ([tool.folio.clean] extensions): what a site serves.
SITE_TEXT = (".html", ".htm", ".js", ".css", ".svg", ".xml", ".csv")


def published_files(cfg: Config, only: Sequence[str | Path] = ()) -> list[str]:
    """Repo-relative paths of the published files outside the projects, sorted: the text
    files of the docs folder that ``mkdocs.yml`` leaves in (``exclude_docs``), the journal,
    ``cv.yaml`` and the README. ``only`` narrows them to those paths (files or folders), as
    ``folio check PATH...`` does."""
    return _files(cfg, only)[0]


def _files(cfg: Config, only: Sequence[str | Path]) -> tuple[list[str], list[str]]:
    """(published, left out of the site by exclude_docs): the second are still in the
    repository, so scanned for secrets too."""
    from repofolio.clean.engine import wanted
    from repofolio.files import list_files

    root = cfg.root
    extensions = (*cfg.clean.extensions, *MARKDOWN, *SITE_TEXT)
    folders = sorted({cfg.site.docs_dir.strip("/"), cfg.journal.dir.strip("/")} - {"", "."})
    if only:  # `folio check projects/x`: no git listing, no mkdocs.yml for folders not asked
        folders = [f for f in folders if _overlaps(cfg, f, only)]
    excluded: Callable[[str], bool] | None = None  # mkdocs.yml read when a page needs it
    published: set[str] = set()
    left_out: set[str] = set()
    for name in list_files(root, folders) if folders else []:
        if not wanted(name, extensions) or not _in_scope(cfg, name, only):
            continue
        docs_rel = _under(name, cfg.site.docs_dir)
        if docs_rel is not None and excluded is None:
            excluded = _site_excludes(root)
        (
            left_out
            if excluded is not None and docs_rel is not None and excluded(docs_rel)
            else published
        ).add(name)
    for single in (cfg.resume.source, cfg.index.readme):
        path = root / single
        if path.is_file() and is_inside(path, root.resolve()):
            name = rel(path, root)
            if _in_scope(cfg, name, only):
                published.add(name)
    return sorted(published), sorted(left_out)


def check(portfolio: Portfolio, cfg: Config) -> list[Diagnostic]:
    """The check on every published file (``folio build`` runs it with the others)."""
    return check_paths(cfg)


def check_paths(cfg: Config, only: Sequence[str | Path] = ()) -> list[Diagnostic]:
    """Secrets, placeholders and a draft CV in the published files (under ``only``)."""
    from repofolio.checks.private import check_matcher, findings

    published, left_out = _files(cfg, only)
    texts = {name: _read(cfg, name) for name in [*published, *left_out]}  # each read once
    found = _secrets(cfg, [*published, *left_out], texts)
    diagnostics = [
        Diagnostic(name, s.line, s.col, "SE001", f"{s.kind.lower()}: {s.masked}")
        for name, secrets in found.items()
        for s in secrets
    ]
    names = check_matcher(cfg)  # JR011: left out of the site, a page is still on GitHub
    for name, text in texts.items():
        if names is not None and text is not None:
            diagnostics.extend(findings(name, text, names, cfg))
    for name in published:
        text = texts[name]
        if text is None:
            continue
        if name == cfg.resume.source:
            diagnostics.extend(_cv_findings(name, text, cfg))
        elif name.endswith(MARKDOWN):
            readme = name == cfg.index.readme
            diagnostics.extend(_markdown_placeholders(name, text, generated=readme))
            if name == _home_page(cfg):
                diagnostics.extend(_home_stand_in(name, text))
    return diagnostics


def _home_page(cfg: Config) -> str:
    docs = cfg.site.docs_dir.strip("/")
    return f"{docs}/index.md" if docs not in ("", ".") else "index.md"


def _home_stand_in(name: str, text: str) -> Iterator[Diagnostic]:
    first = HOME_STAND_IN.split("\n", 1)[0]
    at = text.replace("\r\n", "\n").find(first)
    if at >= 0:
        yield Diagnostic(
            name,
            text[:at].count("\n") + 1,
            1,
            "PU004",
            "the home page still has folio init's stand-in text (shown as 'About me'): "
            "say who you are and the roles you want",
            "warning",
        )


def published_secrets(portfolio: Portfolio, cfg: Config) -> dict[str, list[Secret]]:
    """The published files outside the projects that hold a secret (not accepted by the
    baseline), each with its findings: the site leaves these pages out."""
    return _secrets(cfg, published_files(cfg))


def find_secrets(cfg: Config, texts: dict[str, str | None]) -> dict[str, list[Secret]]:
    """The secrets of texts already read (repository path -> text), with the same rules and
    baseline: what the site would publish of a write-up, a notebook page, a copied file."""
    return _secrets(cfg, sorted(texts), texts)


# -- secrets -----------------------------------------------------------------------------------


def _secrets(
    cfg: Config, names: Sequence[str], texts: dict[str, str | None] | None = None
) -> dict[str, list[Secret]]:
    from repofolio.clean import secrets as secretmod

    baseline = None
    found: dict[str, list[Secret]] = {}
    for name in names:
        text = texts[name] if texts is not None else _read(cfg, name)
        if text is None or not secretmod.might_contain(text):
            continue
        hits = secretmod.scan_text(text, name)
        if not hits:
            continue
        if baseline is None:
            baseline = secretmod.load_baseline(cfg.root / cfg.clean.secrets_baseline)
        kept = [s for s in hits if not baseline.allows(name, s)]
        if kept:
            found[name] = kept
    return found


# -- placeholders ------------------------------------------------------------------------------


def _placeholder(name: str, line: int, col: int, word: str, where: str) -> Diagnostic:
    return Diagnostic(
        name,
        line,
        col,
        "PU001",
        f"placeholder '{word}' left in {where}: it is published",
        "warning",
    )


def _markdown_placeholders(name: str, text: str, *, generated: bool) -> Iterator[Diagnostic]:
    for line, col, word, where in markdown_matches(text, _any_placeholder, generated=generated):
        yield _placeholder(name, line, col, word, where)


def _any_placeholder(text: str) -> Iterator[re.Match[str]]:
    """The placeholders of SC004 and the example's "Example text:", in order."""
    found = [*iter_placeholders(text), *EXAMPLE.finditer(text)]
    return iter(sorted(found, key=lambda m: m.start()))


def markdown_matches(
    text: str, find: Callable[[str], Iterator[re.Match[str]]], *, generated: bool = False
) -> Iterator[tuple[int, int, str, str]]:
    """(line, col, matched text, "the front matter" or "the text") of what ``find`` finds in
    a Markdown file's front matter (not its comments) and prose (not code, not HTML, not a
    private block; with ``generated``, not a README's generated regions)."""
    if not may_have_placeholder(text):
        return
    from repofolio import frontmatter
    from repofolio.markdown import MarkdownDoc

    yaml_text, body, body_line, _ = frontmatter.split(text)
    if yaml_text:
        for number, source in enumerate(yaml_text.split("\n"), start=2):
            if not source.lstrip().startswith("#"):
                for match in find(source):
                    yield number, match.start() + 1, match.group(0), "the front matter"
    data = body.encode("utf-8")
    doc = MarkdownDoc(data, body_line)  # for line_col: byte offsets to the file's line, col
    skip = [(len(body[:a].encode()), len(body[:b].encode())) for a, b in _skipped_spans(body)]
    if generated:
        skip += _region_spans(body)
    for start, end in _prose_spans(body):
        piece = data[start:end].decode("utf-8", "replace")
        if not may_have_placeholder(piece):
            continue
        for match in find(piece):
            at = start + len(piece[: match.start()].encode("utf-8"))
            if not any(a <= at < b for a, b in skip):
                line_no, col = doc.line_col(at)
                yield line_no, col, match.group(0), "the text"


# -- the example project's text in a write-up ---------------------------------------------------


def check_writeups(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    """PU003: the example's "Example text:" in a write-up. In a draft (init's example is one:
    never published, so a fresh portfolio builds), one warning for the file; once published,
    an error at each."""
    for project in portfolio.projects:
        if not project.text or "example text:" not in project.text.lower():
            continue
        found = list(markdown_matches(project.text, EXAMPLE.finditer))
        if not found:
            continue
        if project.meta is None or project.meta.draft:
            line, col, _, _ = found[0]
            lines = len({f[0] for f in found})
            yield Diagnostic(
                project.readme_rel,
                line,
                col,
                "PU003",
                f"the example's text is left on {lines} line{'s' if lines != 1 else ''}: "
                "rewrite it before you delete draft: true (or delete the example)",
                "warning",
            )
            continue
        for line, col, word, where in found:
            yield Diagnostic(
                project.readme_rel,
                line,
                col,
                "PU003",
                f"the example's '{word}' left in {where}: it is published; write your own",
            )


def _prose_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) byte offsets of the text a reader reads: not code, not HTML."""
    import pyromark

    from repofolio.markdown import _OPTIONS

    spans = []
    in_code = False  # the text of a code block comes as Text events too
    for event, rng in pyromark.events_with_range(body, options=_OPTIONS):
        if type(event) is not dict:
            continue
        if "Text" in event:
            if not in_code:
                spans.append((rng["start"], rng["end"]))
        elif _is_code_block(event.get("Start")):
            in_code = True
        elif _is_code_block(event.get("End")):
            in_code = False
    return spans


def _is_code_block(tag: object) -> bool:
    return tag == "CodeBlock" or (isinstance(tag, dict) and "CodeBlock" in tag)


def _region_spans(body: str) -> list[tuple[int, int]]:
    """The README's generated regions (byte offsets): they come from checked write-ups."""
    from repofolio.render.regions import RegionError, find_regions

    try:
        regions = find_regions(body, "")
    except RegionError:
        return []  # folio index reports bad markers
    return [
        (len(body[: r.inner_start].encode()), len(body[: r.inner_end].encode()))
        for r in regions.values()
    ]


def _skipped_spans(body: str) -> list[tuple[int, int]]:
    """The journal's private blocks (never published; an unclosed one hides the rest)."""
    from repofolio.journal import PRIVATE_CLOSE, PRIVATE_OPEN

    spans = []
    cursor = 0
    while (start := PRIVATE_OPEN.search(body, cursor)) is not None:
        end = PRIVATE_CLOSE.search(body, start.end())
        spans.append((start.start(), end.end() if end else len(body)))
        if end is None:
            break
        cursor = end.end()
    return spans


# -- cv.yaml -----------------------------------------------------------------------------------


def _cv_findings(name: str, text: str, cfg: Config) -> Iterator[Diagnostic]:
    from repofolio.resume.cvyaml import read_cv_yaml
    from repofolio.resume.refs import check_on_disk

    # the YAML and its lines, without the CV's schema (pydantic: `folio resume lint` does that);
    # YAML it cannot read is an error here too: the site's CV page and cv.pdf need it
    loaded, problems = read_cv_yaml(text, name)
    yield from problems
    data = loaded.data
    yield from check_on_disk(data, loaded.line_of, cfg, name)  # a file or project named: there?
    if isinstance(data, dict) and data.get("draft") is True:
        yield Diagnostic(
            name,
            loaded.line_of("draft"),
            1,
            "PU002",
            "cv.yaml is a draft (draft: true): the site has no CV page until you fill it in "
            "and delete that line",
            "warning",
        )
    if not isinstance(data, dict) or not may_have_placeholder(text):
        return
    lines = text.split("\n")
    stack: list[tuple[str, Any]] = list(data.items())
    while stack:
        key, value = stack.pop()
        if isinstance(value, str):
            for match in iter_placeholders(value):
                line = loaded.line_of(*key.split("."))
                col = lines[line - 1].find(match.group(0)) + 1 if line <= len(lines) else 1
                yield _placeholder(name, line, max(col, 1), match.group(0), f"'{key}'")
        elif isinstance(value, dict):
            stack.extend((f"{key}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{key}.{i}", v) for i, v in enumerate(value))


# -- which files -------------------------------------------------------------------------------


def _read(cfg: Config, name: str) -> str | None:
    path = cfg.root / name
    if path.is_symlink() and not is_inside(path, cfg.root.resolve()):
        return None  # never followed out of the repository
    return read_text(path).text


def _under(name: str, folder: str) -> str | None:
    folder = folder.strip("/")
    if folder in ("", "."):
        return name
    return name[len(folder) + 1 :] if name.startswith(folder + "/") else None


def _asked(cfg: Config, only: Sequence[str | Path]) -> list[str]:
    """The paths of ``only`` inside the repository, repo-relative ("." for the root)."""
    root = cfg.root.resolve()
    found = []
    for item in only:
        path = Path(item)
        path = (Path.cwd() / path) if not path.is_absolute() else path
        try:
            found.append(path.resolve().relative_to(root).as_posix())
        except (ValueError, OSError, RuntimeError):
            continue
    return found


def _overlaps(cfg: Config, folder: str, only: Sequence[str | Path]) -> bool:
    """A path of ``only`` is ``folder``, inside it, or holds it."""
    inside = folder.strip("/") + "/"
    return _in_scope(cfg, folder, only) or any(w.startswith(inside) for w in _asked(cfg, only))


def _in_scope(cfg: Config, name: str, only: Sequence[str | Path]) -> bool:
    if not only:
        return True
    return any(
        wanted == "." or name == wanted or name.startswith(wanted + "/")
        for wanted in _asked(cfg, only)
    )


def _site_excludes(root: Path) -> Callable[[str], bool]:
    """A test of a docs-relative path: left out of the site by MkDocs (dotfiles and
    ``/templates/``, its default, and what ``mkdocs.yml``'s ``exclude_docs`` adds)."""
    patterns = _exclude_docs(root / "mkdocs.yml")
    if not patterns:  # the default alone: no pathspec to import (~8 ms)
        return lambda name: (
            name.startswith("templates/") or any(part.startswith(".") for part in name.split("/"))
        )
    from pathspec import GitIgnoreSpec  # what MkDocs matches exclude_docs with

    spec = GitIgnoreSpec.from_lines([".*", "/templates/", *patterns])
    return spec.match_file


def _exclude_docs(mkdocs_yml: Path) -> tuple[str, ...]:
    import yaml

    # the C parser when there is one: mkdocs.yml is read on every full `folio check`
    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    # mkdocs.yml may hold !!python/name and !ENV tags: read past them, we need one key
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()
    value = data.get("exclude_docs") if isinstance(data, dict) else None
    return tuple(value.splitlines()) if isinstance(value, str) else ()
