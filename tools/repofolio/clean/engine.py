"""The cleaning pipeline shared by ``folio clean`` and ``folio check``.

Read every file once, compute its cleaned text (notebook transform, one batched ruff run,
whitespace, optional path rewrites), scan what will be on disk for secrets and personal
paths, then report, diff or write. ``--check`` and fixing share this path; only the last
step differs. Heavy modules (nbformat, detect-secrets) load only when a file needs them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from repofolio import parallel
from repofolio.clean import code as codemod
from repofolio.clean import paths as pathmod
from repofolio.clean import secrets as secretmod
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.fsio import READ_FLAGS, decode, is_inside, read_bytes, write_if_changed

if TYPE_CHECKING:
    from repofolio.clean.notebook import Lines

TEXT_MAX_BYTES = 20_000_000
KEEP_TEXT_BYTES = 2_000_000
SKIP_PARTS = frozenset(
    {
        ".git",
        ".ipynb_checkpoints",
        "__pycache__",
        ".venv",
        "venv",
        "node_modules",
        ".folio-cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)


def wanted(name: str, extensions: Sequence[str]) -> bool:
    """A file ``folio clean`` looks at: a configured extension (or ``.env*``), not in a cache."""
    cut = name.rfind("/")
    base = name[cut + 1 :]
    suffixes = extensions if isinstance(extensions, tuple) else tuple(extensions)
    if not (base.endswith(suffixes) or base in suffixes or base.startswith(".env.")):
        return False
    return cut < 0 or SKIP_PARTS.isdisjoint(name[:cut].split("/"))


class Target(NamedTuple):
    """A file to clean: repo-relative POSIX path and the folder paths are relative to.

    A NamedTuple: folio check makes one per file of the portfolio (3,000 on 1,000 projects),
    and a frozen dataclass costs four times as much to build.
    """

    rel: str
    project_rel: str
    text: str | None = None  # already read (folio check passes the loaded README)


@dataclass
class Settings:
    """What a clean run does: check or fix, which files, which steps."""

    check: bool = False
    fix_paths: bool = False
    format_code: bool = True
    notebooks: bool = True  # clean notebooks (folio check: only report what clean would do)
    text: bool = True  # tidy code and text files
    scan_secrets: bool = True
    scan_paths: bool = True


@dataclass
class Item:
    """One file being cleaned: where it is, what kind, its text before and after."""

    target: Target
    file: str  # absolute path (os.path strings on the read path: pathlib cost a third of it)
    kind: str  # notebook | python | text
    old: str
    has_bom: bool = False
    nb: Any = None
    data: Any = None  # the parsed JSON until it becomes ``nb``
    reasons: set[str] = field(default_factory=set)
    new: str | None = None
    code_cells: list[int] = field(default_factory=list)
    dirty: bool = False  # changes, though ``new`` was not computed (--check without --diff)
    dropped: bool = False  # ``old`` let go of to save memory (a big notebook being fixed)

    @property
    def rel(self) -> str:
        return self.target.rel

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass
class Outcome:
    """What a clean run found and changed, for the report."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # rewritten, or would be with --check
    fatal: bool = False  # a notebook could not be processed at all
    secrets: list[tuple[str, secretmod.Secret]] = field(default_factory=list)
    pending: list[tuple[Diagnostic, secretmod.Secret]] = field(default_factory=list)
    unformatted: list[Unformatted] = field(default_factory=list)  # verdicts waiting for ruff


class Unformatted(NamedTuple):
    """A file's code for ruff, and what else was found: with DEFER_FORMAT, a ``--check``
    verdict waiting for ruff. Small (the code, not the outputs), so a process holds those
    of every batch it took."""

    rel: str
    kind: str  # notebook | python
    config: Path | None  # the ruff configuration of its folder
    sources: tuple[str, ...]  # the code cells' sources, or the .py file's text
    reasons: frozenset[str]  # the changes found without ruff


def kind_of(rel: str) -> str:
    if rel.endswith(".ipynb"):
        return "notebook"
    if rel.endswith((".py", ".pyi")):
        return "python"
    return "text"


MIN_NOTEBOOKS_PER_JOB = 12

# Files go through the pipeline in batches of about this many bytes, each read, cleaned,
# scanned and reported before the next is read: memory stays bounded by the batch (and the
# largest notebook) instead of growing with the portfolio (issue 19: 391 real notebooks,
# 152 MB, peaked at 248 MiB in one process). Worker processes take batches as they go, so
# a worker slowed by a busy core or a big notebook takes fewer. 0: one batch per worker,
# as before (the same output, tested).
BATCH_BYTES = 8_000_000
MAX_BATCHES = 255  # parallel.fork_pool hands out at most this many
# Batches are handed out largest first, so that no worker takes a big one (a 14 MB notebook
# of 150 PNGs) last while the other waits: on the real-shaped bench corpus (79 notebooks)
# `folio clean --check` took 0.249 s this way and 0.257 s in path order (farm-bench, 15
# runs each). False: in path order, as before (the same output, tested: the results are
# merged in path order either way).
LARGEST_FIRST = True
# With --check and no --diff, over more than one batch, ruff runs once in each process for
# every batch it took (its code cells and .py files), instead of once a batch: a ruff
# process costs about 14 ms of CPU to start, and the real-shaped bench corpus of 364
# notebooks (155 MB, 21 batches) started 21. Only the verdicts wait (the files' code is
# kept, their outputs are not). False: one ruff a batch, started before the notebooks are
# validated, as when fixing (the same findings, tested).
DEFER_FORMAT = True


def run(
    cfg: Config,
    targets: Sequence[Target],
    settings: Settings,
    *,
    diff_out: TextIO | None = None,
    chatter: TextIO | None = None,
) -> Outcome:
    """Clean ``targets`` in batches; many notebooks are split over forked worker processes.

    Parsing, validating and serialising notebooks is CPU-bound Python, so one process per
    core (``[tool.folio.clean] jobs``) divides the wall time; each takes contiguous batches
    (chatter and diffs stay in path order) and sends back its findings.

    The cyclic garbage collector is off meanwhile (``parallel.paused_gc``).
    """
    with parallel.paused_gc():
        jobs = job_count(cfg, targets)
        batches, weights, stats = _batches(cfg.root, list(targets), jobs)
        defer = len(batches) > 1 and _can_defer(settings, diff_out is not None)
        if jobs <= 1:
            outcome = Outcome()
            for batch in batches:
                done = _run(
                    cfg, batch, settings, diff_out=diff_out, chatter=chatter, stats=stats,
                    defer=defer,
                )  # fmt: skip
                _merge(outcome, done)
            _settle(cfg, outcome)
            return _in_target_order(outcome, targets) if defer else outcome
        from functools import partial

        from repofolio.clean import notebook  # import and compile once, shared by the forks

        notebook.warm_validator()
        for stream in (diff_out, chatter):
            if stream is not None:
                stream.flush()  # a forked child must not inherit unwritten output
        work = partial(
            _run_part, cfg, settings, stats, diff_out is not None, chatter is not None, defer
        )
        outcome = Outcome()
        order = None
        if LARGEST_FIRST:
            order = sorted(range(len(batches)), key=lambda i: -weights[i])
        finish = partial(_settle_parts, cfg) if defer else None
        for part in parallel.fork_pool(work, batches, jobs, order, finish=finish):
            diagnostics, changed, fatal, found, diff_text, chatter_text, _ = part
            outcome.diagnostics.extend(diagnostics)
            outcome.changed.extend(changed)
            outcome.fatal = outcome.fatal or fatal
            outcome.secrets.extend(found)
            if diff_out is not None and diff_text:
                diff_out.write(diff_text)  # batches in path order: so are the diffs
            if chatter is not None and chatter_text:
                chatter.write(chatter_text)
        return _in_target_order(outcome, targets) if defer else outcome


def _merge(outcome: Outcome, part: Outcome) -> None:
    outcome.diagnostics.extend(part.diagnostics)
    outcome.changed.extend(part.changed)
    outcome.fatal = outcome.fatal or part.fatal
    outcome.secrets.extend(part.secrets)
    outcome.unformatted.extend(part.unformatted)


def _can_defer(settings: Settings, diff: bool) -> bool:
    """Whether verdicts may wait for one ruff run a process (see DEFER_FORMAT): checking,
    no diff (which needs each cleaned text), formatting on, no path rewrites (which apply
    to the formatted code)."""
    return (
        DEFER_FORMAT
        and settings.check
        and not diff
        and settings.format_code
        and settings.text
        and not settings.fix_paths
    )


def _in_target_order(outcome: Outcome, targets: Sequence[Target]) -> Outcome:
    """``changed`` in the order of the targets: deferred verdicts come after the others."""
    rank = {target.rel: i for i, target in enumerate(targets)}
    outcome.changed.sort(key=lambda rel: rank.get(rel, len(rank)))
    return outcome


def job_count(cfg: Config, targets: Sequence[Target]) -> int:
    if not parallel.can_fork():
        return 1
    notebooks = sum(1 for t in targets if t.rel.endswith(".ipynb"))
    wanted = cfg.clean.jobs or min(parallel.cores(), parallel.MAX_JOBS)
    return max(1, min(wanted, notebooks // MIN_NOTEBOOKS_PER_JOB))


_Stats = dict[str, os.stat_result]  # repo-relative path -> its lstat


def _batches(
    root: Path, targets: list[Target], jobs: int
) -> tuple[list[list[Target]], list[int], _Stats]:
    """Contiguous batches of about BATCH_BYTES (file sizes), at least one file each, the
    bytes of each, and the lstat of each file (read again for none: 3,000 system calls of a
    1,000-project folio check).

    Without batching (BATCH_BYTES 0): ``jobs`` slices with the same number of notebooks
    (their weights: their numbers of files).
    """
    if not targets:
        return [], [], {}
    if not BATCH_BYTES:
        slices = _split(targets, jobs) if jobs > 1 else [targets]
        return slices, [len(s) for s in slices], {}
    prefix = os.path.join(root, "")
    sizes = []
    stats: _Stats = {}
    for target in targets:
        try:
            st = stats[target.rel] = os.lstat(prefix + target.rel)
        except OSError:
            sizes.append(0)  # _read says why, or skips it
        else:
            sizes.append(st.st_size)
    budget = max(BATCH_BYTES, sum(sizes) // MAX_BATCHES + 1)
    batches: list[list[Target]] = [[]]
    weights = [0]
    for target, size in zip(targets, sizes, strict=True):
        if batches[-1] and weights[-1] + size > budget:
            batches.append([])
            weights.append(0)
        batches[-1].append(target)
        weights[-1] += size
    return batches, weights, stats


def _split(targets: list[Target], jobs: int) -> list[list[Target]]:
    # Contiguous slices with about the same number of notebooks each.
    notebooks = [i for i, t in enumerate(targets) if t.rel.endswith(".ipynb")]
    bounds = [0] + [notebooks[len(notebooks) * k // jobs] for k in range(1, jobs)] + [len(targets)]
    return [targets[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


_Part = tuple[
    list[Diagnostic], list[str], bool, list[tuple[str, "secretmod.Secret"]], str, str,
    list[Unformatted],
]  # fmt: skip


def _run_part(
    cfg: Config,
    settings: Settings,
    stats: _Stats,
    diff: bool,
    chat: bool,
    defer: bool,
    chunk: Sequence[Target],
) -> _Part:
    """Clean a slice (in a forked worker, or in the parent): what the parent reports."""
    import io

    diff_buf = io.StringIO() if diff else None
    chat_buf = io.StringIO() if chat else None
    sub = _run(
        cfg, chunk, settings, diff_out=diff_buf, chatter=chat_buf, worker=True, stats=stats,
        defer=defer,
    )  # fmt: skip
    return (
        sub.diagnostics,
        sub.changed,
        sub.fatal,
        sub.secrets,
        diff_buf.getvalue() if diff_buf else "",
        chat_buf.getvalue() if chat_buf else "",
        sub.unformatted,
    )


def _settle_parts(cfg: Config, parts: list[_Part]) -> list[_Part]:
    """The deferred verdicts of every batch one process took, from one ruff run (each
    batch's NB001/CL001 go to that batch's part)."""
    outcome = Outcome()
    owner: dict[str, int] = {}
    for number, part in enumerate(parts):
        for waiting in part[6]:
            owner[waiting.rel] = number
            outcome.unformatted.append(waiting)
    if not outcome.unformatted:
        return parts
    _settle(cfg, outcome, threads=1)
    lists = [(list(part[0]), list(part[1])) for part in parts]
    for diagnostic in outcome.diagnostics:  # CL004 (ruff failed) once, with the first part
        lists[owner.get(diagnostic.path, 0)][0].append(diagnostic)
    for rel in outcome.changed:
        lists[owner[rel]][1].append(rel)
    return [
        (diagnostics, changed, *part[2:6], [])
        for (diagnostics, changed), part in zip(lists, parts, strict=True)
    ]


def _run(
    cfg: Config,
    targets: Sequence[Target],
    settings: Settings,
    *,
    diff_out: TextIO | None = None,
    chatter: TextIO | None = None,
    worker: bool = False,
    stats: _Stats | None = None,
    defer: bool = False,
) -> Outcome:
    """Clean ``targets`` in this process; ``stats``: the lstat of files taken already.

    ``defer`` (see DEFER_FORMAT): no ruff here; the verdicts of files with code wait in
    ``outcome.unformatted`` for :func:`_settle`.
    """
    outcome = Outcome()
    root = cfg.root.resolve()
    prefix = os.path.join(root, "")  # + a repo-relative path: os.path.join a file cost more
    # 1. read and parse; 2. start ruff on the sources; 3. validate and clean notebooks
    # while ruff runs; 4. apply ruff's output.
    items = []
    looked_at = settings.check and diff_out is None  # no notebook written or shown
    for target in targets:
        item = _read(root, prefix, target, settings, outcome, stats, looked_at)
        if item is None:
            continue
        if item.kind == "notebook" and len(item.old) > KEEP_TEXT_BYTES:
            # Clean a big notebook at once (its outputs shrink) rather than holding every
            # parsed notebook until ruff has started: memory stays bounded per notebook.
            if not _load_notebook(cfg, item, settings, outcome):
                continue
        items.append(item)
    formatting = None
    if settings.format_code and settings.text and not defer:
        formatting = _start_format(root, items, 1 if worker else None)
    finder = codemod.ConfigFinder(root) if defer else None
    items = [
        item
        for item in items
        if item.nb is not None or _load_notebook(cfg, item, settings, outcome)
    ]
    if formatting is not None:
        _apply_format(cfg, items, formatting, outcome)
    baseline = secretmod.load_baseline(root / cfg.clean.secrets_baseline)
    if baseline.problem:
        outcome.diagnostics.append(
            Diagnostic(cfg.clean.secrets_baseline, 0, 0, "SE002", baseline.problem, "warning")
        )
    for item in items:
        if finder is not None and _wait_for_ruff(item, finder, settings, outcome):
            continue
        _finish(root, item, settings, outcome, need_text=diff_out is not None)
        if not item.dirty and (item.new is None or item.new == item.old) and not item.dropped:
            continue
        outcome.changed.append(item.rel)
        if diff_out is not None and item.new is not None:
            diff_out.writelines(unified_diff(item.rel, _old_text(item), item.new))
        if settings.check:
            outcome.diagnostics.append(_needs_cleaning(item.rel, item.kind, item.reasons))
        elif item.new is not None:  # always computed when fixing
            data = ("\ufeff" + item.new) if item.has_bom else item.new
            old = None if item.dropped else ("\ufeff" + item.old) if item.has_bom else item.old
            write_if_changed(item.path, data, old)
            if chatter is not None:
                chatter.write(f"Rewriting {item.rel} ({', '.join(sorted(item.reasons))})\n")
    for diagnostic, secret in outcome.pending:  # a baseline accepts known false positives
        if not baseline.allows(diagnostic.path, secret):
            outcome.diagnostics.append(diagnostic)
            outcome.secrets.append((diagnostic.path, secret))
    outcome.pending.clear()
    return outcome


def _needs_cleaning(rel: str, kind: str, reasons: Iterable[str]) -> Diagnostic:
    code = "NB001" if kind == "notebook" else "CL001"
    what = "notebook needs cleaning" if kind == "notebook" else "needs cleaning"
    why = ", ".join(sorted(reasons))
    return Diagnostic(rel, 0, 0, code, f"{what}: {why} ('folio clean {rel}' fixes it)")


def _wait_for_ruff(
    item: Item, finder: codemod.ConfigFinder, settings: Settings, outcome: Outcome
) -> bool:
    """Scan a file with code now and leave its verdict for :func:`_settle` (True), or
    False: nothing for ruff (text, a notebook without code cells), finished as usual."""
    sources = _code_of(item)
    if sources is None:
        return False
    if item.kind == "python":  # a notebook was scanned before cleaning (_load_notebook)
        _scan_text(item, item.old, outcome, settings)
    config = finder.find(os.path.dirname(item.file))
    outcome.unformatted.append(
        Unformatted(item.rel, item.kind, config, sources, frozenset(item.reasons))
    )
    return True


def _settle(cfg: Config, outcome: Outcome, threads: int | None = None) -> None:
    """The verdicts waiting for ruff: one ruff run for all of them (a process per
    configuration and chunk), then each file's NB001 or CL001, as _apply_format and
    _finish would have given them."""
    waiting, outcome.unformatted = outcome.unformatted, []
    if not waiting:
        return
    result = codemod.RuffRun(_format_jobs(waiting), threads=threads).result()
    if result.problem:
        outcome.diagnostics.append(_format_problem(cfg, result))
    for w in waiting:
        reasons = set(w.reasons)
        if w.kind == "python":
            old = w.sources[0]
            formatted = result.files.get(w.rel, old)
            if formatted != old:
                reasons.add("ruff format")
            new = codemod.tidy_text(formatted)
            if new != formatted:
                reasons.add("whitespace")
            changed = new != old
        else:
            formatted_cells = result.cells.get(w.rel, list(w.sources))
            for old, formatted in zip(w.sources, formatted_cells, strict=True):
                if formatted != old:
                    reasons.add("ruff format")
                if codemod.tidy_lines(formatted) != formatted:
                    reasons.add("whitespace")
            changed = bool(reasons)
        if changed:
            outcome.changed.append(w.rel)
            outcome.diagnostics.append(_needs_cleaning(w.rel, w.kind, reasons))


def _old_text(item: Item) -> str:
    if not item.dropped:
        return item.old
    try:
        return item.path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def unified_diff(rel: str, old: str, new: str) -> Iterable[str]:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
    )
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


# lstat first (one system call: a symlink, a FIFO, an empty file need no more), then the
# file read with fsio.read_bytes (os.open/os.read). O_NOFOLLOW keeps a file swapped for a
# symlink since the lstat from being followed.
_OPEN_FLAGS = READ_FLAGS | getattr(os, "O_NOFOLLOW", 0)


def _read(
    root: Path,
    prefix: str,
    target: Target,
    settings: Settings,
    outcome: Outcome,
    stats: _Stats | None = None,
    blank_images: bool = False,
) -> Item | None:
    """The file read (and a notebook parsed: with ``blank_images``, past its base64
    images, nbfile.BLANK_IMAGES), or None when it is not cleaned."""
    path = prefix + target.rel
    st = _regular_file(path, root, target.rel, outcome, stats)
    if st is None:
        return None
    kind = kind_of(target.rel)
    if target.text is not None and kind != "notebook" and settings.check:
        return Item(target, path, kind, target.text)
    if kind == "notebook":
        if not settings.notebooks and not (settings.scan_secrets or settings.scan_paths):
            return None
        return _read_notebook(path, st.st_size, target, outcome, blank_images)
    if st.st_size > TEXT_MAX_BYTES or not st.st_size:
        return None  # an empty file (an __init__.py) has nothing to clean or scan
    try:
        raw = read_bytes(path, st.st_size, _OPEN_FLAGS)
    except OSError as exc:
        outcome.diagnostics.append(
            Diagnostic(target.rel, 0, 0, "CL003", f"cannot read: {exc.strerror}", "warning")
        )
        return None
    result = decode(raw)
    if result.text is None:
        if result.code == "RD003" and b"\0" in raw[:8192]:
            return None  # a binary file with a text extension: nothing to clean or scan
        outcome.diagnostics.append(
            Diagnostic(
                target.rel, result.line, 0, "CL003", f"{result.problem}; not cleaned", "warning"
            )
        )
        return None
    return Item(target, path, kind, result.text, has_bom=result.has_bom)


def _regular_file(
    path: str, root: Path, rel: str, outcome: Outcome, stats: _Stats | None = None
) -> os.stat_result | None:
    """The file's lstat (taken already when in ``stats``), or None: missing, a folder, a
    FIFO, or a symlink (one that leaves the repository is reported; one inside is cleaned as
    its target)."""
    st = stats.get(rel) if stats else None
    if st is None:
        try:
            st = os.lstat(path)
        except OSError:
            return None
    if stat.S_ISLNK(st.st_mode):
        if not is_inside(Path(path), root):
            outcome.diagnostics.append(
                Diagnostic(
                    rel, 0, 0, "CL002", "symlink leaves the repository; not followed", "warning"
                )
            )
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def _read_notebook(
    path: str, size: int, target: Target, outcome: Outcome, blank_images: bool = False
) -> Item | None:
    from repofolio.clean import nbfile

    if size > nbfile.MAX_BYTES:  # said from its size: reading 200 MB to say so cost 200 MB
        too_big = nbfile.too_large()
        outcome.diagnostics.append(Diagnostic(target.rel, 0, 0, too_big.code, too_big.message))
        outcome.fatal = True
        return None
    try:
        raw = read_bytes(path, size, _OPEN_FLAGS)
    except OSError as exc:
        outcome.diagnostics.append(
            Diagnostic(target.rel, 0, 0, "NB015", f"cannot read: {exc.strerror}")
        )
        outcome.fatal = True
        return None
    data, text, problem = nbfile.parse(raw, blank_images=blank_images)
    del raw  # only the text and the parsed data: a 50 MB notebook is held twice, not thrice
    if problem is not None:
        outcome.diagnostics.append(
            Diagnostic(target.rel, problem.line, problem.col, problem.code, problem.message)
        )
        outcome.fatal = True
        return None
    item = Item(target, path, "notebook", text, data=data)
    item.code_cells = nbfile.code_cells(data)
    return item


def _report_raised(item: Item, outcome: Outcome) -> None:
    """NB016 for each saved error output: a cell raised (cleaning would drop the evidence)."""
    from repofolio.raised import raised_cells

    for raised in raised_cells(item.nb, item.old):
        message = f"notebook has error outputs: {raised.text}; fix the cell and run it again"
        outcome.diagnostics.append(
            Diagnostic(item.rel, raised.line, 1 if raised.line else 0, "NB016", message, "warning")
        )


def _load_notebook(cfg: Config, item: Item, settings: Settings, outcome: Outcome) -> bool:
    """Validate and clean a parsed notebook; False when it is not one we may rewrite."""
    if item.kind != "notebook":
        return True
    from repofolio.clean import notebook

    loaded = notebook.from_data(item.data)
    item.data = None
    if loaded.problem is not None:
        p = loaded.problem
        outcome.diagnostics.append(Diagnostic(item.rel, p.line, p.col, p.code, p.message))
        outcome.fatal = True
        return False
    item.nb = loaded.nb
    item.reasons = set(loaded.reasons)
    if settings.check:  # report what is on disk: scan before cleaning
        _scan_notebook(item, item.old, outcome, settings)
        _report_raised(item, outcome)
    if settings.notebooks:
        c = cfg.clean
        opts = notebook.Options(
            drop_errors=c.drop_errors,
            drop_stderr=c.drop_stderr,
            strip_outputs=c.strip_outputs,
            max_output_lines=c.max_output_lines,
            max_output_chars=c.max_output_chars,
        )
        try:
            item.reasons |= notebook.clean(item.nb, opts)
        except notebook.StripError as exc:  # the file is reported and left as it is
            p = exc.problem
            line, col = _cell_line(item.old, p.message)
            outcome.diagnostics.append(Diagnostic(item.rel, line, col, p.code, p.message))
            outcome.fatal = True
            return False
    if len(item.old) > KEEP_TEXT_BYTES:
        # The cleaned node is small (outputs truncated); the text on disk is not. Keep
        # memory bounded over many big notebooks: read it again if a diff needs it.
        item.old = ""
        item.dropped = True
    return True


def _cell_line(text: str, message: str) -> tuple[int, int]:
    """Where the cell a message names ("cell 3 (id 'ab12')") starts in the file, if it has
    an id to find it by."""
    import re

    match = re.match(r"cell \d+ \(id '([^']*)'\)", message)
    pos = text.find(f'"id": "{match.group(1)}"') if match and text else -1
    if pos < 0:
        return 0, 0
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _code_of(item: Item) -> tuple[str, ...] | None:
    """What ruff formats of a file: a .py file's text, a notebook's non-empty code cells
    (nbfile.code_cells: cleaning keeps them in their places), or None: nothing."""
    if item.kind == "python":
        return (item.old,)
    if item.kind != "notebook" or not item.code_cells:
        return None
    cells = item.data["cells"] if item.nb is None else item.nb["cells"]
    return tuple(_joined(cells[i].get("source", "")) for i in item.code_cells)


def _format_jobs(files: Sequence[Unformatted]) -> list[codemod.FormatJob]:
    """The files' code grouped by ruff configuration."""
    jobs: dict[Path | None, codemod.FormatJob] = {}
    for f in files:
        job = jobs.get(f.config)
        if job is None:
            job = jobs[f.config] = codemod.FormatJob(f.config)
        if f.kind == "python":
            job.files[f.rel] = f.sources[0]
        else:
            job.notebooks[f.rel] = list(f.sources)
    return list(jobs.values())


def _start_format(
    root: Path, items: list[Item], threads: int | None = None
) -> codemod.RuffRun | None:
    finder = codemod.ConfigFinder(root)  # per run: a config written since the last run counts
    files = []
    for item in items:
        sources = _code_of(item)
        if sources is not None:
            config = finder.find(os.path.dirname(item.file))
            files.append(Unformatted(item.rel, item.kind, config, sources, frozenset()))
    return codemod.RuffRun(_format_jobs(files), threads=threads) if files else None


def _apply_format(
    cfg: Config, items: list[Item], formatting: codemod.RuffRun, outcome: Outcome
) -> None:
    result = formatting.result()
    if result.problem:
        outcome.diagnostics.append(_format_problem(cfg, result))
    for item in items:
        if item.kind == "python" and item.rel in result.files:
            item.new = result.files[item.rel]
            if item.new != item.old:
                item.reasons.add("ruff format")
        elif item.kind == "notebook" and item.rel in result.cells and item.nb is not None:
            cells = item.nb["cells"]
            for index, source in zip(item.code_cells, result.cells[item.rel], strict=True):
                if index < len(cells) and cells[index].get("cell_type") == "code":
                    if source != cells[index]["source"]:
                        cells[index]["source"] = source
                        item.reasons.add("ruff format")


def _format_problem(cfg: Config, result: codemod.FormatResult) -> Diagnostic:
    """CL004: ruff missing or failed, said at the configuration it ran with."""
    where = cfg.source or "pyproject.toml"
    if result.problem_config is not None:  # the configuration ruff failed with
        where = os.path.relpath(result.problem_config, cfg.root.resolve())
        where = where.replace(os.sep, "/")
    return Diagnostic(where, 0, 0, "CL004", result.problem or "", "warning")


def _finish(
    root: Path, item: Item, settings: Settings, outcome: Outcome, *, need_text: bool = True
) -> None:
    fixer = None
    if settings.fix_paths:
        project = root / item.target.project_rel
        fixer = pathmod.resolver(item.path.parent, project, root)
    if item.kind == "notebook":
        _finish_notebook(item, settings, fixer, need_text=need_text or not settings.check)
    elif settings.text:
        text = item.new if item.new is not None else item.old
        tidy = codemod.tidy_text(text, markdown=item.rel.endswith((".md", ".markdown")))
        if tidy != text:
            item.reasons.add("whitespace")
        if fixer is not None:
            fixed = pathmod.fix_paths(tidy, fixer)
            if fixed != tidy:
                item.reasons.add("personal paths")
            tidy = fixed
        item.new = tidy
    else:
        item.new = item.old
    on_disk = item.old if settings.check else (item.new if item.new is not None else item.old)
    if item.kind != "notebook":
        _scan_text(item, on_disk, outcome, settings)
    elif not settings.check:
        _scan_notebook(item, on_disk, outcome, settings)


def _finish_notebook(item: Item, settings: Settings, fixer: Any, *, need_text: bool) -> None:
    from repofolio.clean import notebook

    if settings.notebooks:
        for index in item.code_cells:
            cell = item.nb["cells"][index]
            tidy = codemod.tidy_lines(cell["source"])
            if tidy != cell["source"]:
                cell["source"] = tidy
                item.reasons.add("whitespace")
    if fixer is not None:
        if notebook.map_texts(item.nb, lambda s: pathmod.fix_paths(s, fixer)):
            item.reasons.add("personal paths")
    if not item.reasons:
        item.new = None if item.dropped else item.old
        item.dropped = False  # nothing to write
    elif need_text:
        item.new = notebook.dumps(item.nb)
    else:  # --check without --diff: that it changes is enough, skip serialising it
        item.new = None
        item.dirty = True


def _scan_text(item: Item, text: str, outcome: Outcome, settings: Settings) -> None:
    if settings.scan_secrets:
        for secret in secretmod.scan_text(text, item.rel):
            _add_secret(outcome, item.rel, secret.line, secret.col, secret, "")
    if settings.scan_paths:
        for found in pathmod.find_paths(text):
            _add_path(outcome, item.rel, found.line, found.col, found.text)


def _scan_notebook(item: Item, text: str, outcome: Outcome, settings: Settings) -> None:
    from repofolio.clean import notebook

    # Each piece is gated on its own (a literal search, then the lines around the hits):
    # joining them first for one test over the notebook copied every output for nothing.
    # A cell's outputs are in the file in order, as are the findings of a piece: each is
    # looked for after the one before, so "/Users/x/a" after "/Users/x/a.b" in the same
    # cell is placed where it is, not at the start of the other (a secret in a cell's
    # stream and in its HTML is two findings); the same path again in the outputs of a
    # cell (in every line of a traceback) is said once, at its first.
    last: dict[tuple[int, str], int] = {}
    cell_at: dict[int, int] = {}  # where each cell's id is in the text, searched once
    placed: set[tuple[int, str, str]] = set()  # a path repeated in a place is said once
    lines = notebook.Lines(text)
    for number, where, piece in notebook.text_pieces(item.nb):
        secrets = secretmod.scan_text(piece, item.rel) if settings.scan_secrets else []
        found = pathmod.find_paths(piece) if settings.scan_paths else []
        if not secrets and not found:
            continue
        if number not in cell_at:
            cell_id = item.nb["cells"][number - 1].get("id") if number else None
            cell_at[number] = text.find(f'"id": "{cell_id}"') if cell_id else -1
        label = f" in cell {number} {where}" if number else f" in {where}"
        for secret in secrets:
            value = secret.found_as or secret.value
            line, col = _place(lines, value, cell_at[number], last, (number, where))
            _add_secret(outcome, item.rel, line, col, secret, label)
        for path in found:
            key = (number, "path " + where)
            if (*key, path.text) in placed:
                continue
            placed.add((*key, path.text))
            line, col = _place(lines, path.text, cell_at[number], last, key)
            _add_path(outcome, item.rel, line, col, path.text, label)


def _place(
    lines: Lines, value: str, cell_at: int, last: dict[tuple[int, str], int], key: tuple[int, str]
) -> tuple[int, int]:
    """Line and column of a finding: looked for after its cell's id and after the last one
    of its kind in the same place of the cell, else anywhere."""
    from repofolio.clean import notebook

    pos = notebook.find(lines.text, value, after=max(cell_at - 1, last.get(key, -1)))
    if pos >= 0:
        last[key] = pos
    return lines.line_col(pos)


def _add_secret(
    outcome: Outcome, rel: str, line: int, col: int, secret: secretmod.Secret, label: str
) -> None:
    d = Diagnostic(
        rel, line, col if line else 0, "SE001", f"{secret.kind.lower()}: {secret.masked}{label}"
    )
    outcome.pending.append((d, secret))


def _add_path(outcome: Outcome, rel: str, line: int, col: int, text: str, label: str = "") -> None:
    shown = text if len(text) <= 60 else text[:57] + "..."
    outcome.diagnostics.append(
        Diagnostic(
            rel,
            line,
            col if line else 0,
            "PA001",
            f"personal absolute path {shown!r}{label}; fix with 'folio clean --fix-paths'",
        )
    )
