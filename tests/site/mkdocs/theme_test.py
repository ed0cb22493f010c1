"""The theme that ships in the package, on a new user's repository (``new_user_repo``: git
init, a README of their own, a GitHub origin, ``folio init --owner --headline``) with one
project written by hand: the stylesheet served and applied, the user's ``custom_dir`` above
the package's templates, link previews with a 1200 x 630 card on every page, and the same
theme written by ``folio docs`` for Zensical.

Nothing of this repository's mkdocs.yml or docs is copied in. Each build runs in its own
process (``folio build``, as the user runs it): mkdocs keeps plugin instances per process.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from chromium import launch, open_page, serve
from conftest import commit, venv_tool, write_project
from PIL import Image
from repofolio.site.theme import OVERRIDES, STYLESHEETS
from site_data import NEW_USER_PROJECT, chart_png, zensical_build

PACKAGED_CSS = (STYLESHEETS / "folio.css").read_bytes()


def add_project(repo: Path) -> None:
    write_project(
        repo,
        "bakery-forecast",
        NEW_USER_PROJECT,
        {
            "images/forecast.png": chart_png(),
            "forecast.py": "import argparse\n\nprint(argparse.ArgumentParser().prog)\n",
        },
    )
    commit(repo, "bakery forecast write-up")


def use_custom_dir(repo: Path) -> None:
    """The user's mkdocs.yml names their own template folder, ``overrides/``."""
    mkdocs_yml = repo / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    assert "custom_dir" not in text  # not in what init writes
    mkdocs_yml.write_text(
        text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1),
        encoding="utf-8",
    )


def folio(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = venv_tool("folio")
    assert exe, "folio is installed with the package (pip install -e '.[test]')"
    return subprocess.run(
        [exe, *args],
        cwd=repo,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def build(repo: Path) -> Path:
    result = folio(repo, "build", "--no-check")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def meta(text: str, key: str) -> str | None:
    attr = "name" if key.startswith("twitter:") else "property"
    found = re.search(rf'<meta {attr}="{re.escape(key)}" content="([^"]*)">', text)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def new_site(new_user_repo: Path) -> Path:
    add_project(new_user_repo)
    return build(new_user_repo)


def test_the_packaged_stylesheet_is_served_and_styles_a_new_users_home(new_site: Path) -> None:
    assert not (new_site.parent / "docs" / "stylesheets").exists()  # nothing of the user's
    assert (new_site / "assets/stylesheets/folio.css").read_bytes() == PACKAGED_CSS
    with launch() as browser, serve(new_site) as url:
        context, page, problems = open_page(browser, url, 390, 844)  # a phone
        served = page.evaluate(
            "[...document.styleSheets].filter(s => (s.href || '').endsWith('/folio.css'))"
            ".map(s => s.cssRules.length)"
        )
        assert served and served[0] > 50, served  # loaded and parsed, not a 404 page
        card = page.locator(".folio-card", has_text="Demand forecasting")
        style = card.evaluate(
            "e => { const s = getComputedStyle(e); return [s.display, s.borderTopStyle,"
            " s.borderTopLeftRadius, s.overflow] }"
        )
        assert style == ["flex", "solid", "12px", "hidden"], style  # 0.6rem of 20px
        chips = card.locator(".folio-tag")
        assert chips.all_inner_texts() == ["forecasting", "time-series", "lightgbm"]
        first, second = chips.nth(0).bounding_box(), chips.nth(1).bounding_box()
        assert first and second
        # chips, not text run together: padded, with a gap between them
        assert chips.nth(0).evaluate("e => getComputedStyle(e).display") == "inline-block"
        assert chips.nth(0).evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > 4
        assert second["x"] >= first["x"] + first["width"] + 4 or second["y"] > first["y"]
        assert problems == []
        context.close()


def test_a_users_custom_dir_wins_over_the_packages_templates(new_user_repo: Path) -> None:
    add_project(new_user_repo)
    overrides = new_user_repo / "overrides"
    (overrides / "partials").mkdir(parents=True)
    # their own copyright partial: the package's main.html still renders the page head
    (overrides / "partials" / "copyright.html").write_text(
        '<div class="md-copyright">Jane\'s own footer</div>\n', encoding="utf-8"
    )
    use_custom_dir(new_user_repo)
    # and a stylesheet of their own: after the package's, so theirs wins
    (new_user_repo / "docs" / "css").mkdir()
    (new_user_repo / "docs" / "css" / "mine.css").write_text(".folio-tag{}\n", encoding="utf-8")
    with (new_user_repo / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("\nextra_css:\n  - css/mine.css\n")
    home = (build(new_user_repo) / "index.html").read_text(encoding="utf-8")
    assert "Jane's own footer" in home
    assert meta(home, "og:title") == "Jane Doe"  # the package's main.html, under theirs
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', home)
    assert sheets[-3:] == [  # the package's base, the kinds' sheet on it, then theirs
        "assets/stylesheets/folio.css",
        "assets/stylesheets/folio-kinds.css",
        "css/mine.css",
    ], sheets

    # their own main.html shadows the package's
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}'
        '<meta name="jane" content="own head">{% endblock %}\n',
        encoding="utf-8",
    )
    home = (build(new_user_repo) / "index.html").read_text(encoding="utf-8")
    assert '<meta name="jane" content="own head">' in home
    assert meta(home, "og:title") is None
    assert "Jane's own footer" in home


def test_every_page_has_a_link_preview_with_its_own_card(new_site: Path) -> None:
    found = pages(new_site)
    urls = {p.relative_to(new_site).as_posix() for p in found}
    # home, gallery, tags, journal, the project, and its preview card
    assert {"index.html", "projects/index.html", "tags/index.html", "journal/index.html"} <= urls
    assert "projects/bakery-forecast/index.html" in urls
    site_url = "https://jane-doe.github.io/portfolio/"  # init's, from the origin remote
    images = {}
    for path in found:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(new_site).as_posix()
        values = {k: meta(text, k) for k in ("og:title", "og:description", "og:image", "og:url")}
        assert all(values.values()), (rel, values)
        assert meta(text, "twitter:card") == "summary_large_image", rel
        assert values["og:url"] == site_url + rel.removesuffix("index.html"), rel
        image = values["og:image"]
        assert image and image.startswith(site_url + "assets/social/"), (rel, image)
        with Image.open(new_site / image.removeprefix(site_url)) as card:
            assert card.size == (1200, 630), rel
        images[rel] = image
    assert len(set(images.values())) == len(images)  # a card per page
    project = (new_site / "projects/bakery-forecast/index.html").read_text(encoding="utf-8")
    assert meta(project, "og:description") == (
        "Daily bread orders for 40 shops from two years of sales, weather and holidays."
    )
    home = (new_site / "index.html").read_text(encoding="utf-8")
    # init writes no site_description: the owner's headline is every page's fallback
    headline = "Data scientist moving into ML engineering: forecasting and NLP"
    assert meta(home, "og:description") == headline
    assert f'<meta name="description" content="{headline}">' in home
    # the cards differ by what they say: the home card is not the project's
    home_card = (new_site / "assets/social/index.png").read_bytes()
    assert home_card != (new_site / "assets/social/projects/bakery-forecast/index.png").read_bytes()


def test_the_404_page_has_the_link_preview_of_the_site(new_site: Path) -> None:
    """Served at any address with no page: no relative link means anything there, so it
    points at the site's root and shows the home page's card."""
    site_url = "https://jane-doe.github.io/portfolio/"
    text = (new_site / "404.html").read_text(encoding="utf-8")
    home = (new_site / "index.html").read_text(encoding="utf-8")
    assert meta(text, "og:title") == "Page not found"
    assert meta(text, "og:description") == meta(home, "og:description")
    assert meta(text, "og:type") == "website"
    assert meta(text, "og:url") == site_url
    image = meta(text, "og:image")
    assert image == site_url + "assets/social/index.png" == meta(home, "og:image")
    assert meta(text, "og:image:alt") == "Jane Doe"  # what the card says
    assert meta(text, "twitter:card") == "summary_large_image"
    assert meta(text, "twitter:image") == image
    with Image.open(new_site / "assets/social/index.png") as card:
        assert card.size == (1200, 630)


def test_social_cards_can_be_turned_off(new_user_repo: Path) -> None:
    add_project(new_user_repo)
    toml = new_user_repo / "folio.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[site]" not in text  # init's folio.toml: the table added here
    toml.write_text(text + "\n[site]\nsocial-cards = false\n", encoding="utf-8")
    site = build(new_user_repo)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert meta(home, "og:title") == "Jane Doe" and meta(home, "og:image") is None
    assert meta(home, "twitter:card") == "summary"
    assert not (site / "assets/social").exists()
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert meta(not_found, "og:url") == "https://jane-doe.github.io/portfolio/"
    assert meta(not_found, "og:image") is None and meta(not_found, "twitter:card") == "summary"
    # a project with a cover still shows it in a preview
    project = (site / "projects/bakery-forecast/index.html").read_text(encoding="utf-8")
    assert meta(project, "og:image") == (
        "https://jane-doe.github.io/portfolio/projects/bakery-forecast/images/forecast.png"
    )


def test_folio_docs_writes_the_theme_for_zensical(new_user_repo: Path) -> None:
    add_project(new_user_repo)
    own = new_user_repo / "overrides" / "partials"
    own.mkdir(parents=True)
    (own / "copyright.html").write_text("<p>Jane's footer</p>\n", encoding="utf-8")
    (new_user_repo / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n', encoding="utf-8"
    )
    use_custom_dir(new_user_repo)
    out = new_user_repo / "build" / "docs"
    config = new_user_repo / "build" / "zensical.yml"
    result = folio(new_user_repo, "docs", "--out", "build/docs", "--write-config", str(config))
    assert result.returncode == 0, result.stderr
    assert (out / "assets/stylesheets/folio.css").read_bytes() == PACKAGED_CSS
    theme = out / ".folio-theme"
    # the user's own templates on top of the package's
    assert (theme / "partials/copyright.html").read_text() == "<p>Jane's footer</p>\n"
    assert (theme / "main.html").read_text() == '{% extends "base.html" %}\n'
    # Material's search partial is not for Zensical's header: its own is kept
    assert not (theme / "partials/search.html").exists()
    assert (OVERRIDES / "partials/search.html").is_file()
    assert 'INHERIT: "../mkdocs.yml"' in config.read_text(encoding="utf-8")
    zensical_build(config, new_user_repo)
    site = new_user_repo / "build" / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="./assets/stylesheets/folio.css"' in home or "assets/stylesheets/folio.css" in home
    assert "Jane's footer" in home and not (site / ".folio-theme").exists()
    assert home.count('<article class="folio-card">') >= 1


def test_folio_docs_gives_zensical_the_link_previews_of_folio_build(new_user_repo: Path) -> None:
    """Without the plugin (Zensical), each page still has the title, description, URL and
    social card `folio build` gives it: folio docs writes them into the pages' front matter
    and the cards beside the pages."""
    add_project(new_user_repo)
    config = new_user_repo / "build" / "zensical.yml"
    result = folio(new_user_repo, "docs", "--out", "build/docs", "--write-config", str(config))
    assert result.returncode == 0, result.stderr
    counted = re.search(r"wrote (\d+) of (\d+) files", result.stdout + result.stderr)
    assert counted, result.stdout + result.stderr
    written = [p for p in (new_user_repo / "build" / "docs").rglob("*") if p.is_file()]
    assert int(counted[1]) == int(counted[2]) == len(written) + 1  # the config too
    zensical_build(config, new_user_repo)
    site = new_user_repo / "build" / "site"
    plugin_site = build(new_user_repo)
    root = "https://jane-doe.github.io/portfolio/"
    compared = 0
    for page in pages(plugin_site):
        rel = page.relative_to(plugin_site)
        if not (site / rel).is_file():
            continue  # a page only one builder makes (the blog's archive, say)
        ours = (site / rel).read_text(encoding="utf-8")
        theirs = page.read_text(encoding="utf-8")
        for key in ("og:title", "og:description", "og:url", "og:image", "twitter:card"):
            assert meta(ours, key) == meta(theirs, key), (rel, key)
        image = meta(ours, "og:image")
        assert image and image.startswith(root + "assets/social/"), (rel, image)
        card = image.removeprefix(root)
        assert (site / card).read_bytes() == (plugin_site / card).read_bytes()
        assert (site / card).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "folio_preview" not in ours  # a key of the front matter, no text of the page
        compared += 1
    assert compared >= 3
    project = (site / "projects/bakery-forecast/index.html").read_text(encoding="utf-8")
    assert meta(project, "og:title") == "Demand forecasting for a bakery chain"


def test_without_a_site_url_the_cards_are_linked_relative_to_each_page(
    new_user_repo: Path,
) -> None:
    add_project(new_user_repo)
    mkdocs_yml = new_user_repo / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    assert "site_url:" in text  # init's, from the origin remote
    mkdocs_yml.write_text(re.sub(r"(?m)^site_url:.*\n", "", text), encoding="utf-8")
    site = build(new_user_repo)
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        image = meta(text, "og:image")
        assert image and not image.startswith(("http:", "https:", "/")), (path, image)
        card = (path.parent / image).resolve()
        assert card.is_file() and card.is_relative_to(site / "assets/social"), (path, image)
    # the 404 page is served at any depth: from the server's root, where mkdocs puts it
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert meta(not_found, "og:url") == "/"
    assert meta(not_found, "og:image") == "/assets/social/index.png"
    assert (site / "assets/social/index.png").is_file()
