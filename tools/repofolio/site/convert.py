"""Notebooks to Markdown pages with nbconvert's MarkdownExporter, cached on disk by content.

The cache key is the notebook's bytes, its file name, the nbconvert version and our options,
so an unchanged notebook is never converted twice. A notebook whose size, mtime, ctime and
inode are those recorded when its key was last computed is not read nor hashed again
(``stat-index.json``, the way git's index trusts a file's stat data); a file changed within
the last seconds before the index was written is never trusted that way, since a second
change could keep the same stamp. A cache entry is a folder holding
``page.md``, ``meta.json`` and the output images; the site reads the images from there
(no copy, no bytes in memory). Failures are cached too: a 50 MB notebook with invalid JSON
is read once. Many changed notebooks are converted in parallel processes.

No mkdocs import here: ``folio docs`` and other builders use this module too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

# Bump when the conversion's output changes, so old cache entries are not reused.
OPTIONS_VERSION = "5"  # 5: meta.json records the cells that raised
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
IMAGE_ALT = re.compile(r"!\[(png|jpeg|svg)\]\(([^)\s]*?output_(\d+)_(\d+)\.\w+)\)")
Progress = Callable[[str], None]
INDEX = "stat-index.json"
RACY_NS = 2 * 10**9  # files changed this close to the index's writing are hashed next time


@dataclass(frozen=True)
class Converted:
    """A converted notebook: Markdown, its output files in ``files_dir``, or an ``error``."""

    rel: str  # repo-relative notebook path
    markdown: str = ""
    title: str = ""
    files_dir: Path | None = None  # folder with the outputs the Markdown links to
    files: tuple[str, ...] = ()  # names inside files_dir
    error: str | None = None  # one line, lowercase; the notebook is not published
    warnings: tuple[str, ...] = ()
    cached: bool = False
    # the error outputs the notebook holds: (cell, exception name, message), as
    # repofolio.raised finds them; its page says so
    raised: tuple[tuple[int, str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Job:
    path: Path
    rel: str
    key: str
    entry: Path  # cache folder of this key
    files_name: str  # "<stem>_files", the folder name the Markdown links to
    max_output_chars: int


@dataclass
class Summary:
    converted: int = 0
    cached: int = 0
    failed: list[Converted] = field(default_factory=list)


@lru_cache(maxsize=1)
def nbconvert_version() -> str:
    try:
        return version("nbconvert")
    except PackageNotFoundError:  # pragma: no cover - nbconvert is a dependency
        return "unknown"


def cache_key(data: bytes, name: str, max_output_chars: int) -> str:
    digest = hashlib.sha256()
    for part in (OPTIONS_VERSION, nbconvert_version(), name, str(max_output_chars)):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def files_name(rel: str) -> str:
    return f"{Path(rel).stem}_files"


def convert_all(
    notebooks: Sequence[tuple[Path, str]],
    cache_dir: Path,
    *,
    max_bytes: int = 100 * 2**20,
    max_output_chars: int = 20_000,
    jobs: int = 0,
    parallel_from: int = 4,
    progress: Progress | None = None,
) -> dict[str, Converted]:
    """Convert ``(path, repo-relative path)`` pairs; cache hits cost a stat and two reads."""
    results: dict[str, Converted] = {}
    todo: list[Job] = []
    salt = [OPTIONS_VERSION, nbconvert_version(), max_output_chars]
    known = _load_index(cache_dir / INDEX, salt)
    stamps: dict[str, list[Any]] = {}
    for path, rel in notebooks:
        try:
            st = path.stat()
        except OSError as exc:
            results[rel] = Converted(rel, error=f"cannot read: {exc.strerror or exc}")
            continue
        size = st.st_size
        stamp = [size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, path.name]
        old = known.get(rel)
        if old is not None and old[:-1] == stamp:
            key = str(old[-1])
            hit = read_entry(cache_dir / "notebooks" / key[:2] / key, rel)
            if hit is not None:
                stamps[rel] = old
                results[rel] = hit
                if progress:
                    progress(rel)
                continue
        if size > max_bytes:
            mb = size / 2**20
            results[rel] = Converted(
                rel,
                error=f"notebook is too large to publish ({mb:.0f} MB, limit "
                f"{max_bytes / 2**20:.0f} MB); run folio clean to cut its outputs",
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            results[rel] = Converted(rel, error=f"cannot read: {exc.strerror or exc}")
            continue
        key = cache_key(data, path.name, max_output_chars)
        stamps[rel] = [*stamp, key]
        entry = cache_dir / "notebooks" / key[:2] / key
        hit = read_entry(entry, rel)
        if hit is not None:
            results[rel] = hit
            if progress:
                progress(rel)
            continue
        todo.append(Job(path, rel, key, entry, files_name(rel), max_output_chars))
    workers = jobs or os.cpu_count() or 1
    if len(todo) >= parallel_from and workers > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            futures = {pool.submit(run_job, job): job for job in todo}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    results[job.rel] = future.result()
                except Exception as exc:  # a crashed worker: report, keep the rest
                    results[job.rel] = Converted(job.rel, error=_one_line(exc))
                if progress:
                    progress(job.rel)
    else:
        for job in todo:
            results[job.rel] = run_job(job)
            if progress:
                progress(job.rel)
    _save_index(cache_dir / INDEX, salt, stamps, known)
    return results


def _load_index(path: Path, salt: list[Any]) -> dict[str, list[Any]]:
    """Notebook path -> [size, mtime_ns, ctime_ns, inode, name, key], when made with ``salt``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("salt") != salt:
            return {}
        entries = data["entries"]
        return {str(k): v for k, v in entries.items() if isinstance(v, list) and len(v) == 6}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def _save_index(
    path: Path, salt: list[Any], stamps: dict[str, list[Any]], known: dict[str, list[Any]]
) -> None:
    # Racy files (changed just before now) are left out: a change within the same clock
    # tick after this moment would keep their stamp. They are hashed again next time.
    limit = time.time_ns() - RACY_NS
    entries = {rel: v for rel, v in stamps.items() if max(v[1], v[2]) < limit}
    if entries == known:
        return
    from repofolio.fsio import write_if_changed

    try:
        write_if_changed(path, json.dumps({"salt": salt, "entries": entries}, sort_keys=True))
    except OSError:  # a read-only cache still builds the site, only slower next time
        pass


def read_entry(entry: Path, rel: str) -> Converted | None:
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        if meta.get("error"):
            return Converted(rel, error=meta["error"], cached=True)
        markdown = (entry / "page.md").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    files_dir = entry / "files"
    return Converted(
        rel,
        markdown,
        meta.get("title", ""),
        files_dir if meta.get("files") else None,
        tuple(meta.get("files", ())),
        None,
        tuple(meta.get("warnings", ())),
        cached=True,
        raised=tuple((int(c), str(n), str(v)) for c, n, v in meta.get("raised", ())),
    )


def run_job(job: Job) -> Converted:
    """Convert one notebook and store the result (or the failure) in its cache folder."""
    try:
        data = job.path.read_bytes()
        markdown, title, outputs, warnings, raised = convert_bytes(
            data, job.files_name, job.max_output_chars
        )
    except NotebookError as exc:
        result = Converted(job.rel, error=str(exc))
        _store(job.entry, {"error": result.error}, "", {})
        return result
    except Exception as exc:  # nbconvert bugs on odd notebooks: report the notebook, go on
        result = Converted(job.rel, error=f"nbconvert failed: {_one_line(exc)}")
        _store(job.entry, {"error": result.error}, "", {})
        return result
    names = tuple(sorted(outputs))
    meta = {"title": title, "files": list(names), "warnings": warnings, "raised": raised}
    _store(job.entry, meta, markdown, outputs)
    return Converted(
        job.rel,
        markdown,
        title,
        job.entry / "files" if names else None,
        names,
        None,
        tuple(warnings),
        raised=tuple(raised),
    )


class NotebookError(Exception):
    """A notebook that cannot be published; the message is one lowercase line."""


def convert_bytes(
    data: bytes, files_dir: str, max_output_chars: int = 20_000
) -> tuple[str, str, dict[str, bytes], list[str], list[tuple[int, str, str]]]:
    """(Markdown, title, {file name: bytes}, warnings, cells that raised) of a notebook's
    bytes."""
    import nbformat

    warnings: list[str] = []
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NotebookError("notebook is not valid UTF-8") from None
    except ValueError as exc:
        raise NotebookError(f"notebook is not valid JSON: {_one_line(exc)}") from None
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise NotebookError("not a notebook: no 'cells' in the JSON object")
    major = raw.get("nbformat")
    if major != 4:
        if major == 3:
            warnings.append("nbformat 3 notebook upgraded to nbformat 4 for the site")
        else:
            raise NotebookError(f"unsupported nbformat {major!r} (expected 4)")
    from repofolio.raised import raised_cells

    raised = [(r.cell, r.ename, r.evalue) for r in raised_cells(raw)]
    _drop_widget_state(raw)
    try:
        # to_notebook_json joins list-of-lines sources, as nbformat.reads does
        nb = nbformat.versions[major].to_notebook_json(raw)
        if major != 4:
            nb = nbformat.convert(nb, 4)  # type: ignore[no-untyped-call]
    except Exception as exc:
        raise NotebookError(f"cannot read the notebook: {_one_line(exc)}") from None
    _clean_outputs(nb, max_output_chars, warnings)
    title = _title(nb)
    markdown, resources = _exporter().from_notebook_node(
        _owned(nb), resources={"output_files_dir": files_dir, "unique_key": "output"}
    )
    outputs: dict[str, bytes] = {}
    for name, content in (resources.get("outputs") or {}).items():
        base = Path(name).name  # names are "<files_dir>/output_3_0.png": keep the file name
        outputs[base] = content if isinstance(content, bytes) else str(content).encode()
    markdown = IMAGE_ALT.sub(lambda m: f"![Output of cell {int(m[3]) + 1}]({m[2]})", markdown)
    markdown = outputs_as_pre(markdown)
    return markdown.strip() + "\n", title, outputs, warnings, raised


def _owned(nb: Any) -> Any:
    """The notebook as a node that nbconvert's exporter does not deep-copy.

    The exporter copies the whole notebook twice (and the validator's normalize once more)
    so that it never changes its caller's object: 40% of a conversion here. This notebook
    was parsed for this export and is dropped after it, so the exporter may work on it.
    """
    import nbformat

    class Owned(nbformat.NotebookNode):
        def __deepcopy__(self, memo: Any) -> Any:
            return self

    return Owned(nb)  # type: ignore[no-untyped-call]


def outputs_as_pre(markdown: str) -> str:
    """Text outputs (indented blocks in nbconvert's Markdown) as ``<pre class="folio-output">``.

    Outputs are not code: no highlighting, no copy button, no script work per block (each
    code block costs Material's JavaScript time on a phone), and a look of their own.
    """
    out: list[str] = []
    block: list[str] = []
    fence: str | None = None
    prev_blank = True

    def flush() -> None:
        if block:
            while block and not block[-1].strip():
                block.pop()
            text = "\n".join(line[4:] if line.startswith("    ") else "" for line in block)
            out.append(f'<pre class="folio-output">{escape(text)}</pre>')
            out.append("")
            block.clear()

    for line in markdown.split("\n"):
        if fence is None and block:
            if line.startswith("    ") or not line.strip():
                block.append(line)
                continue
            flush()
        stripped = line.lstrip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif line.startswith("    ") and prev_blank and line.strip():
            block.append(line)
            continue
        out.append(line)
        prev_blank = not line.strip()
    flush()
    return "\n".join(out)


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from nbconvert import MarkdownExporter

    class Exporter(MarkdownExporter):
        # nbconvert validates the whole notebook against the schema after each of its
        # preprocessors: half the conversion time, and a notebook it rejects would be an
        # error there anyway (caught and reported per notebook like any other).
        def _validate_preprocessor(self, nbc: Any, preprocessor: Any) -> None:
            return None

    return Exporter()  # type: ignore[no-untyped-call]


def _drop_widget_state(raw: dict[str, Any]) -> None:
    # Widget state never renders in Markdown, and malformed state makes nbconvert's
    # exporters raise KeyError (jupyter/nbconvert#1731): drop it before exporting.
    meta = raw.get("metadata")
    if isinstance(meta, dict):
        meta.pop("widgets", None)
    for cell in raw.get("cells") or ():
        if isinstance(cell, dict) and isinstance(cell.get("metadata"), dict):
            cell["metadata"].pop("widgets", None)
        for output in (cell.get("outputs") or ()) if isinstance(cell, dict) else ():
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict):
                data.pop("application/vnd.jupyter.widget-view+json", None)


def _clean_outputs(nb: Any, limit: int, warnings: list[str]) -> None:
    cut = 0
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            if output.get("output_type") == "stream":
                output["text"], was_cut = _cut(ANSI.sub("", output.get("text", "")), limit)
                cut += was_cut
            elif output.get("output_type") == "error":
                output["traceback"] = [ANSI.sub("", line) for line in output.get("traceback", ())]
            data = output.get("data")
            if data:
                for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                    if mime in data and isinstance(data[mime], str):
                        text = ANSI.sub("", data[mime])
                        data[mime], was_cut = _cut(text, limit)
                        cut += was_cut
    if cut:
        warnings.append(f"{cut} long output(s) cut to {limit} characters")


def _cut(text: str, limit: int) -> tuple[str, int]:
    if len(text) <= limit:
        return text, 0
    return text[:limit] + f"\n[... {len(text) - limit} more characters not shown]\n", 1


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            for line in cell.get("source", "").splitlines():
                if line.startswith("# "):
                    return str(line[2:]).strip().strip("#").strip()
    return ""


def _store(entry: Path, meta: dict[str, Any], markdown: str, outputs: dict[str, bytes]) -> None:
    # Write into a temporary folder, then rename: a crash or a parallel build never leaves
    # a half-written entry that a later build would trust.
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".{entry.name}."))
    try:
        (tmp / "page.md").write_text(markdown, encoding="utf-8")
        if outputs:
            (tmp / "files").mkdir()
            for name, content in outputs.items():
                (tmp / "files" / name).write_bytes(content)
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if entry.exists():  # a corrupt entry that read_entry refused
            shutil.rmtree(entry, ignore_errors=True)
        try:
            os.replace(tmp, entry)
        except OSError:  # another process stored the same key first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    name = type(exc).__name__
    return f"{name}: {text[0]}" if text else name
