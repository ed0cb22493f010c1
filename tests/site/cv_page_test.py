"""The site's CV page (``cv.md``) and ``cv.pdf`` on a new user's repository, built for real
(``folio build``, in its own process): each project's title links its page on the site (the
page is there), its role is labelled apart from the title, and neither a draft nor a write-up
with a secret is on the CV or linked from it."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import browser_test
import pytest
from chromium import serve
from conftest import commit, good_readme, pdf_links, write_project
from drafts_test import DRAFT, folio
from pypdf import PdfReader
from repofolio.published_files import relative_href
from site_data import NEW_USER_PROJECT, chart_png
from site_secrets_test import TOKEN

SITE = "https://jane-doe.github.io/portfolio/"  # init's, from the origin remote
CV = """\
name: Jane Doe
headline: Data scientist moving into ML engineering
links:
  github: https://github.com/jane-doe
education:
  - institution: Uppsala University
    degree: MSc
    area: Machine Learning
    period: {start: 2021-08, end: 2023-06}
awards:
  - name: Pilot of the year, 1 of 12 pilots
    issuer: Uppsala Bakeries
    date: 2025-11
    project: bakery-forecast
skills:
  - {label: ML, items: [Python, LightGBM]}
"""
BAKERY = "Demand forecasting for a bakery chain"
PAGES = {BAKERY: "bakery-forecast", "Churn model": "churn-model"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Jane's repository, built once: two projects with a role, a draft, a write-up with a
    secret, and her own cv.yaml (no draft: true)."""
    from conftest import make_new_user_repo

    with pytest.MonkeyPatch.context() as mp:
        root = make_new_user_repo(tmp_path_factory.mktemp("cv"), mp)
        bakery = NEW_USER_PROJECT.replace(
            "results:\n", "role: Team of 3, modelling lead\nresults:\n", 1
        )
        write_project(root, "bakery-forecast", bakery, {"images/forecast.png": chart_png()})
        write_project(root, "churn-model", good_readme("Churn model", front_extra="role: Solo\n"))
        write_project(root, "zanzibarite", DRAFT)
        leaky = good_readme("Leaky bot").replace(
            "## Approach\n", f"## Approach\n\nThe bot reads {TOKEN} from its settings.\n", 1
        )
        write_project(root, "leaky-bot", leaky)
        (root / "cv.yaml").write_text(CV, encoding="utf-8")
        commit(root, "projects and a CV")
        result = folio(root, "build")
        # the secret's write-up is left out and said: exit 1; the rest is built
        assert result.returncode == 1, result.stdout + result.stderr
        assert "projects/leaky-bot/README.md:" in result.stdout
        assert "ST006 left out of the site" in result.stdout
        return root / "site", result.stdout, result.stderr


def project_links(html: str) -> dict[str, str]:
    """Title -> href of each heading of the CV page's Projects section that is a link."""
    section = html.split('<h2 id="projects">', 1)[1].split("<h2 ", 1)[0]
    found = re.findall(r'<h3 id="[^"]*"><a href="([^"]+)">([^<]+)</a>', section)
    return {unescape(title): href for href, title in found}


def test_each_project_on_the_cv_page_links_its_built_page(built: tuple[Path, str, str]) -> None:
    site, _, err = built
    assert "0 build warnings" in err, err  # mkdocs found every Markdown link's target
    html = (site / "cv" / "index.html").read_text(encoding="utf-8")
    links = project_links(html)
    assert links == {
        title: relative_href("cv.md", f"projects/{slug}/index.md") for title, slug in PAGES.items()
    }, links
    gallery = (site / "projects" / "index.html").read_text(encoding="utf-8")
    for title, href in links.items():
        page = (site / "cv" / href / "index.html").resolve()
        assert page.is_file(), href
        assert f"<title>{title}" in page.read_text(encoding="utf-8")
        # where the gallery's card of the project goes
        slug = PAGES[title]
        assert f'href="{relative_href("projects/index.md", f"projects/{slug}/index.md")}"' in (
            gallery
        )
        assert (site / "projects" / f"{slug}/index.html").resolve() == page


def test_a_role_is_labelled_apart_from_the_title(built: tuple[Path, str, str]) -> None:
    site, *_ = built
    html = (site / "cv" / "index.html").read_text(encoding="utf-8")
    line = '<p><em>Sep 2025</em> · <strong>Role:</strong> Team of 3, modelling lead · <a href="'
    assert line in html
    assert "<strong>Role:</strong> Solo · " in html
    assert not re.search(r"</a>\s*, (Solo|Team of 3)", html)  # not run into the title
    text = " ".join(
        "".join(
            p.extract_text() for p in PdfReader(io.BytesIO((site / "cv.pdf").read_bytes())).pages
        ).split()
    )
    assert f"{BAKERY} Role: Team of 3, modelling lead" in text
    assert "Churn model Role: Solo" in text


def test_the_cv_pdf_links_each_project_page_absolutely(built: tuple[Path, str, str]) -> None:
    site, *_ = built
    links = pdf_links((site / "cv.pdf").read_bytes())
    assert all(u.startswith("https://") for u in links), links
    for slug in PAGES.values():
        assert f"{SITE}projects/{slug}/" in links, (slug, links)
        assert (site / "projects" / slug / "index.html").is_file()


def test_no_draft_and_no_write_up_with_a_secret_is_on_the_cv(
    built: tuple[Path, str, str],
) -> None:
    site, *_ = built
    html = (site / "cv" / "index.html").read_text(encoding="utf-8")
    pdf = (site / "cv.pdf").read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for name in ("Zanzibarite", "zanzibarite", "Leaky bot", "leaky-bot", "example-project"):
        assert name not in html, name
        assert name not in text, name
        assert not any(name in u for u in pdf_links(pdf)), name
    assert not (site / "projects" / "leaky-bot").exists()
    assert not (site / "projects" / "zanzibarite").exists()
    assert TOKEN.encode() not in pdf and TOKEN not in html


browser = browser_test.browser  # the fixture: Chromium through Playwright, or a skip


def test_the_cv_page_has_no_lone_navigation_column_on_a_laptop(
    built: tuple[Path, str, str], browser
) -> None:
    """On a laptop the CV page showed a left column holding one link, "CV", that pushed
    the CV to the right of where a project page's text starts: it hides the navigation as
    the project pages and the gallery do (the tabs on top stay), keeping its contents."""
    site, _, _ = built
    with serve(site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore
        page = context.new_page()
        lefts = {}
        for rel in ("cv/", "projects/churn-model/"):
            page.goto(url + rel)
            page.wait_for_load_state("networkidle")
            assert not page.locator(".md-sidebar--primary").is_visible(), rel
            box = page.locator("article.md-content__inner").bounding_box()
            assert box is not None
            lefts[rel] = box["x"]
        assert lefts["cv/"] == lefts["projects/churn-model/"], lefts
        page.goto(url + "cv/")
        assert page.locator(".md-sidebar--secondary").is_visible()  # its table of contents
        assert page.locator(".md-tabs__link", has_text="CV").is_visible()
        context.close()
