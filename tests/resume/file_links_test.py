"""Links to project files in the resume and the CV: absolute in every document read away from
the site (real Typst PDFs read back with pypdf, the HTML and Markdown outputs), relative on
the site's CV page, left out with one warning when there is no URL; cv.yaml's references
(files, projects, drafts) checked at their lines. On a new user's repository."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import THESIS_CV as CV
from conftest import commit, folio_build_strict, pdf_links, run_cli, typst_pdf, write_project
from pypdf import PdfReader
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.published_files import published_path
from repofolio.resume import render
from repofolio.resume.model import load_cv

SITE = "https://jane-doe.github.io/portfolio/"
REPO = "https://github.com/jane-doe/portfolio"

THESIS_README = """\
---
title: Conformal prediction for reliable classification
summary: Prediction sets that keep their promised coverage on three medical datasets.
kind: research
period: {start: 2023-01, end: 2023-06}
tags: [thesis, uncertainty]
skills: [Python, statistics]
links:
  thesis: thesis.pdf
  slides: slides/defence.pdf
results:
  - Coverage 0.90 at a 0.90 target where raw probabilities give 0.85
---

# Conformal prediction for reliable classification

## Problem

Classifiers promise 90% coverage and deliver 85%.

## Approach

Split conformal prediction over 100 random splits; read [the thesis](thesis.pdf).

## Results

Coverage 0.90 (target 0.90) against 0.85 for raw probabilities.
"""


@pytest.fixture
def thesis_repo(new_user_repo: Path) -> Path:
    """Jane's repository: a research project with a real thesis PDF and slides, a
    certificate's PDF outside the projects, and a cv.yaml whose thesis points at the project."""
    write_project(
        new_user_repo,
        "msc-thesis",
        THESIS_README,
        {
            "thesis.pdf": typst_pdf("Conformal prediction for reliable classification", 3),
            "slides/defence.pdf": typst_pdf("Defence", 2, "25.4cm", "14.29cm"),
        },
    )
    cert = new_user_repo / "certificates" / "aws-ml.pdf"
    cert.parent.mkdir()
    cert.write_bytes(typst_pdf("AWS Certified Machine Learning"))
    (new_user_repo / "cv.yaml").write_text(CV, encoding="utf-8")
    commit(new_user_repo, "thesis, certificate and CV")
    return new_user_repo


def build(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    return run_cli(runner, "resume", "build", *args)


def test_every_link_of_the_resume_and_cv_pdfs_is_absolute(
    thesis_repo: Path, runner: CliRunner
) -> None:
    code, _, err = build(runner, "-o", "dist/resume.pdf")
    assert code == 0, err
    code, _, err = build(runner, "--cv", "-o", "dist/cv.pdf")
    assert code == 0, err
    assert "RS010" not in err  # site-url and repo-url come from the origin: nothing left out
    thesis = f"{SITE}projects/msc-thesis/thesis.pdf"
    for name in ("resume.pdf", "cv.pdf"):
        links = pdf_links((thesis_repo / "dist" / name).read_bytes())
        assert links, name
        assert all(u.startswith("https://") for u in links), (name, links)
        # the thesis PDF, at its URL on the site; the certificate (not on the site) on GitHub;
        # the award names the project: its page on the site
        assert thesis in links, (name, links)
        assert f"{REPO}/blob/main/certificates/aws-ml.pdf" in links, (name, links)
        assert f"{SITE}projects/msc-thesis/" in links, (name, links)
    cv_links = pdf_links((thesis_repo / "dist" / "cv.pdf").read_bytes())
    assert f"{SITE}projects/msc-thesis/slides/defence.pdf" in cv_links  # every link on the CV
    # what the site publishes there is that file: the same mapping as the site's
    portfolio = load_portfolio(load_config(thesis_repo))
    assert published_path(portfolio, "projects/msc-thesis/thesis.pdf") == (
        "projects/msc-thesis/thesis.pdf"
    )


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_html_and_markdown_outputs_link_files_absolutely(
    thesis_repo: Path, runner: CliRunner, fmt: str
) -> None:
    for extra in ((), ("--cv",)):
        code, out, err = build(runner, *extra, "--format", fmt, "-o", "-")
        assert code == 0, err
        if fmt == "html":
            links = re.findall(r'href="([^"]*)"', out)
        else:  # the download button names the PDF built beside it: the one relative link
            links = [u for u in re.findall(r"\]\(([^)\s]+)\)", out) if u not in PDF_BESIDE]
        assert links and all(u.startswith("https://") for u in links), (extra, links)
        assert f"{SITE}projects/msc-thesis/thesis.pdf" in links


PDF_BESIDE = {"resume.pdf", "cv.pdf"}


def test_without_site_url_a_file_link_is_left_out_with_one_warning(
    thesis_repo: Path, runner: CliRunner
) -> None:
    toml = thesis_repo / "folio.toml"
    toml.write_text(
        re.sub(r"(?m)^site-url = .*\n", "", toml.read_text(encoding="utf-8")), encoding="utf-8"
    )
    code, _, err = build(runner, "-o", "dist/resume.pdf")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "RS010" in line]
    # one line a file, at the line of its link (the resume tries the next link: slides)
    assert warnings == [
        "projects/msc-thesis/README.md:9:1: RS010 projects/msc-thesis/thesis.pdf: no site-url "
        "in [tool.folio] to link it at; left out",
        "projects/msc-thesis/README.md:10:1: RS010 projects/msc-thesis/slides/defence.pdf: no "
        "site-url in [tool.folio] to link it at; left out",
    ], err
    links = pdf_links((thesis_repo / "dist" / "resume.pdf").read_bytes())
    assert all(u.startswith("https://") for u in links), links
    assert not any("thesis.pdf" in u for u in links)
    assert f"{REPO}/blob/main/certificates/aws-ml.pdf" in links  # still on repo-url
    # the award's project has no page to point at without a site: no link, no relative one
    assert not any("projects/msc-thesis/" in u for u in links)
    # lint says so too, as a warning (exit 1: a finding)
    code, out, _ = run_cli(runner, "resume", "lint")
    assert "RS010 projects/msc-thesis/thesis.pdf: no site-url" in out


def test_the_site_cv_page_links_files_relative_to_itself(thesis_repo: Path) -> None:
    cfg = load_config(thesis_repo)
    portfolio = load_portfolio(cfg)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    text = render.render_cv_markdown(loaded.cv, portfolio, cfg, pdf_href="cv.pdf")
    # a Markdown link from docs/cv.md, which MkDocs resolves from the file (and --strict checks)
    assert "[thesis](projects/msc-thesis/thesis.pdf)" in text
    assert "](projects/msc-thesis/index.md)" in text  # the award, to the project's page
    assert f"]({REPO}/blob/main/certificates/aws-ml.pdf)" in text
    assert "](thesis.pdf)" not in text
    doc = render.compose(loaded.cv, portfolio, cfg, kind="cv", page="cv.md")
    assert doc.warnings == []


TITLE = "Conformal prediction for reliable classification"


def with_role(repo: Path, role: str) -> None:
    readme = repo / "projects" / "msc-thesis" / "README.md"
    readme.write_text(THESIS_README.replace("results:\n", f"role: {role}\nresults:\n", 1))


@pytest.mark.parametrize("extra", [(), ("--cv",)])
def test_a_projects_title_links_its_page_and_its_role_stands_apart(
    thesis_repo: Path, runner: CliRunner, extra: tuple[str, ...]
) -> None:
    """The resume and the CV, in every format: the title goes to the project's page on the
    site (absolute: read away from the site), the role is labelled and kept out of the title
    ("Title, Solo" read as one name)."""
    with_role(thesis_repo, "Solo, supervised")
    page = f"{SITE}projects/msc-thesis/"
    code, typ, err = build(runner, *extra, "--format", "typ", "-o", "-")
    assert code == 0, err
    assert f'#head("{TITLE}", url: "{page}", role: "Solo, supervised", when: ' in typ
    code, md, _ = build(runner, *extra, "--format", "md", "-o", "-")
    assert code == 0
    assert f"### [{TITLE}]({page})\n" in md
    assert "*Jan 2023 – Jun 2023* · **Role:** Solo, supervised · [" in md
    code, html, _ = build(runner, *extra, "--format", "html", "-o", "-")
    assert code == 0
    assert (
        f'<strong><a href="{page}">{TITLE}</a></strong> '
        '<span class="role"><em>Role:</em> Solo, supervised</span>'
    ) in html
    code, _, err = build(runner, *extra, "-o", "dist/out.pdf")
    assert code == 0, err
    data = (thesis_repo / "dist" / "out.pdf").read_bytes()
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert f"{TITLE} Role: Solo, supervised" in text
    assert f"{TITLE}, Solo" not in text
    links = pdf_links(data)
    assert all(u.startswith("https://") for u in links), links
    # the title's link and the award's, both to the page; the thesis PDF beside the title
    assert links.count(page) == 2, links
    assert f"{SITE}projects/msc-thesis/thesis.pdf" in links


def test_on_the_site_cv_page_a_title_links_the_project_page_relative_to_it(
    thesis_repo: Path,
) -> None:
    with_role(thesis_repo, "Solo")
    cfg = load_config(thesis_repo)
    portfolio = load_portfolio(cfg)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    text = render.render_cv_markdown(loaded.cv, portfolio, cfg, pdf_href="cv.pdf")
    # a Markdown link to the page's file: MkDocs writes the page's URL and --strict checks it
    assert f"### [{TITLE}](projects/msc-thesis/index.md)\n" in text
    assert "· **Role:** Solo · [thesis](projects/msc-thesis/thesis.pdf)" in text
    # a project with no page on the site (a secret in its write-up): not shown, not linked
    doc = render.compose(
        loaded.cv, portfolio, cfg, kind="cv", page="cv.md", leave_out={"msc-thesis"}
    )
    assert doc.chosen == []
    assert "projects" not in [s.key for s in doc.sections]
    entries = [e for s in doc.sections for e in s.entries]
    assert [e.title for e in entries if e.id.startswith("awards")] == [
        "Best thesis award, 1 of 40 theses"
    ]
    urls = [e.url for e in entries] + [link.url for e in entries for link in e.links]
    assert not any("msc-thesis" in (u or "") for u in urls), urls


def test_folio_build_strict_publishes_a_cv_page_whose_file_links_resolve(
    thesis_repo: Path, runner: CliRunner
) -> None:
    """The issue's failure: 'Doc file cv.md contains a link thesis.pdf, but the target is not
    found' under --strict. A real mkdocs build; every link of the CV page lands on a file."""
    proc = folio_build_strict(thesis_repo, timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = thesis_repo / "site"
    html = (site / "cv" / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="(\.\./projects/[^"#]+)"', html))
    assert "../projects/msc-thesis/thesis.pdf" in hrefs, hrefs
    for href in hrefs:
        target = (site / "cv" / href).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href
    assert (site / "projects" / "msc-thesis" / "thesis.pdf").read_bytes()[:5] == b"%PDF-"


# -- what cv.yaml names --------------------------------------------------------------------------


def test_a_missing_file_or_project_is_an_error_at_its_line(
    thesis_repo: Path, runner: CliRunner
) -> None:
    cv = thesis_repo / "cv.yaml"
    text = CV.replace("file: certificates/aws-ml.pdf", "file: certificates/gone.pdf")
    text = text.replace("2023-09\n    project: msc-thesis", "2023-09\n    project: no-such-thesis")
    cv.write_text(text, encoding="utf-8")
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1
    lines = out.splitlines()
    assert (
        "cv.yaml:18:1: RS007 'awards.0.project': no project 'no-such-thesis' in projects/ "
        "(or its front matter is invalid)"
    ) in lines, out
    assert (
        "cv.yaml:23:1: RS009 'certifications.0.file': file 'certificates/gone.pdf' does not "
        "exist (a path relative to cv.yaml's folder)"
    ) in lines, out
    code, out, err = build(runner, "-o", "dist/resume.pdf")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "folio: error: cv.yaml:18:1: RS007 'awards.0.project': no project 'no-such-thesis' in "
        "projects/ (or its front matter is invalid) (and 1 more: run `folio resume lint`)"
    ]
    assert not (thesis_repo / "dist" / "resume.pdf").exists()


def test_a_file_that_leaves_the_repository_is_an_error(
    thesis_repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    outside = tmp_path / "private.pdf"
    outside.write_bytes(typst_pdf("Private"))
    (thesis_repo / "certificates" / "link.pdf").symlink_to(outside)
    cv = thesis_repo / "cv.yaml"
    cv.write_text(CV.replace("aws-ml.pdf", "link.pdf"), encoding="utf-8")
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1 and "cv.yaml:23:1: RS009 'certifications.0.file': file " in out
    assert "is a symlink out of the repository" in out
    cv.write_text(CV.replace("certificates/aws-ml.pdf", "../../private.pdf"), encoding="utf-8")
    code, out, _ = run_cli(runner, "resume", "lint")
    assert "cv.yaml:23:1: RS009 'certifications.0.file': file '../../private.pdf' leaves" in out


def test_a_url_in_file_is_a_schema_error(thesis_repo: Path, runner: CliRunner) -> None:
    cv = thesis_repo / "cv.yaml"
    cv.write_text(
        CV.replace("file: certificates/aws-ml.pdf", "file: https://example.org/c.pdf"),
        encoding="utf-8",
    )
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1
    assert out.startswith("cv.yaml:23:1: CV012 'certifications.0.file'"), out


def test_a_draft_named_by_the_cv_is_reported_and_never_linked(
    thesis_repo: Path, runner: CliRunner
) -> None:
    readme = thesis_repo / "projects" / "msc-thesis" / "README.md"
    readme.write_text(THESIS_README.replace("kind: research\n", "kind: research\ndraft: true\n"))
    code, _, err = build(runner, "--cv", "-o", "dist/cv.pdf")
    assert code == 0, err
    reported = [line for line in err.splitlines() if "RS008" in line]
    assert reported == [
        "cv.yaml:12:1: RS008 'education.0.thesis.project': project 'msc-thesis' is a draft "
        "(draft: true in projects/msc-thesis/README.md): left out of the CV and the resume "
        "until it is published",
        "cv.yaml:18:1: RS008 'awards.0.project': project 'msc-thesis' is a draft (draft: true "
        "in projects/msc-thesis/README.md): left out of the CV and the resume until it is "
        "published",
    ], err
    links = pdf_links((thesis_repo / "dist" / "cv.pdf").read_bytes())
    assert not any("msc-thesis" in u for u in links), links
    data = PdfReader(io.BytesIO((thesis_repo / "dist" / "cv.pdf").read_bytes()))
    text = "".join(p.extract_text() for p in data.pages)
    assert "Best thesis award" in text  # the award stays; only the draft's link goes
    assert "Prediction sets that keep" not in text  # the draft is no project of the CV
    code, out, _ = run_cli(runner, "resume", "lint")
    assert "cv.yaml:12:1: RS008 'education.0.thesis.project'" in out


def test_folio_check_reports_a_missing_file_or_project_of_cv_yaml(
    thesis_repo: Path, runner: CliRunner
) -> None:
    """The pre-commit hook runs folio check, not lint: what cv.yaml names must exist there too
    (without loading the CV's schema: folio check stays light)."""
    code, out, _ = run_cli(runner, "check")
    assert "RS00" not in out, out
    text = CV.replace("certificates/aws-ml.pdf", "certificates/gone.pdf")
    text = text.replace("2023-09\n    project: msc-thesis", "2023-09\n    project: phd-thesis")
    (thesis_repo / "cv.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli(runner, "check")
    assert code == 1
    found = [line for line in out.splitlines() if line.startswith("cv.yaml:")]
    assert found == [
        "cv.yaml:18:1: RS007 'awards.0.project': no project 'phd-thesis' in projects/ (or its "
        "front matter is invalid)",
        "cv.yaml:23:1: RS009 'certifications.0.file': file 'certificates/gone.pdf' does not "
        "exist (a path relative to cv.yaml's folder)",
    ], out
    code, out, _ = run_cli(runner, "check", "--list-codes")
    assert "RS009" in out and "RS007" in out
