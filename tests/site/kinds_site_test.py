"""Each kind's evidence on its page and its card, on a repository made the way a new user
makes one: five projects scaffolded by ``folio new SLUG --kind KIND`` and filled in by hand,
a cv.yaml whose thesis points at the research project, a real ``folio build --strict``, and
the pages opened in headless Chromium (no request leaves 127.0.0.1) on a phone and a laptop.

Screenshots of each kind's page go to ``/tmp/kinds-shots/`` (``KINDS_SHOTS`` to change it).
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import browser_test
import pytest
from chromium import serve
from click.testing import CliRunner
from conftest import (
    NOTEBOOK_JSON,
    THESIS_CV,
    commit,
    folio_build_strict,
    make_new_user_repo,
    run_cli,
    typst_pdf,
)
from PIL import Image, ImageDraw

SHOTS = Path(os.environ.get("KINDS_SHOTS", "/tmp/kinds-shots"))
ROOT = Path(__file__).resolve().parents[2]
VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}
YOUTUBE_ID = "aqz-KE-bpKQ"
VIMEO_ID = "76979871"

THESIS = f"""\
title: Conformal prediction for reliable classification
summary: MSc thesis on prediction sets that keep their promised 90% coverage on medical scans.
kind: research
date: 2023-06
highlight: 1
status: completed
role: Solo, supervised by a statistician and a radiologist
tags: [thesis, uncertainty]
skills: [Python, statistics, PyTorch]
results:
  - Coverage 0.90 at a 0.90 target, where raw softmax probabilities give 0.85
links:
  thesis: thesis.pdf
  video: https://www.youtube.com/watch?v={YOUTUBE_ID}&t=1m30s
"""
THESIS_BODY = """\
# Conformal prediction for reliable classification

## Problem

A classifier that says "90% sure" is right 85% of the time on these scans: a clinician
cannot plan around that.

## Approach

Split conformal prediction on three public datasets, 100 random calibration splits each;
the defence is in [the slides](slides.pdf).

## Results

| dataset | target | raw probabilities | conformal sets |
| --- | ---: | ---: | ---: |
| chest X-ray | 0.90 | 0.85 | 0.90 |
| skin lesions | 0.90 | 0.83 | 0.91 |

Read [the thesis](thesis.pdf) for the proofs.
"""

RIG = """\
title: GPU rig for a student society
summary: A 6-GPU training box for 12 members, built on a 900 EUR budget and booked by the hour.
kind: no-code
date: 2019-11
status: completed
role: Lead builder, with two other members
tags: [hardware, gpu]
skills: [Linux, CUDA, budgeting]
cover: photos/02-assembled.jpg
results:
  - 83% GPU utilisation over 14 months for 12 members, at 900 EUR
links: {}
"""
RIG_BODY = """\
# GPU rig for a student society

## Problem

Twelve members shared one laptop GPU; training a small model took a night.

## What I did

Chose second-hand parts within 900 EUR, built and wired the box (below), installed the
drivers and set up a booking sheet.

![The power wiring, before the cables were tied](wiring.jpg)

## Results

6 GPUs at 83% utilisation over 14 months; the society's queue went from a night to an hour.
"""

SNIPPET = """\
title: E-book scraper
summary: Fetches the chapters of a public-domain e-book into one text file in 40 lines.
kind: snippet
date: 2022-02
tags: [python, scraping]
skills: [Python]
results:
  - 3 chapters and 41,000 words in 2 seconds, standard library only
links: {}
"""
SNIPPET_BODY = """\
# E-book scraper

## What it does

Downloads the chapters of a Project Gutenberg book and joins them into one text file.

## Code

[`scrape.py`](scrape.py) is the whole of it: the standard library's HTML parser, no
dependency.
"""
SCRAPER = '''\
"""Join the chapters of a Project Gutenberg e-book into one text file."""

from __future__ import annotations

import sys
import urllib.request
from html.parser import HTMLParser


class Chapters(HTMLParser):
    """The text of each <div class="chapter"> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.chapters: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "chapter") in attrs:
            self.depth = 1
            self.chapters.append([])
        elif tag == "div" and self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.chapters[-1].append(data)


def main(url: str, out: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        parser = Chapters()
        parser.feed(response.read().decode("utf-8"))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\\n\\n".join("".join(c).strip() for c in parser.chapters))
    print(f"{len(parser.chapters)} chapters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
'''

NOTEBOOK = """\
title: Sales by month
summary: Monthly sales of a small shop, totalled and compared with the year before.
kind: notebook
date: 2024-01
tags: [analysis]
skills: [pandas]
results:
  - Sales up 12% on the year before, 42 units in the quarter
links: {}
"""
NOTEBOOK_BODY = """\
# Sales by month

## Problem

The shop owner wanted to know whether the new window display sold more.

## Approach

One notebook sums the quarter's sales and compares them with the year before.

## Results

42 units in the quarter, 12% more than the year before.

## How to run

Open `notebooks/sales.ipynb`; `folio run` executes it.
"""

CODE = f"""\
title: Churn model
summary: Predicts which customers cancel next month from 18 months of usage logs.
kind: code
date: 2024-05
tags: [ml, churn]
skills: [Python, scikit-learn]
results:
  - ROC AUC 0.91 against 0.84 for the rules baseline
links:
  repo: https://github.com/jane-doe/churn
  walkthrough: https://vimeo.com/{VIMEO_ID}
"""
CODE_BODY = """\
# Churn model

## Problem

A subscription business lost 4% of its customers a month and could not say who was next.

## Approach

Gradient boosting on 42 usage features, validated on a time-based split.

## Results

ROC AUC 0.91 against 0.84 for the rules the team used before.

## How to run

```bash
python main.py
```
"""


# kind -> (slug, front matter, body, files)
PROJECTS: dict[str, tuple[str, str, str, dict[str, bytes | str]]] = {}


def photo(width: int, height: int, colour: tuple[int, int, int], label: str, fmt: str) -> bytes:
    """A real picture (a lit box on a bench) of the given size, as JPEG or PNG."""
    im = Image.new("RGB", (width, height), (40, 44, 52))
    draw = ImageDraw.Draw(im)
    for y in range(0, height, 8):  # a floor that gets lighter towards the viewer
        shade = 40 + 60 * y // height
        draw.rectangle([0, y, width, y + 8], fill=(shade, shade + 4, shade + 12))
    box = [width // 5, height // 4, width * 4 // 5, height * 3 // 4]
    draw.rounded_rectangle(box, radius=width // 40, fill=colour, outline=(230, 230, 230), width=6)
    draw.text((box[0] + 20, box[1] + 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    im.save(out, fmt, quality=85) if fmt == "JPEG" else im.save(out, fmt)
    return out.getvalue()


PHOTOS = {  # name order is the gallery's order; wiring.jpg is shown by the text itself
    "photos/01-parts-laid-out.jpg": (1200, 900, (170, 90, 40), "parts", "JPEG"),
    "photos/02-assembled.jpg": (900, 1200, (40, 120, 170), "assembled", "JPEG"),
    "photos/03-in-the-rack.png": (1600, 900, (60, 150, 80), "rack", "PNG"),
    "wiring.jpg": (800, 600, (150, 40, 120), "wiring", "JPEG"),
}


def fill(root: Path, slug: str, kind: str, front: str, body: str) -> None:
    """``folio new SLUG --kind KIND``, then the write-up filled in by hand: every FILL IN
    replaced and ``draft: true`` deleted, the scaffold's schema line kept."""
    code, _, err = run_cli(CliRunner(), "new", slug, "--kind", kind)
    assert code == 0, err
    readme = root / "projects" / slug / "README.md"
    scaffold = readme.read_text(encoding="utf-8")
    assert f"kind: {kind}\n" in scaffold and "draft: true" in scaffold
    schema = scaffold.splitlines()[1]
    assert schema.startswith("# yaml-language-server:")
    readme.write_text(f"---\n{schema}\n{front}---\n\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as mp:
        root = make_new_user_repo(tmp_path_factory.mktemp("kinds"), mp)
        # init's example says: delete this project when you have your own
        shutil.rmtree(root / "projects" / "example-project")
        fill(root, "msc-thesis", "research", THESIS, THESIS_BODY)
        thesis = root / "projects" / "msc-thesis"
        (thesis / "thesis.pdf").write_bytes(
            typst_pdf("Conformal prediction for reliable classification", 3)
        )
        (thesis / "slides.pdf").write_bytes(typst_pdf("Defence", 2, "25.4cm", "14.29cm"))
        fill(root, "gpu-rig", "no-code", RIG, RIG_BODY)
        rig = root / "projects" / "gpu-rig"
        for name, (w, h, colour, label, fmt) in PHOTOS.items():
            (rig / name).parent.mkdir(parents=True, exist_ok=True)
            (rig / name).write_bytes(photo(w, h, colour, label, fmt))
        # a phone's clip of the first boot (the site serves it; its bytes are not decoded here)
        (rig / "first-boot.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
        fill(root, "ebook-scraper", "snippet", SNIPPET, SNIPPET_BODY)
        (root / "projects" / "ebook-scraper" / "scrape.py").write_text(SCRAPER, encoding="utf-8")
        fill(root, "sales-notebook", "notebook", NOTEBOOK, NOTEBOOK_BODY)
        nb = root / "projects" / "sales-notebook" / "notebooks" / "sales.ipynb"
        nb.parent.mkdir()
        nb.write_text(NOTEBOOK_JSON, encoding="utf-8")
        fill(root, "churn-model", "code", CODE + "run: python main.py\n", CODE_BODY)
        (root / "projects" / "churn-model" / "main.py").write_text(
            "print('ROC AUC 0.91')\n", encoding="utf-8"
        )
        (root / "cv.yaml").write_text(THESIS_CV, encoding="utf-8")
        (root / "certificates").mkdir()
        (root / "certificates" / "aws-ml.pdf").write_bytes(typst_pdf("AWS Certified ML"))
        # no stylesheet of its own: the packaged theme styles the kinds' evidence
        commit(root, "five projects, one of each kind, and my CV")
        code, out, err = run_cli(CliRunner(), "check")
        assert code == 0, out + err
        proc = folio_build_strict(root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield root


def html(root: Path, page: str) -> str:
    return (root / "site" / page / "index.html").read_text(encoding="utf-8")


def buttons(text: str) -> list[tuple[str, str]]:
    """(href, label) of each md-button of a page."""
    return [
        (m[1], re.sub(r"<[^>]+>", "", m[2]).strip())
        for m in re.finditer(r'<a class="md-button[^"]*" href="([^"]*)"[^>]*>(.*?)</a>', text)
    ]


def test_folio_check_passes_and_the_strict_build_publishes_each_kind(portfolio: Path) -> None:
    site = portfolio / "site"
    for slug in ("msc-thesis", "gpu-rig", "ebook-scraper", "sales-notebook", "churn-model"):
        assert (site / "projects" / slug / "index.html").is_file(), slug
    # no run badge where nothing was run, and none says not-runnable
    for page in ("projects/msc-thesis", "projects/gpu-rig", "projects/ebook-scraper", "projects"):
        assert "not-runnable" not in html(portfolio, page)


def test_research_page_cover_video_and_one_button_per_target(portfolio: Path) -> None:
    text = html(portfolio, "projects/msc-thesis")
    folder = portfolio / "site" / "projects" / "msc-thesis"
    # page 1 of the thesis, rendered at build time, beside the header and linking the PDF
    cover = re.search(
        r'<figure class="folio-page-cover"><a href="([^"]+)"><img src="([^"]+)"'
        r' alt="Page 1 of thesis.pdf" width="(\d+)" height="(\d+)"',
        text,
    )
    assert cover is not None, text
    assert cover[1] == "thesis.pdf"
    data = (folder / cover[2]).read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (int(cover[3]), int(cover[4]))
        assert im.width == 800 and abs(im.height - 800 * 29.7 / 21) <= 1  # an A4 page, whole
        top = im.crop((0, 0, im.width, im.height // 2)).convert("L")
        assert top.getextrema()[0] < 100  # the title's dark ink is on it: a real render
    # one button per target: the thesis (its link and the PDF of the folder) once, the slides
    # (a PDF of the folder, linked from the text) once, no button for the embedded talk
    assert buttons(text) == [("thesis.pdf", "Thesis (PDF)"), ("slides.pdf", "Slides (PDF)")]
    assert 'href="thesis.pdf" download' in text
    # the talk: a privacy-friendly lazy player, at its start time, with a title
    frame = re.search(r"<iframe ([^>]*)>", text)
    assert frame is not None
    attrs = frame[1]
    assert f'src="https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?start=90"' in attrs
    assert 'loading="lazy"' in attrs
    assert 'title="Talk (video): Conformal prediction for reliable classification"' in attrs
    assert "youtube.com/watch" in text  # the caption links the talk on YouTube itself
    # the text's links go to the files the site serves
    assert '<a href="slides.pdf">the slides</a>' in text
    assert (folder / "slides.pdf").read_bytes()[:5] == b"%PDF-"


def test_research_card_shows_the_pdf_cover_and_its_buttons(portfolio: Path) -> None:
    for page, prefix in (("projects", "msc-thesis/"), ("", "projects/msc-thesis/")):
        text = html(portfolio, page) if page else (portfolio / "site/index.html").read_text()
        card = re.search(
            r'<article class="folio-card">((?:(?!</article>).)*Conformal prediction'
            r"(?:(?!</article>).)*)</article>",
            text,
            re.S,
        )
        assert card is not None, page
        assert 'class="folio-card__cover folio-card__cover--page"' in card[1]
        assert f'<img src="{prefix}thesis-page-1.webp"' in card[1]
        assert re.search(r' width="800" height="113[12]"', card[1])
        links = re.findall(
            r'<a href="([^"]+)"(?: download)?>([^<]+)</a>',
            card[1].split("folio-card__links", 1)[1].split("</p>", 1)[0],
        )
        # the links: in their order, then the folder's other PDFs; the talk is a link here
        assert links == [
            (f"{prefix}thesis.pdf", "Thesis (PDF)"),
            (f"https://www.youtube.com/watch?v={YOUTUBE_ID}&amp;t=1m30s", "Talk (video)"),
            (f"{prefix}slides.pdf", "Slides (PDF)"),
        ]


def test_no_code_page_shows_its_photos_and_video(portfolio: Path) -> None:
    text = html(portfolio, "projects/gpu-rig")
    grid = re.search(r'<div class="folio-photos">(.*?)</div>', text, re.S)
    assert grid is not None
    items = re.findall(
        r'<a class="folio-photos__item" href="([^"]+)"><img src="([^"]+)" alt="([^"]+)" '
        r'loading="lazy" decoding="async" width="(\d+)" height="(\d+)">',
        grid[1],
    )
    # in name order, the text's own wiring photo left out, sizes from the files themselves
    assert [(i[0], i[2], int(i[3]), int(i[4])) for i in items] == [
        ("photos/01-parts-laid-out.jpg", "Parts laid out", 1200, 900),
        ("photos/02-assembled.jpg", "Assembled", 900, 1200),
        ("photos/03-in-the-rack.png", "In the rack", 1600, 900),
    ]
    assert all(i[0] == i[1] for i in items)  # a tap opens the full image
    for href_, *_ in items:
        assert (portfolio / "site/projects/gpu-rig" / href_).is_file()
    assert text.count("wiring.jpg") == 1  # shown where the text shows it, once
    assert re.search(r'<video controls preload="metadata" src="first-boot.mp4" ', text)
    assert (portfolio / "site/projects/gpu-rig/first-boot.mp4").is_file()
    # a photo of the folder is the card's cover, shown whole on the page's gallery
    gallery = html(portfolio, "projects")
    assert '<img src="gpu-rig/photos/02-assembled.jpg"' in gallery
    assert 'width="900" height="1200"' in gallery


def test_snippet_page_shows_its_code_highlighted_with_a_download(portfolio: Path) -> None:
    from repofolio.config import load_config
    from repofolio.discover import load_portfolio
    from repofolio.published_files import file_href

    text = html(portfolio, "projects/ebook-scraper")
    # under its Code section, after the owner's words, before nothing else
    code_at = text.index('id="code"')
    block = text.index('<span class="filename">scrape.py</span>')
    assert code_at < text.index("is the whole of it") < block
    # highlighted by Pygments as Python: keywords and names have their classes
    space = r'(?: |<span class="w"> </span>)'  # how Pygments marks a space varies by version
    assert re.search(f'<span class="k">class</span>{space}<span class="nc">Chapters</span>', text)
    assert re.search(
        f'<span class="kn">import</span>{space}<span class="nn">urllib.request</span>', text
    )
    # the download goes where published_files says the file is (the site, or GitHub)
    expected = file_href(
        load_portfolio(load_config(portfolio)),
        "projects/ebook-scraper/scrape.py",
        "projects/ebook-scraper/index.md",
    )
    assert expected is not None
    download = re.search(r'<p class="folio-download"><a class="md-button" href="([^"]+)"', text)
    assert download is not None and download[1] == expected
    if not re.match(r"https?://", expected):
        assert (portfolio / "site/projects/ebook-scraper" / expected).is_file()


def test_code_page_embeds_a_vimeo_link_by_its_host(portfolio: Path) -> None:
    text = html(portfolio, "projects/churn-model")
    assert f'src="https://player.vimeo.com/video/{VIMEO_ID}?dnt=1"' in text
    assert 'title="Walkthrough (video): Churn model"' in text
    assert buttons(text) == [("https://github.com/jane-doe/churn", "Code")]


FILE_LINK = re.compile(r'href="([^"]*(?:thesis|slides)\.pdf)"')


def test_file_links_resolve_on_every_page_that_shows_them(portfolio: Path) -> None:
    """The project page, the gallery card, the home card and the CV page: every link to the
    thesis or the slides lands on a file of the built site."""
    site = portfolio / "site"
    seen = {}
    for page in ("projects/msc-thesis/", "projects/", "", "cv/"):
        text = (site / page / "index.html").read_text(encoding="utf-8")
        hrefs = set(FILE_LINK.findall(text))
        seen[page] = hrefs
        for h in hrefs:
            assert not h.startswith(("http:", "https:")), (page, h)
            target = site / posixpath.normpath(posixpath.join(page, unquote(h)))
            assert target.is_file(), (page, h)
            assert target.read_bytes()[:5] == b"%PDF-"
    assert seen["cv/"] == {"../projects/msc-thesis/thesis.pdf"}
    assert seen[""] == {"projects/msc-thesis/thesis.pdf", "projects/msc-thesis/slides.pdf"}


# -- in a browser ---------------------------------------------------------------------------


browser = browser_test.browser  # the fixture: Chromium through Playwright, or a skip


@pytest.fixture(scope="module")
def server(portfolio: Path) -> Iterator[str]:
    with serve(portfolio / "site") as url:
        yield url


def open_page(browser: object, server: str, rel: str, viewport: tuple[int, int]) -> tuple:
    """The page at a viewport, every request off 127.0.0.1 refused (the players' hosts):
    the problems are what went wrong on the site itself."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort()
    )
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}")
            if m.type == "error" and "ERR_FAILED" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: problems.append(f"request failed: {r.url}") if r.url.startswith(server) else None,
    )
    page.goto(server + rel)
    page.wait_for_load_state("networkidle")
    return context, page, problems


PAGES = {  # screenshotted beside the kinds' pages: where the cards are
    "gallery": "projects/",
    "home": "",
}
KIND_PAGES = {
    "research": "projects/msc-thesis/",
    "no-code": "projects/gpu-rig/",
    "snippet": "projects/ebook-scraper/",
    "notebook": "projects/sales-notebook/",
    "code": "projects/churn-model/",
}


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_each_kinds_page_on_a_phone_and_a_laptop(browser, server, device: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewport = VIEWPORTS[device]
    for kind, rel in KIND_PAGES.items():
        context, page, problems = open_page(browser, server, rel, viewport)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (kind, device, "horizontal scrolling", overflow)
        # the first numbers are on the first screen, whatever the kind shows beside them
        box = page.locator(".folio-results").bounding_box()
        assert box is not None and box["y"] < viewport[1], (kind, device, box)
        page.screenshot(path=str(SHOTS / f"{kind}-{device}.png"), full_page=False)
        page.screenshot(path=str(SHOTS / f"{kind}-{device}-full.png"), full_page=True)
        assert problems == [], (kind, device, problems)
        context.close()
    for name, rel in PAGES.items():
        context, page, problems = open_page(browser, server, rel, viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{device}-full.png"), full_page=True)
        assert problems == [], (name, device, problems)
        context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_players_fill_the_text_column_at_16_9(browser, server, device: str) -> None:
    for rel in ("projects/msc-thesis/", "projects/churn-model/", "projects/gpu-rig/"):
        context, page, problems = open_page(browser, server, rel, VIEWPORTS[device])
        column = page.locator("article p.folio-summary").bounding_box()
        player = page.locator(".folio-video__frame iframe, .folio-video__frame video").first
        player.scroll_into_view_if_needed()
        box = player.bounding_box()
        assert column is not None and box is not None
        if "thesis" not in rel:  # the thesis' summary sits beside its cover, narrower
            assert abs(box["width"] - column["width"]) <= 1, (rel, device, box, column)
        content = page.locator("article.md-content__inner").evaluate(
            "a => a.clientWidth - parseFloat(getComputedStyle(a).paddingLeft)"
            " - parseFloat(getComputedStyle(a).paddingRight)"
        )
        assert abs(box["width"] - content) <= 1, (rel, device, box, content)
        assert abs(box["width"] / box["height"] - 16 / 9) < 0.01, (rel, device, box)
        assert problems == [], problems
        context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_research_cover_is_beside_the_summary_and_loaded(browser, server, device: str) -> None:
    context, page, problems = open_page(browser, server, "projects/msc-thesis/", VIEWPORTS[device])
    img = page.locator(".folio-page-cover img")
    assert img.evaluate("i => i.complete && i.naturalWidth") == 800
    cover, summary = img.bounding_box(), page.locator(".folio-summary").bounding_box()
    assert cover is not None and summary is not None
    # floated right of the summary's lines: beside it, not above it, on the first screen
    assert cover["x"] > summary["x"] + summary["width"] / 2
    assert cover["x"] + cover["width"] <= summary["x"] + summary["width"] + 1
    assert cover["y"] < summary["y"] + summary["height"]
    assert cover["y"] + cover["height"] < VIEWPORTS[device][1]
    line = page.locator(".folio-summary").evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " return r.getClientRects()[0].right }"
    )
    assert line <= cover["x"]  # the summary's first line stops before the cover
    img.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/projects/msc-thesis/thesis.pdf"
    assert problems == [], problems
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_research_card_shows_the_pdf_page_as_a_sheet(browser, server, device: str) -> None:
    """The card's cover is page 1 whole, a portrait sheet on the card's surface: the box
    around the sheet is the card's colour, not white paper (which made an A4 title page look
    like a wide page with tiny text), because folio-kinds.css comes after folio.css."""
    context, page, problems = open_page(browser, server, "projects/", VIEWPORTS[device])
    sheets = page.evaluate(
        "[...document.styleSheets].map(s => s.href || '').filter(h => h.includes('/folio'))"
        ".map(h => h.split('/').pop())"
    )
    assert sheets == ["folio.css", "folio-kinds.css"], sheets
    img = page.locator(".folio-card__cover--page img")
    img.scroll_into_view_if_needed()
    assert img.evaluate("i => i.complete && i.naturalWidth") == 800
    assert img.evaluate("i => getComputedStyle(i).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert img.evaluate("i => getComputedStyle(i).objectFit") == "contain"
    # beside the page, drawn whole and narrower than the box, the card's surface shows
    # through the image's box (white paper filled it before)
    surface = img.evaluate("i => getComputedStyle(i.parentElement).backgroundColor")
    rgb = tuple(int(v) for v in re.findall(r"\d+", surface)[:3])
    assert rgb != (255, 255, 255), surface
    shot = Image.open(io.BytesIO(img.screenshot())).convert("RGB")
    for x in (2, shot.width - 3):
        px = shot.getpixel((x, shot.height // 2))
        near = max(abs(a - b) for a, b in zip(px, rgb, strict=True)) <= 3
        assert near, (device, x, px, surface)
    assert problems == [], problems
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_no_code_cards_cover_photo_fills_its_box(
    browser, server, device: str, scheme: str
) -> None:
    """The rig's cover is a portrait photo: on its card it fills the 16:9 box, cropped, as
    the page's photo grid crops; shown whole it left white bars beside it (glaring in dark
    mode). A plot's cover stays whole (folio.css: never crop an axis)."""
    width, height = VIEWPORTS[device]
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, color_scheme=scheme
    )
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort()
    )
    page = context.new_page()
    page.goto(server + "projects/")
    page.wait_for_load_state("networkidle")
    cover = page.locator(".folio-card:has(a[href$='gpu-rig/']) .folio-card__cover")
    assert "folio-card__cover--photo" in (cover.get_attribute("class") or "")
    img = cover.locator("img")
    img.scroll_into_view_if_needed()
    assert img.evaluate("i => i.complete && i.naturalWidth") == 900
    assert img.evaluate("i => getComputedStyle(i).objectFit") == "cover"
    shot = Image.open(io.BytesIO(img.screenshot())).convert("RGB")
    for x in (2, shot.width // 2, shot.width - 3):  # the photo's own pixels edge to edge
        px = shot.getpixel((x, shot.height // 2))
        assert min(px) < 235, (scheme, device, x, px)  # no white bar
    context.close()


@pytest.mark.parametrize(("device", "columns"), [("phone", 2), ("laptop", 3)])
def test_photos_are_a_grid_that_opens_each_photo(
    browser, server, device: str, columns: int
) -> None:
    context, page, problems = open_page(browser, server, "projects/gpu-rig/", VIEWPORTS[device])
    items = page.locator(".folio-photos__item img")
    assert items.count() == 3
    boxes = [items.nth(i).bounding_box() for i in range(3)]
    assert all(b is not None for b in boxes)
    lefts = sorted({round(b["x"]) for b in boxes})  # type: ignore[index]
    assert len(lefts) == columns
    for b in boxes:  # every thumbnail 4:3, whatever the photo's own shape
        assert abs(b["width"] / b["height"] - 4 / 3) < 0.02, b  # type: ignore[index]
    items.nth(1).scroll_into_view_if_needed()
    assert items.nth(1).evaluate("i => i.complete && i.naturalWidth") == 900
    with page.expect_navigation():
        items.nth(1).click()
    assert urlparse(page.url).path == "/projects/gpu-rig/photos/02-assembled.jpg"
    assert problems == [], problems
    context.close()


def test_snippet_code_has_a_copy_button(browser, server) -> None:
    context, page, problems = open_page(browser, server, "projects/ebook-scraper/", (1280, 800))
    block = page.locator(".highlight:has(.filename)")
    assert block.count() == 1
    # content.code.copy: Material's button (md-clipboard before 9.7, md-code__button since)
    assert block.locator("button[data-clipboard-target]").count() == 1
    download = page.locator(".folio-download a")
    target = download.get_attribute("href")
    assert target is not None
    absolute = urljoin(page.url, target)
    if absolute.startswith(server):  # published beside the page: the file itself
        response = page.request.get(absolute)
        assert response.ok and b"class Chapters(HTMLParser)" in response.body()
    else:  # not on the site: its page on GitHub
        assert absolute == (
            "https://github.com/jane-doe/portfolio/blob/main/projects/ebook-scraper/scrape.py"
        )
    assert problems == [], problems
    context.close()
