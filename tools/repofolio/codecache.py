"""Compiled generated code, kept in the user's cache directory between runs.

fastjsonschema writes nbformat's schema out as Python source (657 lines) and compiles it on
every run: 10.6 ms of each ``folio check`` and ``folio clean`` (``folio check FILE`` takes
about 0.15 s in all). The code object, marshalled to ``<cache>/repofolio/code/<key>.bin``,
loads and runs in 0.2 ms. The key holds everything the code depends on: its source's
inputs (the caller's ``parts``) and the interpreter's version (marshal's format is
CPython's own). A file that cannot be read, loaded or written is no error: the code is
generated as before.

``FOLIO_CODE_CACHE=0`` (or ``ENABLED = False``) turns it off: generated every time, the
same code (tested).

The cache folder is the XDG one on Linux (``$XDG_CACHE_HOME``, else ``~/.cache``), as
platformdirs gives it, without importing platformdirs (its import, with tempfile and
shutil, would cost 4 ms of the 10 saved); elsewhere platformdirs says where.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Callable
from types import CodeType

ENABLED = os.environ.get("FOLIO_CODE_CACHE", "1") not in ("0", "false", "no", "off")


def cache_dir() -> str:
    """``<user cache>/repofolio/code``."""
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
            base = os.path.join(os.path.expanduser("~"), ".cache")
    else:
        import platformdirs

        base = platformdirs.user_cache_dir(appauthor=False)
    return os.path.join(base, "repofolio", "code")


def key(*parts: str) -> str:
    """A file name for code made from ``parts`` by this interpreter."""
    text = "\0".join((sys.version, str(marshal.version), *parts)).encode("utf-8", "replace")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}{len(text):x}"


def compiled(name: str, parts: tuple[str, ...], source: Callable[[], str]) -> CodeType:
    """The code object of ``source()``, from the cache when ``parts`` were seen before."""
    path = os.path.join(cache_dir(), f"{name}-{key(name, *parts)}.bin") if ENABLED else ""
    if path:
        try:
            with open(path, "rb") as fh:
                code = marshal.loads(fh.read())
            if isinstance(code, CodeType):
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not there yet, or unreadable: made again below
    code = compile(source(), f"<{name}>", "exec")
    if path:
        _store(path, marshal.dumps(code))
    return code


def _store(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file)."""
    from pathlib import Path

    from repofolio.fsio import write_if_changed

    try:
        write_if_changed(Path(path), data)
    except OSError:  # a read-only or full disk: the next run generates the code again
        pass
