"""render/social.py: 1200 x 630 link-preview cards drawn with Pillow and the fonts that ship in
the package: deterministic bytes, cached by content, text wrapped, shrunk and ellipsized,
non-Latin and right-to-left text drawn, colours that read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import typst_pdf
from PIL import Image, ImageChops, ImageFont
from repofolio.render.pdfcover import pdf_cover
from repofolio.render.social import (
    FONTS_DIR,
    Card,
    Fonts,
    Palette,
    card_file,
    card_key,
    clean_text,
    contrast,
    ellipsize,
    fit,
    home_card,
    initials,
    is_rtl,
    page_card,
    project_card,
    readable,
    render_card,
    wrap,
)

SITE = "https://jane-doe.github.io/portfolio/"


def thesis_card(**over: object) -> Card:
    args: dict[str, object] = {
        "title": "Conformal prediction for reliable classification",
        "result": "Coverage 0.90 at a 0.90 target where raw probabilities give 0.85",
        "site_name": "Jane Doe",
        "site_url": SITE,
        "kind": "research",
    }
    args.update(over)
    return project_card(**args)  # type: ignore[arg-type]


def png(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    assert im.format == "PNG"
    im.load()
    return im


def test_a_card_is_a_1200_by_630_png_and_the_same_card_the_same_bytes() -> None:
    first = render_card(thesis_card())
    assert png(first).size == (1200, 630)
    assert render_card(thesis_card()) == first  # deterministic: no time, no randomness
    changed = render_card(thesis_card(title="Conformal prediction, revisited"))
    assert changed != first
    # the change is in the title's band, not all over the card
    diff = ImageChops.difference(png(first).convert("RGB"), png(changed).convert("RGB"))
    box = diff.getbbox()
    assert box is not None and box[1] >= 140 and box[3] <= 340, box


def test_card_file_is_cached_by_content(tmp_path: Path) -> None:
    path = card_file(thesis_card(), tmp_path)
    assert path.parent == tmp_path and path.suffix == ".png"
    assert path.read_bytes() == render_card(thesis_card())
    stamp = path.stat().st_mtime_ns
    assert card_file(thesis_card(), tmp_path) == path
    assert path.stat().st_mtime_ns == stamp  # not drawn or written again
    other = card_file(thesis_card(title="Another title"), tmp_path)
    assert other != path and other.read_bytes() != path.read_bytes()
    assert card_key(thesis_card()) != card_key(thesis_card(), Palette(accent="#ffcc00"))
    assert card_key(thesis_card()) != card_key(thesis_card(kind="code"))


def test_each_layout_says_what_its_page_is() -> None:
    home = home_card(
        owner="Jane Doe",
        headline="Data scientist moving into ML engineering: forecasting and NLP",
        site_url=SITE,
    )
    assert (home.title, home.initials, home.footer) == (
        "Jane Doe",
        "JD",
        "jane-doe.github.io/portfolio",
    )
    page = page_card(site_name="Jane Doe", title="Journal", site_url=SITE)
    assert (page.kicker, page.title, page.chip, page.panel) == ("Jane Doe", "Journal", "", False)
    card = thesis_card()
    assert (card.chip, card.panel) == ("Research", True)
    assert project_card(title="T", result=None, site_name="S").panel is False
    images = [png(render_card(c)) for c in (home, page, card)]
    assert len({im.tobytes() for im in images}) == 3


def test_a_cover_is_drawn_on_the_right_and_a_bad_one_left_out(tmp_path: Path) -> None:
    cover = pdf_cover(typst_pdf("Thesis"), tmp_path, width=600, fmt="png")
    assert cover.path is not None
    with_cover = png(render_card(thesis_card(cover=cover.path.read_bytes()))).convert("RGB")
    # the PDF's page colour (#fbfaf5) fills the right of the card
    assert with_cover.getpixel((940, 320)) == pytest.approx((0xFB, 0xFA, 0xF5), abs=3)
    plain = render_card(thesis_card())
    assert png(plain).convert("RGB").getpixel((940, 320))[0] < 80  # navy there otherwise
    assert render_card(thesis_card(cover=b"not an image")) == plain


@pytest.mark.parametrize(
    "title",
    [
        "Klassificering av röntgenbilder för Fjällkraft — naïve Bayes vs CNN",
        "Прогнозирование спроса для 30 490 товаров",
        "Ελληνικά: πρόβλεψη φορτίου",
        "סיווג מסמכים משפטיים בעברית",
        "تصنيف المستندات القانونية باللغة العربية",
        "日本語のタイトル 🎓",
        "A\u200bzero\u2066width\u2069 and\tcontrol\x07 characters",
        "x" * 300,
        "",
    ],
)
def test_any_title_is_drawn_without_crashing(title: str) -> None:
    card = project_card(title=title, result=title, site_name=title or "Jane", kind="no-code")
    im = png(render_card(card))
    assert im.size == (1200, 630)


def test_right_to_left_text_is_set_flush_right() -> None:
    ltr = png(render_card(project_card(title="Legal texts", result=None, site_name="J")))
    rtl = png(render_card(project_card(title="סיווג מסמכים", result=None, site_name="J")))

    def title_box(im: Image.Image) -> tuple[int, int, int, int]:
        band = im.convert("L").crop((0, 150, 1200, 240)).point(lambda v: 255 if v > 200 else 0)
        box = band.getbbox()
        assert box is not None
        return box

    assert title_box(ltr)[0] == pytest.approx(72, abs=12)  # at the left margin
    assert title_box(ltr)[2] < 700
    assert 1200 - title_box(rtl)[2] == pytest.approx(72, abs=12)  # at the right margin
    assert title_box(rtl)[0] > 500
    assert is_rtl("  (2024) שלום") and not is_rtl("2024 Hello שלום") and not is_rtl("123")


def test_long_text_is_shrunk_then_ellipsized() -> None:
    bold = Fonts().bold
    short = fit("Churn model", bold, 1056, (72, 60, 48), 3)
    assert short.size == 72 and short.lines == ["Churn model"]
    medium = fit("word " * 14, bold, 1056, (72, 60, 48), 3)  # 4 lines at 72, 3 at 60
    assert medium.size == 60 and len(medium.lines) == 3
    assert " ".join(medium.lines) == ("word " * 14).strip()  # nothing cut
    long = fit("An extraordinarily long title " * 12, bold, 1056, (72, 60, 48), 3)
    assert long.size == 48 and len(long.lines) == 3 and long.lines[-1].endswith("…")
    assert all(long.font.getlength(line) <= 1056 for line in long.lines)


def test_wrap_cuts_a_word_wider_than_the_line() -> None:
    font = ImageFont.truetype(str(Fonts().regular), 40)
    lines = wrap("a " + "x" * 80 + " b", font, 400)
    assert lines[0] == "a" and lines[-1].endswith("b")
    assert all(font.getlength(line) <= 400 for line in lines)
    assert "".join(lines[1:]).replace(" ", "").startswith("x" * 80)


def test_ellipsize_ends_on_a_word() -> None:
    font = ImageFont.truetype(str(Fonts().regular), 30)
    line = ellipsize(["Recall at five of the retrieval model"], "and more", font, 400)
    assert line.endswith("…") and font.getlength(line) <= 400
    assert not line[:-1].endswith(" ")


def test_colours_read_on_the_card() -> None:
    pal = Palette()
    for bg in (pal.top, pal.bottom):
        assert contrast(pal.text, bg) >= 7
        assert contrast(pal.muted, bg) >= 4.5
        assert contrast(pal.accent, bg) >= 3
    assert contrast(pal.text, pal.panel) >= 4.5
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    # a theme colour that would not read is replaced
    assert readable("#1d4467", (pal.top, pal.bottom)) == "#ffffff"
    assert readable("#222222", ("#f5f7fa",)) == "#222222"
    assert readable("#ffee99", ("#fafafa", "#ffffff")) == "#111111"
    light = Palette(top="#f5f7fa", bottom="#ffffff", text="#ffffff", muted="#eeeeee")
    im = png(render_card(thesis_card(), light)).convert("RGB")
    darkest, _ = im.crop((72, 150, 700, 330)).convert("L").getextrema()
    assert darkest < 60  # the white title became dark on a light card


def test_fonts_ship_in_the_package() -> None:
    fonts = Fonts()
    for path in (fonts.regular, fonts.bold):
        assert path.parent == FONTS_DIR and path.is_file()
        assert path.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    assert (FONTS_DIR / "LICENSE-DejaVu.txt").is_file()


def test_text_helpers() -> None:
    assert initials("Jane Doe") == "JD"
    assert initials("maya  lindqvist-berg") == "MB"
    assert initials("Cher") == "C"
    assert initials("  ") == ""
    assert clean_text(" a\n\tb\x00c\u200bd ") == "a bcd"


def test_cards_drawn_over_processes_are_the_cards_drawn_in_one(tmp_path: Path) -> None:
    from repofolio.render.social import draw_cards

    cards = [thesis_card(title=f"Project number {n}") for n in range(20)]
    one = [(card, tmp_path / "one" / f"{n}.png") for n, card in enumerate(cards)]
    many = [(card, tmp_path / "many" / f"{n}.png") for n, card in enumerate(cards)]
    draw_cards(one, jobs=1)
    draw_cards(many, jobs=2)
    for (card, a), (_, b) in zip(one, many, strict=True):
        assert a.read_bytes() == b.read_bytes() == render_card(card)
