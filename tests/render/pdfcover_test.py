"""render/pdfcover.py: page 1 of real Typst PDFs rendered by PDFium, cached by content, and a
one-line reason for every PDF that cannot be (empty, not a PDF, cut short, encrypted, no
pages), never a traceback."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import typst_pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from repofolio.render.pdfcover import MAX_RATIO, pdf_cover

PAPER = (0xFB, 0xFA, 0xF5)  # the page fill of conftest's typst_pdf
NAVY = (0x1D, 0x44, 0x67)  # its title colour


@pytest.fixture(scope="module")
def thesis_pdf() -> bytes:
    return typst_pdf("Conformal prediction for reliable classification", 3)


def _close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("fmt", ["webp", "png"])
def test_first_page_is_rendered_at_the_width(tmp_path: Path, thesis_pdf: bytes, fmt: str) -> None:
    pdf = tmp_path / "thesis.pdf"
    pdf.write_bytes(thesis_pdf)
    cover = pdf_cover(pdf, tmp_path / "cache", width=420, fmt=fmt)  # type: ignore[arg-type]
    assert cover.ok and cover.problem is None and cover.path is not None
    assert cover.path.parent == tmp_path / "cache" and cover.path.suffix == f".{fmt}"
    with Image.open(cover.path) as im:
        assert im.format == fmt.upper()
        assert im.size == (cover.width, cover.height)
        assert cover.width == 420 and abs(cover.height - 420 * 29.7 / 21) <= 1  # A4's ratio
        rgb = im.convert("RGB")
        assert _close(rgb.getpixel((5, 5)), PAPER)  # the page, not transparent black
        # the title is drawn in the middle of page 1, in its colour
        middle = [
            rgb.getpixel((x, cover.height // 2 + dy)) for x in range(420) for dy in (-8, 0, 8)
        ]
        assert any(_close(p, NAVY, 40) for p in middle)


def test_the_cache_is_by_content(tmp_path: Path, thesis_pdf: bytes) -> None:
    first = pdf_cover(thesis_pdf, tmp_path / "a", width=300)
    assert first.path is not None
    stamp = first.path.stat().st_mtime_ns
    os.utime(first.path, ns=(stamp - 10**9, stamp - 10**9))
    again = pdf_cover(thesis_pdf, tmp_path / "a", width=300)
    assert again == first and again.path is not None
    assert again.path.stat().st_mtime_ns == stamp - 10**9  # not rendered or written again
    elsewhere = pdf_cover(thesis_pdf, tmp_path / "b", width=300)
    assert elsewhere.path is not None
    assert elsewhere.path.name == first.path.name
    assert elsewhere.path.read_bytes() == first.path.read_bytes()  # deterministic
    other = pdf_cover(typst_pdf("Another thesis"), tmp_path / "a", width=300)
    wider = pdf_cover(thesis_pdf, tmp_path / "a", width=301)
    assert len({first.path, other.path, wider.path}) == 3
    # a damaged cache file is made again, not served
    first.path.write_bytes(b"not an image")
    remade = pdf_cover(thesis_pdf, tmp_path / "a", width=300)
    assert remade.ok and remade.path is not None
    assert remade.path.read_bytes() == elsewhere.path.read_bytes()


def test_a_tall_page_shows_its_top(tmp_path: Path) -> None:
    poster = typst_pdf("Poster", 1, "20cm", "80cm")
    cover = pdf_cover(poster, tmp_path, width=200, fmt="png")
    assert cover.ok
    assert (cover.width, cover.height) == (200, int(200 * MAX_RATIO))


def _encrypted(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret", algorithm="RC4-128")  # pure Python: no cryptography needed
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _no_pages() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("empty", "thesis.pdf: the file is empty"),
        ("text", "thesis.pdf: not a PDF (no %PDF- header)"),
        ("cut", "thesis.pdf: cannot be opened (damaged, or not a PDF)"),
        ("encrypted", "thesis.pdf: cannot be opened (it is encrypted with a password)"),
        ("no-pages", "thesis.pdf: cannot be opened (it has no pages)"),
        ("missing", "thesis.pdf: cannot be read (No such file or directory)"),
    ],
)
def test_a_pdf_that_cannot_be_rendered_gives_one_line(
    tmp_path: Path, thesis_pdf: bytes, case: str, reason: str
) -> None:
    data = {
        "empty": b"",
        "text": b"This is a thesis, honestly.\n",
        "cut": thesis_pdf[:600],
        "encrypted": _encrypted(thesis_pdf),
        "no-pages": _no_pages(),
    }
    pdf = tmp_path / "thesis.pdf"
    if case in data:
        pdf.write_bytes(data[case])
    cover = pdf_cover(pdf, tmp_path / "cache", name="thesis.pdf")
    assert cover.path is None and not cover.ok
    assert cover.problem == reason
    assert "\n" not in reason
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_an_encrypted_pdf_after_a_good_one_still_says_encrypted(
    tmp_path: Path, thesis_pdf: bytes
) -> None:
    """PDFium's last error is global: the reason must come from the file, not the last call."""
    assert pdf_cover(_no_pages(), tmp_path, name="a.pdf").problem == (
        "a.pdf: cannot be opened (it has no pages)"
    )
    assert pdf_cover(_encrypted(thesis_pdf), tmp_path, name="b.pdf").problem == (
        "b.pdf: cannot be opened (it is encrypted with a password)"
    )
    assert pdf_cover(_no_pages(), tmp_path, name="c.pdf").problem == (
        "c.pdf: cannot be opened (it has no pages)"
    )


def test_a_width_out_of_range_is_refused(tmp_path: Path, thesis_pdf: bytes) -> None:
    assert pdf_cover(thesis_pdf, tmp_path, width=5).problem == (
        "the PDF: cover width 5 is not in 16..4000"
    )
