"""fsio.read_text and read_bytes on real files: what they read and what they refuse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from repofolio.fsio import read_bytes, read_text


def test_a_file_that_grew_since_its_stat_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# Title\n", encoding="utf-8")
    before = os.stat(path)
    with path.open("a", encoding="utf-8") as fh:  # grows past the size the stat saw
        fh.write("more " * 30_000)
    result = read_text(path, st=before)
    assert result.text == "# Title\n" + "more " * 30_000
    assert read_bytes(path, before.st_size) == path.read_bytes()


def test_a_file_that_shrank_since_its_stat_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("a long first version\n" * 10, encoding="utf-8")
    before = os.stat(path)
    path.write_text("short\n", encoding="utf-8")
    assert read_text(path, st=before).text == "short\n"


def test_text_keeps_its_newlines_and_drops_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeffline one\r\nline two\rthree\n".encode())
    result = read_text(path)
    assert result.text == "line one\r\nline two\rthree\n" and result.has_bom


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [(b"PNG\x00\x01", "RD003", 0), (b"ok\nok\n\xff bad\n", "RD003", 3)],
    ids=["binary", "not-utf8"],
)
def test_bad_bytes_are_a_problem_with_its_line(
    tmp_path: Path, data: bytes, code: str, line: int
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(data)
    result = read_text(path)
    assert (result.text, result.code, result.line) == (None, code, line)


def test_folders_fifos_missing_and_large_files_are_refused_without_blocking(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)  # nobody writes: reading it would block forever
    big = tmp_path / "big.md"
    big.write_text("x" * 2_000, encoding="utf-8")
    assert read_text(fifo).problem == "is not a regular file"
    assert read_text(tmp_path).problem == "is a folder, expected a file"
    assert read_text(tmp_path / "gone.md").code == "RD001"
    assert read_text(big, max_bytes=1_000).problem == "file is too large (2000 bytes)"
