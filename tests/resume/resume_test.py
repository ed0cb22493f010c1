"""folio resume: the example cv.yaml, real Typst PDFs read back with pypdf, lint and schema."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import commit, pdf_links, run_cli, write_project
from pypdf import PdfReader
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.resume import render, select
from repofolio.resume.model import cv_schema, load_cv, parse_cv

ROOT = Path(__file__).resolve().parents[2]
JOBS = Path(__file__).resolve().parents[1] / "data" / "jobs"
EXAMPLE_CV = ROOT / "cv.yaml"

# slug: (title, tags, skills, results, highlight)
PROJECTS: dict[str, tuple[str, list[str], list[str], list[str], object]] = {
    "conformal-prediction": (
        "Conformal prediction for reliable classification",
        ["uncertainty", "conformal-prediction", "classification", "research"],
        ["Python", "NumPy", "scikit-learn", "statistics"],
        [
            "Conformal sets cover 0.898 at a 0.90 target where naive sets cover 0.850",
            "All 12 settings cover between 0.898 and 0.928 over 100 splits",
        ],
        1,
    ),
    "rag-docs-search": (
        "Question answering over 3,000 policy documents",
        ["retrieval", "rag", "llm", "nlp"],
        ["Python", "sentence-transformers", "FAISS", "FastAPI", "Docker"],
        [
            "Recall@5 0.86 vs 0.61 for BM25 on 400 labelled questions",
            "Answers in 1.4 s p95 on one CPU container",
        ],
        False,
    ),
    "ticket-router": (
        "Support ticket router",
        ["nlp", "text-classification", "transformers"],
        ["Python", "PyTorch", "Hugging Face Transformers"],
        [
            "Macro-F1 0.89 over 14 queues, +0.11 over TF-IDF with logistic regression",
            "Routes 92% of tickets with no human triage at 95% precision",
        ],
        False,
    ),
    "grid-load-forecast": (
        "Hourly grid load forecasting",
        ["time-series", "forecasting", "energy"],
        ["Python", "LightGBM", "pandas", "statsmodels", "Airflow"],
        [
            "MAPE 4.8% on 2024 vs 7.1% for seasonal naive across 14 regions",
            "80% prediction intervals cover 81% of hours",
        ],
        False,
    ),
    "retail-demand-forecast": (
        "Store demand forecasting",
        ["forecasting", "time-series", "tabular"],
        ["Python", "LightGBM", "Polars", "SQL", "MLflow"],
        [
            "WRMSSE 0.58 on the M5 holdout, top 7% equivalent",
            "Trains 30,490 series in 6 minutes on 8 cores",
        ],
        False,
    ),
    "digit-recognizer": (
        "Digit recognizer",
        ["kaggle", "computer-vision", "classification"],
        ["scikit-learn", "SVM", "data augmentation"],
        [
            "Accuracy 0.9963 on a hidden 540-image test set",
            "0.989 on shifted images with augmentation vs 0.563 without",
        ],
        2,
    ),
}
NLP_PICKS = {"conformal-prediction", "rag-docs-search", "ticket-router"}
FORECAST_PICKS = {"conformal-prediction", "grid-load-forecast", "retail-demand-forecast"}


def project_readme(slug: str, *, links: bool = True) -> str:
    title, tags, skills, results, highlight = PROJECTS[slug]
    front = {
        "title": title,
        "summary": f"{title}: an end-to-end project with measured results.",
        "period": {"start": "2024-01", "end": "2024-06"},
        "tags": tags,
        "skills": skills,
        "highlight": highlight,
        "results": results,
    }
    if links:
        front["links"] = {"repo": f"https://github.com/maya-lindqvist/{slug}"}
    body = "\n".join(f"## {s}\n\nText.\n" for s in ("Problem", "Approach", "Results", "How to run"))
    return f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n# {title}\n\n{body}"


@pytest.fixture
def folio(repo: Path) -> Path:
    """A portfolio with the example cv.yaml and six projects."""
    shutil.copy(EXAMPLE_CV, repo / "cv.yaml")
    for slug in PROJECTS:
        write_project(repo, slug, project_readme(slug))
    commit(repo)
    return repo


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def build(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    return run_cli(runner, "resume", "build", *args)


# ------------------------------------------------------------------ the example cv.yaml


def test_example_cv_validates() -> None:
    loaded = parse_cv(EXAMPLE_CV.read_text(encoding="utf-8"))
    assert loaded.diagnostics == []
    assert loaded.cv is not None
    assert loaded.cv.name == "Maya Lindqvist"
    assert loaded.cv.education[0].thesis is not None
    assert loaded.cv.education[0].thesis.project == "conformal-prediction"
    assert loaded.cv.summary is None and loaded.cv.objective is None


def test_example_cv_lints_clean(folio: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "resume", "lint")
    assert (code, out) == (0, "")
    assert "all good" in err


def test_cv_pdf_has_everything_with_embedded_fonts(folio: Path, runner: CliRunner) -> None:
    code, _, err = build(runner, "--cv")
    assert code == 0, err
    data = (folio / "dist" / "cv.pdf").read_bytes()
    pages, text = pdf_text(data)
    text = squash(text)
    for slug, (title, *_rest) in PROJECTS.items():
        assert title in text, slug
    for must in (
        "Maya Lindqvist",
        "Fjällkraft Energi",
        "Vårdlänk",
        "KTH Royal Institute",
        "Certifications".upper(),
        "Swedish (native)",
        "Mentored 2 junior analysts",
    ):
        assert must in text
    reader = PdfReader(io.BytesIO(data))
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font


def test_the_example_portfolios_cv_and_resume_link_each_project_page_with_its_role() -> None:
    """This repository's own portfolio (Maya's): every project of the CV page links its
    page, every role is labelled apart from its title; the one-page resume with its roles
    still fits, and links each project's page absolutely."""
    cfg = load_config(ROOT)
    portfolio = load_portfolio(cfg)
    loaded = load_cv(cfg)
    assert loaded.cv is not None and cfg.site_url
    projects = render.cv_projects(loaded.cv, portfolio)
    assert len([p for p in projects if p.meta and p.meta.role]) >= 3
    page = render.render_cv_markdown(loaded.cv, portfolio, cfg)
    for project in projects:
        assert project.meta is not None
        title = render.markdown_text(project.meta.title)
        assert f"### [{title}](projects/{project.slug}/index.md)\n" in page, project.slug
        if project.meta.role:
            assert f"**Role:** {render.markdown_text(project.meta.role)}" in page
            assert f"{title}, {project.meta.role}" not in page
    pdf = render.build_pdf(loaded.cv, portfolio, cfg, kind="resume", loaded=loaded)
    assert pdf.pages == 1
    links = pdf_links(pdf.data)
    for slug in pdf.doc.chosen:
        assert f"{cfg.site_url.rstrip('/')}/projects/{slug}/" in links, slug
    assert "Role: Solo (MSc thesis, supervised)" in squash(pdf_text(pdf.data)[1])


# ------------------------------------------------------------------ tailored resumes


@pytest.mark.parametrize(
    ("posting", "picked"),
    [("search-nlp.txt", NLP_PICKS), ("forecasting.txt", FORECAST_PICKS)],
)
def test_resume_for_posting_is_one_page_with_the_matching_projects(
    folio: Path, runner: CliRunner, posting: str, picked: set[str]
) -> None:
    out = folio / f"{posting}.pdf"
    code, _, err = build(
        runner, "--job", str(JOBS / posting), "--max-projects", "3", "-o", str(out)
    )
    assert code == 0, err
    pages, text = pdf_text(out.read_bytes())
    assert pages == 1
    text = squash(text)
    for slug, (title, *_rest) in PROJECTS.items():
        assert (title in text) == (slug in picked), (slug, posting)
    assert "Maya Lindqvist" in text
    assert "github.com/maya-lindqvist" in text  # links are printed, not only clickable
    # skills after education, no objective or summary
    assert text.index("EDUCATION") < text.index("SKILLS") < text.index("EXPERIENCE")
    assert "OBJECTIVE" not in text and "SUMMARY" not in text


def test_two_postings_pick_different_projects(folio: Path) -> None:
    cfg = load_config(folio)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    portfolio = load_portfolio(cfg)
    chosen = {}
    for name in ("search-nlp.txt", "forecasting.txt"):
        posting = (JOBS / name).read_text(encoding="utf-8")
        doc = render.compose(
            loaded.cv, portfolio, cfg, posting=posting, max_projects=3, loaded=loaded
        )
        chosen[name] = doc.chosen
    assert set(chosen["search-nlp.txt"]) == NLP_PICKS
    assert set(chosen["forecasting.txt"]) == FORECAST_PICKS
    assert chosen["search-nlp.txt"][0] == chosen["forecasting.txt"][0] == "conformal-prediction"
    # without a posting: pinned, then highlight order, then newest
    doc = render.compose(loaded.cv, portfolio, cfg, max_projects=3, loaded=loaded)
    assert doc.chosen[:2] == ["conformal-prediction", "digit-recognizer"]


def test_skills_and_bullets_follow_the_posting(folio: Path) -> None:
    cfg = load_config(folio)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    portfolio = load_portfolio(cfg)
    forecast = render.compose(
        loaded.cv, portfolio, cfg, posting=(JOBS / "forecasting.txt").read_text(), loaded=loaded
    )
    nlp = render.compose(
        loaded.cv, portfolio, cfg, posting=(JOBS / "search-nlp.txt").read_text(), loaded=loaded
    )

    def skills(doc: render.Document) -> dict[str, list[str]]:
        section = next(s for s in doc.sections if s.key == "skills")
        return {label: text.split(", ") for label, text in section.lines}

    ml_forecast = skills(forecast)["Machine learning"]
    ml_nlp = skills(nlp)["Machine learning"]
    assert ml_forecast.index("LightGBM") < ml_forecast.index("PyTorch")
    assert ml_nlp.index("PyTorch") < ml_nlp.index("LightGBM")
    assert ml_nlp[:2] == ["PyTorch", "Hugging Face Transformers"]
    role = next(s for s in forecast.sections if s.key == "experience").entries[0]
    assert len(role.bullets) == cfg.resume.experience_bullets
    assert any("Airflow" in b.text for b in role.bullets)
    assert all(b.where.startswith("cv.yaml:") for b in role.bullets)


def test_explain_prints_the_score_term_by_term(folio: Path, runner: CliRunner) -> None:
    code, out, err = build(
        runner,
        "--job",
        str(JOBS / "forecasting.txt"),
        "--max-projects",
        "3",
        "--explain",
        "--format",
        "md",
        "-o",
        "resume.md",
    )
    assert code == 0, err
    assert "3 a skill, 2 a tag, 0.5 a word" in out
    rows = {slug: line for line in out.splitlines() for slug in PROJECTS if f" {slug} " in line}
    assert len(rows) == len(PROJECTS)
    assert rows["conformal-prediction"].startswith("* pinned")
    grid = rows["grid-load-forecast"]
    assert grid.startswith("*")
    assert "LightGBM" in grid and "statsmodels" in grid and "time-series" in grid
    # the score is the sum of what the line shows: 5 skills x 3 + 2 tags x 2 + words x 0.5
    score = select.score_project(
        load_portfolio(load_config(folio)).project("grid-load-forecast"),  # type: ignore[arg-type]
        select.normalize((JOBS / "forecasting.txt").read_text()),
    )
    assert f" {score.total:g} " in grid
    assert score.total == 3 * len(score.skills) + 2 * len(score.tags) + 0.5 * len(score.words)
    assert not rows["ticket-router"].startswith("*")
    assert "[Download the resume (PDF)](resume.pdf)" in (folio / "resume.md").read_text()


def test_rebuild_is_deterministic_and_check_reports_changes(folio: Path, runner: CliRunner) -> None:
    assert build(runner)[0] == 0
    pdf = folio / "dist" / "resume.pdf"
    first = pdf.read_bytes()
    code, _, err = build(runner)
    assert code == 0 and "up to date" in err
    assert pdf.read_bytes() == first
    assert build(runner, "--check")[0] == 0
    code, _, err = build(runner, "--check", "--job", str(JOBS / "search-nlp.txt"))
    assert code == 1 and "would write dist/resume-search-nlp.pdf" in err
    assert not (folio / "dist" / "resume-search-nlp.pdf").exists()


def test_resume_over_one_page_fails_naming_what_to_cut(folio: Path, runner: CliRunner) -> None:
    cv = yaml.safe_load((folio / "cv.yaml").read_text(encoding="utf-8"))
    cv["experience"][0]["highlights"] = [
        f"Delivered analysis number {i} for a team of {i + 3} people across 4 regions and "
        "3 product lines, with a written report, a notebook and a 20-minute talk to leaders"
        for i in range(10)
    ]
    (folio / "cv.yaml").write_text(
        yaml.safe_dump(cv, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with (folio / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("[tool.folio.resume]\nexperience-bullets = 10\nproject-bullets = 3\n")
    code, _, err = build(runner, "--max-projects", "6")
    assert code == 1
    assert not (folio / "dist" / "resume.pdf").exists()
    assert "the resume is 2 pages; it must fit on one" in err
    assert "on page 2: section 'Certifications'" in err
    assert "--max-projects" in err and "fits on one page" in err
    assert "cv.yaml:" in err and "chars)" in err
    assert "cut bullets of role 'Data Scientist, Fjällkraft Energi' (10 bullets)" in err
    assert "Traceback" not in err
    # the CV has no page limit
    assert build(runner, "--cv")[0] == 0


def test_two_columns_and_html(folio: Path, runner: CliRunner) -> None:
    with (folio / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("[tool.folio.resume]\ncolumns = 2\nmax-projects = 3\n")
    code, _, err = build(runner, "-o", "two.pdf")
    assert code == 0, err
    pages, text = pdf_text((folio / "two.pdf").read_bytes())
    assert pages == 1 and "Conformal prediction" in squash(text)
    code, _, err = build(runner, "--format", "html", "-o", "resume.html")
    assert code == 0, err
    html = (folio / "resume.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/maya-lindqvist/conformal-prediction">' in html
    assert html.count('class="entry"') == 2 + 2 + 3 + 1 + 2  # edu, roles, projects, award, certs


def test_owner_text_is_never_run_as_typst_or_html(folio: Path, runner: CliRunner) -> None:
    cv = yaml.safe_load((folio / "cv.yaml").read_text(encoding="utf-8"))
    cv["experience"][0]["highlights"][0] = (
        'Cut costs 30% #panic("x") with $x$ and <b>bold</b> \\ "quoted" *stars*'
    )
    (folio / "cv.yaml").write_text(
        yaml.safe_dump(cv, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    code, _, err = build(runner)
    assert code == 0, err
    _, text = pdf_text((folio / "dist" / "resume.pdf").read_bytes())
    assert '#panic("x") with $x$ and <b>bold</b> \\ "quoted" *stars*' in squash(text)
    assert build(runner, "--format", "html", "-o", "r.html")[0] == 0
    assert "&lt;b&gt;bold&lt;/b&gt;" in (folio / "r.html").read_text(encoding="utf-8")
    code, out, _ = build(runner, "--format", "md", "-o", "-")
    assert code == 0 and "\\<b\\>bold\\</b\\>" in out and "\\*stars\\*" in out


def test_site_markdown_has_the_pdf_download_link(folio: Path) -> None:
    cfg = load_config(folio)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    page = render.render_cv_markdown(loaded.cv, load_portfolio(cfg), cfg, pdf_href="cv.pdf")
    assert page.startswith("# Maya Lindqvist – CV\n")
    assert "[Download the CV (PDF)](cv.pdf)" in page
    for title, *_rest in PROJECTS.values():
        assert title in page
    assert "## Experience" in page and "- Mentored 2 junior analysts" in page
    pdf = render.build_pdf(loaded.cv, load_portfolio(cfg), cfg, kind="cv", loaded=loaded)
    assert pdf.pages >= 1 and pdf.data.startswith(b"%PDF")


# ------------------------------------------------------------------ lint


BAD_CV = """\
name: Test Owner
summary: Passionate engineer looking for opportunities
experience:
  - position: Engineer
    company: Acme
    period: {start: 2020-01, end: 2022-01}
    highlights:
      - Responsible for the data platform used by 40 analysts
      - Built dashboards for the sales team
      - Built a model that cut returns 12% in 6 months
      - LONG
projects:
  pin: [no-such-project]
"""


def test_lint_flags_each_problem_at_its_line(repo: Path, runner: CliRunner) -> None:
    long = "Shipped " + "a very long bullet with 1 number " * 6
    (repo / "cv.yaml").write_text(BAD_CV.replace("LONG", long.strip()), encoding="utf-8")
    write_project(
        repo,
        "nolinks",
        project_readme("ticket-router", links=False).replace(
            "Routes 92% of tickets with no human triage at 95% precision",
            "Worked on routing the tickets",
        ),
    )
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1
    lines = out.splitlines()
    expect = [
        "cv.yaml:2:1: RS006 remove the 'summary' section",
        "cv.yaml:8:1: RS003 'experience.0.highlights.0' opens with 'Responsible for'",
        "cv.yaml:9:1: RS001 'experience.0.highlights.1' has no number",
        "cv.yaml:10:1: RS004 'experience.0.highlights.2' opens with 'built' like line 9",
        "cv.yaml:11:1: RS002 'experience.0.highlights.3' is ",
        "cv.yaml:13:1: RS007 'projects.pin.0': no project 'no-such-project'",
        "projects/nolinks/README.md:1:1: RS005 project 'nolinks' has no link",
        "projects/nolinks/README.md:18:1: RS001 'results.1' has no number",
        "projects/nolinks/README.md:18:1: RS003 'results.1' opens with 'Worked on'",
    ]
    for prefix in expect:
        assert any(line.startswith(prefix) for line in lines), (prefix, out)
    assert len(lines) == len(expect)
    code, out, _ = run_cli(runner, "resume", "lint", "--format", "json")
    data = json.loads(out)
    assert code == 1 and {d["code"] for d in data} == {f"RS00{i}" for i in range(1, 8)}
    code, out, _ = run_cli(runner, "resume", "lint", "--format", "github")
    assert "::error file=cv.yaml,line=2,col=1,title=RS006::" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: A\nnickname: B\n", "cv.yaml:2:1: CV011 unknown key 'nickname'"),
        (
            "name: A\neducation:\n  - institution: X\n    degree: MSc\n"
            "    period: {start: 2020-13}\n",
            "cv.yaml:5:1: CV012 'education.0.period.start'",
        ),
        ("name: A\nname: B\n", "cv.yaml:2:1: CV003 duplicate key 'name' (first defined on line 1)"),
        ("name: [A\n", "cv.yaml:1:7: CV002 invalid YAML: the '[' here is never closed"),
        ("email: a@b.org\n", "cv.yaml:1:1: CV010 missing required key 'name'"),
        ("- just\n- a list\n", "cv.yaml:1:1: CV002 cv.yaml is a list"),
    ],
)
def test_invalid_cv_is_one_line_at_its_line(
    repo: Path, runner: CliRunner, text: str, expected: str
) -> None:
    (repo / "cv.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1 and out.startswith(expected), out
    code, out, err = build(runner)
    assert code == 2 and out == ""
    assert err.startswith(f"folio: error: {expected}") and "Traceback" not in err


def test_missing_cv_and_bad_arguments_are_usage_errors(repo: Path, runner: CliRunner) -> None:
    code, _, err = build(runner)
    assert code == 2 and "folio: error: cv.yaml: file not found" in err
    code, _, err = run_cli(runner, "resume", "lint")
    assert code == 2 and "cv.yaml: file not found" in err
    shutil.copy(EXAMPLE_CV, repo / "cv.yaml")
    empty = repo / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, _, err = build(runner, "--job", str(empty))
    assert code == 2 and "the job posting is empty" in err
    code, _, err = build(runner, "--cv", "--job", str(JOBS / "forecasting.txt"))
    assert code == 2 and "--job tailors the one-page resume" in err


# ------------------------------------------------------------------ schema and matching


def test_schema_cv_is_the_models_json_schema(repo: Path, runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "schema", "cv")
    assert code == 0
    data = json.loads(out)
    assert data == cv_schema()
    assert data["title"] == "repofolio CV" and "name" in data["required"]
    assert data["additionalProperties"] is False
    code, _, _ = run_cli(runner, "schema", "cv", "-o", "schemas/cv.schema.json")
    assert code == 0
    assert json.loads((repo / "schemas" / "cv.schema.json").read_text()) == data


@pytest.mark.parametrize(
    ("posting", "term", "found"),
    [
        ("We use sklearn daily", "scikit-learn", True),
        ("Experience with scikit-learn.", "scikit-learn", True),
        ("C++ and CUDA", "C++", True),
        ("C and Go", "C++", False),
        ("large language models in production", "LLM", True),
        ("time-series forecasting", "forecasting", True),
        ("Rust services", "Python", False),
        ("sparkling water", "Spark", False),
        ("Hugging Face Transformers", "Hugging Face Transformers", True),
    ],
)
def test_mentions_whole_words_and_synonyms(posting: str, term: str, found: bool) -> None:
    assert select.mentions(select.normalize(posting), term) is found


def test_config_defaults_are_the_documented_ones() -> None:
    cfg = load_config(ROOT)
    assert cfg.resume.source == "cv.yaml"
    assert 3 <= cfg.resume.max_projects <= 5
    assert cfg.resume.sections.index("education") + 1 == cfg.resume.sections.index("skills")
    assert dataclasses.replace(cfg.resume, columns=2).columns == 2


def test_committed_cv_schema_is_current() -> None:
    # cv.yaml's yaml-language-server comment points editors at this file
    assert "$schema=schemas/cv.schema.json" in EXAMPLE_CV.read_text(encoding="utf-8")
    committed = json.loads((ROOT / "schemas" / "cv.schema.json").read_text(encoding="utf-8"))
    assert committed == cv_schema(), "run: folio schema cv -o schemas/cv.schema.json"


def test_owner_templates_override_and_bad_sections(folio: Path, runner: CliRunner) -> None:
    folder = folio / "my-templates"
    folder.mkdir()
    (folder / "resume.md.j2").write_text(
        "{{ doc.name }} has {{ doc.chosen | length }} projects\n", encoding="utf-8"
    )
    with (folio / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write('[tool.folio.resume]\ntemplates = "my-templates"\nmax-projects = 3\n')
    code, out, _ = build(runner, "--format", "md", "-o", "-")
    assert (code, out) == (0, "Maya Lindqvist has 3 projects\n")
    code, out, _ = build(runner, "--format", "typ", "-o", "-")  # built-in Typst template
    assert code == 0 and out.startswith("#set document(") and "<folio-item>" in out
    (folder / "resume.typ.j2").write_text("#set page(\n{{ doc.nope }}", encoding="utf-8")
    code, _, err = build(runner)
    assert code == 2 and "resume.typ.j2" in err and "Traceback" not in err
    (folder / "resume.typ.j2").write_text("#set page(\n", encoding="utf-8")
    code, _, err = build(runner)
    assert code == 2 and "typst: unclosed delimiter" in err
    text = (folio / "pyproject.toml").read_text(encoding="utf-8")
    (folio / "pyproject.toml").write_text(text + 'sections = ["education", "hobbies"]\n')
    code, _, err = build(runner)
    assert code == 2 and "sections: unknown 'hobbies'" in err


def test_invalid_project_is_skipped_with_a_warning(folio: Path, runner: CliRunner) -> None:
    write_project(folio, "broken", "---\ntitle: Broken\n---\n\n# Broken\n")
    code, _, err = build(runner, "--cv", "--format", "md", "-o", "cv.md")
    assert code == 0
    assert "Skipped 1 project(s) whose front matter is invalid (broken)" in err
    assert "Broken" not in (folio / "cv.md").read_text(encoding="utf-8")


def test_a_draft_is_never_in_a_resume_or_the_cv(folio: Path, runner: CliRunner) -> None:
    readme = folio / "projects" / "digit-recognizer" / "README.md"
    readme.write_text(readme.read_text().replace("---\n\n", "draft: true\n---\n\n", 1))
    cv = yaml.safe_load((folio / "cv.yaml").read_text(encoding="utf-8"))
    cv.setdefault("projects", {})["pin"] = ["digit-recognizer"]
    (folio / "cv.yaml").write_text(yaml.safe_dump(cv, sort_keys=False), encoding="utf-8")
    cfg = load_config(folio)
    portfolio = load_portfolio(cfg)
    loaded = load_cv(cfg)
    assert loaded.cv is not None
    doc = render.compose(loaded.cv, portfolio, cfg, kind="cv")
    assert "digit-recognizer" not in doc.chosen and "conformal-prediction" in doc.chosen
    code, _, err = build(runner, "--format", "md", "-o", "resume.md")
    assert code == 0, err
    assert "RS008 'projects.pin.0': project 'digit-recognizer' is a draft" in err
    text = (folio / "resume.md").read_text(encoding="utf-8")
    assert "Digit recognizer" not in text and "Conformal prediction" in text
    code, _, _ = build(runner, "--cv", "--format", "md", "-o", "cv.md")
    assert code == 0 and "Digit recognizer" not in (folio / "cv.md").read_text(encoding="utf-8")


def test_without_cv_yaml_the_error_points_at_folio_init(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """What the message names exists in a new user's repository: folio init adds the file."""
    (new_user_repo / "cv.yaml").unlink()
    code, out, err = run_cli(runner, "resume", "build", "--format", "md", "-o", "-")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "folio: error: cv.yaml: file not found; 'folio init' writes a starter cv.yaml (it "
        "skips every file that exists), and 'folio schema cv' lists every key"
    ]
    code, _, err = run_cli(runner, "init")
    assert code == 0 and "Created cv.yaml" in err and "Skipped mkdocs.yml" in err
    code, out, err = run_cli(runner, "resume", "build", "--cv", "--format", "md", "-o", "-")
    assert code == 0, err
    assert "Jane Doe" in out
    assert "cv.yaml: a draft (draft: true)" in err  # said before anything is sent out


NEW_USER_CV = """\
name: Jane Doe
headline: Data scientist moving into ML engineering
experience:
  - position: Data Scientist
    company: A retailer
    period: {start: 2021-08, end: present}
    highlights:
      - Cut weekly forecast error by 18% over 2,000 products
"""


def test_a_project_without_links_links_its_page_and_is_no_lint_finding(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """RS005 says a project on the CV "has no link"; with a site-url (folio init's, from the
    origin) its title links its page on the site, in the PDF too: no finding. Without one
    the title links nothing, and RS005 says so, with both ways to give it a link."""
    root = new_user_repo
    shutil.rmtree(root / "projects" / "example-project")
    (root / "cv.yaml").write_text(NEW_USER_CV, encoding="utf-8")
    write_project(root, "ticket-router", project_readme("ticket-router", links=False))
    commit(root, "a project, no repository to show")
    code, out, err = run_cli(runner, "resume", "lint", "--format", "json")
    assert code == 0 and json.loads(out) == [], out + err
    code, _, err = run_cli(runner, "resume", "build", "-o", "resume.pdf")
    assert code == 0, err
    page = "https://jane-doe.github.io/portfolio/projects/ticket-router/"
    assert page in pdf_links((root / "resume.pdf").read_bytes())

    toml = root / "folio.toml"
    lines = toml.read_text(encoding="utf-8").splitlines(keepends=True)
    toml.write_text("".join(x for x in lines if not x.startswith("site-url")), encoding="utf-8")
    code, out, _ = run_cli(runner, "resume", "lint")
    assert code == 1
    assert out == (
        "projects/ticket-router/README.md:1:1: RS005 project 'ticket-router' has no link: "
        "add links.repo (or a demo) to projects/ticket-router/README.md, or a site-url to "
        "folio.toml so that its title links its page\n"
    )
