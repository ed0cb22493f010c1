"""The example portfolio's site, built for real and opened in headless Chromium.

Debian's chromium is driven by Playwright (tests/chromium.py). Without a browser the tests
skip and say why; ``FOLIO_REQUIRE_BROWSER=1`` (set by CI) makes that a failure. Screenshots
(laptop and phone widths) go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import launch, open_page, serve
from click.testing import CliRunner
from repofolio.cli import main
from repofolio.config import load_config
from repofolio.discover import load_portfolio

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = CliRunner().invoke(main, ["-C", str(ROOT), "build", "--no-check", "-d", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "index.html").is_file()
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def example_projects() -> list[object]:
    portfolio = load_portfolio(load_config(ROOT))
    return [p for p in portfolio.projects if p.meta is not None]


def first_notebook_page(site: Path) -> str:
    for html in sorted(site.glob("projects/*/**/index.html")):
        if 'alt="Output of cell' in html.read_text(encoding="utf-8"):
            return html.parent.relative_to(site).as_posix() + "/"
    raise AssertionError("the example portfolio has no notebook page with a plot")


def test_gallery_shows_one_card_per_project(browser, server, site) -> None:
    context, page, problems = open_page(browser, server + "projects/")
    titles = page.locator(".folio-card .folio-card__title").all_inner_texts()
    assert sorted(titles) == sorted(p.meta.title for p in example_projects())
    # the cards are links: the first one leads to its project page
    page.locator(".folio-card__title a").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/projects/[^/]+/$", page.url)
    assert page.locator(".folio-results li").count() >= 1
    assert problems == []
    context.close()


def test_notebook_page_shows_its_plot(browser, server, site) -> None:
    rel = first_notebook_page(site)
    context, page, problems = open_page(browser, server + rel)
    images = page.locator('img[alt^="Output of cell"]')
    assert images.count() >= 1
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        width = images.nth(i).evaluate("img => img.complete ? img.naturalWidth : 0")
        assert width > 0, images.nth(i).get_attribute("src")
    assert problems == []
    context.close()


def test_search_finds_a_project_by_a_word_of_its_summary(browser, server) -> None:
    projects = example_projects()
    target = projects[0]
    others = " ".join(p.meta.summary.lower() for p in projects[1:])
    words = [w for w in re.findall(r"[A-Za-z]{6,}", target.meta.summary) if w.lower() not in others]
    word = max(words, key=len)
    context, page, problems = open_page(browser, server)
    page.locator("input.md-search__input").click()
    page.keyboard.type(word)  # Material searches on key events, as a visitor types
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    text = " ".join(results.all_inner_texts())
    assert target.meta.title.split(":")[0] in text, (word, text)
    assert problems == []
    context.close()


@pytest.mark.parametrize(("name", "width", "height"), [("laptop", 1280, 800), ("phone", 390, 844)])
def test_pages_render_without_errors_and_are_screenshotted(
    browser, server, site, name: str, width: int, height: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {
        "home": "",
        "gallery": "projects/",
        "journal": "journal/",
        "notebook": first_notebook_page(site),
    }
    projects = example_projects()
    pages["project"] = f"projects/{projects[0].slug}/"
    for label, rel in pages.items():
        context, page, problems = open_page(browser, server + rel, width, height)
        assert problems == [], (label, problems)
        assert page.locator("h1").count() == 1, label
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (label, "horizontal scrolling", overflow)
        page.screenshot(path=str(ARTIFACTS / f"site-{name}-{label}.png"), full_page=False)
        if name == "phone" and label == "home":
            # the projects are on the first screen, without opening the menu
            top = page.locator(".folio-card").first.bounding_box()
            assert top is not None and top["y"] < height, top
        if name == "phone" and label == "project":
            box = page.locator(".folio-results").bounding_box()
            assert box is not None and box["y"] < height, "first numbers below the fold"
        context.close()
