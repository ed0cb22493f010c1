"""Social cards: the 1200 x 630 PNG a link preview shows (``og:image``, ``twitter:image``).

Three layouts, from plain data, so the site only says what a page is:

- :func:`project_card`: the project's title, its headline result in a panel, its kind as a
  chip, its cover (a picture, or a PDF's first page from :mod:`repofolio.render.pdfcover`)
  on the right;
- :func:`home_card`: the owner's name, their headline, their initials;
- :func:`page_card`: any other page: the site's name above the page's title.

:func:`render_card` draws one with Pillow; :func:`card_file` writes it into a cache folder
under the hash of everything that decides its pixels, so a build makes each card once and the
same inputs give the same bytes. Text is wrapped, shrunk to fit and, past the smallest size,
cut with an ellipsis; right-to-left text is laid out by Pillow's libraqm (bundled in its
wheels) and set flush right. The fonts ship in the package (DejaVu Sans, which covers Latin,
Greek, Cyrillic, Hebrew and Arabic; not CJK, which renders as boxes): no network, no system
font. Colours are checked for contrast (WCAG 4.5:1) against the card and replaced by white or
near-black when they fail. Like Material for MkDocs' social plugin (layout ideas: the site
name on top, a large bold title, a line below), without its cairo dependency.

Pillow is imported when a card is drawn, never at start-up.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# bump when the drawing changes, so that cached cards are made again
VERSION = "1"

KIND_CHIPS = {
    "code": "Code",
    "notebook": "Notebook",
    "research": "Research",
    "no-code": "Case study",
    "snippet": "Snippet",
}


@dataclass(frozen=True)
class Palette:
    """The card's colours (``#rrggbb``): the site's navy and its accent by default."""

    top: str = "#132f49"  # the background, a gradient from top to bottom
    bottom: str = "#1d4467"
    text: str = "#ffffff"
    muted: str = "#c8d7e6"
    accent: str = "#ffa36b"
    panel: str = "#275784"


@dataclass(frozen=True)
class Fonts:
    """TrueType files: ``bold`` for titles, ``regular`` for the rest (the theme's own, or the
    DejaVu Sans that ships here)."""

    regular: Path = FONTS_DIR / "DejaVuSans.ttf"
    bold: Path = FONTS_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class Card:
    """What a card says. ``panel``: the subtitle is a result (in a panel), else a headline."""

    title: str
    kicker: str = ""  # the small line on top: the site's name
    subtitle: str = ""
    chip: str = ""  # the kind: 'Research'
    footer: str = ""  # the site's address
    panel: bool = False
    initials: str = ""  # the home card's monogram, when there is no cover
    cover: bytes | None = field(default=None, repr=False)  # PNG/JPEG/WebP bytes


def short_address(url: str | None) -> str:
    """'jane-doe.github.io/portfolio' for 'https://jane-doe.github.io/portfolio/'."""
    return re.sub(r"^https?://", "", url or "").rstrip("/")


def project_card(
    *,
    title: str,
    result: str | None,
    site_name: str,
    site_url: str | None = None,
    kind: str | None = None,
    cover: bytes | None = None,
) -> Card:
    """A project's card: its title, its headline result (the first ``results:`` line, or
    the summary), its kind and its cover."""
    return Card(
        title=title,
        kicker=site_name,
        subtitle=result or "",
        chip=KIND_CHIPS.get(kind or "", ""),
        footer=short_address(site_url),
        panel=bool(result),
        cover=cover,
    )


def home_card(
    *, owner: str, headline: str | None, site_url: str | None = None, kicker: str = "Portfolio"
) -> Card:
    """The home page's card: the owner's name and headline."""
    return Card(
        title=owner,
        kicker=kicker,
        subtitle=headline or "",
        footer=short_address(site_url),
        initials=initials(owner),
    )


def page_card(
    *, site_name: str, title: str, description: str | None = None, site_url: str | None = None
) -> Card:
    """Any other page (gallery, tags, journal, CV, a notebook): the site's name, the title."""
    return Card(
        title=title, kicker=site_name, subtitle=description or "", footer=short_address(site_url)
    )


def initials(name: str) -> str:
    """'JD' for 'Jane Doe', 'M' for 'Maya': the first letter of the first and last words."""
    words = [w for w in re.split(r"[\s\-]+", clean_text(name)) if w and w[0].isalpha()]
    if not words:
        return ""
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def clean_text(text: str) -> str:
    """One line of text: spaces single, control and format characters out (but the joiners
    that some scripts need)."""
    text = re.sub(r"\s+", " ", text)
    kept = (
        ch
        for ch in text
        if ch in "\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    )
    return "".join(kept).strip()


# -- colours ---------------------------------------------------------------------------------


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        raise ValueError(f"colour {color!r} is not #rrggbb")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(fg: str, backgrounds: Sequence[str], minimum: float = 4.5) -> str:
    """``fg`` if it reaches ``minimum`` on every background, else white or near-black,
    whichever reads better on the worst of them."""
    if all(contrast(fg, bg) >= minimum for bg in backgrounds):
        return fg
    return max(("#ffffff", "#111111"), key=lambda c: min(contrast(c, bg) for bg in backgrounds))


# -- text ------------------------------------------------------------------------------------


def is_rtl(text: str) -> bool:
    """The first strong character is right-to-left (Hebrew, Arabic, ...)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont, features

    # libraqm lays out right-to-left text and joins Arabic; Pillow's wheels bundle it
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Words in lines no wider than ``width``; a word wider than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if font.getlength(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and font.getlength(word) > width:
            cut = max(1, _fits(word, font, width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fits(text: str, font: ImageFont.FreeTypeFont, width: float, suffix: str = "") -> int:
    """How many leading characters of ``text`` (plus ``suffix``) fit in ``width``."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid] + suffix) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def ellipsize(lines: list[str], rest: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The last line that shows, ending in '…' because ``rest`` did not fit."""
    last = f"{lines[-1]} {rest}".strip() if rest else lines[-1]
    if font.getlength(last) <= width and not rest:
        return last
    cut = _fits(last, font, width, "…")
    head = last[:cut].rstrip()
    if " " in head and cut < len(last) and len(head) - head.rfind(" ") < 12:
        head = head[: head.rfind(" ")].rstrip(" ,;:–-")  # end on a whole word when it is short
    return head + "…"


@dataclass
class _Block:
    lines: list[str]
    font: ImageFont.FreeTypeFont
    size: int
    leading: float

    @property
    def height(self) -> int:
        return round(self.size * self.leading * len(self.lines)) if self.lines else 0


def fit(
    text: str,
    path: Path,
    width: float,
    sizes: Sequence[int],
    max_lines: int,
    leading: float = 1.2,
) -> _Block:
    """The largest size of ``sizes`` at which ``text`` wraps into ``max_lines``; at the
    smallest, the lines past ``max_lines`` are cut with an ellipsis."""
    text = clean_text(text)
    if not text:
        return _Block([], _font(str(path), sizes[-1]), sizes[-1], leading)
    for size in sizes:
        font = _font(str(path), size)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines:
            return _Block(lines, font, size, leading)
    kept, rest = lines[:max_lines], " ".join(lines[max_lines:])
    kept[-1] = ellipsize(kept, rest, font, width)
    return _Block(kept, font, size, leading)


# -- drawing ---------------------------------------------------------------------------------


def render_card(card: Card, palette: Palette | None = None, fonts: Fonts | None = None) -> bytes:
    """The card as PNG bytes, 1200 x 630; the same card gives the same bytes."""
    from PIL import ImageDraw

    pal = palette or Palette()
    fnt = fonts or Fonts()
    bg = (pal.top, pal.bottom)
    text_color = readable(pal.text, bg)
    muted = readable(pal.muted, bg)
    accent = readable(pal.accent, bg, 3.0)  # large text and shapes: 3:1 (WCAG 1.4.11)

    cover = _load_cover(card.cover)
    # a card without a picture gets two faint rings in the corner
    image = _background(pal, rings=cover is None and not card.initials)
    right = WIDTH - MARGIN
    if cover is not None:
        box = (WIDTH - MARGIN - 372, 150, WIDTH - MARGIN, HEIGHT - MARGIN - 10)
        _paste_cover(image, cover, box)
        right = box[0] - 56
    elif card.initials:
        _monogram(image, card.initials, pal, fnt, text_color)
        right = WIDTH - MARGIN - 300 - 56
    draw = ImageDraw.Draw(image)
    width = right - MARGIN

    # the kicker (the site's name) with an accent mark, and the kind as a chip on the right
    kicker = fit(card.kicker, fnt.bold, width - 260, (28, 24, 22), 1)
    top = MARGIN - 4
    draw.rounded_rectangle((MARGIN, top + 6, MARGIN + 18, top + 24), radius=4, fill=accent)
    if kicker.lines:
        _line(draw, (MARGIN + 34, top), kicker.lines[0], kicker.font, muted)
    if card.chip:
        chip_font = _font(str(fnt.bold), 22)
        label = clean_text(card.chip).upper()
        w = chip_font.getlength(label) + 2 * 18
        x1 = WIDTH - MARGIN
        draw.rounded_rectangle((x1 - w, top - 4, x1, top + 36), radius=20, outline=accent, width=2)
        draw.text((x1 - w / 2, top + 16), label, font=chip_font, fill=accent, anchor="mm")

    # the footer (the site's address) at the bottom
    footer = fit(card.footer, fnt.regular, width, (26, 22), 1)
    footer_y = HEIGHT - MARGIN - 26
    if footer.lines:
        _line(draw, (MARGIN, footer_y), footer.lines[0], footer.font, muted)

    # the title, then the subtitle: the largest title that leaves the subtitle its room
    avail = footer_y - 36 - 150
    title_sizes: tuple[int, ...]
    if card.initials:
        title_sizes, title_lines = (84, 76, 68, 60, 54, 48), 2
    else:
        title_sizes, title_lines = (72, 66, 60, 54, 48, 44, 40), 3
    sub_path = fnt.regular
    sub_sizes = (34, 31, 28, 26) if card.panel else (36, 33, 30, 28, 26)
    sub_width = width - (56 if card.panel else 0)
    sub = fit(card.subtitle, sub_path, sub_width, sub_sizes, 2 if card.panel else 3, 1.3)
    gap = 34 if sub.lines else 0
    pad = 22 if card.panel and sub.lines else 0
    title = None
    for n in range(title_lines, 0, -1):
        title = fit(card.title, fnt.bold, width, title_sizes, n, 1.14)
        if title.height + gap + sub.height + 2 * pad <= avail:
            break
    assert title is not None
    y = 150
    for line in title.lines:
        _line(draw, (MARGIN, y), line, title.font, text_color, right)
        y += round(title.size * title.leading)
    y += gap
    if sub.lines:
        sub_color = muted
        if card.panel:
            panel_h = sub.height + 2 * pad - round(sub.size * (sub.leading - 1))
            draw.rounded_rectangle((MARGIN, y, right, y + panel_h), radius=14, fill=pal.panel)
            bar = right - 8 if is_rtl(sub.lines[0]) else MARGIN  # on the side the line starts
            draw.rounded_rectangle((bar, y, bar + 8, y + panel_h), radius=4, fill=accent)
            sub_color = readable(pal.text, (pal.panel,))
            y += pad
        x = MARGIN + (32 if card.panel else 0)
        for line in sub.lines:
            _line(draw, (x, y), line, sub.font, sub_color, right - (24 if card.panel else 0))
            y += round(sub.size * sub.leading)

    out = io.BytesIO()
    # zlib's default level, no text chunks, no time: the same bytes each time. (optimize=True
    # took 66 ms of an 82 ms card for 5% fewer bytes: 51.8 against 54.4 KB)
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _line(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: str,
    right: float | None = None,
) -> None:
    """One line at its top-left; a right-to-left line flush right (at ``right``)."""
    if right is not None and is_rtl(text):
        draw.text((right, xy[1]), text, font=font, fill=fill, anchor="ra")
    else:
        draw.text(xy, text, font=font, fill=fill, anchor="la")


def _background(pal: Palette, *, rings: bool) -> Image.Image:
    """The gradient a card is drawn on (with its rings): made once per palette (13 ms with
    the rings, of a 26 ms card), copied for each card."""
    return _base(pal.top, pal.bottom, pal.panel if rings else None).copy()


@lru_cache(maxsize=4)
def _base(top_color: str, bottom_color: str, rings_color: str | None) -> Image.Image:
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    top = Image.new("RGB", (WIDTH, HEIGHT), _rgb(top_color))
    bottom = Image.new("RGB", (WIDTH, HEIGHT), _rgb(bottom_color))
    image = Image.composite(bottom, top, gradient)
    if rings_color is not None:
        _rings(image, rings_color)
    return image


def _rings(image: Image.Image, color: str) -> None:
    """Two faint rings in the corner: some depth on a card without a picture."""
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    r, g, b = _rgb(color)
    cx, cy = WIDTH - 120, HEIGHT + 40
    for radius, alpha in ((420, 120), (300, 90)):
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            outline=(r, g, b, alpha),
            width=44,
        )
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))


def _monogram(image: Image.Image, letters: str, pal: Palette, fonts: Fonts, fill: str) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    size = 300
    x0, y0 = WIDTH - MARGIN - size, (HEIGHT - size) // 2
    draw.ellipse((x0, y0, x0 + size, y0 + size), fill=pal.panel)
    draw.ellipse(
        (x0, y0, x0 + size, y0 + size), outline=readable(pal.accent, (pal.panel,), 3.0), width=6
    )
    font = _font(str(fonts.bold), 120 if len(letters) > 1 else 140)
    draw.text((x0 + size / 2, y0 + size / 2), letters, font=font, fill=fill, anchor="mm")


def _load_cover(data: bytes | None) -> Image.Image | None:
    """The cover as RGB, or None when it is no image Pillow reads (it is left out)."""
    if not data:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > 40_000_000:
                return None  # a decompression bomb, or simply too large for a card
            im.load()
            if im.mode in ("RGBA", "LA", "P"):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", im.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                return flat
            return im.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def _paste_cover(image: Image.Image, cover: Image.Image, box: tuple[int, int, int, int]) -> None:
    """The cover, whole (no crop), in ``box``, with rounded corners and a soft shadow."""
    from PIL import Image, ImageDraw, ImageFilter

    x0, y0, x1, y1 = box
    scale = min((x1 - x0) / cover.width, (y1 - y0) / cover.height)
    w, h = max(1, round(cover.width * scale)), max(1, round(cover.height * scale))
    picture = cover.resize((w, h), Image.Resampling.LANCZOS)
    x, y = x0 + (x1 - x0 - w) // 2, y0 + (y1 - y0 - h) // 2
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=14, fill=255)
    shadow = Image.new("L", image.size, 0)
    ImageDraw.Draw(shadow).rounded_rectangle(
        (x + 6, y + 12, x + w + 6, y + h + 12), radius=18, fill=110
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(14))
    image.paste(Image.new("RGB", image.size, (5, 15, 28)), mask=shadow)
    image.paste(picture, (x, y), mask)


# -- the cache ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def card_key(card: Card, palette: Palette | None = None, fonts: Fonts | None = None) -> str:
    """The hash of everything that decides a card's pixels (its text, cover, colours, fonts,
    this module's and Pillow's versions)."""
    import PIL

    fnt = fonts or Fonts()
    data = asdict(card)
    data["cover"] = hashlib.sha256(card.cover).hexdigest() if card.cover else None
    font_digests = []
    for path in (fnt.regular, fnt.bold):
        st = path.stat()
        font_digests.append(_file_digest(str(path), st.st_mtime_ns, st.st_size))
    blob = json.dumps(
        {
            "v": VERSION,
            "pillow": PIL.__version__,
            "card": data,
            "palette": asdict(palette or Palette()),
            "fonts": font_digests,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def card_file(
    card: Card, cache_dir: Path, palette: Palette | None = None, fonts: Fonts | None = None
) -> Path:
    """The card's PNG in ``cache_dir`` (``<hash>.png``), drawn only when it is not there."""
    target = card_target(card, cache_dir, palette, fonts)
    if is_missing(target):
        _draw(palette, fonts, [(card, target)])
    return target


def card_target(
    card: Card, cache_dir: Path, palette: Palette | None = None, fonts: Fonts | None = None
) -> Path:
    """Where :func:`card_file` keeps the card, drawn or not."""
    return cache_dir / f"{card_key(card, palette, fonts)}.png"


def is_missing(target: Path) -> bool:
    """No card file there yet: nothing, an empty file (a write cut short), or not a file."""
    try:
        st = target.stat()
    except OSError:
        return True
    return not stat.S_ISREG(st.st_mode) or st.st_size == 0


# Cards below this many per process are drawn in one (a fork costs more than a few cards).
CARDS_PER_JOB = 8


def draw_cards(
    cards: Sequence[tuple[Card, Path]],
    palette: Palette | None = None,
    fonts: Fonts | None = None,
    *,
    jobs: int | None = None,
) -> None:
    """Draw each ``(card, target)`` into its target file, over forked processes when there
    are many. A card is ~21 ms of Pillow (82 ms before its PNG was saved at zlib's default
    level and its background made once); a cold ``folio build`` of 389 real notebooks (issue
    15's corpus) drew one per page, one after another, in 39.3 s, and takes 14.8 s this way
    (farm-bench, 3 pairs). ``jobs``: processes, default one per core (``jobs=1``: in this
    one, the same bytes, tested); with other threads running (``folio serve``) one, since a
    forked child could inherit their locks."""
    import threading

    from repofolio import parallel

    if jobs is None:
        jobs = parallel.job_count(len(cards), CARDS_PER_JOB)
        if threading.active_count() > 1:
            jobs = 1
    chunks = parallel.split(cards, min(len(cards), jobs * 4)) if jobs > 1 else [cards]
    parallel.fork_pool(partial(_draw, palette, fonts), chunks, jobs)


def _draw(palette: Palette | None, fonts: Fonts | None, cards: Sequence[tuple[Card, Path]]) -> int:
    from repofolio.fsio import write_if_changed

    for card, target in cards:
        write_if_changed(target, render_card(card, palette, fonts))
    return len(cards)
