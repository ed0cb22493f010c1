"""``folio build``, ``folio serve`` and ``folio docs``: the site.

``folio build`` loads the portfolio once, converts the notebooks (cached, in parallel, with a
progress bar on stderr), then runs ``mkdocs build`` in this process, the plugin reusing what
was loaded; the checks run meanwhile in a forked child, and their findings are printed with
the conversion's after the build. ``folio docs --out DIR`` writes the hand-written pages and the
generated ones into DIR for another builder (Zensical).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repofolio import parallel
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic, Report
from repofolio.discover import load_portfolio
from repofolio.errors import FolioError
from repofolio.fsio import write_if_changed

if TYPE_CHECKING:
    from repofolio.model import Portfolio
    from repofolio.site.inputs import SiteInputs
    from repofolio.site.pages import Page


class _PlainConsole:
    """Messages to stderr when it is not a terminal (CI logs, pipes): no rich to import."""

    is_terminal = False

    def print(self, text: str, *, style: str | None = None, soft_wrap: bool = False) -> None:
        print(text, file=sys.stderr, flush=True)


def _console() -> Any:
    if not sys.stderr.isatty():
        return _PlainConsole()
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _mkdocs_yml(cfg: Config, config_file: Path | None) -> Path:
    path = config_file or cfg.root / "mkdocs.yml"
    if not path.is_file():
        raise FolioError(
            f"{path.name}: not found; folio build needs an mkdocs.yml with 'plugins: [repofolio]'"
        )
    return path


def read_with_progress(portfolio: Portfolio, console: Any) -> SiteInputs:
    """The site's inputs; the notebooks' conversion with a progress bar on a terminal."""
    from repofolio.site.inputs import read_inputs
    from repofolio.site.pages import site_notebooks

    total = len(site_notebooks(portfolio))
    if total == 0 or not console.is_terminal:  # no bar to draw
        return read_inputs(portfolio)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("notebooks"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def step(rel: str) -> None:
            progress.update(task, advance=1, description=rel[-50:])

        return read_inputs(portfolio, progress=step)


def run_build(
    cfg: Config,
    *,
    strict: bool = False,
    check: bool = True,
    config_file: Path | None = None,
    site_dir: Path | None = None,
    fmt: str = "text",
) -> int:
    """Checks, conversion, mkdocs build; exit 0, or 1 when ``strict`` and anything failed."""
    from repofolio.commands.private import warn_ci_would_miss

    console = _console()
    mkdocs_yml = _mkdocs_yml(cfg, config_file)
    warn_ci_would_miss(cfg)
    started = time.perf_counter()
    portfolio = load_portfolio(cfg)
    report = Report(list(portfolio.load_diagnostics))
    # The checks run in a forked child while the notebooks convert and mkdocs builds (one
    # core each): a warm rebuild does not wait for them.
    checking = parallel.Pending(partial(_run_checks, portfolio, cfg)) if check else None
    try:
        return _convert_and_build(
            cfg, portfolio, report, checking, console, mkdocs_yml, started, strict, site_dir, fmt
        )
    finally:
        if checking is not None:
            checking.cancel()  # a failed build: no child left behind (no-op once collected)


def _convert_and_build(
    cfg: Config,
    portfolio: Portfolio,
    report: Report,
    checking: parallel.Pending[list[Diagnostic]] | None,
    console: Any,
    mkdocs_yml: Path,
    started: float,
    strict: bool,
    site_dir: Path | None,
    fmt: str,
) -> int:
    from repofolio.reporters import emit
    from repofolio.site.mkdocs.build import build_site

    inputs = read_with_progress(portfolio, console)
    converted = inputs.converted
    failed = [c for c in converted.values() if not c.ok]
    report.extend(inputs.diagnostics)  # made once: the plugin reports none of them again
    console.print(f"building the site from {mkdocs_yml.name}…", style="dim")
    result = build_site(mkdocs_yml, prepared=(portfolio, inputs), site_dir=site_dir)
    if checking is not None:
        report.extend(checking.result())
    report.filter(cfg.select, cfg.ignore)
    if report.diagnostics:
        emit(report, fmt)
    elapsed = time.perf_counter() - started
    cached = sum(1 for c in converted.values() if c.cached)
    n = len([p for p in portfolio.projects if p.meta is not None])
    pages = len(converted) - len(failed)
    console.print(
        f"site built in {elapsed:.1f} s: {n} project{'s' if n != 1 else ''}, "
        f"{pages} notebook page{'s' if pages != 1 else ''} "
        f"({cached} from cache, {len(failed)} failed), "
        f"{report.errors} check error{'s' if report.errors != 1 else ''}, "
        f"{result.warnings} build warning{'s' if result.warnings != 1 else ''} -> "
        f"{_short(Path(result.site_dir), cfg.root)}",
        soft_wrap=True,
    )
    if inputs.withheld:  # on any build: the site is not what the owner wrote
        n = len(inputs.withheld)
        what = (
            f"{n} files left out of the site: they hold"
            if n != 1
            else "a file left out of the site: it holds"
        )
        console.print(f"{what} a secret (ST006 above)", style="bold red")
        return 1
    if strict and (report.errors or failed or result.warnings):
        console.print("strict: failing because of the problems above", style="bold red")
        return 1
    return 0


def _run_checks(portfolio: Portfolio, cfg: Config) -> list[Diagnostic]:
    from repofolio.checks import run_checks

    # in a child beside the build: the notebook cleaner must not fork again
    return run_checks(portfolio, replace(cfg, clean=replace(cfg.clean, jobs=1)))


def run_serve(
    cfg: Config, *, config_file: Path | None, dev_addr: str | None, open_browser: bool
) -> int:
    from repofolio.site.mkdocs.build import serve_site

    serve_site(_mkdocs_yml(cfg, config_file), dev_addr=dev_addr, open_browser=open_browser)
    return 0


def run_docs(
    cfg: Config, out: Path, *, check_only: bool = False, config_out: Path | None = None
) -> int:
    """Write the hand-written and the generated pages into ``out`` (a docs folder), with the
    package's theme (:func:`builder_theme`); ``config_out``: a config for the other builder."""
    from repofolio.site.pages import generate

    console = _console()
    portfolio = load_portfolio(cfg)
    inputs = read_with_progress(portfolio, console)
    pages = generate(portfolio, inputs)
    for diag in inputs.diagnostics:
        print(diag.format(), file=sys.stderr)
    docs = cfg.root / cfg.site.docs_dir
    mkdocs_yml = cfg.root / "mkdocs.yml"
    # the theme first: a file of docs/ with the same path wins, as in the plugin
    wanted: dict[str, Page | Path] = dict(builder_theme(mkdocs_yml))
    left_out: list[str] = []  # docs paths of the hand-written files that hold a secret
    if config_out is not None:
        wanted_config = builder_config(mkdocs_yml, out, config_out)
    if docs.is_dir():
        from repofolio.files import walk_files

        for rel in walk_files(docs):
            if rel.startswith("toolkit/"):  # the toolkit's manual is not part of the site
                continue
            if (docs / rel).relative_to(cfg.root).as_posix() in inputs.withheld:
                left_out.append(rel)
                continue
            wanted[rel] = docs / rel
    for page in pages:
        wanted[page.path] = page
    from repofolio.journal import publishable

    contents: dict[str, str | bytes] = {}
    for rel, item in sorted(wanted.items()):
        if isinstance(item, Path):
            raw = item.read_bytes()
            data: str | bytes = raw
            if rel.endswith(".md"):
                data = publishable(raw.decode("utf-8", "replace"), cfg)
        elif item.src is not None:
            data = item.src.read_bytes()
        else:
            assert item.content is not None
            data = item.content
            if isinstance(data, str):
                data = publishable(data, cfg)
        contents[rel] = data
    with_previews(portfolio, mkdocs_yml, contents)
    changed = 0
    for rel, data in sorted(contents.items()):
        target = out / rel
        old = _read(target, binary=isinstance(data, bytes))
        if old == data:
            continue
        changed += 1
        if not check_only:
            write_if_changed(target, data)
    for rel in left_out:  # written by an earlier run, before the secret came in
        if (out / rel).is_file() and not check_only:
            (out / rel).unlink()
    total = len(contents)  # the pages, the theme and the social cards
    if config_out is not None:
        total += 1
        if _read(config_out, binary=False) != wanted_config:
            changed += 1
            if not check_only:
                write_if_changed(config_out, wanted_config)
    verb = "would write" if check_only else "wrote"
    console.print(f"{verb} {changed} of {total} files in {_short(out, Path.cwd())}")
    return 1 if inputs.withheld or (check_only and changed) else 0


def with_previews(portfolio: Portfolio, mkdocs_yml: Path, contents: dict[str, str | bytes]) -> None:
    """Link previews for a builder without the plugin: each Markdown page of ``contents``
    gets ``folio_preview`` in its front matter (what the plugin puts in ``page.meta``, and
    main.html reads either way) and, cards on, its social card beside the pages
    (``assets/social/...``), drawn as ``folio build`` draws it (and from the same cache)."""
    import json

    from repofolio import frontmatter
    from repofolio.journal import publishable
    from repofolio.site.previews import Previews

    settings = _mkdocs_data(mkdocs_yml)
    site_name = str(settings.get("site_name") or portfolio.config.owner or "")
    site_url = settings.get("site_url")
    previews = Previews(portfolio, site_name, str(site_url) if site_url else None)
    directory_urls = settings.get("use_directory_urls", True) is not False
    fallback = str(settings.get("site_description") or "")
    for rel, data in list(contents.items()):
        if not rel.endswith(".md") or not isinstance(data, str) or rel.startswith("."):
            continue
        fm = frontmatter.parse(data)
        front = fm.data if fm.data is not None else {}
        if any(f.code != "FM004" for f in fm.findings) or "folio_preview" in front:
            continue  # front matter that cannot be read, or a preview of its own
        title = _page_title(front, fm.body, rel, site_name)
        own = front.get("description")
        preview = previews.preview(
            rel,
            _page_url(rel, directory_urls),
            publishable(title, portfolio.config).strip(),
            publishable(str(own), portfolio.config).strip() if own else None,
            fallback,
        )
        line = "folio_preview: " + json.dumps(preview, ensure_ascii=False)
        if fm.present:  # the key goes first in the front matter, after its opening line
            head = data.index("\n") + 1
            contents[rel] = f"{data[:head]}{line}\n{data[head:]}"
        else:
            contents[rel] = f"---\n{line}\n---\n{data}"
    previews.draw()
    for dest, card in previews.cards.items():
        contents[dest] = card.read_bytes()


def _page_title(front: dict[str, Any], body: str, rel: str, site_name: str) -> str:
    """The title MkDocs gives a page: its front matter's, its first level-1 heading, else
    its file name ("cv.md": "Cv"); the home page's is the site's name."""
    from repofolio.markdown import parse

    if front.get("title"):
        return str(front["title"])
    heading = next((h for h in parse(body).headings if h.level == 1), None)
    if heading is not None:
        return heading.text
    if rel == "index.md":
        return site_name
    stem = Path(rel).stem if Path(rel).stem != "index" else Path(rel).parent.name
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _page_url(rel: str, directory_urls: bool) -> str:
    """The page's URL in the site, as MkDocs makes it: ``projects/churn/`` for
    ``projects/churn/index.md``, ``cv/`` (``cv.html`` without directory URLs)."""
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if directory_urls else f"{stem}.html"


def builder_theme(mkdocs_yml: Path) -> dict[str, Path]:
    """The package's theme for a builder without the plugin, by path in the docs: its
    stylesheets (``assets/stylesheets/``) and, in ``.folio-theme/`` (hidden: not
    published), its templates for Zensical's theme with those of the user's ``custom_dir``
    on top (theirs win)."""
    from repofolio.site.theme import BUILDER_THEME_DIR, THEME, stylesheets, templates

    found: dict[str, Path] = {rel: THEME / rel for rel in stylesheets()}
    layers = [templates(material=False)]
    custom = _custom_dir(mkdocs_yml)
    if custom is not None and custom.is_dir():
        from repofolio.files import walk_files

        layers.append({rel: custom / rel for rel in walk_files(custom)})
    for layer in layers:
        for rel, path in layer.items():
            found[f"{BUILDER_THEME_DIR}/{rel}"] = path
    return found


def builder_config(mkdocs_yml: Path, out: Path, config_out: Path) -> str:
    """A config for Zensical (or mkdocs without the plugin): the user's ``mkdocs.yml``
    (``INHERIT``), the pages of ``out``, the theme of :func:`builder_theme`."""
    import json
    import os

    from repofolio.site.theme import BUILDER_THEME_DIR, stylesheets

    base = config_out.resolve().parent

    def rel(path: Path) -> str:
        return json.dumps(Path(os.path.relpath(path.resolve(), base)).as_posix())

    css = "".join(f"  - {json.dumps(c)}\n" for c in stylesheets())
    return (
        "# Written by `folio docs`: the site of mkdocs.yml built from the pages folio wrote,\n"
        "# for a builder that runs no MkDocs plugin (zensical build -f THIS_FILE).\n"
        f"INHERIT: {rel(mkdocs_yml)}\n"
        f"docs_dir: {rel(out)}\n"
        f"site_dir: {rel(base / 'site')}\n"
        "theme:\n"
        f"  custom_dir: {rel(out / BUILDER_THEME_DIR)}\n"
        f"extra_css:\n{css}"
    )


def _mkdocs_data(mkdocs_yml: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as a mapping ({} when it cannot be read); its own tags (``!ENV``,
    ``!!python/name:...``) read as None."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _custom_dir(mkdocs_yml: Path) -> Path | None:
    """``theme.custom_dir`` of ``mkdocs.yml`` (relative to it), if it names one."""
    data = _mkdocs_data(mkdocs_yml)
    theme = data.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return mkdocs_yml.parent / custom if isinstance(custom, str) and custom else None


def _read(path: Path, *, binary: bool) -> str | bytes | None:
    try:
        return path.read_bytes() if binary else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _short(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix() or "."
    except ValueError:
        return str(path)
