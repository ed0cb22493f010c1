"""The evidence of each kind in the site's pages (repofolio.site.pages, repofolio.site.inputs),
without MkDocs: what the inputs read (a PDF's page 1, photo sizes, a snippet's code), what a
page and a card make of it, and the cases around it (a PDF that cannot be rendered, files
kept out, a ``cover:`` image, code with fences of its own). On a new user's repository."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit, git, typst_pdf, write_project
from pages_test import PURE
from PIL import Image
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.site.inputs import MAX_SNIPPET_BYTES, SiteInputs, read_inputs
from repofolio.site.pages import Page, _start_seconds, generate, with_code
from site_data import png

FRONT = """\
---
title: {title}
summary: A one-sentence summary of {title} with a number, 7th of 60.
kind: {kind}
date: 2024-03
results:
  - Placed 7th of 60 teams
{extra}---

"""
BODIES = {
    "research": "# T\n\n## Problem\n\nP.\n\n## Approach\n\nA.\n\n## Results\n\n7th of 60.\n",
    "no-code": "# T\n\n## Problem\n\nP.\n\n## What I did\n\nW.\n\n## Results\n\n7th of 60.\n",
    "snippet": "# T\n\n## What it does\n\nIt counts.\n\n## Code\n\nSee below.\n",
}


def project(
    root: Path,
    slug: str,
    kind: str,
    extra: str = "",
    body: str | None = None,
    files: dict[str, str | bytes] | None = None,
) -> None:
    text = FRONT.format(title=slug.replace("-", " ").title(), kind=kind, extra=extra)
    write_project(root, slug, text + (body or BODIES[kind]), files or {})


def site(root: Path, **changes: object) -> tuple[dict[str, Page], SiteInputs]:
    if git(root, "status", "--porcelain"):
        commit(root)
    portfolio = load_portfolio(load_config(root))
    inputs = read_inputs(portfolio, with_cv=False)
    if changes:
        inputs = dataclasses.replace(inputs, **changes)  # type: ignore[arg-type]
    return {p.path: p for p in generate(portfolio, inputs)}, inputs


def text(pages: dict[str, Page], path: str) -> str:
    content = pages[path].content
    assert isinstance(content, str)
    return content


# -- the snippet's code in its write-up ------------------------------------------------------

PY = {
    "name": "count.py",
    "lang": "python",
    "text": "print(1)\n",
    "url": "count.py",
    "download": True,
}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # at the end of the Code section, before the next one
        (
            "## What it does\n\nIt counts.\n\n## Code\n\nSee below.\n\n## Notes\n\nNone.\n",
            "## What it does\n\nIt counts.\n\n## Code\n\nSee below.\n\n"
            '``` python title="count.py"\nprint(1)\n```\n\n'
            '<p class="folio-download"><a class="md-button" href="count.py" download>'
            "Download count.py</a></p>\n\n## Notes\n\nNone.\n",
        ),
        # no Code section: one of that name at the end
        (
            "## What it does\n\nIt counts.\n",
            "## What it does\n\nIt counts.\n\n## Code\n\n"
            '``` python title="count.py"\nprint(1)\n```\n\n'
            '<p class="folio-download"><a class="md-button" href="count.py" download>'
            "Download count.py</a></p>\n",
        ),
        # a "## Code" inside fenced code is no heading; the real one is last
        (
            "## Setup\n\n```md\n## Code\n```\n\n## Code\n\nHere.\n",
            "## Setup\n\n```md\n## Code\n```\n\n## Code\n\nHere.\n\n"
            '``` python title="count.py"\nprint(1)\n```\n\n'
            '<p class="folio-download"><a class="md-button" href="count.py" download>'
            "Download count.py</a></p>\n",
        ),
    ],
)
def test_code_goes_at_the_end_of_the_code_section(body: str, expected: str) -> None:
    assert with_code(body, [PY]) == expected


def test_code_with_fences_of_its_own_gets_a_longer_fence_and_a_large_file_only_a_link() -> None:
    doc = {**PY, "name": "doc.py", "text": 'HELP = """\n```bash\nrun\n```\n"""'}
    big = {
        **PY,
        "name": "big.py",
        "text": None,
        "url": "https://github.com/x/y/blob/main/big.py",
        "download": False,
    }
    out = with_code("## Code\n", [doc, big])
    assert '```` python title="doc.py"\nHELP = """\n```bash\nrun\n```\n"""\n````' in out
    assert 'big.py"' not in out.split("<p", 1)[0]  # no block for the file too large to show
    assert (
        '<a class="md-button" href="https://github.com/x/y/blob/main/big.py">Download big.py' in out
    )


@pytest.mark.parametrize(
    ("url", "seconds"),
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", 0),
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=95", 95),
        ("https://youtu.be/aqz-KE-bpKQ?t=1m30s", 90),
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=1h2m3s", 3723),
        ("https://www.youtube.com/embed/aqz-KE-bpKQ?start=42", 42),
    ],
)
def test_a_youtube_start_time_is_kept(url: str, seconds: int) -> None:
    assert _start_seconds(url) == seconds


# -- on a new user's repository ----------------------------------------------------------------


def test_research_cover_from_the_pdf_on_the_page_and_the_cards(new_user_repo: Path) -> None:
    root = new_user_repo
    project(
        root,
        "ct-challenge",
        "research",
        "links:\n  paper: paper.pdf\n  deck: ./paper.pdf\n",
        files={"paper.pdf": typst_pdf("Calibrated segmentation", 2)},
    )
    pages, inputs = site(root)
    cover = inputs.pdf_covers["ct-challenge"]
    assert cover.pdf == "projects/ct-challenge/paper.pdf"
    assert cover.path.parent == root / ".folio-cache" / "site" / "covers"
    with Image.open(cover.path) as im:
        assert im.format == "WEBP" and im.size == (cover.width, cover.height)
    image = pages["projects/ct-challenge/paper-page-1.webp"]
    assert image.src == cover.path
    page = text(pages, "projects/ct-challenge/index.md")
    assert (
        '<figure class="folio-page-cover"><a href="paper.pdf"><img src="paper-page-1.webp"' in page
    )
    # og:image of the link preview: the rendered page, absolute
    assert (
        'image: "https://jane-doe.github.io/portfolio/projects/ct-challenge/paper-page-1.webp"'
        in page
    )
    # two keys, one file: one button
    assert re.findall(r'class="md-button[^"]*" href="([^"]+)"[^>]*>([^<]+)<', page) == [
        ("paper.pdf", "Paper (PDF)")
    ]
    gallery = text(pages, "projects/index.md")
    assert 'folio-card__cover--page"><img src="ct-challenge/paper-page-1.webp"' in gallery
    home = text(pages, "index.md")
    assert '<img src="projects/ct-challenge/paper-page-1.webp"' in home
    # a second read renders nothing: the same cached file
    again = read_inputs(load_portfolio(load_config(root)), with_cv=False)
    assert again.pdf_covers["ct-challenge"].path == cover.path


def test_a_pdf_that_cannot_be_rendered_is_one_warning_and_no_cover(new_user_repo: Path) -> None:
    project(
        new_user_repo,
        "thesis",
        "research",
        "links:\n  thesis: thesis.pdf\n",
        files={"thesis.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"},
    )
    pages, inputs = site(new_user_repo)
    st005 = [d for d in inputs.diagnostics if d.code == "ST005"]
    assert [(d.path, d.severity) for d in st005] == [("projects/thesis/thesis.pdf", "warning")]
    assert st005[0].message.startswith("no cover from the PDF: projects/thesis/thesis.pdf: ")
    assert "thesis" not in inputs.pdf_covers
    page = text(pages, "projects/thesis/index.md")
    assert "folio-page-cover" not in page and "folio-card__cover" not in text(
        pages, "projects/index.md"
    )
    assert 'href="thesis.pdf" download>Thesis (PDF)</a>' in page  # the PDF is still there


def test_a_cover_image_wins_and_a_kept_out_pdf_has_no_cover(new_user_repo: Path) -> None:
    root = new_user_repo
    pdf = typst_pdf("Thesis", 1)
    project(
        root,
        "with-figure",
        "research",
        "cover: figure.png\nlinks:\n  thesis: thesis.pdf\n",
        files={"thesis.pdf": pdf, "figure.png": png(64, 36)},
    )
    project(
        root, "secret-pdf", "research", "links:\n  thesis: thesis.pdf\n", files={"thesis.pdf": pdf}
    )
    pages, inputs = site(root)
    assert "with-figure" not in inputs.pdf_covers
    gallery = text(pages, "projects/index.md")
    assert (
        '<img src="with-figure/figure.png" alt="" decoding="async" width="64" height="36"'
        in gallery
    )
    assert "folio-page-cover" not in text(pages, "projects/with-figure/index.md")
    # the publish step keeps a file with a secret out: no page 1 of it anywhere, and its
    # button goes to the repository, as the write-up's links do
    withheld = {"projects/secret-pdf/thesis.pdf": "a secret in the file"}
    pages, _ = site(root, withheld=withheld)
    assert not any(p.startswith("projects/secret-pdf/thesis") for p in pages)
    page = text(pages, "projects/secret-pdf/index.md")
    assert "page-1.webp" not in page and "page-1.webp" not in text(pages, "projects/index.md")
    assert (
        '<a class="md-button md-button--primary" href="https://github.com/jane-doe/portfolio/'
        'blob/main/projects/secret-pdf/thesis.pdf">Thesis (PDF)</a>'
    ) in page


def test_no_code_photos_skip_what_the_text_shows(new_user_repo: Path) -> None:
    body = BODIES["no-code"].replace("W.", 'W. <img src="c-desk.png" alt="Desk"> ![Bench](b.png)')
    files: dict[str, str | bytes] = {
        "b.png": png(40, 30),
        "c-desk.png": png(50, 30),
        "a.png": png(30, 40),
        "photos/10-z.png": png(20, 20),
        "notes.txt": "not a photo",
    }
    project(new_user_repo, "rig", "no-code", body=body, files=files)
    project(new_user_repo, "paper", "research", files={"fig.png": png(10, 10)})
    pages, inputs = site(new_user_repo)
    page = text(pages, "projects/rig/index.md")
    grid = re.findall(
        r'href="([^"]+)"><img src="[^"]+" alt="([^"]+)"[^>]* width="(\d+)" '
        r'height="(\d+)"',
        page.split('class="folio-photos"', 1)[1].split("</div>")[0],
    )
    assert grid == [("a.png", "A", "30", "40"), ("photos/10-z.png", "Z", "20", "20")]
    assert "folio-photos" not in text(pages, "projects/paper/index.md")  # no-code only
    assert inputs.image_sizes["projects/rig/photos/10-z.png"] == (20, 20)


def test_snippet_code_read_by_the_inputs_and_kept_out_when_withheld(new_user_repo: Path) -> None:
    files: dict[str, str | bytes] = {
        "count.py": "print(len([1, 2, 3]))\n",
        "big.sql": "select 1;\n" * (MAX_SNIPPET_BYTES // 10 + 1),
        "latin1.r": "x <- 'caf\xe9'\n".encode("latin-1"),
        ".hidden/tool.py": "print('no')\n",
    }
    project(new_user_repo, "counter", "snippet", files=files)
    pages, inputs = site(new_user_repo)
    assert inputs.code == {"projects/counter/count.py": "print(len([1, 2, 3]))\n"}
    page = text(pages, "projects/counter/index.md")
    assert '``` python title="count.py"\nprint(len([1, 2, 3]))\n```' in page
    assert 'title="big.sql"' not in page and "Download big.sql" in page  # too large: a link
    assert 'title="latin1.r"' not in page and "Download latin1.r" in page  # not UTF-8: a link
    assert "tool.py" not in page
    pages, _ = site(new_user_repo, withheld={"projects/counter/count.py": "a secret"})
    assert "count.py" not in text(pages, "projects/counter/index.md").split("## Code", 1)[1]


def test_generate_opens_no_file_for_any_kind(new_user_repo: Path) -> None:
    project(
        new_user_repo,
        "thesis",
        "research",
        "links:\n  video: https://vimeo.com/76979871\n",
        files={"thesis.pdf": typst_pdf("Thesis"), "talk.mp4": b"\x00" * 32},
    )
    project(new_user_repo, "rig", "no-code", files={"a.png": png(30, 40)})
    project(new_user_repo, "counter", "snippet", files={"count.py": "print(3)\n"})
    commit(new_user_repo)
    result = subprocess.run(
        [sys.executable, "-c", PURE, str(new_user_repo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "projects/thesis/thesis-page-1.webp" in out["pages"]
    touched = [
        e
        for e in out["events"]
        if str(new_user_repo) in e[1] or e[0] not in ("open", "os.listdir", "os.scandir")
    ]
    assert touched == []


def test_videos_of_the_folder_and_of_links(new_user_repo: Path) -> None:
    links = "links:\n  talk: talk.mp4\n  demo: https://youtu.be/aqz-KE-bpKQ?t=5\n"
    body = BODIES["research"].replace("A.", "A. [the poster clip](poster.webm)")
    project(
        new_user_repo,
        "talks",
        "research",
        links,
        body,
        {"talk.mp4": b"\x00" * 16, "extra.mp4": b"\x00" * 16, "poster.webm": b"\x00" * 16},
    )
    pages, _ = site(new_user_repo)
    page = text(pages, "projects/talks/index.md")
    players = re.findall(r'<(iframe|video)[^>]* src="([^"]+)" title="([^"]+)"', page)
    assert players == [
        ("video", "talk.mp4", "Talk (video): Talks"),
        (
            "iframe",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?start=5",
            "Live demo (video): Talks",
        ),
        ("video", "extra.mp4", "Extra (video): Talks"),  # in the folder, linked by nothing
    ]  # poster.webm: the text links it itself
    assert "md-button" not in page  # each link is its player
    buttons = re.findall(r'folio-card__links">(.*?)</p>', text(pages, "projects/index.md"))
    assert buttons and "Talk (video)" in buttons[0] and "Live demo (video)" in buttons[0]


def test_a_pdf_that_is_a_symlink_out_of_the_repository_is_never_rendered(
    new_user_repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "private-thesis.pdf"
    outside.write_bytes(typst_pdf("Private"))
    project(new_user_repo, "linked", "research", "links:\n  thesis: thesis.pdf\n")
    (new_user_repo / "projects" / "linked" / "thesis.pdf").symlink_to(outside)
    pages, inputs = site(new_user_repo)
    assert "linked" not in inputs.pdf_covers
    assert not list((new_user_repo / ".folio-cache" / "site").glob("covers/*"))
    assert [d.code for d in inputs.diagnostics] == ["ST004"]
    page = text(pages, "projects/linked/index.md")
    assert "page-1.webp" not in page and "projects/linked/thesis.pdf" not in pages
    assert "blob/main/projects/linked/thesis.pdf" in page  # its button: on the repository
