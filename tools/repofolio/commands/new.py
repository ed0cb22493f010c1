"""``folio new SLUG``: a write-up for a project, from a Jinja2 template; never overwrites.

A new folder gets the scaffold of its kind. A folder that already holds the work (code,
notebooks, a thesis PDF) is adopted: the write-up is made from what is there (the notebooks
listed, a ``requirements.txt``, a ``run:`` proposed for a ``tests/`` folder or a main script,
the kind guessed), and only an existing README.md is refused. Every scaffold is a draft
(``draft: true``) whose ``FILL IN`` placeholders ``folio check`` reports (SC004): no
placeholder reaches a reader.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import click

from repofolio.checks.project import is_slug
from repofolio.commands.schema import write_project_schema
from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.files import walk_files
from repofolio.fsio import is_inside, rel, write_if_changed
from repofolio.kinds import CODE_LANGUAGES, DEFAULT_KIND, KINDS, section_hint

CODE_SUFFIXES = frozenset(CODE_LANGUAGES)
DOCUMENT_SUFFIXES = frozenset(".pdf .pptx .ppt .key .odp .tex .docx".split())
VIDEO_SUFFIXES = frozenset(".mp4 .webm .mov".split())
IMAGE_SUFFIXES = frozenset(".png .jpg .jpeg .gif .webp .svg".split())
# a main script, in the order one is preferred when several are there
MAIN_SCRIPTS = ("main.py", "run.py", "app.py", "train.py", "cli.py")
# a snippet is one or a few small files: more, or longer, is a code project
SNIPPET_MAX_FILES = 3
SNIPPET_MAX_LINES = 400
TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")

# the scaffold's hints that only one kind needs: commented keys, valid as written, each left
# out where the folder gave the key a value
KIND_FRONT: dict[str, list[str]] = {
    "code": ["# run: python -m pytest -q  # the command(s) `folio run` uses to prove it runs"],
    "notebook": ["# notebooks: [analysis.ipynb]  # default: every .ipynb in this folder"],
    "research": [
        "# links: {thesis: thesis.pdf, slides: slides.pdf, video: https://youtu.be/VIDEO}",
        "# cover: cover.png  # a picture for the card and link previews",
    ],
    "no-code": ["# cover: photos/build.jpg  # a photo for the card and link previews"],
    "snippet": ["# run: python snippet.py --help  # optional: a run badge when it runs"],
}


def validate_slug(slug: str) -> str:
    if not slug or "/" in slug or "\\" in slug or ".." in slug or slug.startswith("-"):
        raise FolioError(f"invalid slug '{slug}': use a folder name like 'churn-model'")
    if not is_slug(slug):
        raise FolioError(
            f"invalid slug '{slug}': use lowercase letters, digits and single hyphens "
            "(like 'churn-model')"
        )
    return slug


@dataclass
class Survey:
    """What an existing project folder holds, as far as a write-up needs it."""

    files: list[str] = field(default_factory=list)  # folder-relative POSIX paths
    notebooks: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)  # source files, notebooks not counted
    documents: list[str] = field(default_factory=list)  # PDFs, slides, videos
    images: list[str] = field(default_factory=list)
    requirements: str | None = None
    run: str | None = None  # the proposed command
    code_lines: int = 0

    @property
    def has_tests(self) -> bool:
        return any(TEST_FILE.search(f) for f in self.code)

    def guess_kind(self) -> str:
        """notebooks (with at most a few helpers) -> notebook; small code -> snippet; code ->
        code; PDFs, slides or a video -> research; photos or anything else -> no-code."""
        big = len(self.code) > SNIPPET_MAX_FILES or self.code_lines > SNIPPET_MAX_LINES
        if self.notebooks and not (self.has_tests or big):
            return "notebook"
        if self.code:
            small = not big and not self.has_tests and self.requirements is None
            return "snippet" if small and all("/" not in f for f in self.code) else "code"
        if self.documents:
            return "research"
        return "no-code" if self.files else DEFAULT_KIND


def survey(folder: Path, root: Path) -> Survey:
    """What ``folder`` holds; ``root`` is the repository (a symlink out of it is left out,
    never followed)."""
    found = Survey()
    inside = root.resolve()
    # hidden files and folders (.git, .env, .DS_Store) are no part of the work
    found.files = [
        f
        for f in walk_files(folder)
        if not any(p.startswith(".") for p in f.split("/"))
        and (not (folder / f).is_symlink() or is_inside(folder / f, inside))
    ]
    for name in found.files:
        suffix = os.path.splitext(name)[1]
        if suffix == ".ipynb":
            found.notebooks.append(name)
        elif suffix in CODE_SUFFIXES:
            found.code.append(name)
            try:
                with open(folder / name, "rb") as fh:
                    found.code_lines += sum(1 for _ in fh)
            except OSError:
                pass
        elif suffix.lower() in DOCUMENT_SUFFIXES | VIDEO_SUFFIXES:
            found.documents.append(name)
        elif suffix.lower() in IMAGE_SUFFIXES:
            found.images.append(name)
    tops = {f for f in found.files if "/" not in f}
    if "requirements.txt" in tops:
        found.requirements = "requirements.txt"
    else:
        found.requirements = next(
            (f for f in sorted(tops) if f.startswith("requirements") and f.endswith(".txt")), None
        )
    found.run = _proposed_run(folder, found)
    return found


def _proposed_run(folder: Path, found: Survey) -> str | None:
    if found.has_tests:
        return "python -m pytest -q"  # the tests prove more than a script that starts
    tops = [f for f in found.code if "/" not in f and f.endswith(".py")]
    for name in MAIN_SCRIPTS:
        if name in tops:
            return f"python {name}"
    guarded = [f for f in tops if _has_main_guard(folder / f)]
    return f"python {guarded[0]}" if len(guarded) == 1 else None


def _has_main_guard(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"^if __name__ == ['\"]__main__['\"]", text, re.MULTILINE) is not None


def _link_name(path: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-") or "file"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def front_lines(kind: str, found: Survey | None) -> list[str]:
    """The scaffold's front matter after its common keys: what the kind needs, and what the
    folder showed (JSON values: valid YAML, quoted where a path needs it)."""
    lines: list[str] = []
    found = found or Survey()
    if found.documents:
        taken: set[str] = set()
        links = {_link_name(d, taken): d for d in found.documents[:5]}
        lines.append(f"links: {json.dumps(links, ensure_ascii=False)}")
    covers = [i for i in found.images if Path(i).stem.lower() == "cover"]
    if covers:
        lines.append(f"cover: {json.dumps(covers[0], ensure_ascii=False)}")
    if found.notebooks:
        lines.append(f"notebooks: {json.dumps(found.notebooks, ensure_ascii=False)}")
    if found.requirements:
        lines.append(f"requirements: {json.dumps(found.requirements)}")
    if found.run:
        lines.append(
            f"run: {json.dumps(found.run)}  # proposed by folio new: check that it passes "
            "(folio run)"
        )
    given = {line.split(":", 1)[0] for line in lines}
    hints = {h[2:].split(":", 1)[0]: h for h in KIND_FRONT[kind]}
    if "links" not in given:  # the key, empty, with the kind's example beside it
        example = hints.pop("links", "").partition(":")[2].strip()
        lines.insert(0, "links: {}" + (f"  # like {example}" if example else ""))
    lines += [h for key, h in hints.items() if key not in given]
    return lines


def sections(cfg: Config, kind: str, found: Survey | None) -> list[tuple[str, str]]:
    """(title, text) of each section the kind requires, in order."""
    out = []
    for title in cfg.kind_sections(kind):
        key = title.strip().lower()
        text = section_hint(kind, title)
        if key == "how to run":
            commands = []
            if found is not None and found.requirements:
                commands.append(f"pip install -r {found.requirements}")
            if found is not None and found.run:
                commands.append(found.run)
            elif found is not None and found.notebooks and commands:
                commands.append("jupyter lab  # then run the notebooks top to bottom")
            if commands:  # what the folder showed: real commands, no placeholder
                text = "```bash\n" + "\n".join(commands) + "\n```"
            # else the hint as prose: in a ```bash block SC004 would not see it (code may say
            # TODO), and the page would publish "FILL IN: ..." as a command to run
        elif key == "code" and found is not None and found.code:
            files = "\n".join(f"- [`{f}`]({f})" for f in found.code)
            text = f"{text}\n\n{files}"
        out.append((title, text))
    return out


def render_readme(
    title: str,
    schema_path: str,
    today: dt.date,
    *,
    kind: str = DEFAULT_KIND,
    front: list[str] | None = None,
    body: list[tuple[str, str]] | None = None,
    status: str = "in-progress",
) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("repofolio", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    # tojson as a plain JSON string, which is a YAML one: jinja's escapes ' & < > for HTML
    # (`title: "Priya\u0027s R\u0026D"`), unreadable in a file the user edits by hand
    env.filters["tojson"] = functools.partial(json.dumps, ensure_ascii=False)
    return env.get_template("project/README.md.j2").render(
        title=title,
        schema_path=schema_path,
        today=today.isoformat(),
        kind=kind,
        status=status,
        front=front if front is not None else front_lines(kind, None),
        sections=body or [],
        results=kind != "snippet",  # a snippet shows its code; numbers are optional
    )


def _work_date(cfg: Config, folder: Path) -> dt.date | None:
    """The day of the last commit that touched ``folder`` (when the work was done), if any."""
    if not (cfg.root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(cfg.root), "log", "-1", "--format=%cs", "--", str(folder)],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        return dt.date.fromisoformat(out) if out else None
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _existing_readme(folder: Path) -> Path | None:
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    return next((folder / n for n in names if n.lower() == "readme.md"), None)


def run(
    cfg: Config,
    slug: str,
    title: str | None,
    today: dt.date | None = None,
    kind: str | None = None,
) -> int:
    validate_slug(slug)
    if kind is not None and kind not in KINDS:  # pragma: no cover - click.Choice guards this
        raise FolioError(f"unknown kind '{kind}'; kinds: {', '.join(KINDS)}")
    folder = cfg.projects_path / slug
    folder_rel = rel(folder, cfg.root)
    found: Survey | None = None
    if os.path.lexists(folder):
        if not folder.is_dir():
            raise FolioError(f"{folder_rel} exists and is not a folder; nothing was written")
        if not is_inside(folder, cfg.root.resolve()):
            raise FolioError(f"{folder_rel} is a symlink out of the repository; not followed")
        readme = _existing_readme(folder)
        if readme is not None:
            raise FolioError(f"{rel(readme, cfg.root)} already exists; nothing was written")
        found = survey(folder, cfg.root)
    guessed = found.guess_kind() if found is not None else DEFAULT_KIND
    kind = kind or guessed
    title = title or slug.replace("-", " ").title()
    day = (_work_date(cfg, folder) if found is not None else None) or today or dt.date.today()
    schema = write_project_schema(cfg)
    schema_rel = os.path.relpath(schema, folder).replace(os.sep, "/")
    text = render_readme(
        title,
        schema_rel,
        day,
        kind=kind,
        front=front_lines(kind, found),
        body=sections(cfg, kind, found),
        status="completed" if found is not None and found.files else "in-progress",
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_if_changed(folder / "README.md", text)
    readme_rel = rel(folder / "README.md", cfg.root)
    if found is not None and found.files:
        click.echo(f"Adopted {folder_rel}: wrote {readme_rel} ({_summary(kind, found)})", err=True)
    else:
        click.echo(f"Created {readme_rel} (kind: {kind}, a draft)", err=True)
    click.echo(
        f"Next: replace every 'FILL IN' in {readme_rel}"
        + (", check what was proposed" if found is not None and found.files else "")
        + (", add the work beside it" if found is None or not found.files else "")
        + f", run 'folio check {folder_rel}', then delete 'draft: true' to publish it.",
        err=True,
    )
    return 0


def _summary(kind: str, found: Survey) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    parts = [f"kind: {kind}"]
    if found.notebooks:
        parts.append(count(len(found.notebooks), "notebook"))
    if found.code:
        parts.append(count(len(found.code), "code file"))
    if found.documents:
        parts.append(count(len(found.documents), "document"))
    if found.requirements:
        parts.append(found.requirements)
    if found.run:
        parts.append(f"run: {found.run}")
    return "; ".join(parts)
