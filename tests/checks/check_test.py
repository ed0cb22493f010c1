"""`folio check`: every rule with a failing and a passing case, on real files in tmp_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD_BODY, good_readme, run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def codes(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run_cli(runner, "check", "--format", "json", *args)
    return code, json.loads(out)


def body_with(section: str, new_text: str) -> str:
    """The good body with the text under '## section' replaced."""
    lines = GOOD_BODY.format(title="Churn model").split("\n## ")
    return "\n## ".join(
        part if not part.startswith(section) else f"{section}\n\n{new_text}\n" for part in lines
    )


# (id, readme text, extra files, expected code or None for "passes")
CASES: list[tuple[str, str | bytes, dict[str, str | bytes], str | None]] = [
    ("good", good_readme(), {}, None),
    ("no-front-matter", GOOD_BODY.format(title="X"), {}, "FM001"),
    ("unterminated", "---\ntitle: x\nsummary: y\n", {}, "FM002"),
    ("yaml-syntax", "---\ntitle: [unclosed\n---\n# x\n", {}, "FM003"),
    ("tabs", "---\ntitle: a\nlinks:\n\trepo: x\n---\n# x\n", {}, "FM003"),
    ("list", "---\n- a\n- b\n---\n# x\n", {}, "FM004"),
    ("scalar", "---\njust text\n---\n# x\n", {}, "FM004"),
    ("duplicate-key", good_readme(front_extra="title: Again\n"), {}, "FM005"),
    (
        "alias-bomb",
        "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdef", "bcdefg", strict=True)
        )
        + "---\n# x\n",
        {},
        "FM006",
    ),
    ("deep-nesting", "---\ntitle: " + "[" * 20000 + "]" * 20000 + "\n---\n# x\n", {}, "FM006"),
    ("impossible-date", good_readme().replace("date: 2024-05-01", "date: 2023-02-30"), {}, "FM007"),
    ("huge-int", good_readme(front_extra="timeout: " + "9" * 5000 + "\n"), {}, "FM007"),
    ("missing-title", good_readme().replace("title: Churn model\n", ""), {}, "FM010"),
    ("no-date", good_readme().replace("date: 2024-05-01\n", ""), {}, "FM010"),
    ("unknown-key", good_readme(front_extra="summery: typo\n"), {}, "FM011"),
    ("yaml11-no", good_readme().replace("title: Churn model", "title: no"), {}, "FM012"),
    ("bad-status", good_readme(front_extra="status: dreaming\n"), {}, "FM012"),
    (
        "long-summary",
        good_readme().replace(
            "summary: Predicts", "summary: " + "Very long words " * 20 + "predicts"
        ),
        {},
        "FM014",
    ),
    (
        "bad-url",
        good_readme().replace("https://github.com/example/churn", "htp:/nope"),
        {},
        "LK003",
    ),
    (
        "missing-section",
        good_readme(body=body_with("Approach", "x").replace("## Approach\n\nx\n", "")),
        {},
        "SC001",
    ),
    ("no-sections", good_readme(body="Just prose.\n"), {}, "SC001"),
    (
        "out-of-order",
        good_readme(
            body="# T\n\n## Approach\n\na\n\n## Problem\n\np\n\n"
            "## Results\n\n1\n\n## How to run\n\nr\n"
        ),
        {},
        "SC002",
    ),
    (
        "unquantified",
        good_readme(body=body_with("Results", "It worked well.")).replace(
            "results:\n  - ROC AUC 0.91 against 0.84 for the rules baseline\n", ""
        ),
        {},
        "SC003",
    ),
    ("todo", good_readme(body=body_with("Approach", "TODO: explain the model.")), {}, "SC004"),
    ("lorem", good_readme(body=body_with("Problem", "Lorem ipsum dolor sit amet.")), {}, "SC004"),
    (
        "fill-in-front",
        good_readme().replace("summary: Predicts", "summary: FILL IN predicts"),
        {},
        "SC004",
    ),
    ("empty-section", good_readme(body=body_with("Approach", "")), {}, "SC005"),
    (
        "broken-link",
        good_readme(body=body_with("Approach", "See [the notes](notes.md).")),
        {},
        "LK001",
    ),
    (
        "outside-link",
        good_readme(body=body_with("Approach", "See [x](../../../etc/passwd).")),
        {},
        "LK002",
    ),
    (
        "no-alt",
        good_readme(body=body_with("Results", "AUC 0.91\n\n![](plot.png)")),
        {"plot.png": PNG_1PX},
        "IM001",
    ),
    (
        "html-no-alt",
        good_readme(body=body_with("Results", 'AUC 0.91\n\n<img src="plot.png">')),
        {"plot.png": PNG_1PX},
        "IM001",
    ),
    (
        "missing-image",
        good_readme(body=body_with("Results", "AUC 0.91\n\n![plot](gone.png)")),
        {},
        "IM003",
    ),
    (
        "big-image",
        good_readme(body=body_with("Results", "AUC 0.91\n\n![plot](big.png)")),
        {"big.png": PNG_1PX + b"\0" * (1100 * 1024)},
        "IM002",
    ),
    ("missing-cover", good_readme(front_extra="cover: cover.png\n"), {}, "IM003"),
    (
        "good-links",
        good_readme(
            front_extra="cover: cover.png\n",
            body=body_with(
                "Approach", "See [notes](notes.md#top), [home](/README.md) and ![plot](cover.png)."
            ),
        ),
        {"cover.png": PNG_1PX, "notes.md": "# Notes\n"},
        None,
    ),
    (
        "todo-in-code-ok",
        good_readme(
            body=body_with("How to run", "```python\n# TODO is fine inside code\nrun()\n```")
        ),
        {},
        None,
    ),
    ("empty-readme", "", {}, "FM001"),
    ("binary-readme", b"\x00\x01\x02\x03", {}, "PR003"),
    (
        "cp1252-readme",
        good_readme().replace("Churn model", "Caf\u00e9 model").encode("cp1252"),
        {},
        "PR003",
    ),
    ("bom-readme", b"\xef\xbb\xbf" + good_readme().encode(), {}, "PR005"),
    ("crlf-readme", good_readme().replace("\n", "\r\n"), {}, None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(repo: Path, runner: CliRunner, case: tuple) -> None:
    _, readme, files, expected = case
    (repo / "README.md").write_text("# Portfolio\n", encoding="utf-8")
    write_project(repo, "churn-model", readme, files)
    exit_code, found = codes(runner)
    got = {d["code"] for d in found}
    if expected is None:
        assert found == [] and exit_code == 0
    else:
        assert expected in got, found
        severity = next(d["severity"] for d in found if d["code"] == expected)
        assert exit_code == (1 if severity == "error" or len(got) > 1 else 0)
        assert all(d["path"].startswith("projects/churn-model") for d in found)


def test_findings_carry_the_line_of_the_key(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "churn-model", good_readme(front_extra="status: dreaming\n"))
    _, found = codes(runner)
    (status,) = [d for d in found if d["code"] == "FM012"]
    text = (repo / "projects/churn-model/README.md").read_text().splitlines()
    assert text[status["line"] - 1] == "status: dreaming"


def test_unknown_key_names_the_closest_field(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "churn-model", good_readme(front_extra="sumary: typo\nzzz: 1\n"))
    _, found = codes(runner)
    messages = sorted(d["message"] for d in found if d["code"] == "FM011")
    assert messages == ["unknown key 'sumary' (did you mean 'summary'?)", "unknown key 'zzz'"]


@pytest.mark.parametrize(
    ("heading", "hint"),
    [("## Aproach", True), ("### approach  ", False), ("## Appendix", False)],
    ids=["typo", "other-level-same-words", "unrelated"],
)
def test_a_missing_section_points_at_its_misspelling(
    repo: Path, runner: CliRunner, heading: str, hint: bool
) -> None:
    readme = good_readme().replace("## Approach", heading, 1)
    write_project(repo, "churn-model", readme)
    _, found = codes(runner)
    missing = [d for d in found if d["code"] == "SC001"]
    if heading.startswith("###"):  # any level counts: nothing is missing
        assert missing == []
        return
    (diag,) = missing
    line = readme.splitlines().index(heading) + 1
    if hint:
        assert (
            diag["message"] == "missing required section '## Approach' "
            "(kind: code; '## Aproach' here: a typo?)"
        )
        assert diag["line"] == line
    else:
        assert diag["message"] == "missing required section '## Approach' (kind: code)"
        assert diag["line"] == len(readme.splitlines())  # the end of the file


def test_yaml_coercion_hint(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "churn-model", good_readme().replace("title: Churn model", "title: no"))
    _, out, _ = run_cli(runner, "check")
    assert "projects/churn-model/README.md:2:1: FM012 'title'" in out
    assert "quote it" in out


def test_slug_rule(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "Bad_Slug", good_readme("Bad slug"))
    write_project(repo, "good-slug", good_readme("Good slug"))
    _, found = codes(runner)
    assert [(d["path"], d["code"]) for d in found] == [("projects/Bad_Slug", "PR004")]


def test_duplicate_titles(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "one", good_readme("Same"))
    write_project(repo, "two", good_readme("same"))
    _, found = codes(runner)
    assert [(d["path"], d["code"]) for d in found] == [("projects/two/README.md", "FM015")]


def test_missing_readme_and_odd_files(repo: Path, runner: CliRunner) -> None:
    (repo / "projects" / "no-readme").mkdir()
    (repo / "projects" / "folder-readme" / "README.md").mkdir(parents=True)
    fifo = repo / "projects" / "fifo-readme"
    fifo.mkdir()
    os.mkfifo(fifo / "README.md")
    (repo / "projects" / "index.md").write_text("not a project\n")
    _, found = codes(runner)
    assert {(d["path"], d["code"]) for d in found} == {
        ("projects/no-readme/README.md", "PR001"),
        ("projects/folder-readme/README.md", "PR002"),
        ("projects/fifo-readme/README.md", "PR002"),
    }


def test_symlinks_out_of_the_repository_are_not_followed(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "README.md").write_text(good_readme("Outside"))
    (repo / "projects" / "escape").symlink_to(outside)
    (repo / "projects" / "loop-a").symlink_to(repo / "projects" / "loop-b")
    (repo / "projects" / "loop-b").symlink_to(repo / "projects" / "loop-a")
    inside = write_project(repo, "linked-readme", "x")
    (inside / "README.md").unlink()
    (inside / "README.md").symlink_to(outside / "README.md")
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_1PX)
    write_project(
        repo,
        "img-escape",
        good_readme("Img escape", body=body_with("Results", "AUC 0.9\n\n![plot](plot.png)")),
    )
    (repo / "projects" / "img-escape" / "plot.png").symlink_to(secret)
    _, found = codes(runner)
    got = {(d["path"], d["code"]) for d in found}
    assert got == {
        ("projects/escape", "PR006"),
        ("projects/loop-a", "PR006"),
        ("projects/loop-b", "PR006"),
        ("projects/linked-readme/README.md", "PR006"),
        ("projects/img-escape/README.md", "LK002"),
    }


def test_odd_folder_names_and_many_projects(repo: Path, runner: CliRunner) -> None:
    for name in ("with space", "ünïcode", "-leading-dash"):
        write_project(repo, name, good_readme(f"Odd {name}"))
    for i in range(2000):
        write_project(repo, f"p{i:04d}", good_readme(f"Project {i}"))
    exit_code, found = codes(runner)
    assert exit_code == 1
    assert sorted(d["path"] for d in found) == [
        "projects/-leading-dash",
        "projects/with space",
        "projects/ünïcode",
    ]
    assert {d["code"] for d in found} == {"PR004"}


def test_deeply_nested_folders(repo: Path, runner: CliRunner) -> None:
    folder = write_project(repo, "deep", good_readme("Deep", front_extra="run: python -V\n"))
    path = folder
    for _ in range(1200):  # one level at a time: os.makedirs recurses
        path = path / "d"
        path.mkdir()
    (path / "notebook.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    )
    try:
        exit_code, out, err = run_cli(runner, "check")
        assert exit_code == 0, out
        from repofolio.files import walk_files

        assert any(f.endswith("/notebook.ipynb") for f in walk_files(repo))
    finally:  # shutil.rmtree (pytest's clean-up) recurses too deep for this tree
        (path / "notebook.ipynb").unlink()
        while path != folder:
            path.rmdir()
            path = path.parent


def test_check_writes_nothing(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "bom", b"\xef\xbb\xbf" + good_readme().replace("\n", "\r\n").encode())
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    run_cli(runner, "check")
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert before == after


def test_formats(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "churn-model", good_readme(front_extra="status: dreaming\n"))
    code, out, err = run_cli(runner, "check")
    assert code == 1
    assert out.startswith("projects/churn-model/README.md:")
    assert "FM012" in out and "1 error" in err
    code, out, _ = run_cli(runner, "check", "--format", "github")
    assert out.startswith("::error file=projects/churn-model/README.md,line=")
    assert "title=FM012::" in out
    code, out, _ = run_cli(runner, "check", "--format", "json")
    data = json.loads(out)
    assert set(data[0]) == {"path", "line", "col", "code", "severity", "message"}


def test_select_and_ignore(repo: Path, runner: CliRunner) -> None:
    write_project(
        repo,
        "churn-model",
        good_readme(front_extra="status: dreaming\n", body=body_with("Approach", "TODO")),
    )
    _, found = codes(runner, "--select", "SC")
    assert {d["code"] for d in found} == {"SC004"}
    exit_code, found = codes(runner, "--ignore", "SC004,FM")
    assert found == [] and exit_code == 0


def test_paths_limit_the_check(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "good", good_readme("Good"))
    write_project(repo, "bad", good_readme("Bad", front_extra="status: dreaming\n"))
    exit_code, found = codes(runner, "projects/good")
    assert exit_code == 0 and found == []
    exit_code, found = codes(runner, "projects/bad/README.md")
    assert exit_code == 1 and {d["path"] for d in found} == {"projects/bad/README.md"}


def test_bad_config_is_one_line_exit_2(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text('[tool.folio]\nrequired-sectons = ["A"]\n')
    code, out, err = run_cli(runner, "check")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "unknown key 'required-sectons'" in err and "did you mean 'required-sections'" in err
    (repo / "pyproject.toml").write_text("[tool.folio]\nsummary-max-length = 'long'\n")
    code, _, err = run_cli(runner, "check")
    assert code == 2 and "summary-max-length" in err and "Traceback" not in err
    (repo / "pyproject.toml").write_text("[tool.folio\n")
    code, _, err = run_cli(runner, "check")
    assert code == 2 and "pyproject.toml: invalid TOML" in err


def test_config_changes_required_sections(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nrequired-sections = ["Problem", "Lessons"]\nsummary-max-length = 40\n'
    )
    write_project(repo, "churn-model", good_readme())
    _, found = codes(runner)
    assert {(d["code"], d["message"]) for d in found if d["code"] == "SC001"} == {
        ("SC001", "missing required section '## Lessons' (kind: code)")
    }
    assert "FM014" in {d["code"] for d in found}


def test_folio_toml_and_no_config(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "plain"
    write_project(root, "churn-model", good_readme())
    monkeypatch.chdir(root)
    code, _, err = run_cli(runner, "check")  # projects/ alone is not a portfolio
    assert code == 2 and "not a portfolio" in err and "folio init" in err
    (root / "folio.toml").write_text("")  # an empty folio.toml is: every key has a default
    code, _, err = run_cli(runner, "check")
    assert code == 0 and "Checked 1 project" in err
    (root / "folio.toml").write_text('projects-dir = "work"\n')
    (root / "work").mkdir()
    code, _, err = run_cli(runner, "check")
    assert code == 0 and "Checked 0 projects" in err


def test_list_codes(runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "check", "--list-codes")
    assert code == 0
    from repofolio.checks import CODES

    assert len(out.strip().splitlines()) == len(CODES)
    assert "FM005" in out


def test_a_url_urlsplit_cannot_read_is_a_diagnostic_not_a_traceback(
    repo: Path, runner: CliRunner
) -> None:
    body = body_with("Results", "AUC 0.91, see [the run](//[::1) and [logs](http://[::1/x).")
    readme = good_readme(body=body).replace(
        "repo: https://github.com/example/churn", 'repo: "http://[::1"'
    )
    write_project(repo, "churn-model", readme)
    code, out, err = run_cli(runner, "check", "--format", "json")
    assert "Traceback" not in err
    found = json.loads(out)
    assert code == 1
    assert [(d["code"], d["message"]) for d in found] == [
        ("LK003", "links.repo: 'http://[::1' is not a valid http(s) URL")
    ]


def _is_url_by_urlsplit(value: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


URL_PIECES = [
    "http",
    "HTTPS",
    "https",
    "ftp",
    "://",
    ":",
    "/",
    "//",
    "a",
    "b.c",
    "-",
    "_",
    "@",
    "[",
    "]",
    "::1",
    "?q=1",
    "#x",
    " ",
    "\t",
    "\n",
    "80",
    "é",
    "%20",
    ".",
]


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(URL_PIECES), max_size=9).map("".join))
def test_is_url_agrees_with_urlsplit(value: str) -> None:
    from repofolio.checks.content import is_url

    assert is_url(value) == _is_url_by_urlsplit(value)
    for fast in ("https://example.org/a/b", "http://a.b:8080/x?y=1#z", "HTTPS://x.y/"):
        assert is_url(fast) and _is_url_by_urlsplit(fast)


def test_fm003_names_the_line_of_the_mistake_in_a_new_users_write_up(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """An unclosed quote on line 3 is reported on line 3, not on the closing '---' (line 11)."""
    readme = good_readme().replace(
        "summary: Predicts which", 'summary: "Predicts which', 1
    )  # the quote never closes
    write_project(new_user_repo, "churn-model", readme)
    code, found = codes(runner, "projects/churn-model")
    assert code == 1
    fm003 = [d for d in found if d["code"] == "FM003"]
    assert [(d["path"], d["line"], d["col"]) for d in fm003] == [
        ("projects/churn-model/README.md", 3, 10)
    ]
    code, out, _ = run_cli(runner, "check", "projects/churn-model")
    assert "projects/churn-model/README.md:3:10: FM003 invalid YAML: the quote that opens" in out


def test_front_matter_that_does_not_parse_gives_one_error_not_the_default_kinds_sections(
    new_user_repo: Path,
) -> None:
    """A snippet (no Problem/Approach/Results/How to run) with a bracket left open in its
    tags: one FM003, not four SC001 for the sections of kind code, the default."""
    body = "# Bootstrap\n\n## What it does\n\nResamples 2,000 times.\n\n## Code\n\nbootstrap.py\n"
    readme = f"---\ntitle: Bootstrap\nkind: snippet\ntags: [statistics\n---\n\n{body}"
    write_project(new_user_repo, "bootstrap-ci", readme)
    code, out, err = run_cli(CliRunner(), "check", "--format", "json")
    assert code == 1, err
    found = [d["code"] for d in json.loads(out) if d["path"].startswith("projects/bootstrap-ci/")]
    assert found == ["FM003"], found
