"""A PDF's first page as an image: the cover of a research project that has no picture.

:func:`pdf_cover` renders page 1 of a PDF (PDFium, through pypdfium2) to a PNG or WebP of a
given width, white behind transparent pages, the height cut at :data:`MAX_RATIO` times the
width (a tall page shows its top). The image is cached in a folder the caller passes, under
the hash of the PDF's bytes and the options: a second build renders nothing, and the same
PDF gives the same bytes. A PDF that cannot be rendered (not a PDF, damaged, encrypted,
no pages, too large) gives a one-line reason, never a traceback.

pypdfium2 and Pillow are imported when a cover is rendered, never at start-up. PDFium is not
thread-safe: call this from one thread at a time (processes are fine).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import PIL.Image

Format = Literal["png", "webp"]
MAX_RATIO = 1.5  # height at most 1.5 x width: an A4 page (1.414) is whole, a poster is cut
MAX_PDF_BYTES = 200_000_000  # larger files are not read (a thesis is rarely over 50 MB)
MAX_WIDTH = 4000
# bump when the rendering changes, so that cached covers are made again
VERSION = "1"


@dataclass(frozen=True)
class Cover:
    """The rendered first page (``path`` in the cache, ``width`` x ``height`` pixels), or
    ``problem``: why there is none, one line naming the file."""

    path: Path | None
    width: int = 0
    height: int = 0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.path is not None


def cover_key(data: bytes, width: int, fmt: Format) -> str:
    """The cache name of a cover: a hash of the PDF's bytes and the options."""
    h = hashlib.sha256()
    h.update(f"pdfcover {VERSION} {width} {fmt}\n".encode())
    h.update(data)
    return h.hexdigest()[:32]


def pdf_cover(
    pdf: Path | bytes,
    cache_dir: Path,
    *,
    width: int = 800,
    fmt: Format = "webp",
    name: str | None = None,
) -> Cover:
    """Page 1 of ``pdf`` (a path, or its bytes) as an image ``width`` pixels wide, cached in
    ``cache_dir``; ``name`` is how messages call the file (default: the path)."""
    label = name or (str(pdf) if isinstance(pdf, Path) else "the PDF")
    if not 16 <= width <= MAX_WIDTH:
        return Cover(None, problem=f"{label}: cover width {width} is not in 16..{MAX_WIDTH}")
    if isinstance(pdf, Path):
        try:
            size = pdf.stat().st_size
            if size > MAX_PDF_BYTES:
                return Cover(None, problem=f"{label}: too large for a cover ({size} bytes)")
            data = pdf.read_bytes()
        except OSError as exc:
            return Cover(None, problem=f"{label}: cannot be read ({exc.strerror or exc})")
    else:
        data = pdf
    if not data.strip():
        return Cover(None, problem=f"{label}: the file is empty")
    if b"%PDF-" not in data[:1024]:
        return Cover(None, problem=f"{label}: not a PDF (no %PDF- header)")
    target = cache_dir / f"{cover_key(data, width, fmt)}.{fmt}"
    if target.is_file():
        size_of = _image_size(target)
        if size_of is not None:
            return Cover(target, *size_of)
    try:
        image = _render_first_page(data, width, label)
    except _NoCover as exc:
        return Cover(None, problem=str(exc))
    except Exception as exc:  # noqa: BLE001  a library's failure on a hostile file: one line
        return Cover(None, problem=f"{label}: page 1 cannot be rendered ({type(exc).__name__})")
    buffer = io.BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=82, method=6)
    else:
        image.save(buffer, "PNG", optimize=True)
    from repofolio.fsio import write_if_changed

    try:
        write_if_changed(target, buffer.getvalue())
    except OSError as exc:
        return Cover(None, problem=f"{label}: cover not written to {cache_dir} ({exc})")
    return Cover(target, image.width, image.height)


class _NoCover(Exception):
    pass


def _render_first_page(data: bytes, width: int, label: str) -> PIL.Image.Image:
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _NoCover(f"{label}: cannot be opened ({_why_not(data)})") from None
    try:
        if len(doc) == 0:
            raise _NoCover(f"{label}: has no pages")
        page = doc[0]
        try:
            page_width, page_height = page.get_size()
            if page_width <= 0 or page_height <= 0:
                raise _NoCover(f"{label}: page 1 has no size")
            scale = width / page_width
            crop_bottom = 0.0
            if page_height * scale > width * MAX_RATIO:  # render only the top of a tall page
                crop_bottom = page_height - width * MAX_RATIO / scale
            bitmap = page.render(scale=scale, crop=(0, 0, 0, crop_bottom), may_draw_forms=True)
            image: PIL.Image.Image = bitmap.to_pil()
        except pdfium.PdfiumError:
            raise _NoCover(f"{label}: page 1 cannot be rendered ({_why_not(data)})") from None
        finally:
            page.close()
    finally:
        doc.close()
    if image.mode != "RGB":  # PDFium renders on white already; a cover never has alpha
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A") if "A" in image.mode else None)
        image = background
    if image.width != width:  # rounding of the scale: exactly the width asked for
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    return image


def _why_not(data: bytes) -> str:
    """Why PDFium refused: asked of pypdf, whose answers name the cause (PDFium's last error
    is global state, and says 'Success' for a PDF with no pages)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return "it is encrypted with a password"
        if len(reader.pages) == 0:
            return "it has no pages"
    except Exception:  # noqa: BLE001  any failure of pypdf's on a broken file: the generic reason
        pass
    return "damaged, or not a PDF"


def _image_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return im.width, im.height
    except (OSError, UnidentifiedImageError):
        return None
