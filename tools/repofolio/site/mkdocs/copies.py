"""The files the plugin publishes as they are (images, PDFs, notebook outputs).

Each is a :class:`CopiedFile`: mkdocs copies it as any static file, unless a speed layer took
the copies over (``Copies``): the last site's same file put back (``stale_site``), the copy
made by a thread while pages render (``writer``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs.structure.files import File

Job = Callable[[], None]


@dataclass
class Copies:
    """How this build's copied files get into the site, when speed layers say."""

    # the last build's copy of the file, when it is the same (the stale-site layer's)
    kept: Callable[[File], str | None] | None = None
    # runs a copy later, elsewhere (the writer layer's thread)
    submit: Callable[[Job], None] | None = None

    @property
    def active(self) -> bool:
        return self.kept is not None or self.submit is not None


class CopiedFile(File):
    """A generated file backed by a file on disk."""

    copies: Copies | None = None

    def copy_file(self, dirty: bool = False) -> None:
        copies, src = self.copies, self.abs_src_path
        if copies is None or not copies.active or src is None:
            super().copy_file(dirty)
            return
        if dirty and not self.is_modified():
            return
        kept = copies.kept(self) if copies.kept is not None else None
        dest = self.abs_dest_path

        def job() -> None:
            copy_into(src, dest, kept)

        if copies.submit is not None:
            copies.submit(job)
        else:
            job()


def copy_into(src: str, dest: str, kept: str | None = None) -> None:
    """``src`` copied to ``dest``, or ``kept`` (the same file) renamed there."""
    if kept is not None and rename_into(kept, dest):
        return
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    try:
        shutil.copyfile(src, dest)
    except shutil.SameFileError:  # as mkdocs: a plugin may write into the site directly
        pass


def rename_into(src: str, dest: str) -> bool:
    try:
        os.rename(src, dest)
    except FileNotFoundError:  # its folder is not made yet
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.rename(src, dest)
        except OSError:
            return False
    except OSError:
        return False
    return True
